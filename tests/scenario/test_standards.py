"""Minimum standards of each level of service point (sim/standards.py, seed 002 art. 7-11)."""

from __future__ import annotations

import pytest
import yaml

import sim
from sim.scenario.loader import load_scenario_text, merge
from sim.scenario.standards import STANDARD_COLUMNS, STANDARDS, check_standards

FULL_WINDOW = ["computer", "card_reader", "scanner", "printer"]


def hall(level="county", windows=2, staff=3, devices=None, area=20, extra=None):
    """A small valid scenario of ``level`` with ``windows`` fully equipped windows (or a list
    of device lists, one per window) and ``staff`` rostered people."""
    device_lists = [FULL_WINDOW] * windows if isinstance(windows, int) else windows
    wins = [{"id": f"W{i + 1}", "services": ["consult"], "devices": list(d)} for i, d in enumerate(device_lists)]
    people = [{"name": f"p{i + 1}", "a_post": wins[i % len(wins)]["id"] if i < len(wins) else "floater",
               "shift": {"start": "09:00", "end": "17:00"}} for i in range(staff)]
    data = {
        "hall": {"name": "Test hall", "level": level, "floor_area_m2": area},
        "windows": wins,
        "staff": people,
        "devices": devices or {},
        "demand": {"visitors_per_day": 10, "service_mix": {"consult": 1}},
        "services": {"consult": {"window_time": {"dist": "fixed", "value": 3}}},
        "policies": {"green_channel": {"mode": "none"}, "staffing": "roster" if staff else "always"},
    }
    if extra:
        data = merge(data, extra)
    return load_scenario_text(yaml.safe_dump(data, sort_keys=False), "<test>")


def row(table, key):
    """The row of standard ``key`` as a dict."""
    hit = table[table["standard"] == key]
    assert len(hit) == 1, f"no single row for {key!r}"
    return hit.iloc[0].to_dict()


def failed(table) -> set[str]:
    return set(table.loc[~table["passed"], "standard"])


# ------------------------------------------------------------------ table shape
def test_columns_are_documented():
    """The table has exactly the documented columns, in order."""
    assert list(check_standards(hall()).columns) == list(STANDARD_COLUMNS)
    assert list(STANDARD_COLUMNS) == ["standard", "label", "required", "actual", "passed"]


@pytest.mark.parametrize("level,keys", [
    ("city", ["windows", "floor_area_m2", "computers", "printers", "scanners", "card_readers", "staff"]),
    ("county", ["windows", "floor_area_m2", "computers", "printers", "scanners", "card_readers", "staff"]),
    ("bank_outlet", ["windows"]),
    ("town", ["atm_or_kiosk"]),
    ("agency", ["atm_or_kiosk"]),
])
def test_rows_of_each_level(level, keys):
    """Each level's table lists exactly the standards the sources set for that level."""
    table = check_standards(hall(level=level))
    assert list(table["standard"]) == keys
    assert table["label"].map(lambda s: isinstance(s, str) and len(s) > 3).all()


def test_every_level_has_a_table():
    """Every level a scenario may name has a standards table."""
    assert set(STANDARDS) == set(sim.scenario.schema.LEVELS)


@pytest.mark.parametrize("level,key,required", [
    ("county", "windows", 1), ("county", "floor_area_m2", 10), ("county", "computers", 2),
    ("county", "printers", 1), ("county", "scanners", 1), ("county", "card_readers", 2),
    ("county", "staff", 3),
    ("city", "windows", 1), ("city", "floor_area_m2", 10), ("city", "printers", 1),
    ("city", "scanners", 1), ("city", "card_readers", 2), ("city", "staff", 2),
    ("bank_outlet", "windows", 1), ("town", "atm_or_kiosk", 1), ("agency", "atm_or_kiosk", 1),
])
def test_required_values(level, key, required):
    """The fixed minimum of each standard is the source's figure."""
    assert row(check_standards(hall(level=level)), key)["required"] == required


# ---------------------------------------------------------------------- county
def test_county_meeting_every_standard_passes():
    """A county hall with 2 equipped windows, 20 m² and 3 staff passes every standard."""
    table = check_standards(hall("county", windows=2, staff=3))
    assert table["passed"].all()
    assert row(table, "computers")["actual"] == 2
    assert row(table, "card_readers")["actual"] == 2
    assert row(table, "staff")["actual"] == 3


def test_county_with_two_staff_fails_staff_standard_only():
    """A county hall with 2 staff fails the staff standard (≥3) and nothing else."""
    table = check_standards(hall("county", windows=2, staff=2))
    assert failed(table) == {"staff"}
    assert row(table, "staff")["actual"] == 2


def test_county_with_one_computer_fails_computers():
    """A county hall with a single computer fails the ≥2 computers standard."""
    table = check_standards(hall("county", windows=[FULL_WINDOW, ["card_reader", "scanner"]], staff=3))
    assert failed(table) == {"computers"}


def test_shared_devices_count_towards_standards():
    """Spare devices in devices.shared count: one computer at a window plus one shared is 2."""
    s = hall("county", windows=[FULL_WINDOW, ["card_reader"]], staff=3, devices={"shared": {"computer": 1}})
    r = row(check_standards(s), "computers")
    assert (r["actual"], r["passed"]) == (2, True)


