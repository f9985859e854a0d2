"""The dashboard (app.py) under Streamlit's AppTest, and the pure helpers behind it.

Every AppTest runs the real app against a folder of tiny scenarios (``HALLSIM_SCENARIOS``):
two 3-hour halls with a roster on A/B posts, one of them with an ``issuance`` section, so
that each run takes a fraction of a second.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from dashboard import dashboard, in_language
from streamlit.testing.v1 import AppTest

import sim
from sim.experiments.sweep import sweep
from sim.results.labels import kpi_label, verdict_label
from sim.ui import editor, scorecards
from sim.ui.state import SCENARIO_DIR_ENV
from sim.ui.text import CODES, UI, code_label, t

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = ("scenario", "compare", "staffing", "roster", "batch", "issuance", "calibrate", "network")

TINY = {
    "hall": {"name": "Tiny hall", "level": "county", "floor_area_m2": 40,
             "opening_hours": {"mon": {"open": "09:00", "close": "12:00"}, "tue": {"open": "09:00", "close": "12:00"}}},
    "windows": [{"id": "W1", "services": ["consult", "apply"], "devices": ["computer", "scanner", "printer"]},
                {"id": "W2", "kind": "green", "services": ["consult", "apply"],
                 "devices": ["computer", "card_reader", "card_reader"]}],
    "staff": [{"name": "wang", "a_post": "W1", "b_post": "W2", "shift": {"start": "08:45", "end": "12:15"},
               "breaks": [{"start": "10:30", "duration_min": 10}]},
              {"name": "li", "a_post": "W2", "b_post": "W1", "shift": {"start": "08:45", "end": "12:15"}},
              {"name": "zhao", "a_post": "floater", "shift": {"start": "08:45", "end": "12:15"}}],
    "demand": {"visitors_per_day": 40, "service_mix": {"consult": 1, "apply": 1},
               "hourly_profile": {"09:00": 2, "10:00": 1}},
    "services": {"consult": {"window_time": {"dist": "exponential", "mean": 3}},
                 "apply": {"window_time": {"dist": "lognormal", "mean": 5, "cv": 0.4}, "devices": ["computer"]}},
    "policies": {"green_channel": {"mode": "dedicated"}},
    "run": {"days": 2, "replications": 2},
}
ISSUANCE = {"production": {"cards_per_day": 30}, "days": 15, "drain_days": 10,
            "sporadic": {"applications_per_day": 20}}


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory) -> Path:
    """A folder with tiny_a.yaml, tiny_b.yaml (one window more busy: 60 visitors) and a
    grid file that the dashboard must not offer as a scenario."""
    folder = tmp_path_factory.mktemp("scenarios")
    (folder / "tiny_a.yaml").write_text(yaml.safe_dump({**TINY, "issuance": ISSUANCE}), encoding="utf-8")
    (folder / "tiny_b.yaml").write_text("extends: tiny_a.yaml\ndemand: {visitors_per_day: 60}\n", encoding="utf-8")
    (folder / "grids").mkdir()
    (folder / "grids" / "g.yaml").write_text("parameters: {demand.visitors_per_day: [10, 20]}\n", encoding="utf-8")
    return folder


@pytest.fixture
def app(scenario_dir, monkeypatch) -> AppTest:
    """The app, run once, offering the tiny scenarios, on one process."""
    at = dashboard(scenario_dir, monkeypatch, 60)
    return at.run()


def _on(at: AppTest, page: str, lang: str = "en") -> AppTest:
    at = in_language(at, lang)
    return at.switch_page(f"sim/ui/pages/{page}.py").run()


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def _frame(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page (``st.dataframe`` or ``st.table``) whose leading columns
    are ``columns``."""
    hits = [d.value for d in [*at.dataframe, *at.table] if list(d.value.columns[:len(columns)]) == list(columns)]
    assert hits, f"no table with columns {columns}"
    return hits[0]


# ------------------------------------------------------------------ AppTest
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page, lang):
    """Each page draws without an exception in English and in Chinese, titled in that language."""
    at = _on(app, page, lang)
    _no_exception(at)
    assert at.title[0].value == t(f"page.{page}", lang)


def test_every_page_of_the_menu_is_checked():
    """The pages checked above are the dashboard's menu (a new page is checked too)."""
    from sim.ui.app_main import PAGES as MENU

    assert PAGES == MENU


