"""Arrivals: which days are simulated, when visitors come and what they come for.

Arrivals are a non-homogeneous Poisson process whose rate is piecewise constant: the
hourly profile (relative weights, each from its "HH:MM" key until the next one) scaled so
that the expected number of arrivals on a day is ``visitors_per_day`` times the weekday
factor, and zero while the hall is closed for lunch. Counts per piece are Poisson and
times within a piece uniform, which samples such a process exactly. Every attribute of a
visitor is drawn up front from its own named stream, so replication *r* of two scenarios
meets the same visitors (common random numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .clock import to_minutes
from .scenario import WEEKDAYS, Scenario
from .streams import Streams
from .workdays import WorkCalendar

__all__ = ["DayPlan", "day_plans", "day_demand", "expected_by_service", "hall_calendar", "opening_weekday", "rate_pieces", "Visitor", "draw_visitors"]


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


def arrival_times(pieces: list[tuple[float, float, float]], rng: np.random.Generator) -> np.ndarray:
    """Sorted arrival times of a Poisson process with the given piecewise-constant rate."""
    parts = []
    for lo, hi, rate in pieces:
        n = rng.poisson(rate * (hi - lo))
        if n:
            parts.append(rng.uniform(lo, hi, n))
    if not parts:
        return np.empty(0)
    return np.sort(np.concatenate(parts))


class Visitor:
    """One visit to the hall, with everything drawn for it on arrival and what happened."""

    __slots__ = (
        "vid", "day", "arrival", "service", "elderly", "repeat", "base_time", "kiosk_time",
        "patience", "doc_u", "kiosk_u", "triage_time", "detect_u", "print_time", "return_u",
        "delay_u", "lacks_docs", "ticket_time", "ticket", "key", "waiting", "window", "staff",
        "call", "start", "end", "card", "outcome", "stage", "covered",
    )

    def __init__(self):
        self.ticket_time = self.ticket = self.key = None
        self.window = self.staff = None
        self.call = self.start = self.end = self.card = None
        self.outcome = self.stage = None
        self.waiting = False
        self.covered = False
        self.lacks_docs = False


def draw_visitors(s: Scenario, day: DayPlan, streams: Streams, first_id: int, returning: list[Visitor]) -> list[Visitor]:
    """The visitors of ``day`` in order of arrival: new ones plus ``returning`` repeat visits."""
    d = s.demand
    times = arrival_times(rate_pieces(s, day), streams("arrivals"))
    n = len(times)
    mix = day.mix if day.mix is not None else tuple(d.service_mix.items())
    names = [k for k, _w in mix]
    weights = np.array([w for _k, w in mix], dtype=float)
    svc_idx = streams("mix").choice(len(names), size=n, p=weights / weights.sum()) if n else np.empty(0, int)
    elderly = streams("elderly").random(n) < d.elderly_share
    base = np.empty(n)
    kiosk = np.full(n, np.nan)
    for i, name in enumerate(names):
        mask = svc_idx == i
        k = int(mask.sum())
        spec = s.services[name]
        base[mask] = spec.window_time.sample(streams(f"service_time:{name}"), k) if k else []
        if spec.kiosk_time is not None and k:
            kiosk[mask] = spec.kiosk_time.sample(streams(f"kiosk_time:{name}"), k)
    pol = s.policies
    patience = pol.patience.sample(streams("patience"), n) if pol.patience is not None else np.full(n, np.inf)
    doc_u = streams("documents").random(n)
    kiosk_u = streams("kiosk_choice").random(n)
    triage = pol.guide_desk.triage_time.sample(streams("triage"), n)
    detect_u = streams("detection").random(n)
    printing = s.devices.instant_printers.print_time.sample(streams("print_time"), n)
    rep = streams("repeat").random((n, 2))

    out: list[Visitor] = []
    columns = zip(
        range(first_id, first_id + n), times.tolist(), svc_idx.tolist(), elderly.tolist(), base.tolist(),
        kiosk.tolist(), patience.tolist(), doc_u.tolist(), kiosk_u.tolist(), triage.tolist(),
        detect_u.tolist(), printing.tolist(), rep[:, 0].tolist(), rep[:, 1].tolist(),
    )
    index = day.index
    for vid, t, k, old, b, ks, pat, du, ku, tr, de, pr, ru, dl in columns:
        v = Visitor()
        v.vid, v.day, v.arrival, v.service, v.elderly, v.repeat = vid, index, t, names[k], old, False
        v.base_time, v.kiosk_time, v.patience, v.doc_u, v.kiosk_u = b, ks, pat, du, ku
        v.triage_time, v.detect_u, v.print_time, v.return_u, v.delay_u = tr, de, pr, ru, dl
        out.append(v)
    if returning:
        out.extend(_returning(s, day, streams, first_id + n, returning))
        out.sort(key=lambda v: v.arrival)
    for v in out:
        spec = s.services[v.service]
        p = spec.missing_docs_prob * (pol.repeat_visits.missing_docs_factor if v.repeat else 1.0)
        v.lacks_docs = v.doc_u < p
    return out


def _returning(s: Scenario, day: DayPlan, streams: Streams, first_id: int, returning: list[Visitor]) -> list[Visitor]:
    """Fresh visits on ``day`` for visitors who were sent away for missing documents."""
    rng = streams("repeat")
    pieces = rate_pieces(s, day)
    lengths = np.array([(hi - lo) * rate for lo, hi, rate in pieces])
    out = []
    for j, old in enumerate(returning):
        v = Visitor()
        v.vid = first_id + j
        v.day = day.index
        if lengths.sum() > 0:
            k = rng.choice(len(pieces), p=lengths / lengths.sum())
            v.arrival = float(rng.uniform(pieces[k][0], pieces[k][1]))
        else:
            v.arrival = float(rng.uniform(day.open_min, day.close_min))
        v.service = old.service
        v.elderly = old.elderly
        v.repeat = True
        spec = s.services[v.service]
        v.base_time = float(spec.window_time.sample(rng, 1)[0])
        v.kiosk_time = float(spec.kiosk_time.sample(rng, 1)[0]) if spec.kiosk_time is not None else float("nan")
        v.patience = float(s.policies.patience.sample(rng, 1)[0]) if s.policies.patience is not None else float("inf")
        v.doc_u, v.kiosk_u, v.detect_u, v.return_u, v.delay_u = (float(x) for x in rng.random(5))
        v.triage_time = float(s.policies.guide_desk.triage_time.sample(rng, 1)[0])
        v.print_time = float(s.devices.instant_printers.print_time.sample(rng, 1)[0])
        out.append(v)
    return out
