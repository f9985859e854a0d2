"""The dashboard's Network page under Streamlit's AppTest: a tiny network in
``HALLSIM_SCENARIOS/network/`` (points A and B 1 km either side of one zone, a candidate
site), simulated with 2 replications; the circle, the map and its colour selector, the
tables, the what-if controls, in English and in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dashboard import dashboard, in_language
from network_builders import write_files
from streamlit.testing.v1 import AppTest

from sim.network.display import network_text
from sim.ui.text import t

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "sim/ui/pages/network.py"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A scenario folder whose network/ holds the tiny network, its halls and a candidate file."""
    root = tmp_path_factory.mktemp("scenarios")
    (root / "network").mkdir()
    write_files(root / "network")
    (root / "network" / "cand.yaml").write_text(yaml.safe_dump({"candidates": [
        {"name": "north", "scenario": "hall.yaml", "x_km": 0, "y_km": 3}]}), encoding="utf-8")
    return root


def _page(folder: Path, monkeypatch, lang: str = "en") -> AppTest:
    """The Network page in ``lang``, on one process, with 2 replications."""
    at = dashboard(folder, monkeypatch, 60)
    at.session_state["keep.net.reps"] = 2
    at.run()
    at = in_language(at, lang)
    return at.switch_page(PAGE).run()


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def _table(at: AppTest, first_column: str):
    hits = [d.value for d in at.dataframe if d.value.columns[0] == first_column]
    assert hits, f"no table starting with {first_column!r}"
    return hits[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_running_the_network_shows_circle_map_points_and_zones(folder, monkeypatch, lang):
    """After a run: four circle metrics (100 % of the zone lives within 2 minutes of a
    card point), a verdict per point, the map, the per-point table, the SLA scorecard and
    the zone table, with the page's words in ``lang``."""
    at = _page(folder, monkeypatch, lang)
    _no_exception(at)
    assert at.title[0].value == t("page.network", lang)
    at.button(key="net.run").click().run()
    _no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("net.circle", lang)] == "100.0 %" and metrics[t("net.circle_elderly", lang)] == "100.0 %"
    assert t("net.door", lang) in metrics
    assert len(at.image) == 1
    points = _table(at, network_text("col.point", lang))
    assert list(points.iloc[:, 0]) == ["A", "B"]
    zones = _table(at, network_text("col.zone", lang))
    assert list(zones.iloc[:, 0]) == ["mid"]
    verdicts = at.expander[0].markdown[0].value
    assert verdicts.count("\n") == 1 and ("A meets" in verdicts if lang == "en" else "A 的" in verdicts)


def test_the_map_colour_selector_redraws_the_map(folder, monkeypatch):
    """Choosing the wait colours the zones by the wait: one map, titled, no exception."""
    at = _page(folder, monkeypatch)
    at.button(key="net.run").click().run()
    radio = at.radio(key="keep.net.colour")
    assert radio.options == [t(f"net.colour.{c}", "en") for c in ("circle", "door", "wait")]
    radio.set_value("wait").run()
    _no_exception(at)
    assert len(at.image) == 1


def test_closing_a_point_sends_its_visitors_to_the_other(folder, monkeypatch):
    """Closing B and comparing: the what-if table shows B's visits going to A (A's visits
    per day grow, B has none in the what-if)."""
    at = _page(folder, monkeypatch)
    at.button(key="net.run").click().run()
    at.multiselect(key="net.close").set_value(["B"]).run()
    at.button(key="net.compare").click().run()
    _no_exception(at)
    rows = [d.value for d in at.dataframe if network_text("col.visits_change", "en") in d.value.columns]
    assert rows, "no what-if table of the points"
    visits = rows[0].set_index(rows[0].columns[0])[network_text("col.visits_change", "en")]
    before, after = (float(x) for x in visits["A"].split(" → "))
    assert after > before * 1.5 and visits["B"].endswith("→ –")
    assert len(at.image) == 2, "the what-if's map beside the network's"


def test_adding_a_candidate_and_moving_a_point_compare_without_exception(folder, monkeypatch):
    """Adding the candidate site and moving A: the comparison lists the new point."""
    at = _page(folder, monkeypatch)
    at.button(key="net.run").click().run()
    at.multiselect(key="net.add").set_value(["north"]).run()
    at.selectbox(key="net.move").set_value("A").run()
    at.number_input(key="net.move.x.A").set_value(-3.0).run()
    at.button(key="net.compare").click().run()
    _no_exception(at)
    rows = [d.value for d in at.dataframe if network_text("col.visits_change", "en") in d.value.columns]
    assert "north" in list(rows[0].iloc[:, 0])


def test_a_what_if_that_closes_every_point_says_so_in_chinese(folder, monkeypatch):
    """Closing both points is refused with the problem in Chinese, without an exception."""
    at = _page(folder, monkeypatch, "zh")
    at.button(key="net.run").click().run()
    at.multiselect(key="net.close").set_value(["A", "B"]).run()
    at.button(key="net.compare").click().run()
    _no_exception(at)
    assert any("关闭了所有网点" in e.value for e in at.error), [e.value for e in at.error]


def test_without_a_network_folder_the_page_says_where_to_put_one(tmp_path, monkeypatch):
    """A scenario folder without network/ files: an explanation, no run button, no exception."""
    at = _page(tmp_path, monkeypatch)
    _no_exception(at)
    assert at.info[0].value == t("net.none", "en") and not [b for b in at.button if b.key == "net.run"]