def test_grid_files_are_not_offered_as_scenarios(app):
    """The scenario list holds the scenario files and not a grid file beside them."""
    box = app.selectbox(key="keep.sc.pick.file")
    assert box.options == ["tiny_a (file)", "tiny_b (file)", "default_hall (embedded default hall)"]


def test_variant_name_follows_the_picked_scenario(app):
    """The proposed variant name is the picked scenario's, also after picking another file."""
    at = app
    assert at.text_input(key="keep.sc.variant").value == "tiny_a_edited"
    at.selectbox(key="keep.sc.pick.file").set_value("file:tiny_b.yaml").run()
    _no_exception(at)
    assert at.text_input(key="keep.sc.variant").value == "tiny_b_edited"


def _key_figure(at: AppTest, label: str) -> str:
    frame = _frame(at, t("col.kpi", "en"), t("col.value", "en"))
    return frame.set_index(frame.columns[0]).loc[label].iloc[0]


def test_changing_a_parameter_and_running_changes_the_result(app):
    """Running the scenario fills the key figures; more visitors per day, run again, give
    a different visitors-per-day figure."""
    at = app
    at.number_input(key="keep.sc.reps").set_value(2)
    at.button(key="sc.run").click().run()
    _no_exception(at)
    label = kpi_label("visitors_per_day", "en")
    before = _key_figure(at, label)
    field = [w for w in at.number_input if w.key.endswith("demand.visitors_per_day")][0]
    field.set_value(120.0).run()
    assert at.info, "a changed scenario marks the shown result as out of date"
    at.button(key="sc.run").click().run()
    _no_exception(at)
    after = _key_figure(at, label)
    assert before != after
    assert float(after.split()[0]) > float(before.split()[0])


def test_invalid_value_shows_error_next_to_the_field(app):
    """Visitors per day 0 shows the validation message under that field, disables saving,
    and raises nothing."""
    at = app
    field = [w for w in at.number_input if w.key.endswith("demand.visitors_per_day")][0]
    field.set_value(0.0).run()
    _no_exception(at)
    messages = [e.value for e in at.error]
    assert any("visitors_per_day" in m or "greater than 0" in m for m in messages), messages
    assert at.button(key="sc.save").disabled
    after = _elements_after(at, field.key)
    assert after.type == "error" and "greater than 0" in after.value


def test_invalid_value_is_said_in_chinese_in_the_chinese_ui(app):
    """With the language set to Chinese the same validation message under the field is in
    Chinese (the value it got stays as typed)."""
    at = _on(app, "scenario", "zh")
    field = [w for w in at.number_input if w.key.endswith("demand.visitors_per_day")][0]
    field.set_value(0.0).run()
    _no_exception(at)
    after = _elements_after(at, field.key)
    assert after.type == "error" and "应大于 0（实际为 0" in after.value, after.value
    assert "greater than" not in after.value


def test_run_calendar_is_edited_with_its_problem_under_the_field(app):
    """Choosing the public calendar with adjusted weekends opening like a closed weekday
    shows that problem under the weekday field; a weekday with hours makes it valid."""
    at = app
    at.selectbox(key=[w.key for w in at.selectbox if w.key.endswith("run.calendar")][0]).set_value("chinese").run()
    as_key = [w.key for w in at.selectbox if w.key.endswith("run.adjusted_workday_as")][0]
    assert not at.selectbox(key=as_key).disabled
    at.selectbox(key=as_key).set_value("wed").run()
    _no_exception(at)
    after = _elements_after(at, as_key)
    assert after.type == "error" and "no opening hours on 'wed'" in after.value
    at.selectbox(key=as_key).set_value("tue").run()
    _no_exception(at)
    assert not at.error and not at.button(key="sc.save").disabled


def _elements_after(at: AppTest, key: str):
    """The element drawn right after the widget with ``key`` (in page order)."""
    order = list(_walk(at.main))
    index = next(i for i, e in enumerate(order) if getattr(e, "key", None) == key)
    return next(e for e in order[index + 1:] if e.type not in ("empty",))


def _walk(node):
    """The leaves under ``node`` in page order (a container filled later keeps its place)."""
    children = getattr(node, "children", {})
    for _, child in sorted(children.items()):
        if getattr(child, "children", None):
            yield from _walk(child)
        else:
            yield child


