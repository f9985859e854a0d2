"""The Roster page under Streamlit's AppTest: a tiny hall, one replication of one day."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dashboard import dashboard
from streamlit.testing.v1 import AppTest

from sim.ui.text import t

APP = Path(__file__).resolve().parents[2] / "app.py"

TINY = {
    "hall": {"name": "Tiny hall", "level": "county", "floor_area_m2": 40,
             "opening_hours": {"mon": {"open": "09:00", "close": "13:00"}},
             "lunch": {"mode": "staggered", "start": "11:00", "end": "13:00"}},
    "windows": [{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
    "staff": [{"name": "wang", "a_post": "W1", "b_post": "W2", "shift": {"start": "09:00", "end": "13:00"}},
              {"name": "li", "a_post": "W2", "b_post": "W1", "shift": {"start": "09:00", "end": "13:00"}},
              {"name": "zhao", "a_post": "floater", "b_post": "W1", "shift": {"start": "09:00", "end": "13:00"}}],
    "demand": {"visitors_per_day": 20, "service_mix": {"consult": 1}},
    "services": {"consult": {"window_time": {"dist": "exponential", "mean": 3}}},
    "policies": {"green_channel": {"mode": "none"}},
    "run": {"days": 1, "replications": 1},
}


@pytest.fixture()
def app(tmp_path, monkeypatch) -> AppTest:
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    at = dashboard(tmp_path, monkeypatch, 120)
    return at.run()


def test_roster_page_proposes_a_roster_with_its_verdicts(app):
    """From the page: the roster runs and shows the requirement per period, the people
    (today's staff, each with a B post), a Gantt chart and the verdicts; titled in
    English and Chinese."""
    at = app.switch_page("sim/ui/pages/roster.py").run()
    assert not at.exception and at.title[0].value == t("page.roster", "en")
    at.number_input(key="keep.ro.reps").set_value(1)
    at.number_input(key="keep.ro.days").set_value(1)
    at.number_input(key="keep.ro.rounds").set_value(1)
    at.button(key="ro.run").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    frames = [d.value for d in at.dataframe]
    req = next(f for f in frames if "required" in f.columns)
    assert list(req["period_start"])[:2] == ["09:00", "09:30"] and (req["required"] >= 1).all()
    people = next(f for f in frames if "a_post" in f.columns)
    assert set(people["name"]) <= {"wang", "li", "zhao"} and people["b_post"].notna().all()
    assert len(at.image) == 1 and at.info
    assert any("the roster" in i.value for i in at.info)
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == t("page.roster", "zh")
    # the results shown again, the verdict in Chinese
    assert not any("the roster" in i.value for i in at.info) and any("排班" in i.value for i in at.info)


def test_a_chinese_figure_says_so_when_the_server_has_no_cjk_font(monkeypatch):
    """show_figure in Chinese on a server without a CJK font: a caption says the labels show
    as boxes and how to install a font; with the font, no caption."""
    from streamlit.testing.v1 import AppTest

    def page():
        import matplotlib.figure

        from sim.ui.figures import show_figure

        show_figure(("t",), "fig", "title", lambda: matplotlib.figure.Figure(), "zh")

    import sim.plots.style as style

    monkeypatch.setattr(style, "cjk_font", lambda lang="zh": None)
    at = AppTest.from_function(page).run()
    assert any("fonts-noto-cjk" in c.value for c in at.caption)
    monkeypatch.setattr(style, "cjk_font", lambda lang="zh": "Noto Sans CJK SC")
    at = AppTest.from_function(page).run()
    assert not any("fonts-noto-cjk" in c.value for c in at.caption)


def test_roster_rules_are_edited_on_the_page(app):
    """The page's rules: a lunch window that ends before it starts is shown as an error
    naming the rule (nothing runs); shifts of 2 to 3 hours go into the roster proposed
    (on the 4-hour day, the default 4-hour shortest shift would give longer ones)."""
    at = app.switch_page("sim/ui/pages/roster.py").run()
    at.text_input(key="keep.ro.rule.lunch_window").input("13:00-12:00").run()
    assert any("lunch_window" in e.value for e in at.error) and not at.exception
    at.text_input(key="keep.ro.rule.lunch_window").input("").run()
    at.number_input(key="keep.ro.rule.min_shift_min").set_value(120).run()
    at.number_input(key="keep.ro.rule.max_shift_min").set_value(180).run()
    for key, value in (("keep.ro.reps", 1), ("keep.ro.days", 1), ("keep.ro.rounds", 1)):
        at.number_input(key=key).set_value(value)
    at.button(key="ro.run").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    people = next(d.value for d in at.dataframe if "a_post" in d.value.columns)
    assert len(people) >= 1 and (people["hours"] <= 3.5).all()  # 3 hours at most, with the lead and stay minutes
