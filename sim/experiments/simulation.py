"""Running a scenario: replications, their tables, the KPI summary and the SLA verdicts.

``simulate(scenario, seed=1)`` is the Python entry point (the seed defaults to 0). Replication *r* of any scenario
under the same seed uses the same random streams (see :mod:`sim.streams`), so two
scenarios run with the same seed are compared on common random numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping

import pandas as pd

from sim.experiments.executors import Job, ReplicationResult, kpi_frame, run_jobs
from sim.results.tables import Tables
from sim.scenario.standards import check_standards
from sim.scenario.schema import Scenario
from sim.results.summary import judge_sla, summarise

__all__ = ["SimulationResult", "KpiEstimate", "simulate", "combine"]


@dataclass(frozen=True)
class SimulationResult:
    """Everything one call of :func:`simulate` produced.

    ``tables`` maps ``visits``, ``windows``, ``staff``, ``devices`` and ``queue`` to
    frames holding all replications (see :data:`sim.model.records.COLUMNS`), each built on
    first access (:class:`sim.results.tables.Tables`; empty when run with ``tables=False``); ``kpis`` has one
    row per (replication, kpi, group); ``summary`` the interval of each KPI; ``sla`` the
    verdict on each target; ``standards`` the minimum-standards check of the hall's level.
    """

    scenario: Scenario
    seed: int
    reps: int
    tables: Mapping[str, pd.DataFrame]
    kpis: pd.DataFrame
    summary: pd.DataFrame
    sla: pd.DataFrame
    standards: pd.DataFrame
    seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    @property
    def visits(self) -> pd.DataFrame:
        return self.tables["visits"]

    def kpi(self, kpi: str, group: str = "all") -> "KpiEstimate":
        """The estimate of one KPI across replications (mean and interval)."""
        hit = self.summary[(self.summary["kpi"] == kpi) & (self.summary["group"] == group)]
        if hit.empty:
            raise KeyError(f"no KPI {kpi!r} for group {group!r}")
        r = hit.iloc[0]
        return KpiEstimate(float(r["mean"]), float(r["ci_low"]), float(r["ci_high"]), float(r["half_width"]), int(r["n"]))


@dataclass(frozen=True)
class KpiEstimate:
    """Mean of a KPI over ``n`` replications with its confidence interval."""

    mean: float
    ci_low: float
    ci_high: float
    half_width: float
    n: int


def combine(scenario: Scenario, seed: int, results: list[ReplicationResult], seconds: float = 0.0) -> SimulationResult:
    """A :class:`SimulationResult` from replication results (in any order)."""
    results = sorted(results, key=lambda r: r.replication)
    records = [r.record for r in results]
    tables = Tables(records) if results and all(rec is not None for rec in records) else {}
    kpis = kpi_frame(results)
    summary = summarise(kpis, scenario.sla.confidence)
    sla = judge_sla(scenario.sla, summary)
    return SimulationResult(scenario, seed, len(results), tables, kpis, summary, sla,
                            check_standards(scenario), seconds)


def simulate(scenario: Scenario, seed: int = 0, reps: int | None = None,
             progress: Callable[[int, int], None] | None = None,
             workers: int | None = 1, scheduler=None, tables: bool = True,
             sink: Callable[[ReplicationResult], None] | None = None) -> SimulationResult:
    """Run ``reps`` replications (default ``scenario.run.replications``) under ``seed``.

    With ``tables=False`` only the KPIs come back (``result.tables`` is empty): memory
    then does not grow with the number of replications.

    ``progress(done, total)`` is called after each replication. ``workers`` processes
    run them (1: in this process; None: every core); ``scheduler`` sends them to Dask
    (see :mod:`sim.experiments.executors`). The result is the same on every executor.

    ``sink(replication_result)`` streams the tables instead of holding them: it is called
    in this process as soon as each replication is done, with its record (its tables are
    ``replication_result.tables``); the replication is then kept without its record, so
    ``result.tables`` is empty and memory does not grow with the replications.
    """
    if reps is None:
        reps = scenario.run.replications
    if reps < 1:
        raise ValueError(f"reps must be >= 1 (got {reps})")
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    start = time.perf_counter()
    jobs = [Job(scenario, seed, r, tables or sink is not None) for r in range(reps)]
    streaming = {} if sink is None else {"on_result": lambda _index, res: sink(res),
                                         "keep": lambda res: replace(res, record=None)}
    results = run_jobs(jobs, workers=workers, scheduler=scheduler, progress=progress, **streaming)
    return combine(scenario, seed, results, time.perf_counter() - start)
