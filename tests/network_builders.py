"""Tiny networks for tests: hall scenarios from tests/builders.py, zones and points placed
by hand, written to a folder as the files a network reads."""

from __future__ import annotations

from pathlib import Path

import yaml

from builders import BASE
from sim.scenario.loader import merge

HALL = merge(BASE, {
    "hall": {"opening_hours": {"mon": {"open": "09:00", "close": "12:00"}}},
    "windows": [{"id": "W1", "services": ["consult", "card"]}],
    "demand": {"visitors_per_day": 10, "service_mix": {"consult": 1, "card": 1}},
    "services": {"consult": {"window_time": {"dist": "exponential", "mean": 3}},
                 "card": {"window_time": {"dist": "exponential", "mean": 3}, "instant_issue": True}},
    "devices": {"instant_printers": {"count": 1, "print_time": {"dist": "fixed", "value": 2}}},
    "run": {"days": 1, "replications": 2},
})
"""A one-window hall open 09:00-12:00 that makes cards on the spot (service ``card``)."""

PLAIN = merge(HALL, {"devices": {"instant_printers": {"count": 0}}, "windows": [{"id": "W1", "services": ["consult"]}],
                     "demand": {"service_mix": {"consult": 1, "card": 0}}})
"""The same hall without card making (serves ``consult`` only)."""

NETWORK = {
    "name": "Tiny",
    "points": [{"name": "A", "scenario": "hall.yaml", "x_km": -1.0, "y_km": 0.0},
               {"name": "B", "scenario": "hall.yaml", "x_km": 1.0, "y_km": 0.0}],
    "zones": [{"name": "mid", "population": 20000, "elderly_share": 0.3, "x_km": 0.0, "y_km": 0.0}],
    "demand": {"per_1000": {"consult": 1.0, "card": 0.5}, "elderly_visit_ratio": 1.0},
    "travel": {"detour": 1.0, "modes": [{"name": "road", "speed_kmh": 30}]},
    "run": {"days": 1, "replications": 2},
}
"""One zone of 20,000 at the origin, equidistant (2 min by road) from identical points A and B."""


def write_files(folder: Path, **overrides) -> Path:
    """Write hall.yaml, plain.yaml and net.yaml (NETWORK with ``overrides`` merged) into
    ``folder``; returns the path of net.yaml."""
    (folder / "hall.yaml").write_text(yaml.safe_dump(HALL), encoding="utf-8")
    (folder / "plain.yaml").write_text(yaml.safe_dump(PLAIN), encoding="utf-8")
    path = folder / "net.yaml"
    path.write_text(yaml.safe_dump(merge(NETWORK, overrides)), encoding="utf-8")
    return path
