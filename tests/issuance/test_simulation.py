"""Card issuance over working days (sim.issuance.simulation, sim.issuance.model, sim.issuance.kpis)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import sim
from sim.cli.main import app
from sim.issuance.simulation import (capacity_needed, collect_demand, hall_overrides, run_issuance_replication,
                          simulate_issuance)
from sim.issuance.model import APPLICATION_COLUMNS, DAILY_COLUMNS, STATES
from sim.scenario.loader import ScenarioError, with_overrides
from sim.scenario.workdays import CalendarError
from builders import scenario

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "scenarios" / "county_issuance.yaml"

FIXED_BATCH = {
    "start_date": "2025-09-26", "days": 2, "drain_days": 8, "replications": 1,
    "production": {"cards_per_day": 2, "discipline": "fifo"},
    "batch": {"orders": [{"date": "2025-09-26", "size": 5}], "intake_days": 1,
              "collection": {"distribution_days": 1, "at_hall": True, "notified": False, "collect_share": 1.0,
                             "delay_days": {"dist": "fixed", "value": 0}, "retry_days": 1}},
    "sla": {"batch_max_days": 3, "collect_after_days": 1},
}


def small(**issuance):
    """A tiny hall with a random issuance section (sporadic + batch + on the spot), 2025."""
    base = {
        "start_date": "2025-03-03", "days": 40, "drain_days": 15, "replications": 3,
        "production": {"cards_per_day": 12, "discipline": "fifo", "breakdown_prob": 0.05},
        "batch": {"batches_per_day": 0.3, "size": {"dist": "lognormal", "mean": 20, "cv": 0.8}},
        "sporadic": {"applications_per_day": 6, "urgent_share": 0.2},
        "on_the_spot": {"applications_per_day": 4},
    }
    return scenario(issuance={**base, **issuance})


def test_deterministic_batch_has_known_cycle_times_across_national_day():
    """5 cards ordered Fri 2025-09-26, 2 made a day from the adjusted Sunday: ready after 2, 2, 3, 3, 4 working days."""
    s = scenario(issuance=FIXED_BATCH)
    res = run_issuance_replication(s, seed=0, replication=0)
    a = res.applications
    assert list(a.columns) == list(APPLICATION_COLUMNS)
    assert list(a["made_date"]) == [D(2025, 9, 28)] * 2 + [D(2025, 9, 29)] * 2 + [D(2025, 9, 30)]
    assert list(a["ready_date"]) == [D(2025, 9, 29)] * 2 + [D(2025, 9, 30)] * 2 + [D(2025, 10, 9)]
    assert list(a["cycle_days"]) == [2, 2, 3, 3, 4]
    assert list(a["within_target"]) == [True, True, True, True, False]
    # told to come 1 working day after applying, every working day until the card is there
    assert list(a["collected_date"]) == list(a["ready_date"])
    assert list(a["hall_visits"]) == [2, 2, 3, 3, 4]
    d = res.daily
    assert list(d.columns) == list(DAILY_COLUMNS)
    assert list(d["made"][:5]) == [0, 2, 2, 1, 0]
    assert list(d["backlog"][:5]) == [5, 3, 1, 0, 0]
    assert list(d["wasted_visits"][:5]) == [0, 5, 3, 1, 0]  # all five come on day 1; 3 still lack a card on day 2
    assert d["collect_visits"].sum() == a["hall_visits"].sum() == 14
    k = res.kpis.set_index(["kpi", "group"])["value"]
    assert k[("cycle_mean_days", "route:batch")] == pytest.approx(2.8)
    assert k[("cycle_max_days", "route:batch")] == 4
    assert k[("within_target_share", "route:batch")] == pytest.approx(0.8)
    assert k[("wasted_visit_share", "all")] == pytest.approx(9 / 14)


def test_notified_holders_come_after_the_card_is_ready():
    """Notified holders never waste a visit: they collect delay_days after the card is at the outlet."""
    coll = {**FIXED_BATCH["batch"]["collection"], "notified": True, "delay_days": {"dist": "fixed", "value": 2}}
    s = scenario(issuance={**FIXED_BATCH, "batch": {**FIXED_BATCH["batch"], "collection": coll}})
    a = run_issuance_replication(s, 0, 0).applications
    assert list(a["collected_day"] - a["ready_day"]) == [2] * 5
    assert list(a["hall_visits"]) == [1] * 5


def test_priority_makes_sporadic_cards_first():
    """On the same random numbers, priority for sporadic cards shortens their cycle and lengthens the batch cycle."""
    fifo = simulate_issuance(small(), capacity_search=False)
    prio = simulate_issuance(small(production={"cards_per_day": 12, "discipline": "priority",
                                               "breakdown_prob": 0.05}), capacity_search=False)
    assert prio.kpi("cycle_mean_days", "route:sporadic").mean < fifo.kpi("cycle_mean_days", "route:sporadic").mean
    assert prio.kpi("cycle_mean_days", "route:batch").mean >= fifo.kpi("cycle_mean_days", "route:batch").mean
    pd.testing.assert_frame_equal(fifo.applications[["route", "applied_day"]], prio.applications[["route", "applied_day"]])


def test_capacity_sweep_share_within_target_rises():
    """The share of cards within target never falls as the daily capacity rises (common random numbers)."""
    shares = []
    for cap in (6, 9, 12, 16, 24):
        s = small(production={"cards_per_day": cap, "breakdown_prob": 0.05})
        res = simulate_issuance(s, capacity_search=False)
        shares.append((res.kpi("within_target_share", "route:batch").mean,
                       res.kpi("within_target_share", "route:sporadic").mean))
    for route in (0, 1):
        seq = [x[route] for x in shares]
        assert all(b >= a - 1e-12 for a, b in zip(seq, seq[1:])), seq
        assert seq[-1] > seq[0]


def test_capacity_needed_is_the_smallest_capacity_that_meets_the_targets():
    """At the capacity found every target is met; one card a day less, at least one is not."""
    s = small(production={"cards_per_day": 10, "breakdown_prob": 0.05})
    need = capacity_needed(s, seed=0)
    row = need[need["target"] == "all"].iloc[0]
    c = int(row["cards_per_day"])
    at = simulate_issuance(small(production={"cards_per_day": c, "breakdown_prob": 0.05}), capacity_search=False)
    below = simulate_issuance(small(production={"cards_per_day": c - 1, "breakdown_prob": 0.05}),
                              capacity_search=False)
    assert (at.sla["verdict"] == "met").all()
    assert (below.sla["verdict"] != "met").any()
    per_target = need[need["target"] != "all"]["cards_per_day"]
    assert c == per_target.max()


def test_unreachable_target_is_reported_without_a_capacity():
    """When intake and distribution alone exceed the target, no capacity meets it and the note says why."""
    s = small(sla={"sporadic_max_days": 1})
    need = capacity_needed(s, seed=0)
    row = need[need["target"] == "sporadic_max_days"].iloc[0]
    assert np.isnan(row["cards_per_day"]) and "not met even at" in row["note"]


def test_conservation_every_application_is_in_one_state():
    """Every application is at the centre, in distribution, ready or collected; daily stocks add up to the applications."""
    s = small(production={"cards_per_day": 7, "breakdown_prob": 0.1,
                          "cuts": [{"start": "2025-03-10", "end": "2025-03-14", "factor": 0.0}]})
    res = simulate_issuance(s, capacity_search=False)
    a, d = res.applications, res.daily
    for r in range(res.reps):
        ar, dr = a[a["replication"] == r], d[d["replication"] == r]
        counts = ar["state"].value_counts()
        assert set(counts.index) <= set(STATES) and counts.sum() == len(ar)
        assert counts["at_centre"] > 0  # capacity 7 is too little: the pipeline is not empty at the end
        last = dr.iloc[-1]
        assert last["backlog"] == counts["at_centre"]
        assert last["in_distribution"] == counts["in_distribution"]
        assert last["ready"] == counts["ready"]
        assert dr["collected"].sum() == counts["collected"]
        assert dr["applications"].sum() == len(ar)
        assert (dr["made"] <= dr["capacity"]).all()
        cut = dr[(dr["date"] >= D(2025, 3, 10)) & (dr["date"] <= D(2025, 3, 14))]
        assert (cut["capacity"] == 0).all() and len(cut) == 5


def test_same_seed_same_tables_serial_and_pool():
    """The same seed gives identical tables in this process and in a process pool; another seed differs."""
    s = small()
    one = simulate_issuance(s, seed=3, capacity_search=False)
    pool = simulate_issuance(s, seed=3, workers=2, capacity_search=False)
    pd.testing.assert_frame_equal(one.applications, pool.applications)
    pd.testing.assert_frame_equal(one.daily, pool.daily)
    pd.testing.assert_frame_equal(one.summary, pool.summary)
    other = simulate_issuance(s, seed=4, capacity_search=False)
    assert not one.daily["applications"].equals(other.daily["applications"])


def test_every_kpi_has_an_interval():
    """With several replications every KPI row has n = reps and an interval around its mean."""
    res = simulate_issuance(small(), capacity_search=False)
    s = res.summary
    assert (s["n"] == 3).all()
    ok = s["mean"].notna()
    assert (s.loc[ok, "ci_low"] <= s.loc[ok, "mean"] + 1e-12).all()
    assert (s.loc[ok, "ci_high"] >= s.loc[ok, "mean"] - 1e-12).all()
    assert set(res.sla["target"]) == {"batch_max_days", "sporadic_max_days", "collect_after_days"}


def _expected_by_service(s, date):
    """The hall's expected arrivals per service on ``date`` (from its day plan)."""
    from sim.scenario.days import day_plans

    day = next(p for p in day_plans(s) if p.date == date)
    mix = dict(day.mix) if day.mix is not None else {k: w / sum(s.demand.service_mix.values())
                                                      for k, w in s.demand.service_mix.items()}
    return {k: s.demand.visitors_per_day * day.factor * w for k, w in mix.items()}


