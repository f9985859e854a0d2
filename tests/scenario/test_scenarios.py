"""The scenario files under scenarios/ and the embedded default hall.

Every YAML file under ``scenarios/`` (recursively, so ``scenarios/textbook/`` too, but
not the sweep grids in ``scenarios/grids/``, which tests/experiments/test_sweep.py loads, nor the
network and candidate files ``scenarios/network/sample_*.yaml``, which tests/network loads) is found when the tests are collected, loaded and run briefly; what-if variants are checked
to differ from their base exactly where their header says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import sim
from sim.scenario.standards import check_standards

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
FILES = sorted(p for p in SCENARIOS.rglob("*.yaml") if "grids" not in p.relative_to(SCENARIOS).parts
               and not (p.parent.name == "network" and p.name.startswith("sample_")))
IDS = [str(p.relative_to(SCENARIOS)) for p in FILES]
REAL_HALLS = {"county_hall.yaml": "county", "city_hall.yaml": "city", "bank_outlet.yaml": "bank_outlet"}


def brief(s: sim.Scenario) -> sim.Scenario:
    """``s`` shortened for a quick run: 2 days, or a 600-minute horizon with 60 of warm-up."""
    if s.continuous:
        horizon = min(s.run.horizon_min, 600.0)
        warmup = min(s.run.warmup_min, 60.0, horizon / 10)
        run = s.run.model_copy(update={"horizon_min": horizon, "warmup_min": warmup})
    else:
        run = s.run.model_copy(update={"days": 2})
    return s.model_copy(update={"run": run})


def diff_paths(a, b, prefix: str = "") -> set[str]:
    """Dotted paths where two plain data trees (model_dump output) differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: set[str] = set()
        for key in set(a) | set(b):
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in a or key not in b:
                out.add(path)
            else:
                out |= diff_paths(a[key], b[key], path)
        return out
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
        out = set()
        for i, (x, y) in enumerate(zip(a, b)):
            out |= diff_paths(x, y, f"{prefix}.{i}" if prefix else str(i))
        return out
    return set() if a == b else {prefix}


def load(name: str) -> sim.Scenario:
    return sim.load_scenario(SCENARIOS / name)


