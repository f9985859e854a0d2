"""The maximal covering location model finds the known optimum."""

import itertools

import numpy as np
import pytest
import yaml

from sim.network.location import load_candidates, locate, maximal_covering
from sim.scenario.loader import ScenarioError


def test_finds_the_optimum_where_greedy_fails():
    """Six unit nodes; A covers {1,2,3,4}, B {1,2,5}, C {3,4,6}. Greedy takes A first and
    reaches 5; the optimum for k = 2 is B and C, covering all 6."""
    covers = np.zeros((6, 3), dtype=bool)
    covers[[0, 1, 2, 3], 0] = True
    covers[[0, 1, 4], 1] = True
    covers[[2, 3, 5], 2] = True
    solution = maximal_covering(np.ones(6), covers, np.zeros(6, dtype=bool), 2)
    assert sorted(solution.chosen) == [1, 2]
    assert solution.objective == pytest.approx(6.0)
    assert solution.status == "OPTIMAL"


def test_matches_brute_force_on_a_weighted_instance():
    """On a random weighted instance (8 nodes, 5 candidates, some nodes already covered),
    the model's objective equals the best over every choice of k candidates."""
    rng = np.random.default_rng(7)
    weights = rng.integers(1, 50, size=8).astype(float)
    covers = rng.random((8, 5)) < 0.35
    already = rng.random(8) < 0.2
    for k in (1, 2, 3):
        best = max(weights[already | covers[:, list(c)].any(axis=1)].sum() for c in itertools.combinations(range(5), k))
        assert maximal_covering(weights, covers, already, k).objective == pytest.approx(best)


def test_already_covered_nodes_add_nothing():
    """A candidate covering only nodes an existing point covers is not worth opening."""
    covers = np.array([[True, False], [False, True], [False, True]])
    solution = maximal_covering(np.array([10.0, 1.0, 1.0]), covers, np.array([True, False, False]), 1)
    assert solution.chosen == [1] and solution.objective == pytest.approx(12.0)


def test_locate_on_a_tiny_network_opens_the_outlet_for_the_bigger_town(tiny, tmp_path):
    """Two towns outside A's circle; one new outlet goes to the bigger town, and the circle
    share after is computed on residents."""
    loaded = tiny(points=[{"name": "A", "scenario": "hall.yaml", "x_km": 0, "y_km": 0}],
                  zones=[{"name": "seat", "population": 5000, "x_km": 0, "y_km": 0},
                         {"name": "big", "population": 3000, "x_km": 20, "y_km": 0},
                         {"name": "small", "population": 2000, "x_km": -20, "y_km": 0}])
    (tmp_path / "cand.yaml").write_text(yaml.safe_dump({"candidates": [
        {"name": "east", "scenario": "hall.yaml", "x_km": 20, "y_km": 0.5},
        {"name": "west", "scenario": "hall.yaml", "x_km": -20, "y_km": 0.5}]}), encoding="utf-8")
    plan = locate(loaded, load_candidates(tmp_path / "cand.yaml", loaded), 1)
    assert plan.chosen == ["east"]
    assert plan.before[0] == pytest.approx(0.5) and plan.after[0] == pytest.approx(0.8)


def test_a_candidate_must_make_cards(tiny, tmp_path):
    """A candidate whose hall cannot issue on the spot is refused naming the file and field."""
    loaded = tiny()
    path = tmp_path / "cand.yaml"
    path.write_text(yaml.safe_dump({"candidates": [{"name": "C", "scenario": "plain.yaml", "x_km": 1, "y_km": 1}]}))
    with pytest.raises(ScenarioError) as err:
        load_candidates(path, loaded)
    assert "candidates.0.scenario" in str(err.value) and str(path) in str(err.value)
