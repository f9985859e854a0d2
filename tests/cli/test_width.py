"""Every table of `run`, `staff`, `sweep`, `network` and `calibrate` reads at 80 columns: no line wider, no cell cut with "…"
(`compare`'s stacked layout is tested in test_main.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from sim.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("args", [
    ["run", str(ROOT / "scenarios" / "city_hall.yaml"), "--reps", "2", "--days", "1", "--workers", "1"],
    ["staff", str(ROOT / "scenarios" / "county_hall.yaml"), "--reps", "2", "--days", "1", "--workers", "1"],
    ["sweep", str(ROOT / "scenarios" / "county_hall.yaml"), "--grid", str(ROOT / "scenarios" / "grids" /
     "county_staffing.yaml"), "--reps", "1", "--workers", "1"],
    ["network", str(ROOT / "scenarios" / "network" / "sample_county.yaml"), "--reps", "1", "--workers", "1"],
    ["calibrate", str(ROOT / "scenarios" / "logs" / "county_hall_10days.csv"), "--hall",
     str(ROOT / "scenarios" / "county_hall.yaml"), "--reps", "1"],
], ids=["run", "staff", "sweep", "network", "calibrate"])
def test_output_fits_80_columns_without_cut_cells(args, tmp_path):
    """The output at COLUMNS=80: every line at most 80 cells wide, nothing cut with "…"
    (staff: short headers with a legend under the table; sweep: a block of rows per point)."""
    if args[0] in ("staff", "calibrate"):
        args = [*args, "--out", str(tmp_path / "variant.yaml")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if not line.startswith("wrote ")]  # a path cannot wrap
    assert max(cell_len(line) for line in lines) <= 80
    assert not [line for line in lines if "…" in line]
    if args[0] == "staff":
        assert "ErlC / ErlA: the Erlang C / Erlang A windows" in " ".join(result.stdout.split())
