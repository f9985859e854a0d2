"""The log's days against the working-day calendar: holidays, closed days, 调休."""

from __future__ import annotations

import datetime as dt

from sim.calibration.logdays import judge_days
from builders import scenario

WEEK = {d: {"open": "09:00", "close": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")}
HALL = scenario(hall={"opening_hours": WEEK})


def _span(first: str, last: str) -> list[dt.date]:
    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [a + dt.timedelta(days=k) for k in range((b - a).days + 1)]


def _worked(first: str, last: str) -> list[dt.date]:
    """The working days of the public calendar in the range (what a hall keeping it opens)."""
    import chinese_calendar

    return [d for d in _span(first, last) if chinese_calendar.is_workday(d)]


def test_national_day_gap_and_adjusted_weekends_choose_the_chinese_calendar():
    """Tickets on 2025-09-22..10-17 working days only (Sunday 09-28 and Saturday 10-11 are
    调休上班, 10-01..10-08 a holiday): run.calendar chinese, the holidays explained, the two
    adjusted days listed with tickets, nothing closed or left out, and the adjusted days
    counted as run.adjusted_workday_as (mon)."""
    days = judge_days(_worked("2025-09-22", "2025-10-17"), HALL)
    assert days.calendar == "chinese"
    verdicts = dict(zip(days.table["date"].astype(str), days.table["verdict"]))
    assert verdicts["2025-09-28"] == "adjusted_open" and verdicts["2025-10-11"] == "adjusted_open"
    assert verdicts["2025-10-01"] == "holiday" and verdicts["2025-10-08"] == "holiday"
    assert days.closed == [] and days.outside == []
    assert days.weekday_of[dt.date(2025, 9, 28)] == "mon"
    assert any("run.calendar: chinese" in n for n in days.notes)


def test_a_working_day_without_tickets_is_an_unexplained_closed_day():
    """March 2026 weekdays with Wednesday the 11th missing: the weekly calendar stays, the
    11th becomes a closed date."""
    dates = [d for d in _span("2026-03-02", "2026-03-13") if d.weekday() < 5 and d != dt.date(2026, 3, 11)]
    days = judge_days(dates, HALL)
    assert days.calendar == "weekdays"
    assert days.closed == [dt.date(2026, 3, 11)]
    assert "closed" in set(days.table["verdict"])


def test_tickets_on_a_statutory_holiday_are_flagged():
    """A hall that opened every weekday through May Day 2025 (05-01..05-05 holiday): the
    holidays with tickets are flagged, the calendar is not chosen (it contradicts the log)."""
    dates = [d for d in _span("2025-04-21", "2025-05-16") if d.weekday() < 5]
    days = judge_days(dates, HALL)
    assert days.calendar == "weekdays"
    flagged = set(days.table.loc[days.table["verdict"] == "holiday_open", "date"].astype(str))
    assert {"2025-05-01", "2025-05-02", "2025-05-05"} <= flagged
    assert any("tickets on" in n and "statutory holiday" in n for n in days.notes)