@pytest.mark.parametrize("content, expected", [
    (b"hall: [unclosed\n", "not valid YAML"),
    (yaml.safe_dump({**TINY, "windows": [{"id": "W1", "services": ["aply"]}]}).encode(), "windows.0.services"),
    (b"hall: \xff\xfe\xff bad", "save the file as UTF-8"),
    (b"extends: /etc/passwd\n", "may only extend a shipped scenario, by name: tiny_a.yaml, tiny_b.yaml"),
    (b"description: " + b"x" * (1_048_576 + 1), "1 MB"),
])
def test_invalid_upload_shows_an_error_and_no_exception(app, content, expected):
    """A bad upload (broken YAML, an unknown service, not text) shows the problem naming the
    file and field in an error box; no exception, no editor."""
    at = app
    at.radio(key="keep.sc.source").set_value("upload").run()
    at.file_uploader[0].set_value(("bad.yaml", content, "application/x-yaml")).run()
    _no_exception(at)
    text = "\n".join(e.value for e in at.error)
    assert "bad.yaml" in text and expected in text
    assert not [w for w in at.number_input if w.key.startswith("keep.ed.")]


def test_upload_extending_a_scenario_on_offer_in_gbk_loads_and_says_the_encoding(app):
    """An upload may extend a scenario the page offers, by name; a GBK file (Notepad on
    Chinese Windows) loads, with a note that it was read as GB18030."""
    at = app
    at.radio(key="keep.sc.source").set_value("upload").run()
    text = "extends: tiny_b.yaml\nhall: {name: 小厅}\n"
    at.file_uploader[0].set_value(("gbk.yaml", text.encode("gbk"), "application/x-yaml")).run()
    _no_exception(at)
    assert not at.error
    assert "read as GB18030" in "\n".join(c.value for c in at.caption)
    kept = sim.load_scenario_text(at.session_state["variants"]["gbk"])
    assert kept.hall.name == "小厅" and kept.demand.visitors_per_day == 60


def test_invalid_upload_is_said_in_chinese_in_the_chinese_ui(app):
    """A bad upload in the Chinese UI names the file and the field, with the problem in Chinese."""
    at = _on(app, "scenario", "zh")
    at.radio(key="keep.sc.source").set_value("upload").run()
    bad = yaml.safe_dump({**TINY, "windows": [{"id": "W1", "services": ["aply"]}]}).encode()
    at.file_uploader[0].set_value(("bad.yaml", bad, "application/x-yaml")).run()
    _no_exception(at)
    text = "\n".join(e.value for e in at.error)
    assert "bad.yaml" in text and "windows.0.services" in text and "未知业务 'aply'" in text, text


def test_valid_upload_is_edited_and_saved_as_variant(app):
    """A valid upload opens in the editor and is kept as a variant named after the file;
    an edited copy saved under another name is offered on the Compare page too."""
    at = app
    at.radio(key="keep.sc.source").set_value("upload").run()
    at.file_uploader[0].set_value(("mine.yaml", yaml.safe_dump(TINY).encode(), "application/x-yaml")).run()
    _no_exception(at)
    assert not at.error
    assert sim.load_scenario_text(at.session_state["variants"]["mine"]).hall.name == "Tiny hall"
    at.text_input(key="keep.sc.variant").set_value("my_variant").run()
    at.button(key="sc.save").click().run()
    assert "my_variant" in at.session_state["variants"]
    at.switch_page("sim/ui/pages/compare.py").run()
    options = at.multiselect(key="keep.cmp.pick").options
    assert "my_variant (variant)" in options and "mine (variant)" in options


def test_comparing_two_scenarios_fills_the_scorecard(app):
    """Comparing the two tiny halls shows the SLA scorecard with one column per scenario and
    a verdict in each cell, and the differences against the baseline; the result stays
    after switching the language (kept in session state), now in Chinese."""
    at = _on(app, "compare")
    assert at.multiselect(key="keep.cmp.pick").value == ["file:tiny_a.yaml", "file:tiny_b.yaml"]
    at.number_input(key="keep.cmp.reps").set_value(2)
    at.button(key="cmp.run").click().run()
    _no_exception(at)
    card = _frame(at, t("col.target", "en"))
    assert list(card.columns)[1:] == ["tiny_a", "tiny_b"]
    assert len(card) == 6
    verdicts = [verdict_label(v, "en") for v in ("met", "not met", "uncertain", "no data")]
    assert all(any(v in cell for v in verdicts) for cell in card["tiny_b"])
    diff = _frame(at, t("col.kpi", "en"), "tiny_a")
    assert diff["tiny_b"].str.startswith("Δ").all()
    assert len(at.get("vega_lite_chart")) == 8 and not at.image
    at.sidebar.radio(key="lang").set_value("zh").run()
    _no_exception(at)
    card = _frame(at, t("col.target", "zh"))
    assert any("达标" in cell for cell in card["tiny_a"])


