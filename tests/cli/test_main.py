"""The hallsim command line: output, files, exit codes and messages on bad input."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

import sim.cli.common as cli
from sim.cli.main import app

runner = CliRunner()

# Three always-attended windows with the county's devices: passes every county standard
# (staff = windows = 3). Two days, two replications, about 20 visitors a day: fast.
TINY = """\
hall:
  name: Tiny hall
  level: county
  floor_area_m2: 50
  opening_hours:
    mon: {open: "09:00", close: "12:00"}
    tue: {open: "09:00", close: "12:00"}
windows:
  - {id: W1, services: [consult], devices: [computer, printer, scanner, card_reader]}
  - {id: W2, services: [consult], devices: [computer, card_reader]}
  - {id: W3, services: [consult], devices: [computer]}
demand:
  visitors_per_day: 20
  service_mix: {consult: 1}
services:
  consult:
    window_time: {dist: exponential, mean: 5}
policies:
  staffing: always
  green_channel: {mode: none}
run:
  days: 2
  replications: 2
"""


def write(tmp_path: Path, text: str, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path) -> Path:
    return write(tmp_path, TINY)


def no_traceback(result) -> bool:
    return "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))


# ------------------------------------------------------------------ help and entry points
def test_help_lists_every_command():
    """`hallsim --help` names run, demo, check and validate, and each has its own --help."""
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "demo", "check", "validate"):
        assert command in result.stdout
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0, sub.output
        assert "Usage" in sub.stdout


def test_python_m_sim_help_runs_in_a_subprocess():
    """`python -m sim --help` works in a fresh interpreter and lists the commands."""
    proc = subprocess.run([sys.executable, "-m", "sim", "--help"], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0, proc.stderr
    assert "validate" in proc.stdout


def test_hallsim_console_script_runs():
    """The installed `hallsim` script reports a missing file on stderr, exit 2, no traceback."""
    script = Path(sys.executable).parent / "hallsim"  # the one installed beside this Python
    if not script.exists():
        pytest.skip("hallsim is not installed (pip install -e .)")
    proc = subprocess.run([script, "validate", "no-such-hall.yaml"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "no-such-hall.yaml: no such file" in proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------ run
def test_run_prints_header_kpis_sla_and_standards(tiny):
    """`run` prints the hall, the KPIs with intervals, SLA verdicts and the standards table."""
    result = runner.invoke(app, ["run", str(tiny), "--seed", "3"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Tiny hall" in out and "seed 3" in out and "2 replications" in out
    assert "mean wait (min)" in out and "[" in out  # mean [ci_low, ci_high]
    assert "mean wait ≤ 15 min" in out and "met" in out
    assert "Minimum standards (county level)" in out and "pass" in out


def test_run_opens_with_the_verdict_headline_and_advice_for_each_missed_target(tmp_path):
    """`run` prints "<hall> meets k of n service targets. Not met: …" first, then one line of
    advice per missed target; --json carries both."""
    hall = write(tmp_path, "extends: county_hall.yaml\nsla:\n  wait_mean_max_min: 0.01\n", "strict.yaml")
    (tmp_path / "county_hall.yaml").write_text(
        (Path(__file__).resolve().parents[2] / "scenarios" / "county_hall.yaml").read_text(encoding="utf-8"),
        encoding="utf-8")
    result = runner.invoke(app, ["run", str(hall), "--reps", "3", "--days", "1", "--workers", "1"])
    assert result.exit_code == 0, result.output
    first = " ".join(result.stdout.split("\n→")[0].split())
    assert first.startswith("County social security card window hall meets ")
    assert re.search(r"(Not met|Uncertain \(run more replications\)): mean wait [0-9.]+ min \(target 0.01 min\)", first)
    assert "→ Visitors wait too long" in result.stdout
    doc = json.loads(runner.invoke(app, ["run", str(hall), "--reps", "3", "--days", "1", "--json"]).stdout)
    assert doc["headline"] == " ".join(first.split())
    assert "wait_mean_max_min" in [a["target"] for a in doc["advice"]]


def test_run_json_is_one_document_with_sla_rows(tiny):
    """`run --json` prints exactly one JSON document (NaN as null) with summary, sla and standards rows."""
    result = runner.invoke(app, ["run", str(tiny), "--json", "--seed", "5"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # the whole of stdout parses: nothing else is printed
    assert doc["scenario"] == "Tiny hall" and doc["seed"] == 5 and doc["reps"] == 2
    assert doc["seconds"] >= 0
    targets = {row["target"]: row for row in doc["sla"]}
    assert targets["wait_mean_max_min"]["verdict"] in {"met", "not met", "uncertain"}
    assert targets["issuance_p90_max_min"]["verdict"] == "no data"
    assert targets["issuance_p90_max_min"]["mean"] is None  # NaN written as null
    assert any(r["kpi"] == "wait_mean_min" and r["group"] == "all" for r in doc["summary"])
    assert all(r["passed"] for r in doc["standards"])


def test_run_out_writes_parquet_and_csv_that_read_back(tiny, tmp_path):
    """`run --out DIR` writes each table as Parquet and CSV (equal on reading back) and meta.json."""
    out = tmp_path / "results"
    result = runner.invoke(app, ["run", str(tiny), "--out", str(out), "--seed", "2"])
    assert result.exit_code == 0, result.output
    for name in ("visits", "windows", "staff", "devices", "queue", "kpis", "summary", "sla", "standards"):
        parquet = pd.read_parquet(out / f"{name}.parquet")
        csv = pd.read_csv(out / f"{name}.csv")
        assert list(parquet.columns) == list(csv.columns)
        assert len(parquet) == len(csv)
    visits = pd.read_parquet(out / "visits.parquet")
    assert len(visits) > 0 and set(visits["replication"]) == {0, 1}
    meta = json.loads((out / "meta.json").read_text())
    assert meta["seed"] == 2 and meta["reps"] == 2 and meta["source"] == str(tiny)
    assert meta["hallsim"] and meta["created"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_run_out_refuses_a_non_empty_directory_unless_forced(tiny, tmp_path):
    """`--out` into a non-empty directory exits 2 and touches nothing; `--force` replaces it."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["run", str(tiny), "--out", str(out)])
    assert result.exit_code == 2
    assert str(out) in result.stderr and "not empty" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert no_traceback(result)

    forced = runner.invoke(app, ["run", str(tiny), "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (out / "visits.parquet").exists() and not (out / "keep.txt").exists()


def test_run_out_failure_leaves_nothing_behind(tiny, tmp_path, monkeypatch):
    """A failure while writing `--out` leaves neither DIR nor a temporary directory."""
    calls = []

    real_to_csv = pd.DataFrame.to_csv

    def failing_to_csv(frame, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_to_csv(frame, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing_to_csv)
    out = tmp_path / "results"
    result = runner.invoke(app, ["run", str(tiny), "--out", str(out)])
    assert result.exit_code == 1
    assert "disk full" in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.yaml"]


def test_run_days_overrides_the_scenario(tiny, tmp_path):
    """`--days 1` simulates one day although the scenario says run.days: 2."""
    out = tmp_path / "one-day"
    result = runner.invoke(app, ["run", str(tiny), "--days", "1", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["days"] == 1
    assert set(pd.read_parquet(out / "visits.parquet")["day"]) == {0}


def test_progress_bar_is_used_in_table_mode_and_never_with_json(tiny, monkeypatch):
    """Table output passes a progress callback to the run; `--json` does not."""
    made = []

    class Recording(cli.LazyProgress):
        def __init__(self, total, *args, **kwargs):
            made.append(total)
            super().__init__(total, *args, **kwargs)

    monkeypatch.setattr(cli, "LazyProgress", Recording)
    assert runner.invoke(app, ["run", str(tiny), "--json"]).exit_code == 0
    assert made == []
    assert runner.invoke(app, ["run", str(tiny)]).exit_code == 0
    assert made == [2]


def test_lazy_progress_shows_only_after_its_delay():
    """The progress bar stays hidden before its delay and appears (on its console) after it."""
    quiet = cli.LazyProgress(3, delay_s=60)
    with quiet:
        quiet(1, 3)
    assert not quiet.shown

    buffer = io.StringIO()
    shown = cli.LazyProgress(3, delay_s=0, console=Console(file=buffer, force_terminal=True, width=100))
    with shown:
        deadline = time.monotonic() + 5
        while not shown.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        shown(2, 3)
    assert shown.shown
    assert "replications" in buffer.getvalue()


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "args, message",
    [
        (["--reps", "0"], "--reps: must be >= 1 (got 0)"),
        (["--seed", "-1"], "--seed: must be >= 0 (got -1)"),
        (["--days", "0"], "--days: must be >= 1 (got 0)"),
    ],
)
def test_run_rejects_bad_options(tiny, args, message):
    """Out-of-range --reps, --seed and --days exit 2 with a one-line message naming the option."""
    result = runner.invoke(app, ["run", str(tiny), *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert result.stdout == ""
    assert no_traceback(result)


def test_run_missing_file_exits_2_naming_it(tmp_path):
    """A missing scenario file exits 2 with `FILE: no such file` on stderr."""
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(app, ["run", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{missing}: no such file"
    assert no_traceback(result)


def test_run_invalid_yaml_exits_2_naming_the_line(tmp_path):
    """Text that is not YAML exits 2 with the file and the line of the problem."""
    bad = write(tmp_path, "hall: [unclosed\n  windows: 3\n", "broken.yaml")
    result = runner.invoke(app, ["run", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}: not valid YAML: line ")
    assert no_traceback(result)


# ------------------------------------------------------------------ check
def test_check_strict_passes_a_hall_that_meets_every_standard(tiny):
    """`check --strict` exits 0 when every standard of the level passes."""
    result = runner.invoke(app, ["check", str(tiny), "--strict"])
    assert result.exit_code == 0, result.output
    assert "all 7 standards pass" in result.stdout


def test_check_strict_fails_a_hall_below_the_standards(tmp_path):
    """A county hall with two windows (two staff) fails: exit 1 with --strict, 0 without."""
    two = write(tmp_path, TINY.replace("  - {id: W3, services: [consult], devices: [computer]}\n", ""), "two.yaml")
    strict = runner.invoke(app, ["check", str(two), "--strict"])
    assert strict.exit_code == 1
    assert "fail" in strict.stdout and "1 of 7 standards fail" in strict.stdout
    assert runner.invoke(app, ["check", str(two)]).exit_code == 0


# ------------------------------------------------------------------ validate
def test_validate_prints_ok_for_each_valid_file(tiny, tmp_path):
    """`validate` prints `OK <file>` for each valid file and exits 0."""
    other = write(tmp_path, TINY, "other.yaml")
    result = runner.invoke(app, ["validate", str(tiny), str(other)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"OK {tiny}", f"OK {other}"]


def test_validate_bad_file_names_file_and_field(tiny, tmp_path):
    """An unknown service at a window exits 2 naming the file and `windows.0.services`, no traceback."""
    bad = write(tmp_path, TINY.replace("- {id: W1, services: [consult]", "- {id: W1, services: [consul]"), "bad.yaml")
    result = runner.invoke(app, ["validate", str(tiny), str(bad)])
    assert result.exit_code == 2
    assert f"OK {tiny}" in result.stdout
    assert f"{bad}: windows.0.services: unknown service 'consul'" in result.stderr
    assert all(line.startswith(f"{bad}: ") for line in result.stderr.splitlines())
    assert no_traceback(result)


def test_lang_zh_says_validation_problems_in_chinese(tiny, tmp_path):
    """`hallsim --lang zh` (or HALLSIM_LANG=zh) prints the same file and field with the
    problem in Chinese, for validate and for run; the default stays English."""
    bad = write(tmp_path, TINY.replace("- {id: W1, services: [consult]", "- {id: W1, services: [consul]"), "bad.yaml")
    zh = f"{bad}: windows.0.services: 未知业务 'consul'"
    result = runner.invoke(app, ["--lang", "zh", "validate", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith(zh)
    result = runner.invoke(app, ["run", str(bad)], env={"HALLSIM_LANG": "zh"})
    assert result.exit_code == 2 and result.stderr.startswith(zh)
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.stderr.startswith(f"{bad}: windows.0.services: unknown service 'consul'")
    result = runner.invoke(app, ["--lang", "fr", "validate", str(bad)])
    assert result.exit_code == 2 and result.stderr.strip() == "--lang: expected en or zh (got 'fr')"


def test_unquoted_clock_time_is_rejected_with_advice_to_quote(tmp_path):
    """`start: 12:30` unquoted (YAML reads 750) is rejected at its field with advice to quote it."""
    lunch = '  lunch: {mode: closed, start: 12:30, end: "13:30"}\n'
    text = TINY.replace("  floor_area_m2: 50\n", "  floor_area_m2: 50\n" + lunch)
    bad = write(tmp_path, text, "unquoted.yaml")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: hall.lunch.start: " in result.stderr
    assert 'quoted "HH:MM"' in result.stderr and "750" in result.stderr
    assert no_traceback(result)


# ------------------------------------------------------------------ demo
def test_demo_runs_the_embedded_hall_as_json():
    """`demo --reps 1 --json` runs the embedded default hall with no file and prints JSON."""
    result = runner.invoke(app, ["demo", "--reps", "1", "--days", "1", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["reps"] == 1 and doc["source"] == "<embedded default_hall.yaml>"
    assert doc["sla"] and doc["standards"]


# ------------------------------------------------------------------ compare and executors
def test_compare_prints_kpis_differences_and_sla(tiny, tmp_path):
    """`compare A B` shows both scenarios, the paired Δ and the SLA verdicts side by side."""
    variant = write(tmp_path, "extends: tiny.yaml\ndemand:\n  visitors_per_day: 30\n", "busier.yaml")
    result = runner.invoke(app, ["compare", str(tiny), str(variant), "--reps", "3", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "tiny" in result.stdout and "busier" in result.stdout
    assert "Δ" in result.stdout and "Service targets (SLA), side by side" in result.stdout


def test_compare_opens_with_the_headline_and_what_changes(tiny, tmp_path):
    """`compare` prints the baseline's verdict headline, then one sentence per other scenario
    saying what changes, before any table; --json carries the same sentences."""
    variant = write(tmp_path, "extends: tiny.yaml\ndemand:\n  visitors_per_day: 60\n", "busier.yaml")
    result = runner.invoke(app, ["compare", str(tiny), str(variant), "--reps", "3", "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[0].startswith("tiny meets ") and "service targets" in lines[0]
    text = " ".join(result.stdout.split())
    assert "busier against tiny: " in text
    assert text.index("busier against tiny") < text.index("Comparison of 2 scenarios")
    doc = json.loads(runner.invoke(app, ["compare", str(tiny), str(variant), "--reps", "3", "--json"]).stdout)
    assert doc["headlines"][0].startswith("tiny meets ") and doc["headlines"][1].startswith("busier against tiny: ")


def test_compare_of_three_scenarios_reads_in_full_at_80_columns(tiny, tmp_path):
    """At 80 columns the tables are stacked (one row per KPI and scenario, scenarios by
    letter with a legend): no line is wider than 80 and no name or value is cut with '…'."""
    from rich.cells import cell_len

    files = [tiny] + [write(tmp_path, f"extends: tiny.yaml\ndemand:\n  visitors_per_day: {n}\n", f"{name}.yaml")
                      for n, name in ((30, "a_rather_long_variant_name"), (40, "another_long_variant_name"))]
    result = runner.invoke(app, ["compare", *map(str, files), "--reps", "3", "--workers", "1"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    assert "A = tiny; B = a_rather_long_variant_name; C = another_long_variant_name" in result.stdout
    assert any(line.split()[-2:] and " C " in line and "Δ" in line for line in lines)


def test_compare_json_and_out(tiny, tmp_path):
    """`compare --json` gives paired differences per KPI; `--out` writes the comparison files."""
    variant = write(tmp_path, "extends: tiny.yaml\ndemand:\n  visitors_per_day: 30\n", "busier.yaml")
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(tiny), str(variant), "--reps", "3", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["scenarios"] == ["tiny", "busier"]
    rows = [r for r in doc["comparison"] if r["scenario"] == "busier" and r["kpi"] == "visitors_per_day"]
    assert rows and rows[0]["diff_mean"] > 0
    table = pd.read_parquet(out / "comparison.parquet")
    assert set(table["scenario"]) == {"tiny", "busier"}
    assert (out / "scenario_busier.yaml").exists() and (out / "meta.json").exists()


def test_compare_bad_input(tiny, tmp_path):
    """One file, or a bad file, gives exit 2 with the file and field named, no traceback."""
    one = runner.invoke(app, ["compare", str(tiny)])
    assert one.exit_code == 2 and "at least 2" in one.stderr
    bad = write(tmp_path, "extends: tiny.yaml\ndemand:\n  visitors_per_dya: 3\n", "bad.yaml")
    res = runner.invoke(app, ["compare", str(tiny), str(bad)])
    assert res.exit_code == 2
    assert "bad.yaml: demand.visitors_per_dya" in res.stderr and "Traceback" not in res.output


def test_run_with_two_workers_equals_one(tiny):
    """`run --workers 2` prints the same JSON summary as `--workers 1`."""
    one = json.loads(runner.invoke(app, ["run", str(tiny), "--json", "--workers", "1"]).stdout)
    two = json.loads(runner.invoke(app, ["run", str(tiny), "--json", "--workers", "2"]).stdout)
    assert one["summary"] == two["summary"]


def test_bad_workers_and_unreachable_scheduler(tiny):
    """`--workers 0` and a scheduler nobody listens on give exit 2 and a one-line message."""
    res = runner.invoke(app, ["run", str(tiny), "--workers", "0"])
    assert res.exit_code == 2 and "--workers: must be >= 1 (got 0)" in res.stderr
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = runner.invoke(app, ["run", str(tiny), "--scheduler", f"tcp://127.0.0.1:{port}", "--json"])
    assert res.exit_code == 2 and "--scheduler" in res.stderr and "Traceback" not in res.output


def test_run_stream_writes_each_replications_tables_as_parts(tiny, tmp_path):
    """`run --out DIR --stream` writes each table as TABLE/replication-R.parquet, which reads
    back whole to the table `run --out` writes, besides the KPI files and meta.json."""
    streamed, held = tmp_path / "streamed", tmp_path / "held"
    assert runner.invoke(app, ["run", str(tiny), "--out", str(streamed), "--stream", "--seed", "2"]).exit_code == 0
    assert runner.invoke(app, ["run", str(tiny), "--out", str(held), "--seed", "2"]).exit_code == 0
    assert sorted(p.name for p in (streamed / "visits").iterdir()) == ["replication-0.parquet", "replication-1.parquet"]
    parts = pd.read_parquet(streamed / "visits").sort_values(["replication", "visitor"]).reset_index(drop=True)
    whole = pd.read_parquet(held / "visits.parquet")
    pd.testing.assert_frame_equal(parts[whole.columns], whole)
    assert json.loads((streamed / "meta.json").read_text())["tables_streamed"] is True
    assert (streamed / "kpis.parquet").is_file() and (streamed / "summary.parquet").is_file()


@pytest.mark.parametrize("extra, message", [([], "--stream: give --out DIR"),
                                            (["--out", "X", "--reps", "auto"], "--stream: not with --reps auto")])
def test_run_stream_needs_out_and_a_number_of_replications(tiny, tmp_path, extra, message):
    """`--stream` without `--out`, or with `--reps auto`, exits 2 naming the option; nothing is written."""
    extra = [str(tmp_path / "x") if e == "X" else e for e in extra]
    result = runner.invoke(app, ["run", str(tiny), "--stream", *extra])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "x").exists()


def test_an_interrupted_streamed_run_leaves_nothing(tiny, tmp_path, monkeypatch):
    """Ctrl-C during a streamed run removes the parts already written: no folder, no temporary."""
    import sim.experiments.simulation as simulation

    real = simulation.run_jobs

    def interrupted(jobs, **kwargs):
        kwargs["on_result"](0, real(jobs[:1], workers=1)[0])  # one replication streamed, then Ctrl-C
        assert any(out.parent.glob(".out.*.tmp/visits/replication-0.parquet"))
        raise KeyboardInterrupt

    monkeypatch.setattr(simulation, "run_jobs", interrupted)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tiny), "--out", str(out), "--stream"])
    assert result.exit_code != 0
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
