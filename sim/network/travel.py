"""Travel times from every zone to every point, by mode of travel.

Minutes by mode = the mode's ``access_min`` + ``travel.detour`` × straight-line km /
``speed_kmh`` × 60 (by the mode's ``instead`` beyond its ``max_km`` road km), unless ``travel.matrix`` gives the pair's minutes (then for every
mode). The choice rule uses each group's mean over modes (weighted by the group's mode
shares); the circle counts residents mode by mode.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.network.schema import Network

__all__ = ["TravelTimes", "travel_times", "distance_km"]


def distance_km(ax: float, ay: float, bx: float, by: float) -> float:
    """Straight-line distance between two points of the map, km."""
    return math.hypot(ax - bx, ay - by)


@dataclass(frozen=True)
class TravelTimes:
    """``minutes[z, p, m]``: door-to-door minutes from zone ``zones[z]`` to point
    ``points[p]`` by mode ``modes[m]``; ``share[m]`` / ``elderly_share[m]``: the share of
    other / elderly residents travelling by mode ``m``."""

    zones: tuple[str, ...]
    points: tuple[str, ...]
    modes: tuple[str, ...]
    minutes: np.ndarray
    share: np.ndarray
    elderly_share: np.ndarray

    def mode_shares(self, elderly: bool) -> np.ndarray:
        return self.elderly_share if elderly else self.share

    def mean(self, elderly: bool) -> np.ndarray:
        """Zone × point mean minutes of the group (elderly or others) over its modes."""
        return self.minutes @ self.mode_shares(elderly)


def travel_times(network: Network) -> TravelTimes:
    """The :class:`TravelTimes` of ``network``."""
    t = network.travel
    zones, points = network.zones, network.points
    by_name = {m.name: m for m in t.modes}
    minutes = np.empty((len(zones), len(points), len(t.modes)))
    for z, zone in enumerate(zones):
        row = t.matrix.get(zone.name, {})
        for p, point in enumerate(points):
            given = row.get(point.name)
            km = distance_km(zone.x_km, zone.y_km, point.x_km, point.y_km) * t.detour
            for m, mode in enumerate(t.modes):
                if mode.max_km is not None and km > mode.max_km and mode.instead in by_name:
                    mode = by_name[mode.instead]
                minutes[z, p, m] = given if given is not None else mode.access_min + km / mode.speed_kmh * 60.0
    return TravelTimes(tuple(z.name for z in zones), tuple(p.name for p in points), tuple(m.name for m in t.modes),
                       minutes, np.array([m.share for m in t.modes]), np.array([m.elderly_share for m in t.modes]))
