"""Sweeps: grid files, design points, resumable output folders, executors and the CLI."""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from builders import scenario
from sim import load_scenario
from sim.cli.main import app
from sim.experiments.executors import Job, run_jobs
from sim.experiments.grid import grid_to_yaml, load_grid, parse_grid, point_scenarios
from sim.scenario.loader import ScenarioError, scenario_to_yaml
from sim.experiments import sweep as sweep_module
from sim.experiments.sweep import (POINT_COLUMNS, SWEEP_SLA_COLUMNS, SweepError, SweepInterrupted, SweepNote, load_sweep,
                                   sweep)

ROOT = Path(__file__).resolve().parents[2]
REPS = 3
SEED = 7
GRID = {"demand.visitors_per_day": [20, 40], "policies.green_channel.mode": ["priority", "none"]}
runner = CliRunner()


def small():
    """Two windows, three hours, impatient visitors: one replication takes milliseconds."""
    return scenario(
        windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
        demand={"visitors_per_day": 40, "service_mix": {"consult": 1}},
        services={"consult": {"window_time": {"dist": "exponential", "mean": 4}}},
        policies={"patience": {"dist": "exponential", "mean": 10}},
    )


@pytest.fixture(scope="module")
def base_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("scen") / "small.yaml"
    path.write_text(scenario_to_yaml(small()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def grid_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("grid") / "grid.yaml"
    path.write_text(yaml.safe_dump(GRID, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """An uninterrupted serial sweep written to a folder: the reference tables."""
    return sweep(small(), GRID, reps=REPS, seed=SEED, out=tmp_path_factory.mktemp("whole") / "out", workers=1)


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def assert_same_tables(a, b):
    for name in ("points", "summary", "sla", "kpis"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


# ------------------------------------------------------------------ grid
def test_points_are_every_combination_in_grid_order():
    """2 x 3 values give 6 points p000..p005, the last path varying fastest."""
    grid = parse_grid({"a.b": [1, 2], "c": ["x", "y", "z"]})
    points = grid.points()
    assert len(grid) == 6 and list(points["point"]) == [f"p00{i}" for i in range(6)]
    assert list(points["a.b"]) == [1, 1, 1, 2, 2, 2] and list(points["c"]) == ["x", "y", "z"] * 2
    assert grid.overrides()[4] == {"a.b": 2, "c": "y"}


def test_point_ids_widen_past_a_thousand_points():
    """1200 points are named p0000..p1199 so ids still sort in point order."""
    grid = parse_grid({"a": list(range(40)), "b": list(range(30))})
    ids = list(grid.points()["point"])
    assert ids[0] == "p0000" and ids[-1] == "p1199" and ids == sorted(ids)


def test_named_variants_label_points_with_their_names():
    """A mapping of labels to values (a roster swap) shows its labels; the values are applied."""
    grid = parse_grid({"windows": {"one": [{"id": "W1", "services": ["consult"]}],
                                   "two": [{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}]}})
    assert list(grid.points()["windows"]) == ["one", "two"]
    one, two = point_scenarios(scenario(), grid)
    assert [w.id for w in one.windows] == ["W1"] and [w.id for w in two.windows] == ["W1", "W2"]


def test_whole_values_in_a_list_are_labelled_by_position():
    """Mappings in a list form are labelled #1, #2; null next to them reads null."""
    grid = parse_grid({"policies.patience": [None, {"dist": "fixed", "value": 5}]})
    assert list(grid.points()["policies.patience"]) == ["null", "#2"]


def test_numeric_labels_stay_numbers():
    """A list of numbers gives a numeric column (plots can use it as an axis)."""
    points = parse_grid({"a": [1, 2.5], "b": [3, 4]}).points()
    assert points["a"].dtype == "float64" and points["b"].dtype == "int64"


def test_bad_dotted_path_names_the_grid_file_and_the_path():
    """A misspelt field is reported as FILE: path: no such field in the scenario."""
    grid = parse_grid({"demand.visitors_pr_day": [1, 2], "policies.green_channel.mode": ["none"]}, "grid.yaml")
    with pytest.raises(ScenarioError) as err:
        point_scenarios(small(), grid)
    assert err.value.lines() == ["grid.yaml: demand.visitors_pr_day: no such field in the scenario"]


@pytest.mark.parametrize("data, message", [
    ({"demand.visitors_per_day": []}, "demand.visitors_per_day: empty list"),
    ({"staff": {}}, "staff: empty mapping"),
    ({"demand.visitors_per_day": 400}, "demand.visitors_per_day: expected a list of values or a mapping of labels to values (got 400; write [400]"),
    ({"demand.visitors_per_day": [400, 400]}, "the value 400 appears twice"),
    ([1, 2], "expected a mapping of dotted paths"),
    (None, "the grid is empty"),
])
def test_malformed_grids_are_refused_naming_the_path(data, message):
    """Empty lists, scalars, repeated values and non-mappings raise naming file and path."""
    with pytest.raises(ScenarioError, match=None) as err:
        parse_grid(data, "grid.yaml")
    assert any(line.startswith("grid.yaml") and message in line for line in err.value.lines()), err.value.lines()


def test_value_that_breaks_the_scenario_names_the_point_and_the_field():
    """A negative demand is reported once with the first point it occurs at and the field."""
    grid = parse_grid({"demand.visitors_per_day": [10, -5], "policies.green_channel.mode": ["none", "priority"]},
                      "grid.yaml")
    with pytest.raises(ScenarioError) as err:
        point_scenarios(small(), grid)
    (line,) = err.value.lines()
    assert line.startswith("grid.yaml: point p002 (demand.visitors_per_day=-5, policies.green_channel.mode=none)")
    assert "(and 1 more point)" in line and ": demand.visitors_per_day:" in line


def test_a_word_for_a_group_of_fields_suggests_sweeping_one_of_its_fields():
    """policies.guide_desk: [true] is refused once, pointing to policies.guide_desk.enabled."""
    grid = parse_grid({"policies.guide_desk": [True, False]}, "grid.yaml")
    with pytest.raises(ScenarioError) as err:
        point_scenarios(small(), grid)
    (line,) = err.value.lines()
    assert line.startswith("grid.yaml: policies.guide_desk: is a group of fields (enabled, ")
    assert line.endswith("e.g. policies.guide_desk.enabled")


def test_green_channel_modes_may_be_swept_by_name():
    """The issue's own example, policies.green_channel: [dedicated, priority, none], sets the mode."""
    grid = parse_grid({"policies.green_channel": ["priority", "none"]}, "grid.yaml")
    first, second = point_scenarios(small(), grid)
    assert (first.policies.green_channel.mode, second.policies.green_channel.mode) == ("priority", "none")
    assert first.policies.green_channel.green_takes_ordinary is True


def test_whole_mappings_and_distributions_may_be_swept():
    """A distribution or a whole mapping replaces the field as a whole."""
    grid = parse_grid({"policies.patience": [None, {"dist": "fixed", "value": 5}],
                       "policies.green_channel": {"fifo": {"mode": "none"}}})
    first, second = point_scenarios(small(), grid)
    assert first.policies.patience is None and second.policies.patience.mean == 5
    assert first.policies.green_channel.mode == "none"


def test_grid_yaml_reads_back_to_the_same_grid(tmp_path):
    """grid_to_yaml writes a file that load_grid reads to an equal grid (same digest and points)."""
    grid = parse_grid({"a": [1, 2], "staff": {"two": [1, 2], "one": [1]}, "p": [None, {"x": 1}]})
    (tmp_path / "g.yaml").write_text(grid_to_yaml(grid), encoding="utf-8")
    back = load_grid(tmp_path / "g.yaml")
    assert back.digest() == grid.digest()
    pd.testing.assert_frame_equal(back.points(), grid.points())


def test_shipped_county_staffing_grid_validates_against_the_county_hall():
    """scenarios/grids/county_staffing.yaml gives 24 valid points; six_with_lead is today's roster."""
    base = load_scenario(ROOT / "scenarios" / "county_hall.yaml")
    grid = load_grid(ROOT / "scenarios" / "grids" / "county_staffing.yaml")
    scenarios = point_scenarios(base, grid)
    points = grid.points()
    assert len(scenarios) == 24 and set(points["staff"]) == {"six_with_lead", "five_no_lead"}
    today = points.index[points["staff"] == "six_with_lead"][0]
    assert scenarios[today].staff == base.staff
    assert len(scenarios[int(points.index[points["staff"] == "five_no_lead"][0])].staff) == 5


# ------------------------------------------------------------------ executors: on_result
@pytest.mark.parametrize("workers", [1, 2])
def test_run_jobs_on_result_sees_every_job_once_by_index(workers):
    """on_result(index, result) is called once per job with its position in the job list."""
    jobs = [Job(small(), 1, r, tables=False) for r in (2, 0, 1)]
    seen = {}
    res = run_jobs(jobs, workers=workers, on_result=lambda i, r: seen.setdefault(i, r.replication))
    assert seen == {0: 2, 1: 0, 2: 1} and [r.replication for r in res] == [2, 0, 1]


# ------------------------------------------------------------------ sweep
def test_sweep_writes_the_documented_files_and_columns(whole):
    """The folder holds manifest, base scenario, grid, one Parquet per point and the tables."""
    out = whole.out
    assert files_under(out) == {"manifest.json", "base_scenario.yaml", "grid.yaml", "points.csv",
                                "summary.parquet", "summary.csv", "sla.parquet", "sla.csv",
                                *(f"points/p00{i}.parquet" for i in range(4))}
    paths = list(GRID)
    assert whole.parameters == paths
    assert list(whole.summary.columns[:4]) == ["point", *paths, "kpi"]
    assert {"n", "mean", "ci_low", "ci_high", "half_width"} <= set(whole.summary.columns)
    assert list(whole.sla.columns) == ["point", *paths, *list(SWEEP_SLA_COLUMNS)[2:]]
    assert list(pd.read_parquet(out / "points" / "p003.parquet").columns) == list(POINT_COLUMNS)
    assert sorted(whole.kpis["replication"].unique()) == list(range(REPS))
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "complete" and m["seed"] == SEED and m["reps"] == REPS
    assert m["scenario"]["hash"].startswith("sha256:") and m["points"]["ids"] == ["p000", "p001", "p002", "p003"]
    assert m["started"] and m["finished"] and m["hallsim"]


def test_more_demand_means_longer_waits_across_points(whole):
    """On common random numbers, doubling demand raises the mean wait (a sanity direction)."""
    assert whole.kpi("p002", "wait_mean_min").mean > whole.kpi("p000", "wait_mean_min").mean


def test_points_that_differ_only_by_label_draw_the_same_numbers():
    """Replication r of every point uses the same streams: equal scenarios give equal KPIs."""
    res = sweep(small(), {"description": ["a", "b"]}, reps=2, seed=3, workers=1)
    a, b = (res.kpis[res.kpis["point"] == p].drop(columns="point").reset_index(drop=True) for p in ("p000", "p001"))
    pd.testing.assert_frame_equal(a, b)


def test_resume_after_losing_a_point_gives_the_identical_tables(whole, tmp_path):
    """Deleting a point file (a run killed before it) and re-running reproduces the tables exactly."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    for name in ("points/p002.parquet", "summary.parquet", "summary.csv", "sla.parquet", "sla.csv"):
        (out / name).unlink()
    (out / "points" / ".p001.parquet.tmp").write_bytes(b"half a file from a killed run")
    again = sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1)
    assert_same_tables(again, whole)
    assert again.manifest["runs"][-1]["points_run"] == 1 and again.manifest["runs"][-1]["points_reused"] == 3
    assert not list(out.rglob("*.tmp"))


def test_rerunning_a_finished_sweep_runs_nothing(whole, tmp_path):
    """The same command again reuses every point and rewrites identical tables."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    seen = []
    again = sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1, progress=lambda d, t: seen.append((d, t)))
    assert_same_tables(again, whole)
    assert again.manifest["runs"][-1]["points_run"] == 0 and seen == [(4 * REPS, 4 * REPS)]


def test_interrupted_sweep_keeps_finished_points_only_and_resumes_to_the_same_tables(whole, tmp_path):
    """Ctrl-C after 2 points leaves their files (no temporaries, no summary); re-running completes identically."""
    out = tmp_path / "out"

    def stop_after_two_points(done, total):
        if done >= 2 * REPS:
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as err:
        sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1, progress=stop_after_two_points)
    assert (err.value.done, err.value.total) == (2, 4)
    assert files_under(out) == {"manifest.json", "base_scenario.yaml", "grid.yaml", "points.csv",
                                "points/p000.parquet", "points/p001.parquet"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["finished"] is None
    partial = load_sweep(out)
    assert not partial.complete and set(partial.summary["point"]) == {"p000", "p001"}
    again = sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1)
    assert_same_tables(again, whole)
    assert [r["status"] for r in again.manifest["runs"]] == ["interrupted", "complete"]


def test_interrupt_while_a_point_file_is_written_leaves_no_part_of_it(tmp_path, monkeypatch):
    """Ctrl-C in the middle of writing a point's Parquet leaves neither the point file nor a temporary."""
    real = pd.DataFrame.to_parquet
    calls = []

    def half_written(self, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:  # the second point: write some bytes, then the interrupt
            Path(path).write_bytes(b"PAR1 half")
            raise KeyboardInterrupt
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", half_written)
    out = tmp_path / "out"
    with pytest.raises(SweepInterrupted) as err:
        sweep(small(), GRID, reps=1, seed=SEED, out=out, workers=1)
    assert err.value.done == 1
    assert sorted(p.name for p in (out / "points").iterdir()) == ["p000.parquet"]
    assert not list(out.rglob("*.tmp"))


def test_interrupt_in_a_process_pool_leaves_no_temporary_files(whole, tmp_path):
    """With two worker processes, an interrupt also leaves only whole point files."""
    out = tmp_path / "out"

    def stop(done, total):
        if done >= REPS + 1:
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as err:
        sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=2, progress=stop)
    on_disk = sorted(p.name for p in (out / "points").iterdir())
    assert len(on_disk) == err.value.done >= 1 and not list(out.rglob("*.tmp"))
    assert_same_tables(sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=2), whole)


@pytest.mark.parametrize("change, words", [
    ({"seed": SEED + 1}, "seed (was 7, now 8)"),
    ({"reps": REPS + 1}, "reps (was 3, now 4)"),
    ({"grid": {**GRID, "demand.visitors_per_day": [20, 50]}}, "grid differs"),
    ({"scenario": scenario(windows=[{"id": "W1", "services": ["consult"]}])}, "base scenario differs"),
])
def test_a_different_sweep_into_the_same_folder_is_refused(whole, tmp_path, change, words):
    """Another seed, reps, grid or base scenario raises SweepError saying what differs; nothing changes."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    before = {p: (out / p).read_bytes() for p in files_under(out)}
    args = {"scenario": small(), "grid": GRID, "reps": REPS, "seed": SEED, **change}
    with pytest.raises(SweepError, match="use --force") as err:
        sweep(out=out, workers=1, **args)
    assert words in str(err.value)
    assert {p: (out / p).read_bytes() for p in files_under(out)} == before


def test_force_starts_over(whole, tmp_path):
    """force=True deletes the other sweep and runs every point again."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    res = sweep(small(), GRID, reps=2, seed=SEED, out=out, workers=1, force=True)
    assert res.manifest["reps"] == 2 and len(res.manifest["runs"]) == 1 and res.manifest["runs"][0]["points_run"] == 4


def test_a_folder_with_other_files_is_refused(tmp_path):
    """A non-empty folder without a manifest is not taken over."""
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SweepError, match="no manifest.json"):
        sweep(small(), GRID, reps=1, out=tmp_path, workers=1)
    assert files_under(tmp_path) == {"notes.txt"}


def test_pool_and_memory_runs_equal_the_serial_folder_run(whole):
    """Two worker processes without an output folder give exactly the serial tables."""
    assert_same_tables(sweep(small(), GRID, reps=REPS, seed=SEED, workers=2), whole)


def test_dask_equals_serial(whole):
    """A dask cluster (in-process threads) gives exactly the serial tables."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert_same_tables(sweep(small(), GRID, reps=REPS, seed=SEED, scheduler=client), whole)


def test_an_executor_failure_before_any_point_leaves_no_folder(tmp_path, monkeypatch):
    """A run that fails before finishing a point (e.g. an unreachable scheduler) writes nothing."""
    sweep_module = importlib.import_module("sim.experiments.sweep")  # `sim.experiments.sweep` itself is the function
    from sim.experiments.executors import ExecutorError

    def unreachable(*args, **kwargs):
        raise ExecutorError("cannot reach the Dask scheduler at 'tcp://nowhere:1'")

    monkeypatch.setattr(sweep_module, "run_jobs", unreachable)
    out = tmp_path / "out"
    with pytest.raises(ExecutorError):
        sweep(small(), GRID, reps=1, out=out, workers=1)
    assert not out.exists()


def test_load_sweep_reads_back_what_sweep_returned(whole):
    """load_sweep gives the same points, summary, SLA and KPI tables as the run."""
    loaded = load_sweep(whole.out)
    assert_same_tables(loaded, whole)
    assert loaded.complete and loaded.parameters == whole.parameters


def test_overview_has_one_row_per_point_with_main_kpis(whole):
    """overview(): one row per point, the main KPIs with interval ends and SLA counts."""
    ov = whole.overview()
    assert list(ov["point"]) == ["p000", "p001", "p002", "p003"]
    assert (ov["wait_mean_min_low"] <= ov["wait_mean_min"]).all() and (ov["sla_met"] <= ov["sla_judged"]).all()


# ------------------------------------------------------------------ CLI
def test_cli_sweep_prints_one_row_per_point_and_writes_the_folder(base_file, grid_file, tmp_path):
    """hallsim sweep exits 0, shows every point and its labels, and writes --out."""
    out = tmp_path / "out"
    res = runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid_file), "--reps", "2", "--workers", "1",
                              "--out", str(out)], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    for text in ("p000", "p003", "priority", "SLA", "4 points run"):
        assert text in res.output
    assert (out / "summary.csv").is_file()
    again = runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid_file), "--reps", "2", "--workers", "1",
                                "--out", str(out)])
    assert again.exit_code == 0 and "0 points run" in again.output and "4 reused" in again.output


def test_cli_sweep_json_is_one_document(base_file, grid_file):
    """--json prints one document with an overview row per point and the summary."""
    res = runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid_file), "--reps", "2", "--workers", "1", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [r["point"] for r in doc["overview"]] == ["p000", "p001", "p002", "p003"]
    assert doc["parameters"] == list(GRID) and doc["complete"] and doc["summary"]


def test_cli_sweep_bad_grid_path_exits_2_naming_file_and_path(base_file, tmp_path):
    """A misspelt dotted path: exit 2, one line naming the grid file and the path."""
    grid = tmp_path / "grid.yaml"
    grid.write_text("demand.visitors_pr_day: [1, 2]\n")
    res = runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid), "--workers", "1"])
    assert res.exit_code == 2
    assert f"{grid}: demand.visitors_pr_day: no such field in the scenario" in res.output


def test_cli_sweep_refuses_another_sweep_in_out_with_exit_2(base_file, grid_file, whole):
    """--out holding a sweep with another seed: exit 2 and a message; --force would start over."""
    res = runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid_file), "--reps", "3", "--seed", "1",
                              "--out", str(whole.out)])
    assert res.exit_code == 2 and "--force" in res.output and "holds a different sweep" in res.output


def test_cli_sweep_ctrl_c_exits_130_saying_how_to_resume(base_file, grid_file, tmp_path, monkeypatch):
    """An interrupt after one point: exit 130, one line with the count and that re-running resumes."""
    import sim.cli.sweep as cli_sweep

    real = cli_sweep.sweep

    def interrupted(*args, **kwargs):
        def stop(done, total):
            if done >= 2:
                raise KeyboardInterrupt
        return real(*args[:7], stop, **kwargs)

    monkeypatch.setattr(cli_sweep, "sweep", interrupted)
    out = tmp_path / "out"
    res = runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid_file), "--reps", "2", "--workers", "1",
                              "--out", str(out)])
    assert res.exit_code == 130
    assert res.output.strip() == f"interrupted: 1 of 4 points done in {out}; run the same command again to resume"


# ------------------------------------------------------------------ --reps auto
AUTO_PRECISION = 0.25


@pytest.fixture(scope="module")
def auto_whole(tmp_path_factory):
    """An uninterrupted serial sweep with reps="auto" written to a folder."""
    return sweep(small(), GRID, reps="auto", precision=AUTO_PRECISION, max_reps=40, seed=SEED,
                 out=tmp_path_factory.mktemp("auto") / "out", workers=1)


def test_auto_sweep_runs_each_point_as_replicate_until_would(auto_whole):
    """Each point uses the replications replicate_until chooses for that point alone, with
    the same KPI rows; the manifest records the count per point."""
    from sim.experiments.replications import replicate_until

    scenarios = point_scenarios(small(), parse_grid(GRID))
    used = auto_whole.manifest["reps_auto"]["reps_used"]
    for pid, s in zip(["p000", "p001", "p002", "p003"], scenarios):
        alone = replicate_until(s, SEED, precision=AUTO_PRECISION, cap=40, workers=1, tables=False)
        assert used[pid] == alone.reps >= 3
        mine = auto_whole.kpis[auto_whole.kpis["point"] == pid].drop(columns="point").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.kpis[list(mine.columns)].reset_index(drop=True), check_dtype=False)
    assert list(auto_whole.overview()["reps"]) == [used[p] for p in ["p000", "p001", "p002", "p003"]]
    assert auto_whole.auto and auto_whole.manifest["reps"] == "auto"


def test_auto_sweep_interrupted_mid_point_resumes_to_the_same_tables(auto_whole, tmp_path):
    """Ctrl-C in the middle of the third point keeps two whole points; running again ends
    with exactly the uninterrupted tables (the count per point depends only on point and seed)."""
    out = tmp_path / "out"
    first_two = sum(auto_whole.manifest["reps_auto"]["reps_used"][p] for p in ("p000", "p001"))

    def stop_in_the_third_point(done, total):
        if done > first_two:
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as err:
        sweep(small(), GRID, reps="auto", precision=AUTO_PRECISION, max_reps=40, seed=SEED, out=out, workers=1,
              progress=stop_in_the_third_point)
    assert err.value.done == 2
    assert {p for p in files_under(out) if p.startswith("points/")} == {"points/p000.parquet", "points/p001.parquet"}
    again = sweep(small(), GRID, reps="auto", precision=AUTO_PRECISION, max_reps=40, seed=SEED, out=out, workers=2)
    assert_same_tables(again, auto_whole)
    assert again.manifest["reps_auto"] == auto_whole.manifest["reps_auto"]


def test_auto_sweep_with_another_precision_is_another_sweep(auto_whole, tmp_path):
    """The same folder with another precision is refused, naming the precision."""
    out = tmp_path / "out"
    shutil.copytree(auto_whole.out, out)
    with pytest.raises(SweepError, match=r"precision \(was 0.25, now 0.1\)"):
        sweep(small(), GRID, reps="auto", precision=0.1, max_reps=40, seed=SEED, out=out, workers=1)


@pytest.mark.parametrize("kwargs, message", [
    ({"reps": "many"}, "reps must be a whole number >= 1 or 'auto' (got 'many')"),
    ({"reps": "auto", "precision": 0}, "precision must be between 0 and 1 (got 0)"),
    ({"reps": "auto", "max_reps": 2}, "max_reps must be >= 3 (got 2)"),
])
def test_bad_reps_arguments_are_refused_by_name(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        sweep(small(), GRID, workers=1, **kwargs)


def test_cli_sweep_reps_auto_shows_the_count_per_point(base_file, grid_file, tmp_path):
    """hallsim sweep --reps auto prints a reps column and the range used; --json carries reps_auto."""
    res = runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid_file), "--reps", "auto", "--precision",
                              "0.25", "--max-reps", "40", "--workers", "1"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "reps" in res.output and "replications per point for ±25 % precision" in res.output
    doc = json.loads(runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid_file), "--reps", "auto",
                                         "--precision", "0.25", "--max-reps", "40", "--workers", "1",
                                         "--json"]).stdout)
    assert doc["reps"] == "auto" and set(doc["reps_auto"]["reps_used"]) == {"p000", "p001", "p002", "p003"}


def test_cli_sweep_precision_without_auto_exits_2(base_file, grid_file):
    res = runner.invoke(app, ["sweep", str(base_file), "--grid", str(grid_file), "--reps", "2", "--precision", "0.1"])
    assert res.exit_code == 2 and res.stderr.strip() == "--precision: only used with --reps auto (got --reps 2)"


# ------------------------------------------------------------------ damaged folders, status, lock
def _rewrite(path: Path, change) -> None:
    """Write back the point file with ``change(frame)`` applied (a valid Parquet file)."""
    change(pd.read_parquet(path)).to_parquet(path, index=False)


DAMAGE = {
    "corrupted": (lambda p: p.write_bytes(p.read_bytes()[:200] + b"\x00garbage\xff" * 40 + p.read_bytes()[600:]),
                  "not a readable Parquet file"),
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "not a readable Parquet file"),
    "zero-byte": (lambda p: p.write_bytes(b""), "not a readable Parquet file"),
    "wrong columns": (lambda p: _rewrite(p, lambda f: f.rename(columns={"value": "val"})),
                      "its columns are point, replication, kpi, group, val, not point, replication, kpi, group, value"),
    "another point's data": (lambda p: shutil.copyfile(p.with_name("p003.parquet"), p), "it holds rows of point p003"),
    "a missing replication": (lambda p: _rewrite(p, lambda f: f[f["replication"] != 1]),
                              "replications 0, 2: 1 missing"),
    "changed bytes, same rows": (lambda p: pd.read_parquet(p).to_parquet(p, index=False, compression="gzip"),
                                 "its checksum differs from the one manifest.json"),
    "changed values": (lambda p: _rewrite(p, lambda f: f.assign(value=f["value"] + 1)),
                       "its checksum differs from the one manifest.json"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_point_file_is_redone_on_resume_with_a_note(whole, tmp_path, kind):
    """A point file that is corrupted, truncated, empty, has other columns, holds another
    point's rows, lacks a replication, or differs from the checksum the manifest recorded
    is found on resume: the note names the file and why, the point runs again (and only
    it), the manifest lists it, and the tables equal the uninterrupted sweep's. (Before:
    a traceback on every resume, or the wrong rows used silently.)"""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    damage, why = DAMAGE[kind]
    damage(out / "points" / "p001.parquet")
    notes = []
    again = sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1, note=notes.append)
    assert len(notes) == 1 and notes[0].startswith(f"{out / 'points' / 'p001.parquet'}: {why}")
    assert notes[0].endswith("running point p001 again")
    run = again.manifest["runs"][-1]
    assert run["points_run"] == 1 and run["points_reused"] == 3
    assert [r["point"] for r in run["points_redone"]] == ["p001"]
    assert_same_tables(again, whole)
    assert again.manifest["point_files"]["p001"] == whole.manifest["point_files"]["p001"]


def test_load_sweep_leaves_a_damaged_point_out_with_a_warning(whole, tmp_path):
    """Reading a folder with a damaged point file warns naming it and leaves the point
    out (the sweep reads as unfinished) instead of raising."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    (out / "points" / "p002.parquet").write_bytes(b"")
    with pytest.warns(SweepNote, match="p002.parquet: not a readable Parquet file"):
        res = load_sweep(out)
    assert not res.complete and set(res.summary["point"]) == {"p000", "p001", "p003"}