def test_automatic_replications_choose_the_count_and_say_so(app):
    """With the automatic option the comparison runs as many replications as
    compare_until decides (at most the number given) and says how many, for which precision."""
    from sim.experiments.replications import compare_until

    at = _on(app, "compare")
    at.checkbox(key="keep.cmp.auto").check().run()
    at.number_input(key="keep.cmp.reps").set_value(30)
    at.number_input(key="keep.cmp.precision").set_value(25.0)
    at.button(key="cmp.run").click().run()
    _no_exception(at)
    files = [sim.load_scenario(Path(os.environ[SCENARIO_DIR_ENV]) / f"{n}.yaml") for n in ("tiny_a", "tiny_b")]
    _cmp, info = compare_until(files, ["tiny_a", "tiny_b"], 0, precision=0.25, cap=30)
    captions = "\n".join(c.value for c in at.caption) + "\n".join(w.value for w in at.warning)
    assert f"{info['reps_used']} replications chosen automatically for ±25 %" in captions \
        or f"Stopped at {info['reps_used']} replications" in captions, captions
    assert _frame(at, t("col.target", "en")).shape[0] == 6


def test_the_same_comparison_is_computed_once(app, monkeypatch):
    """Running the same comparison again (or rerunning the page) takes it from the cache:
    the library is called once."""
    from sim.ui import runs

    calls = []
    real = runs.run_comparison
    monkeypatch.setattr(runs, "run_comparison", lambda *a, **k: calls.append(a) or real(*a, **k))
    at = _on(app, "compare")
    at.number_input(key="keep.cmp.reps").set_value(3)
    at.sidebar.number_input(key="keep.seed").set_value(17)
    at.button(key="cmp.run").click().run()
    at.button(key="cmp.run").click().run()
    at.run()
    _no_exception(at)
    assert len(calls) == 1
    assert _frame(at, t("col.target", "en")).shape[0] == 6


def test_language_switch_keeps_edits(app):
    """An edit made in English is still there after switching to Chinese and back from
    another page."""
    at = app
    field = [w for w in at.number_input if w.key.endswith("demand.visitors_per_day")][0]
    field.set_value(77.0).run()
    at.sidebar.radio(key="lang").set_value("zh").run()
    at.switch_page("sim/ui/pages/compare.py").run()
    at.switch_page("sim/ui/pages/scenario.py").run()
    field = [w for w in at.number_input if w.key.endswith("demand.visitors_per_day")][0]
    assert field.value == 77.0


def test_issuance_page_runs_a_scenario_with_an_issuance_section(app):
    """The Issuance page offers only the scenarios with an issuance section (the tiny halls,
    not the embedded default hall) and runs one."""
    at = _on(app, "issuance")
    box = at.selectbox(key="keep.is.pick")
    assert [o.split()[0] for o in box.options] == ["tiny_a", "tiny_b"]
    at.number_input(key="keep.is.reps").set_value(2)
    at.button(key="is.run").click().run()
    _no_exception(at)
    assert not _frame(at, t("col.kpi", "en"), t("col.value", "en"), t("col.n", "en")).empty


def test_staffing_page_proposes_windows_per_block(app):
    """The staffing search runs from the page and shows one row per time block with the
    windows it proposes, and a chart."""
    at = _on(app, "staffing")
    at.selectbox(key="keep.st.pick").set_value("file:tiny_a.yaml")
    at.number_input(key="keep.st.reps").set_value(2)
    at.number_input(key="keep.st.days").set_value(1)
    at.button(key="st.run").click().run()
    _no_exception(at)
    blocks = _frame(at, t("stc.verdict", "en"), t("stc.block_start", "en"), t("stc.block_end", "en"))
    assert list(blocks.iloc[:, 1]) == ["09:00", "10:00", "11:00"]
    assert (blocks[t("stc.windows", "en")].astype(int) >= 1).all()
    assert len(at.get("vega_lite_chart")) == 1 and not at.image
    roster = _frame(at, t("col.name", "en"), t("col.a_post", "en"))
    assert {"wang", "li", "zhao"} <= set(roster[t("col.name", "en")])
    assert all(p == "floater" or p.startswith("W") for p in roster[t("col.a_post", "en")])


