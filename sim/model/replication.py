"""One replication: every simulated day of a scenario under one seed, with its tables.

Days are simulated one after another, each in a fresh SimPy environment; visitors sent
away for missing documents come back on a later day of the same replication. The tables
are those of :mod:`sim.records`; the KPIs those of :mod:`sim.kpis`. Conservation is
checked on every day: each arrival has exactly one outcome.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from sim.scenario.days import day_plans
from sim.model.arrivals import draw_visitors
from sim.model.hall import DayModel
from sim.results.kpis import replication_kpis
from sim.model.records import COLUMNS, Recorder, typed, visits_frame
from sim.scenario.schema import Scenario
from sim.model.streams import Streams

__all__ = ["ReplicationResult", "run_replication"]


@dataclass(frozen=True)
class ReplicationResult:
    """Tables (``visits``, ``windows``, ``staff``, ``devices``, ``queue``) and KPI rows
    (``kpi``, ``group``, ``value``) of one replication; every table has a
    ``replication`` column."""

    replication: int
    tables: dict[str, pd.DataFrame]
    kpis: pd.DataFrame


def run_replication(scenario: Scenario, seed: int, replication: int) -> ReplicationResult:
    """Simulate replication ``replication`` of ``scenario`` under ``seed``."""
    streams = Streams(seed, replication)
    plans = day_plans(scenario)
    pending: dict[int, list] = defaultdict(list)
    visitors_all = []
    intervals = {name: [] for name in ("windows", "staff", "devices", "queue")}
    last_departures = []
    next_id = 0
    for day in plans:
        visitors = draw_visitors(scenario, day, streams, next_id, pending.pop(day.index, []))
        next_id += len(visitors)
        rec = Recorder()
        model = DayModel(scenario, day, visitors, streams, rec)
        model.run()
        for when, v in model.returns:
            pending[when].append(v)
        last_departures.append(model.last_departure)
        for name, rows in intervals.items():
            d = day.index
            rows.extend((d, *r) for r in getattr(rec, name))
        visitors_all.extend(visitors)

    day_of = {d.index: (d.date.isoformat() if d.date else "", d.weekday or "") for d in plans}
    warm = scenario.run.warmup_min if scenario.continuous else 0.0
    tables = {"visits": visits_frame(visitors_all, day_of, warm)}
    for name, rows in intervals.items():
        cols = [c for c in COLUMNS[name] if c != "replication"]
        tables[name] = typed(pd.DataFrame.from_records(rows, columns=cols))
    repeats_pending = sum(len(v) for v in pending.values())
    kpis = replication_kpis(scenario, tables, plans, last_departures, repeats_pending)
    for frame in (*tables.values(), kpis):
        frame.insert(0, "replication", replication)
    return ReplicationResult(replication, tables, kpis)
