"""The choice rule on tiny networks with known answers, and conservation of visitors."""

import numpy as np
import pytest

from sim.network.choice import assign, choice_shares
from sim.network.demand import zone_demand
from sim.network.simulation import point_seed
from sim.network.travel import travel_times
from sim.network.waits import erlang_waits
from sim.network.demand import point_loads
from sim.network.whatif import variant


def assignment_of(loaded):
    net = loaded.network
    demand = zone_demand(loaded)
    scenarios = [loaded.scenarios[p.name] for p in net.points]
    return assign(demand, travel_times(net), net.choice,
                  lambda flow: erlang_waits(scenarios, point_loads(demand, flow), net.choice.wait_cap_min))


@pytest.mark.parametrize("rule", ["logit", "nearest"])
def test_equidistant_identical_points_split_evenly(tiny, rule):
    """A zone equidistant from two identical points sends exactly half its visitors to each."""
    a = assignment_of(tiny(choice={"rule": rule}))
    to_points = a.flow.sum(axis=(0, 1, 2))
    assert to_points[0] == pytest.approx(to_points[1], rel=1e-12)
    assert to_points.sum() == pytest.approx(20 * 1.5, rel=1e-12)


def test_closing_a_point_sends_its_visitors_to_the_others(tiny):
    """Without B, every visitor B had goes to A: A receives the zone's whole demand."""
    loaded = tiny(points=[{"name": "A", "scenario": "hall.yaml", "x_km": -1, "y_km": 0},
                          {"name": "B", "scenario": "hall.yaml", "x_km": 1, "y_km": 0},
                          {"name": "C", "scenario": "hall.yaml", "x_km": 0, "y_km": 3}])
    before = assignment_of(loaded).flow.sum(axis=(0, 1, 2))
    closed = variant(loaded, without=["B"])
    after = assignment_of(closed).flow.sum(axis=(0, 1, 2))
    assert [p.name for p in closed.network.points] == ["A", "C"]
    assert after.sum() == pytest.approx(before.sum(), rel=1e-12)
    assert after[0] > before[0] and after[1] > before[2]


def test_logit_prefers_the_nearer_point_and_the_elderly_more_so(tiny):
    """With logit, the nearer point gets more than half, and the elderly (who weigh travel
    more) choose it more often than the others; the shares are exactly the logit formula."""
    loaded = tiny(points=[{"name": "A", "scenario": "hall.yaml", "x_km": -1, "y_km": 0},
                          {"name": "B", "scenario": "hall.yaml", "x_km": 3, "y_km": 0}],
                  choice={"wait_per_min": 0})
    net = loaded.network
    shares = choice_shares(zone_demand(loaded), travel_times(net), net.choice, np.zeros((2, 2)))
    other, elderly = shares[0, 0, 0, 0], shares[0, 0, 1, 0]
    # 2 min against 6 min by road at 30 km/h
    assert other == pytest.approx(1 / (1 + np.exp(-0.15 * 4)), rel=1e-12)
    assert elderly == pytest.approx(1 / (1 + np.exp(-0.25 * 4)), rel=1e-12)
    assert 0.5 < other < elderly


def test_visitors_only_go_to_points_serving_their_service(tiny):
    """A point without card making receives no card visitors; all go to the point that makes cards."""
    loaded = tiny(points=[{"name": "A", "scenario": "hall.yaml", "x_km": -1, "y_km": 0},
                          {"name": "B", "scenario": "plain.yaml", "x_km": 1, "y_km": 0}])
    a = assignment_of(loaded)
    card = a.demand.services.index("card")
    assert a.flow[:, card, :, 1].sum() == 0
    assert a.flow[:, card, :, 0].sum() == pytest.approx(a.demand.visits[:, card].sum(), rel=1e-12)


def test_conservation_with_channels_and_an_unserved_service(tiny):
    """Points + channels + unserved = demand for every zone, service and group, also when a
    what-if closes the only point making cards."""
    loaded = tiny(points=[{"name": "A", "scenario": "hall.yaml", "x_km": -1, "y_km": 0},
                          {"name": "B", "scenario": "plain.yaml", "x_km": 1, "y_km": 0}],
                  zones=[{"name": "z1", "population": 12000, "elderly_share": 0.2, "x_km": 0, "y_km": 0},
                         {"name": "z2", "population": 7000, "elderly_share": 0.5, "x_km": 4, "y_km": 1}],
                  channels=[{"name": "app", "kind": "app", "services": ["consult"], "share": 0.3, "elderly_share": 0.1}])
    closed = variant(loaded, without=["A"])
    for net in (loaded, closed):
        a = assignment_of(net)
        a.check()
        total = a.flow.sum(axis=-1) + a.channel_flow.sum(axis=0) + a.unserved
        np.testing.assert_allclose(total, a.demand.visits, rtol=1e-12)
        table = a.table()
        assert table["visits_per_day"].sum() == pytest.approx(a.demand.visits.sum(), rel=1e-12)
    unserved = assignment_of(closed).table().query("kind == 'unserved'")
    assert set(unserved["service"]) == {"card"}


def test_elderly_visit_ratio_splits_a_zones_visits(tiny):
    """With elderly share e and ratio ρ, the elderly make ρe / (1 − e + ρe) of a zone's visits,
    and the zone's total is population / 1000 × the rate per 1,000."""
    demand = zone_demand(tiny(demand={"per_1000": {"consult": 1.0, "card": 0.5}, "elderly_visit_ratio": 2.0}))
    visits = demand.visits[0]  # service, group
    assert visits.sum() == pytest.approx(20 * 1.5, rel=1e-12)
    assert visits[:, 1].sum() / visits.sum() == pytest.approx(0.6 / (0.7 + 0.6), rel=1e-12)


def test_point_seeds_depend_on_the_name_only(tiny):
    """A point's seed is the same in every network run under one seed, and differs between points."""
    assert point_seed(3, "A") == point_seed(3, "A")
    assert point_seed(3, "A") != point_seed(3, "B") != point_seed(4, "B")
