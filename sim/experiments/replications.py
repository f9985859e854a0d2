"""How many replications: keep adding them until the main KPIs are estimated precisely.

The replication algorithm of Hoad, Robinson & Davies (2010), "Automated selection of the
number of replications for a discrete-event simulation", *Journal of the Operational
Research Society* 61(11) 1632-1644. After *n* replications the relative precision of a
KPI is the half-width of its t-based confidence interval (the SLA's confidence, 95 % by
default) over its mean, d_n = t(n-1) · s_n / (√n · |mean_n|). Starting from
``min_reps`` (HRD use 3), the first *n* at which every tracked KPI has d_n ≤
``precision`` is the candidate solution N_sol; it stands only if every KPI stays within
the precision for the next f(kLimit, N_sol) replications (the look-ahead:
``k_limit`` while N_sol ≤ 100, kLimit·N_sol/100 beyond); otherwise the search goes on
from the first replication that broke it. The run stops after N_sol + look-ahead
replications (all of which are kept) or at ``cap``.

KPIs whose mean is 0 or near it (abandonment 0 %, waits of 0 min in a calm hall) have no
meaningful relative precision: a KPI also counts as precise when its half-width is at
most an absolute tolerance (:data:`ABS_TOLERANCE`: half a percentage point for shares,
0.05 min for minutes); a KPI that is 0 in every replication has half-width 0 and is
precise at once. A KPI with no value at all (no elderly visitor) is left out.

The decision depends only on the values of replications 0, 1, 2, … in order, never on
how many run at once, so the same seed gives the same number of replications and the
same result serially, in a process pool and on Dask.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

import numpy as np

from sim.experiments.executors import Job, default_workers, run_jobs
from sim.experiments.simulation import SimulationResult, check_comparison_memory, combine
from sim.experiments.executors import ReplicationResult
from sim.scenario.schema import Scenario
from sim.results.formatting import is_share
from sim.results.summary import t_quantile

__all__ = ["DEFAULT_KPIS", "ABS_TOLERANCE", "StopCheck", "look_ahead", "relative_precision", "stopping_rule",
           "replicate_until", "compare_until", "run_until", "tolerance", "kpi_row", "AUTO", "PRECISION_DEFAULT", "CAP_DEFAULT", "MIN_REPS_DEFAULT",
           "K_LIMIT_DEFAULT"]

DEFAULT_KPIS: tuple[tuple[str, str], ...] = (
    ("wait_mean_min", "all"),
    ("wait_p90_min", "all"),
    ("time_in_system_mean_min", "all"),
    ("window_utilisation", "all"),
    ("abandonment_rate", "all"),
)
"""The main KPIs (kpi, group) whose precision decides the number of replications."""

ABS_TOLERANCE = {"share": 0.005, "min": 0.05, "count": 0.0}
"""A KPI is also precise when its half-width is at most this, by kind of KPI (shares:
half a percentage point; minutes: 3 seconds; counts: none)."""

AUTO = "auto"
"""The ``reps`` value that asks for the automatic number of replications."""

PRECISION_DEFAULT = 0.05
CAP_DEFAULT = 200
MIN_REPS_DEFAULT = 3
K_LIMIT_DEFAULT = 5


def tolerance(kpi: str) -> float:
    """The absolute tolerance of ``kpi`` (:data:`ABS_TOLERANCE` by its kind)."""
    if is_share(kpi):
        return ABS_TOLERANCE["share"]
    if "_min" in kpi:
        return ABS_TOLERANCE["min"]
    return ABS_TOLERANCE["count"]


def look_ahead(n_solution: int, k_limit: int = K_LIMIT_DEFAULT) -> int:
    """HRD's f(kLimit, N_sol): replications that must confirm a candidate solution."""
    return k_limit if n_solution <= 100 else math.ceil(k_limit * n_solution / 100)


@dataclass(frozen=True)
class StopCheck:
    """The stopping rule applied to the replications so far.

    ``stopped``: the rule stops at ``n_stop`` replications (N_sol + look-ahead, at most the
    replications given); ``n_solution``: the candidate N_sol (None while there is none);
    ``needed``: replications to add before the rule can stop (0 when stopped);
    ``precision``: per replication count n = 1, 2, …, the worst relative half-width over the
    KPIs (NaN below 2 replications; 0 for a KPI within its absolute tolerance)."""

    stopped: bool
    n_solution: int | None
    n_stop: int | None
    needed: int
    precision: list[float]


