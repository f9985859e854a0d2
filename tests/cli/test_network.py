"""``hallsim network``: tables, JSON, files, what-ifs, location and exit 2 on bad input."""

from __future__ import annotations

import json
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli.main import app

from network_builders import NETWORK, write_files

runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    write_files(tmp_path)
    (tmp_path / "cand.yaml").write_text(yaml.safe_dump({"candidates": [
        {"name": "north", "scenario": "hall.yaml", "x_km": 0, "y_km": 30}]}), encoding="utf-8")
    return tmp_path


def test_prints_points_zones_and_the_circle(files):
    """The text output names the circle, every point and zone."""
    done = runner.invoke(app, ["network", str(files / "net.yaml"), "--reps", "2", "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert "Circle of 10 minutes: 100.0 % of residents" in done.output
    for word in ("Service points", "Zones", " A ", " B ", "mid"):
        assert word in done.output


def test_json_has_points_zones_circle_and_each_points_verdicts(files):
    """--json prints one document with the point table, zones, circle and per-point SLA and standards."""
    done = runner.invoke(app, ["network", str(files / "net.yaml"), "--reps", "2", "--workers", "1", "--json"])
    assert done.exit_code == 0, done.output
    doc = json.loads(done.output)
    assert [p["point"] for p in doc["points"]] == ["A", "B"]
    assert {"sla", "standards", "summary", "headline"} <= set(doc["point_results"]["A"])
    assert {(c["kpi"], c["group"]) for c in doc["circle"]} >= {("circle_share", "all"), ("door_to_card_share", "elderly")}


def test_what_if_and_location_write_their_tables(files, tmp_path):
    """--without, --with and --locate run the variant on common random numbers and --out
    writes the comparison, the location table and each point's assigned scenario."""
    out = tmp_path / "out"
    done = runner.invoke(app, ["network", str(files / "net.yaml"), "--reps", "2", "--workers", "1",
                               "--without", "B", "--with", f"C={files / 'hall.yaml'}@0,5",
                               "--locate", "1", "--candidates", str(files / "cand.yaml"), "--out", str(out),
                               "--map", str(tmp_path / "map.png")])
    assert done.exit_code == 0, done.output
    assert "Open north" in done.output and "What-if" in done.output
    written = {p.name for p in out.iterdir()}
    assert {"comparison.csv", "location.csv", "points.parquet", "whatif_points.csv", "point_A.yaml",
            "meta.json"} <= written
    assert (tmp_path / "map.png").stat().st_size > 0 and (tmp_path / "map_whatif.png").stat().st_size > 0
    meta = json.loads((out / "meta.json").read_text())
    assert meta["chosen"] == ["north"] and meta["without"] == ["B"]


@pytest.mark.parametrize("args, expected", [
    (["--reps", "0"], "--reps: must be >= 1"),
    (["--without", "Z"], "--without Z: no such point"),
    (["--with", "C=nope.yaml@1,2"], "nope.yaml: no such file"),
    (["--with", "C@1"], "expected NAME=FILE.yaml@X,Y"),
    (["--locate", "2"], "--locate and --candidates go together"),
    (["--map", "no/such/folder/map.png"], "no folder"),
])
def test_bad_options_exit_2_naming_them(files, args, expected):
    """Bad options exit with code 2 and one line naming the option, without a traceback."""
    done = runner.invoke(app, ["network", str(files / "net.yaml"), *args])
    assert done.exit_code == 2, done.output
    assert expected in done.output and "Traceback" not in done.output


def test_a_bad_network_file_exits_2_naming_file_and_field(files):
    """An invalid field exits 2 naming the file, the field path and the value; nothing is written."""
    bad = dict(NETWORK, zones=[{"name": "z", "population": "many", "x_km": 0, "y_km": 0}])
    (files / "bad.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    out = files / "never"
    done = runner.invoke(app, ["network", str(files / "bad.yaml"), "--out", str(out)])
    assert done.exit_code == 2
    assert f"{files / 'bad.yaml'}: zones.0.population:" in done.output and "'many'" in done.output
    assert not out.exists()
