"""Working days of the Chinese public calendar (工作日), with a scenario's extra closed days.

Which days are working days comes from the maintained ``chinesecalendar`` package
(``import chinese_calendar``): public holidays (法定节假日) are closed, and the weekend days
that the State Council swaps in as working days (调休上班, e.g. Sunday 2025-09-28 and
Saturday 2025-10-11 around National Day) are open. A scenario may close more days
(``extra_closed``: a local closure, a system migration day).

Arithmetic counts working days, never calendar days:

* ``add_working_days(d, n)`` is the ``n``-th working day after ``d`` (``d`` itself is not
  counted; ``n = 0`` gives ``d``);
* ``working_days_between(a, b)`` counts the working days ``x`` with ``a < x <= b``, so
  ``working_days_between(d, add_working_days(d, n)) == n``.

The package knows a fixed range of years (2004–2026 in version 1.11); a date outside it
raises :class:`CalendarError`, which names the scenario field the date came from and the
supported years.
"""

from __future__ import annotations

import datetime as _dt
from typing import Iterable

import numpy as np
import pandas as pd

__all__ = ["WorkCalendar", "CalendarError", "supported_years", "DAY_COLUMNS"]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DAY_COLUMNS = {
    "day": "working-day number from the start (0-based)",
    "date": "calendar date (datetime.date)",
    "weekday": "mon … sun",
    "adjusted": "True for a weekend day that is a working day (调休上班)",
    "closed_before": "calendar days closed since the previous working day (weekends, holidays, extra closed days)",
}
"""Columns of :meth:`WorkCalendar.day_table`."""


class CalendarError(ValueError):
    """A date the calendar cannot judge; ``field`` is the scenario field it came from."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def supported_years() -> tuple[int, int]:
    """The first and last year the installed ``chinesecalendar`` knows."""
    from chinese_calendar import constants

    years = [d.year for d in constants.holidays]
    return min(years), max(years)


class WorkCalendar:
    """The working days of mainland China's public calendar minus ``extra_closed`` dates.

    ``field`` names the scenario field whose dates are being judged (used in errors), for
    example ``issuance.start_date``.
    """

    def __init__(self, extra_closed: Iterable[_dt.date] = (), field: str = "start_date"):
        self.extra_closed = frozenset(extra_closed)
        self.field = field
        self._first, self._last = supported_years()

    def _check(self, date: _dt.date) -> None:
        if not self._first <= date.year <= self._last:
            raise CalendarError(
                self.field,
                f"the working-day calendar (chinesecalendar) covers the years {self._first}–{self._last} "
                f"only; {date.isoformat()} is outside (move the start date, shorten the run, or upgrade "
                f"chinesecalendar)")

    def is_working_day(self, date: _dt.date) -> bool:
        """True when ``date`` is a working day (holidays, ordinary weekends and extra closed days are not)."""
        import chinese_calendar

        self._check(date)
        if date in self.extra_closed:
            return False
        try:
            return bool(chinese_calendar.is_workday(date))
        except NotImplementedError as exc:  # pragma: no cover - _check catches the range first
            raise CalendarError(self.field, str(exc)) from None

    def day_kind(self, date: _dt.date) -> str:
        """What ``date`` is: ``workday`` (an ordinary working weekday), ``adjusted`` (a
        weekend day swapped in as a working day, 调休上班), ``holiday`` (a day of a statutory
        holiday period, 法定节假日, weekends inside it included), ``weekend`` (an ordinary
        weekend day) or ``closed`` (one of ``extra_closed``)."""
        import chinese_calendar

        self._check(date)
        if date in self.extra_closed:
            return "closed"
        if chinese_calendar.is_workday(date):
            return "adjusted" if date.weekday() >= 5 else "workday"
        _is_holiday, name = chinese_calendar.get_holiday_detail(date)
        return "holiday" if name is not None else "weekend"

    def next_working_day(self, date: _dt.date) -> _dt.date:
        """``date`` when it is a working day, else the first working day after it."""
        while not self.is_working_day(date):
            date += _dt.timedelta(days=1)
        return date

    def add_working_days(self, date: _dt.date, n: int) -> _dt.date:
        """The ``n``-th working day after ``date`` (``n >= 0``; ``date`` itself is not counted)."""
        if n < 0:
            raise ValueError(f"n must be >= 0 (got {n})")
        while n > 0:
            date += _dt.timedelta(days=1)
            if self.is_working_day(date):
                n -= 1
        return date

    def working_days_between(self, start: _dt.date, end: _dt.date) -> int:
        """Working days ``x`` with ``start < x <= end`` (negative when ``end`` is before ``start``)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += _dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def working_days(self, start: _dt.date, n: int) -> list[_dt.date]:
        """The first ``n`` working days on or after ``start``."""
        if n < 0:
            raise ValueError(f"n must be >= 0 (got {n})")
        out: list[_dt.date] = []
        day = start
        while len(out) < n:
            if self.is_working_day(day):
                out.append(day)
            day += _dt.timedelta(days=1)
        return out

    def day_table(self, start: _dt.date, n: int) -> pd.DataFrame:
        """The first ``n`` working days on or after ``start`` as a frame (:data:`DAY_COLUMNS`)."""
        dates = self.working_days(start, n)
        weekday = [_WEEKDAYS[d.weekday()] for d in dates]
        gaps = [(b - a).days - 1 for a, b in zip([start - _dt.timedelta(days=1)] + dates[:-1], dates)]
        return pd.DataFrame({
            "day": np.arange(n, dtype=np.int64),
            "date": dates,
            "weekday": weekday,
            "adjusted": np.array([d.weekday() >= 5 for d in dates], dtype=bool),
            "closed_before": np.asarray(gaps, dtype=np.int64),
        }, columns=list(DAY_COLUMNS))
