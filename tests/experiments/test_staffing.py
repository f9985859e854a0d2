"""Staffing search (sim.experiments.staffing), its figure and `hallsim staff`; also the window
hours (``windows[i].hours``) the variants use, which the search added to the schema."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

import sim
from builders import scenario
from sim.experiments import analytic
from sim.scenario.days import day_plans, rate_pieces
from sim.cli.main import app
from sim.scenario.clock import to_minutes
from sim.scenario.loader import ScenarioError, load_scenario, load_scenario_text
from sim.plots.staffing import staffing_plan
from sim.experiments.staffing import (BLOCK_COLUMNS, block_cuts, windows_variant, block_rates, erlang_a_windows, erlang_c_windows,
                                 staffing_search, window_load)

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _mmc(**overrides):
    """The textbook M/M/3 (lambda 2.5/min, mu 1/min) on a short horizon, with wait targets."""
    s = sim.load_scenario(ROOT / "scenarios" / "textbook" / "mmc.yaml")
    base = {"run.horizon_min": 2000, "run.warmup_min": 200, "sla.wait_p90_max_min": None,
            "sla.elderly_wait_p90_max_min": None, "sla.issuance_p90_max_min": None}
    return sim.with_overrides(s, {**base, **overrides})


def _day(**overrides):
    """Two always-attended windows, 09:00-12:00, a busy first hour then a calm one."""
    base = dict(
        windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]},
                 {"id": "W3", "services": ["consult"]}],
        demand={"visitors_per_day": 60, "hourly_profile": {"09:00": 4, "10:00": 1, "11:00": 1}},
        services={"consult": {"window_time": {"dist": "exponential", "mean": 3}}},
        sla={"wait_mean_max_min": 3, "wait_p90_max_min": None, "elderly_wait_p90_max_min": None},
    )
    base.update(overrides)
    return scenario(**base)


# ------------------------------------------------------------------ analytic figures
def test_erlang_c_windows_is_the_smallest_c_meeting_both_targets():
    """The Erlang C figure is the smallest c whose mean wait and P(wait > t) meet the targets."""
    lam, mean = 2.5, 1.0
    c = erlang_c_windows(lam, mean, 0.5, None)
    assert analytic.mmc_wait(c, lam, 1.0) <= 0.5 < analytic.mmc_wait(c - 1, lam, 1.0)
    c90 = erlang_c_windows(lam, mean, None, 0.2)
    assert analytic.mmc_wait_tail(c90, lam, 1.0, 0.2) <= 0.1 < analytic.mmc_wait_tail(c90 - 1, lam, 1.0, 0.2)
    assert erlang_c_windows(lam, mean, 0.5, 0.2) == max(c, c90)
    assert erlang_c_windows(0.0, mean, 0.5, None) == 0
    assert np.isnan(erlang_c_windows(lam, mean, None, None))


def test_erlang_a_windows_meets_abandonment_and_needs_patience():
    """The Erlang A figure meets the abandonment target; without patience it is NaN."""
    c = erlang_a_windows(2.5, 1.0, 10.0, 0.02, None)
    assert analytic.erlang_a(c, 2.5, 1.0, 0.1)["p_abandon"] <= 0.02 < analytic.erlang_a(c - 1, 2.5, 1.0, 0.1)["p_abandon"]
    assert np.isnan(erlang_a_windows(2.5, 1.0, None, 0.02, 5.0))


def test_block_rates_carry_the_days_expected_arrivals():
    """Per-block rates times block lengths add up to the expected arrivals of a mean day."""
    s = load_scenario(ROOT / "scenarios" / "county_hall.yaml")
    cuts = block_cuts(s, 60)
    assert cuts[0] == to_minutes("08:30") and cuts[1] == to_minutes("09:00") and cuts[-1] == to_minutes("17:00")
    rates = block_rates(s, cuts)
    expected = np.mean([sum((b - a) * r for a, b, r in rate_pieces(s, d)) for d in day_plans(s)])
    assert float(np.sum(rates * np.diff(cuts))) == pytest.approx(expected)


def test_window_load_leaves_out_kiosk_users_and_counts_elderly_time():
    """Kiosk users take no ticket; elderly visitors add their multiplier to the window time."""
    s = _day(demand={"visitors_per_day": 60, "elderly_share": 0.5, "kiosk_preference": 0.4,
                     "elderly_kiosk_preference": 0.0, "service_mix": {"consult": 1}},
             services={"consult": {"window_time": {"dist": "fixed", "value": 2}, "elderly_multiplier": 2,
                                   "kiosk_time": {"dist": "fixed", "value": 1}}},
             devices={"kiosks": {"count": 1, "services": ["consult"]}})
    share, minutes = window_load(s)
    assert share == pytest.approx(0.5 + 0.5 * 0.6)
    assert minutes == pytest.approx((0.5 * 4 + 0.3 * 2) / 0.8)


# ------------------------------------------------------------------ the search
def test_textbook_search_returns_the_erlang_c_answer_where_the_margin_is_clear():
    """M/M/c, mean wait <= 0.5 min: Erlang C says 4 (3 gives ~1.0 min, 4 gives ~0.2): so does the search."""
    plan = staffing_search(_mmc(**{"sla.wait_mean_max_min": 0.5}), reps=3, seed=1)
    row = plan.blocks.iloc[0]
    assert row["erlang_c_windows"] == 4
    assert row["windows"] == 4 and row["verdict"] == "met"
    assert len(plan.scenario.windows) == 4 and plan.met


def test_textbook_search_is_within_one_of_erlang_c_on_a_tail_target():
    """M/M/c with a 90 % wait target: the search lands within one window of Erlang C."""
    plan = staffing_search(_mmc(**{"sla.wait_mean_max_min": None, "sla.wait_p90_max_min": 0.5}), reps=3, seed=2)
    row = plan.blocks.iloc[0]
    assert abs(row["windows"] - row["erlang_c_windows"]) <= 1


def test_day_search_gives_more_windows_in_the_busy_block_and_a_loadable_variant():
    """Three blocks: the busy first hour gets more windows; the variant file loads and says how it was made."""
    plan = staffing_search(_day(), reps=3, seed=0)
    b = plan.blocks
    assert list(b.columns) == list(BLOCK_COLUMNS)
    assert list(b["block_start"]) == ["09:00", "10:00", "11:00"]
    assert b["windows"].iloc[0] > b["windows"].iloc[1]
    assert plan.met
    assert plan.yaml.startswith("# Staffing variant of 'Tiny'")
    assert load_scenario_text(plan.yaml) == plan.scenario
    assert plan.history["kept"].sum() >= 1


def test_variant_opens_windows_per_block_with_shifts_that_follow():
    """A roster variant: windows open by their hours as counted per block, each by a staff shift."""
    s = load_scenario(ROOT / "scenarios" / "county_hall.yaml")
    cuts = block_cuts(s, 60)
    counts = [5, 3, 3, 2, 2, 2, 3, 3, 2]
    v = windows_variant(s, cuts, counts)
    for (a, b), n in zip(zip(cuts, cuts[1:]), counts):
        mid = (a + b) / 2
        open_ = [w for w in v.windows
                 if w.hours is None or any(to_minutes(h.start) <= mid < to_minutes(h.end) for h in w.hours)]
        assert len(open_) == n
        for w in open_:
            assert any(p.a_post == w.id and to_minutes(p.shift.start) <= mid < to_minutes(p.shift.end) for p in v.staff)
    assert {p.a_post for p in v.staff} >= {"guide", "floater"}
    assert len(v.windows) == 5  # one window more than the hall has, for the opening surge


# ------------------------------------------------------------------ window hours (schema)
def test_window_outside_its_hours_is_closed_not_empty_and_calls_nobody():
    """A window open 09:00-10:00 serves no one called later and is never counted empty."""
    s = _day(windows=[{"id": "W1", "services": ["consult"]},
                      {"id": "W2", "services": ["consult"], "hours": [{"start": "09:00", "end": "10:00"}]}])
    res = sim.run_replication(s, 0, 0)
    calls = res.tables["visits"]
    assert (calls.loc[calls["window"] == "W2", "call_min"] < 600).all()
    win = res.tables["windows"]
    w2 = win[win["window"] == "W2"]
    assert "closed" in set(w2["state"]) and "empty" not in set(w2["state"])
    k = res.kpis
    assert k.loc[(k.kpi == "empty_window_min_per_day") & (k.group == "all"), "value"].item() == 0


def test_window_staff_covers_elsewhere_while_its_window_is_closed():
    """With a roster, the A of a closed window is free to cover another window whose A is on a break."""
    s = _day(policies={"staffing": "roster", "green_channel": {"mode": "none"}},
             windows=[{"id": "W1", "services": ["consult"]},
                      {"id": "W2", "services": ["consult"], "hours": [{"start": "09:00", "end": "10:00"}]}],
             staff=[{"name": "a", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"},
                     "breaks": [{"start": "10:30", "duration_min": 20}]},
                    {"name": "b", "a_post": "W2", "shift": {"start": "09:00", "end": "12:00"}}])
    res = sim.run_replication(s, 0, 0)
    staff = res.tables["staff"]
    assert ((staff["staff"] == "b") & (staff["post"] == "W1")).any()
    k = res.kpis
    assert k.loc[(k.kpi == "empty_window_min_per_day") & (k.group == "all"), "value"].item() == 0


def test_overlapping_window_hours_are_refused_naming_the_period():
    """Periods out of order or overlapping are refused with the path of the offending one."""
    with pytest.raises(ScenarioError) as err:
        _day(windows=[{"id": "W1", "services": ["consult"],
                       "hours": [{"start": "09:00", "end": "10:30"}, {"start": "10:00", "end": "11:00"}]}])
    assert any(path == "windows.0.hours.1.start" for path, _ in err.value.problems)


# ------------------------------------------------------------------ figure and CLI
def test_staffing_plan_figure_in_both_languages():
    """The figure is a matplotlib Figure with demand bars and window steps, in English and Chinese."""
    plan = staffing_search(_day(), reps=2, seed=0)
    for lang in ("en", "zh"):
        fig = staffing_plan(plan, lang)
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 2


@pytest.fixture()
def day_file(tmp_path):
    path = tmp_path / "day.yaml"
    path.write_text("""\
