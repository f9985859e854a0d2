"""Probability distributions for times, in minutes unless a field says otherwise.

Each distribution is an immutable pydantic value chosen by its ``dist`` key, knows its
``mean`` and draws a numpy array of samples from a named numpy ``Generator``.
A scenario writes one as a mapping, for example::

    window_time: {dist: lognormal, mean: 6.0, cv: 0.5}

``mean`` and every other parameter are in the unit of the field that holds the
distribution (minutes for all time fields of a scenario).
"""

from __future__ import annotations

import difflib
import math
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from sim.scenario.limits import MAX_CV, MAX_DIST_VALUE, MAX_EMPIRICAL_VALUES
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
    "KINDS",
]

Param = Annotated[float, Field(ge=0, le=MAX_DIST_VALUE)]
"""A parameter of a distribution, in its field's unit: 0 to :data:`~sim.scenario.limits.MAX_DIST_VALUE`."""

Positive = Annotated[float, Field(gt=0, le=MAX_DIST_VALUE)]
"""A parameter that must be above 0 (a mean, a scale, a shape)."""


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
    mean_: Positive = Field(alias="mean")

    @property
    def mean(self) -> float:
        return self.mean_

    def sample(self, rng, size):
        return rng.exponential(self.mean_, size)


class Lognormal(_Dist):
    """Lognormal given by its mean and coefficient of variation (sd / mean)."""

    dist: Literal["lognormal"]
    mean_: Positive = Field(alias="mean")
    cv: Annotated[float, Field(gt=0, le=MAX_CV)]

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
    shape: Positive
    scale: Positive

    @property
    def mean(self) -> float:
        return self.shape * self.scale

    def sample(self, rng, size):
        return rng.gamma(self.shape, self.scale, size)


class Triangular(_Dist):
    """Triangular on [low, high] with the given mode."""

    dist: Literal["triangular"]
    low: Param
    mode: Param
    high: Param

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
    low: Param
    high: Param

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
    value: Param

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng, size):
        return np.full(size, self.value, dtype=float)


class Empirical(_Dist):
    """Resamples, with equal weight, a list of observed values."""

    dist: Literal["empirical"]
    values: list[Param] = Field(min_length=1, max_length=MAX_EMPIRICAL_VALUES)

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    def sample(self, rng, size):
        return rng.choice(np.asarray(self.values, dtype=float), size)


KINDS = ("exponential", "lognormal", "gamma", "triangular", "uniform", "fixed", "empirical")
"""The values of ``dist``."""


def _kind_checked(value: Any) -> Any:
    """A distribution's mapping passed on when its ``dist`` is known; otherwise the
    problem said in the project's words, with an example (pydantic would say "Input tag
    … does not match any of the expected tags" or "a valid dictionary")."""
    if isinstance(value, _Dist):
        return value
    kinds = ", ".join(KINDS)
    if not isinstance(value, dict):
        raise ValueError(say("dist.not_mapping", value=value))
    if "dist" not in value:
        raise ValueError(say("dist.no_kind", kinds=kinds))
    kind = value["dist"]
    if kind not in KINDS:
        near = difflib.get_close_matches(kind, KINDS, n=1) if isinstance(kind, str) and len(kind) < 40 else []
        if near:
            raise ValueError(say("dist.unknown_near", value=kind, near=near[0], kinds=kinds))
        raise ValueError(say("dist.unknown", value=kind, kinds=kinds))
    return value


Distribution = Annotated[
    Union[Exponential, Lognormal, Gamma, Triangular, Uniform, Fixed, Empirical],
    Field(discriminator="dist"),
    BeforeValidator(_kind_checked),
]
"""Any of the distributions above, chosen by the ``dist`` key (one of :data:`KINDS`).
Every parameter is finite and at most :data:`~sim.scenario.limits.MAX_DIST_VALUE`
(a lognormal's ``cv`` at most :data:`~sim.scenario.limits.MAX_CV`)."""
