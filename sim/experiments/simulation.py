"""Running a scenario: replications, their tables, the KPI summary and the SLA verdicts.

``simulate(scenario, seed=1)`` is the Python entry point (the seed defaults to 0). Replication *r* of any scenario
under the same seed uses the same random streams (see :mod:`sim.streams`), so two
scenarios run with the same seed are compared on common random numbers.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from sim.experiments.executors import BATCH_DAYS, BATCH_MAX, Job, ReplicationResult, default_workers, kpi_columns, run_jobs
from sim.scenario.days import day_plans, rate_pieces
from sim.results.tables import Tables
from sim.scenario.standards import check_standards
from sim.scenario.schema import Scenario
from sim.results.kpis import KPI_COLUMNS, batch_kpi_columns
from sim.results.summary import judge_sla, summarise

__all__ = ["SimulationResult", "KpiEstimate", "simulate", "combine", "MemoryEstimate", "MemoryLimitError",
           "memory_estimate", "available_memory", "check_memory", "check_comparison_memory", "MEMORY_ENV"]

RECORD_BYTES_PER_VISIT = 600
"""Bytes one visit costs in a replication's record: its visit columns and its share of the
interval columns (window, staff, device and queue changes); measured with tracemalloc on
the county hall over 20 days (about 480) and rounded up."""

TABLE_BYTES_PER_VISIT = 400
"""Bytes one visit costs once the pandas tables are built (the peak while building them)."""

DAY_BYTES_PER_VISIT = 1_200
"""Bytes one visitor of the day being simulated costs as Python objects and SimPy events (peak)."""

SMALL_RUN_BYTES = 64 * 2**20
"""A run estimated below this many bytes is not checked against the machine's available
memory (``MemoryEstimate.available`` is None), unless :data:`MEMORY_ENV` is set."""

MEMORY_ENV = "HALLSIM_MEMORY_BYTES"
"""Environment variable: the memory a run may use, in bytes (default: what the machine has
available). Mainly for tests and shared machines."""


@dataclass(frozen=True)
class SimulationResult:
    """Everything one call of :func:`simulate` produced.

    ``tables`` maps ``visits``, ``windows``, ``staff``, ``devices`` and ``queue`` to
    frames holding all replications (see :data:`sim.model.records.COLUMNS`), each built on
    first access (:class:`sim.results.tables.Tables`; empty when run with ``tables=False``); ``kpis`` has one
    row per (replication, kpi, group); ``summary`` the interval of each KPI; ``sla`` the
    verdict on each target; ``standards`` the minimum-standards check of the hall's level.
    ``kpis``, ``summary``, ``sla`` and ``standards`` are DataFrames built on first access
    too, from :attr:`kpi_columns`: a caller that reads only the visits never pays for them.
    ``worker_kpis`` holds the KPI columns the workers computed, or None when the
    replications ran in this process and kept their tables (:func:`simulate` with
    ``workers=1``): the KPIs are then computed from the tables' records when first asked for.
    """

    scenario: Scenario
    seed: int
    reps: int
    tables: Mapping[str, pd.DataFrame]
    worker_kpis: Mapping[str, np.ndarray] | None
    seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    @cached_property
    def kpi_columns(self) -> Mapping[str, np.ndarray]:
        """The KPI rows of every replication as numpy columns (``replication``, ``kpi``,
        ``group``, ``value``), by replication: as the workers computed them, or computed
        now over all replications at once from the tables' records."""
        if self.worker_kpis is not None:
            return self.worker_kpis
        return batch_kpi_columns(self.scenario, day_plans(self.scenario), list(self.tables.records))

    @cached_property
    def kpis(self) -> pd.DataFrame:
        return pd.DataFrame(dict(self.kpi_columns), columns=list(KPI_COLUMNS))

    @cached_property
    def summary(self) -> pd.DataFrame:
        return summarise(self.kpi_columns, self.scenario.sla.confidence)

    @cached_property
    def sla(self) -> pd.DataFrame:
        return judge_sla(self.scenario.sla, self.summary)

    @cached_property
    def standards(self) -> pd.DataFrame:
        return check_standards(self.scenario)

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
    computed = all(r.kpi_columns is not None for r in results)
    if not computed and not tables:
        raise ValueError("replications without their KPI columns need their records")
    return SimulationResult(scenario, seed, len(results), tables, kpi_columns(results) if computed else None, seconds)


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

    Before anything runs, the memory the run would hold is estimated
    (:func:`memory_estimate`); more than is available (:func:`available_memory`) raises
    :class:`MemoryLimitError`, which says the estimate and how to need less.
    """
    if reps is None:
        reps = scenario.run.replications
    if reps < 1:
        raise ValueError(f"reps must be >= 1 (got {reps})")
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    check_memory(scenario, reps, tables, workers, scheduler, streamed=sink is not None)
    start = time.perf_counter()
    # in this process with the tables kept, the KPIs wait until they are asked for
    later = tables and sink is None and workers == 1 and scheduler is None
    jobs = [Job(scenario, seed, r, tables or sink is not None, kpis=not later) for r in range(reps)]
    streaming = {} if sink is None else {"on_result": lambda _index, res: sink(res),
                                         "keep": lambda res: replace(res, record=None)}
    results = run_jobs(jobs, workers=workers, scheduler=scheduler, progress=progress, **streaming)
    return combine(scenario, seed, results, time.perf_counter() - start)


# ------------------------------------------------------------------ memory guard
@dataclass(frozen=True)
class MemoryEstimate:
    """What a run would hold at its peak, estimated before it starts.

    ``visits_per_replication``: expected visits of one replication (arrivals of every
    simulated day plus the return visits they cause); ``replications``: how many run;
    ``held``: replications whose tables stay in this process to the end (0 when only KPIs
    are kept or the tables are streamed); ``workers``: processes running batches of
    ``batch`` replications at once; ``bytes``: the estimate; ``available``: the memory the
    run may use (None when unknown, or not looked up for a run under :data:`SMALL_RUN_BYTES`)."""

    visits_per_replication: float
    replications: int
    held: int
    workers: int
    batch: int
    bytes: float
    available: int | None

    @property
    def fits(self) -> bool:
        return self.available is None or self.bytes <= self.available


class MemoryLimitError(MemoryError):
    """A run that would need more memory than is available; ``estimate`` says how much."""

    def __init__(self, estimate: MemoryEstimate):
        self.estimate = estimate
        e = estimate
        held = (f"{e.held:,} replications' tables held to the end" if e.held else "no tables held")
        super().__init__(
            f"this run would need about {_size(e.bytes)} of memory but {_size(e.available)} is available: "
            f"{e.replications:,} replications x about {e.visits_per_replication:,.0f} visits each "
            f"(~{RECORD_BYTES_PER_VISIT + TABLE_BYTES_PER_VISIT} bytes a visit with its tables), {held}, "
            f"{e.workers} worker(s) with {e.batch} replication(s) each in progress. Keep only the KPIs "
            f"(hallsim run without --out; simulate(..., tables=False)) or stream the tables to disk "
            f"(hallsim run --out DIR --stream; simulate(..., sink=...)), or run fewer replications, days or workers")


def _size(n: float | None) -> str:
    if n is None:
        return "an unknown amount"
    for unit in ("bytes", "KB", "MB", "GB"):
        if abs(n) < 1024:
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TB"


def _expected_visits(scenario: Scenario) -> tuple[float, float]:
    """(expected visits of one replication, of its busiest day): the arrivals the demand
    profile gives each simulated day, plus the return visits of those lacking documents."""
    per_day = [sum((hi - lo) * rate for lo, hi, rate in rate_pieces(scenario, day)) for day in day_plans(scenario)]
    mix = scenario.demand.service_mix
    total = sum(mix.values()) or 1.0
    missing = sum(w / total * scenario.services[k].missing_docs_prob for k, w in mix.items() if k in scenario.services)
    repeat = 1.0 + missing * scenario.policies.repeat_visits.return_prob
    return sum(per_day) * repeat, max(per_day, default=0.0) * repeat


def available_memory() -> int | None:
    """Bytes a run may use: :data:`MEMORY_ENV` when set, else the memory the machine has
    available (``MemAvailable`` of /proc/meminfo, else ``os.sysconf('SC_AVPHYS_PAGES')``),
    less for a container's memory limit (cgroup v2); None when unknown."""
    given = os.environ.get(MEMORY_ENV)
    if given:
        try:
            return int(float(given))
        except ValueError:
            pass
    found: list[int] = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        try:
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit != "max":
            used = int(Path("/sys/fs/cgroup/memory.current").read_text().strip())
            found.append(max(0, int(limit) - used))
    except (OSError, ValueError):
        pass
    return min(found) if found else None