def relative_precision(values: Sequence[float], confidence: float = 0.95,
                       abs_tol: float = 0.0) -> np.ndarray:
    """Relative half-width d_n after each n = 1 … len(values) replications of one KPI
    (NaN values skipped; NaN while fewer than 2 values). d_n is 0 when the half-width is
    at most ``abs_tol`` (so a KPI that is always 0 is precise) and infinite when the mean
    is 0 but the half-width is not."""

    x = np.asarray(values, dtype=float)
    ok = ~np.isnan(x)
    k = np.cumsum(ok)
    s1 = np.cumsum(np.where(ok, x, 0.0))
    s2 = np.cumsum(np.where(ok, x * x, 0.0))
    out = np.full(len(x), np.nan)
    enough = k >= 2
    if not enough.any():
        return out
    kk = k[enough].astype(float)
    mean = s1[enough] / kk
    var = np.clip((s2[enough] - kk * mean * mean) / (kk - 1), 0.0, None)
    hw = t_quantile((1 + confidence) / 2, kk - 1) * np.sqrt(var / kk)
    hw = np.where(hw <= np.maximum(abs_tol, 1e-12 * np.abs(mean)), 0.0, hw)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(hw == 0, 0.0, hw / np.abs(mean))
    out[enough] = d
    return out


