"""The network file: a county's service points, the zones its people live in, how they
travel and how they choose where to go.

A network is an immutable, validated value like a scenario (pydantic, unknown keys
rejected, every number bounded). :mod:`sim.network.loader` reads it from YAML, loads each
point's hall scenario and checks the fields that span files. Units: distances and
coordinates in km, speeds in km/h, times in minutes, demand in visits per 1,000 residents
per opening day with weekday factor 1 (the point's own weekday factors and hourly profile
shape it through the week and the day).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.scenario.schema import Name

__all__ = [
    "Network",
    "Point",
    "Zone",
    "Mode",
    "Travel",
    "Choice",
    "Channel",
    "NetworkDemand",
    "NetworkRun",
    "CHANNEL_KINDS",
    "COORD_KM",
]

COORD_KM = 1000.0
"""Coordinates lie within ±this many km of the map's origin."""

CHANNEL_KINDS = ("kiosk", "home", "app")

Coord = Annotated[float, Field(ge=-COORD_KM, le=COORD_KM)]
Share = Annotated[float, Field(ge=0, le=1)]
Minutes = Annotated[float, Field(ge=0, le=1440)]
Per1000 = Annotated[float, Field(ge=0, le=100)]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Point(_Value):
    """A service point: a hall scenario (``scenario``, a path relative to the network file;
    ``extends:`` works inside it) placed at (``x_km``, ``y_km``).

    ``level`` (optional) must equal the scenario's ``hall.level`` — the level decides the
    minimum standards. ``instant_issue`` says whether the point makes cards on the spot
    (立等可取); left out, it is true when the scenario has an instant-issue service in its
    mix, a window serving it and an instant printer."""

    name: Name
    scenario: str = Field(min_length=1, max_length=500)
    x_km: Coord
    y_km: Coord
    level: Literal["city", "county", "bank_outlet", "town", "agency"] | None = None
    instant_issue: bool | None = None


class Zone(_Value):
    """A town, street or community whose residents all live at (``x_km``, ``y_km``).

    ``demand_per_1000`` (optional) replaces the network's ``demand.per_1000`` for this
    zone: visits per 1,000 residents per opening day, per service."""

    name: Name
    population: int = Field(ge=0, le=10_000_000)
    elderly_share: Share = 0.25
    x_km: Coord
    y_km: Coord
    demand_per_1000: dict[Name, Per1000] | None = None


class Mode(_Value):
    """A way of travelling: door-to-door minutes = ``access_min`` + detour × straight-line
    km / ``speed_kmh`` × 60. ``share`` of the other residents and ``elderly_share`` of the
    elderly travel this way (each set of shares sums to 1 over the modes). A trip longer
    than ``max_km`` (road km) is made by the mode named ``instead`` (one that has no
    ``max_km``): nobody walks 15 km to a card window, they take the bus."""

    name: Name
    speed_kmh: float = Field(ge=1, le=200)
    access_min: Minutes = 0.0
    share: Share = 1.0
    elderly_share: Share = 1.0
    max_km: float | None = Field(None, gt=0, le=2000)
    instead: Name | None = None


class Travel(_Value):
    """Travel times. By default from coordinates: straight-line distance × ``detour``
    (roads are not straight) at each mode's speed. ``matrix`` (optional) gives measured
    minutes ``{zone: {point: minutes}}`` that replace the computed time of those pairs for
    every mode; pairs it leaves out (a point added by a what-if) keep the computed time."""

    detour: float = Field(1.3, ge=1, le=3)
    modes: list[Mode] = Field(default_factory=lambda: [Mode(name="road", speed_kmh=30.0)], min_length=1, max_length=10)
    matrix: dict[Name, dict[Name, Minutes]] = Field(default_factory=dict)


class Choice(_Value):
    """How visitors choose a point that serves their service.

    ``logit``: multinomial logit on the utility −(``travel_per_min`` × travel +
    ``wait_per_min`` × expected wait), the elderly with ``elderly_travel_per_min`` instead
    (they weigh travel more); probabilities are proportional to exp(utility). ``nearest``:
    everyone goes to the nearest point by mean travel time (ties split evenly), waits
    ignored.

    Expected waits start at 0 and are updated ``rounds`` times: each round assigns the
    demand, estimates each point's mean wait — ``erlang``: the M/M/c mean wait of its
    windows at the assigned load (``wait_cap_min`` when overloaded); ``simulation``: the
    simulated mean wait of a short run (``simulation_reps`` replications) — and moves the
    expected wait ``damping`` of the way to the new estimate (method of successive
    averages when damping is below 1, so that the iteration settles instead of
    oscillating between two points)."""

    rule: Literal["logit", "nearest"] = "logit"
    travel_per_min: float = Field(0.15, ge=0, le=5)
    elderly_travel_per_min: float = Field(0.25, ge=0, le=5)
    wait_per_min: float = Field(0.10, ge=0, le=5)
    expected_wait: Literal["erlang", "simulation"] = "erlang"
    rounds: int = Field(5, ge=1, le=50)
    damping: float = Field(0.5, gt=0, le=1)
    wait_cap_min: float = Field(240.0, gt=0, le=1440)
    simulation_reps: int = Field(2, ge=1, le=20)


class Channel(_Value):
    """A channel that takes a fixed share of the demand for its services before anyone
    chooses a point: ``kiosk`` (self-service terminals outside the halls), ``home`` (home
    service, 上门服务) or ``app`` (the province's app, the electronic card). ``share`` of
    the other residents' visits and ``elderly_share`` of the elderly's go there. A channel
    is not a queue: it serves everyone it takes, and has no wait."""

    name: Name
    kind: Literal["kiosk", "home", "app"]
    services: list[Name] = Field(min_length=1)
    share: Share = 0.0
    elderly_share: Share = 0.0


class NetworkDemand(_Value):
    """Visits per 1,000 residents per opening day (weekday factor 1), per service
    (``per_1000``); a zone may give its own. ``elderly_visit_ratio``: an elderly resident
    makes this many times the visits of another resident (so a zone's visitors are more
    elderly than its residents when it is above 1)."""

    per_1000: dict[Name, Per1000] = Field(min_length=1)
    elderly_visit_ratio: float = Field(1.5, ge=0.1, le=10)


class NetworkRun(_Value):
    """What every point simulates: ``days`` opening days (replacing each scenario's
    ``run.days``) and ``replications`` by default; ``circle_min`` is the radius of the
    service circle in minutes (10分钟办卡服务圈)."""

    days: int = Field(5, ge=1, le=3660)
    replications: int = Field(10, ge=1, le=10_000)
    circle_min: float = Field(10.0, ge=1, le=120)


class Network(_Value):
    """A whole network; see the README section "Networks of service points"."""

    description: str = ""
    name: str = Field(min_length=1, max_length=200)
    points: list[Point] = Field(min_length=1, max_length=500)
    zones: list[Zone] = Field(min_length=1, max_length=5000)
    demand: NetworkDemand
    travel: Travel = Travel()
    choice: Choice = Choice()
    channels: list[Channel] = Field(default_factory=list, max_length=20)
    run: NetworkRun = NetworkRun()

