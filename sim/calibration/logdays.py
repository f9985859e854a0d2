"""The log's days against the working-day calendar: holidays, closed days, 调休.

Every calendar date from the log's first to its last is judged with the project's
working-day calendar (:class:`sim.scenario.workdays.WorkCalendar`, ``chinesecalendar``):

- a date **without tickets** is a *statutory holiday* (法定节假日: explained), a *weekend*
  (explained when the hall file has no opening hours that weekday), or an *unexplained
  closed day* (a working day, or a weekend day the hall opens, with no ticket: it becomes a
  ``run.closed_dates`` entry);
- a date **with tickets** on a statutory holiday is flagged (*tickets on a holiday*: the
  hall opened on a public holiday); tickets on a weekend day swapped in as a working day
  (调休上班) are the sign that the hall keeps the public calendar.

``run.calendar: chinese`` is chosen when the log's dates include a holiday or an adjusted
working day and the calendar explains more of them than it contradicts: (holidays the hall
would open by its weekly hours but the log shows closed) + (adjusted days with tickets) >
(holidays with tickets) + (adjusted days without tickets). Otherwise the hall file's
calendar stays. Dates outside the calendar's years leave the hall file's calendar too (said).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from sim.calibration.notes import Note, listed
from sim.scenario.days import opening_weekday
from sim.scenario.schema import WEEKDAYS, Scenario
from sim.scenario.workdays import WorkCalendar, supported_years

__all__ = ["LogDays", "judge_days", "DAY_VERDICTS"]

DAY_VERDICTS = {
    "holiday": "statutory holiday, no tickets (explained by the calendar)",
    "weekend": "weekend the hall does not open, no tickets",
    "closed": "no tickets on a day the hall opens: unexplained closed day (run.closed_dates)",
    "holiday_open": "tickets on a statutory holiday (the hall opened on a public holiday)",
    "adjusted_open": "tickets on a weekend day swapped in as a working day (调休上班)",
    "adjusted_closed": "no tickets on a weekend day swapped in as a working day (调休上班)",
    "weekend_open": "tickets on a weekend day the hall file keeps closed",
}
"""What a day of the log's range can be (ordinary open working days are not listed)."""


@dataclass(frozen=True)
class LogDays:
    """The judgement of the log's date range: ``table`` (date, weekday, kind, tickets,
    verdict — the days other than ordinary open working days), the ``calendar`` chosen
    (``weekdays`` or ``chinese``), the dates that become ``closed_dates``, the log dates the
    chosen calendar keeps closed (``outside``: not simulated), the ``simulated`` dates, the
    weekday each simulated date counts as (``weekday_of``: an adjusted working day counts as
    ``run.adjusted_workday_as`` under the Chinese calendar) and ``notes``."""

    table: pd.DataFrame
    calendar: str
    closed: list[dt.date]
    outside: list[dt.date]
    simulated: list[dt.date]
    weekday_of: dict[dt.date, str]
    notes: list[Note] = field(default_factory=list)


def _span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def judge_days(dates: list[dt.date], hall: Scenario) -> LogDays:
    """Judge the log's ticket ``dates`` (sorted, distinct) against the calendar (see the module text)."""
    span = _span(dates[0], dates[-1])
    with_tickets = set(dates)
    lo, hi = supported_years()
    notes: list[Note] = []
    cal = None
    if lo <= span[0].year and span[-1].year <= hi:
        cal = WorkCalendar(hall.run.closed_dates, field="run.start_date")
    elif hall.run.calendar == "chinese":
        raise ValueError(f"the log's dates ({span[0]} to {span[-1]}) are outside the years the working-day "
                         f"calendar knows ({lo}-{hi}), and the hall file asks for run.calendar: chinese")
    else:
        notes.append(Note("caln.days_beyond_calendar", first=str(span[0]), last=str(span[-1]), lo=lo, hi=hi))
    rows = []
    weekly = lambda d: hall.hall.opening_hours.get(WEEKDAYS[d.weekday()]) is not None  # noqa: E731
    for d in span:
        kind = cal.day_kind(d) if cal is not None else ("weekend" if d.weekday() >= 5 else "workday")
        has = d in with_tickets
        verdict = None
        if kind == "holiday":
            verdict = "holiday_open" if has else ("holiday" if weekly(d) else "weekend")
        elif kind == "adjusted":
            verdict = "adjusted_open" if has else "adjusted_closed"
        elif not has:
            verdict = None if kind == "closed" or d in hall.run.closed_dates else ("closed" if weekly(d) else "weekend")
        elif not weekly(d):
            verdict = "weekend_open"
        if verdict is not None:
            rows.append({"date": d, "weekday": WEEKDAYS[d.weekday()], "kind": kind, "tickets": has,
                         "verdict": verdict})
    table = pd.DataFrame(rows, columns=["date", "weekday", "kind", "tickets", "verdict"])
    count = lambda v: int((table["verdict"] == v).sum())  # noqa: E731
    explained = count("holiday") + count("adjusted_open")
    contradicted = count("holiday_open") + count("adjusted_closed")
    calendar = hall.run.calendar
    if cal is not None and explained and explained > contradicted:
        calendar = "chinese"
        if hall.run.calendar != "chinese":
            notes.append(Note("caln.calendar_chinese", holidays=count("holiday"), adjusted=count("adjusted_open")))
    elif cal is not None and contradicted and calendar != "chinese":
        notes.append(Note("caln.calendar_unexplained", holidays=count("holiday_open"),
                          adjusted=count("adjusted_closed"), calendar=calendar))
    if count("holiday_open"):
        days = table.loc[table["verdict"] == "holiday_open", "date"]
        notes.append(Note("caln.holiday_tickets", n=len(days), **listed(days, 5)))
    weekday_of, simulated, outside, closed = {}, [], [], []
    for d in span:
        wd = opening_weekday(hall, d, cal if calendar == "chinese" else None)
        if d in with_tickets:
            if wd is None:
                outside.append(d)
            else:
                simulated.append(d)
                weekday_of[d] = wd
        elif wd is not None:
            closed.append(d)
    if outside:
        notes.append(Note("caln.days_not_simulated", n=len(outside), calendar=calendar, **listed(outside, 5)))
    if closed:
        notes.append(Note("caln.days_closed", n=len(closed), **listed(closed, 5)))
    return LogDays(table, calendar, closed, outside, simulated, weekday_of, notes)
