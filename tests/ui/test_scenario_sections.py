"""The Scenario page's optional sections — appointments, later steps, home visits — and the
week's roster, on the shipped county-hall variants, under Streamlit's AppTest; and the pure
helpers behind them (sim.ui.visit_editor, sim.ui.week).

Runs are kept short: one replication of the scenario as shipped, or a what-if whose edited
side simulates one day.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from dashboard import dashboard, in_language
from streamlit.testing.v1 import AppTest

import sim
from sim.ui import editor, visit_editor, week
from sim.ui.scorecards import kpi_row_label
from sim.ui.text import UI, code_label, t

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
FILES = ("county_hall", "county_hall_appointments", "county_hall_bank_step", "county_hall_home_visits",
         "county_hall_helpers")


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory) -> Path:
    """The shipped county hall and its three variants using the sections, as shipped."""
    folder = tmp_path_factory.mktemp("scenarios")
    for name in FILES:
        shutil.copy(ROOT / "scenarios" / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


@pytest.fixture
def app(scenario_dir, monkeypatch) -> AppTest:
    at = dashboard(scenario_dir, monkeypatch, 120)
    return at.run()


def _open(at: AppTest, name: str, lang: str = "en") -> AppTest:
    at = in_language(at, lang)
    at.selectbox(key="keep.sc.pick.file").set_value(f"file:{name}.yaml").run()
    _no_exception(at)
    return at


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def _widget(items, path: str):
    """The editor's widget of field ``path`` (keys end in ``.<path>``)."""
    hits = [w for w in items if w.key and w.key.endswith(f".{path}") and w.key.startswith("keep.ed.")]
    assert hits, f"no widget for {path}"
    return hits[0]


def _editor_table(at: AppTest, name: str):
    hits = [d for d in at.data_editor if d.key and d.key.endswith(f".{name}")]
    assert hits, f"no table {name}"
    return hits[0]


def _edit_cells(at: AppTest, name: str, rows: dict[int, dict]) -> AppTest:
    """Edit cells of the editor's table ``name`` as the browser would, and rerun."""
    key = _editor_table(at, name).key
    at.session_state[key] = {"edited_rows": {str(i): cells for i, cells in rows.items()}, "added_rows": [],
                             "deleted_rows": []}
    return at.run()


def _walk(node):
    for _, child in sorted(getattr(node, "children", {}).items()):
        if getattr(child, "children", None):
            yield from _walk(child)
        else:
            yield child


def _after(at: AppTest, key: str):
    """The element drawn right after the widget or table with ``key``."""
    order = list(_walk(at.main))
    i = next(i for i, e in enumerate(order) if getattr(e, "key", None) == key)
    return next(e for e in order[i + 1:] if e.type != "empty")


def _key_figures(at: AppTest, lang: str) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe
              if list(d.value.columns[:2]) == [t("col.kpi", lang), t("col.value", lang)]]
    assert frames, "no key figures"
    return frames[-1]


def _run(at: AppTest, reps: int = 1) -> AppTest:
    at.number_input(key="keep.sc.reps").set_value(reps)
    at.button(key="sc.run").click().run()
    _no_exception(at)
    return at


