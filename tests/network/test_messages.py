"""Network problems in English and in Chinese: every ``network.*`` message of the catalogue
is said by some bad network, candidate file or what-if, and each says itself in Chinese
(``hallsim --lang zh network …``)."""

from __future__ import annotations

import re

import pytest
import yaml
from typer.testing import CliRunner

from network_builders import PLAIN, write_files
from sim.cli.main import app
from sim.network.loader import load_network
from sim.network.location import load_candidates
from sim.network.whatif import parse_with, variant
from sim.scenario.loader import ScenarioError, merge
from sim.scenario.messages import CATALOGUE, Message, localise

CJK = re.compile(r"[\u4e00-\u9fff]")

CONTINUOUS = merge(PLAIN, {"run": {"horizon_min": 600, "days": 1}, "demand": {"arrival_rate_per_min": 0.1},
                           "policies": {"staffing": "always"}})


def _network_problems(tmp_path, **overrides) -> list[tuple[str, str]]:
    (tmp_path / "cont.yaml").write_text(yaml.safe_dump(CONTINUOUS), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(merge(PLAIN, {"windows": [{"id": "W1", "services": ["x"]}]})),
                                          encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_network(write_files(tmp_path, **overrides))
    return info.value.problems


NET_CASES = {
    "network.duplicate_name": dict(zones=[{"name": "z", "population": 5, "x_km": 0, "y_km": 0}] * 2),
    "network.level_differs": dict(points=[{"name": "A", "scenario": "hall.yaml", "x_km": 0, "y_km": 0,
                                           "level": "city"}]),
    "network.not_instant": dict(points=[{"name": "A", "scenario": "hall.yaml", "x_km": 0, "y_km": 0},
                                        {"name": "B", "scenario": "plain.yaml", "x_km": 0, "y_km": 0,
                                         "instant_issue": True}]),
    "network.continuous": dict(points=[{"name": "A", "scenario": "hall.yaml", "x_km": 0, "y_km": 0},
                                       {"name": "B", "scenario": "cont.yaml", "x_km": 0, "y_km": 0}]),
    "network.mode_shares": dict(travel={"modes": [{"name": "walk", "speed_kmh": 4, "share": 0.5}]}),
    "network.mode_pair": dict(travel={"modes": [{"name": "walk", "speed_kmh": 4, "max_km": 2}]}),
    "network.mode_instead": dict(travel={"modes": [{"name": "walk", "speed_kmh": 4, "max_km": 2, "instead": "jet"}]}),
    "network.unknown_zone": dict(travel={"matrix": {"nowhere": {"A": 5}}}),
    "network.unknown_point": dict(travel={"matrix": {"mid": {"Z": 5}}}),
    "network.unknown_service": dict(demand={"per_1000": {"consult": 1, "pasport": 1}}),
    "network.not_served": dict(points=[{"name": "A", "scenario": "plain.yaml", "x_km": 0, "y_km": 0}]),
    "network.channel_shares": dict(channels=[{"name": "a", "kind": "app", "services": ["consult"], "share": 0.6},
                                             {"name": "b", "kind": "kiosk", "services": ["consult"], "share": 0.6}]),
    "network.in_file": dict(points=[{"name": "A", "scenario": "broken.yaml", "x_km": 0, "y_km": 0}]),
    "network.in_file_top": dict(points=[{"name": "A", "scenario": "nope.yaml", "x_km": 0, "y_km": 0}]),
}


def _candidate_problems(tmp_path, candidates) -> list[tuple[str, str]]:
    loaded = load_network(write_files(tmp_path))
    (tmp_path / "cand.yaml").write_text(yaml.safe_dump({"candidates": candidates}), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_candidates(tmp_path / "cand.yaml", loaded)
    return info.value.problems


CANDIDATE_CASES = {
    "network.candidate_taken": [{"name": "A", "scenario": "hall.yaml", "x_km": 0, "y_km": 0}],
    "network.candidate_instant": [{"name": "C", "scenario": "plain.yaml", "x_km": 0, "y_km": 0}],
}

WITH_CASES = {"network.with_format": "C@1", "network.with_numbers": "C@one,two", "network.with_range": "C@5000,0"}

VARIANT_CASES = {"network.no_point": ((), ("Z",)), "network.no_point_to_move": (("Z@1,1",), ()),
                 "network.closes_all": ((), ("A", "B"))}


def _variant_problems(tmp_path, add, without) -> list[tuple[str, str]]:
    loaded = load_network(write_files(tmp_path))
    with pytest.raises(ScenarioError) as info:
        variant(loaded, [parse_with(text) for text in add], without)
    return info.value.problems


def _said(key: str, tmp_path) -> Message:
    if key in NET_CASES:
        problems = _network_problems(tmp_path, **NET_CASES[key])
    elif key in CANDIDATE_CASES:
        problems = _candidate_problems(tmp_path, CANDIDATE_CASES[key])
    elif key in WITH_CASES:
        with pytest.raises(ScenarioError) as info:
            parse_with(WITH_CASES[key])
        problems = info.value.problems
    else:
        problems = _variant_problems(tmp_path, *VARIANT_CASES[key])
    found = [m for _, m in problems if isinstance(m, Message) and m.key == key]
    assert found, f"{key} not said; problems: {problems}"
    return found[0]


ALL = sorted({**NET_CASES, **CANDIDATE_CASES, **WITH_CASES, **VARIANT_CASES})


def test_every_network_message_is_said_by_some_case_here():
    """The cases below cover every ``network.*`` entry of the catalogue."""
    assert set(ALL) == {k for k in CATALOGUE if k.startswith("network.")}


@pytest.mark.parametrize("key", ALL)
def test_each_network_problem_is_said_in_english_and_in_chinese(key, tmp_path):
    """The message is English as before and has its own Chinese."""
    message = _said(key, tmp_path)
    assert not CJK.search(str(message))
    zh = localise(message, "zh")
    assert CJK.search(zh) and zh != str(message)


def test_a_problem_inside_a_point_scenario_is_said_in_chinese_with_its_file_and_field(tmp_path):
    """A point's broken scenario: the network field, the scenario file and its field stay,
    the inner message turns Chinese."""
    message = _said("network.in_file", tmp_path)
    zh = localise(message, "zh")
    assert "broken.yaml" in zh and "windows.0.services" in zh and "未知业务" in zh
    assert "broken.yaml: windows.0.services: unknown service 'x'" in str(message)


def test_hallsim_lang_zh_network_prints_the_problems_in_chinese(tmp_path):
    """``hallsim --lang zh network`` on a bad file exits 2 with Chinese lines naming the
    file and the field, without a traceback."""
    path = write_files(tmp_path, demand={"per_1000": {"consult": 1, "pasport": 1}},
                       zones=[{"name": "z", "population": -5, "x_km": 0, "y_km": 0}])
    done = CliRunner().invoke(app, ["--lang", "zh", "network", str(path)])
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert f"{path}: zones.0.population: 应大于或等于 0" in done.output
    english = CliRunner().invoke(app, ["network", str(path)])
    assert "must be at least 0" in english.output and not CJK.search(english.output)
