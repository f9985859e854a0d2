"""Network files: field-named errors naming the file, the field and the value."""

import pytest

from sim.network.loader import load_network
from sim.scenario.loader import ScenarioError


def problems(write_network, **overrides):
    with pytest.raises(ScenarioError) as err:
        load_network(write_network(**overrides))
    return err.value


def test_the_tiny_network_loads_with_its_point_scenarios(tiny):
    """A valid file loads; each point's scenario is loaded relative to the network file."""
    loaded = tiny()
    assert [p.name for p in loaded.network.points] == ["A", "B"]
    assert loaded.scenarios["A"].hall.name == "Tiny"


def test_a_bad_number_names_file_field_and_value(write_network):
    """A negative population is refused at zones.0.population with the value."""
    err = problems(write_network, zones=[{"name": "z", "population": -5, "x_km": 0, "y_km": 0}])
    line = err.lines()[0]
    assert line.startswith(str(err.source)) and "net.yaml" in line
    assert "zones.0.population" in line and "-5" in line


def test_numbers_are_bounded(write_network):
    """Coordinates beyond ±1000 km and a speed of 500 km/h are refused, each at its field."""
    err = problems(write_network, zones=[{"name": "z", "population": 5, "x_km": 5000, "y_km": 0}],
                   travel={"modes": [{"name": "jet", "speed_kmh": 500}]})
    paths = [p for p, _ in err.problems]
    assert "zones.0.x_km" in paths and "travel.modes.0.speed_kmh" in paths


def test_a_broken_point_scenario_is_reported_at_the_point(write_network, tmp_path):
    """A point whose scenario file is missing is reported at points.N.scenario, naming that file."""
    err = problems(write_network, points=[{"name": "A", "scenario": "nope.yaml", "x_km": 0, "y_km": 0}])
    assert err.problems[0][0] == "points.0.scenario" and "nope.yaml" in err.problems[0][1]


def test_cross_checks_name_their_fields(write_network):
    """Unknown services, mode shares that do not sum to 1, duplicate names, a level that
    differs from the scenario's and a matrix naming an unknown point are each reported."""
    err = problems(write_network,
                   points=[{"name": "A", "scenario": "hall.yaml", "x_km": 0, "y_km": 0, "level": "city"},
                           {"name": "A", "scenario": "plain.yaml", "x_km": 1, "y_km": 0, "instant_issue": True}],
                   demand={"per_1000": {"consult": 1.0, "card": 0.5, "pasport": 1.0}},
                   travel={"modes": [{"name": "walk", "speed_kmh": 4, "share": 0.5, "elderly_share": 1.0}],
                           "matrix": {"mid": {"Z": 5}}})
    paths = dict(err.problems)
    assert "unknown service 'pasport'" in paths["demand.per_1000.pasport"]
    assert "sum to 1" in paths["travel.modes"]
    assert "duplicate" in paths["points.1.name"]
    assert "'city'" in paths["points.0.level"]
    assert "cannot issue cards" in paths["points.1.instant_issue"]
    assert "unknown point" in paths["travel.matrix.mid.Z"]


def test_channels_cannot_take_more_than_everyone(write_network):
    """Two channels taking 60 % each of a service's visits are refused."""
    err = problems(write_network, channels=[{"name": "a", "kind": "app", "services": ["consult"], "share": 0.6},
                                            {"name": "b", "kind": "kiosk", "services": ["consult"], "share": 0.6}])
    assert any(p == "channels" and "more than 1" in m for p, m in err.problems)


def test_the_sample_county_loads():
    """The shipped sample county and its candidates load."""
    from pathlib import Path
    from sim.network.location import load_candidates
    root = Path(__file__).resolve().parents[2] / "scenarios" / "network"
    loaded = load_network(root / "sample_county.yaml")
    assert len(loaded.network.points) >= 5 and sum(z.population for z in loaded.network.zones) > 100_000
    assert len(load_candidates(root / "sample_candidates.yaml", loaded).points) >= 3