def test_batch_page_plots_a_sweep_folder(app, tmp_path):
    """A sweep's result folder opens on the Batch page: the KPI against the swept parameter
    is drawn and the SLA verdicts per point are listed in words."""
    base = sim.load_scenario_text(yaml.safe_dump(TINY), "tiny")
    sweep(base, {"demand.visitors_per_day": [20, 40]}, reps=2, out=tmp_path / "sw", workers=1)
    at = _on(app, "batch")
    at.text_input(key="keep.bt.folder").set_value(str(tmp_path / "sw")).run()
    _no_exception(at)
    assert not at.error
    assert len(at.get("vega_lite_chart")) == 1 and not at.image
    matrix = _frame(at, t("col.point", "en"), "demand.visitors_per_day", t("bt.met", "en"))
    assert list(matrix[t("col.point", "en")]) == ["p000", "p001"]
    assert list(matrix["demand.visitors_per_day"]) == ["20", "40"]  # not 20.000000
    assert all(re.fullmatch(r"[0-6]/[0-6]", cell) for cell in matrix[t("bt.met", "en")])
    assert set(matrix.iloc[0, 3:]) <= {"✔", "✘", "?", "–"}
    at.text_input(key="keep.bt.folder").set_value(str(tmp_path)).run()
    _no_exception(at)
    assert "manifest.json" in "\n".join(e.value for e in at.error)
    at.sidebar.radio(key="lang").set_value("zh").run()
    _no_exception(at)
    assert "不是参数扫描结果文件夹" in "\n".join(e.value for e in at.error)


# ------------------------------------------------------------------ helpers
def test_editor_tables_round_trip_to_the_same_scenario():
    """Windows, roster and profile shown as tables and read back, unedited, give the same
    scenario (fields the tables do not show are kept)."""
    base = sim.load_scenario("scenarios/county_hall.yaml")
    staff, problems = editor.staff_from_frame(editor.staff_frame(base), base)
    overrides = {"windows": editor.windows_from_frame(editor.windows_frame(base), base), "staff": staff,
                 "demand.hourly_profile": editor.profile_from_frame(editor.profile_frame(base))}
    edited, problems = editor.apply_edits(base, overrides, "county_hall")
    assert problems == []
    assert edited == base


def test_editor_reports_unreadable_breaks_and_invalid_cells_by_field_path():
    """A break written wrongly and a shift end before its start are named by field path."""
    base = sim.load_scenario("scenarios/county_hall.yaml")
    frame = editor.staff_frame(base)
    frame.loc[0, "breaks"] = "noon"
    frame.loc[1, "shift_end"] = "07:00"
    staff, cells = editor.staff_from_frame(frame, base)
    edited, problems = editor.apply_edits(base, {"staff": staff}, "x", cells)
    assert edited is None
    paths = [p for p, _ in problems]
    assert "staff.0.breaks" in paths and any(p.startswith("staff.1.shift") for p in paths)
    assert editor.problems_under(problems, ["staff"]) == problems
    assert editor.problems_under(problems, ["windows"]) == []


def test_parse_breaks():
    """Breaks read as HH:MM/minutes separated by commas; anything else names the part."""
    assert editor.parse_breaks("11:30/45, 9:00/10") == [{"start": "11:30", "duration_min": 45.0},
                                                        {"start": "09:00", "duration_min": 10.0}]
    assert editor.parse_breaks(None) == []
    with pytest.raises(ValueError, match="'lunch'"):
        editor.parse_breaks("11:30/45, lunch")


def test_edited_yaml_loads_back_as_a_scenario_file(tmp_path):
    """The YAML the Scenario page downloads is a complete scenario file that loads back
    equal and that ``hallsim validate`` (the loader of ``hallsim run``) accepts."""
    base = sim.load_scenario("scenarios/county_hall.yaml")
    edited, _ = editor.apply_edits(base, {"demand.visitors_per_day": 99.0, "devices.instant_printers.count": 3}, "x")
    path = tmp_path / "v.yaml"
    path.write_text(sim.scenario_to_yaml(edited), encoding="utf-8")
    assert sim.load_scenario(path) == edited
    assert sim.load_scenario(path).demand.visitors_per_day == 99.0
    from typer.testing import CliRunner

    from sim.cli.main import app as cli

    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 0 and "OK" in res.output


