"""Comparing scenarios on common random numbers: each KPI per scenario, and the paired
difference of every scenario against the first (the baseline).

Replication *r* of every scenario uses the same random streams, so the difference
``value[scenario, r] - value[baseline, r]`` removes much of the noise the scenarios share;
its t-interval (``diff_low``, ``diff_high``) is usually far narrower than the Welch
interval of two independent samples, also reported (``unpaired_half_width``) to show it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from sim.experiments.executors import Job, run_jobs
from sim.experiments.simulation import SimulationResult, check_comparison_memory, combine
from sim.experiments.executors import ReplicationResult
from sim.scenario.schema import Scenario
from sim.results.summary import t_interval, t_quantile

__all__ = ["Comparison", "compare", "comparison_of", "COMPARISON_COLUMNS", "paired_differences"]

COMPARISON_COLUMNS = {
    "scenario": "scenario name (the first is the baseline)",
    "kpi": "KPI key",
    "group": "KPI group",
    "n": "replications with a value",
    "mean": "KPI mean over replications",
    "ci_low": "lower end of the KPI's interval",
    "ci_high": "upper end of the KPI's interval",
    "diff_mean": "mean of the paired differences scenario - baseline (0 for the baseline)",
    "diff_low": "lower end of the paired difference's interval",
    "diff_high": "upper end of the paired difference's interval",
    "unpaired_half_width": "half-width a Welch interval of independent runs would have",
}


@dataclass(frozen=True)
class Comparison:
    """What :func:`compare` returns: one :class:`SimulationResult` per scenario, the tidy
    ``table`` (columns :data:`COMPARISON_COLUMNS`), SLA verdicts side by side (``sla``: the
    scenarios' SLA tables with a ``scenario`` column) and the standards likewise.
    ``meta`` holds ``reps_auto`` (the decision of :func:`sim.precision.replicate_until`)
    when the number of replications was chosen automatically."""

    names: list[str]
    results: list[SimulationResult]
    table: pd.DataFrame
    sla: pd.DataFrame
    standards: pd.DataFrame
    seed: int
    reps: int
    seconds: float
    meta: dict = field(default_factory=dict)


def _welch_half_width(a: np.ndarray, b: np.ndarray, confidence: float) -> float:

    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        return math.nan
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se2 = va + vb
    if se2 == 0:
        return 0.0
    dof = se2**2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return float(t_quantile((1 + confidence) / 2, dof) * math.sqrt(se2))


def _values_by_pair(kpis: pd.DataFrame) -> tuple[dict[tuple[str, str], dict[int, float]], list[int]]:
    """The values of a KPI table by (kpi, group) and replication — the first value that is
    not NaN; pairs without any left out — and the replications that have a value (sorted):
    what a pivot table of it with ``aggfunc="first"`` holds, without building one."""
    table: dict[tuple[str, str], dict[int, float]] = {}
    reps: set[int] = set()
    for kpi, group, rep, value in zip(kpis["kpi"], kpis["group"], kpis["replication"].tolist(),
                                      kpis["value"].to_numpy(dtype=float).tolist()):
        if math.isnan(value):
            continue
        row = table.setdefault((kpi, group), {})
        if rep not in row:
            row[rep] = value
            reps.add(rep)
    return table, sorted(reps)


def paired_differences(base: pd.DataFrame, other: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per (kpi, group): paired difference other - base over common replications.

    ``base`` and ``other`` are KPI tables (replication, kpi, group, value).
    """
    a, _ = _values_by_pair(base)
    b, reps = _values_by_pair(other)
    rows = []
    for key in sorted(b):
        y = np.array([b[key].get(r, math.nan) for r in reps], dtype=float)
        if key not in a:
            rows.append((*key, math.nan, math.nan, math.nan, math.nan))
            continue
        x = np.array([a[key].get(r, math.nan) for r in reps], dtype=float)
        d = y - x
        mean, _, hw = t_interval(d, confidence)
        if not math.isnan(mean) and math.isnan(hw) and np.count_nonzero(~np.isnan(d)) >= 2:
            hw = 0.0
        rows.append((*key, mean, mean - hw, mean + hw, _welch_half_width(x, y, confidence)))
    return pd.DataFrame.from_records(rows, columns=["kpi", "group", "diff_mean", "diff_low", "diff_high", "unpaired_half_width"])


def compare(scenarios: Sequence[Scenario], names: Sequence[str] | None = None, seed: int = 0,
            reps: int | None = None, workers: int | None = None, scheduler=None,
            progress: Callable[[int, int], None] | None = None, tables: bool = True) -> Comparison:
    """Run every scenario for ``reps`` replications on common random numbers and compare
    each with the first. ``tables=False`` keeps only KPIs (faster, less memory)."""
    scenarios = list(scenarios)
    if len(scenarios) < 2:
        raise ValueError(f"compare needs at least 2 scenarios (got {len(scenarios)})")
    names = list(names) if names is not None else [s.hall.name for s in scenarios]
    if len(names) != len(scenarios):
        raise ValueError(f"names: {len(names)} names for {len(scenarios)} scenarios")
    reps = reps if reps is not None else scenarios[0].run.replications
    if reps < 1:
        raise ValueError(f"reps must be >= 1 (got {reps})")
    check_comparison_memory(scenarios, reps, tables, workers, scheduler)
    start = time.perf_counter()
    jobs = [Job(s, seed, r, tables) for s in scenarios for r in range(reps)]
    done = run_jobs(jobs, workers=workers, scheduler=scheduler, progress=progress)
    return comparison_of(scenarios, names, seed, [done[i * reps:(i + 1) * reps] for i in range(len(scenarios))],
                         time.perf_counter() - start)


def comparison_of(scenarios: Sequence[Scenario], names: Sequence[str], seed: int,
                  runs: Sequence[Sequence[ReplicationResult]], seconds: float = 0.0) -> Comparison:
    """The :class:`Comparison` of replications already run: ``runs[i]`` holds scenario
    ``i``'s replications (the same numbers for every scenario, on common random numbers)."""
    scenarios, names = list(scenarios), list(names)
    if len(set(names)) != len(names):
        names = [f"{i + 1}. {n}" for i, n in enumerate(names)]
    results = [combine(s, seed, list(done)) for s, done in zip(scenarios, runs)]
    reps = results[0].reps
    confidence = scenarios[0].sla.confidence
    frames, slas, stds = [], [], []
    base = results[0]
    for name, res in zip(names, results):
        summ = res.summary[["kpi", "group", "n", "mean", "ci_low", "ci_high"]].copy()
        if res is base:
            diff = summ[["kpi", "group"]].assign(diff_mean=0.0, diff_low=0.0, diff_high=0.0, unpaired_half_width=0.0)
        else:
            diff = paired_differences(base.kpis, res.kpis, confidence)
        summ = summ.merge(diff, on=["kpi", "group"], how="left")
        summ.insert(0, "scenario", name)
        frames.append(summ)
        slas.append(res.sla.assign(scenario=name))
        stds.append(res.standards.assign(scenario=name))
    table = pd.concat(frames, ignore_index=True)[list(COMPARISON_COLUMNS)]
    sla = pd.concat(slas, ignore_index=True)
    sla = sla[["scenario", *[c for c in sla.columns if c != "scenario"]]]
    standards = pd.concat(stds, ignore_index=True)
    standards = standards[["scenario", *[c for c in standards.columns if c != "scenario"]]]
    return Comparison(names, results, table, sla, standards, seed, reps, seconds)
