"""One replication (sim.run_replication): conservation, repeat visits on later days, determinism.

The replication's KPI rows come from ``sim.run_replication``; its visits are read from
``sim.simulate(..., reps=1)``, whose replication 0 is ``run_replication(scenario, seed, 0)``.
"""

import pandas as pd
import pytest

import sim
from builders import scenario

SEED = 5


@pytest.fixture(scope="module")
def busy():
    """Three days of a one-window hall that loses visitors every way it can: impatience,
    a long queue, and missing documents, after which every visitor comes back the next day."""
    return scenario(
        demand={"visitors_per_day": 40},
        services={"consult": {"window_time": {"dist": "exponential", "mean": 5}, "missing_docs_prob": 0.3}},
        policies={"patience": {"dist": "exponential", "mean": 15}, "baulk_queue_length": 6,
                  "repeat_visits": {"return_prob": 1, "delay_days": [1, 1]}},
        run={"days": 3},
    )


@pytest.fixture(scope="module")
def visits(busy):
    return sim.simulate(busy, seed=SEED, reps=1).tables["visits"]


def kpi(frame, name, group="all"):
    hit = frame[(frame["kpi"] == name) & (frame["group"] == group)]["value"]
    assert len(hit) == 1, f"one row for {name}/{group}"
    return float(hit.iloc[0])


def test_result_names_its_replication_on_every_kpi_row(busy):
    """run_replication(s, seed, 2) is replication 2, and each of its KPI rows says so."""
    r = sim.run_replication(busy, SEED, 2)
    assert r.replication == 2
    assert {"replication", "kpi", "group", "value"} <= set(r.kpis.columns)
    assert set(r.kpis["replication"]) == {2}
    assert len(r.kpis) > 0


def test_every_arrival_has_exactly_one_outcome(visits):
    """Each visit is one row with exactly one of the known outcomes; visit numbers are not reused."""
    assert len(visits) > 0
    assert visits["outcome"].isin(sim.OUTCOMES).all()
    assert not visits.duplicated(["replication", "visitor"]).any()


@pytest.mark.parametrize("replication", [0, 1])
def test_outcome_shares_add_up_to_one(busy, replication):
    """Served, abandoned, baulked, sent away and unserved visits together are all arrivals (KPI shares sum to 1)."""
    k = sim.run_replication(busy, SEED, replication).kpis
    served_share = kpi(k, "served_per_day") / kpi(k, "visitors_per_day")
    lost = sum(kpi(k, name) for name in ("abandonment_rate", "baulking_rate", "missing_docs_rate", "unserved_rate"))
    assert kpi(k, "abandonment_rate") > 0 and kpi(k, "missing_docs_rate") > 0  # the case exercises the losses
    assert served_share + lost == pytest.approx(1.0)


def test_visitors_sent_away_come_back_on_the_next_day(visits):
    """With return_prob 1 and a delay of one opening day, day d has one repeat visit per visit sent away for
    missing documents on day d-1, and day 0 has none."""
    sent_away = visits[visits["outcome"] == "missing_docs"].groupby("day").size()
    repeats = visits[visits["repeat"]].groupby("day").size()
    assert 0 not in repeats.index
    assert sent_away.get(0, 0) > 0
    for day in (1, 2):
        assert repeats.get(day, 0) == sent_away.get(day - 1, 0)


def test_returns_due_after_the_last_day_are_counted_as_pending(busy, visits):
    """The visits sent away on the last day, due back after the run, are the replication's repeat_visits_pending."""
    last = visits["day"].max()
    sent_away_last_day = int(((visits["day"] == last) & (visits["outcome"] == "missing_docs")).sum())
    k = sim.run_replication(busy, SEED, 0).kpis
    assert kpi(k, "repeat_visits_pending") == sent_away_last_day


def test_no_repeat_visits_without_missing_documents():
    """A hall where nobody lacks documents has no repeat visits and none pending."""
    k = sim.run_replication(scenario(demand={"visitors_per_day": 30}, run={"days": 2}), SEED, 0).kpis
    assert kpi(k, "repeat_visits_per_day") == 0
    assert kpi(k, "repeat_visits_pending") == 0


def test_same_seed_and_replication_give_identical_kpis(busy):
    """Running the same replication twice under the same seed gives the same KPI rows, value for value."""
    pd.testing.assert_frame_equal(sim.run_replication(busy, SEED, 1).kpis, sim.run_replication(busy, SEED, 1).kpis)


@pytest.mark.parametrize("seed, replication", [(SEED + 1, 1), (SEED, 2)])
def test_another_seed_or_replication_gives_other_numbers(busy, seed, replication):
    """Another seed, or another replication under the same seed, draws other visitors."""
    a = sim.run_replication(busy, SEED, 1).kpis
    b = sim.run_replication(busy, seed, replication).kpis
    assert kpi(a, "visitors_per_day") != kpi(b, "visitors_per_day") or kpi(a, "wait_mean_min") != kpi(b, "wait_mean_min")


def test_replication_zero_is_what_simulate_runs_first(busy):
    """simulate(reps=1) has the KPI rows of run_replication(scenario, seed, 0)."""
    direct = sim.run_replication(busy, SEED, 0).kpis.reset_index(drop=True)
    via = sim.simulate(busy, seed=SEED, reps=1).kpis.reset_index(drop=True)
    pd.testing.assert_frame_equal(direct, via, check_dtype=False)


@pytest.mark.parametrize("overrides", [
    {"demand": {"visitors_per_day": 3, "weekday_factors": {"mon": 0}}},
    {"hall": {"lunch": {"mode": "closed", "start": "08:00", "end": "13:00"}}},
], ids=["weekday-factor-0", "lunch-closed-all-day"])
def test_a_replication_without_arrivals_runs_and_reports_no_data(overrides):
    """A day nobody visits (weekday factor 0, or doors shut for lunch over the whole
    opening) runs: no visits, every KPI that needs a visit absent (no data), counts 0,
    windows idle, and the tables and summary are built."""
    s = scenario(**overrides)
    res = sim.simulate(s, seed=SEED, reps=2)
    assert len(res.tables["visits"]) == 0
    assert list(res.tables["visits"].columns)[:3] == ["replication", "day", "date"]
    assert res.kpi("visitors_per_day").mean == 0 and res.kpi("served_per_day").mean == 0
    assert res.kpi("queue_max").mean == 0
    kpis = set(res.summary["kpi"])
    assert not kpis & {"wait_mean_min", "abandonment_rate", "unserved_rate", "time_in_system_mean_min"}
    assert set(res.sla["verdict"]) <= {"no data", "met"}