def test_collect_demand_feeds_the_hall_model():
    """Collection visits per day become the hall's expected collect arrivals on that day; others keep theirs."""
    s = sim.load_scenario(COUNTY)
    res = simulate_issuance(s, reps=2, days=25, capacity_search=False)
    demand = collect_demand(res, replication=0)
    a0 = res.applications[res.applications["replication"] == 0]
    assert demand["collect_visits"].sum() == a0["hall_visits"].sum()
    row = demand[(demand["collect_visits"] > 0) & (demand["weekday"] == "tue")].iloc[0]
    hall = with_overrides(s, hall_overrides(s, row["date"], row["collect_visits"]))
    own = _expected_by_service(with_overrides(s, {"run.start_date": row["date"].isoformat()}), row["date"])
    expected = _expected_by_service(hall, row["date"])
    assert expected["collect"] == pytest.approx(row["collect_visits"])
    assert {k: v for k, v in expected.items() if k != "collect"} == pytest.approx(
        {k: v for k, v in own.items() if k != "collect"})
    assert hall.run.start_date == row["date"] and hall.run.days == 1
    day = sim.simulate(hall, reps=1)
    assert (day.visits["date"] == row["date"].isoformat()).all()
    added = with_overrides(s, hall_overrides(s, row["date"], 5, mode="add"))
    assert _expected_by_service(added, row["date"])["collect"] == pytest.approx(own["collect"] + 5)
    with pytest.raises(ValueError, match="closed on 2025-10-01"):
        hall_overrides(s, D(2025, 10, 1), 3)  # National Day, a Wednesday: closed on the public calendar
    sunday = with_overrides(s, hall_overrides(s, D(2025, 9, 28), 3))  # an adjusted working Sunday (调休上班)
    assert sunday.run.calendar == "chinese" and hall.run.calendar == "weekdays"
    no_mondays = with_overrides(s, {"hall.opening_hours.mon": None})  # a Tuesday stays simulable
    assert with_overrides(no_mondays, hall_overrides(no_mondays, row["date"], 3)).run.start_date == row["date"]
    day = sim.simulate(sunday, reps=1)
    assert set(day.visits["date"]) == {"2025-09-28"} and set(day.visits["weekday"]) == {"sun"}


