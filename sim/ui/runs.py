"""The library calls behind the dashboard's buttons, keyed on plain values.

Each call takes scenarios as YAML text (what the dashboard keeps in session state and
hashes for its cache) and returns what the library returns; nothing here knows Streamlit,
so ``benchmarks/bench_dashboard.py`` times exactly what the Compare page runs.
"""

from __future__ import annotations

from typing import Callable, Sequence

from sim.experiments.compare import Comparison, compare
from sim.experiments.simulation import SimulationResult, simulate
from sim.scenario.loader import load_scenario_text

__all__ = ["run_comparison", "run_scenario", "run_staffing", "run_issuance"]

Progress = Callable[[int, int], None]


def run_comparison(yamls: Sequence[str], names: Sequence[str], seed: int = 0, reps: int = 10,
                   workers: int | None = None, progress: Progress | None = None,
                   precision: float | None = None) -> Comparison:
    """:func:`sim.compare` of the scenarios in ``yamls`` (the first is the baseline) with
    their full tables (the charts need them), on ``workers`` processes (None: every core).
    With ``precision``, the number of replications is chosen by
    :func:`sim.precision.compare_until` (at most ``reps``); ``meta["reps_auto"]`` says how."""
    scenarios = [load_scenario_text(text, source=name) for text, name in zip(yamls, names)]
    if precision is not None:
        from sim.experiments.replications import compare_until

        cmp, _info = compare_until(scenarios, list(names), seed, precision=precision, cap=reps, workers=workers,
                                   progress=progress, tables=True)
        return cmp
    return compare(scenarios, names=list(names), seed=seed, reps=reps, workers=workers, progress=progress)


def run_scenario(yaml_text: str, name: str, seed: int = 0, reps: int = 3, workers: int | None = None,
                 progress: Progress | None = None) -> SimulationResult:
    """:func:`sim.simulate` of one scenario given as YAML text."""
    scenario = load_scenario_text(yaml_text, source=name)
    return simulate(scenario, seed=seed, reps=reps, workers=workers, progress=progress)


def run_staffing(yaml_text: str, name: str, seed: int = 0, reps: int = 3, days: int | None = None,
                 block_min: float = 60.0, workers: int | None = None, progress: Progress | None = None):
    """:func:`sim.staffing_search.staffing_search` of one scenario given as YAML text."""
    from sim.experiments.staffing import staffing_search

    scenario = load_scenario_text(yaml_text, source=name)
    return staffing_search(scenario, block_min=block_min, reps=reps, seed=seed, days=days, workers=workers,
                           progress=progress, source=name)


def run_issuance(yaml_text: str, name: str, seed: int = 0, reps: int = 3, days: int | None = None,
                 workers: int | None = None, progress: Progress | None = None):
    """:func:`sim.issuance.simulate_issuance` of one scenario given as YAML text."""
    from sim.issuance.simulation import simulate_issuance

    scenario = load_scenario_text(yaml_text, source=name)
    return simulate_issuance(scenario, seed=seed, reps=reps, days=days, workers=workers, progress=progress)
