"""``hallsim log`` and ``hallsim calibrate``: files written, report folder, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli.main import app
from sim.scenario.loader import load_scenario

runner = CliRunner()
KNOWN = Path(__file__).parents[1] / "calibration" / "known_hall.yaml"


@pytest.fixture(scope="module")
def log_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli_log")
    path = folder / "log.csv"
    res = runner.invoke(app, ["log", str(KNOWN), "--days", "5", "--out", str(path), "--encoding", "gbk", "--seed", "2"])
    assert res.exit_code == 0, res.output
    return path


def test_log_writes_a_chinese_export_in_the_encoding_asked(log_file):
    """The log starts with a comment saying it is simulated, then the Chinese header, in GBK."""
    lines = log_file.read_bytes().decode("gbk").splitlines()
    assert lines[0].startswith("# Simulated ticket log, not real data: hallsim log known_hall.yaml")
    assert lines[1].startswith("票号,业务名称,取号时间,叫号时间")


def test_calibrate_writes_the_scenario_and_the_report(log_file, tmp_path):
    """Exit 0; the scenario loads; the report folder holds index.html, the figures, the
    validation table and meta.json with the verdict counts."""
    out = tmp_path / "hall.yaml"
    res = runner.invoke(app, ["calibrate", str(log_file), "--hall", str(KNOWN), "--out", str(out), "--reps", "3",
                              "--report", "cal", "--reports-dir", str(tmp_path / "reports")])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())  # the summary wraps at the terminal's width
    assert "encoding GBK" in said and "figures reproduced" in said
    assert "note: demand.hourly_profile: the scenario format has one hourly profile" in said
    assert load_scenario(out).run.days == 5
    folder = tmp_path / "reports" / "cal"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["kind"] == "calibration" and meta["reps"] == 3 and sum(meta["verdicts"].values()) > 0
    for name in ("index.html", "report.md", "figures/wait_mean_min.png", "tables/validation.csv", "scenarios/hall.yaml"):
        assert (folder / name).is_file(), name


def test_a_bad_log_exits_2_naming_the_file_and_writes_nothing(tmp_path):
    """A log with neither layout's columns: exit 2, the file named on stderr, no scenario written."""
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "hall.yaml"
    res = runner.invoke(app, ["calibrate", str(bad), "--hall", str(KNOWN), "--out", str(out), "--reps", "0"])
    assert res.exit_code == 2
    assert "bad.csv: the columns" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_an_existing_scenario_is_not_replaced_without_force(log_file, tmp_path):
    """--out naming an existing file: exit 2 before any work."""
    out = tmp_path / "hall.yaml"
    out.write_text("keep", encoding="utf-8")
    res = runner.invoke(app, ["calibrate", str(log_file), "--hall", str(KNOWN), "--out", str(out), "--reps", "0"])
    assert res.exit_code == 2 and "file exists" in res.output
    assert out.read_text(encoding="utf-8") == "keep"


def test_the_shipped_example_log_calibrates_against_the_county_hall(tmp_path):
    """The README's tour: scenarios/logs/county_hall_10days.csv against scenarios/county_hall.yaml
    reads without bad rows and gives a scenario that loads (validation kept short here)."""
    root = Path(__file__).parents[2]
    out = tmp_path / "my_hall.yaml"
    res = runner.invoke(app, ["calibrate", str(root / "scenarios/logs/county_hall_10days.csv"), "--hall",
                              str(root / "scenarios/county_hall.yaml"), "--out", str(out), "--reps", "2"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "1345 tickets over 10 days" in said and "bad rows" not in said
    assert load_scenario(out).run.days == 10


def test_calibrate_writes_the_report_in_chinese_with_lang_zh(log_file, tmp_path):
    """--lang zh: the report's headings, table heads and verdicts are Chinese, the notes
    printed are Chinese, and the command recorded in meta.json says --lang zh."""
    out = tmp_path / "hall.yaml"
    res = runner.invoke(app, ["calibrate", str(log_file), "--hall", str(KNOWN), "--out", str(out), "--reps", "2",
                              "--report", "cal_zh", "--reports-dir", str(tmp_path / "reports"), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    printed = "".join(res.output.split())  # Chinese wraps anywhere at the terminal's width
    assert "note:demand.hourly_profile：场景格式对所有星期只有一条小时分布" in printed
    assert "thescenarioformathasonehourlyprofile" not in printed
    md = (tmp_path / "reports" / "cal_zh" / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# 模型校准：cal_zh")
    assert "## 验证：观测与模拟对照" in md and "| 指标 | 时段 | 观测 |" in md and "复现" in md
    meta = json.loads((tmp_path / "reports" / "cal_zh" / "meta.json").read_text(encoding="utf-8"))
    assert "--lang zh" in meta["command"]


def test_calibrate_refuses_an_unknown_language_before_writing(log_file, tmp_path):
    """--lang fr: exit 2 naming the option; nothing written."""
    out = tmp_path / "hall.yaml"
    res = runner.invoke(app, ["calibrate", str(log_file), "--hall", str(KNOWN), "--out", str(out), "--lang", "fr"])
    assert res.exit_code == 2 and "--lang" in res.output
    assert not out.exists()
