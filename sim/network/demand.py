"""Who needs a service where: zone demand by service and group, the channels' part of it,
and the hall scenario a point runs once its demand is assigned.

Zone ``z`` makes ``population / 1000 × per_1000[s]`` visits per opening day for service
``s`` (weekday factor 1). Elderly residents make ``elderly_visit_ratio`` times the visits
of the others, so with elderly share ``e`` and ratio ``ρ`` the others make
``R (1 − e) / (1 − e + ρ e)`` and the elderly ``R ρ e / (1 − e + ρ e)`` of the zone's
``R`` visits. Each channel then takes its share of its services' visits (by group); the
rest choose a point (:mod:`sim.network.choice`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from sim.network.loader import LoadedNetwork, point_services
from sim.scenario.loader import with_overrides
from sim.scenario.schema import Scenario

__all__ = ["GROUPS", "ZoneDemand", "zone_demand", "point_scenario", "MIN_VISITS_PER_DAY", "PointLoad", "point_loads"]

GROUPS = ("other", "elderly")
"""The two groups of residents, in the order of the last axis of demand arrays."""

MIN_VISITS_PER_DAY = 1e-6
"""A point assigned fewer visits per day than this is not simulated (it has no visitors)."""


@dataclass(frozen=True)
class ZoneDemand:
    """``visits[z, s, g]``: visits per opening day of zone ``zones[z]`` for service
    ``services[s]`` by group ``GROUPS[g]``; ``channel[k, s, g]``: the share channel
    ``channels[k]`` takes of them; ``to_points = 1 − Σ_k channel``; ``capable[p, s]``:
    point ``points[p]`` has a window serving service ``s``."""

    zones: tuple[str, ...]
    services: tuple[str, ...]
    points: tuple[str, ...]
    channels: tuple[str, ...]
    visits: np.ndarray
    channel: np.ndarray
    capable: np.ndarray

    @property
    def to_points(self) -> np.ndarray:
        """Share of each (service, group) that chooses a point (after the channels)."""
        return 1.0 - self.channel.sum(axis=0)


def zone_demand(loaded: LoadedNetwork) -> ZoneDemand:
    """The :class:`ZoneDemand` of a loaded network."""
    net = loaded.network
    services = sorted(set(net.demand.per_1000).union(*((z.demand_per_1000 or {}) for z in net.zones)))
    ratio = net.demand.elderly_visit_ratio
    visits = np.zeros((len(net.zones), len(services), 2))
    for z, zone in enumerate(net.zones):
        rates = zone.demand_per_1000 if zone.demand_per_1000 is not None else net.demand.per_1000
        e = zone.elderly_share
        weight = 1.0 - e + ratio * e
        for s, svc in enumerate(services):
            total = zone.population / 1000.0 * rates.get(svc, 0.0)
            visits[z, s] = (total * (1.0 - e) / weight, total * ratio * e / weight)
    channel = np.zeros((len(net.channels), len(services), 2))
    for k, ch in enumerate(net.channels):
        for s, svc in enumerate(services):
            if svc in ch.services:
                channel[k, s] = (ch.share, ch.elderly_share)
    capable = np.array([[svc in point_services(loaded.scenarios[p.name]) for svc in services] for p in net.points],
                       dtype=bool).reshape(len(net.points), len(services))
    return ZoneDemand(tuple(z.name for z in net.zones), tuple(services), tuple(p.name for p in net.points),
                      tuple(c.name for c in net.channels), visits, channel, capable)


@dataclass(frozen=True)
class PointLoad:
    """The demand assigned to one point: visits per opening day (weekday factor 1), the
    visits per day of each service, and the elderly share of them."""

    visitors_per_day: float
    by_service: Mapping[str, float]
    elderly_share: float


def point_loads(demand: ZoneDemand, flow: np.ndarray) -> list[PointLoad]:
    """Each point's :class:`PointLoad` from ``flow[z, s, g, p]`` (visits per day)."""
    loads = []
    for p in range(len(demand.points)):
        f = flow[..., p]
        total = float(f.sum())
        by_service = {svc: float(f[:, s, :].sum()) for s, svc in enumerate(demand.services) if f[:, s, :].sum() > 0}
        loads.append(PointLoad(total, by_service, float(f[..., 1].sum()) / total if total > 0 else 0.0))
    return loads


def point_scenario(scenario: Scenario, load: PointLoad, days: int, replications: int) -> Scenario | None:
    """The hall scenario with the assigned demand: ``demand.visitors_per_day``, the
    ``service_mix`` (visits per day by service) and the ``elderly_share`` replaced, no
    ``by_date`` entries, and the network's days and replications. The hall's own hourly
    profile and weekday factors still shape the demand. None when the point has (almost)
    no visitors."""
    if load.visitors_per_day < MIN_VISITS_PER_DAY:
        return None
    return with_overrides(scenario, {
        "demand.visitors_per_day": load.visitors_per_day,
        "demand.service_mix": dict(load.by_service),
        "demand.elderly_share": min(1.0, max(0.0, load.elderly_share)),
        "demand.by_date": {},
        "run.days": days,
        "run.replications": replications,
    }, source=f"<{scenario.hall.name} with the network's demand>")
