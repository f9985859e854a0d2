"""Problem messages (sim.scenario.messages): English as before, the same problem in Chinese, for
every message validation can say."""

from __future__ import annotations

import pickle
import re
import string

import pytest
import yaml

from builders import BASE
from sim.scenario.loader import ScenarioError, load_scenario, load_scenario_text, merge, with_overrides
from sim.scenario.messages import CATALOGUE, PYDANTIC_ZH, Message, from_pydantic, localise, say
from sim.ui.editor import parse_breaks

CJK = re.compile(r"[\u4e00-\u9fff]")

ISSUANCE = {"start_date": "2025-01-06", "days": 5, "production": {"cards_per_day": 10},
            "sporadic": {"applications_per_day": 2}}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _problems(data) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(data, allow_unicode=True), "<case>")
    return info.value.problems


def _with(**overrides):
    return merge(BASE, overrides)


def _staff(**person):
    return {"policies": {"staffing": "roster", "green_channel": {"mode": "none"}},
            "staff": [{"name": "Li", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"}, **person}]}


# (catalogue key, scenario data that makes validation say it, field path it is said of)
CASES = [
    ("hours.order", _with(hall={"opening_hours": {"mon": {"open": "12:00", "close": "09:00"}}}),
     "hall.opening_hours.mon"),
    ("lunch.order", _with(hall={"lunch": {"start": "13:00", "end": "12:00"}}), "hall.lunch"),
    ("period.order", _with(windows=[{"id": "W1", "services": ["consult"],
                                     "hours": [{"start": "11:00", "end": "10:00"}]}]), "windows.0.hours.0"),
    ("shift.order", _with(**_staff(shift={"start": "12:00", "end": "09:00"})), "staff.0.shift"),
    ("returns.delay_order", _with(policies={"repeat_visits": {"delay_days": [5, 2]}}), "policies.repeat_visits"),
    ("clock.number", _with(hall={"lunch": {"start": 750}}), "hall.lunch.start"),
    ("clock.format", _with(hall={"lunch": {"start": "noon"}}), "hall.lunch.start"),
    ("clock.after_24", _with(hall={"lunch": {"start": "24:30"}}), "hall.lunch.start"),
    ("triangular.order", _with(services={"consult": {"window_time": {"dist": "triangular", "low": 5, "mode": 1,
                                                                     "high": 9}}}), "services.consult.window_time.triangular"),
    ("uniform.order", _with(services={"consult": {"window_time": {"dist": "uniform", "low": 5, "high": 1}}}),
     "services.consult.window_time.uniform"),
    ("window.duplicate", _with(windows=[{"id": "W1", "services": ["consult"]}, {"id": "W1", "services": ["consult"]}]),
     "windows.1.id"),
    ("window.reserved", _with(windows=[{"id": "guide", "services": ["consult"]}]), "windows.0.id"),
    ("window.hours_continuous", _with(run={"horizon_min": 600, "days": 1}, demand={"arrival_rate_per_min": 1},
                                      windows=[{"id": "W1", "services": ["consult"],
                                                "hours": [{"start": "09:00", "end": "10:00"}]}]),
     "windows.0.hours"),
    ("window.hours_overlap", _with(windows=[{"id": "W1", "services": ["consult"],
                                             "hours": [{"start": "09:00", "end": "11:00"},
                                                       {"start": "10:00", "end": "12:00"}]}]),
     "windows.0.hours.1.start"),
    ("service.unknown_of", _with(windows=[{"id": "W1", "services": ["consult", "teleport"]}]), "windows.0.services"),
    ("service.unknown", _with(demand={"service_mix": {"consult": 1, "teleport": 1}}), "demand.service_mix.teleport"),
    ("window.lacks_device", _with(services={"consult": {"window_time": {"dist": "fixed", "value": 5},
                                                        "devices": ["card_reader"]}}), "windows.0.services"),
    ("mix.no_window", _with(services={"consult": {"window_time": {"dist": "fixed", "value": 5}},
                                      "info_change": {"window_time": {"dist": "fixed", "value": 5}}},
                            demand={"service_mix": {"consult": 1, "info_change": 1}}),
     "demand.service_mix.info_change"),
    ("weights.zero", _with(demand={"service_mix": {"consult": 0}}), "demand.service_mix"),
    ("instant.no_printer", _with(services={"consult": {"window_time": {"dist": "fixed", "value": 5},
                                                       "instant_issue": True}}), "services.consult.instant_issue"),
    ("kiosk.no_time", _with(devices={"kiosks": {"count": 1, "services": ["consult"]}}), "devices.kiosks.services"),
    ("continuous.rate", _with(run={"horizon_min": 600, "days": 1}), "demand.arrival_rate_per_min"),
    ("continuous.staffing", _with(run={"horizon_min": 600, "days": 1}, demand={"arrival_rate_per_min": 1},
                                  **_staff()), "policies.staffing"),
    ("continuous.warmup", _with(run={"horizon_min": 600, "warmup_min": 700, "days": 1},
                                demand={"arrival_rate_per_min": 1}), "run.warmup_min"),
    ("demand.volume", _with(demand={"visitors_per_day": None}), "demand.visitors_per_day"),
    ("hall.never_open", _with(hall={"opening_hours": {"mon": None}}), "hall.opening_hours"),
    ("green.no_window", _with(policies={"green_channel": {"mode": "dedicated"}}), "policies.green_channel.mode"),
    ("staff.duplicate", _with(policies={"staffing": "roster"},
                              staff=[{"name": "Li", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"}}] * 2),
     "staff.1.name"),
    ("staff.unknown_a_post", _with(**_staff(a_post="W9")), "staff.0.a_post"),
    ("staff.unknown_b_post", _with(**_staff(b_post="W9")), "staff.0.b_post"),
    ("staff.b_is_a", _with(**_staff(b_post="W1")), "staff.0.b_post"),
    ("staff.break_outside", _with(**_staff(breaks=[{"start": "13:00", "duration_min": 10}])), "staff.0.breaks.0.start"),
    ("staff.none", _with(policies={"staffing": "roster"}), "staff"),
    ("guide.nobody", merge(_with(**_staff()), {"policies": {"guide_desk": {"enabled": True}}}),
     "policies.guide_desk.enabled"),
    ("by_date.needs_volume", _with(demand={"visitors_per_day": None, "arrival_rate_per_min": 0.1,
                                           "by_date": {"2026-03-02": {"consult": 5}}}), "demand.by_date.2026-03-02"),
    ("calendar.range", _with(run={"days": 40, "start_date": "2026-12-01", "calendar": "chinese"}), "run.start_date"),
    ("calendar.adjusted_closed", _with(run={"calendar": "chinese", "adjusted_workday_as": "sun"}),
     "run.adjusted_workday_as"),
    ("issuance.calendar", _with(issuance={**ISSUANCE, "start_date": "1999-01-04"}), "issuance.start_date"),
    ("issuance.no_route", _with(issuance={**ISSUANCE, "sporadic": None}), "issuance"),
    ("issuance.needs_volume", _with(demand={"visitors_per_day": None, "arrival_rate_per_min": 0.1},
                                    issuance={**ISSUANCE, "sporadic": {"hall_services": ["consult"]}}),
     "issuance.sporadic.hall_services"),
    ("issuance.instant_kind", _with(issuance={**ISSUANCE, "on_the_spot": {"hall_services": ["consult"]}}),
     "issuance.on_the_spot.hall_services"),
    ("issuance.mailed_kind", _with(services={"consult": {"window_time": {"dist": "fixed", "value": 5},
                                                         "instant_issue": True}},
                                   devices={"instant_printers": {"count": 1}},
                                   issuance={**ISSUANCE, "sporadic": {"hall_services": ["consult"]}}),
     "issuance.sporadic.hall_services"),
    ("dates.order", _with(issuance={**ISSUANCE, "production": {"cards_per_day": 10, "cuts": [
        {"start": "2025-02-01", "end": "2025-01-01"}]}}), "issuance.production.cuts.0"),
    ("rate.one_of", _with(issuance={**ISSUANCE, "sporadic": {"applications_per_day": 2,
                                                               "hall_services": ["consult"]}}),
     "issuance.sporadic"),
    ("dist.not_mapping", _with(services={"consult": {"window_time": 2}}), "services.consult.window_time"),
    ("dist.no_kind", {**BASE, "services": {"consult": {"window_time": {"mean": 2}}}}, "services.consult.window_time"),
    ("dist.unknown", _with(services={"consult": {"window_time": {"dist": "weibull", "mean": 2}}}),
     "services.consult.window_time"),
    ("dist.unknown_near", _with(services={"consult": {"window_time": {"dist": "exponental", "mean": 2}}}),
     "services.consult.window_time"),
]

# said while reading files and tables rather than validating a scenario (tested below)
READING = {"yaml.invalid", "yaml.empty", "yaml.not_mapping", "yaml.duplicate_key", "file.missing",
           "file.unreadable", "extends.not_name", "extends.circular", "extends.missing", "field.unknown_path",
           "breaks.format", "dist.text", "sweep.not_folder", "sweep.unreadable",
           # bounds on input (tested below and in test_hostile_input.py)
           "file.too_big", "file.not_regular", "file.encoding", "file.read_as", "yaml.too_deep", "yaml.too_many",
           "yaml.alias_bomb", "yaml.alias_cycle", "yaml.number_too_long", "extends.not_shipped", "extends.not_yaml",
           "extends.too_long", "problems.more"}


def test_every_catalogue_entry_takes_the_same_values_in_both_languages():
    for key, (en, zh) in CATALOGUE.items():
        assert _fields(en) == _fields(zh) - {"where_zh"} | ({"where"} if "where_zh" in _fields(zh) else set()), key
        assert CJK.search(zh), f"{key}: the Chinese template has no Chinese"


def test_every_catalogue_entry_is_said_by_some_case_here():
    """Scenario messages here; the network's (``network.*``) in tests/network/test_messages.py."""
    network = {k for k in CATALOGUE if k.startswith("network.")}
    assert {k for k, _, _ in CASES} | READING | network == set(CATALOGUE)


@pytest.mark.parametrize("key, data, path", CASES, ids=[c[0] for c in CASES])
def test_validation_says_each_problem_in_english_and_in_chinese(key, data, path):
    found = [(p, m) for p, m in _problems(data) if isinstance(m, Message) and m.key == key]
    assert found, f"{key} not said; problems: {_problems(data)}"
    p, message = found[0]
    assert p == path
    assert localise(message, "en") == str(message) and not CJK.search(str(message))
    zh = localise(message, "zh")
    assert CJK.search(zh) and zh != str(message)


def test_a_message_is_its_english_text_and_survives_pickling():
    m = say("window.duplicate", id="W1")
    assert m == "duplicate window id 'W1'" and isinstance(m, str)
    back = pickle.loads(pickle.dumps(m))
    assert back == m and back.in_lang("zh") == "窗口编号 'W1' 重复"


def test_an_unknown_key_is_refused_by_name():
    with pytest.raises(KeyError, match="no-such-key"):
        say("no-such-key")


def test_pydantic_errors_get_chinese_by_type_with_the_input_named():
    problems = _problems(_with(hall={"floor_area_m2": -3, "level": "galaxy", "colour": "red"}))
    by_path = {p: m for p, m in problems}
    area = by_path["hall.floor_area_m2"]
    assert "greater than 0" in area and "(got -3)" in area
    assert localise(area, "zh") == "应大于 0（实际为 -3）"
    assert localise(by_path["hall.level"], "zh").startswith("应为以下之一：")
    assert localise(by_path["hall.colour"], "zh") == PYDANTIC_ZH["extra_forbidden"]


def test_a_pydantic_error_type_without_chinese_stays_english():
    m = from_pydantic({"type": "some_new_type", "msg": "Something odd", "input": 3})
    assert m == "Something odd (got 3)" and localise(m, "zh") == m


def test_plain_strings_are_shown_as_they_are():
    assert localise("a plain note", "zh") == "a plain note"


def test_scenario_error_lines_follow_the_language():
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(_with(**_staff(a_post="W9"))), "hall.yaml")
    assert info.value.lines() == ["hall.yaml: staff.0.a_post: unknown post 'W9' (a window id, 'guide', 'helper' or 'floater')"]
    assert info.value.lines("zh") == ["hall.yaml: staff.0.a_post: 未知岗位 'W9'（应为窗口编号、guide、helper 或 floater）"]


@pytest.mark.parametrize("text, key, zh_part", [
    ("hall: [1,\n", "yaml.invalid", "不是有效的 YAML：第 "),
    ("", "yaml.empty", "文件为空"),
    ("- 1\n- 2\n", "yaml.not_mapping", "映射"),
    ("hall: {}\nhall: {}\n", "yaml.invalid", "第 2 行第 1 列：同一层级中键 'hall' 出现了两次（第一次在第 1 行）"),
    ("extends: 3\n", "extends.not_name", "应为文件名"),
    ("extends: nowhere.yaml\n", "extends.not_shipped", "只能按名称继承"),
    ("x: " + "[" * 40 + "]" * 40 + "\n", "yaml.too_deep", "嵌套超过 32 层"),
    ("x: " + "9" * 50 + "\n", "yaml.number_too_long", "数字长达 50 个字符"),
    ("a: &a [*a]\n", "yaml.alias_cycle", "别名 *a"),
    ("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" + "".join(f"b{i}: &b{i} [" + ", ".join([f"*{'a' if i == 0 else f'b{i - 1}'}"] * 10) + "]\n" for i in range(5)),
     "yaml.alias_bomb", "展开后超过 50000 个值"),
    ("x: [" + "1, " * 50_001 + "1]\n", "yaml.too_many", "超过 50000 个"),
    ("x" * 1_048_577, "file.too_big", "1 MB"),
])
def test_reading_problems_are_said_in_both_languages(tmp_path, text, key, zh_part):
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "up.yaml", base_dir=tmp_path)
    (_, message), = info.value.problems
    assert message.key == key and zh_part in localise(message, "zh")


def test_file_problems_are_said_in_both_languages(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "absent.yaml")
    assert localise(info.value.problems[0][1], "zh") == "文件不存在"
    (tmp_path / "bad.yaml").write_bytes(b"hall: \xff\xfe")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "bad.yaml")
    assert "另存为 UTF-8" in localise(info.value.problems[0][1], "zh")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path)
    assert localise(info.value.problems[0][1], "zh") == "不是普通文件"
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.yaml")
    assert "循环引用" in localise(info.value.problems[0][1], "zh")


def test_an_override_of_no_field_is_said_in_both_languages():
    s = load_scenario_text(yaml.safe_dump(BASE), "<base>")
    with pytest.raises(ScenarioError) as info:
        with_overrides(s, {"hall.colour": "red"})
    assert localise(info.value.problems[0][1], "zh") == "方案中没有这个字段"


def test_an_unreadable_break_is_said_in_both_languages():
    with pytest.raises(ValueError) as info:
        parse_breaks("11:30 for 45")
    assert localise(info.value.args[0], "zh") == "每段休息写成 HH:MM/分钟，例如 11:30/45（实际为 '11:30 for 45'）"


def test_sweep_folder_problems_are_said_in_both_languages(tmp_path):
    from sim.experiments.sweep import SweepError, load_sweep

    with pytest.raises(SweepError) as info:
        load_sweep(tmp_path)
    assert str(info.value) == f"{tmp_path}: not a sweep folder (no manifest.json)"
    assert localise(info.value.args[0], "zh") == f"{tmp_path}：不是参数扫描结果文件夹（没有 manifest.json）"
    (tmp_path / "manifest.json").write_text("{broken")
    with pytest.raises(SweepError) as info:
        load_sweep(tmp_path)
    assert "扫描清单无法读取" in localise(info.value.args[0], "zh")
