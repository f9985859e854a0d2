"""The circle computed exactly on hand-made grids."""

import numpy as np
import pytest

from sim.network.coverage import door_to_card, inside_circle, nearest_issuing, population_shares, wait_cdf
from sim.network.simulation import issuing_points
from sim.network.travel import travel_times


def grid_minutes(points, size=5, minutes_per_km=5.0):
    """minutes[z, p, 0] from the zones of a size × size grid (1 km apart, centred on the
    origin) to ``points`` at ``minutes_per_km`` by one mode."""
    half = size // 2
    zones = [(x, y) for y in range(-half, half + 1) for x in range(-half, half + 1)]
    d = np.array([[np.hypot(zx - px, zy - py) for px, py in points] for zx, zy in zones])
    return d[:, :, None] * minutes_per_km


def test_one_point_at_the_centre_of_a_grid_covers_the_disc():
    """On a 5 × 5 grid of 1 km, a point at the centre and 5 min per km: the zones within
    2 km — the centre, 4 at 1 km, 4 at √2 km, 4 at 2 km — are inside a 10-minute circle: 13 of 25."""
    inside = inside_circle(grid_minutes([(0, 0)]), np.array([True]), np.array([1.0]), 10.0)
    assert inside.sum() == 13
    assert population_shares(np.ones(25), np.zeros(25), inside, inside)[0] == pytest.approx(13 / 25, abs=1e-15)


def test_points_that_do_not_issue_cards_do_not_count():
    """A second point in a corner widens the circle only when it makes cards on the spot."""
    minutes = grid_minutes([(0, 0), (2, 2)])
    assert inside_circle(minutes, np.array([True, False]), np.array([1.0]), 10.0).sum() == 13
    # the corner point at (2, 2) adds (2, 2), (1, 2), (2, 1): distances 0, 1, 1 from it, > 2 from the centre
    assert inside_circle(minutes, np.array([True, True]), np.array([1.0]), 10.0).sum() == 16
    assert inside_circle(minutes, np.array([False, False]), np.array([1.0]), 10.0).sum() == 0


def test_modes_and_the_elderly_weigh_by_their_shares():
    """Two modes (5 and 2.5 min per km): the walkers' circle has radius 1 km (5 zones), the
    riders' 2 km (13); with the others riding 80 % and the elderly 20 %, the shares of all
    residents and of the elderly follow exactly."""
    minutes = np.concatenate([grid_minutes([(0, 0)], minutes_per_km=10.0), grid_minutes([(0, 0)])], axis=2)
    other = inside_circle(minutes, np.array([True]), np.array([0.2, 0.8]), 10.0)
    elderly = inside_circle(minutes, np.array([True]), np.array([0.8, 0.2]), 10.0)
    population, eld = np.full(25, 100.0), np.full(25, 0.25)
    all_share, eld_share = population_shares(population, eld, other, elderly)
    assert eld_share == pytest.approx((0.8 * 5 + 0.2 * 13) / 25, abs=1e-12)
    assert all_share == pytest.approx(0.75 * (0.2 * 5 + 0.8 * 13) / 25 + 0.25 * eld_share, abs=1e-12)


def test_door_to_card_counts_the_wait_at_the_nearest_issuing_point():
    """With waits of 0, 4 and 8 minutes observed at the point, a zone 1 km away (5 min)
    is inside with probability 2/3 (waits ≤ 5), one at 2 km (10 min) only when the wait is 0."""
    minutes = grid_minutes([(0, 0)])
    cdf = wait_cdf(np.array([0.0, 4.0, 8.0]))
    door = door_to_card(minutes, np.array([True]), np.array([1.0]), 10.0, {0: cdf})
    centre, one_km, two_km, far = door[12], door[13], door[14], door[0]
    assert (centre, one_km, two_km, far) == (pytest.approx(1.0), pytest.approx(2 / 3), pytest.approx(1 / 3), 0.0)


def test_nearest_issuing_point_by_mode():
    """The nearest point is chosen among those issuing cards only."""
    minutes = grid_minutes([(0, 0), (2, 2)])
    assert nearest_issuing(minutes, np.array([False, True]))[12, 0] == 1
    assert nearest_issuing(minutes, np.array([True, True]))[0, 0] == 0


def test_network_circle_of_the_tiny_network(tiny):
    """Only points that make cards count: with B turned into a plain hall, a zone 3 km
    (6 min) from A is inside, one 8 km (16 min) away is not."""
    loaded = tiny(points=[{"name": "A", "scenario": "hall.yaml", "x_km": 0, "y_km": 0},
                          {"name": "B", "scenario": "plain.yaml", "x_km": 8, "y_km": 0}],
                  zones=[{"name": "near", "population": 100, "x_km": 3, "y_km": 0},
                         {"name": "far", "population": 100, "x_km": 8, "y_km": 0}])
    t = travel_times(loaded.network)
    issuing = issuing_points(loaded)
    assert issuing.tolist() == [True, False]
    assert inside_circle(t.minutes, issuing, t.share, 10.0).tolist() == [1.0, 0.0]