def test_collection_visits_drive_a_multi_day_hall_run():
    """collection_overrides runs the hall over the issuance period on the public calendar,
    each day with that day's collection visits as its expected collect arrivals; the other
    services keep their own; every visitor ends in one outcome (the run checks it)."""
    from sim.issuance.simulation import collection_overrides

    s = sim.load_scenario(COUNTY)
    res = simulate_issuance(s, reps=2, days=15, capacity_search=False)
    demand = collect_demand(res)
    hall = with_overrides(s, collection_overrides(s, res, days=12))
    assert hall.run.calendar == "chinese" and hall.run.days == 12
    assert hall.run.start_date == demand["date"].iloc[0]
    visits = dict(zip(demand["date"], demand["collect_visits"]))
    from sim.scenario.days import day_plans

    plans = day_plans(hall)
    assert len(plans) == 12
    for day in plans:
        expected = _expected_by_service(hall, day.date)
        assert expected["collect"] == pytest.approx(visits.get(day.date, 0.0))
    run = sim.simulate(hall, reps=1)
    collects = run.visits[(run.visits["service"] == "collect") & ~run.visits["repeat"]].groupby("date").size()
    assert collects.sum() > 0
    with pytest.raises(ValueError, match="covers only"):
        collection_overrides(s, res, days=400)