# ------------------------------------------------------------------ AppTest
def test_untouched_scenarios_save_byte_identical(app):
    """Each shipped county hall (with and without the new sections) opened and saved
    without touching a widget gives exactly the scenario's canonical YAML: the sections
    that are off stay absent, those that are on keep every value."""
    at = app
    for name in FILES:
        _open(at, name)
        assert not at.error
        assert at.button(key="sc.run").label == t("sc.run", "en"), f"{name}: an untouched draft is not a what-if"
        at.button(key="sc.save").click().run()
        saved = at.session_state["variants"][f"{name}_edited"]
        assert saved == sim.scenario_to_yaml(sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml")), name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sections_show_the_scenario_s_values(app, lang):
    """The appointments, steps and home-visit sections show what each file says, labelled
    in the page's language; the county hall has them off."""
    at = _open(app, "county_hall", lang)
    assert _widget(at.toggle, "appointments").value is False
    assert _widget(at.toggle, "home_visits").value is False
    assert _widget(at.multiselect, "steps.services").value == []
    assert t("ed.appt", lang) in [e.label for e in at.expander]

    at = _open(at, "county_hall_appointments")
    assert _widget(at.toggle, "appointments").value is True
    assert _widget(at.toggle, "appointments").label == t("ed.appt.on", lang)
    assert _widget(at.number_input, "appointments.slot_min").value == 15.0
    assert _widget(at.number_input, "appointments.no_show_rate").value == 0.1
    assert _widget(at.text_input, "appointments.punctuality.late").value == "{dist: exponential, mean: 5.0}"
    booked = _editor_table(at, "booked").value
    assert dict(zip(booked["service"], booked["booked_share"]))["replace"] == 0.3
    assert list(booked["service"][:3]) == ["apply", "instant_issue", "replace"]

    at = _open(at, "county_hall_bank_step")
    assert _widget(at.multiselect, "steps.services").value == ["instant_issue", "replace"]
    steps = _editor_table(at, "steps.replace").value
    assert list(steps["name"]) == ["bank_activation"] and list(steps["window_kind"]) == ["bank"]
    assert list(steps["time"]) == ["{dist: lognormal, mean: 3.0, cv: 0.4}"]

    at = _open(at, "county_hall_home_visits")
    assert _widget(at.multiselect, "home_visits.staff").value == ["zhao_lei"]
    assert _widget(at.text_input, "home_visits.at").value == "10:00, 14:30"
    assert _widget(at.radio, "home_visits.rule").value == "covered"
    assert _widget(at.number_input, "home_visits.requests_per_week").label == t("ed.home.requests", lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_raising_the_booked_share_and_running_shows_the_booked_kpis(app, lang):
    """On the appointments hall, a higher booked share for applications (one simulated day)
    runs as a what-if against the file, and the key figures carry booked and walk-in waits
    and the booked share; the saved variant books 60 % of applications."""
    at = _open(app, "county_hall_appointments", lang)
    at = _edit_cells(at, "booked", {0: {"booked_share": 0.6}})
    _widget(at.number_input, "run.days").set_value(1).run()
    _no_exception(at)
    assert not at.error
    assert at.button(key="sc.run").label == t("sc.run_whatif", lang)
    _run(at)
    shown = set(_key_figures(at, lang).iloc[:, 0])
    for kpi, group in [("wait_p90_min", "booked"), ("wait_mean_min", "walk_in"), ("booked_share", "booked"),
                       ("no_show_rate", "booked")]:
        assert kpi_row_label(kpi, group, lang) in shown, (kpi, group)
    at.button(key="sc.save").click().run()
    saved = sim.load_scenario_text(at.session_state["variants"]["county_hall_appointments_edited"])
    assert saved.appointments.booked_share["apply"] == 0.6 and saved.run.days == 1


def test_switching_appointments_on_in_the_county_hall_adds_the_booked_kpis(app):
    """The county hall's results have no booked rows; switching appointments on and booking
    half the applications gives them (a what-if on one day)."""
    at = _open(app, "county_hall")
    _widget(at.number_input, "run.days").set_value(1).run()
    _run(at)
    assert kpi_row_label("wait_p90_min", "booked", "en") not in set(_key_figures(at, "en").iloc[:, 0])
    _widget(at.toggle, "appointments").set_value(True).run()
    row = list(_editor_table(at, "booked").value["service"]).index("apply")
    at = _edit_cells(at, "booked", {row: {"booked_share": 0.5}})
    assert not at.error
    _run(at)
    shown = set(_key_figures(at, "en").iloc[:, 0])
    assert kpi_row_label("wait_p90_min", "booked", "en") in shown
    assert kpi_row_label("wait_p90_min", "walk_in", "en") in shown


@pytest.mark.parametrize("name, kpis", [
    ("county_hall_bank_step", ["transfers_per_day", "transfer_wait_mean_min"]),
    ("county_hall_home_visits", ["home_visits_per_day", "home_visits_pending"]),
])
def test_feature_kpis_show_only_for_the_scenario_using_the_feature(app, name, kpis):
    """The transfer and home-visit KPIs are among the key figures of the scenario that has
    the feature, and not among the county hall's."""
    at = _open(app, name)
    _run(at)
    shown = set(_key_figures(at, "en").iloc[:, 0])
    assert all(kpi_row_label(k, "all", "en") in shown for k in kpis), shown
    _open(at, "county_hall")
    _run(at)
    shown = set(_key_figures(at, "en").iloc[:, 0])
    assert not any(kpi_row_label(k, "all", "en") in shown for k in kpis)


@pytest.mark.parametrize("lang, said", [("en", "greater than 0"), ("zh", "应大于 0")])
def test_a_bad_slot_length_is_said_under_its_field(app, lang, said):
    """A slot of 0 minutes shows its problem right under the slot field (not under the
    section's switch), in the page's language, and saving is disabled."""
    at = _open(app, "county_hall_appointments", lang)
    field = _widget(at.number_input, "appointments.slot_min")
    field.set_value(0.0).run()
    _no_exception(at)
    below = _after(at, field.key)
    assert below.type == "error" and said in below.value and t("ed.appt.slot", lang) in below.value
    assert at.button(key="sc.save").disabled
    assert _after(at, _widget(at.toggle, "appointments").key).type != "error"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unreadable_and_invalid_section_values_are_said_under_their_widgets(app, lang):
    """A trip that is not a distribution, a dispatch time 25:00, a booked share of 1.5 and a
    step without window each show under their own widget or table, naming the row."""
    at = _open(app, "county_hall_home_visits", lang)
    trip = _widget(at.text_input, "home_visits.trip")
    trip.set_value("lognormal 90").run()
    below = _after(at, trip.key)
    assert below.type == "error" and "{dist: lognormal, mean: 3, cv: 0.4}" in below.value
    assert ("分布的写法" in below.value) == (lang == "zh")
    trip.set_value("{dist: lognormal, mean: 90, cv: 0.3}")
    clocks = _widget(at.text_input, "home_visits.at")
    clocks.set_value("10:00, 25:00").run()
    below = _after(at, clocks.key)
    assert below.type == "error" and "25:00" in below.value

    at = _open(at, "county_hall_appointments")
    at = _edit_cells(at, "booked", {0: {"booked_share": 1.5}})
    below = _after(at, _editor_table(at, "booked").key)
    assert below.type == "error" and code_label("service", "apply", lang) in below.value and "1.5" in below.value

    at = _open(at, "county_hall_bank_step")
    at = _edit_cells(at, "steps.replace", {0: {"window_kind": None}})
    below = _after(at, _editor_table(at, "steps.replace").key)
    assert below.type == "error" and t("ed.row", lang, n=1) in below.value and "window_kind" in below.value
    assert at.button(key="sc.save").disabled


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_helpers_section_shows_the_file_and_its_changes_reach_the_run(app, lang):
    """Accompanied service: the section shows the helpers file's values (off in the county
    hall); a larger share of the elderly asking, run as a what-if, shows helped visits among
    the key figures; a patience that is not a distribution is said under its widget."""
    at = _open(app, "county_hall", lang)
    assert _widget(at.toggle, "helpers").value is False
    at = _open(at, "county_hall_helpers")
    shipped = sim.load_scenario(ROOT / "scenarios" / "county_hall_helpers.yaml").helpers
    ask = _widget(at.number_input, "helpers.ask_share")
    assert ask.value == pytest.approx(shipped.ask_share) and ask.label == t("ed.help.ask", lang)
    patience = _widget(at.text_input, "helpers.patience")
    patience.set_value("ten minutes").run()
    below = _after(at, patience.key)
    assert below.type == "error"
    _widget(at.text_input, "helpers.patience").set_value("{dist: fixed, value: 10}")
    _widget(at.number_input, "helpers.ask_share").set_value(0.9).run()
    assert not at.error
    at.button(key="sc.save").click().run()
    saved = sim.load_scenario_text(at.session_state["variants"]["county_hall_helpers_edited"])
    assert saved.helpers.ask_share == pytest.approx(0.9)
    _run(at)
    figures = _key_figures(at, lang)
    assert kpi_row_label("helped_visits_per_day", "all", lang) in list(figures.iloc[:, 0])


def test_home_visits_switched_on_need_someone_to_go(app):
    """Switching home visits on in the county hall without choosing staff says, under the
    staff field, that someone must go; choosing the lead on duty makes the draft valid and
    the saved file has the section."""
    at = _open(app, "county_hall")
    _widget(at.toggle, "home_visits").set_value(True).run()
    staff = _widget(at.multiselect, "home_visits.staff")
    below = _after(at, staff.key)
    assert below.type == "error" and t("ed.home.staff", "en") in below.value
    staff.set_value(["zhao_lei"]).run()
    _no_exception(at)
    assert not at.error
    at.button(key="sc.save").click().run()
    saved = sim.load_scenario_text(at.session_state["variants"]["county_hall_edited"])
    assert saved.home_visits.staff == ["zhao_lei"] and saved.home_visits.rule == "covered"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_week_shows_each_person_and_window_per_opening_weekday(app, lang):
    """The week's tables list every person and window with one column per opening weekday
    named in the page's language."""
    at = _open(app, "county_hall", lang)
    base = sim.load_scenario(ROOT / "scenarios" / "county_hall.yaml")
    days = [code_label("weekday", d, lang) for d in week.opening_weekdays(base)]
    assert len(days) == 5
    tables = {d.value.columns[0]: d.value for d in at.dataframe if list(d.value.columns[1:]) == days}
    assert list(tables[t("col.name", lang)].iloc[:, 0]) == [p.name for p in base.staff]
    assert list(tables[t("col.window", lang)].iloc[:, 0]) == base.window_ids()


# ------------------------------------------------------------------ helpers
def test_week_tables_show_weekday_changes():
    """A day off, a weekday's other post and shift, and a window closed on one weekday read
    as such in the week's tables."""
    base = sim.load_scenario(ROOT / "scenarios" / "county_hall.yaml")
    s = sim.with_overrides(base, {
        "staff.0.by_weekday": {"fri": None, "mon": {"a_post": "W3", "shift": {"start": "09:00", "end": "13:00"}}},
        "windows.1.hours_by_weekday": {"wed": [], "thu": [{"start": "09:00", "end": "12:00"}]},
    })
    assert week.varies_by_weekday(s) and not week.varies_by_weekday(base)
    staff = week.staff_week(s, "en").set_index("name")
    first = base.staff[0]
    assert staff.loc[first.name, "Friday"] == "day off"
    monday = staff.loc[first.name, "Monday"]
    assert monday.startswith("A post W3") and "09:00–13:00" in monday
    assert staff.loc[first.name, "Tuesday"] == f"A post {first.a_post} · B post {first.b_post} · " \
                                                f"{first.shift.start}–{first.shift.end}"
    windows = week.windows_week(s, "zh").set_index("窗口")
    wid = base.windows[1].id
    assert windows.loc[wid, "周三"] == "不开放" and windows.loc[wid, "周四"] == "09:00–12:00"
    assert windows.loc[wid, "周二"].endswith("（同大厅）")


def test_distribution_text_round_trips_and_names_what_it_cannot_read():
    """A distribution written by dist_text reads back to the same mapping, braces optional;
    text that is not a mapping raises the bilingual message."""
    hv = sim.load_scenario(ROOT / "scenarios" / "county_hall_home_visits.yaml").home_visits
    text = visit_editor.dist_text(hv.trip)
    assert text == "{dist: lognormal, mean: 90.0, cv: 0.3}"
    assert visit_editor.parse_dist(text) == hv.trip.model_dump(mode="json", by_alias=True)
    assert visit_editor.parse_dist("dist: fixed, value: 2") == {"dist": "fixed", "value": 2}
    assert visit_editor.parse_dist("  ") is None
    with pytest.raises(ValueError) as err:
        visit_editor.parse_dist("lognormal 90")
    assert "'lognormal 90'" in str(err.value) and "实际为" in err.value.args[0].in_lang("zh")


def test_a_distribution_of_another_kind_replaces_the_old_one_whole():
    """Changing a distribution's kind (lognormal -> fixed) leaves none of the old kind's
    fields behind (they would be unknown fields of the new kind)."""
    helpers = sim.load_scenario(ROOT / "scenarios" / "county_hall_helpers.yaml").helpers
    data, problems = visit_editor.section_from_fields("helpers", helpers, {"patience": "{dist: fixed, value: 10}"},
                                                      dists=("patience",))
    assert problems == [] and data["patience"] == {"dist": "fixed", "value": 10}


def test_section_from_fields_lays_widgets_over_the_section_and_keeps_a_bad_text_out():
    """Widget values nest by path over the scenario's section (fields the page does not show
    are kept); an unreadable distribution is a problem of its field and keeps the old value."""
    appt = sim.load_scenario(ROOT / "scenarios" / "county_hall_appointments.yaml").appointments
    data, problems = visit_editor.section_from_fields(
        "appointments", appt, {"slot_min": 30.0, "punctuality.early_share": 0.5, "punctuality.late": "oops"},
        dists=("punctuality.late",))
    assert data["slot_min"] == 30.0 and data["punctuality"]["early_share"] == 0.5
    assert data["punctuality"]["late"] == {"dist": "exponential", "mean": 5.0}
    assert data["booked_share"] == {"apply": 0.3, "instant_issue": 0.3, "replace": 0.3}
    assert [p for p, _ in problems] == ["appointments.punctuality.late"]
    data, problems = visit_editor.section_from_fields("home_visits", None, {"requests_per_week": 2.0, "staff": ["a"]})
    assert data == {"requests_per_week": 2.0, "staff": ["a"]} and problems == []


def test_booked_and_step_tables_round_trip():
    """The booked-share and steps tables read back unedited give the same section; a share
    set to 0 stays listed only if the scenario listed the service."""
    s = sim.load_scenario(ROOT / "scenarios" / "county_hall_appointments.yaml")
    frame = visit_editor.booked_frame(s)
    assert visit_editor.booked_from_frame(frame, s.appointments.booked_share) == dict(s.appointments.booked_share)
    frame.loc[frame["service"] == "apply", "booked_share"] = 0.0
    frame.loc[frame["service"] == "consult", "booked_share"] = 0.2
    shares = visit_editor.booked_from_frame(frame, s.appointments.booked_share)
    assert shares["apply"] == 0.0 and shares["consult"] == 0.2 and "collect" not in shares
    b = sim.load_scenario(ROOT / "scenarios" / "county_hall_bank_step.yaml")
    steps, problems = visit_editor.steps_from_frame(visit_editor.steps_frame(b.services["replace"]), "replace")
    assert problems == []
    edited, problems = editor.apply_edits(b, {"services.replace.steps": steps}, "x")
    assert problems == [] and edited == b
    frame = visit_editor.steps_frame(b.services["replace"])
    frame.loc[0, "time"] = "three minutes"
    _, problems = visit_editor.steps_from_frame(frame, "replace")
    assert [p for p, _ in problems] == ["services.replace.steps.0.time"]


def test_new_field_labels_name_dashboard_strings():
    """Every label the editor gives a field path is a dashboard string in both languages, so
    problem messages name the new sections' fields in words."""
    assert all(key in UI for key in editor.FIELD_LABELS.values())
    assert editor.path_label("appointments.booked_share.apply", "zh") == \
        f"{t('ed.appt.booked', 'zh')} · {code_label('service', 'apply', 'zh')}"
    assert editor.path_label("home_visits.trip.cv") == f"{t('ed.home.trip', 'en')} · cv"


def test_breaks_waiting_for_cover_and_rests_are_edited_on_the_scenario_page(app):
    """The staff section switches on breaks that wait for cover and rests (after 120 min,
    10 min long): the saved variant holds both policies; switched off again, the draft is
    the file as it was (no what-if left)."""
    at = _open(app, "county_hall")
    _widget(at.checkbox, "policies.breaks_wait_for_cover").check().run()
    _widget(at.checkbox, "policies.rests").check().run()
    _widget(at.number_input, "policies.rests.after_min").set_value(120.0).run()
    _widget(at.number_input, "policies.rests.length_min").set_value(10.0).run()
    _no_exception(at)
    assert not at.error
    at.button(key="sc.save").click().run()
    saved = sim.load_scenario_text(at.session_state["variants"]["county_hall_edited"], "<saved>")
    assert saved.policies.breaks_wait_for_cover
    assert (saved.policies.rests.after_min, saved.policies.rests.length_min) == (120.0, 10.0)
    _widget(at.checkbox, "policies.breaks_wait_for_cover").uncheck().run()
    _widget(at.checkbox, "policies.rests").uncheck().run()
    assert at.button(key="sc.run").label == t("sc.run", "en")
