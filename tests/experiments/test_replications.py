"""Automatic number of replications (sim.experiments.replications): the HRD stopping rule on synthetic
sequences, an end-to-end run, and `--reps auto` on the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from builders import scenario
from sim.cli.main import app
from sim.experiments.replications import look_ahead, relative_precision, replicate_until, stopping_rule

runner = CliRunner()


# ------------------------------------------------------------------ the rule
def test_look_ahead_is_k_limit_up_to_100_then_grows_with_n():
    """f(kLimit, N) is kLimit for N <= 100 and kLimit * N / 100 (rounded up) beyond."""
    assert look_ahead(3) == 5 and look_ahead(100) == 5
    assert look_ahead(101) == 6 and look_ahead(400) == 20
    assert look_ahead(50, k_limit=2) == 2


def test_relative_precision_is_t_half_width_over_mean():
    """d_n equals t(n-1) s / (sqrt(n) |mean|), NaN below two values."""
    from scipy import stats

    x = [10.0, 12.0, 11.0, 9.0]
    d = relative_precision(x, 0.95)
    assert np.isnan(d[0])
    for n in (2, 3, 4):
        v = np.array(x[:n])
        expected = stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / np.sqrt(n) / v.mean()
        assert d[n - 1] == pytest.approx(expected)


def test_stops_when_precision_is_reached_and_holds_over_the_look_ahead():
    """A steady sequence reaches 5 % at the 3rd replication and stops after 3 + 5."""
    x = [10.0, 10.1, 9.9, 10.0, 10.05, 9.95, 10.0, 10.02, 9.98, 10.0]
    check = stopping_rule(x, precision=0.05)
    assert check.stopped and check.n_solution == 3 and check.n_stop == 8 and check.needed == 0


def test_not_stopped_before_the_look_ahead_is_complete():
    """Precision reached but not yet confirmed: the rule asks for the missing replications."""
    check = stopping_rule([10.0, 10.1, 9.9, 10.0], precision=0.05)
    assert not check.stopped and check.n_solution == 3 and check.needed == 4


def test_a_break_in_the_look_ahead_restarts_the_search():
    """An outlier inside the look-ahead voids the candidate; a later one is found and confirmed."""
    x = [10.0, 10.1, 9.9, 10.0, 14.0] + [10.0] * 60
    check = stopping_rule(x, precision=0.05)
    assert check.stopped
    assert check.n_solution > 5
    assert all(p <= 0.05 for p in check.precision[check.n_solution - 1:check.n_stop])
    assert check.precision[4] > 0.05


def test_a_noisy_sequence_does_not_stop_and_asks_for_more():
    """Values far too noisy for 5 % never stop; at least one more replication is asked for."""
    x = np.random.default_rng(3).exponential(10.0, 30)
    check = stopping_rule(x, precision=0.05)
    assert not check.stopped and check.n_stop is None and check.needed >= 1


def test_every_kpi_must_reach_the_precision():
    """With two KPIs (columns) the rule waits for the noisier one."""
    steady = [10.0, 10.1, 9.9] + [10.0] * 30
    noisy = [1.0, 3.0, 2.0, 2.5, 1.5] + [2.0] * 28
    alone = stopping_rule(steady, 0.05)
    both = stopping_rule(np.column_stack([steady, noisy]), 0.05)
    assert both.n_solution > alone.n_solution


def test_zero_mean_kpi_counts_as_precise():
    """A KPI that is 0 in every replication (no abandonment) has half-width 0: precise at once."""
    check = stopping_rule([0.0] * 8, precision=0.05)
    assert check.stopped and check.n_solution == 3


def test_absolute_tolerance_covers_near_zero_means():
    """A share near 0 whose half-width is within the absolute tolerance is precise; without it, not."""
    x = [0.0, 0.002, 0.001, 0.0, 0.001, 0.002, 0.0, 0.001, 0.001, 0.0]
    assert not stopping_rule(x, 0.05).stopped
    assert stopping_rule(x, 0.05, abs_tol=0.005).stopped


def test_decision_depends_only_on_the_replications_before_it():
    """A KPI that first has a value late (no elderly visitor yet) does not move an earlier stopping point."""
    steady = [10.0, 10.1, 9.9] + [10.0] * 37
    late = [np.nan] * 20 + [1.0, 5.0] * 10
    both = np.column_stack([steady, late])
    assert stopping_rule(both[:10], 0.05).n_stop == stopping_rule(both, 0.05).n_stop == 8


def test_bad_rule_parameters_are_refused_naming_them():
    """precision <= 0 and min_reps < 2 raise ValueError naming the parameter."""
    with pytest.raises(ValueError, match="precision"):
        stopping_rule([1.0, 2.0], precision=0)
    with pytest.raises(ValueError, match="min_reps"):
        stopping_rule([1.0, 2.0], min_reps=1)


# ------------------------------------------------------------------ simulation
def _tiny():
    return scenario(windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
                    demand={"visitors_per_day": 40},
                    services={"consult": {"window_time": {"dist": "exponential", "mean": 3}}})


def test_replicate_until_uses_the_rule_and_reports_the_count():
    """The run keeps exactly the replications at which the rule stops on its own KPI rows."""
    kpis = (("time_in_system_mean_min", "all"), ("window_utilisation", "all"))
    res = replicate_until(_tiny(), seed=2, precision=0.2, kpis=kpis, tables=False)
    meta = res.meta
    assert not meta["cap_reached"]
    assert res.reps == meta["reps_used"] == meta["reps_solution"] + look_ahead(meta["reps_solution"])
    k = res.kpis
    cols = [k[(k.kpi == kpi) & (k.group == g)].sort_values("replication")["value"].to_numpy() for kpi, g in kpis]
    check = stopping_rule(np.column_stack(cols), 0.2, abs_tol=[0.05, 0.005])
    assert check.stopped and check.n_stop == res.reps


def test_replicate_until_stops_at_the_cap_and_says_so():
    """An unreachable precision stops at the cap with cap_reached True."""
    res = replicate_until(_tiny(), seed=0, precision=1e-6, cap=4, tables=False)
    assert res.reps == 4 and res.meta["cap_reached"] and res.meta["reps_solution"] is None


def test_replicate_until_is_the_same_in_a_pool():
    """Two workers run other batch sizes but keep the same replications and KPIs."""
    kpis = (("time_in_system_mean_min", "all"),)
    one = replicate_until(_tiny(), seed=1, precision=0.2, kpis=kpis, workers=1, tables=False)
    two = replicate_until(_tiny(), seed=1, precision=0.2, kpis=kpis, workers=2, tables=False)
    assert one.reps == two.reps
    assert one.kpis.equals(two.kpis)


# ------------------------------------------------------------------ command line
@pytest.fixture()
def tiny_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text("""\
hall: {name: Tiny, level: county, floor_area_m2: 50, opening_hours: {mon: {open: "09:00", close: "12:00"}}}
windows: [{id: W1, services: [consult]}, {id: W2, services: [consult]}]
demand: {visitors_per_day: 40, service_mix: {consult: 1}}
services: {consult: {window_time: {dist: exponential, mean: 3}}}
policies: {staffing: always, green_channel: {mode: none}}
run: {days: 1, replications: 2}
""")
    return path


def test_cli_run_reps_auto_reports_the_count_in_json(tiny_file):
    """`run --reps auto --json` reports the replications used and how they were chosen."""
    result = runner.invoke(app, ["run", str(tiny_file), "--reps", "auto", "--precision", "0.3", "--max-reps", "40",
                                 "--json", "-w", "1"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["reps_auto"]["reps_used"] == doc["reps"] <= 40
    assert doc["reps_auto"]["precision"] == 0.3


def test_cli_run_reps_auto_header_says_how_many(tiny_file):
    """The table header names the automatic count (here the cap of 3 is reached)."""
    result = runner.invoke(app, ["run", str(tiny_file), "--reps", "auto", "--precision", "0.0001", "--max-reps", "3",
                                 "-w", "1"])
    assert result.exit_code == 0, result.stderr
    assert "3 replications x 1 day(s)" in result.stdout
    assert "stopped at the cap of 3 replications" in result.stdout


def test_cli_compare_reps_auto(tiny_file):
    """`compare --reps auto` runs every scenario with the automatic count."""
    result = runner.invoke(app, ["compare", str(tiny_file), str(tiny_file), "--reps", "auto", "--precision", "0.3",
                                 "--max-reps", "30", "--json", "-w", "1"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["reps"] == doc["reps_auto"]["reps_used"]


@pytest.mark.parametrize("command", ["run", "demo", "compare"])
@pytest.mark.parametrize("args, message", [
    (["--reps", "many"], "--reps: expected a whole number >= 1 or 'auto' (got 'many')"),
    (["--reps", "auto", "--precision", "0"], "--precision: must be between 0 and 1, e.g. 0.05 for 5 % (got 0)"),
    (["--reps", "auto", "--max-reps", "1"], "--max-reps: must be >= 3 (got 1)"),
    (["--reps", "5", "--precision", "0.05"], "--precision: only used with --reps auto (got --reps 5)"),
    (["--max-reps", "9", "--precision", "0.1"],
     "--precision and --max-reps: only used with --reps auto (got --reps not given)"),
])
def test_cli_bad_reps_values_exit_2_with_a_clear_message(tiny_file, command, args, message):
    """A bad --reps (or --precision / --max-reps with auto, or either without auto) exits 2
    with one line naming the option."""
    files = {"run": [str(tiny_file)], "demo": [], "compare": [str(tiny_file), str(tiny_file)]}[command]
    result = runner.invoke(app, [command, *files, *args])
    assert result.exit_code == 2
    if command == "demo":  # demo's --reps has a default of 10
        message = message.replace("--reps not given", "--reps 10")
    assert result.stderr.strip() == message


def test_compare_until_compares_the_replications_that_decided_the_count(tiny_file):
    """compare_until gives the same table as compare() run with the count it chose."""
    import pandas as pd

    import sim
    from sim.experiments.compare import compare
    from sim.experiments.replications import compare_until

    base = sim.load_scenario(tiny_file)
    other = sim.with_overrides(base, {"demand.visitors_per_day": 50})
    cmp, info = compare_until([base, other], ["a", "b"], seed=3, precision=0.3, cap=30)
    assert cmp.reps == info["reps_used"]
    again = compare([base, other], ["a", "b"], seed=3, reps=info["reps_used"], workers=1, tables=False)
    pd.testing.assert_frame_equal(cmp.table, again.table)
