"""Starting the dashboard under Streamlit's AppTest, shared by the tests of tests/ui."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from sim.ui.state import SCENARIO_DIR_ENV

APP = Path(__file__).resolve().parents[1] / "app.py"


def dashboard(scenario_dir: Path, monkeypatch, timeout: float = 120) -> AppTest:
    """The app (not yet run) offering the scenarios of ``scenario_dir``, on one process."""
    monkeypatch.setenv(SCENARIO_DIR_ENV, str(scenario_dir))
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.session_state["keep.workers"] = 1
    return at


def in_language(at: AppTest, lang: str) -> AppTest:
    """``at`` switched to ``lang`` with the sidebar's language choice (English: as it is)."""
    return at.sidebar.radio(key="lang").set_value(lang).run() if lang != "en" else at