def memory_estimate(scenario: Scenario, reps: int, tables: bool = True, workers: int | None = 1,
                    scheduler=None, streamed: bool = False) -> MemoryEstimate:
    """The peak memory of running ``reps`` replications of ``scenario`` (see
    :class:`MemoryEstimate`): each worker holds one batch of records and the day it
    simulates; this process holds every replication's record and tables when ``tables``
    (and not ``streamed``), or one replication's tables at a time when ``streamed``."""
    visits, busiest = _expected_visits(scenario)
    days = 1 if scenario.continuous else max(1, scenario.run.days)
    batch = max(1, min(BATCH_MAX, BATCH_DAYS // days, reps))
    n = 0 if scheduler is not None else min(reps, default_workers() if workers is None else max(1, workers))
    held = reps if tables and not streamed else 0
    per_worker = batch * visits * RECORD_BYTES_PER_VISIT + busiest * DAY_BYTES_PER_VISIT
    here = held * visits * (RECORD_BYTES_PER_VISIT + TABLE_BYTES_PER_VISIT)
    if streamed:
        here += visits * (RECORD_BYTES_PER_VISIT + TABLE_BYTES_PER_VISIT)
    need = n * per_worker + here
    # a small run fits: reading the machine's memory would cost more than its own overhead
    look = need >= SMALL_RUN_BYTES or os.environ.get(MEMORY_ENV)
    return MemoryEstimate(visits, reps, held, n, batch, need, available_memory() if look else None)


def check_memory(scenario: Scenario, reps: int, tables: bool = True, workers: int | None = 1, scheduler=None,
                 streamed: bool = False) -> MemoryEstimate:
    """:func:`memory_estimate`, raising :class:`MemoryLimitError` when it exceeds the available memory."""
    estimate = memory_estimate(scenario, reps, tables, workers, scheduler, streamed)
    if not estimate.fits:
        raise MemoryLimitError(estimate)
    return estimate


def check_comparison_memory(scenarios: Sequence[Scenario], reps: int, tables: bool, workers, scheduler) -> None:
    """Refuse (:class:`sim.experiments.simulation.MemoryLimitError`) a comparison whose
    replications would not fit in memory: bounded by its largest scenario run for the
    replications of all of them."""
    biggest = max(scenarios, key=lambda s: memory_estimate(s, reps, tables, workers, scheduler).bytes)
    check_memory(biggest, reps * len(scenarios), tables, workers, scheduler)
