"""Card issuance over working days: replications, KPIs with intervals, SLA verdicts, and
the daily production capacity needed to meet the targets.

``simulate_issuance(scenario, seed=0)`` runs the day-by-day pipeline model of
:mod:`sim.issuance_model` on the scenario's ``issuance`` section for ``reps``
replications. Replication *r* under a seed uses named streams (:mod:`sim.streams`) that
depend on nothing else, so results are identical serially, in a process pool
(``workers``) and on Dask (``scheduler``), and two capacities share their random numbers
(common random numbers), which :func:`capacity_needed` uses to bisect on capacity.

:func:`collect_demand` and :func:`hall_overrides` turn the collection visits into the
hall model's ``collect`` demand on a given date.
"""

from __future__ import annotations

import datetime as _dt
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from sim.experiments.executors import default_workers, run_jobs
from sim.scenario.issuance import IssuanceConfig
from sim.issuance.kpis import issuance_kpis, issuance_targets
from sim.issuance.model import (APPLICATION_COLUMNS, DAILY_COLUMNS, PIPELINE_ROUTES, application_columns,
                             capacity_per_day, check_conservation, daily_columns, draw_applications, order_days,
                             run_pipeline)
from sim.experiments.replications import AUTO, CAP_DEFAULT, PRECISION_DEFAULT, kpi_row, run_until, tolerance
from sim.scenario.schema import Scenario
from sim.model.streams import Streams
from sim.results.summary import judge_sla, summarise
from sim.scenario.workdays import WorkCalendar

__all__ = ["IssuanceResult", "IssuanceReplication", "simulate_issuance", "run_issuance_replication", "tracked_kpis",
           "capacity_needed", "collect_demand", "hall_overrides", "collection_overrides", "CAPACITY_COLUMNS", "COLLECT_COLUMNS",
           "MissingIssuanceError"]

CAPACITY_COLUMNS = {
    "target": "SLA target (issuance.sla field), or 'all' for every target at once",
    "label": "the target in words",
    "cards_per_day": "smallest daily capacity (cards per working day) whose verdict is 'met' (NaN: not reachable)",
    "mean": "the judged KPI's mean at that capacity",
    "ci_high": "upper end of its interval",
    "current": "the scenario's production.cards_per_day",
    "note": "why no capacity is given, when it is not",
}
"""Columns of the capacity-needed table."""

COLLECT_COLUMNS = {
    "date": "calendar date (a working day)",
    "weekday": "mon … sun",
    "collect_visits": "collection visits to halls that day (mean over the replications used)",
}
"""Columns of :func:`collect_demand`."""


class MissingIssuanceError(ValueError):
    """The scenario has no ``issuance`` section."""


@dataclass(frozen=True)
class IssuanceReplication:
    """One replication: its ``applications`` and ``daily`` tables (None when run without
    tables) and ``kpis`` rows."""

    replication: int
    applications: pd.DataFrame | None
    daily: pd.DataFrame | None
    kpis: pd.DataFrame


@dataclass(frozen=True)
class IssuanceResult:
    """What :func:`simulate_issuance` returns. ``applications`` (one row per application,
    :data:`sim.issuance_model.APPLICATION_COLUMNS`) and ``daily`` (one row per working day,
    :data:`sim.issuance_model.DAILY_COLUMNS`) hold every replication; ``kpis`` one row per
    (replication, kpi, group); ``summary`` the interval of each KPI; ``sla`` the verdicts
    (:data:`sim.summary.SLA_COLUMNS`); ``capacity`` the capacity needed
    (:data:`CAPACITY_COLUMNS`; None when not searched)."""

    scenario: Scenario
    seed: int
    reps: int
    days: int
    applications: pd.DataFrame
    daily: pd.DataFrame
    kpis: pd.DataFrame
    summary: pd.DataFrame
    sla: pd.DataFrame
    capacity: pd.DataFrame | None = None
    seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    def kpi(self, kpi: str, group: str = "all"):
        """The estimate of one KPI across replications (a :class:`sim.experiment.KpiEstimate`)."""
        from sim.experiments.simulation import KpiEstimate

        hit = self.summary[(self.summary["kpi"] == kpi) & (self.summary["group"] == group)]
        if hit.empty:
            raise KeyError(f"no KPI {kpi!r} for group {group!r}")
        r = hit.iloc[0]
        return KpiEstimate(float(r["mean"]), float(r["ci_low"]), float(r["ci_high"]), float(r["half_width"]), int(r["n"]))


# ------------------------------------------------------------------ one replication
def _config(scenario: Scenario) -> IssuanceConfig:
    if scenario.issuance is None:
        raise MissingIssuanceError("the scenario has no 'issuance' section (see the README, "
                                   "'Card issuance over working days')")
    return scenario.issuance


