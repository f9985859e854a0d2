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

import yaml
from pydantic import ValidationError

from sim.network.schema import Network, Point
from sim.scenario.loader import ScenarioError, load_scenario, read_mapping_yaml, scenario_to_yaml
from sim.scenario.messages import Message, from_pydantic, say
from sim.scenario.schema import Scenario

__all__ = ["LoadedNetwork", "load_network", "load_network_text", "network_problems", "point_services",
           "issues_on_the_spot", "file_problems", "network_files", "SHARE_TOLERANCE"]

SHARE_TOLERANCE = 1e-6
"""How far a set of shares may be from summing to 1 (or exceed 1)."""


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


def file_problems(field_path: str, exc: ScenarioError) -> list[tuple[str, Message]]:
    """The problems of a file another file names (a point's scenario, a candidate's) as
    problems of the naming field: ``(field_path, "FILE: field: message")``, each a
    :class:`~sim.scenario.messages.Message` that says the inner message in Chinese too."""
    where = exc.source if exc.given is None else f"{exc.source} (extends {exc.given})"
    out = []
    for path, msg in exc.problems:
        if path:
            english, key, values = f"{where}: {path}: {msg}", "network.in_file", {"file": where, "field": path}
        else:
            english, key, values = f"{where}: {msg}", "network.in_file_top", {"file": where}
        out.append((field_path, Message(english, key, {**values, "problem": msg})))
    return out


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
            problems += file_problems(f"points.{i}.scenario", exc)
    return scenarios, sources, problems


def network_problems(network: Network, scenarios: Mapping[str, Scenario], demand_served: bool = True) -> list[tuple[str, str]]:
    """Problems that span fields or files, as (field path, message) pairs; empty when the
    network is consistent. ``demand_served=False`` allows a service nobody serves (a
    what-if that closes the only point serving it: its visitors are counted unserved)."""
    problems: list[tuple[str, str]] = []

    def add(path: str, message: str, /, **values) -> None:
        problems.append((path, say(message, **values)))

    for what, items in (("points", network.points), ("zones", network.zones), ("channels", network.channels)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.name in seen:
                add(f"{what}.{i}.name", "network.duplicate_name", name=item.name)
            seen.add(item.name)
    served: set[str] = set()
    for i, p in enumerate(network.points):
        s = scenarios.get(p.name)
        if s is None:
            continue
        served |= point_services(s)
        if p.level is not None and p.level != s.hall.level:
            add(f"points.{i}.level", "network.level_differs", level=p.level, hall=s.hall.level)
        if p.instant_issue and not issues_on_the_spot(s):
            add(f"points.{i}.instant_issue", "network.not_instant")
        if s.continuous:
            add(f"points.{i}.scenario", "network.continuous")
    modes = network.travel.modes
    for key in ("share", "elderly_share"):
        total = sum(getattr(m, key) for m in modes)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            add("travel.modes", "network.mode_shares", key=key, total=float(total))
    mode_names = [m.name for m in modes]
    unlimited = {m.name for m in modes if m.max_km is None}
    for i, mode in enumerate(modes):
        if mode.name in mode_names[:i]:
            add(f"travel.modes.{i}.name", "network.duplicate_name", name=mode.name)
        if (mode.max_km is None) != (mode.instead is None):
            add(f"travel.modes.{i}.instead", "network.mode_pair")
        elif mode.instead is not None and mode.instead not in unlimited:
            add(f"travel.modes.{i}.instead", "network.mode_instead", instead=mode.instead, modes=", ".join(mode_names))
    zones = {z.name for z in network.zones}
    points = {p.name for p in network.points}
    for zone, row in network.travel.matrix.items():
        if zone not in zones:
            add(f"travel.matrix.{zone}", "network.unknown_zone", zone=zone)
        for point in row:
            if point not in points:
                add(f"travel.matrix.{zone}.{point}", "network.unknown_point", point=point)
    known = set().union(*(set(s.services) for s in scenarios.values())) if scenarios else set()
    demands = [("demand.per_1000", network.demand.per_1000)]
    demands += [(f"zones.{i}.demand_per_1000", z.demand_per_1000) for i, z in enumerate(network.zones)
                if z.demand_per_1000 is not None]
    for path, rates in demands:
        for svc, rate in rates.items():
            if svc not in known:
                add(f"{path}.{svc}", "network.unknown_service", service=svc)
            elif demand_served and rate > 0 and svc not in served:
                add(f"{path}.{svc}", "network.not_served", service=svc)
    totals: dict[tuple[str, str], float] = {}
    for i, ch in enumerate(network.channels):
        for svc in ch.services:
            if svc not in known:
                add(f"channels.{i}.services", "service.unknown", service=svc)
            for key in ("share", "elderly_share"):
                totals[(svc, key)] = totals.get((svc, key), 0.0) + getattr(ch, key)
    for (svc, key), total in totals.items():
        if total > 1 + SHARE_TOLERANCE:
            add("channels", "network.channel_shares", key=key, service=svc, total=float(total))
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
        raise ScenarioError(str(p), [("", say("file.missing"))])
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(p), [("", say("file.unreadable", error=str(exc)))]) from None
    return load_network_text(text, str(p), p.parent)


def network_files(loaded: LoadedNetwork, folder: str = "network") -> dict[str, str]:
    """The network as files that load back to an equal network: ``FOLDER/network.yaml``
    with each point's ``scenario`` at ``points/NAME.yaml``, and every point's scenario as
    canonical YAML (``extends`` resolved) at ``FOLDER/points/NAME.yaml``."""
    data = loaded.network.model_dump(mode="json")
    for point in data["points"]:
        point["scenario"] = f"points/{point['name']}.yaml"
    files = {f"{folder}/network.yaml": yaml.safe_dump(data, sort_keys=False, allow_unicode=True)}
    files.update({f"{folder}/points/{p.name}.yaml": scenario_to_yaml(loaded.scenarios[p.name])
                  for p in loaded.network.points})
    return files
