"""Input from a hostile or careless user: uploads that try to read local files, numbers
beyond every bound, structures that would exhaust the machine, other encodings, messages
that quote too much, Chinese names, and ``hallsim validate DIR``."""

from __future__ import annotations

import copy
import math
import os
import re
import tomllib
import tracemalloc
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from builders import BASE
from sim.cli.main import app
from sim.scenario import limits
from sim.scenario.loader import (DEFAULT_SCENARIO_NAME, ScenarioError, load_scenario, load_scenario_text, load_upload,
                                 read_scenario, shipped_names, with_overrides)
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios"
COUNTY = (SHIPPED / "county_hall.yaml").read_text(encoding="utf-8")
runner = CliRunner()


def refusal(text: str, base_dir=SHIPPED, source="up.yaml") -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, source, base_dir)
    return info.value


def county(**changes) -> dict:
    """The shipped county hall as data, with dotted-path ``changes`` (``a__b`` for ``a.b``)."""
    data = yaml.safe_load(COUNTY)
    for dotted, value in changes.items():
        node = data
        parts = dotted.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        last = parts[-1]
        node[int(last) if isinstance(node, list) else last] = value
    return data


def county_problems(**changes) -> dict[str, str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(county(**changes), allow_unicode=True), "hall.yaml")
    return dict(info.value.problems)


# ------------------------------------------------------------------ 1. uploads
@pytest.fixture
def secret(tmp_path) -> Path:
    """A local file an upload must never read: YAML whose value and key are secrets."""
    path = tmp_path / "secret.yaml"
    path.write_text("hall: {name: hunter2-password}\nsecret_json_key: 1\n", encoding="utf-8")
    (tmp_path / "secret.json").write_text('{"secret_json_key": "hunter2"}', encoding="utf-8")
    return path


def test_an_upload_cannot_extend_a_local_path_and_every_refusal_reads_the_same(secret):
    """An upload's ``extends`` of any path — existing or not, YAML or JSON, absolute or
    relative, /etc/shadow or /proc/self/mem — gets one answer (no "no such file" oracle),
    which quotes none of the file's content."""
    names = [str(secret), str(secret.with_suffix(".json")), "/etc/shadow", "/etc/passwd", "/proc/self/mem",
             "../" + secret.name, str(secret.parent / "absent.yaml"), "/no/such/dir/x.yaml"]
    answers = set()
    for name in names:
        err = refusal(f"extends: {name}\n", base_dir=secret.parent.parent / "empty-shipped")
        (path, message), = err.problems
        assert path == "extends" and "hunter2" not in str(err) and "secret_json_key" not in str(err)
        answers.add(str(message).replace(repr(name), "NAME"))
    assert len(answers) == 1, answers
    assert "may only extend a shipped scenario" in answers.pop()


def test_an_upload_never_opens_a_path_it_names(secret, monkeypatch):
    """No file outside the shipped folder is opened while an upload is read (not even to
    see whether it exists)."""
    opened = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    refusal(f"extends: {secret}\n")
    assert not [p for p in opened if "secret" in p]


def test_an_upload_extends_a_shipped_scenario_by_name():
    """Shipped scenarios are extended by their name in the scenario folder (with or
    without .yaml, in subfolders too) and the embedded default by default_hall.yaml,
    including a shipped file that itself extends another."""
    s = load_scenario_text("extends: county_hall.yaml\ndemand: {visitors_per_day: 90}\n", "up.yaml", SHIPPED)
    assert s.demand.visitors_per_day == 90 and s.hall.level == "county"
    assert load_scenario_text("extends: county_hall\n", "up.yaml", SHIPPED) == load_scenario(SHIPPED / "county_hall.yaml")
    assert load_scenario_text("extends: textbook/mmc.yaml\n", "up.yaml", SHIPPED).continuous
    assert load_scenario_text("extends: county_hall_no_green.yaml\n", "up.yaml", SHIPPED).policies.green_channel.mode \
        == "none"
    assert load_scenario_text(f"extends: {DEFAULT_SCENARIO_NAME}\n", "up.yaml").hall.level == "county"
    assert "grids/county_staffing.yaml" not in shipped_names(SHIPPED)  # a grid is not a scenario


