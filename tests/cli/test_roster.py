"""``hallsim roster``: writes a roster scenario that extends the input and runs, with a chart."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from sim.cli.main import app
from sim.scenario.loader import load_scenario

runner = CliRunner()

TINY = {
    "hall": {"name": "Tiny", "level": "county", "floor_area_m2": 50,
             "opening_hours": {"mon": {"open": "09:00", "close": "13:00"}},
             "lunch": {"mode": "staggered", "start": "11:00", "end": "13:00"}},
    "windows": [{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
    "demand": {"visitors_per_day": 30, "service_mix": {"consult": 1}},
    "services": {"consult": {"window_time": {"dist": "exponential", "mean": 4}}},
    "policies": {"staffing": "roster", "green_channel": {"mode": "none"}},
    "staff": [{"name": "ann", "a_post": "W1", "b_post": "W2", "shift": {"start": "09:00", "end": "13:00"}},
              {"name": "bob", "a_post": "W2", "b_post": "W1", "shift": {"start": "09:00", "end": "13:00"}},
              {"name": "cat", "a_post": "W1", "b_post": "W2", "shift": {"start": "09:00", "end": "13:00"}}],
    "run": {"days": 2, "replications": 3},
}


def test_roster_writes_a_loadable_extending_scenario_and_a_gantt_chart(tmp_path):
    """The command prints the requirement, roster and verdicts; the file extends the input,
    loads and names every person with an A and a B post; the chart is beside it."""
    src = tmp_path / "hall.yaml"
    src.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    out = tmp_path / "out" / "roster.yaml"
    res = runner.invoke(app, ["roster", str(src), "--out", str(out), "--reps", "3", "--rounds", "1"])
    assert res.exit_code == 0, res.output
    assert "Requirement per period" in res.output and "verdict:" in res.output and "staff-hours" in res.output
    text = out.read_text(encoding="utf-8")
    assert "extends: ../hall.yaml" in text
    s = load_scenario(out)
    assert s.staff and all(p.b_post for p in s.staff)
    assert out.with_suffix(".png").stat().st_size > 0
    res = runner.invoke(app, ["run", str(out), "--reps", "2"])
    assert res.exit_code == 0, res.output


def test_roster_bad_period_exits_2_and_writes_nothing(tmp_path):
    """--period 0 is bad input: exit 2, one line naming the option, no file."""
    src = tmp_path / "hall.yaml"
    src.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    out = tmp_path / "roster.yaml"
    res = runner.invoke(app, ["roster", str(src), "--out", str(out), "--period", "0"])
    assert res.exit_code == 2 and "--period" in res.output
    assert not out.exists()


def test_staff_says_how_its_answer_differs_from_roster(tmp_path):
    """hallsim staff ends by naming hallsim roster and why their window counts may differ."""
    src = tmp_path / "hall.yaml"
    src.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    res = runner.invoke(app, ["staff", str(src), "--reps", "1", "--days", "1", "--out", str(tmp_path / "v.yaml")])
    assert res.exit_code == 0, res.output
    assert "hallsim roster" in res.output and "differ" in res.output


def test_report_with_roster_has_a_roster_section(tmp_path):
    """hallsim report --roster adds the proposed roster (verdict, people, chart) to the report;
    with two scenarios it is bad input (exit 2)."""
    src = tmp_path / "hall.yaml"
    src.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    res = runner.invoke(app, ["report", str(src), "--roster", "--reps", "2", "--days", "1", "--name", "r",
                              "--reports-dir", str(tmp_path / "reports")])
    assert res.exit_code == 0, res.output
    md = (tmp_path / "reports" / "r" / "report.md").read_text(encoding="utf-8")
    assert "Proposed roster" in md and "ann" in md
    assert list((tmp_path / "reports" / "r" / "figures").glob("roster_*.png"))
    res = runner.invoke(app, ["report", str(src), "--roster", "--reps", "2", "--days", "1", "--name", "z",
                              "--lang", "zh", "--reports-dir", str(tmp_path / "reports")])
    assert res.exit_code == 0, res.output
    md = (tmp_path / "reports" / "z" / "report.md").read_text(encoding="utf-8")
    assert "达到了所有窗口全天有人时" in md and "the roster meets" not in md  # the verdict in Chinese
    res = runner.invoke(app, ["report", str(src), str(src), "--roster", "--reports-dir", str(tmp_path / "reports")])
    assert res.exit_code == 2 and "--roster" in res.output


def test_roster_rules_are_set_with_rule_options(tmp_path):
    """--rule NAME=VALUE sets a roster rule: with max_shift_min=180 on a 4-hour day every
    shift in the written roster lasts at most 3 hours (within the lead and stay minutes),
    and the rosters' rests follow max_continuous_min; unknown or bad rules exit 2 naming
    the rule and the value, and write nothing."""
    src = tmp_path / "hall.yaml"
    src.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    out = tmp_path / "out" / "roster.yaml"
    res = runner.invoke(app, ["roster", str(src), "--out", str(out), "--reps", "2", "--rounds", "1",
                              "--rule", "max_shift_min=180", "--rule", "min_shift_min=120", "--rule", "max_continuous_min=120", "--rule", "lead_min=0",
                              "--rule", "stay_min=0"])
    assert res.exit_code == 0, res.output
    s = load_scenario(out)
    lengths = [int(p.shift.end[:2]) * 60 + int(p.shift.end[3:]) - int(p.shift.start[:2]) * 60 - int(p.shift.start[3:])
               for p in s.staff]
    assert lengths and max(lengths) <= 180
    assert s.policies.rests.after_min == 120
    bad = tmp_path / "bad" / "roster.yaml"
    res = runner.invoke(app, ["roster", str(src), "--out", str(bad), "--rule", "max_shift=5", "--rule",
                              "days_per_week=9", "--rule", "lunch_window=13:00-12:00", "--rule", "oops"])
    assert res.exit_code == 2
    said = " ".join(res.output.split())
    assert "did you mean 'max_shift_min'" in said and "days_per_week: must be 1..7 (got 9)" in said
    assert "lunch_window" in said and "expected NAME=VALUE" in said and "Traceback" not in res.output
    assert not bad.parent.exists()
