"""The shipped county-hall variants of issue 16 (appointments, two-step visits, …) run from
the command line: two replications of one day each, with their own KPIs in the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli.main import app

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
runner = CliRunner()

VARIANTS = {
    "county_hall_appointments.yaml": [("wait_p90_min", "booked"), ("wait_p90_min", "walk_in"), ("no_show_rate", "booked")],
    "county_hall_bank_step.yaml": [("transfers_per_day", "all"), ("transfer_wait_mean_min", "all")],
    "county_hall_home_visits.yaml": [("home_visits_per_day", "all"), ("home_visits_pending", "all")],
    "county_hall_helpers.yaml": [("helped_visits_per_day", "all"), ("helped_share", "elderly"),
                                 ("helper_utilisation", "all"), ("helper_wait_mean_min", "all"),
                                 ("wait_mean_min", "elderly_helped"), ("wait_mean_min", "elderly_alone")],
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_runs_from_the_cli_with_its_kpis(name):
    """`hallsim run VARIANT --reps 2 --days 1 --json` exits 0 and reports the variant's own KPIs."""
    result = runner.invoke(app, ["run", str(SCENARIOS / name), "--reps", "2", "--days", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    pairs = {(row["kpi"], row["group"]) for row in data["summary"]}
    assert set(VARIANTS[name]) <= pairs