def test_an_upload_with_a_local_path_is_refused_by_the_dashboard_loader(secret):
    """load_upload (the dashboard's reader) refuses the same way and says it in Chinese too."""
    with pytest.raises(ScenarioError) as info:
        load_upload(f"extends: {secret}\n".encode(), "up.yaml", SHIPPED)
    assert "只能按名称继承" in info.value.lines("zh")[0] and "hunter2" not in str(info.value)


@pytest.mark.parametrize("path", ["/proc/self/mem", "/dev/zero", "/"])
def test_a_special_file_on_the_command_line_is_a_scenario_error(path):
    """A file that is not a regular file, or cannot be read, is a problem of that file
    (no OSError, no endless read)."""
    if not os.path.exists(path):
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.source == path


def test_a_file_extending_a_special_or_missing_path_is_a_scenario_error(tmp_path):
    """A command-line file may extend other YAML files only: /proc/self/mem, a folder
    named like a YAML file, and a file name too long for the system are its problems."""
    (tmp_path / "folder.yaml").mkdir()
    for target, words in [("/proc/self/mem", ".yaml or .yml"), ("folder.yaml", "not a regular file"),
                          ("x" * 300 + ".yaml", "no such file")]:
        f = tmp_path / "a.yaml"
        f.write_text(f"extends: {target}\n", encoding="utf-8")
        with pytest.raises(ScenarioError) as info:
            load_scenario(f)
        assert words in str(info.value) and str(f) in str(info.value)


def test_text_over_one_megabyte_is_refused_saying_the_cap():
    """Text or bytes over 1 MB are refused before they are parsed, naming the cap."""
    big = "description: " + "x" * limits.MAX_FILE_BYTES + "\n"
    assert "1 MB" in str(refusal(big))
    with pytest.raises(ScenarioError, match="1 MB"):
        load_upload(big.encode(), "up.yaml")


def test_the_dashboard_caps_uploads_where_it_starts_and_scenarios_at_one_megabyte():
    """.streamlit/config.toml and the `hallsim ui` command line cap uploads at the ticket-log
    limit (the largest upload, Calibrate page); the Scenario page's uploader caps scenario
    files at 1 MB, as the loader does."""
    import inspect

    from sim.cli.ui import streamlit_command
    from sim.ui.calibration import LOG_MAX_MB
    from sim.ui.pages import scenario as page

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == LOG_MAX_MB
    cmd = streamlit_command()
    assert cmd[cmd.index("--server.maxUploadSize") + 1] == str(LOG_MAX_MB)
    assert limits.MAX_FILE_BYTES // 1_048_576 == 1
    assert "max_upload_size=max(1, MAX_FILE_BYTES // 1_048_576)" in inspect.getsource(page)


# ------------------------------------------------------------------ 2. bounds
INF = float("inf")


@pytest.mark.parametrize("dotted, value, bound", [
    ("demand__visitors_per_day", INF, "50000"),
    ("demand__visitors_per_day", "1e400", "50000"),
    ("demand__visitors_per_day", 1e12, "50000"),
    ("demand__weekday_factors__mon", INF, "10"),
    ("demand__hourly_profile__08:30", 1e400, "1000000"),
    ("demand__hourly_profile__08:30", float("nan"), "1000000"),
    ("staff__0__absences__rate_per_hour", INF, "30"),
    ("staff__0__absences__rate_per_hour", 1e9, "30"),
    ("services__apply__window_time__cv", 1e200, "10"),
    ("services__apply__window_time__mean", 1e9, "100000"),
    ("devices__instant_printers__print_time", {"dist": "uniform", "low": 1, "high": INF}, "100000"),
    ("devices__instant_printers__count", 1_000_000_000, "1000"),
    ("devices__instant_printers__mtbf_min", 1e-9, "at least 1"),
    ("run__start_date", "9999-12-28", "2100-12-31"),
    ("run__closed_dates", ["9999-12-28"], "2100-12-31"),
    ("run__replications", 10**9, "100000"),
    ("run__days", 10**6, "3660"),
    ("hall__floor_area_m2", 1e300, "100000"),
    ("services__apply__elderly_multiplier", 1e6, "10"),
    ("policies__baulk_queue_length", 10**12, "100000"),
    ("sla__wait_mean_max_min", INF, "10080"),
])
def test_a_number_beyond_its_bound_is_refused_naming_field_value_and_bound(dotted, value, bound):
    """inf, nan, 1e400 and huge values are refused; the message names the field, the
    value and the bound."""
    problems = county_problems(**{dotted: value})
    path = dotted.replace("__", ".")
    if isinstance(value, dict):
        path += ".high"
    elif isinstance(value, list):
        path += ".0"
    (message,) = [m for p, m in problems.items() if p == path]
    shown = {INF: "inf", 1e400: "inf"}.get(value, value) if not isinstance(value, (dict, list)) else "inf"
    if isinstance(value, float) and math.isnan(value):
        shown = "nan"
    assert bound in message and (str(shown) in message or repr(shown) in message or format(value, "g") in message
                                 if not isinstance(value, (dict, list)) else True), message


