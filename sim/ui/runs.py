"""The library calls behind the dashboard's buttons, keyed on plain values.

Each call takes scenarios as YAML text (what the dashboard keeps in session state and
hashes for its cache) and returns what the library returns; nothing here knows Streamlit,
so ``benchmarks/bench_dashboard.py`` times exactly what the Compare page runs.

Every call runs inside :func:`sim.experiments.executors.warm_pool`: the worker processes of
one call serve the next (a dashboard's runs follow one another in one long-lived process).
The scenarios parsed from YAML are kept for the next call with the same text.
"""

from __future__ import annotations

import functools
from typing import Callable, Sequence

from sim.experiments.compare import Comparison, compare
from sim.experiments.executors import warm_pool
from sim.experiments.simulation import SimulationResult, simulate
from sim.scenario.loader import load_scenario_text
from sim.scenario.schema import Scenario

__all__ = ["run_comparison", "run_scenario", "run_staffing", "run_issuance"]

Progress = Callable[[int, int], None]

PARSED_KEPT = 16
"""Scenarios parsed from YAML that are kept for the next call (a Scenario is immutable)."""


@functools.lru_cache(maxsize=PARSED_KEPT)
def _parsed(text: str, name: str) -> Scenario:
    return load_scenario_text(text, source=name)


def _warm(call):
    """Run ``call`` inside :func:`sim.experiments.executors.warm_pool`."""
    @functools.wraps(call)
    def inside(*args, **kwargs):
        with warm_pool():
            return call(*args, **kwargs)
    return inside



@_warm
def run_comparison(yamls: Sequence[str], names: Sequence[str], seed: int = 0, reps: int = 10,
                   workers: int | None = None, progress: Progress | None = None,
                   precision: float | None = None) -> Comparison:
    """:func:`sim.compare` of the scenarios in ``yamls`` (the first is the baseline) with
    their full tables (the charts need them), on ``workers`` processes (None: every core).
    With ``precision``, the number of replications is chosen by
    :func:`sim.precision.compare_until` (at most ``reps``); ``meta["reps_auto"]`` says how."""
    scenarios = [_parsed(text, name) for text, name in zip(yamls, names)]
    if precision is not None:
        from sim.experiments.replications import compare_until

        cmp, _info = compare_until(scenarios, list(names), seed, precision=precision, cap=reps, workers=workers,
                                   progress=progress, tables=True)
        return cmp
    return compare(scenarios, names=list(names), seed=seed, reps=reps, workers=workers, progress=progress)


@_warm
def run_scenario(yaml_text: str, name: str, seed: int = 0, reps: int = 3, workers: int | None = None,
                 progress: Progress | None = None) -> SimulationResult:
    """:func:`sim.simulate` of one scenario given as YAML text."""
    scenario = _parsed(yaml_text, name)
    return simulate(scenario, seed=seed, reps=reps, workers=workers, progress=progress)


@_warm
def run_staffing(yaml_text: str, name: str, seed: int = 0, reps: int = 3, days: int | None = None,
                 block_min: float = 60.0, workers: int | None = None, progress: Progress | None = None):
    """:func:`sim.staffing_search.staffing_search` of one scenario given as YAML text."""
    from sim.experiments.staffing import staffing_search

    scenario = _parsed(yaml_text, name)
    return staffing_search(scenario, block_min=block_min, reps=reps, seed=seed, days=days, workers=workers,
                           progress=progress, source=name)


@_warm
def run_issuance(yaml_text: str, name: str, seed: int = 0, reps: int = 3, days: int | None = None,
                 workers: int | None = None, progress: Progress | None = None):
    """:func:`sim.issuance.simulate_issuance` of one scenario given as YAML text."""
    from sim.issuance.simulation import simulate_issuance

    scenario = _parsed(yaml_text, name)
    return simulate_issuance(scenario, seed=seed, reps=reps, days=days, workers=workers, progress=progress)
