"""What-if: add, close or move points, and compare two networks on common random numbers.

``--with NAME=FILE@X,Y`` adds point NAME running the hall scenario FILE at (X, Y) km (a
point of that name is replaced: moved and given the new hall); ``--with NAME@X,Y`` moves
an existing point; ``--without NAME`` closes one. Every point runs under a seed derived
from its name (:func:`sim.network.simulation.point_seed`), so a point kept in both
networks draws the same random numbers in both, and the paired differences of
:func:`sim.experiments.compare.paired_differences` apply.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from sim.experiments.compare import paired_differences
from sim.network.loader import LoadedNetwork, network_problems
from sim.network.schema import COORD_KM, Point
from sim.network.simulation import NetworkResult, simulate_network
from sim.scenario.loader import ScenarioError, load_scenario
from sim.scenario.messages import say
from sim.scenario.schema import Scenario

__all__ = ["PointChange", "parse_with", "variant", "NetworkComparison", "compare_networks", "POINT_KPIS",
           "NETWORK_COMPARISON_COLUMNS"]

POINT_KPIS = (("visitors_per_day", "all"), ("wait_mean_min", "all"), ("wait_p90_min", "all"),
              ("wait_p90_min", "elderly"), ("abandonment_rate", "all"))
"""The point KPIs a comparison lists for every point."""

NETWORK_COMPARISON_COLUMNS = {
    "point": "point name, or empty for the network's own KPIs",
    "kpi": "KPI key",
    "group": "KPI group",
    "base_mean": "mean over replications in the base network (NaN: the point is not there)",
    "variant_mean": "mean in the variant",
    "diff_mean": "paired difference variant − base (NaN unless the point is in both)",
    "diff_low": "lower end of the paired difference's interval",
    "diff_high": "upper end of the paired difference's interval",
}

_WITH = re.compile(r"^(?P<name>[A-Za-z0-9_\-]{1,40})(=(?P<file>[^@]+))?@(?P<x>[^,]+),(?P<y>.+)$")


@dataclass(frozen=True)
class PointChange:
    """A point to add or move: ``scenario`` None keeps the existing point's hall."""

    name: str
    x_km: float
    y_km: float
    scenario: Scenario | None = None
    source: str | None = None


def parse_with(text: str) -> PointChange:
    """A :class:`PointChange` from ``NAME=FILE@X,Y`` or ``NAME@X,Y``; a bad text or a
    scenario file with problems raises :class:`ScenarioError` naming ``--with`` and the part."""
    source = f"--with {text}"
    m = _WITH.match(text.strip())
    if m is None:
        raise ScenarioError(source, [("", say("network.with_format"))])
    try:
        x, y = float(m["x"]), float(m["y"])
    except ValueError:
        raise ScenarioError(source, [("", say("network.with_numbers", x=m["x"], y=m["y"]))]) from None
    if not (abs(x) <= COORD_KM and abs(y) <= COORD_KM):
        raise ScenarioError(source, [("", say("network.with_range", limit=COORD_KM, x=x, y=y))])
    scenario = None
    if m["file"]:
        scenario = load_scenario(Path(m["file"]))
    return PointChange(m["name"], x, y, scenario, m["file"])


def variant(loaded: LoadedNetwork, add: Sequence[PointChange] = (), without: Sequence[str] = ()) -> LoadedNetwork:
    """The network with the points of ``without`` closed, then those of ``add`` added,
    replaced or moved; raises :class:`ScenarioError` naming the option and the point."""
    names = [p.name for p in loaded.network.points]
    problems = [(f"--without {name}", say("network.no_point", names=", ".join(names))) for name in without
                if name not in names]
    points = [p for p in loaded.network.points if p.name not in set(without)]
    scenarios = dict(loaded.scenarios)
    sources = dict(loaded.sources)
    for change in add:
        existing = next((p for p in points if p.name == change.name), None)
        if change.scenario is None and existing is None:
            problems.append((f"--with {change.name}", say("network.no_point_to_move",
                                                          names=", ".join(p.name for p in points))))
            continue
        if change.scenario is None:
            moved = existing.model_copy(update={"x_km": change.x_km, "y_km": change.y_km})
        else:
            moved = Point(name=change.name, scenario=change.source or "<what-if>", x_km=change.x_km, y_km=change.y_km)
            scenarios[change.name] = change.scenario
            sources[change.name] = change.source or "<what-if>"
        points = [moved if p.name == change.name else p for p in points]
        if existing is None:
            points.append(moved)
    if problems:
        raise ScenarioError("what-if", problems)
    if not points:
        raise ScenarioError("what-if", [("--without", say("network.closes_all"))])
    out = loaded.with_points(points, scenarios, sources)
    bad = network_problems(out.network, out.scenarios, demand_served=False)
    if bad:
        raise ScenarioError(f"{loaded.source} with the what-if", bad)
    return out


@dataclass(frozen=True)
class NetworkComparison:
    """Two networks run on common random numbers: ``base`` and ``variant`` results and the
    ``table`` of differences (columns :data:`NETWORK_COMPARISON_COLUMNS`): first the
    network's KPIs, then :data:`POINT_KPIS` of every point of either network."""

    base: NetworkResult
    variant: NetworkResult
    table: pd.DataFrame
    seconds: float


def _means(kpis: pd.DataFrame) -> dict[tuple[str, str], float]:
    return kpis.groupby(["kpi", "group"])["value"].mean().to_dict()


def _rows(point: str, base: pd.DataFrame | None, other: pd.DataFrame | None, keys) -> list[tuple]:
    diff = (paired_differences(base, other).set_index(["kpi", "group"])
            if base is not None and other is not None else None)
    bm, om = (_means(base) if base is not None else {}), (_means(other) if other is not None else {})
    rows = []
    for key in keys:
        d = diff.loc[key] if diff is not None and key in diff.index else None
        rows.append((point, *key, bm.get(key, float("nan")), om.get(key, float("nan")),
                     *(float(d[c]) if d is not None else float("nan") for c in ("diff_mean", "diff_low", "diff_high"))))
    return rows


def compare_networks(base: LoadedNetwork, other: LoadedNetwork, seed: int = 0, reps: int | None = None,
                     workers: int | None = 1, scheduler=None,
                     progress: Callable[[int, int], None] | None = None) -> NetworkComparison:
    """Simulate both networks under ``seed`` and compare the variant with the base."""
    start = time.perf_counter()
    a = simulate_network(base, seed, reps, workers, scheduler, progress)
    b = simulate_network(other, seed, reps, workers, scheduler, progress)
    keys = list(dict.fromkeys(zip(a.kpis["kpi"], a.kpis["group"])))
    rows = _rows("", a.kpis, b.kpis, keys)
    names = list(dict.fromkeys([p.name for p in base.network.points] + [p.name for p in other.network.points]))
    for name in names:
        ra, rb = a.results.get(name), b.results.get(name)
        rows += _rows(name, ra.kpis if ra else None, rb.kpis if rb else None, POINT_KPIS)
    table = pd.DataFrame.from_records(rows, columns=list(NETWORK_COMPARISON_COLUMNS))
    return NetworkComparison(a, b, table, time.perf_counter() - start)
