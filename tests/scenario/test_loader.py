"""Loading scenarios: field-path errors, quoted times, extends, overrides."""

import pytest
import yaml

from builders import BASE
from sim.scenario.loader import ScenarioError, load_scenario, load_scenario_text, merge, scenario_to_yaml, with_overrides


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return p


def problems_of(exc):
    return dict(exc.value.problems)


def test_valid_scenario_loads_and_is_frozen(tmp_path):
    """A valid file loads into an immutable scenario."""
    s = load_scenario(write(tmp_path, "a.yaml", BASE))
    assert s.windows[0].id == "W1"
    with pytest.raises(Exception):
        s.hall.name = "x"


def test_unknown_key_names_the_field(tmp_path):
    """An unknown key is rejected with its full path and the file name."""
    data = merge(BASE, {"windows": [{"id": "W1", "services": ["consult"], "colour": "red"}]})
    with pytest.raises(ScenarioError) as exc:
        load_scenario(write(tmp_path, "bad.yaml", data))
    assert "windows.0.colour" in problems_of(exc)
    assert all(line.startswith(str(tmp_path / "bad.yaml")) for line in exc.value.lines())


def test_unknown_service_at_window_names_the_list(tmp_path):
    """A window serving an unknown service is reported at windows.N.services."""
    data = merge(BASE, {"windows": [{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["nope"]}]})
    with pytest.raises(ScenarioError) as exc:
        load_scenario(write(tmp_path, "bad.yaml", data))
    assert "unknown service 'nope'" in problems_of(exc)["windows.1.services"]


def test_unquoted_time_is_rejected_with_advice(tmp_path):
    """YAML's 12:30 (read as 750) is refused with a message about quoting."""
    text = yaml.safe_dump(BASE).replace("open: 09:00", "open: 9:30").replace("open: '09:00'", "open: 9:30")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(write(tmp_path, "t.yaml", text))
    msg = problems_of(exc)["hall.opening_hours.mon.open"]
    assert "quoted" in msg and "570" in msg


def test_invalid_yaml_gives_line_number(tmp_path):
    """Broken YAML is reported with its line, not a traceback."""
    with pytest.raises(ScenarioError) as exc:
        load_scenario(write(tmp_path, "y.yaml", "hall: [unclosed\n"))
    assert "not valid YAML" in str(exc.value) and "line" in str(exc.value)


def test_missing_file_is_reported():
    """A missing file gives a ScenarioError naming it."""
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario("/nonexistent/hall.yaml")


def test_extends_overrides_only_what_it_says(tmp_path):
    """A variant made with extends keeps its base's fields and replaces the ones it names."""
    write(tmp_path, "base.yaml", BASE)
    child = write(tmp_path, "child.yaml", "extends: base.yaml\ndemand:\n  visitors_per_day: 99\n")
    s = load_scenario(child)
    assert s.demand.visitors_per_day == 99
    assert s.demand.service_mix == {"consult": 1.0}
    assert s.hall.name == "Tiny"


def test_circular_extends_is_refused(tmp_path):
    """Two files that extend each other are refused."""
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="circular"):
        load_scenario(tmp_path / "a.yaml")


def test_cross_field_problems_are_all_listed():
    """Several cross-field problems are reported together, each with its path."""
    data = merge(BASE, {
        "policies": {"staffing": "roster", "green_channel": {"mode": "dedicated"}},
        "staff": [{"name": "A", "a_post": "W9", "shift": {"start": "09:00", "end": "12:00"}}],
    })
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(yaml.safe_dump(data))
    p = problems_of(exc)
    assert "staff.0.a_post" in p and "policies.green_channel.mode" in p


def test_roundtrip_through_yaml():
    """A scenario written to YAML reads back equal."""
    s = load_scenario_text(yaml.safe_dump(BASE))
    assert load_scenario_text(scenario_to_yaml(s)) == s


def test_with_overrides_by_dotted_path():
    """Dotted-path overrides make a new scenario and leave the old one unchanged."""
    s = load_scenario_text(yaml.safe_dump(BASE))
    t = with_overrides(s, {"demand.visitors_per_day": 30, "windows.0.kind": "green"})
    assert t.demand.visitors_per_day == 30 and t.windows[0].kind == "green"
    assert s.demand.visitors_per_day == 10


def test_with_overrides_rejects_unknown_path():
    """An unknown dotted path is an error naming the path."""
    s = load_scenario_text(yaml.safe_dump(BASE))
    with pytest.raises(ScenarioError) as exc:
        with_overrides(s, {"demand.visitors_per_dya": 30})
    assert "demand.visitors_per_dya" in dict(exc.value.problems)


def test_a_key_given_twice_is_refused_with_both_lines():
    """YAML would silently keep the last of two equal keys; the loader names the key and lines."""
    text = "hall:\n  name: A\n  name: B\n"
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text, source="dup.yaml")
    (line,) = err.value.lines()
    assert line == ("dup.yaml: not valid YAML: line 3, column 3: the key 'name' is given twice "
                    "in the same mapping (first on line 2)")


@pytest.mark.parametrize("text", ["{}:", "[1, 2]: x\n", "? {a: 1}\n: 2\n"])
def test_an_unhashable_key_is_a_yaml_problem_not_a_crash(text):
    """A mapping or list used as a key (hypothesis found "{}:") is refused as invalid YAML."""
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text, "odd.yaml")
    assert "not valid YAML" in str(err.value)


def test_a_file_about_to_be_written_extends_like_a_file_and_unlike_an_upload(tmp_path):
    """load_file_text (a variant the CLI writes) follows `extends` relative to the target's
    folder, as load_scenario would once it is written; the same text as an upload is refused."""
    import shutil
    from pathlib import Path

    from sim.scenario.loader import ScenarioError, load_file_text, load_scenario, load_scenario_text

    (tmp_path / "halls").mkdir()
    shutil.copy(Path(__file__).resolve().parents[2] / "scenarios" / "county_hall.yaml", tmp_path / "halls")
    text = "extends: ../halls/county_hall.yaml\ndemand:\n  visitors_per_day: 99\n"
    target = tmp_path / "out" / "variant.yaml"
    target.parent.mkdir()
    assert load_file_text(text, target).demand.visitors_per_day == 99
    target.write_text(text, encoding="utf-8")
    assert load_scenario(target) == load_file_text(text, target)
    with pytest.raises(ScenarioError):
        load_scenario_text(text, "upload.yaml", tmp_path / "out")