def test_small_area_fails_floor_area():
    """A hall smaller than 10 m² fails the floor-area standard."""
    table = check_standards(hall("county", area=8))
    assert failed(table) == {"floor_area_m2"}
    assert row(table, "floor_area_m2")["actual"] == 8


def test_one_card_reader_fails_and_two_at_one_window_pass():
    """One card reader fails the ≥2 standard; a window listing two card readers passes it."""
    one = check_standards(hall("county", windows=[FULL_WINDOW, ["computer", "scanner"]], staff=3))
    assert failed(one) == {"card_readers"}
    two = check_standards(hall("county", windows=[FULL_WINDOW + ["card_reader"], ["computer"]], staff=3))
    assert row(two, "card_readers")["actual"] == 2 and two["passed"].all()


def test_no_printer_or_scanner_fails_both():
    """A county hall without printer and scanner fails both device standards."""
    table = check_standards(hall("county", windows=[["computer", "card_reader"]] * 2, staff=3))
    assert failed(table) == {"printers", "scanners"}


# ------------------------------------------------------------------------ city
def test_city_computers_required_equals_staff_count():
    """A city hall needs one computer per staff member: 2 computers for 3 staff fails."""
    table = check_standards(hall("city", windows=2, staff=3))
    r = row(table, "computers")
    assert (r["required"], r["actual"], r["passed"]) == (3, 2, False)
    assert failed(table) == {"computers"}


def test_city_shared_computer_makes_up_the_count():
    """A shared computer brings a 2-window, 3-staff city hall up to one computer per person."""
    table = check_standards(hall("city", windows=2, staff=3, devices={"shared": {"computer": 1}}))
    r = row(table, "computers")
    assert (r["required"], r["actual"], r["passed"]) == (3, 3, True)
    assert table["passed"].all()


def test_city_with_one_staff_fails_staff():
    """A city hall with a single staff member fails the ≥2 staff standard."""
    table = check_standards(hall("city", windows=2, staff=1))
    assert failed(table) == {"staff"}
    assert row(table, "staff")["actual"] == 1


def test_city_two_staff_pass_where_county_would_fail():
    """Two staff meet the city minimum (≥2) but not the county one (≥3)."""
    assert "staff" not in failed(check_standards(hall("city", windows=2, staff=2)))
    assert "staff" in failed(check_standards(hall("county", windows=2, staff=2)))


def test_staffing_always_counts_one_per_window_and_guide():
    """Under staffing: always, staff is one attendant per window plus one at an enabled guide desk."""
    plain = hall("city", windows=2, staff=0)
    assert row(check_standards(plain), "staff")["actual"] == 2
    guided = hall("city", windows=2, staff=0, extra={"policies": {"guide_desk": {"enabled": True}}})
    table = check_standards(guided)
    assert row(table, "staff")["actual"] == 3
    assert row(table, "computers")["required"] == 3


# ---------------------------------------------------------------- bank, town, agency
def test_bank_outlet_with_one_window_passes():
    """A cooperating bank outlet with one card window meets its standard."""
    s = hall("bank_outlet", windows=1, staff=2,
             extra={"windows": [{"id": "W1", "kind": "bank", "services": ["consult"], "devices": ["computer"]}]})
    assert s.windows[0].kind == "bank"
    table = check_standards(s)
    assert list(table["standard"]) == ["windows"] and table["passed"].all()
    assert row(table, "windows")["actual"] == 1


def test_town_without_atm_or_kiosk_fails():
    """A town seat with neither an ATM nor a self-service terminal fails its standard."""
    table = check_standards(hall("town"))
    r = row(table, "atm_or_kiosk")
    assert (r["required"], r["actual"], r["passed"]) == (1, 0, False)


@pytest.mark.parametrize("level", ["town", "agency"])
def test_atm_alone_passes(level):
    """One ATM meets the town and agency standard."""
    assert check_standards(hall(level, devices={"atms": 1}))["passed"].all()


@pytest.mark.parametrize("level", ["town", "agency"])
def test_kiosk_where_no_atm_passes(level):
    """Where an ATM is not feasible, one self-service terminal (kiosk) meets the standard."""
    table = check_standards(hall(level, devices={"atms": 0, "kiosks": {"count": 1}}))
    assert table["passed"].all() and row(table, "atm_or_kiosk")["actual"] == 1


def test_agency_without_atm_or_kiosk_fails():
    """A handling agency with neither ATM nor self-service terminal fails its standard."""
    assert failed(check_standards(hall("agency"))) == {"atm_or_kiosk"}


# ---------------------------------------------------------------------- wiring
def test_check_does_not_change_the_scenario():
    """Checking standards leaves the scenario value as it was."""
    s = hall("city", windows=2, staff=3)
    before = s.model_dump()
    check_standards(s)
    assert s.model_dump() == before


def test_simulation_result_carries_the_standards_table():
    """simulate() returns the same standards table that check_standards gives."""
    s = hall("county", windows=2, staff=2)
    s = s.model_copy(update={"run": s.run.model_copy(update={"days": 1})})
    result = sim.simulate(s, seed=1, reps=1)
    assert result.standards.equals(check_standards(s))