def test_schema_errors_name_the_field():
    """Issuance fields are validated with field paths: one rate source, service kinds, unknown keys."""
    with pytest.raises(ScenarioError) as err:
        small(sporadic={"applications_per_day": 3, "hall_services": ["consult"]})
    assert any(p == "issuance.sporadic" and "exactly one" in m for p, m in err.value.problems)
    with pytest.raises(ScenarioError) as err:
        small(on_the_spot={"hall_services": ["consult"]})
    assert ("issuance.on_the_spot.hall_services" in [p for p, _ in err.value.problems])
    with pytest.raises(ScenarioError) as err:
        small(production={"cards_per_day": 5, "speed": 3})
    assert any(p == "issuance.production.speed" for p, _ in err.value.problems)
    with pytest.raises(ScenarioError) as err:
        scenario(issuance={"production": {"cards_per_day": 5}})
    assert any(p == "issuance" and "at least one route" in m for p, m in err.value.problems)


def test_calendar_errors_name_the_field():
    """A run the calendar does not cover, or a batch order on a holiday, raises CalendarError naming the field."""
    with pytest.raises(CalendarError) as err:
        simulate_issuance(small(start_date="2026-10-01", days=200), capacity_search=False)
    assert err.value.field == "issuance.start_date"
    order = {**FIXED_BATCH["batch"], "orders": [{"date": "2025-10-02", "size": 3}]}
    with pytest.raises(CalendarError) as err:
        run_issuance_replication(scenario(issuance={**FIXED_BATCH, "batch": order}), 0, 0)
    assert err.value.field == "issuance.batch.orders.0.date"