def _numbers_without_maximum(schema: dict, defs: dict, at: str, seen: set) -> list[str]:
    """Paths of the JSON schema's numbers without a maximum and lists / free mappings
    without a maximum size."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        if name in seen:
            return []
        return _numbers_without_maximum(defs[name], defs, at, seen | {name})
    out = []
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            out += _numbers_without_maximum(sub, defs, at, seen)
    kind = schema.get("type")
    if kind in ("number", "integer") and "maximum" not in schema and "exclusiveMaximum" not in schema:
        out.append(at)
    if kind == "array" and "maxItems" not in schema and "prefixItems" not in schema:
        out.append(at + "[]")
    for sub in schema.get("prefixItems", []):
        out += _numbers_without_maximum(sub, defs, at + "[i]", seen)
    if isinstance(schema.get("items"), dict):
        out += _numbers_without_maximum(schema["items"], defs, at + "[i]", seen)
    for name, sub in schema.get("properties", {}).items():
        out += _numbers_without_maximum(sub, defs, f"{at}.{name}", seen)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        if "maxProperties" not in schema and "enum" not in schema.get("propertyNames", {}) \
                and "pattern" not in schema.get("propertyNames", {}):
            out.append(at + "{}")
        out += _numbers_without_maximum(extra, defs, at + ".*", seen)
    return out


def test_every_number_and_list_of_the_schema_has_a_finite_upper_bound():
    """Walking the scenario's JSON schema: every number has a maximum, every list and free
    mapping a maximum size (the bounds of sim.scenario.limits)."""
    schema = Scenario.model_json_schema()
    missing = _numbers_without_maximum(schema, schema.get("$defs", {}), "scenario", set())
    assert not missing, missing


@pytest.mark.parametrize("text, path, words", [
    ("x: " + "1" * 5000 + "\n", "x", "5000 characters"),
    ("x: " + "[" * 5000 + "]" * 5000 + "\n", "x", "nested more than 32"),
    ("hall:\n  x: " + "[" * 500 + "]" * 500 + "\n", "hall.x", "nested more than 32"),
    ("a: &a [*a]\n", "a.0", "*a"),
])
def test_structures_python_cannot_build_are_refused_cleanly(text, path, words):
    """A 5,000-digit integer and 5,000-deep lists (a RecursionError once) are refused
    before Python builds them, naming the field."""
    (p, message), = refusal(text).problems
    assert p == path and words in message


def test_extends_of_a_file_in_no_known_encoding_names_both_files(tmp_path):
    """A file extending a Latin-1 file is a ScenarioError naming the given file, the
    extended one and the line, with the hint to save as UTF-8."""
    (tmp_path / "latin.yaml").write_bytes("hall:\n  name: caf\xe9 \xe0 la gare\n".encode("latin-1"))
    (tmp_path / "mine.yaml").write_text("extends: latin.yaml\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "mine.yaml")
    line, = info.value.lines()
    assert line.startswith(f"{tmp_path / 'mine.yaml'} (extends {tmp_path / 'latin.yaml'}): hall: ")
    assert "line 2" in line and "save the file as UTF-8" in line


def test_a_far_date_with_closed_dates_is_refused_not_an_overflow():
    """start_date 9999-12-28 with closed dates (an OverflowError once) is refused by its bound."""
    problems = county_problems(run__start_date="9999-12-28", run__closed_dates=["2026-03-03"])
    assert "2100-12-31" in problems["run.start_date"]


# ------------------------------------------------------------------ 3. messages
def test_a_huge_value_is_quoted_in_at_most_80_characters():
    """A 5 MB value (through the Python API, which has no file cap) is quoted cut to 80
    characters ending in …; every line stays short."""
    s = load_scenario_text(yaml.safe_dump(BASE), "<base>")
    with pytest.raises(ScenarioError) as info:
        with_overrides(s, {"hall.level": "y" * 5_000_000, "windows.0.id": "z" * 5_000_000})
    for line in info.value.lines() + info.value.lines("zh"):
        assert len(line) < 400, line[:400]
    assert "…" in str(info.value)


def test_an_alias_bomb_is_refused_unbuilt_within_little_memory():
    """A billion-laughs alias bomb (9 levels of 9 aliases: 387 million items) inside
    ``extends:`` is refused naming an alias and the limit, without building it."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*{'a' if i == 1 else f'l{i - 1}'}"] * 9) + "]")
    lines.append("extends: *l8")
    tracemalloc.start()
    try:
        err = refusal("\n".join(lines) + "\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (path, message), = err.problems
    assert "YAML aliases" in message and "50000" in message and path
    assert peak < 20 * 2**20, peak


@pytest.mark.parametrize("window_time, words", [
    ({"dist": "exponental", "mean": 2}, ["did you mean 'exponential'", "lognormal", "{dist: fixed, value: 2}"]),
    (2, ["expected a distribution such as {dist: fixed, value: 2}", "(got 2)"]),
    ("fixed", ["expected a distribution such as {dist: fixed, value: 2}"]),
    ({"mean": 2}, ["needs a dist key", "exponential, lognormal"]),
    ({"dist": ["x"] * 1000}, ["unknown distribution ['x', 'x'", "...]"]),
])
def test_distribution_problems_are_said_in_the_projects_words(window_time, words):
    """A misspelt or missing distribution gets the valid kinds and an example, never
    pydantic's "Input tag … does not match" or "a valid dictionary"."""
    data = yaml.safe_load(COUNTY)
    data["services"]["apply"]["window_time"] = window_time
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(data), "hall.yaml")
    (path, message), = info.value.problems
    assert path == "services.apply.window_time"
    assert all(w in message for w in words), message
    assert "Input" not in message and "tag" not in message