def test_the_manifest_records_each_point_file(whole):
    """point_files: for every point its parameters (the labels), replications and the
    SHA-256 of its file."""
    record = whole.manifest["point_files"]["p002"]
    assert record["parameters"] == {"demand.visitors_per_day": 40, "policies.green_channel.mode": "priority"}
    assert record["replications"] == REPS
    digest = hashlib.sha256((whole.out / "points" / "p002.parquet").read_bytes()).hexdigest()
    assert record["sha256"] == f"sha256:{digest}"


def test_point_files_the_manifest_does_not_know_are_checked_and_kept(whole, tmp_path):
    """A point file written just before a kill (the manifest had not recorded it yet)
    passes on its content and is recorded; nothing runs again."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["point_files"]["p003"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    again = sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1, note=pytest.fail)
    assert again.manifest["runs"][-1]["points_run"] == 0
    assert again.manifest["point_files"]["p003"] == whole.manifest["point_files"]["p003"]


def test_a_summary_that_cannot_be_written_leaves_the_status_failed(tmp_path, monkeypatch):
    """Every point done but the summary cannot be written (a full disk): the error
    propagates, the manifest says `failed` with the error, not `complete`; the next run
    writes the summary without running a point."""
    out = tmp_path / "out"
    real = sweep_module._write_table

    def disk_full(folder, name, frame):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sweep_module, "_write_table", disk_full)
    with pytest.raises(OSError, match="No space"):
        sweep(small(), GRID, reps=1, seed=SEED, out=out, workers=1)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "No space left" in manifest["runs"][-1]["error"]
    assert manifest["finished"] is None and not (out / "summary.parquet").exists()
    monkeypatch.setattr(sweep_module, "_write_table", real)
    again = sweep(small(), GRID, reps=1, seed=SEED, out=out, workers=1)
    assert again.manifest["status"] == "complete" and again.manifest["runs"][-1]["points_run"] == 0


def test_a_run_killed_while_running_reads_back_as_stopped_and_resumes_with_a_note(whole, tmp_path):
    """A manifest that says `running` with no live run behind it (the process was
    killed): load_sweep says `stopped`; the next run says so in a note and marks that
    run `stopped` in the history."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["status"] = manifest["runs"][-1]["status"] = "running"
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert load_sweep(out).manifest["status"] == "stopped"
    notes = []
    again = sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1, note=notes.append)
    assert len(notes) == 1 and "stopped without finishing" in notes[0]
    assert [r["status"] for r in again.manifest["runs"]] == ["stopped", "complete"]


