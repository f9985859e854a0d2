"""What a run records: each visit's fields and every interval, as columns.

The engine keeps Python objects only for the day being simulated. When a day ends, its
visitors and the intervals its :class:`Recorder` collected become numpy columns (one array
per field), and a replication is a :class:`ReplicationRecord` of such columns: compact to
keep, cheap to send between processes, and what :mod:`sim.results` computes KPIs and
builds tables from. The columns are those of :data:`COLUMNS` (less ``replication``, which
the results layer adds). Times are minutes since midnight of the row's ``day``
(continuous scenarios: minutes since the start).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter, itemgetter

import numpy as np

__all__ = ["COLUMNS", "EXTRA_VISIT_COLUMNS", "INTERVAL_TABLES", "column_names", "visit_extras", "Recorder", "ReplicationRecord", "visit_columns", "interval_columns",
           "concat_columns"]

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
        "wait_min": "call_min - ticket_min (booked visits: from the later of ticket_min and slot_min); "
                    "for abandonment, time until leaving the queue",
        "service_start_min": "start of the window (or kiosk) step, after any shared device was free",
        "service_end_min": "end of the window (or kiosk) step",
        "card_min": "card in hand (instant issuance only)",
        "issuance_min": "card_min - arrival_min: arrival to card in hand (instant issuance only)",
        "departure_min": "time the visit ended (after its last step)",
        "time_in_system_min": "departure_min - arrival_min",
        "outcome": "served, served_kiosk, missing_docs, abandoned, baulked or unserved_at_close",
        "stage": "where the visit ended: guide, helper (waiting for a helper), kiosk, queue, window, printer, inside",
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
        "state": "serving, idle, guide, available (on shift, no post), break, absence, home_visit (out on a trip), "
                 "helper (at the helper post, free), helping (accompanying an elderly visitor)",
        "post": "window id, 'guide' or 'helper' where the person is (empty when none)",
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


EXTRA_VISIT_COLUMNS: dict[str, dict[str, str]] = {
    "appointments": {
        "booked": "True for a booked visit (预约) that kept its booking: came by slot_min + appointments.grace_min",
        "slot_min": "the booked slot's start (NaN for a walk-in; set too when the booking lapsed)",
    },
    "steps": {
        "transfers": "times the visit was sent on to a later step's queue (services.<code>.steps; 0: none)",
        "transfer_wait_min": "total wait at later steps, from joining each step's queue to its call (NaN: none)",
        "transfer_service_min": "total minutes at the windows of later steps (NaN: none)",
        "last_window": "window of the last later step (empty when none)",
    },
    "helpers": {
        "asked_help": "True when an elderly visitor asked for a helper (陪办, helpers.ask_share)",
        "helped": "True when a helper accompanied the visit (from the ticket machine to its end)",
        "helper": "the helper who accompanied the visit (empty when none)",
        "helper_wait_min": "minutes from asking for a helper to one joining, or to going on alone (NaN: did not ask)",
    },
}
"""Visit columns that only scenarios using a feature have, after those of :data:`COLUMNS`
(so a scenario without appointments or steps keeps exactly the columns it had):
``appointments`` when some service has a booked share, ``steps`` when some service has
later steps, ``helpers`` when the scenario has a ``helpers`` section (:func:`visit_extras`)."""


def visit_extras(scenario) -> tuple[str, ...]:
    """The extra visit columns (:data:`EXTRA_VISIT_COLUMNS`) of ``scenario``, in order."""
    out: list[str] = []
    if scenario.appointments is not None and scenario.appointments.on:
        out += EXTRA_VISIT_COLUMNS["appointments"]
    if any(spec.steps for spec in scenario.services.values()):
        out += EXTRA_VISIT_COLUMNS["steps"]
    if scenario.helpers is not None:
        out += EXTRA_VISIT_COLUMNS["helpers"]
    return tuple(out)


def column_names(name: str, extras=()) -> list[str]:
    """Columns of table ``name``: those of :data:`COLUMNS`, then the ``extras`` (visits)."""
    return [*COLUMNS[name], *extras]


INTERVAL_TABLES = ("windows", "staff", "devices", "queue")
"""The interval tables a day model records, besides the visits."""

Columns = dict[str, np.ndarray]
"""One array per column, all of the same length."""


class Recorder:
    """Lists of interval tuples one day model appends to; the day is added per row later."""

    def __init__(self):
        self.windows: list[tuple] = []
        self.staff: list[tuple] = []
        self.devices: list[tuple] = []
        self.queue: list[tuple] = []


@dataclass(frozen=True)
class ReplicationRecord:
    """Everything one replication recorded, as columns.

    ``visits`` and ``intervals[name]`` (``name`` in :data:`INTERVAL_TABLES`) hold the
    columns of :data:`COLUMNS` less ``replication`` (visits: and the scenario's extras,
    :func:`visit_extras`); ``open_min``, ``close_min`` and
    ``last_departure_min`` have one value per simulated day (minutes); ``repeats_pending``
    counts return visits due after the last day.
    """

    replication: int
    visits: Columns
    intervals: dict[str, Columns]
    last_departure_min: np.ndarray
    repeats_pending: int
    no_shows: int = 0
    """Bookings that never came (``appointments.no_show_rate``), over all days."""
    home_visit_waits: np.ndarray | None = None
    """Opening days from request to trip of each home visit done (None without ``home_visits``)."""
    home_visits_pending: int = 0
    """Home-visit requests still waiting after the last day."""

    @property
    def n_visits(self) -> int:
        return len(self.visits["visitor"])

    @classmethod
    def from_tables(cls, replication: int, tables, last_departure_min, repeats_pending: int = 0) -> "ReplicationRecord":
        """The record of tables shaped like :data:`COLUMNS` (DataFrames or mappings of
        columns, e.g. read back from Parquet); a ``replication`` column is ignored."""
        def columns(name):
            frame = tables[name]
            extras = [c for cols in EXTRA_VISIT_COLUMNS.values() for c in cols if c in frame] if name == "visits" else []
            return {c: np.asarray(frame[c], dtype=_dtype(c)) if len(frame) else np.empty(0, dtype=_dtype(c))
                    for c in column_names(name, extras) if c != "replication"}
        return cls(replication, columns("visits"), {name: columns(name) for name in INTERVAL_TABLES},
                   np.asarray(last_departure_min, dtype=float), int(repeats_pending))


_TEXT = {"date", "weekday", "service", "window", "staff", "outcome", "stage", "state", "post", "a_post", "device",
         "last_window", "helper"}
_BOOL = {"repeat", "elderly", "covered", "in_warmup", "booked", "asked_help", "helped"}
_INT = {"day", "visitor", "waiting", "transfers"}


def _dtype(col: str):
    if col in _TEXT:
        return object
    if col in _BOOL:
        return bool
    if col in _INT:
        return np.int64
    return float


def empty_columns(name: str, extras=()) -> Columns:
    """Columns of table ``name`` (and ``extras``) with no rows (typed as the table's columns are)."""
    return {c: np.empty(0, dtype=_dtype(c)) for c in column_names(name, extras) if c != "replication"}


def interval_columns(name: str, day: int, rows: list[tuple]) -> Columns:
    """The columns of interval table ``name`` from one day's recorded rows."""
    cols = [c for c in COLUMNS[name] if c not in ("replication", "day")]
    out = {"day": np.full(len(rows), day, dtype=np.int64)}
    if not rows:
        out.update({c: np.empty(0, dtype=_dtype(c)) for c in cols})
        return out
    for i, c in enumerate(cols):  # column by column (zip(*rows) would pass every row as an argument)
        out[c] = np.array(list(map(itemgetter(i), rows)), dtype=_dtype(c))
    return out


def concat_columns(parts: list[Columns], name: str) -> Columns:
    """One set of columns from several (days, or replications) of table ``name``."""
    if not parts:
        return empty_columns(name)
    if len(parts) == 1:
        return parts[0]
    return {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}


_SERVED_STEP = ("served", "served_kiosk", "missing_docs")


def visit_columns(visitors, date: str, weekday: str, warmup_min: float, extras=()) -> Columns:
    """The visit columns of one day's :class:`sim.model.arrivals.Visitor` objects, with
    the derived times (wait, departure, time in system, issuance) of :data:`COLUMNS`, and
    the ``extras`` of :data:`EXTRA_VISIT_COLUMNS` (:func:`visit_extras`)."""
    if not visitors:
        return empty_columns("visits", extras)

    def field(name):  # one attribute of every visitor, in order (a list, not a tuple per visitor)
        return list(map(attrgetter(name), visitors))

    (day, vid, repeat, service, elderly, arrival, ticket, ticket_time, window, staff, covered,
     call, start, end, card, outcome, stage, booked, slot, later_end) = map(field, (
        "day", "vid", "repeat", "service", "elderly", "arrival", "ticket", "ticket_time", "window", "staff",
        "covered", "call", "start", "end", "card", "outcome", "stage", "booked", "slot", "later_end"))
    if "transfers" in extras:
        step, later_wait, later_service, last_window = map(field, ("step", "later_wait", "later_service",
                                                                   "last_window"))
    else:  # not asked for: no visitor has a later step
        step = later_wait = later_service = last_window = ()
    num = lambda x: np.array(x, dtype=float)  # noqa: E731  (None -> NaN)
    arrival, ticket, ticket_time, call, start, end, card = map(num, (arrival, ticket, ticket_time, call, start, end, card))
    slot, later_wait, later_service, later_end = map(num, (slot, later_wait, later_service, later_end))
    text = lambda x: np.array(x, dtype=object)  # noqa: E731
    outcome = text(outcome)
    booked = np.array(booked, dtype=bool)
    # a booked visitor who came early waits from the slot (np.fmax ignores a walk-in's NaN slot)
    queued = np.where(booked & ~np.isnan(ticket_time), np.fmax(ticket_time, slot), ticket_time)
    wait = np.where(np.isnan(call), end, call) - queued
    finished_step = np.isin(outcome, _SERVED_STEP) & ~np.isnan(start)
    departure = np.fmax(np.where(np.isnan(card), end, card), later_end)
    n = len(visitors)
    cols = {
        "day": np.array(day, dtype=np.int64),
        "date": np.full(n, date, dtype=object),
        "weekday": np.full(n, weekday, dtype=object),
        "visitor": np.array(vid, dtype=np.int64),
        "repeat": np.array(repeat, dtype=bool),
        "service": text(service),
        "elderly": np.array(elderly, dtype=bool),
        "arrival_min": arrival,
        "ticket": ticket,
        "ticket_min": ticket_time,
        "window": text(window),
        "staff": text(staff),
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
        "stage": text(stage),
        "in_warmup": arrival < warmup_min,
    }
    extra = {"booked": booked, "slot_min": slot, "transfers": np.array(step, dtype=np.int64),
             "transfer_wait_min": later_wait, "transfer_service_min": later_service, "last_window": text(last_window)}
    if "helped" in extras:
        extra.update(_helper_columns(visitors))
    cols.update((c, extra[c]) for c in extras)
    return cols


_HELP_FIELDS = attrgetter("help_asked", "helper", "help_wait")


def _helper_columns(visitors) -> Columns:
    """The ``helpers`` extra columns (:data:`EXTRA_VISIT_COLUMNS`) of one day's visitors."""
    asked, helper, wait = zip(*map(_HELP_FIELDS, visitors))
    return {"asked_help": np.array([t is not None for t in asked], dtype=bool),
            "helped": np.array([h is not None for h in helper], dtype=bool),
            "helper": np.array(helper, dtype=object),
            "helper_wait_min": np.array(wait, dtype=float)}
