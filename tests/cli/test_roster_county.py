"""The shipped county hall through ``hallsim roster`` and back through ``hallsim run``:
what planners try first (issue: rosters a hall can work)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

import sim
from sim.cli.main import app

runner = CliRunner()
COUNTY = Path(__file__).resolve().parents[2] / "scenarios" / "county_hall.yaml"
REPS, DAYS = "5", "10"


def test_the_county_roster_run_with_hallsim_run_meets_what_full_attendance_meets(tmp_path):
    """One roster for every day of the county hall (5 replications of 10 days): run with
    ``hallsim run`` on the same seed, replications and days, it meets every SLA target that
    the hall meets with every window attended all day (empty windows included: its
    standby covers random absences), and the roster's output names the target it cannot
    meet with its bound and remedy (on-the-spot issuance: the printers, not staff)."""
    src = tmp_path / "county_hall.yaml"
    shutil.copy(COUNTY, src)
    out = tmp_path / "out" / "county_roster.yaml"
    res = runner.invoke(app, ["roster", str(src), "--out", str(out), "--same-every-day", "--reps", REPS,
                              "--days", DAYS])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "on-the-spot issuance 90th percentile" in said and "staff cannot move it" in said
    assert "instant card printer" in said
    res = runner.invoke(app, ["run", str(out), "--reps", REPS, "--days", DAYS, "--json"])
    assert res.exit_code == 0, res.output
    proposed = {row["target"]: row["verdict"] for row in json.loads(res.stdout)["sla"]}
    full = sim.simulate(sim.with_overrides(sim.load_scenario(COUNTY), {"policies.staffing": "always",
                                                                       "run.days": int(DAYS)}),
                        seed=0, reps=int(REPS))
    met_by_full = [t for t, v in zip(full.sla["target"], full.sla["verdict"]) if v == "met"]
    assert "empty_window_max_min" in met_by_full and "wait_p90_max_min" in met_by_full
    assert {t: proposed[t] for t in met_by_full} == {t: "met" for t in met_by_full}
