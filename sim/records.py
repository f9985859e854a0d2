"""What a run records, and the tidy tables built from it.

Every table has one row per thing, a ``replication`` column, and the columns documented
in :data:`COLUMNS` (stable keys; screens may show other labels). Times are minutes since
midnight of the row's ``day`` (continuous scenarios: minutes since the start).
"""

from __future__ import annotations

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


def visits_frame(visitors, day_of, warmup_min: float) -> pd.DataFrame:
    """The visits table of a list of :class:`sim.arrivals.Visitor` (one day or many)."""
    nan = np.nan
    rows = []
    for v in visitors:
        date, weekday = day_of[v.day]
        dep = v.card if v.card is not None else v.end
        wait = (v.call if v.call is not None else v.end) - v.ticket_time if v.ticket_time is not None and (v.call is not None or v.end is not None) else nan
        rows.append((
            v.day, date, weekday, v.vid, v.repeat, v.service, v.elderly, v.arrival,
            v.ticket if v.ticket is not None else nan,
            v.ticket_time if v.ticket_time is not None else nan,
            v.window, v.staff, v.covered,
            v.call if v.call is not None else nan,
            wait,
            v.start if v.start is not None else nan,
            v.end if v.end is not None and v.outcome in ("served", "served_kiosk", "missing_docs") and v.start is not None else nan,
            v.card if v.card is not None else nan,
            v.card - v.arrival if v.card is not None else nan,
            dep if dep is not None else nan,
            (dep - v.arrival) if dep is not None else nan,
            v.outcome, v.stage, v.arrival < warmup_min,
        ))
    cols = [c for c in COLUMNS["visits"] if c != "replication"]
    return pd.DataFrame.from_records(rows, columns=cols)


def empty_tables() -> dict[str, pd.DataFrame]:
    """Empty tables with every documented column."""
    return {name: pd.DataFrame(columns=list(cols)) for name, cols in COLUMNS.items()}