def test_scorecard_and_differences_of_a_comparison():
    """The scorecard has one row per judged target and a verdict per scenario; the
    differences frame marks intervals that exclude 0 as clear."""
    base = sim.load_scenario_text(yaml.safe_dump(TINY), "a")
    busy = sim.with_overrides(base, {"demand.visitors_per_day": 200.0})
    cmp = sim.compare([base, busy], ["a", "b"], reps=3, workers=1, tables=False)
    shown, codes = scorecards.scorecard(cmp)
    assert list(shown.columns)[1:] == ["a", "b"] and len(shown) == len(cmp.sla) // 2
    assert set(codes["b"]) <= {"met", "not met", "uncertain", "no data"}
    diff, marks = scorecards.differences(cmp)
    row = diff[diff.iloc[:, 0] == kpi_label("visitors_per_day", "en")]
    assert marks.loc[row.index[0], "b"] == "clear"



def test_every_ui_string_and_code_has_both_languages():
    """Each dashboard string and code name exists in English and Chinese, and the Chinese
    uses the hall's terms."""
    for key, value in UI.items():
        assert set(value) == {"en", "zh"} and all(value.values()), key
    for kind in CODES.values():
        for code, value in kind.items():
            assert set(value) == {"en", "zh"}, code
    assert code_label("kind", "green", "zh") == "绿色通道"
    assert "立等可取" in code_label("service", "instant_issue", "zh")
    assert "AB岗" in t("ed.staff", "zh") and "空窗" in t("fig.util", "zh")
    assert code_label("service", "my_own_service", "zh") == "my_own_service"


def test_hallsim_ui_runs_streamlit_on_the_packaged_entry():
    """``hallsim ui`` runs ``streamlit run`` on sim/ui/app_main.py, which exists in the
    package; a bad port is refused with exit code 2."""
    from typer.testing import CliRunner

    from sim.cli.main import app as cli
    from sim.cli.ui import APP_MAIN, streamlit_command

    cmd = streamlit_command(port=8600, headless=True)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == str(APP_MAIN) and APP_MAIN.is_file()
    assert "--server.port" in cmd and "8600" in cmd and "--server.headless" in cmd
    res = CliRunner().invoke(cli, ["ui", "--port", "0"])
    assert res.exit_code == 2 and "--port" in res.output


# ------------------------------------------------------------------ the answer at a glance (issue 15)
def _order(at: AppTest) -> list:
    return list(_walk(at.main))


def _boxes(at: AppTest) -> list[str]:
    return [e.value for e in _order(at) if e.type in ("success", "warning", "info")]


def _run_page(app, page: str, lang: str) -> AppTest:
    """``page`` in ``lang`` after its run button was pressed (2 replications)."""
    at = _on(app, page, lang)
    if page == "compare":
        at.number_input(key="keep.cmp.reps").set_value(2)
        at.button(key="cmp.run").click().run()
    elif page == "scenario":
        at.number_input(key="keep.sc.reps").set_value(2)
        at.button(key="sc.run").click().run()
    elif page == "issuance":
        at.number_input(key="keep.is.reps").set_value(2)
        at.button(key="is.run").click().run()
    elif page == "staffing":
        at.selectbox(key="keep.st.pick").set_value("file:tiny_a.yaml")
        at.number_input(key="keep.st.reps").set_value(2)
        at.number_input(key="keep.st.days").set_value(1)
        at.button(key="st.run").click().run()
    _no_exception(at)
    return at


