"""Distributions: validation, their means, and samples that match them."""

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from sim.scenario.distributions import Distribution

DIST = TypeAdapter(Distribution)

CASES = [
    ({"dist": "exponential", "mean": 4.0}, 4.0),
    ({"dist": "lognormal", "mean": 6.0, "cv": 0.5}, 6.0),
    ({"dist": "gamma", "shape": 2.0, "scale": 1.5}, 3.0),
    ({"dist": "triangular", "low": 1.0, "mode": 2.0, "high": 6.0}, 3.0),
    ({"dist": "uniform", "low": 2.0, "high": 4.0}, 3.0),
    ({"dist": "fixed", "value": 5.0}, 5.0),
    ({"dist": "empirical", "values": [1.0, 2.0, 6.0]}, 3.0),
]


@pytest.mark.parametrize("spec,mean", CASES)
def test_mean_is_known(spec, mean):
    """Every distribution reports its mean."""
    assert DIST.validate_python(spec).mean == pytest.approx(mean)


@pytest.mark.parametrize("spec,mean", CASES)
def test_sample_mean_matches(spec, mean):
    """The mean of 200,000 draws is within 1 % of the stated mean."""
    d = DIST.validate_python(spec)
    x = d.sample(np.random.default_rng(1), 200_000)
    assert x.shape == (200_000,) and (x >= 0).all()
    assert x.mean() == pytest.approx(mean, rel=0.01)


def test_lognormal_cv_is_respected():
    """Lognormal draws have the requested coefficient of variation."""
    x = DIST.validate_python({"dist": "lognormal", "mean": 5, "cv": 0.8}).sample(np.random.default_rng(2), 400_000)
    assert x.std() / x.mean() == pytest.approx(0.8, rel=0.03)


@pytest.mark.parametrize("spec", [
    {"dist": "exponential", "mean": 0},
    {"dist": "lognormal", "mean": 5},
    {"dist": "triangular", "low": 3, "mode": 1, "high": 5},
    {"dist": "uniform", "low": 5, "high": 1},
    {"dist": "empirical", "values": []},
    {"dist": "weibull", "shape": 1},
    {"dist": "fixed", "value": 1, "extra": 2},
])
def test_bad_distributions_are_rejected(spec):
    """Invalid parameters, unknown kinds and unknown keys raise a validation error."""
    with pytest.raises(ValidationError):
        DIST.validate_python(spec)