def test_a_second_sweep_into_a_locked_folder_is_refused_naming_the_first(whole, tmp_path):
    """While a live process holds the folder's lock, another sweep there raises
    SweepError naming its PID and touches nothing; the CLI exits 2 with that line."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    before = {p: (out / p).read_bytes() for p in files_under(out)}
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / ".out.lock").write_text(json.dumps({"pid": holder.pid, "host": socket.gethostname(),
                                                        "started": "2026-01-01T00:00:00+00:00"}))
        with pytest.raises(SweepError, match=f"another hallsim process \\(PID {holder.pid}, started 2026"):
            sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1)
        res = runner.invoke(app, ["sweep", str(ROOT / "scenarios/county_hall.yaml"), "--grid",
                                  str(ROOT / "scenarios/grids/county_staffing.yaml"), "--out", str(out), "-w", "1"])
        assert res.exit_code == 2 and f"PID {holder.pid}" in res.stderr and "Traceback" not in res.output
    finally:
        holder.kill()
        holder.wait()
    assert {p: (out / p).read_bytes() for p in files_under(out)} == before


def test_a_stale_lock_is_taken_over_with_a_note(whole, tmp_path):
    """A lock left by a process that has ended: the sweep takes it over, says so, and
    releases it at the end."""
    out = tmp_path / "out"
    shutil.copytree(whole.out, out)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ".out.lock").write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "started": "x"}))
    notes = []
    sweep(small(), GRID, reps=REPS, seed=SEED, out=out, workers=1, note=notes.append)
    assert len(notes) == 1 and f"took over the lock of PID {dead.pid}" in notes[0]
    assert not (tmp_path / ".out.lock").exists()


def test_force_will_not_delete_the_current_folder(tmp_path, monkeypatch):
    """sweep --out . --force in a folder of other files: refused, nothing deleted."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.txt").write_text("mine")
    with pytest.raises(SweepError, match="current folder"):
        sweep(small(), GRID, reps=1, seed=SEED, out=".", workers=1, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]
