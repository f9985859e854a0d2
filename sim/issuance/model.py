"""One replication of card issuance over working days: a day-by-day pipeline model.

Time is the working-day number ``t`` (0 = the first working day on or after the start
date; see :mod:`sim.workdays`); a duration of *n* working days is a difference of *n* in
``t``. Applications arrive on days ``0 … days-1``; the model then runs ``drain_days``
more days without new applications, ``T = days + drain_days`` days in all.

An application of a pipeline route (batch, sporadic) made on day ``a``:

1. reaches the card centre on ``a + intake_days`` and waits there (the backlog);
2. is made on the first day ``p`` the centre's capacity reaches it — ``fifo``: in order of
   arrival at the centre; ``priority``: urgent sporadic, then sporadic, then batch, each
   in arrival order. A day's capacity is ``cards_per_day`` × the factor of any capacity
   cut, and 0 on a breakdown day; capacity not used on a day is lost;
3. reaches the outlet on ``r = p + distribution_days``: the card is **ready**; its
   issuance cycle is ``r - a`` working days;
4. is collected on the holder's visit (see :class:`sim.issuance_config.Collection`);
   visits before ``r`` find no card (wasted) and come back ``retry_days`` later.

On-the-spot applications are made and collected on the day (cycle 0) and never enter the
pipeline. At the end of day ``T-1`` every application is in exactly one state
(:data:`STATES`); :class:`IssuanceConservationError` is raised otherwise.

Randomness comes from named streams (:mod:`sim.streams`) drawn before the pipeline runs,
so capacity and discipline never change the applications or the holders' behaviour:
common random numbers across capacities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.scenario.issuance import IssuanceConfig, hall_rate
from sim.model.streams import Streams
from sim.scenario.workdays import CalendarError

__all__ = ["ROUTES", "PIPELINE_ROUTES", "STATES", "STREAM_NAMES", "APPLICATION_COLUMNS", "DAILY_COLUMNS",
           "IssuanceConservationError", "Applications", "draw_applications", "run_pipeline", "NEVER",
           "application_columns", "daily_columns", "check_conservation", "capacity_per_day", "order_days"]

ROUTES = ("batch", "sporadic", "on_the_spot")
PIPELINE_ROUTES = ("batch", "sporadic")
STATES = ("at_centre", "in_distribution", "ready", "collected")
"""State of an application at the end of the last day: waiting at the card centre (or in
intake), made and on the way to the outlet, at the outlet uncollected, collected."""

STREAM_NAMES = ("issuance:batch_orders", "issuance:batch_size", "issuance:sporadic", "issuance:urgent",
                "issuance:on_the_spot", "issuance:breakdowns", "issuance:collects:<route>",
                "issuance:collect_delay:<route>")
"""Named streams of the issuance model (``<route>``: one per pipeline route)."""

NEVER = -1
"""Day number used for "did not happen within the run" in integer day columns."""

APPLICATION_COLUMNS = {
    "replication": "replication number (0-based)",
    "application": "application number within the replication",
    "route": "batch, sporadic or on_the_spot",
    "batch": "batch order number within the replication (-1 for other routes)",
    "urgent": "True for an urgent sporadic application",
    "applied_day": "working-day number of the application",
    "applied_date": "its calendar date",
    "centre_day": "working day the card centre receives it (applied_day + intake_days)",
    "made_day": "working day the card is made (-1: not made within the run)",
    "made_date": "its calendar date (empty when not made)",
    "ready_day": "working day the card reaches the outlet (-1: not within the run)",
    "ready_date": "its calendar date (empty when not ready)",
    "cycle_days": "ready_day - applied_day: working days from application to card ready (NaN when not ready)",
    "target_days": "the route's cycle target in working days (NaN when none)",
    "due": "True when applied_day + target_days is within the run (the target can be judged)",
    "within_target": "True when ready within target_days (False when due and not ready in time)",
    "collects": "True when the holder ever comes for the card",
    "collected_day": "working day the card is collected (-1: not within the run)",
    "collected_date": "its calendar date (empty when not collected)",
    "hall_visits": "collection visits to a hall within the run, including visits that found no card",
    "uncollected_after_year": "True when ready and the holder never comes, or comes more than seal_after_days after it was ready",
    "state": "state at the end of the run: at_centre, in_distribution, ready or collected",
}
"""Columns of the ``applications`` table (one row per application)."""

DAILY_COLUMNS = {
    "replication": "replication number",
    "day": "working-day number",
    "date": "calendar date",
    "weekday": "mon … sun",
    "adjusted": "True for a weekend day worked (调休上班)",
    "capacity": "cards the centre could make that day (after cuts and breakdowns)",
    "breakdown": "True when a failure stopped production that day",
    "made": "cards made that day",
    "applications": "applications that day, all routes",
    "applications_batch": "batch applications that day",
    "applications_sporadic": "sporadic applications that day",
    "applications_on_the_spot": "on-the-spot applications that day",
    "backlog": "pipeline applications made but not yet produced at the end of the day (incl. intake)",
    "backlog_batch": "the same, batch route",
    "backlog_sporadic": "the same, sporadic route",
    "in_distribution": "cards made, not yet at the outlet, at the end of the day",
    "ready": "cards at the outlet, not collected, at the end of the day",
    "collected": "cards collected that day (on-the-spot cards included)",
    "collect_visits": "collection visits to halls that day (the hall's 'collect' demand)",
    "wasted_visits": "of those, visits that found no card",
}
"""Columns of the ``daily`` table (one row per replication and working day)."""


class IssuanceConservationError(RuntimeError):
    """The end-of-run states do not account for every application."""


@dataclass(frozen=True)
class Applications:
    """The drawn applications of one replication, as arrays sorted by (day, route, id),
    and the drawn daily breakdowns. Days are working-day numbers."""

    route: np.ndarray       # index into ROUTES
    batch: np.ndarray
    urgent: np.ndarray
    applied: np.ndarray
    collects: np.ndarray
    delay: np.ndarray       # collection delay draw, working days
    breakdown: np.ndarray   # per day of the run


def _rate(scenario, route) -> float:
    if route.applications_per_day is not None:
        return float(route.applications_per_day)
    return hall_rate(scenario, route.hall_services)


def draw_applications(scenario, iss: IssuanceConfig, streams: Streams, days: int, total_days: int,
                      order_days: list[int]) -> Applications:
    """Draw every application of one replication (``days`` application days, ``total_days``
    in the run; ``order_days[i]`` is the working-day number of ``batch.orders[i]``)."""
    parts = []  # (route, batch, urgent, applied)
    if iss.batch is not None:
        counts = streams("issuance:batch_orders").poisson(iss.batch.batches_per_day, days)
        n = int(counts.sum())
        sizes = np.maximum(1, np.round(iss.batch.size.sample(streams("issuance:batch_size"), n))).astype(np.int64)
        order_day = np.repeat(np.arange(days), counts)
        order_day = np.concatenate([order_day, np.asarray(order_days, dtype=np.int64)])
        sizes = np.concatenate([sizes, [o.size for o in iss.batch.orders]]).astype(np.int64)
        ids = np.arange(len(sizes))
        applied = np.repeat(order_day, sizes)
        parts.append((0, np.repeat(ids, sizes), np.zeros(len(applied), bool), applied))
    if iss.sporadic is not None:
        counts = streams("issuance:sporadic").poisson(_rate(scenario, iss.sporadic), days)
        applied = np.repeat(np.arange(days), counts)
        urgent = streams("issuance:urgent").random(len(applied)) < iss.sporadic.urgent_share
        parts.append((1, np.full(len(applied), -1), urgent, applied))
    if iss.on_the_spot is not None:
        counts = streams("issuance:on_the_spot").poisson(_rate(scenario, iss.on_the_spot), days)
        applied = np.repeat(np.arange(days), counts)
        parts.append((2, np.full(len(applied), -1), np.zeros(len(applied), bool), applied))
    route = np.concatenate([np.full(len(p[3]), p[0], np.int64) for p in parts]) if parts else np.zeros(0, np.int64)
    batch = np.concatenate([p[1] for p in parts]).astype(np.int64) if parts else np.zeros(0, np.int64)
    urgent = np.concatenate([p[2] for p in parts]).astype(bool) if parts else np.zeros(0, bool)
    applied = np.concatenate([p[3] for p in parts]).astype(np.int64) if parts else np.zeros(0, np.int64)
    order = np.lexsort((np.arange(len(applied)), route, applied))
    route, batch, urgent, applied = route[order], batch[order], urgent[order], applied[order]
    collects = np.ones(len(applied), bool)
    delay = np.zeros(len(applied), np.int64)
    for k, name in enumerate(ROUTES[:2]):
        spec = getattr(iss, name)
        mask = route == k
        if spec is None or not mask.any():
            continue
        c = spec.collection
        collects[mask] = streams(f"issuance:collects:{name}").random(int(mask.sum())) < c.collect_share
        draws = c.delay_days.sample(streams(f"issuance:collect_delay:{name}"), int(mask.sum()))
        delay[mask] = np.floor(np.maximum(draws, 0.0)).astype(np.int64)
    p = iss.production.breakdown_prob
    breakdown = streams("issuance:breakdowns").random(total_days) < p if p > 0 else np.zeros(total_days, bool)
    return Applications(route, batch, urgent, applied, collects, delay, breakdown)


def capacity_per_day(iss: IssuanceConfig, dates: list, breakdown: np.ndarray, cards_per_day: int) -> np.ndarray:
    """Cards the centre can make on each day of the run (cuts and breakdowns applied)."""
    cap = np.full(len(dates), float(cards_per_day))
    for cut in iss.production.cuts:
        cap[[cut.start <= d <= cut.end for d in dates]] *= cut.factor
    cap = np.floor(cap + 1e-9).astype(np.int64)
    cap[breakdown] = 0
    return cap


def _produce(classes: list[np.ndarray], cap: np.ndarray) -> list[np.ndarray]:
    """Day each card is made. ``classes`` holds, in priority order, the centre-arrival days
    of each class's cards, sorted (FIFO within a class); returns made days (NEVER if none)."""
    total = len(cap)
    arrived = [np.cumsum(np.bincount(np.minimum(c, total), minlength=total + 1)[:total]) for c in classes]
    served = [np.zeros(total, np.int64) for _ in classes]
    done = [0] * len(classes)
    for t in range(total):
        left = int(cap[t])
        for j in range(len(classes)):
            take = min(left, int(arrived[j][t]) - done[j])
            done[j] += take
            left -= take
            served[j][t] = done[j]
    out = []
    for c, s in zip(classes, served):
        day = np.searchsorted(s, np.arange(1, len(c) + 1), side="left")
        out.append(np.where(day < total, day, NEVER).astype(np.int64))
    return out


