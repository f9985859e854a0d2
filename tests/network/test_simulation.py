"""Simulating a network: identical tables on every executor, common random numbers in
what-ifs, and the assigned demand reaching each point's hall."""

import pandas as pd
import pytest

from sim.network.simulation import simulate_network
from sim.network.whatif import PointChange, compare_networks, variant


def frames(result):
    out = {"points": result.points, "zones": result.zones, "kpis": result.kpis, "circle": result.circle}
    for name, res in result.results.items():
        out[f"{name}/visits"] = res.tables["visits"]
        out[f"{name}/kpis"] = res.kpis
    return out


def assert_same(a, b):
    fa, fb = frames(a), frames(b)
    assert fa.keys() == fb.keys()
    for key in fa:
        pd.testing.assert_frame_equal(fa[key], fb[key], check_exact=True)


@pytest.fixture
def serial(tiny):
    loaded = tiny()
    return loaded, simulate_network(loaded, seed=5, reps=2, workers=1)


def test_pool_equals_serial(serial):
    """Two worker processes give exactly the serial tables, KPIs and circle."""
    loaded, result = serial
    assert_same(result, simulate_network(loaded, seed=5, reps=2, workers=2))


def test_dask_equals_serial(serial):
    """A dask LocalCluster gives exactly the serial tables."""
    distributed = pytest.importorskip("dask.distributed")
    loaded, result = serial
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert_same(result, simulate_network(loaded, seed=5, reps=2, scheduler=client))


def test_each_point_runs_its_assigned_demand(serial):
    """Each point's hall runs the visits per day the assignment gave it, its service mix and
    elderly share; the points' visits add up to the zone's demand (no channels here)."""
    loaded, result = serial
    assigned = result.assignment.table().groupby("target")["visits_per_day"].sum()
    for name, scenario in result.scenarios.items():
        assert scenario.demand.visitors_per_day == pytest.approx(assigned[name], rel=1e-12)
        assert scenario.run.days == 1 and scenario.run.replications == 2
    assert sum(s.demand.visitors_per_day for s in result.scenarios.values()) == pytest.approx(30.0, rel=1e-12)
    assert set(result.results["A"].sla["target"]) and len(result.results["A"].standards)


def test_different_points_draw_different_numbers(serial):
    """Two identical points with identical demand still draw their own arrivals (own seeds)."""
    _, result = serial
    a, b = result.results["A"].tables["visits"], result.results["B"].tables["visits"]
    assert not a["arrival_min"].reset_index(drop=True).equals(b["arrival_min"].reset_index(drop=True))


def test_a_point_untouched_by_a_what_if_has_zero_paired_difference(tiny):
    """With the nearest rule, opening F beside the remote zone moves its visitors from G to
    F and leaves A's demand and random numbers as they were: A's paired differences are
    exactly 0, G loses visitors, travel falls and the circle grows to everyone."""
    loaded = tiny(choice={"rule": "nearest"},
                  points=[{"name": "A", "scenario": "hall.yaml", "x_km": 0, "y_km": 0},
                          {"name": "G", "scenario": "hall.yaml", "x_km": 60, "y_km": 0}],
                  zones=[{"name": "mid", "population": 20000, "x_km": 0, "y_km": 0},
                         {"name": "far", "population": 3000, "x_km": 60, "y_km": 0},
                         {"name": "remote", "population": 2000, "x_km": 120, "y_km": 0}])
    opened = variant(loaded, [PointChange("F", 120, 0.5, loaded.scenarios["A"], "hall.yaml")])
    cmp = compare_networks(loaded, opened, seed=1, reps=2, workers=1)
    table = cmp.table.set_index(["point", "kpi", "group"])
    for kpi, group in (("visitors_per_day", "all"), ("wait_mean_min", "all"), ("wait_p90_min", "all")):
        assert (table.loc[("A", kpi, group), ["diff_mean", "diff_low", "diff_high"]] == 0).all()
    assert table.loc[("G", "visitors_per_day", "all"), "diff_mean"] < 0
    assert table.loc[("", "travel_mean_min", "all"), "diff_mean"] < 0
    circle = table.loc[("", "circle_share", "all")]
    assert circle["base_mean"] == pytest.approx(23000 / 25000) and circle["variant_mean"] == pytest.approx(1.0)


def test_simulated_waits_steer_the_choice(tiny):
    """With waits estimated by simulation, the assignment history has one row per round and
    point, and conservation holds."""
    loaded = tiny(choice={"expected_wait": "simulation", "rounds": 2, "simulation_reps": 1})
    result = simulate_network(loaded, seed=2, reps=2, workers=1)
    assert len(result.history) == 2 * 2
    result.assignment.check()