def test_pydantic_wording_never_reaches_the_user():
    """Wrong types, bounds and patterns are said in the project's words (no "Input should")."""
    problems = county_problems(hall__floor_area_m2="big", run__days=2.5, windows__0__id="W 1",
                               demand__service_mix=[1], hall__level=3, run__start_date="soon")
    assert problems and not [m for m in problems.values() if "Input should" in m or "String should" in m]
    assert "letters" in problems["windows.0.id"] and "expected a number" in problems["hall.floor_area_m2"]


def test_an_extends_cycle_names_the_file_the_user_gave(tmp_path):
    """a.yaml → b.yaml → a.yaml is reported against a.yaml (the file given), with the chain."""
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.yaml")
    assert info.value.source == str(tmp_path / "a.yaml")
    assert info.value.problems == [("extends", "circular extends: a.yaml → b.yaml → a.yaml")]


def test_a_long_list_of_problems_is_cut_with_a_count():
    """Thousands of bad values give the first 50 problems and a line saying how many more."""
    data = copy.deepcopy(BASE)
    data["services"]["consult"]["window_time"] = {"dist": "empirical", "values": [-1] * 2000}
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(data), "many.yaml")
    assert len(info.value.problems) == limits.MAX_PROBLEMS + 1
    assert info.value.problems[-1][1] == "… and 1950 more problems"


# ------------------------------------------------------------------ 4. encodings
def _county_in_chinese() -> str:
    return COUNTY.replace("wang_fang", "王芳").replace("name: County", "name: 县级社保卡窗口 County")


