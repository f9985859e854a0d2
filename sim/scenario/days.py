"""The days a scenario opens and the demand each day expects.

Which dates a replication simulates (the hall's opening hours, its closed dates and, under
``run.calendar: chinese``, the public calendar), each day's opening and closing minutes,
weekday factor and service mix, and the piecewise-constant arrival rate that follows from
the hourly profile. Nothing here is random: the model draws visitors from these plans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.scenario.clock import to_minutes
from sim.scenario.schema import WEEKDAYS, Scenario
from sim.scenario.workdays import CalendarError, WorkCalendar, supported_years
from sim.scenario.messages import say

__all__ = ["DayPlan", "day_plans", "day_demand", "expected_by_service", "hall_calendar", "opening_weekday",
           "rate_pieces", "calendar_problems"]


@dataclass(frozen=True)
class DayPlan:
    """One simulated day. Times are minutes since midnight (continuous: since the start)."""

    index: int
    date: dt.date | None
    weekday: str | None
    open_min: float
    close_min: float
    lunch_closed: tuple[float, float] | None
    factor: float
    mix: tuple[tuple[str, float], ...] | None = None
    """The day's own service mix ((service, weight), …) when ``demand.by_date`` sets it;
    None: the scenario's ``service_mix``."""

    def open_periods(self) -> list[tuple[float, float]]:
        """The (start, end) periods in which the doors are open."""
        if self.lunch_closed is None:
            return [(self.open_min, self.close_min)]
        a, b = self.lunch_closed
        periods = [(self.open_min, min(a, self.close_min)), (max(b, self.open_min), self.close_min)]
        return [(s, e) for s, e in periods if e > s]


def hall_calendar(s: Scenario, calendar: str | None = None) -> WorkCalendar | None:
    """The public calendar the hall follows (None for ``run.calendar: weekdays``);
    ``calendar`` overrides the scenario's choice."""
    if (calendar or s.run.calendar) != "chinese":
        return None
    return WorkCalendar(s.run.closed_dates, field="run.start_date")


def opening_weekday(s: Scenario, date: dt.date, calendar: WorkCalendar | None) -> str | None:
    """The weekday whose opening hours and weekday factor the hall keeps on ``date``, or
    None when it is closed that day: under the Chinese calendar a statutory holiday or an
    extra closed day is closed and an adjusted working weekend day (调休上班) takes the
    hours of ``run.adjusted_workday_as``; otherwise the date's own weekday, when it has
    opening hours and is not in ``run.closed_dates``. Raises
    :class:`~sim.workdays.CalendarError` for a date the calendar does not know."""
    wd = WEEKDAYS[date.weekday()]
    if calendar is not None:
        kind = calendar.day_kind(date)
        if kind in ("holiday", "closed"):
            return None
        if kind == "adjusted":
            wd = s.run.adjusted_workday_as
    elif date in s.run.closed_dates:
        return None
    return wd if s.hall.opening_hours.get(wd) is not None else None


def day_plans(s: Scenario) -> list[DayPlan]:
    """The days one replication simulates, in order (see :func:`opening_weekday`)."""
    if s.continuous:
        return [DayPlan(0, None, None, 0.0, float(s.run.horizon_min), None, 1.0)]
    lunch = s.hall.lunch
    closed = (to_minutes(lunch.start), to_minutes(lunch.end)) if lunch.mode == "closed" else None
    calendar = hall_calendar(s)
    plans: list[DayPlan] = []
    date = s.run.start_date
    while len(plans) < s.run.days:
        as_wd = opening_weekday(s, date, calendar)
        if as_wd is not None:
            hours = s.hall.opening_hours[as_wd]
            factor, mix = day_demand(s, date, s.demand.weekday_factors.get(as_wd, 1.0))
            plans.append(DayPlan(len(plans), date, WEEKDAYS[date.weekday()], to_minutes(hours.open),
                                 to_minutes(hours.close), closed, factor, mix))
        date += dt.timedelta(days=1)
    return plans


def expected_by_service(s: Scenario, factor: float) -> dict[str, float]:
    """Expected arrivals of each service of ``service_mix`` on a day with weekday
    ``factor`` (``visitors_per_day`` × factor × the service's share of the mix)."""
    d = s.demand
    total_w = sum(d.service_mix.values())
    return {k: d.visitors_per_day * factor * w / total_w for k, w in d.service_mix.items()}


def day_demand(s: Scenario, date: dt.date, factor: float) -> tuple[float, tuple[tuple[str, float], ...] | None]:
    """(factor, mix) of ``date``: the weekday ``factor`` and the scenario's mix (None), or,
    when ``demand.by_date`` names the date, the factor that makes the day's expected
    arrivals the sum of every service's expected arrivals and the mix of those arrivals."""
    fixed = s.demand.by_date.get(date)
    d = s.demand
    if not fixed or d.visitors_per_day is None:
        return factor, None
    expected = expected_by_service(s, factor)
    expected.update({k: float(v) for k, v in fixed.items()})
    total = sum(expected.values())
    if total <= 0:
        return 0.0, None
    return total / d.visitors_per_day, tuple((k, v / total) for k, v in expected.items())


def rate_pieces(s: Scenario, day: DayPlan) -> list[tuple[float, float, float]]:
    """(start, end, rate per minute) pieces of the arrival rate on ``day``."""
    d = s.demand
    if d.arrival_rate_per_min is not None and (s.continuous or d.visitors_per_day is None):
        return [(a, b, d.arrival_rate_per_min * day.factor) for a, b in day.open_periods()]
    profile = sorted((to_minutes(k), w) for k, w in (d.hourly_profile or {}).items())
    if not profile:
        profile = [(day.open_min, 1.0)]
    pieces = []
    for a, b in day.open_periods():
        cuts = sorted({a, b, *(t for t, _ in profile if a < t < b)})
        for lo, hi in zip(cuts, cuts[1:]):
            weight = profile[0][1]
            for t, w in profile:
                if t <= lo:
                    weight = w
            pieces.append((lo, hi, weight))
    total = sum((hi - lo) * w for lo, hi, w in pieces)
    if total <= 0:
        return [(lo, hi, 0.0) for lo, hi, _ in pieces]
    scale = d.visitors_per_day * day.factor / total
    return [(lo, hi, w * scale) for lo, hi, w in pieces]


def calendar_problems(s: Scenario) -> list[tuple[str, str]]:
    """(field path, message) problems of the run's calendar: an adjusted working weekend
    day kept like a weekday the hall is closed on, or opening days beyond the years the
    public calendar knows. Empty for continuous runs and halls on the plain weekdays."""
    if s.continuous or not (s.run.calendar == "chinese" or s.run.closed_dates) \
            or all(h is None for h in s.hall.opening_hours.values()):
        return []
    if s.run.calendar == "chinese" and s.hall.opening_hours.get(s.run.adjusted_workday_as) is None:
        return [("run.adjusted_workday_as", say("calendar.adjusted_closed", weekday=s.run.adjusted_workday_as))]
    try:
        day_plans(s)
    except CalendarError:
        first, last = supported_years()
        return [("run.start_date", say("calendar.range", days=s.run.days, start=s.run.start_date.isoformat(),
                                       first=first, last=last))]
    return []