def test_scenarios_found():
    """The real hall scenarios and the three county variants are on disk."""
    names = {p.name for p in FILES}
    assert set(REAL_HALLS) | {
        "county_hall_no_green.yaml",
        "county_hall_lunch_no_cover.yaml",
        "county_hall_one_printer_fewer.yaml",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_file_opens_with_header_comment(path):
    """Every scenario file starts with a '#' comment saying what it represents."""
    first = path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()[0]
    assert first.startswith("#") and len(first.strip("# ")) > 10


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_loads_and_runs_with_conservation(path):
    """Every scenario file loads, runs briefly, and every visit ends in exactly one known outcome."""
    s = brief(sim.load_scenario(path))
    result = sim.simulate(s, seed=1, reps=2)
    visits = result.visits
    assert len(visits) > 0
    assert visits["outcome"].isin(sim.OUTCOMES).all()
    assert not visits.duplicated(["replication", "visitor"]).any()
    served = visits["outcome"].isin(["served", "served_kiosk"]).sum()
    assert served > 0
    assert set(result.sla["verdict"]) <= {"met", "not met", "uncertain", "no data"}


@pytest.mark.parametrize("name,level", sorted(REAL_HALLS.items()))
def test_real_halls_meet_their_level_standard(name, level):
    """Each real hall scenario has the level it names and meets every minimum standard of it."""
    s = load(name)
    assert s.hall.level == level
    table = check_standards(s)
    assert table["passed"].all(), table[~table["passed"]].to_dict("records")


@pytest.mark.parametrize("name", sorted(REAL_HALLS))
def test_real_halls_run_twenty_days_and_write_out_default_sla(name):
    """Each real hall asks for 20 days x 10 replications and writes every default SLA target out."""
    s = load(name)
    assert (s.run.days, s.run.replications) == (20, 10)
    assert s.sla == sim.Scenario.model_fields["sla"].default
    raw = yaml.safe_load((SCENARIOS / name).read_text(encoding="utf-8"))
    assert set(raw["sla"]) == set(sim.Scenario.model_fields["sla"].default.model_dump())


def test_county_hall_shape():
    """The county hall has 4 windows (1 green), a guide desk, 5-6 staff, 1-2 printers and a kiosk."""
    s = load("county_hall.yaml")
    kinds = [w.kind for w in s.windows]
    assert len(kinds) == 4 and kinds.count("green") == 1
    assert 5 <= len(s.staff) <= 6
    assert any(p.a_post == "guide" for p in s.staff) and s.policies.guide_desk.enabled
    assert 1 <= s.devices.instant_printers.count <= 2 and s.devices.instant_printers.mtbf_min
    assert s.devices.kiosks.count == 1 and set(s.devices.kiosks.services) == {"activate", "e_card"}
    assert s.policies.green_channel.mode == "dedicated"
    assert 120 <= s.demand.visitors_per_day <= 150
    assert set(s.demand.service_mix) == {"apply", "instant_issue", "collect", "activate", "loss_report",
                                         "replace", "info_change", "e_card", "consult"}


def test_default_equals_county_hall():
    """The embedded default hall is the same scenario as scenarios/county_hall.yaml."""
    assert sim.default_scenario().model_dump() == load("county_hall.yaml").model_dump()


def test_variant_no_green_changes_only_the_green_channel():
    """county_hall_no_green differs from its base only in the green-channel mode and W4's kind."""
    base, var = load("county_hall.yaml"), load("county_hall_no_green.yaml")
    paths = diff_paths(base.model_dump(), var.model_dump())
    assert paths == {"description", "hall.name", "policies.green_channel.mode", "windows.3.kind"}
    assert base.windows[3].kind == "green" and var.windows[3].kind == "general"
    assert var.policies.green_channel.mode == "none"


def test_variant_one_printer_fewer_changes_only_the_printer_count():
    """county_hall_one_printer_fewer has exactly one instant printer fewer than its base."""
    base, var = load("county_hall.yaml"), load("county_hall_one_printer_fewer.yaml")
    paths = diff_paths(base.model_dump(), var.model_dump())
    assert paths == {"description", "hall.name", "devices.instant_printers.count"}
    assert var.devices.instant_printers.count == base.devices.instant_printers.count - 1


def test_variant_lunch_no_cover_changes_only_breaks_and_b_posts():
    """county_hall_lunch_no_cover gives everyone one common lunch and no B post, nothing else."""
    base, var = load("county_hall.yaml"), load("county_hall_lunch_no_cover.yaml")
    paths = diff_paths(base.model_dump(), var.model_dump())
    staff_paths = paths - {"description", "hall.name"}
    assert staff_paths, "the variant must change the staff"
    for path in staff_paths:
        parts = path.split(".")
        assert parts[0] == "staff" and (parts[2] == "b_post" or parts[2] == "breaks"), path
    assert [p.name for p in var.staff] == [p.name for p in base.staff]
    for b, v in zip(base.staff, var.staff):
        assert (v.a_post, v.shift, v.absences) == (b.a_post, b.shift, b.absences)
        assert v.b_post is None
    assert len({tuple(p.breaks) for p in var.staff}) == 1
    assert len({tuple(p.breaks) for p in base.staff}) > 1


def test_lunch_no_cover_leaves_windows_empty_at_lunch():
    """Without cover, the county windows stand empty for most of the common lunch hour."""
    base = brief(load("county_hall.yaml"))
    var = brief(load("county_hall_lunch_no_cover.yaml"))
    empty_base = sim.simulate(base, seed=3, reps=1).kpi("empty_window_min_per_day").mean
    empty_var = sim.simulate(var, seed=3, reps=1).kpi("empty_window_min_per_day").mean
    windows = len(var.windows)
    assert empty_var >= 0.75 * windows * 60 > empty_base


def test_variant_appointments_adds_only_the_appointments():
    """county_hall_appointments differs from its base only by its appointments section
    (and says so in its name and description)."""
    base, var = load("county_hall.yaml"), load("county_hall_appointments.yaml")
    paths = diff_paths(base.model_dump(), var.model_dump())
    assert paths == {"description", "hall.name", "appointments"}
    assert var.appointments.on and set(var.appointments.booked_share) == {"apply", "instant_issue", "replace"}


def test_variant_bank_step_adds_a_bank_window_its_clerk_and_the_step():
    """county_hall_bank_step adds the bank window B1, its clerk and a bank step to the two
    on-the-spot services, and changes nothing else."""
    base, var = load("county_hall.yaml"), load("county_hall_bank_step.yaml")
    assert var.windows[:4] == base.windows and [w.id for w in var.windows[4:]] == ["B1"]
    assert var.staff[:6] == base.staff and [p.a_post for p in var.staff[6:]] == ["B1"]
    for svc in ("instant_issue", "replace"):
        assert var.services[svc].model_copy(update={"steps": []}) == base.services[svc]
        assert [st.window_kind for st in var.services[svc].steps] == ["bank"]
    paths = diff_paths(base.model_dump(), var.model_dump())
    assert {p for p in paths if not p.startswith(("windows", "staff", "services"))} == {"description", "hall.name"}
    assert {p for p in paths if p.startswith("services")} == {"services.instant_issue.steps", "services.replace.steps"}


def test_variant_home_visits_adds_only_the_home_visits():
    """county_hall_home_visits differs from its base only by its home_visits section, which
    sends the lead on duty."""
    base, var = load("county_hall.yaml"), load("county_hall_home_visits.yaml")
    assert diff_paths(base.model_dump(), var.model_dump()) == {"description", "hall.name", "home_visits"}
    lead = {p.name: p for p in var.staff}[var.home_visits.staff[0]]
    assert lead.a_post == "floater"
