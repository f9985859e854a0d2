"""Probability distributions for times, in minutes unless a field says otherwise.

Each distribution is an immutable pydantic value chosen by its ``dist`` key, knows its
``mean`` and draws a numpy array of samples from a named numpy ``Generator``.
A scenario writes one as a mapping, for example::

    window_time: {dist: lognormal, mean: 6.0, cv: 0.5}

``mean`` and every other parameter are in the unit of the field that holds the
distribution (minutes for all time fields of a scenario).
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, model_validator

from sim.scenario.messages import say

__all__ = [
    "Distribution",
    "Exponential",
    "Lognormal",
    "Gamma",
    "Triangular",
    "Uniform",
    "Fixed",
    "Empirical",
]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @property
    def mean(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


class Exponential(_Dist):
    """Exponential with the given mean (rate = 1 / mean)."""

    dist: Literal["exponential"]
    mean_: PositiveFloat = Field(alias="mean")

    @property
    def mean(self) -> float:
        return self.mean_

    def sample(self, rng, size):
        return rng.exponential(self.mean_, size)


class Lognormal(_Dist):
    """Lognormal given by its mean and coefficient of variation (sd / mean)."""

    dist: Literal["lognormal"]
    mean_: PositiveFloat = Field(alias="mean")
    cv: PositiveFloat

    @property
    def mean(self) -> float:
        return self.mean_

    def sample(self, rng, size):
        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean_) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), size)


class Gamma(_Dist):
    """Gamma with ``shape`` k and ``scale`` θ (mean = k·θ)."""

    dist: Literal["gamma"]
    shape: PositiveFloat
    scale: PositiveFloat

    @property
    def mean(self) -> float:
        return self.shape * self.scale

    def sample(self, rng, size):
        return rng.gamma(self.shape, self.scale, size)


class Triangular(_Dist):
    """Triangular on [low, high] with the given mode."""

    dist: Literal["triangular"]
    low: float = Field(ge=0)
    mode: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self):
        if not (self.low <= self.mode <= self.high) or self.low == self.high:
            raise ValueError(say("triangular.order", low=self.low, mode=self.mode, high=self.high))
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def sample(self, rng, size):
        return rng.triangular(self.low, self.mode, self.high, size)


class Uniform(_Dist):
    """Uniform on [low, high]."""

    dist: Literal["uniform"]
    low: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self):
        if self.high < self.low:
            raise ValueError(say("uniform.order", low=self.low, high=self.high))
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def sample(self, rng, size):
        return rng.uniform(self.low, self.high, size)


class Fixed(_Dist):
    """Always the same value."""

    dist: Literal["fixed"]
    value: float = Field(ge=0)

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng, size):
        return np.full(size, self.value, dtype=float)


class Empirical(_Dist):
    """Resamples, with equal weight, a list of observed values."""

    dist: Literal["empirical"]
    values: list[Annotated[float, Field(ge=0)]] = Field(min_length=1)

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    def sample(self, rng, size):
        return rng.choice(np.asarray(self.values, dtype=float), size)


Distribution = Annotated[
    Union[Exponential, Lognormal, Gamma, Triangular, Uniform, Fixed, Empirical],
    Field(discriminator="dist"),
]
"""Any of the distributions above, chosen by the ``dist`` key."""
