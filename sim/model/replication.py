"""One replication: every simulated day of a scenario under one seed, recorded as columns.

Days are simulated one after another, each in a fresh SimPy environment; visitors sent
away for missing documents come back on a later day of the same replication. When a day
ends its visitors and intervals become columns (:mod:`sim.model.records`) and the Python
objects are dropped, so a replication holds only arrays. Conservation is checked on every
day: each arrival has exactly one outcome. KPIs and tables are the results layer's
(:mod:`sim.results`).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager

import numpy as np

from sim.model.arrivals import draw_visitors
from sim.model.hall import DayModel, hall_layout
from sim.model.records import (INTERVAL_TABLES, Recorder, ReplicationRecord, concat_columns, interval_columns,
                               visit_columns, visit_extras)
from sim.model.streams import Streams
from sim.scenario.days import DayPlan, day_plans
from sim.scenario.schema import Scenario

__all__ = ["record_replication"]


def record_replication(scenario: Scenario, seed: int, replication: int,
                       plans: list[DayPlan] | None = None) -> ReplicationRecord:
    """Simulate replication ``replication`` of ``scenario`` under ``seed`` and return
    what it recorded. ``plans`` (default :func:`sim.scenario.days.day_plans`) may be
    passed when the caller already has them."""
    streams = Streams(seed, replication)
    plans = day_plans(scenario) if plans is None else plans
    warm = scenario.run.warmup_min if scenario.continuous else 0.0
    pending: dict[int, list] = defaultdict(list)
    visits, intervals = [], {name: [] for name in INTERVAL_TABLES}
    last_departures = np.empty(len(plans))
    next_id = 0
    extras = visit_extras(scenario)
    no_shows: list = []
    home = _HomeRequests(scenario, streams)
    layout = hall_layout(scenario)
    for k, day in enumerate(plans):
        with _no_cycle_collection():
            visitors = draw_visitors(scenario, day, streams, next_id, pending.pop(day.index, []), no_shows)
            next_id += len(visitors)
            rec = Recorder()
            model = DayModel(scenario, day, visitors, streams, rec, home.waiting(day), layout)
            model.run()
            home.done(day, model)
            for when, v in model.returns:
                pending[when].append(v)
            last_departures[k] = model.last_departure
            model.release()
            visits.append(visit_columns(visitors, day.date.isoformat() if day.date else "", day.weekday or "", warm,
                                        extras))
            for name in INTERVAL_TABLES:
                intervals[name].append(interval_columns(name, day.index, getattr(rec, name)))
    return ReplicationRecord(
        replication=replication,
        visits=concat_columns(visits, "visits"),
        intervals={name: concat_columns(parts, name) for name, parts in intervals.items()},
        last_departure_min=last_departures,
        repeats_pending=sum(len(v) for v in pending.values()),
        no_shows=len(no_shows),
        home_visit_waits=home.waits(),
        home_visits_pending=home.pending(),
    )


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused (if it runs): a day allocates many small objects
    (events, visitors, records) that all live to the day's end, and scanning them again
    and again made a busy day a third slower. The day's cycles are freed afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _HomeRequests:
    """Home-visit requests (``home_visits``) across the days of one replication: each
    opening day brings Poisson(``requests_per_week`` / opening weekdays) new ones (stream
    ``home_visits``), which wait oldest first; a day's model takes some of them."""

    def __init__(self, scenario: Scenario, streams: Streams):
        hv = scenario.home_visits
        self.on = hv is not None and not scenario.continuous
        if self.on:
            weekdays = sum(1 for h in scenario.hall.opening_hours.values() if h is not None)
            self.rate = hv.requests_per_week / max(weekdays, 1)
            self.rng = streams("home_visits")
        self.queue: list[int] = []  # day index of each waiting request, oldest first
        self.days_waited: list[int] = []

    def waiting(self, day: DayPlan) -> list[int] | None:
        """The requests waiting on ``day``, today's new ones included (None when off)."""
        if not self.on:
            return None
        self.queue += [day.index] * int(self.rng.poisson(self.rate))
        return self.queue

    def done(self, day: DayPlan, model: DayModel) -> None:
        """Note the requests ``model`` took on ``day``; the rest wait on."""
        if self.on:
            self.days_waited += [day.index - d for d in model.home_done]
            self.queue = model.home_requests

    def waits(self) -> np.ndarray | None:
        """Opening days each visit done waited since its request (None when off)."""
        return np.array(self.days_waited, dtype=float) if self.on else None

    def pending(self) -> int:
        return len(self.queue)