def _expected_headline(at: AppTest, page: str, lang: str) -> str:
    from sim.results.verdict import headline

    value = at.session_state["results"][page]["value"]
    if page == "compare":
        return headline(value.names[0], value.sla[value.sla["scenario"] == value.names[0]], lang)
    if page == "staffing":
        return headline(t("gl.staffing", lang) + value.scenario.hall.name, value.result.sla, lang)
    if page == "issuance":
        return headline(value.scenario.hall.name, value.sla, lang)
    return headline(at.session_state["results"][page]["name"], value.sla, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", ["scenario", "compare", "issuance", "staffing"])
def test_every_result_page_opens_with_its_headline(app, page, lang):
    """After a run, the first box on the page is the verdict headline of sim.results.verdict
    in the page's language, above the page's own inputs (its run button)."""
    at = _run_page(app, page, lang)
    order = _order(at)
    first_box = next(i for i, e in enumerate(order) if e.type in ("success", "warning", "info"))
    button = next(i for i, e in enumerate(order) if getattr(e, "key", None) in ("sc.run", "cmp.run", "is.run", "st.run"))
    assert first_box < button
    assert _expected_headline(at, page, lang) in order[first_box].value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_shows_advice_and_what_changes_against_the_baseline(app, lang):
    """The baseline's headline carries what to try for each missed target, and what changes
    in the other scenario against it follows (sim.results.verdict's own sentences)."""
    from sim.results.formatting import COMPARE_KPIS
    from sim.results.verdict import advice, comparison_headline

    at = _run_page(app, "compare", lang)
    cmp = at.session_state["results"]["compare"]["value"]
    first = _boxes(at)[0]
    base_sla = cmp.sla[cmp.sla["scenario"] == cmp.names[0]]
    for tip in advice(base_sla, cmp.results[0].summary, lang):
        assert tip.sentence(lang) in first
    shown = "\n".join(m.value for m in at.markdown)
    lines = comparison_headline(cmp.table, cmp.sla, COMPARE_KPIS, lang)
    assert lines and all(line in shown for line in lines)


def test_scenario_results_sit_above_the_editor_and_a_what_if_shows_before_and_after(app):
    """An edited draft runs against the file it came from: the headline of the edit, then the
    paired differences (baseline the file, Δ for the draft) — all above the editor."""
    at = app
    field = [w for w in at.number_input if w.key.endswith("demand.visitors_per_day")][0]
    field.set_value(80.0).run()
    assert at.button(key="sc.run").label == t("sc.run_whatif", "en")
    at.number_input(key="keep.sc.reps").set_value(2)
    at.button(key="sc.run").click().run()
    _no_exception(at)
    cmp = at.session_state["results"]["scenario"]["value"]
    assert list(cmp.names) == ["tiny_a", "tiny_a_edited"]
    diff = _frame(at, t("col.kpi", "en"), "tiny_a", "tiny_a_edited")
    visitors = diff.set_index(diff.columns[0]).loc[kpi_label("visitors_per_day", "en"), "tiny_a_edited"]
    assert visitors.startswith("Δ +")
    order = _order(at)
    editor_at = next(i for i, e in enumerate(order) if e.type == "header" and e.value == t("ed.title", "en"))
    headline_at = next(i for i, e in enumerate(order) if e.type in ("success", "warning") and "tiny_a_edited" in e.value)
    table_at = next(i for i, e in enumerate(order) if e.type == "table")
    assert headline_at < table_at < editor_at


def test_batch_page_opens_with_how_many_points_meet_every_target(app, tmp_path):
    """The Batch page's first box says how many design points meet every judged target and
    names the best; the matrix counts the targets met per point."""
    from sim.ui.pages.batch import batch_headline, verdict_matrix

    base = sim.load_scenario_text(yaml.safe_dump(TINY), "tiny")
    result = sweep(base, {"demand.visitors_per_day": [20, 40]}, reps=2, out=tmp_path / "sw", workers=1)
    at = _on(app, "batch", "zh")
    at.text_input(key="keep.bt.folder").set_value(str(tmp_path / "sw")).run()
    _no_exception(at)
    assert _boxes(at)[0] == f"**{batch_headline(result.sla, ['demand.visitors_per_day'], 'zh')}**"
    shown, codes = verdict_matrix(result.sla, ["demand.visitors_per_day"], "en")
    per_point = result.sla[result.sla["verdict"] != "no data"].groupby("point")["verdict"]
    assert list(shown[t("bt.met", "en")]) == [f"{(v == 'met').sum()}/{len(v)}" for _, v in per_point]


def test_language_and_scenarios_come_from_the_url_and_go_back_into_it(scenario_dir, monkeypatch):
    """A shared link ?lang=zh&pick=tiny_b&pick=tiny_a opens the Compare page in Chinese with
    those scenarios in that order; the choice is written back into the URL."""
    monkeypatch.setenv(SCENARIO_DIR_ENV, str(scenario_dir))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.query_params["pick"] = ["tiny_b", "tiny_a"]
    at.run()
    at.switch_page("sim/ui/pages/compare.py").run()
    _no_exception(at)
    assert at.title[0].value == t("page.compare", "zh")
    assert at.multiselect(key="keep.cmp.pick").value == ["file:tiny_b.yaml", "file:tiny_a.yaml"]
    at.multiselect(key="keep.cmp.pick").unselect("file:tiny_b.yaml").run()
    assert at.query_params["pick"] in ("tiny_a", ["tiny_a"]) and at.query_params["lang"] == "zh"


def test_scenario_page_writes_its_scenario_into_the_url(app):
    """Picking another file puts it into the URL (?scenario=tiny_b), with the language."""
    at = app
    at.selectbox(key="keep.sc.pick.file").set_value("file:tiny_b.yaml").run()
    assert at.query_params["scenario"] == "tiny_b" and at.query_params["lang"] == "en"


def test_problem_messages_name_fields_by_their_labels(app):
    """A problem under a field names it in words ("Visitors per day"), not by its dotted path."""
    at = app
    field = [w for w in at.number_input if w.key.endswith("demand.visitors_per_day")][0]
    field.set_value(0.0).run()
    messages = "\n".join(e.value for e in at.error)
    assert t("ed.demand.visitors", "en") in messages and "demand.visitors_per_day" not in messages


def test_staffing_tables_read_in_chinese(app):
    """In Chinese the proposed roster names posts in words (机动 for floater) and the blocks
    table shows rounded numbers, its verdict first."""
    at = _run_page(app, "staffing", "zh")
    roster = _frame(at, t("col.name", "zh"), t("col.a_post", "zh"))
    assert "机动" in set(roster[t("col.a_post", "zh")]) and "floater" not in set(roster[t("col.a_post", "zh")])
    blocks = _frame(at, t("stc.verdict", "zh"))
    assert all(re.fullmatch(r"\d+\.\d", v) for v in blocks[t("stc.arrivals_per_hour", "zh")])
    assert all(v.split()[-1] in {verdict_label(x, "zh") for x in ("met", "not met", "uncertain", "no data")}
               for v in blocks[t("stc.verdict", "zh")])


def test_every_chart_has_hover_tooltips(app):
    """Every chart with data on the Compare page carries tooltips (hover values); one
    without data (the tiny halls issue no cards on the spot) says so instead."""
    import json

    at = _run_page(app, "compare", "en")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 8
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        if spec.get("mark", {}).get("type") == "text":
            assert "no data" in str(chart.proto), spec.get("title")  # the text of its Arrow data
            continue
        assert "tooltip" in json.dumps(spec), spec.get("title")


def test_path_labels_of_problem_messages():
    """Field paths read as the editor's labels, rows of a list as "row n", others in words."""
    assert editor.path_label("demand.visitors_per_day") == t("ed.demand.visitors", "en")
    assert editor.path_label("windows.0.services", "zh") == "窗口 · 第 1 行 · 可办业务"
    assert editor.path_label("demand.service_mix", "en") == "service mix"
    assert editor.path_label("hall.opening_hours.mon.open") == "open"


def test_charts_draw_the_numbers_of_the_plots_data_functions():
    """The queue chart's data are sim.plots.hall.queue_data's; the target is a rule."""
    from sim.plots.hall import queue_data, waits_by_hour_data
    from sim.ui import charts

    res = sim.simulate(sim.load_scenario_text(yaml.safe_dump(TINY), "tiny"), reps=2, workers=1)
    frame = queue_data({"tiny": res})
    spec = charts.queue_chart(frame, ["tiny"], False, "en").to_dict()
    values = next(iter(spec["datasets"].values()))
    assert [v["mean"] for v in values] == list(frame["mean"])
    spec = charts.waits_by_hour_chart(waits_by_hour_data({"tiny": res}), ["tiny"], False, 20.0, "zh").to_dict()
    assert any(layer.get("mark", {}).get("type") == "rule" and layer["mark"].get("color") for layer in spec["layer"])
    assert "目标 20 分钟" in str(spec["datasets"])


def test_the_hall_s_day_is_animated_on_request(app):
    """After a run, the Scenario page animates a sample day on request (a Plotly chart with
    frames) and offers it as a self-contained HTML file."""
    pytest.importorskip("vidigi")
    at = _run_page(app, "scenario", "en")
    assert not at.get("plotly_chart")
    at.button(key="an.run").click().run()
    _no_exception(at)
    chart = at.get("plotly_chart")
    assert len(chart) == 1 and '"frames"' in chart[0].proto.spec
    assert any(b.key == "an.dl" for b in at.get("download_button"))
