"""What a run records, and the tidy tables built from it.

Every table has one row per thing, a ``replication`` column, and the columns documented
in :data:`COLUMNS` (stable keys; screens may show other labels). Times are minutes since
midnight of the row's ``day`` (continuous scenarios: minutes since the start).
"""

from __future__ import annotations

from operator import attrgetter

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "Recorder", "visits_frame", "empty_tables"]

COLUMNS: dict[str, dict[str, str]] = {
    "visits": {
        "replication": "replication number (0-based)",
        "day": "opening day number within the replication (0-based)",
        "date": "calendar date of the day (ISO text; empty for continuous runs)",
        "weekday": "mon … sun (empty for continuous runs)",
        "visitor": "visit number within the replication",
        "repeat": "True for a return visit after missing documents",
        "service": "service code (apply, collect, …)",
        "elderly": "True when aged at or above demand.elderly_age",
        "arrival_min": "arrival time",
        "ticket": "ticket number of the day (NaN when no ticket was taken)",
        "ticket_min": "time the ticket was taken (after triage)",
        "window": "window id, or kiosk unit, that served the visit",
        "staff": "staff member who served at the window",
        "covered": "True when served by someone other than the window's A (cover)",
        "call_min": "time the window called the ticket",
        "wait_min": "call_min - ticket_min; for abandonment, time until leaving the queue",
        "service_start_min": "start of the window (or kiosk) step, after any shared device was free",
        "service_end_min": "end of the window (or kiosk) step",
        "card_min": "card in hand (instant issuance only)",
        "issuance_min": "card_min - arrival_min: arrival to card in hand (instant issuance only)",
        "departure_min": "time the visit ended",
        "time_in_system_min": "departure_min - arrival_min",
        "outcome": "served, served_kiosk, missing_docs, abandoned, baulked or unserved_at_close",
        "stage": "where the visit ended: guide, kiosk, queue, window, printer, inside",
        "in_warmup": "True when the arrival falls in the warm-up (left out of KPIs)",
    },
    "windows": {
        "replication": "replication number",
        "day": "day number",
        "window": "window id",
        "state": "serving, idle, empty (no one there while open: a breach), closed",
        "staff": "who attends the window (empty when nobody)",
        "covered": "True when the attendant is not the window's A (B or other cover)",
        "start_min": "start of the interval",
        "end_min": "end of the interval",
    },
    "staff": {
        "replication": "replication number",
        "day": "day number",
        "staff": "staff member",
        "state": "serving, idle, guide, available (on shift, no post), break, absence",
        "post": "window id or 'guide' where the person is (empty when none)",
        "a_post": "the person's own A post",
        "start_min": "start of the interval",
        "end_min": "end of the interval",
    },
    "devices": {
        "replication": "replication number",
        "day": "day number",
        "device": "unit name (printer-1, kiosk-2, card_reader-1, …)",
        "state": "busy or broken",
        "start_min": "start of the interval",
        "end_min": "end of the interval",
    },
    "queue": {
        "replication": "replication number",
        "day": "day number",
        "time_min": "time of a change in the number of waiting tickets",
        "waiting": "tickets waiting from this time on",
    },
}


class Recorder:
    """Lists of interval tuples one day model appends to; the day is added per row later."""

    def __init__(self):
        self.windows: list[tuple] = []
        self.staff: list[tuple] = []
        self.devices: list[tuple] = []
        self.queue: list[tuple] = []


def _frame(name: str, rows: list[tuple]) -> pd.DataFrame:
    cols = [c for c in COLUMNS[name] if c not in ("replication", "day")]
    return pd.DataFrame.from_records(rows, columns=cols)


def day_frames(rec: Recorder, day: int) -> dict[str, pd.DataFrame]:
    """The interval tables one day recorded, with its ``day`` column."""
    out = {}
    for name in ("windows", "staff", "devices", "queue"):
        f = _frame(name, getattr(rec, name))
        f.insert(0, "day", day)
        out[name] = f
    return out


_VISIT_FIELDS = attrgetter("day", "vid", "repeat", "service", "elderly", "arrival", "ticket", "ticket_time",
                           "window", "staff", "covered", "call", "start", "end", "card", "outcome", "stage")


def visits_frame(visitors, day_of, warmup_min: float) -> pd.DataFrame:
    """The visits table of a list of :class:`sim.arrivals.Visitor` (one day or many)."""
    cols = [c for c in COLUMNS["visits"] if c != "replication"]
    if not visitors:
        return pd.DataFrame(columns=cols)
    (day, vid, repeat, service, elderly, arrival, ticket, ticket_time, window, staff, covered,
     call, start, end, card, outcome, stage) = zip(*map(_VISIT_FIELDS, visitors))
    num = lambda x: np.array(x, dtype=float)  # noqa: E731  (None -> NaN)
    arrival, ticket, ticket_time, call, start, end, card = map(num, (arrival, ticket, ticket_time, call, start, end, card))
    text = lambda x: np.array(x, dtype=object)  # noqa: E731  (much faster for pandas than tuples)
    outcome, service, window, staff, stage = map(text, (outcome, service, window, staff, stage))
    wait = np.where(np.isnan(call), end, call) - ticket_time
    finished_step = np.isin(outcome, ("served", "served_kiosk", "missing_docs")) & ~np.isnan(start)
    departure = np.where(np.isnan(card), end, card)
    day = np.array(day)
    dates = {d: day_of[d] for d in set(day.tolist())}
    return pd.DataFrame({
        "day": day,
        "date": text([dates[d][0] for d in day.tolist()]),
        "weekday": text([dates[d][1] for d in day.tolist()]),
        "visitor": np.array(vid),
        "repeat": np.array(repeat, dtype=bool),
        "service": service,
        "elderly": np.array(elderly, dtype=bool),
        "arrival_min": arrival,
        "ticket": ticket,
        "ticket_min": ticket_time,
        "window": window,
        "staff": staff,
        "covered": np.array(covered, dtype=bool),
        "call_min": call,
        "wait_min": wait,
        "service_start_min": start,
        "service_end_min": np.where(finished_step, end, np.nan),
        "card_min": card,
        "issuance_min": card - arrival,
        "departure_min": departure,
        "time_in_system_min": departure - arrival,
        "outcome": outcome,
        "stage": stage,
        "in_warmup": arrival < warmup_min,
    }, columns=cols)


_BOOL = {"repeat", "elderly", "covered", "in_warmup"}
_INT = {"replication", "day", "visitor", "waiting"}


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its documented columns given stable dtypes, even when it is empty:
    ``*_min`` and ``ticket`` float, counters int, flags bool, the rest text."""
    out = {}
    for col in frame.columns:
        x = frame[col]
        if col.endswith("_min") or col == "ticket":
            out[col] = x.astype(float)
        elif col in _INT:
            out[col] = x.astype("int64")
        elif col in _BOOL:
            out[col] = x.astype(bool)
        else:
            out[col] = x.astype("str") if len(x) == 0 else x
    return pd.DataFrame(out, columns=frame.columns)


def empty_tables() -> dict[str, pd.DataFrame]:
    """Empty tables with every documented column."""
    return {name: pd.DataFrame(columns=list(cols)) for name, cols in COLUMNS.items()}
