"""The dashboard's Scenario page repeats the semantic warnings above a run's KPIs."""

from __future__ import annotations

from pathlib import Path

import yaml
from builders import BASE
from dashboard import dashboard

from sim.scenario.loader import merge

APP = Path(__file__).resolve().parents[2] / "app.py"


def test_a_run_shows_the_offered_load_warning(tmp_path, monkeypatch):
    """A hall with a morning peak (ρ 6 in its first hour): after Run, a warning names the
    field and the hour."""
    peak = merge(BASE, {"demand": {"visitors_per_day": 90, "hourly_profile": {"09:00": 8, "10:00": 1, "11:00": 1}}})
    (tmp_path / "peak.yaml").write_text(yaml.safe_dump(peak), encoding="utf-8")
    at = dashboard(tmp_path, monkeypatch, 60)
    at.run()
    at.number_input(key="keep.sc.reps").set_value(2)
    at.button(key="sc.run").click().run()
    assert not at.exception, [e.message for e in at.exception]
    texts = [w.value for w in at.warning]
    assert any("`demand.visitors_per_day`" in x and "09:00–10:00 ρ 6.00" in x for x in texts), texts