@pytest.mark.parametrize("encode, encoding", [
    (lambda t: t.encode("utf-8"), "UTF-8"),
    (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "UTF-8 with BOM"),
    (lambda t: t.encode("gbk"), "GB18030"),
    (lambda t: t.encode("gb18030"), "GB18030"),
    (lambda t: t.encode("utf-16"), "UTF-16"),
])
def test_files_in_the_encodings_editors_save_are_read_and_the_encoding_said(tmp_path, encode, encoding):
    """UTF-8 with or without BOM, GBK/GB18030 (Notepad on Chinese Windows) and UTF-16 with
    BOM are read to the same scenario; the result says the encoding and, when not UTF-8,
    a note suggests saving as UTF-8."""
    path = tmp_path / "hall.yaml"
    path.write_bytes(encode(_county_in_chinese()))
    loaded = read_scenario(path)
    assert loaded.encoding == encoding
    assert loaded.scenario.staff[0].name == "王芳" and loaded.scenario.hall.name.startswith("县级")
    assert bool(loaded.notes) == (not encoding.startswith("UTF-8"))
    upload = load_upload(path.read_bytes(), "hall.yaml", SHIPPED)
    assert upload.scenario == loaded.scenario and upload.encoding == encoding


def test_validate_says_the_encoding_of_a_gbk_file(tmp_path):
    """`hallsim validate` prints "OK file (read as GB18030)" and a note to save as UTF-8."""
    path = tmp_path / "gbk.yaml"
    path.write_bytes(_county_in_chinese().encode("gbk"))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert f"OK {path} (read as GB18030)" in result.output and "saving the file as UTF-8" in result.output


def test_undecodable_bytes_give_the_line_and_the_hint_to_save_as_utf8(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"hall:\n  name: \xff\xfe\xff\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (field, message), = info.value.problems
    assert field == "hall" and "line 2" in message and "save the file as UTF-8" in message


# ------------------------------------------------------------------ 5. Chinese names
def _county_with_chinese_names() -> str:
    names = {"wang_fang": "张伟", "li_qiang": "李强", "zhang_min": "张敏", "chen_jing": "陈静", "liu_yang": "刘洋",
             "zhao_lei": "赵磊"}
    text = re.sub(r"\bW([1-4])\b", r"窗口\1", COUNTY)
    for a, b in names.items():
        text = text.replace(a, b)
    return text


def test_chinese_staff_names_and_window_ids_flow_through_model_tables_and_cli(tmp_path):
    """张伟 and 窗口1 are valid names and ids: the shipped county hall with its staff and
    windows renamed runs from the command line, and the names are in the written tables."""
    path = tmp_path / "县级大厅.yaml"
    path.write_text(_county_with_chinese_names(), encoding="utf-8")
    s = load_scenario(path)
    assert s.windows[0].id == "窗口1" and s.staff[0].name == "张伟" and s.staff[0].b_post == "窗口2"
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--reps", "1", "--days", "1", "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Key performance indicators" in result.output
    staff = (out / "staff.csv").read_text(encoding="utf-8")
    windows = (out / "windows.csv").read_text(encoding="utf-8")
    assert "张伟" in staff and "窗口1" in windows
    assert "窗口1" in (out / "scenario.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["张 伟", "窗口.1", "[red]x", "a/b", ""])
def test_names_with_spaces_dots_or_signs_are_still_refused(name):
    problems = county_problems(staff__0__name=name)
    assert "staff.0.name" in problems


# ------------------------------------------------------------------ 6. validate DIR
def test_validate_a_folder_checks_each_yaml_file_in_it_but_not_subfolders(tmp_path):
    """`hallsim validate DIR` reports every *.yaml / *.yml file directly in DIR and exits 2
    when any fails; subfolders are not entered."""
    (tmp_path / "good.yaml").write_text(COUNTY, encoding="utf-8")
    (tmp_path / "also.yml").write_text("extends: good.yaml\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("extends: good.yaml\nrun: {days: 0}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "worse.yaml").write_text("hall: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert f"OK {tmp_path / 'good.yaml'}" in result.output and f"OK {tmp_path / 'also.yml'}" in result.output
    assert f"{tmp_path / 'bad.yaml'}: run.days: must be at least 1 (got 0)" in result.output
    assert "worse" not in result.output and "notes" not in result.output
    assert runner.invoke(app, ["validate", str(SHIPPED)]).exit_code == 0


def test_validate_an_empty_folder_says_so(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2 and "no *.yaml or *.yml file in this folder" in result.output