def stopping_rule(values, precision: float = PRECISION_DEFAULT, confidence: float = 0.95,
                  min_reps: int = MIN_REPS_DEFAULT, k_limit: int = K_LIMIT_DEFAULT,
                  abs_tol: float | Sequence[float] = 0.0) -> StopCheck:
    """Apply the HRD stopping rule to ``values``: one value per replication (in order),
    or a 2-D array with one column per KPI (every KPI must be within ``precision``).
    ``abs_tol`` is the absolute tolerance of each KPI (one number, or one per column);
    a column is left out at every n before its first value (NaN: no value)."""
    if not 0 < precision:
        raise ValueError(f"precision must be > 0 (got {precision!r})")
    if min_reps < 2:
        raise ValueError(f"min_reps must be >= 2 (got {min_reps!r})")
    if k_limit < 1:
        raise ValueError(f"k_limit must be >= 1 (got {k_limit!r})")
    x = np.asarray(values, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n = x.shape[0]
    tols = np.broadcast_to(np.asarray(abs_tol, dtype=float), (x.shape[1],))
    if x.shape[1]:
        d = np.vstack([relative_precision(x[:, j], confidence, tols[j]) for j in range(x.shape[1])])
        # a KPI without any value in the first n replications is left out at n (decided on
        # the prefix only, so the stopping point never depends on replications after it)
        seen = (np.cumsum(~np.isnan(x), axis=0) > 0).T
        d = np.where(seen, d, 0.0)
        worst = np.where(np.isnan(d).any(axis=0), np.nan, d.max(axis=0))
    else:
        worst = np.zeros(n)
    within = np.nan_to_num(worst, nan=np.inf) <= precision
    candidate = None
    for i in range(min_reps - 1, n):  # i + 1 replications
        if not within[i]:
            candidate = None
            continue
        if candidate is None:
            candidate = i + 1
        if i + 1 == candidate + look_ahead(candidate, k_limit):
            return StopCheck(True, candidate, i + 1, 0, worst.tolist())
    if candidate is None:
        needed = max(1, min_reps - n)
    else:
        needed = candidate + look_ahead(candidate, k_limit) - n
    return StopCheck(False, candidate, None, needed, worst.tolist())


def kpi_row(result, kpis: Sequence[tuple[str, str]]) -> list[float]:
    """The values of the (kpi, group) pairs ``kpis`` in one replication's ``result.kpis``
    (a hall or an issuance replication), NaN when absent."""
    k = result.kpis
    values = dict(zip(zip(k["kpi"], k["group"]), k["value"]))
    return [float(values.get(key, math.nan)) for key in kpis]


def run_until(run_batch: Callable[[int, int], list], row: Callable[[Any], Sequence[float]],
              abs_tols: Sequence[float], confidence: float, precision: float = PRECISION_DEFAULT,
              min_reps: int = MIN_REPS_DEFAULT, cap: int = CAP_DEFAULT, k_limit: int = K_LIMIT_DEFAULT,
              batch_floor: int = 1) -> tuple[list, dict]:
    """The HRD loop for any model: ``run_batch(first, size)`` runs replications
    ``first … first + size - 1`` and returns their results in order; ``row(result)`` gives
    the tracked KPI values of one (NaN when absent), with ``abs_tols`` the absolute
    tolerance of each. Batches are at least ``batch_floor`` (a job per worker) and grow by
    a quarter; the stopping point is decided on replications 0, 1, 2, … in order and the
    results past it are dropped, so it never depends on the batch sizes. Returns the
    results kept and the ``meta`` of :func:`replicate_until` (without ``kpis``)."""
    if cap < 1:
        raise ValueError(f"cap must be >= 1 (got {cap!r})")
    if min_reps < 2:
        raise ValueError(f"min_reps must be >= 2 (got {min_reps!r})")
    done: list = []
    rows: list[list[float]] = []
    size = min(cap, max(min_reps, batch_floor))
    while True:
        out = run_batch(len(done), size)
        done += out
        rows += [list(row(r)) for r in out]
        n = len(done)
        check = stopping_rule(np.array(rows, dtype=float), precision, confidence, min_reps, k_limit, abs_tols)
        if check.stopped or n >= cap:
            used = check.n_stop if check.stopped else cap
            break
        size = min(cap - n, max(check.needed, batch_floor, math.ceil(n / 4)))
    info = {
        "reps": AUTO,
        "method": "Hoad, Robinson & Davies (2010)",
        "precision": precision,
        "min_reps": min_reps,
        "k_limit": k_limit,
        "cap": cap,
        "cap_reached": not check.stopped,
        "reps_solution": check.n_solution if check.stopped else None,
        "reps_used": used,
        "achieved": _achieved(check, used),
    }
    return done[:used], info


def _run_until(scenarios: list[Scenario], seed: int, precision: float, kpis, min_reps: int, cap: int,
               k_limit: int, workers: int | None, scheduler, progress, tables: bool):
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    check_comparison_memory(scenarios, cap, tables, workers, scheduler)  # the most it may run
    kpis = tuple(tuple(k) for k in kpis)
    tols = [tolerance(kpi) for _ in scenarios for kpi, _g in kpis]

    def run_batch(n0: int, size: int) -> list[tuple[ReplicationResult, ...]]:
        jobs = [Job(s, seed, r, tables) for s in scenarios for r in range(n0, n0 + size)]

        def tick(d: int, t: int) -> None:
            progress(n0 + d // len(scenarios), n0 + size)

        out = run_jobs(jobs, workers=workers, scheduler=scheduler, progress=tick if progress else None)
        return [tuple(out[i * size + r] for i in range(len(scenarios))) for r in range(size)]

    def row(bundle) -> list[float]:
        return [v for result in bundle for v in kpi_row(result, kpis)]

    batch_floor = default_workers() if workers is None else workers
    bundles, info = run_until(run_batch, row, tols, scenarios[0].sla.confidence, precision, min_reps, cap,
                              k_limit, batch_floor)
    info = {**info, "kpis": [f"{k}/{g}" for k, g in kpis]}
    return [[b[i] for b in bundles] for i in range(len(scenarios))], info


def _achieved(check: StopCheck, used: int) -> float | None:
    value = check.precision[used - 1] if used >= 1 else math.nan
    return None if not math.isfinite(value) else round(float(value), 6)


def replicate_until(scenario: Scenario, seed: int = 0, precision: float = PRECISION_DEFAULT,
                    kpis: Sequence[tuple[str, str]] = DEFAULT_KPIS, min_reps: int = MIN_REPS_DEFAULT,
                    cap: int = CAP_DEFAULT, k_limit: int = K_LIMIT_DEFAULT, workers: int | None = 1,
                    scheduler=None, progress: Callable[[int, int], None] | None = None,
                    tables: bool = True) -> SimulationResult:
    """Simulate ``scenario`` under ``seed`` until the ``kpis`` (kpi, group) have interval
    half-widths within ``precision`` of their means (see the module doc), at most ``cap``
    replications. ``workers``/``scheduler`` as :func:`sim.simulate`; ``progress(done,
    planned)`` after each replication. The result's ``meta`` says how many replications
    were used (``reps_used``), HRD's N_sol (``reps_solution``), whether the cap was
    reached (``cap_reached``) and the worst relative half-width reached (``achieved``)."""
    start = time.perf_counter()
    (results,), info = _run_until([scenario], seed, precision, kpis, min_reps, cap, k_limit, workers, scheduler,
                                  progress, tables)
    result = combine(scenario, seed, results, time.perf_counter() - start)
    return replace(result, meta={**result.meta, **info})


def compare_until(scenarios: Sequence[Scenario], names: Sequence[str] | None = None, seed: int = 0,
                  precision: float = PRECISION_DEFAULT, kpis: Sequence[tuple[str, str]] = DEFAULT_KPIS,
                  min_reps: int = MIN_REPS_DEFAULT, cap: int = CAP_DEFAULT, k_limit: int = K_LIMIT_DEFAULT,
                  workers: int | None = 1, scheduler=None, progress: Callable[[int, int], None] | None = None,
                  tables: bool = False):
    """:func:`sim.compare` with the number of replications chosen by the rule of
    :func:`replicate_until`, applied to every scenario on common random numbers (each
    scenario's KPIs must reach the precision). Returns ``(comparison, meta)``; the
    replications run to decide the number are the ones compared (none is run twice)."""
    from sim.experiments.compare import comparison_of

    scenarios = list(scenarios)
    if len(scenarios) < 2:
        raise ValueError(f"compare needs at least 2 scenarios (got {len(scenarios)})")
    names = list(names) if names is not None else [s.hall.name for s in scenarios]
    start = time.perf_counter()
    runs, info = _run_until(scenarios, seed, precision, kpis, min_reps, cap, k_limit, workers, scheduler,
                            progress, tables)
    cmp = comparison_of(scenarios, names, seed, runs, time.perf_counter() - start)
    return replace(cmp, meta={**cmp.meta, "reps_auto": info}), info
