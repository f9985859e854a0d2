"""Running a scenario (sim.simulate): argument checks, determinism, KPI estimates, progress."""

import pandas as pd
import pytest

import sim
from builders import scenario


@pytest.fixture(scope="module")
def tiny():
    """The tiny hall with random service times, so replications differ."""
    return scenario(demand={"visitors_per_day": 30},
                    services={"consult": {"window_time": {"dist": "exponential", "mean": 5}}})


@pytest.mark.parametrize("reps", [0, -1])
def test_fewer_than_one_replication_is_refused(tiny, reps):
    """reps below 1 raises ValueError naming the value."""
    with pytest.raises(ValueError, match=f"reps must be >= 1 \\(got {reps}\\)"):
        sim.simulate(tiny, reps=reps)


def test_a_negative_seed_is_refused(tiny):
    """A negative seed raises ValueError naming the value."""
    with pytest.raises(ValueError, match=r"seed must be >= 0 \(got -1\)"):
        sim.simulate(tiny, seed=-1, reps=1)


def test_reps_default_to_the_scenarios_run_replications(tiny):
    """Without reps, simulate runs scenario.run.replications replications (2 in the tiny hall)."""
    res = sim.simulate(tiny, seed=3)
    assert res.reps == tiny.run.replications == 2
    assert sorted(res.kpis["replication"].unique()) == [0, 1]
    assert sorted(res.tables["visits"]["replication"].unique()) == [0, 1]


def test_same_seed_gives_the_same_summary_and_tables(tiny):
    """Two runs under the same seed give identical summaries, SLA verdicts and visit tables."""
    a, b = sim.simulate(tiny, seed=11, reps=3), sim.simulate(tiny, seed=11, reps=3)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.sla, b.sla)
    pd.testing.assert_frame_equal(a.tables["visits"], b.tables["visits"])


def test_another_seed_gives_another_summary(tiny):
    """A different seed draws other visitors, so the mean wait differs."""
    a, b = sim.simulate(tiny, seed=11, reps=3), sim.simulate(tiny, seed=12, reps=3)
    assert a.kpi("wait_mean_min").mean != b.kpi("wait_mean_min").mean


def test_result_holds_the_kpis_of_every_replication(tiny):
    """kpis has columns replication, kpi, group, value with one row per (replication, kpi, group)."""
    res = sim.simulate(tiny, seed=1, reps=3)
    assert {"replication", "kpi", "group", "value"} <= set(res.kpis.columns)
    assert not res.kpis.duplicated(["replication", "kpi", "group"]).any()
    assert set(res.kpis["replication"]) == {0, 1, 2}
    assert res.visits is res.tables["visits"]


def test_kpi_estimate_is_the_mean_over_replications_with_its_interval(tiny):
    """result.kpi(name) is the mean of the replications' values, inside its interval, with n = reps."""
    res = sim.simulate(tiny, seed=1, reps=4)
    values = res.kpis[(res.kpis["kpi"] == "wait_mean_min") & (res.kpis["group"] == "all")]["value"]
    est = res.kpi("wait_mean_min")
    assert est.n == 4 == len(values)
    assert est.mean == pytest.approx(values.mean())
    assert est.ci_low < est.mean < est.ci_high
    assert est.half_width == pytest.approx((est.ci_high - est.ci_low) / 2)


def test_kpi_of_a_group(tiny):
    """result.kpi(name, group) picks that group's rows, not the overall ones."""
    res = sim.simulate(tiny, seed=1, reps=3)
    rows = res.kpis[(res.kpis["kpi"] == "window_utilisation") & (res.kpis["group"] == "window:W1")]["value"]
    assert res.kpi("window_utilisation", "window:W1").mean == pytest.approx(rows.mean())


@pytest.mark.parametrize("name, group", [("no_such_kpi", "all"), ("wait_mean_min", "window:nowhere")])
def test_unknown_kpi_or_group_raises_key_error(tiny, name, group):
    """Asking for a KPI or group the run does not have raises KeyError naming both."""
    res = sim.simulate(tiny, seed=1, reps=2)
    with pytest.raises(KeyError, match=name):
        res.kpi(name, group)


def test_progress_is_called_once_per_replication(tiny):
    """progress(done, total) is called reps times, counting up to reps, with total = reps."""
    calls = []
    sim.simulate(tiny, seed=1, reps=3, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_a_sink_receives_each_replication_and_nothing_is_held(tiny):
    """With ``sink``, each replication's tables go to the sink as it finishes (equal to the
    tables a run that holds them builds) and the result holds no table."""
    got = {}
    streamed = sim.simulate(tiny, seed=4, reps=3, sink=lambda res: got.__setitem__(res.replication, res.tables["visits"]))
    held = sim.simulate(tiny, seed=4, reps=3)
    assert sorted(got) == [0, 1, 2]
    assert len(streamed.tables) == 0
    pd.testing.assert_frame_equal(pd.concat([got[r] for r in range(3)], ignore_index=True), held.tables["visits"])
    pd.testing.assert_frame_equal(streamed.summary, held.summary)


def test_simulate_without_tables_keeps_the_same_kpis(tiny):
    """``tables=False`` gives the same KPI rows and summary, and no tables."""
    a = sim.simulate(tiny, seed=2, reps=3, tables=False)
    b = sim.simulate(tiny, seed=2, reps=3)
    assert len(a.tables) == 0
    pd.testing.assert_frame_equal(a.kpis, b.kpis)
    pd.testing.assert_frame_equal(a.summary, b.summary)


def test_an_in_process_run_computes_its_kpis_only_when_asked(tiny):
    """A run in this process that keeps its tables computes no KPIs until they are read,
    and then the same rows the workers would have sent (a run without tables computes
    them at once, in the worker)."""
    lazy = sim.simulate(tiny, seed=5, reps=3, workers=1)
    assert lazy.worker_kpis is None and "kpi_columns" not in vars(lazy)
    eager = sim.simulate(tiny, seed=5, reps=3, workers=1, tables=False)
    assert eager.worker_kpis is not None
    pd.testing.assert_frame_equal(lazy.kpis, eager.kpis)
    pd.testing.assert_frame_equal(lazy.summary, eager.summary)
    pd.testing.assert_frame_equal(lazy.sla, eager.sla)


def test_replications_without_kpis_or_records_cannot_be_combined(tiny):
    """combine refuses replication results that carry neither KPI columns nor records."""
    from sim.experiments.executors import ReplicationResult
    from sim.experiments.simulation import combine
    with pytest.raises(ValueError, match="need their records"):
        combine(tiny, 0, [ReplicationResult(0, None, None)])
