"""Reading a network file: the network, and the hall scenario of every point.

Problems are reported like the scenario loader's (:class:`sim.scenario.loader.ScenarioError`):
``FILE: field.path: message``, one line per field. A problem inside a point's scenario
file is reported at that point's ``scenario`` field and names the scenario file and its
field (``net.yaml: points.2.scenario: outlet.yaml: windows.0.services: …``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from pydantic import ValidationError

from sim.network.schema import Network, Point
from sim.scenario.loader import ScenarioError, load_scenario, read_mapping_yaml
from sim.scenario.messages import from_pydantic
from sim.scenario.schema import Scenario

__all__ = ["LoadedNetwork", "load_network", "load_network_text", "network_problems", "point_services",
           "issues_on_the_spot", "quoted", "SHARE_TOLERANCE"]

SHARE_TOLERANCE = 1e-6
"""How far a set of shares may be from summing to 1 (or exceed 1)."""


def quoted(value, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters with "…"."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class LoadedNetwork:
    """A validated network with the hall scenario of each point (``scenarios[point name]``).
    ``source`` names the file (in messages); ``sources[point name]`` the scenario file."""

    network: Network
    scenarios: Mapping[str, Scenario]
    source: str = "<network>"
    sources: Mapping[str, str] = field(default_factory=dict)

    def point(self, name: str) -> Point:
        for p in self.network.points:
            if p.name == name:
                return p
        raise KeyError(name)

    def with_points(self, points: list[Point], scenarios: Mapping[str, Scenario],
                    sources: Mapping[str, str] | None = None) -> "LoadedNetwork":
        """The same network with ``points`` instead (each name in ``scenarios``)."""
        net = self.network.model_copy(update={"points": list(points)})
        keep = {p.name for p in points}
        return replace(self, network=net, scenarios={k: v for k, v in scenarios.items() if k in keep},
                       sources={k: v for k, v in (sources or self.sources).items() if k in keep})


def point_services(scenario: Scenario) -> set[str]:
    """The services some window of the hall serves (a visitor for another service cannot
    be served there)."""
    return {svc for w in scenario.windows for svc in w.services if svc in scenario.services}


def issues_on_the_spot(scenario: Scenario) -> bool:
    """True when the hall makes cards on the spot: an instant-issue service in its mix, a
    window serving it and at least one instant printer."""
    if scenario.devices.instant_printers.count < 1:
        return False
    served = point_services(scenario)
    return any(spec.instant_issue and svc in served and scenario.demand.service_mix.get(svc, 0) > 0
               for svc, spec in scenario.services.items())


def _parse(data: dict, source: str) -> Network:
    try:
        return Network.model_validate(data)
    except ValidationError as exc:
        problems = [(".".join(str(p) for p in e["loc"]), from_pydantic(e)) for e in exc.errors()]
        raise ScenarioError(source, problems) from None


def _load_points(network: Network, base_dir: Path) -> tuple[dict[str, Scenario], dict[str, str], list[tuple[str, str]]]:
    scenarios: dict[str, Scenario] = {}
    sources: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for i, p in enumerate(network.points):
        path = base_dir / p.scenario
        try:
            scenarios[p.name] = load_scenario(path)
            sources[p.name] = str(path)
        except ScenarioError as exc:
            problems += [(f"points.{i}.scenario", line) for line in exc.lines()]
    return scenarios, sources, problems


def network_problems(network: Network, scenarios: Mapping[str, Scenario], demand_served: bool = True) -> list[tuple[str, str]]:
    """Problems that span fields or files, as (field path, message) pairs; empty when the
    network is consistent. ``demand_served=False`` allows a service nobody serves (a
    what-if that closes the only point serving it: its visitors are counted unserved)."""
    problems: list[tuple[str, str]] = []
    add = lambda path, msg: problems.append((path, msg))  # noqa: E731
    for what, items in (("points", network.points), ("zones", network.zones), ("channels", network.channels)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.name in seen:
                add(f"{what}.{i}.name", f"duplicate name {quoted(item.name)}")
            seen.add(item.name)
    served: set[str] = set()
    for i, p in enumerate(network.points):
        s = scenarios.get(p.name)
        if s is None:
            continue
        served |= point_services(s)
        if p.level is not None and p.level != s.hall.level:
            add(f"points.{i}.level", f"{quoted(p.level)} differs from the scenario's hall.level {quoted(s.hall.level)}")
        if p.instant_issue and not issues_on_the_spot(s):
            add(f"points.{i}.instant_issue",
                "the scenario cannot issue cards on the spot (it needs an instant_issue service in its mix, a window "
                "serving it and devices.instant_printers.count >= 1)")
        if s.continuous:
            add(f"points.{i}.scenario", "a point must be a hall with opening hours, not a continuous run (run.horizon_min)")
    modes = network.travel.modes
    for key in ("share", "elderly_share"):
        total = sum(getattr(m, key) for m in modes)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            add("travel.modes", f"the modes' {key} values must sum to 1 (got {total:g})")
    mode_names = [m.name for m in modes]
    unlimited = {m.name for m in modes if m.max_km is None}
    for i, mode in enumerate(modes):
        if mode.name in mode_names[:i]:
            add(f"travel.modes.{i}.name", f"duplicate name {quoted(mode.name)}")
        if (mode.max_km is None) != (mode.instead is None):
            add(f"travel.modes.{i}.instead", "give max_km and instead together (or neither)")
        elif mode.instead is not None and mode.instead not in unlimited:
            add(f"travel.modes.{i}.instead",
                f"{quoted(mode.instead)} is not a mode without max_km (modes: {', '.join(mode_names)})")
    zones = {z.name for z in network.zones}
    points = {p.name for p in network.points}
    for zone, row in network.travel.matrix.items():
        if zone not in zones:
            add(f"travel.matrix.{zone}", f"unknown zone {quoted(zone)}")
        for point in row:
            if point not in points:
                add(f"travel.matrix.{zone}.{point}", f"unknown point {quoted(point)}")
    known = set().union(*(set(s.services) for s in scenarios.values())) if scenarios else set()
    demands = [("demand.per_1000", network.demand.per_1000)]
    demands += [(f"zones.{i}.demand_per_1000", z.demand_per_1000) for i, z in enumerate(network.zones)
                if z.demand_per_1000 is not None]
    for path, rates in demands:
        for svc, rate in rates.items():
            if svc not in known:
                add(f"{path}.{svc}", f"unknown service {quoted(svc)} (no point's scenario defines it)")
            elif demand_served and rate > 0 and svc not in served:
                add(f"{path}.{svc}", f"no point has a window serving {quoted(svc)}")
    totals: dict[tuple[str, str], float] = {}
    for i, ch in enumerate(network.channels):
        for svc in ch.services:
            if svc not in known:
                add(f"channels.{i}.services", f"unknown service {quoted(svc)}")
            for key in ("share", "elderly_share"):
                totals[(svc, key)] = totals.get((svc, key), 0.0) + getattr(ch, key)
    for (svc, key), total in totals.items():
        if total > 1 + SHARE_TOLERANCE:
            add("channels", f"the channels' {key} values for {quoted(svc)} add up to more than 1 (got {total:g})")
    return problems


def _finish(network: Network, base_dir: Path, source: str) -> LoadedNetwork:
    scenarios, sources, problems = _load_points(network, base_dir)
    problems += network_problems(network, scenarios)
    if problems:
        raise ScenarioError(source, problems)
    return LoadedNetwork(network, scenarios, source, sources)


def load_network_text(text: str, source: str = "<text>", base_dir: str | Path | None = None) -> LoadedNetwork:
    """A network from YAML text; point scenarios are resolved against ``base_dir``."""
    data = read_mapping_yaml(text, source)
    return _finish(_parse(data, source), Path(base_dir) if base_dir else Path.cwd(), source)


def load_network(path: str | Path) -> LoadedNetwork:
    """The network in a YAML file, with every point's scenario loaded and checked."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(str(p), [("", "no such file")])
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(p), [("", f"cannot read the file: {exc}")]) from None
    return load_network_text(text, str(p), p.parent)
