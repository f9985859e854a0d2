"""The Roster page under Streamlit's AppTest: a tiny hall, one replication of one day."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from sim.ui.state import SCENARIO_DIR_ENV
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
    monkeypatch.setenv(SCENARIO_DIR_ENV, str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["keep.workers"] = 1
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
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == t("page.roster", "zh")
