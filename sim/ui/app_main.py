"""The dashboard's entry point: page routing and the sidebar shared by every page.

``app.py`` at the top of a source checkout and ``hallsim ui`` (which runs
``streamlit run`` on this file) both call :func:`main`. The pages are the scripts in
``sim/ui/pages/``; their titles follow the language switch.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from sim.experiments import executors
from sim.ui import state
from sim.ui.text import LANG_NAMES, t

__all__ = ["PAGES", "PAGES_DIR", "main"]

# Folder of the page scripts. (Comments, not docstrings: Streamlit's "magic" would draw a
# bare string when this file is the main script, as under ``hallsim ui``.)
PAGES_DIR = Path(__file__).resolve().parent / "pages"

# The pages in menu order (file ``pages/<name>.py``, URL path ``/<name>``).
PAGES = ("scenario", "compare", "staffing", "batch", "issuance", "network")


def main() -> None:
    """Draw the sidebar (language, seed, processes) and run the chosen page."""
    st.set_page_config(page_title="hallsim", page_icon="🏛", layout="wide")
    state.keep_widget_state()
    st.session_state.setdefault("lang", "en")
    lang = state.lang()
    pages = [st.Page(PAGES_DIR / f"{name}.py", title=t(f"page.{name}", lang), url_path=name,
                     default=(name == PAGES[0])) for name in PAGES]
    page = st.navigation(pages)
    with st.sidebar:
        st.radio(t("app.language", lang), list(LANG_NAMES), key="lang", horizontal=True,
                 format_func=LANG_NAMES.get)
        lang = state.lang()
        st.session_state.setdefault(f"{state.KEEP_PREFIX}seed", 0)
        st.number_input(t("app.seed", lang), min_value=0, step=1, key=f"{state.KEEP_PREFIX}seed",
                        help=t("app.seed.help", lang))
        cores = executors.default_workers()
        st.session_state.setdefault(f"{state.KEEP_PREFIX}workers", cores)
        st.number_input(t("app.workers", lang), min_value=1, max_value=max(cores, 64), step=1,
                        key=f"{state.KEEP_PREFIX}workers", help=t("app.workers.help", lang))
        st.caption(t("app.title", lang))
    page.run()


if __name__ == "__main__":
    main()