def _days(scenario: Scenario, days: int | None) -> int:
    days = _config(scenario).days if days is None else days
    if days < 1:
        raise ValueError(f"days must be >= 1 (got {days})")
    return days


def day_table(scenario: Scenario, days: int | None = None) -> pd.DataFrame:
    """The working days of the run (:data:`sim.workdays.DAY_COLUMNS`): ``days`` application
    days plus ``drain_days``, from the first working day on or after the start date.
    Raises :class:`sim.workdays.CalendarError` naming ``issuance.start_date`` when the
    calendar does not cover them."""
    iss = _config(scenario)
    start = iss.start_date or scenario.run.start_date
    cal = WorkCalendar(iss.extra_closed, field="issuance.start_date" if iss.start_date else "run.start_date")
    return cal.day_table(start, _days(scenario, days) + iss.drain_days)


@dataclass(frozen=True)
class _Task:
    scenario: Scenario
    seed: int
    replication: int
    days: int
    table: dict[str, np.ndarray]  # the columns of day_table()
    cards_per_day: int
    tables: bool


def _run_task(task: _Task) -> IssuanceReplication:
    iss = _config(task.scenario)
    streams = Streams(task.seed, task.replication)
    table = task.table
    orders = order_days(iss, table, task.days)
    apps = draw_applications(task.scenario, iss, streams, task.days, len(table["day"]), orders)
    cap = capacity_per_day(iss, list(table["date"]), apps.breakdown, task.cards_per_day)
    days = run_pipeline(iss, apps, cap)
    daily = daily_columns(task.replication, table, apps, days, cap)
    check_conservation(apps, days, daily)
    columns = application_columns(task.replication, iss, table, apps, days, with_dates=task.tables)
    kpis = issuance_kpis(task.replication, iss, columns, daily, task.days)
    if not task.tables:
        return IssuanceReplication(task.replication, None, None, kpis)
    return IssuanceReplication(task.replication, pd.DataFrame(columns, columns=list(APPLICATION_COLUMNS)),
                               pd.DataFrame(daily, columns=list(DAILY_COLUMNS)), kpis)


def run_issuance_replication(scenario: Scenario, seed: int, replication: int, days: int | None = None,
                             cards_per_day: int | None = None) -> IssuanceReplication:
    """Replication ``replication`` under ``seed`` (``cards_per_day`` overrides the capacity)."""
    days = _days(scenario, days)
    cap = _config(scenario).production.cards_per_day if cards_per_day is None else cards_per_day
    table = day_table(scenario, days)
    return _run_task(_Task(scenario, seed, replication, days, {c: table[c].to_numpy() for c in table.columns}, cap, True))


def _run_tasks(tasks: Sequence[_Task], workers: int | None, scheduler: Any,
               progress: Callable[[int, int], None] | None) -> list[IssuanceReplication]:
    """Run ``tasks`` in this process (``workers=1``), a process pool, or on Dask; results in task order."""
    return run_jobs(tasks, workers=workers, scheduler=scheduler, progress=progress, fn=_run_task)


