"""A day of a scenario minute by minute, as planned: doors, open windows, staff on shift, demand.

Nothing here is random: :class:`DayGrid` lays one :class:`~sim.scenario.days.DayPlan` on a
grid of whole minutes (minute *m* is the interval [m, m + 1)) and says, for each minute,
whether the doors are open, which windows are open by their own hours, how many staff
members are on shift and not on a scheduled break (random absences are left out), and
the expected arrivals of each service. The semantic checks (:mod:`sim.scenario.checks`)
read offered load and capacity from it, and the results layer the minutes in which the
doors are open while no window is.

Clock times in scenarios are whole minutes, so the grid is exact for opening hours,
window hours, shifts and breaks that start on a whole minute (break durations are rounded
up to whole minutes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sim.scenario.clock import to_minutes
from sim.scenario.days import DayPlan, rate_pieces
from sim.scenario.visits import HELPER_POST

__all__ = ["DayGrid", "window_minutes", "attendants"]


def window_minutes(scenario, window, weekday: str | None = None) -> list[tuple[float, float]]:
    """The (start, end) minute periods of ``window``'s own hours on ``weekday``
    (``hours_by_weekday``); ``None`` hours mean the whole day (0 to 24:00)."""
    hours = window.hours_on(weekday)
    if hours is None:
        return [(0.0, 24 * 60.0)]
    return [(float(to_minutes(p.start)), float(to_minutes(p.end))) for p in hours]


def attendants(scenario, weekday: str | None = None) -> list:
    """The staff entries working on ``weekday`` (``by_weekday``) who may attend a window:
    everyone but guide-desk staff who may not leave the desk
    (``policies.guide_desk.staff_may_cover: false``) and helpers who may not leave the
    helper post (``helpers.staff_may_cover: false``)."""
    may_cover = scenario.policies.guide_desk.staff_may_cover
    helpers_cover = scenario.helpers is not None and scenario.helpers.staff_may_cover
    return [p for p in scenario.staff_on(weekday)
            if (p.a_post != "guide" or may_cover) and (p.a_post != HELPER_POST or helpers_cover)]


@dataclass(frozen=True)
class DayGrid:
    """One day of ``scenario`` on a grid of whole minutes from ``start`` (inclusive) to
    ``end`` (exclusive): the day's opening to its closing, or a continuous horizon."""

    scenario: object
    day: DayPlan

    @property
    def start(self) -> int:
        return int(math.floor(self.day.open_min))

    @property
    def end(self) -> int:
        return int(math.ceil(self.day.close_min))

    @cached_property
    def minutes(self) -> np.ndarray:
        """The minute of each cell (minutes since midnight, or since the start)."""
        return np.arange(self.start, self.end, dtype=float)

    def _cover(self, periods) -> np.ndarray:
        t = self.minutes
        hit = np.zeros(len(t), dtype=bool)
        for a, b in periods:
            hit |= (t >= a) & (t < b)
        return hit

    @cached_property
    def doors(self) -> np.ndarray:
        """True where the doors are open (opening hours less a closed lunch)."""
        return self._cover(self.day.open_periods())

    @cached_property
    def window_open(self) -> np.ndarray:
        """(windows, minutes): True where window *i* is open by its own hours and the doors are open."""
        s = self.scenario
        if not s.windows:
            return np.zeros((0, len(self.minutes)), dtype=bool)
        return np.stack([self._cover(window_minutes(s, w, self.day.weekday)) & self.doors for w in s.windows])

    @cached_property
    def staff_on(self) -> np.ndarray:
        """Staff members on shift and not on a scheduled break at each minute; with
        ``policies.staffing: always``, one per window (every window is attended)."""
        s = self.scenario
        if s.policies.staffing == "always":
            return np.full(len(self.minutes), float(len(s.windows)))
        on = np.zeros(len(self.minutes))
        for p in attendants(s, self.day.weekday):
            here = self._cover([(to_minutes(p.shift.start), to_minutes(p.shift.end))])
            for b in p.breaks:
                t = to_minutes(b.start)
                here &= ~self._cover([(t, t + math.ceil(b.duration_min))])
            on += here
        return on

    @cached_property
    def attended(self) -> np.ndarray:
        """Windows that can be attended at each minute: open windows, at most the staff on shift."""
        return np.minimum(self.window_open.sum(axis=0), self.staff_on)

    @cached_property
    def arrivals(self) -> dict[str, np.ndarray]:
        """Expected arrivals of each service in each minute (the day's mix of the rate)."""
        total = np.zeros(len(self.minutes))
        t = self.minutes
        for lo, hi, rate in rate_pieces(self.scenario, self.day):
            # the part of each minute cell [t, t + 1) inside the piece, times the rate
            total += rate * np.clip(np.minimum(t + 1, hi) - np.maximum(t, lo), 0.0, None)
        mix = self.day.mix if self.day.mix is not None else tuple(self.scenario.demand.service_mix.items())
        weight = sum(w for _k, w in mix)
        if weight <= 0:
            return {k: np.zeros(len(t)) for k, _w in mix}
        return {k: total * (w / weight) for k, w in mix}

    def no_window_open_min(self) -> float:
        """Minutes in which the doors are open and no window is open."""
        if not len(self.minutes):
            return 0.0
        return float(np.count_nonzero(self.doors & ~self.window_open.any(axis=0)))