hall: {name: Day, level: county, floor_area_m2: 50, opening_hours: {mon: {open: "09:00", close: "11:00"}}}
windows: [{id: W1, services: [consult]}, {id: W2, services: [consult]}]
demand: {visitors_per_day: 40, service_mix: {consult: 1}, hourly_profile: {"09:00": 3, "10:00": 1}}
services: {consult: {window_time: {dist: exponential, mean: 3}}}
policies: {staffing: always, green_channel: {mode: none}}
sla: {wait_mean_max_min: 3, wait_p90_max_min: null, elderly_wait_p90_max_min: null}
run: {days: 1, replications: 2}
""")
    return path


def test_cli_staff_prints_blocks_writes_variant_and_refuses_overwrite(day_file, tmp_path):
    """`hallsim staff` prints the block table, writes a loadable variant, and will not overwrite it without --force."""
    out = tmp_path / "variant.yaml"
    result = runner.invoke(app, ["staff", str(day_file), "--out", str(out), "-w", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "Erlang C" in result.stdout and "09:00-10:00" in result.stdout and "10:00-11:00" in result.stdout
    text = out.read_text()
    assert text.startswith("# Staffing variant of 'Day'") and "hallsim staff" in text
    load_scenario(out)
    again = runner.invoke(app, ["staff", str(day_file), "--out", str(out), "-w", "1"])
    assert again.exit_code == 2 and "file exists (use --force" in again.stderr
    assert out.read_text() == text
    forced = runner.invoke(app, ["staff", str(day_file), "--out", str(out), "--force", "--json", "-w", "1"])
    assert forced.exit_code == 0, forced.stderr
    doc = json.loads(forced.stdout)
    assert [b["block_start"] for b in doc["blocks"]] == ["09:00", "10:00"]
    assert {"windows", "erlang_c_windows", "erlang_a_windows", "verdict"} <= set(doc["blocks"][0])


@pytest.mark.parametrize("args, message", [
    (["--block-min", "0"], "--block-min: must be > 0 minutes (got 0)"),
    (["--reps", "0"], "--reps: must be >= 1 (got 0)"),
    (["--max-windows", "0"], "--max-windows: must be >= 1 (got 0)"),
])
def test_cli_staff_bad_options_exit_2(day_file, tmp_path, args, message):
    """Bad options exit 2 with one line naming the option, and write nothing."""
    out = tmp_path / "v.yaml"
    result = runner.invoke(app, ["staff", str(day_file), "--out", str(out), *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert not out.exists()