def _evaluate(scenario: Scenario, seed: int, reps: int, days: int, table: pd.DataFrame, cards_per_day: int,
              tables: bool, workers, scheduler, progress=None
              ) -> tuple[list[IssuanceReplication], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    columns = {c: table[c].to_numpy() for c in table.columns}
    tasks = [_Task(scenario, seed, r, days, columns, cards_per_day, tables) for r in range(reps)]
    done = _run_tasks(tasks, workers, scheduler, progress)
    return (done, *_summarised(scenario, done))


def _summarised(scenario: Scenario, done: Sequence[IssuanceReplication]
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(kpis, summary, sla) of the replications ``done``."""
    kpis = pd.concat([d.kpis for d in done], ignore_index=True)
    summary = summarise(kpis, scenario.sla.confidence)
    limits, targets = issuance_targets(_config(scenario))
    return kpis, summary, judge_sla(limits, summary, targets)


def tracked_kpis(iss: IssuanceConfig) -> list[tuple[str, str]]:
    """The (kpi, group) pairs whose precision decides ``reps="auto"``: the mean cycle of
    each pipeline route present, then the KPI of every judged SLA target."""
    out = [("cycle_mean_days", f"route:{r}") for r in PIPELINE_ROUTES if getattr(iss, r) is not None]
    _limits, targets = issuance_targets(iss)
    out += [(k, g) for k, g, _label in targets.values() if (k, g) not in out]
    return out


def _until(scenario: Scenario, seed: int, days: int, table: pd.DataFrame, precision: float, max_reps: int,
           workers, scheduler, progress) -> tuple[list[IssuanceReplication], dict]:
    """Replications 0, 1, 2, … until :func:`tracked_kpis` reach ``precision`` (HRD)."""
    iss = _config(scenario)
    columns = {c: table[c].to_numpy() for c in table.columns}
    kpis = tracked_kpis(iss)

    def run_batch(n0: int, size: int) -> list[IssuanceReplication]:
        tasks = [_Task(scenario, seed, r, days, columns, iss.production.cards_per_day, True)
                 for r in range(n0, n0 + size)]

        def tick(d: int, _t: int) -> None:
            progress(n0 + d, n0 + size)

        return _run_tasks(tasks, workers, scheduler, tick if progress else None)

    tols = [tolerance(kpi) for kpi, _g in kpis]
    floor = default_workers() if workers is None else workers  # as sim.precision: a job per worker
    done, info = run_until(run_batch, lambda rep: kpi_row(rep, kpis), tols, scenario.sla.confidence, precision, cap=max_reps,
                           batch_floor=floor)
    return done, {**info, "kpis": [f"{k}/{g}" for k, g in kpis]}


# ------------------------------------------------------------------ capacity needed
def capacity_needed(scenario: Scenario, seed: int = 0, reps: int | None = None, days: int | None = None,
                    workers: int | None = 1, scheduler=None, upper: int | None = None,
                    progress: Callable[[int, int], None] | None = None, done_before: int = 0) -> pd.DataFrame:
    """The smallest daily capacity (cards per working day) at which each SLA target — and
    all of them together (``target`` 'all') — is **met** (its whole interval within the
    limit), found by bisection over capacity on common random numbers (the same seed and
    replications at every capacity). ``upper`` bounds the search (default: twice the
    largest number of cards reaching the centre on one day, plus one); a target not met
    even there is reported with NaN and a note. ``progress(done, total)`` counts the
    replications run so far (``done_before`` of them before the search); the total grows
    with each capacity tried. Columns: :data:`CAPACITY_COLUMNS`."""
    iss = _config(scenario)
    reps = _reps(scenario, reps)
    days = _days(scenario, days)
    table = day_table(scenario, days)
    limits, targets = issuance_targets(iss)
    cache: dict[int, pd.DataFrame] = {}

    def sla_at(c: int) -> pd.DataFrame:
        if c not in cache:
            before = done_before + reps * len(cache)
            step = (lambda d, n: progress(before + d, before + n)) if progress else None
            cache[c] = _evaluate(scenario, seed, reps, days, table, c, False, workers, scheduler, step)[3]
        return cache[c]

    current = iss.production.cards_per_day
    if upper is None:
        upper = _upper_bound([run_issuance_replication(scenario, seed, r, days).applications for r in range(reps)])

    def met(c: int, target: str) -> bool:
        sla = sla_at(c)
        verdicts = sla["verdict"] if target == "all" else sla.loc[sla["target"] == target, "verdict"]
        return bool(len(verdicts)) and bool((verdicts == "met").all())

    def smallest(target: str, lo: int) -> int:
        """Smallest c in (lo, upper] with met(c, target); met(upper, target) holds."""
        hi = upper
        if lo < current < hi:
            lo, hi = (lo, current) if met(current, target) else (current, hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if met(mid, target) else (mid, hi)
        return hi

    rows, found = [], []
    for target in [*targets, "all"] if targets else []:
        label = "every target" if target == "all" else targets[target][2].format(v=getattr(limits, target))
        if not met(upper, target):
            rows.append((target, label, math.nan, math.nan, math.nan, current,
                         f"not met even at {upper} cards per working day: the fixed intake and distribution days, "
                         f"cuts or breakdowns alone break the target"))
            continue
        # every target is met at or above its own smallest capacity, so 'all' starts from their largest
        c = smallest(target, max(found) - 1 if target == "all" and found else -1)
        found.append(c)
        sla = sla_at(c)
        judged = sla if target == "all" else sla[sla["target"] == target]
        worst = judged.loc[judged["ci_high"].fillna(judged["mean"]).idxmax()]
        rows.append((target, label, float(c), float(worst["mean"]), float(worst["ci_high"]), current, ""))
    return pd.DataFrame.from_records(rows, columns=list(CAPACITY_COLUMNS))


def _upper_bound(applications: Sequence[pd.DataFrame]) -> int:
    """Twice the most pipeline cards reaching the centre on one day, plus one: a capacity
    at which no card waits for long except through breakdowns and cuts."""
    peak = 0
    for apps in applications:
        pipe = apps[apps["route"] != "on_the_spot"]
        if len(pipe):
            peak = max(peak, int(pipe.groupby("replication")["centre_day"].value_counts().max()))
    return 2 * peak + 1


# ------------------------------------------------------------------ simulate
def _reps(scenario: Scenario, reps: int | None) -> int:
    iss = _config(scenario)
    reps = reps if reps is not None else (iss.replications or scenario.run.replications)
    if not isinstance(reps, int) or isinstance(reps, bool) or reps < 1:
        raise ValueError(f"reps must be a whole number >= 1 or 'auto' (got {reps!r})")
    return reps


def simulate_issuance(scenario: Scenario, seed: int = 0, reps: int | str | None = None, days: int | None = None,
                      workers: int | None = 1, scheduler=None, progress: Callable[[int, int], None] | None = None,
                      capacity_search: bool = True, precision: float = PRECISION_DEFAULT,
                      max_reps: int = CAP_DEFAULT) -> IssuanceResult:
    """Run ``reps`` replications (default ``issuance.replications``, else
    ``run.replications``) of ``days`` application days (default ``issuance.days``) under
    ``seed``; with ``capacity_search`` also bisect for the capacity needed
    (:func:`capacity_needed`, on as many replications). ``workers``/``scheduler`` as in
    :func:`sim.simulate`.

    ``reps="auto"`` adds replications until the :func:`tracked_kpis` have interval
    half-widths within ``precision`` of their means (Hoad, Robinson & Davies; see
    :func:`sim.precision.run_until`), at most ``max_reps``; ``meta["reps_auto"]`` says how
    many were used.

    Raises :class:`MissingIssuanceError` without an ``issuance`` section and
    :class:`sim.workdays.CalendarError` when the working-day calendar does not cover the run.
    """
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    iss = _config(scenario)
    auto = None
    if reps == AUTO:
        if not 0 < precision < 1:
            raise ValueError(f"precision must be between 0 and 1 (got {precision!r})")
        if max_reps < 3:
            raise ValueError(f"max_reps must be >= 3 (got {max_reps!r})")
    else:
        reps = _reps(scenario, reps)
    days = _days(scenario, days)
    start = time.perf_counter()
    table = day_table(scenario, days)
    if reps == AUTO:
        done, auto = _until(scenario, seed, days, table, precision, max_reps, workers, scheduler, progress)
        reps = len(done)
        kpis, summary, sla = _summarised(scenario, done)
    else:
        done, kpis, summary, sla = _evaluate(scenario, seed, reps, days, table, iss.production.cards_per_day, True,
                                             workers, scheduler, progress)
    capacity = None
    if capacity_search:
        upper = _upper_bound([d.applications for d in done])
        capacity = capacity_needed(scenario, seed, reps, days, workers, scheduler, upper=upper, progress=progress,
                                   done_before=reps)
    applications = pd.concat([d.applications for d in done], ignore_index=True)
    daily = pd.concat([d.daily for d in done], ignore_index=True)
    meta = {"first_date": str(table["date"].iloc[0]), "last_date": str(table["date"].iloc[-1]),
            "application_days": days, "drain_days": iss.drain_days, **({"reps_auto": auto} if auto else {})}
    return IssuanceResult(scenario, seed, reps, days, applications, daily, kpis, summary, sla, capacity,
                          time.perf_counter() - start, meta)


# ------------------------------------------------------------------ hall demand
def collect_demand(result: IssuanceResult, replication: int | None = None) -> pd.DataFrame:
    """Collection visits to halls per working day (:data:`COLLECT_COLUMNS`): of one
    ``replication``, or the mean over all replications (None)."""
    daily = result.daily
    if replication is not None:
        if replication not in set(daily["replication"]):
            raise ValueError(f"replication: no replication {replication} (0 … {result.reps - 1})")
        daily = daily[daily["replication"] == replication]
    out = daily.groupby(["date", "weekday"], sort=True, observed=True)["collect_visits"].mean().reset_index()
    return out[list(COLLECT_COLUMNS)]


def _collect_expected(visits: float, mode: str, service: str, own: dict[str, float]) -> float:
    """The expected ``service`` arrivals of a day whose own expected arrivals are ``own``
    (:func:`sim.arrivals.expected_by_service`): ``visits`` (``replace``) or the hall's own
    plus ``visits`` (``add``)."""
    return float(visits) + (own.get(service, 0.0) if mode == "add" else 0.0)


def _check_collect_args(scenario: Scenario, mode: str, service: str) -> None:
    if mode not in ("replace", "add"):
        raise ValueError(f"mode: must be 'replace' or 'add' (got {mode!r})")
    if service not in scenario.services:
        raise ValueError(f"service: the scenario has no service {service!r}")
    if scenario.demand.visitors_per_day is None:
        raise ValueError("demand.visitors_per_day: needed to scale the hall's demand")


def hall_overrides(scenario: Scenario, date: _dt.date, collect_visits: float, mode: str = "replace",
                   service: str = "collect") -> dict[str, Any]:
    """Overrides (for :func:`sim.with_overrides`) that make the hall model simulate the one
    opening day ``date`` with ``collect_visits`` expected ``service`` arrivals: ``replace``
    sets the expected collect arrivals to that number, ``add`` adds it to the hall's own;
    the expected arrivals of every other service stay as they were (``demand.by_date``).
    The day is judged on the Chinese public calendar, as issuance is (for an adjusted
    working weekend day the overrides set ``run.calendar: chinese``): the hall must be
    open that day — not a statutory holiday nor one of ``run.closed_dates``, and open on
    its weekday, or on ``run.adjusted_workday_as`` for an adjusted working weekend day
    (调休上班)."""
    from sim.scenario.days import expected_by_service, hall_calendar, opening_weekday

    _check_collect_args(scenario, mode, service)
    if collect_visits < 0:
        raise ValueError(f"collect_visits: must be >= 0 (got {collect_visits})")
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[date.weekday()]
    calendar = hall_calendar(scenario, "chinese")
    as_wd = opening_weekday(scenario, date, calendar)
    if as_wd is None or scenario.demand.weekday_factors.get(as_wd, 1.0) <= 0:
        raise ValueError(f"date: the hall is closed on {date.isoformat()} ({weekday}: a public holiday, a closed "
                         f"date, no opening hours or weekday factor 0), so its collect demand cannot be simulated "
                         f"on that day")
    own = expected_by_service(scenario, scenario.demand.weekday_factors.get(as_wd, 1.0))
    expected = _collect_expected(collect_visits, mode, service, own)
    if expected + sum(v for k, v in own.items() if k != service) <= 0:
        raise ValueError("collect_visits: the day would have no visitors at all")
    # the public calendar is needed only to open an adjusted working weekend day; otherwise the
    # day is the same under either calendar, and a hall closed on adjusted_workday_as stays valid
    adjusted = calendar.day_kind(date) == "adjusted"
    return {"run.start_date": date.isoformat(), "run.days": 1, "run.calendar": "chinese" if adjusted else "weekdays",
            "demand.by_date": {date.isoformat(): {service: expected}}}


def collection_overrides(scenario: Scenario, result: IssuanceResult, replication: int | None = None,
                         mode: str = "replace", service: str = "collect", start: _dt.date | None = None,
                         days: int | None = None) -> dict[str, Any]:
    """Overrides that make the hall model run over the issuance period day by day, with the
    collection visits of :func:`collect_demand` (``replication``, or the mean) as each
    day's expected ``service`` arrivals (``mode`` as in :func:`hall_overrides`), on the
    Chinese public calendar (``run.calendar: chinese``). The run covers the hall's opening
    days from ``start`` (default: the first day of the issuance run) — ``days`` of them
    (default: all opening days up to the last day of the issuance run). Collection visits
    on a day the hall does not open (one of its ``run.closed_dates``) are not simulated."""
    from sim.scenario.days import expected_by_service, hall_calendar, opening_weekday

    _check_collect_args(scenario, mode, service)
    demand = collect_demand(result, replication)
    visits = dict(zip(demand["date"], demand["collect_visits"]))
    first, last = min(visits), max(visits)
    start = first if start is None else start
    calendar = hall_calendar(scenario, "chinese")
    open_days: list[tuple[_dt.date, str]] = []
    date = start
    while date <= last and (days is None or len(open_days) < days):
        as_wd = opening_weekday(scenario, date, calendar)
        if as_wd is not None:
            open_days.append((date, as_wd))
        date += _dt.timedelta(days=1)
    if not open_days:
        raise ValueError(f"start: the hall opens on no day from {start.isoformat()} to {last.isoformat()}")
    if days is not None and len(open_days) < days:
        raise ValueError(f"days: the issuance run covers only {len(open_days)} opening days of the hall from "
                         f"{start.isoformat()} (got {days})")
    factors = scenario.demand.weekday_factors
    by_date = {d.isoformat(): {service: _collect_expected(visits.get(d, 0.0), mode, service,
                                                          expected_by_service(scenario, factors.get(wd, 1.0)))}
               for d, wd in open_days}
    return {"run.calendar": "chinese", "run.start_date": start.isoformat(), "run.days": len(open_days),
            "demand.by_date": by_date}
