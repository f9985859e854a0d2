"""Fingerprints of every shipped scenario's recorded tables: a change in any result shows.

Each shipped scenario (``scenarios/*.yaml`` and ``scenarios/textbook/*.yaml``) is run for
one replication of two days (continuous ones: 600 minutes, 60 of warm-up) under seed 0;
every column of its visits, windows, staff, devices and queue tables and of its KPI rows
is hashed. Floats are rounded to 6 decimals first, so that a last-bit difference of the
platform's math library does not count, while any change of the model does. A speed-up of
the engine must leave these unchanged; a deliberate change of the model regenerates them
(``python tests/model/test_fingerprint.py`` prints the new table).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

import sim

ROOT = Path(__file__).resolve().parents[2] / "scenarios"
FILES = sorted([*ROOT.glob("*.yaml"), *(ROOT / "textbook").glob("*.yaml")])
TABLES = ("visits", "windows", "staff", "devices", "queue")

EXPECTED = {
    'bank_outlet.yaml': '6f97405b597dac75',
    'city_hall.yaml': '8630e76bc980c6f7',
    'county_hall.yaml': '9710fe31084431d0',
    'county_hall_appointments.yaml': 'f7ee799f72088646',
    'county_hall_bank_step.yaml': '9e610f4f491c612d',
    'county_hall_helpers.yaml': '06f38c5cbb4147f1',
    'county_hall_home_visits.yaml': 'e9446b14519ed215',
    'county_hall_lunch_no_cover.yaml': 'eddf1321648f9b46',
    'county_hall_no_green.yaml': '00cab7a663702d4c',
    'county_hall_one_printer_fewer.yaml': 'f5f7b7c7fbf4b811',
    'county_issuance.yaml': '9710fe31084431d0',
    'textbook/mg1.yaml': 'ba1996ef8e4a8984',
    'textbook/mmc.yaml': 'ba93ecd575b017b7',
    'textbook/mmc_abandon.yaml': 'be89791eb5cbc12f',
    'textbook/mmc_priority.yaml': '6904adaf9f79a752',
    'textbook/time_varying_day.yaml': 'b88bf47eaddefe03',
}


def _short(scenario):
    """The scenario cut to one replication of two days (continuous: 600 minutes)."""
    if scenario.continuous:
        return sim.with_overrides(scenario, {"run.horizon_min": 600, "run.warmup_min": 60, "run.replications": 1})
    return sim.with_overrides(scenario, {"run.days": 2, "run.replications": 1})


def _column_bytes(values: np.ndarray) -> bytes:
    a = np.asarray(values)
    if a.dtype.kind == "f":
        return np.round(a, 6).astype("<f8").tobytes()
    if a.dtype.kind in "iub":
        return a.astype("<i8").tobytes()
    return "\x1f".join("" if x is None or x != x else str(x) for x in a.tolist()).encode()


def fingerprint(path: Path) -> str:
    """The hash of ``path``'s tables and KPI rows (see the module's docstring)."""
    res = sim.simulate(_short(sim.load_scenario(path)), seed=0, reps=1, workers=1)
    h = hashlib.sha256()
    for name in TABLES:
        frame = res.tables[name]
        h.update(f"{name}:{len(frame)}:{','.join(frame.columns)}".encode())
        for col in frame.columns:
            h.update(_column_bytes(frame[col].to_numpy()))
    for col in ("replication", "kpi", "group", "value"):
        h.update(_column_bytes(res.kpis[col].to_numpy()))
    return h.hexdigest()[:16]


def _key(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", FILES, ids=_key)
def test_recorded_tables_keep_their_fingerprint(path):
    """A shipped scenario's tables and KPIs (1 replication, 2 days, seed 0) hash to their pinned value."""
    assert fingerprint(path) == EXPECTED[_key(path)]


def test_every_shipped_scenario_is_pinned():
    """Each shipped scenario has a pinned fingerprint (a new one must be added)."""
    assert sorted(EXPECTED) == sorted(_key(p) for p in FILES)


if __name__ == "__main__":
    for p in FILES:
        print(f"    {_key(p)!r}: {fingerprint(p)!r},")