def run_pipeline(iss: IssuanceConfig, apps: Applications, cap: np.ndarray) -> dict[str, np.ndarray]:
    """The pipeline days of every application: ``centre``, ``made``, ``ready``, ``collected``
    (NEVER when not within the run), ``hall_visits``, and the per-day counts of collection
    visits (``visits_by_day``) and wasted visits (``wasted_by_day``)."""
    total = len(cap)
    n = len(apps.applied)
    intake = np.zeros(n, np.int64)
    dist = np.zeros(n, np.int64)
    for k, name in enumerate(PIPELINE_ROUTES):
        spec = getattr(iss, name)
        if spec is not None:
            intake[apps.route == k] = spec.intake_days
            dist[apps.route == k] = spec.collection.distribution_days
    centre = apps.applied + intake
    pipe = np.flatnonzero(apps.route < 2)
    if iss.production.discipline == "priority":
        keys = [(apps.route[pipe] == 1) & apps.urgent[pipe], (apps.route[pipe] == 1) & ~apps.urgent[pipe],
                apps.route[pipe] == 0]
    else:
        keys = [np.ones(len(pipe), bool)]
    made = np.full(n, NEVER, np.int64)
    members = []
    for key in keys:
        idx = pipe[key]
        idx = idx[np.lexsort((idx, centre[idx]))]
        members.append(idx)
    for idx, days in zip(members, _produce([centre[i] for i in members], cap)):
        made[idx] = days
    spot = apps.route == 2
    made[spot] = apps.applied[spot]
    ready = np.where(made >= 0, made + dist, NEVER)
    ready[ready >= total] = NEVER

    # collection
    collected = np.full(n, NEVER, np.int64)
    collected[spot] = apps.applied[spot]
    hall_visits = np.zeros(n, np.int64)
    visits_by_day = np.zeros(total, np.int64)
    wasted_by_day = np.zeros(total, np.int64)
    big = np.iinfo(np.int64).max // 4
    for k, name in enumerate(PIPELINE_ROUTES):
        spec = getattr(iss, name)
        mask = (apps.route == k) & apps.collects
        if spec is None or not mask.any():
            continue
        c = spec.collection
        r = np.where(ready[mask] >= 0, ready[mask], big)
        if c.notified:
            first = np.where(r < big, r + apps.delay[mask], big)
            wasted = np.zeros(mask.sum(), np.int64)
        else:
            after = iss.sla.collect_after_days or 0
            first = apps.applied[mask] + after + apps.delay[mask]
            wasted = np.where(r > first, -((first - r) // c.retry_days), 0)  # ceil((r - first) / retry)
        day = first + wasted * c.retry_days
        got = np.where(day < total, day, NEVER)
        collected[mask] = got
        # visits within the run: the wasted ones before the card is there, then the collecting one
        slots = np.where(first <= total - 1, (total - 1 - np.minimum(first, total)) // c.retry_days + 1, 0)
        in_run_wasted = np.minimum(wasted, slots)
        if c.at_hall:
            hall_visits[mask] = in_run_wasted + (got >= 0)
            for i in range(int(in_run_wasted.max(initial=0))):
                d = first[in_run_wasted > i] + i * c.retry_days
                np.add.at(wasted_by_day, d, 1)
            np.add.at(visits_by_day, got[got >= 0], 1)
    visits_by_day += wasted_by_day
    return {"centre": centre, "made": made, "ready": ready, "collected": collected, "hall_visits": hall_visits,
            "visits_by_day": visits_by_day, "wasted_by_day": wasted_by_day}


def states_at_end(apps: Applications, days: dict[str, np.ndarray]) -> np.ndarray:
    """The state of each application after the last day (indices into :data:`STATES`)."""
    state = np.zeros(len(apps.applied), np.int64)
    state[days["made"] >= 0] = 1
    state[days["ready"] >= 0] = 2
    state[days["collected"] >= 0] = 3
    return state


def check_conservation(apps: Applications, days: dict[str, np.ndarray], daily: pd.DataFrame) -> None:
    """Raise :class:`IssuanceConservationError` unless every application is in exactly one
    end state and the daily stocks add up: applications = backlog + in distribution +
    ready + collected, on the last day and on every day."""
    n = len(apps.applied)
    made, ready, coll = days["made"], days["ready"], days["collected"]
    order_ok = (((made < 0) | (made >= days["centre"])) & ((ready < 0) | (ready >= made))
                & ((coll < 0) | ((ready >= 0) & (coll >= ready))))
    if not order_ok.all():
        bad = int(np.flatnonzero(~order_ok)[0])
        raise IssuanceConservationError(f"application {bad}: events out of order "
                                        f"(centre {days['centre'][bad]}, made {made[bad]}, ready {ready[bad]}, "
                                        f"collected {coll[bad]})")
    stock = daily["backlog"] + daily["in_distribution"] + daily["ready"] + np.cumsum(daily["collected"])
    if not (stock == np.cumsum(daily["applications"])).all():
        raise IssuanceConservationError("daily stocks (backlog + in distribution + ready + collected) "
                                        "differ from the applications so far")
    counts = np.bincount(states_at_end(apps, days), minlength=len(STATES))
    if counts.sum() != n or (len(stock) and int(stock[-1]) != n):
        raise IssuanceConservationError(f"{n} applications but end states count {counts.tolist()}")


def _on_or_before(events: np.ndarray, total: int) -> np.ndarray:
    """Per day t: how many of ``events`` (days, NEVER excluded) happened on or before t."""
    return np.cumsum(np.bincount(events[events >= 0], minlength=total)[:total])


def daily_columns(replication: int, table, apps: Applications, days: dict[str, np.ndarray],
                  cap: np.ndarray) -> dict[str, np.ndarray]:
    """The columns of the ``daily`` table of one replication (:data:`DAILY_COLUMNS`)."""
    total = len(cap)
    per = {name: np.bincount(apps.applied[apps.route == k], minlength=total)[:total] for k, name in enumerate(ROUTES)}
    made_pipe = np.where(apps.route < 2, days["made"], NEVER)
    backlog = {}
    for k, name in enumerate(PIPELINE_ROUTES):
        m = apps.route == k
        backlog[name] = np.cumsum(per[name]) - _on_or_before(days["made"][m], total)
    made_cum = _on_or_before(days["made"], total)
    ready_cum = _on_or_before(days["ready"], total)
    coll_cum = _on_or_before(days["collected"], total)
    return {
        "replication": np.full(total, replication, np.int64),
        "day": np.asarray(table["day"]),
        "date": np.asarray(table["date"]),
        "weekday": np.asarray(table["weekday"]),
        "adjusted": np.asarray(table["adjusted"]),
        "capacity": cap,
        "breakdown": apps.breakdown,
        "made": np.bincount(made_pipe[made_pipe >= 0], minlength=total)[:total],
        "applications": per["batch"] + per["sporadic"] + per["on_the_spot"],
        "applications_batch": per["batch"],
        "applications_sporadic": per["sporadic"],
        "applications_on_the_spot": per["on_the_spot"],
        "backlog": backlog["batch"] + backlog["sporadic"],
        "backlog_batch": backlog["batch"],
        "backlog_sporadic": backlog["sporadic"],
        "in_distribution": made_cum - ready_cum,
        "ready": ready_cum - coll_cum,
        "collected": np.bincount(days["collected"][days["collected"] >= 0], minlength=total)[:total],
        "collect_visits": days["visits_by_day"],
        "wasted_visits": days["wasted_by_day"],
    }


def _dates(table, day: np.ndarray) -> np.ndarray:
    """Calendar dates of working-day numbers (None for NEVER)."""
    return np.where(day >= 0, np.asarray(table["date"], dtype=object)[day], None)


def application_columns(replication: int, iss: IssuanceConfig, table, apps: Applications,
                        days: dict[str, np.ndarray], with_dates: bool = True) -> dict[str, Any]:
    """The columns of the ``applications`` table of one replication
    (:data:`APPLICATION_COLUMNS`; the ``*_date`` columns are None when ``with_dates`` is
    False, which is faster)."""
    total = len(table["day"])
    n = len(apps.applied)
    targets = {0: iss.sla.batch_max_days, 1: iss.sla.sporadic_max_days, 2: 0}
    target = np.array([math.nan if targets[k] is None else targets[k] for k in range(3)])[apps.route]
    ready = days["ready"]
    cycle = np.where(ready >= 0, ready - apps.applied, np.nan).astype(float)
    due = ~np.isnan(target) & (apps.applied + np.nan_to_num(target, nan=0) <= total - 1)
    within = due & (ready >= 0) & (cycle <= target)
    seal = iss.seal_after_days
    coll = days["collected"]
    later = np.zeros(n, bool)
    for k, name in enumerate(PIPELINE_ROUTES):  # the holder's planned day, even beyond the run
        spec = getattr(iss, name)
        m = (apps.route == k) & (ready >= 0) & apps.collects
        if spec is None or not m.any():
            continue
        c = spec.collection
        if c.notified:
            later[m] = apps.delay[m] > seal
        else:
            first = apps.applied[m] + (iss.sla.collect_after_days or 0) + apps.delay[m]
            wasted = np.where(ready[m] > first, -((first - ready[m]) // c.retry_days), 0)
            later[m] = first + wasted * c.retry_days - ready[m] > seal
    return {
        "replication": np.full(n, replication, np.int64),
        "application": np.arange(n, dtype=np.int64),
        "route": pd.Categorical.from_codes(apps.route, categories=list(ROUTES)) if with_dates else np.asarray(ROUTES)[apps.route],
        "batch": apps.batch,
        "urgent": apps.urgent,
        "applied_day": apps.applied,
        "applied_date": _dates(table, apps.applied) if with_dates else None,
        "centre_day": days["centre"],
        "made_day": days["made"],
        "made_date": _dates(table, days["made"]) if with_dates else None,
        "ready_day": ready,
        "ready_date": _dates(table, ready) if with_dates else None,
        "cycle_days": cycle,
        "target_days": target,
        "due": due,
        "within_target": within,
        "collects": apps.collects,
        "collected_day": coll,
        "collected_date": _dates(table, coll) if with_dates else None,
        "hall_visits": days["hall_visits"],
        "uncollected_after_year": (ready >= 0) & (~apps.collects | later),
        "state": pd.Categorical.from_codes(states_at_end(apps, days), categories=list(STATES)),
    }


def order_days(iss: IssuanceConfig, table, days: int) -> list[int]:
    """Working-day numbers of the fixed batch orders; CalendarError naming the order when
    its date is not a working day of the application period."""
    if iss.batch is None:
        return []
    dates = list(table["date"])
    index = {d: i for i, d in enumerate(dates)}
    out = []
    for i, o in enumerate(iss.batch.orders):
        t = index.get(o.date)
        if t is None or t >= days:
            first, last = dates[0], dates[days - 1]
            raise CalendarError(f"issuance.batch.orders.{i}.date",
                                f"{o.date.isoformat()} is not a working day from {first} to {last} "
                                f"(the application days of the run)")
        out.append(t)
    return out
