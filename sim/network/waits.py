"""A quick estimate of a point's mean wait at an assigned load: M/M/c (Erlang C).

``c`` is the number of the hall's windows that open at all; arrivals per minute are the
assigned visits per day over the mean length of the hall's opening days; the mean service
time is the assigned mix's mean window time, elderly visits stretched by their
``elderly_multiplier``. An overloaded point (load ≥ c) gets ``cap_min``. The estimate only
steers the choice (visitors avoid a crowded point); the reported waits are simulated.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from sim.experiments.analytic import mmc_wait
from sim.network.demand import PointLoad
from sim.scenario.clock import to_minutes
from sim.scenario.schema import Scenario

__all__ = ["erlang_wait", "erlang_waits", "open_minutes_per_day", "mean_service_min"]


def open_minutes_per_day(scenario: Scenario) -> float:
    """Mean minutes from opening to closing over the weekdays the hall opens."""
    spans = [to_minutes(h.close) - to_minutes(h.open) for h in scenario.hall.opening_hours.values() if h is not None]
    return float(np.mean(spans)) if spans else 0.0


def mean_service_min(scenario: Scenario, load: PointLoad) -> float:
    """Mean window minutes per visit of the assigned mix (elderly stretched)."""
    total = sum(load.by_service.values())
    if total <= 0:
        return 0.0
    e = load.elderly_share
    return sum(n / total * scenario.services[svc].window_time.mean * (1 - e + e * scenario.services[svc].elderly_multiplier)
               for svc, n in load.by_service.items())


def erlang_wait(scenario: Scenario, load: PointLoad, cap_min: float) -> float:
    """The M/M/c mean wait (minutes) of the hall at ``load``, at most ``cap_min``."""
    windows = sum(1 for w in scenario.windows if w.hours is None or len(w.hours) > 0)
    minutes = open_minutes_per_day(scenario)
    service = mean_service_min(scenario, load)
    if load.visitors_per_day <= 0 or service <= 0:
        return 0.0
    if windows < 1 or minutes <= 0:
        return cap_min
    lam, mu = load.visitors_per_day / minutes, 1.0 / service
    if lam >= windows * mu * (1 - 1e-9):
        return cap_min
    return min(cap_min, float(mmc_wait(windows, lam, mu)))


def erlang_waits(scenarios: Sequence[Scenario], loads: Sequence[PointLoad], cap_min: float) -> np.ndarray:
    """``[p, g]`` Erlang waits of every point, the same for both groups."""
    w = np.array([erlang_wait(s, load, cap_min) for s, load in zip(scenarios, loads)], dtype=float)
    return np.repeat(w[:, None], 2, axis=1)

