"""hallsim run / validate with the semantic checks and the memory guard: warnings above
the KPIs, refusals and too-large runs as exit 2 without a traceback, and runs that used to
crash (no arrivals, stranded visitors) printing their tables."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from builders import BASE
from sim.cli.main import app
from sim.experiments.simulation import MEMORY_ENV
from sim.scenario.loader import merge

runner = CliRunner()


def write(tmp_path: Path, **overrides) -> Path:
    path = tmp_path / "hall.yaml"
    path.write_text(yaml.safe_dump(merge(BASE, overrides)), encoding="utf-8")
    return path


PEAK = {"demand": {"visitors_per_day": 90, "hourly_profile": {"09:00": 8, "10:00": 1, "11:00": 1}}}
"""A morning peak at one window: the first hour's offered load is 6."""


def test_run_prints_the_warnings_above_the_kpis(tmp_path):
    """The ρ warning (field and hours) comes after the header and before the KPI table."""
    result = runner.invoke(app, ["run", str(write(tmp_path, **PEAK)), "--reps", "2"])
    assert result.exit_code == 0, result.output
    out = result.output
    warning = out.index("demand.visitors_per_day: warning: offered load above")
    assert out.index("replications x") < warning < out.index("Key performance indicators")
    assert "09:00–10:00 ρ 6.00" in out


def test_run_json_carries_the_warnings(tmp_path):
    """--json: the document's "warnings" lists the same lines (and is empty for a sensible hall)."""
    result = runner.invoke(app, ["run", str(write(tmp_path, **PEAK)), "--reps", "2", "--json"])
    doc = json.loads(result.stdout)
    assert len(doc["warnings"]) == 1 and "ρ 6.00" in doc["warnings"][0]
    plain = runner.invoke(app, ["run", str(write(tmp_path)), "--reps", "2", "--json"])
    assert json.loads(plain.stdout)["warnings"] == []


def test_validate_says_ok_and_the_warnings_with_exit_0(tmp_path):
    """validate: OK on stdout, each warning on stderr naming file and field, exit 0."""
    path = write(tmp_path, **PEAK)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"OK {path}"
    assert f"{path}: demand.visitors_per_day: warning: offered load" in result.stderr


def test_warnings_follow_hallsim_lang(tmp_path):
    """hallsim --lang zh says the warnings in Chinese."""
    result = runner.invoke(app, ["--lang", "zh", "validate", str(write(tmp_path, **PEAK))])
    assert "业务负荷超过有人值守窗口的办理能力" in result.stderr


def test_a_refused_scenario_exits_2_naming_the_field(tmp_path):
    """A service only a green elderly-only window offers: exit 2, the field, no traceback."""
    path = write(tmp_path,
                 windows=[{"id": "W1", "services": ["consult"]},
                          {"id": "G1", "kind": "green", "services": ["consult", "apply"]}],
                 services={"consult": {"window_time": {"dist": "fixed", "value": 5}},
                           "apply": {"window_time": {"dist": "fixed", "value": 5}}},
                 demand={"service_mix": {"consult": 1, "apply": 1}},
                 policies={"green_channel": {"mode": "dedicated", "green_takes_ordinary": False}})
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert f"{path}: demand.service_mix.apply: 'apply' is offered only at green windows (G1)" in result.stderr
    assert "Traceback" not in result.output


def test_a_run_too_large_for_memory_is_refused_and_stream_lets_it_run(tmp_path, monkeypatch):
    """With 20 MB allowed, 30 replications of 1,000 visits kept for --out (~30 MB) exit 2
    with the estimate and the hint to add --stream, writing nothing; with --stream it runs."""
    monkeypatch.setenv(MEMORY_ENV, str(20 * 1024 * 1024))
    path = write(tmp_path, demand={"visitors_per_day": 1000},
                 windows=[{"id": f"W{i}", "services": ["consult"]} for i in range(30)])
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--reps", "30", "--out", str(out), "--workers", "1"])
    assert result.exit_code == 2, result.output
    assert "20.0 MB is available" in result.stderr and "30 replications" in result.stderr
    assert "(here: add --stream)" in result.stderr and "Traceback" not in result.output
    assert not out.exists()
    streamed = runner.invoke(app, ["run", str(path), "--reps", "30", "--out", str(out), "--workers", "1",
                                   "--stream", "--json"])
    assert streamed.exit_code == 0, streamed.output
    assert json.loads(streamed.stdout)["reps"] == 30


def test_a_hall_without_arrivals_prints_its_tables(tmp_path):
    """Weekday factor 0: the run ends normally and every wait target says no data."""
    result = runner.invoke(app, ["run", str(write(tmp_path, demand={"weekday_factors": {"mon": 0}}))])
    assert result.exit_code == 0, result.output
    assert "no data" in result.output and "Traceback" not in result.output