def test_cli_issuance_json_and_out(tmp_path):
    """`hallsim issuance --json --out` prints the summary, verdicts and capacity and writes Parquet tables."""
    out = tmp_path / "iss"
    r = CliRunner().invoke(app, ["issuance", str(COUNTY), "--days", "20", "--reps", "2", "--json", "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["reps"] == 2 and doc["days"] == 20
    assert {row["target"] for row in doc["sla"]} == {"batch_max_days", "sporadic_max_days", "collect_after_days"}
    assert any(row["target"] == "all" for row in doc["capacity"])
    for name in ("applications", "daily", "kpis", "summary", "sla", "capacity"):
        assert (out / f"{name}.parquet").is_file()
    assert len(pd.read_parquet(out / "daily.parquet")) == 2 * (20 + 30)


def test_cli_issuance_prints_tables_and_verdicts():
    """`hallsim issuance` prints the route table, the SLA verdicts and the capacity needed."""
    r = CliRunner().invoke(app, ["issuance", str(COUNTY), "--days", "15", "--reps", "2", "--no-capacity"])
    assert r.exit_code == 0, r.output
    assert "Service targets (SLA)" in r.stdout and "sporadic" in r.stdout and "met" in r.stdout
    assert "Issuance by route" in r.stdout and "Capacity needed" not in r.stdout


def test_cli_issuance_without_section_or_outside_calendar_exits_2(tmp_path):
    """A scenario without an issuance section, or a run the calendar does not cover, exits 2 naming file and field."""
    plain = ROOT / "scenarios" / "county_hall.yaml"
    r = CliRunner().invoke(app, ["issuance", str(plain)])
    assert r.exit_code == 2 and str(plain) in r.stderr and "issuance" in r.stderr
    late = tmp_path / "late.yaml"
    late.write_text(f"extends: {COUNTY}\nissuance:\n  start_date: '2026-06-01'\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["issuance", str(late), "--reps", "1"])
    assert r.exit_code == 2 and "issuance.start_date" in r.stderr and str(late) in r.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_issuance_figures_draw_backlog_and_cycles(lang):
    """backlog_over_time draws one line per pipeline route plus capacity; cycle_times one curve and target per route."""
    import warnings

    from matplotlib.figure import Figure

    from sim.plots.issuance import backlog_over_time, cycle_times

    res = simulate_issuance(small(days=20, drain_days=10), capacity_search=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no CJK font on some machines
        fig = backlog_over_time(res, lang)
        cyc = cycle_times(res, lang)
    assert isinstance(fig, Figure) and isinstance(cyc, Figure)
    assert len(fig.axes[0].get_lines()) == 3  # batch, sporadic, capacity
    assert len(cyc.axes[0].get_lines()) == 4  # two curves, two targets
    empty = simulate_issuance(scenario(issuance={**FIXED_BATCH, "batch": None,
                                                 "on_the_spot": {"applications_per_day": 2}}), capacity_search=False)
    assert backlog_over_time(empty, lang).axes[0].texts  # "no data"


def test_issuance_section_round_trips_and_validates_the_start_year():
    """The issuance section survives scenario_to_yaml; a start year the calendar lacks is a field error at load time."""
    s = sim.load_scenario(COUNTY)
    assert sim.load_scenario_text(sim.scenario_to_yaml(s)) == s
    with pytest.raises(ScenarioError) as err:
        small(start_date="2031-01-06")
    assert any(p == "issuance.start_date" and "2031-01-06" in m for p, m in err.value.problems)
    assert with_overrides(s, {"issuance.production.cards_per_day": 55}).issuance.production.cards_per_day == 55


def test_reps_auto_stops_where_the_rule_says_on_the_tracked_kpis():
    """reps="auto" uses the count the HRD rule gives on the tracked KPIs of replications
    0, 1, 2, … and its tables equal a fixed run of that many replications."""
    from sim.issuance.simulation import tracked_kpis
    from sim.experiments.replications import stopping_rule, tolerance

    s = sim.load_scenario(COUNTY)
    auto = simulate_issuance(s, seed=2, reps="auto", precision=0.1, max_reps=60, days=60, capacity_search=False)
    meta = auto.meta["reps_auto"]
    assert not meta["cap_reached"] and auto.reps == meta["reps_used"] >= 3
    fixed = simulate_issuance(s, seed=2, reps=60, days=60, capacity_search=False)
    keys = tracked_kpis(s.issuance)
    k = fixed.kpis.set_index(["replication", "kpi", "group"])["value"]
    rows = np.array([[k.get((r, kpi, g), np.nan) for kpi, g in keys] for r in range(60)], dtype=float)
    check = stopping_rule(rows, 0.1, s.sla.confidence, abs_tol=[tolerance(kpi) for kpi, _g in keys])
    assert check.stopped and check.n_stop == auto.reps
    same = simulate_issuance(s, seed=2, reps=auto.reps, days=60, capacity_search=False)
    pd.testing.assert_frame_equal(auto.summary, same.summary)


def test_cli_issuance_reps_auto_reports_the_count_and_refuses_precision_alone():
    res = CliRunner().invoke(app, ["issuance", str(COUNTY), "--days", "40", "--reps", "auto", "--precision", "0.2",
                                   "--no-capacity", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["reps"] == doc["reps_auto"]["reps_used"] and doc["reps_auto"]["precision"] == 0.2
    res = CliRunner().invoke(app, ["issuance", str(COUNTY), "--reps", "4", "--max-reps", "9"])
    assert res.exit_code == 2 and res.stderr.strip() == "--max-reps: only used with --reps auto (got --reps 4)"


def test_cli_hall_variant_writes_the_hall_over_the_issuance_period(tmp_path):
    """--hall-variant writes a scenario of the hall's opening days with their collection
    visits (by_date) that loads; --hall-days needs --hall-variant; an existing file needs --force."""
    out = tmp_path / "hall.yaml"
    args = ["issuance", str(COUNTY), "--days", "20", "--reps", "2", "--no-capacity", "--hall-variant", str(out),
            "--hall-days", "12"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    hall = sim.load_scenario(out)
    assert hall.run.calendar == "chinese" and hall.run.days == 12 and len(hall.demand.by_date) == 12
    assert all(set(v) == {"collect"} for v in hall.demand.by_date.values())
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and again.stderr.strip() == f"--hall-variant {out}: file exists (use --force to replace it)"
    alone = CliRunner().invoke(app, ["issuance", str(COUNTY), "--hall-days", "5"])
    assert alone.exit_code == 2 and alone.stderr.strip() == "--hall-days: only used with --hall-variant (got 5)"
