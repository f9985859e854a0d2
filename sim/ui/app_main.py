"""The dashboard's entry point: page routing and the sidebar shared by every page.

``app.py`` at the top of a source checkout and ``hallsim ui`` (which runs
``streamlit run`` on this file) both call :func:`main`. The pages are the scripts in
``sim/ui/pages/``; their titles follow the language switch.

Every page has its own URL (``/scenario``, ``/compare`` …); the root URL opens the Scenario
page at ``/scenario``. The language lives in the URL too (``?lang=zh``), with the scenarios
a page works on (:mod:`sim.ui.state`), so that a link can be shared and reloaded. The
browser tab's title and the document's ``lang`` follow the language; Streamlit's Deploy
button and developer menu are hidden.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from sim.experiments import executors
from sim.ui import state
from sim.ui.glance import TABLE_CSS
from sim.ui.text import LANG_NAMES, t

__all__ = ["PAGES", "PAGES_DIR", "URL_LANG", "HTML_LANG", "main"]

# Folder of the page scripts. (Comments, not docstrings: Streamlit's "magic" would draw a
# bare string when this file is the main script, as under ``hallsim ui``.)
PAGES_DIR = Path(__file__).resolve().parent / "pages"

# The pages in menu order (file ``pages/<name>.py``, URL path ``/<name>``).
PAGES = ("scenario", "compare", "staffing", "roster", "batch", "issuance", "calibrate", "network")

# Query parameter of the language (``?lang=zh``).
URL_LANG = "lang"

# The document language (``<html lang>``) of each UI language.
HTML_LANG = {"en": "en", "zh": "zh-CN"}


def _html_lang(lang: str) -> None:
    """Set ``<html lang>`` of the page (a one-line script: Streamlit writes ``lang="en"``
    into its page and has no option for it)."""
    code = HTML_LANG[lang]
    st.html(f"<script>document.documentElement.lang = {code!r};</script>", unsafe_allow_javascript=True)


def _query() -> dict[str, list[str]]:
    """The URL's query parameters, repeated ones kept (``?pick=a&pick=b``)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _language_from_url() -> None:
    """A new session takes its language from ``?lang=`` (a shared link)."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get(URL_LANG)
        st.session_state["lang"] = wanted if wanted in LANG_NAMES else "en"


def main() -> None:
    """Draw the sidebar (language, seed, processes) and run the chosen page."""
    st.set_option("client.toolbarMode", "viewer")  # no Deploy button, no developer menu
    st.set_page_config(page_title="hallsim", page_icon="🏛", layout="wide")
    state.keep_widget_state()
    _language_from_url()
    lang = state.lang()
    pages = {name: st.Page(PAGES_DIR / f"{name}.py", title=t(f"page.{name}", lang), url_path=name)
             for name in PAGES}
    # the root URL has no page of its own: it opens the Scenario page at /scenario, so that
    # every page, the first included, has a URL that can be shared and reloaded
    home = st.Page(lambda: st.switch_page(pages[PAGES[0]], query_params=_query()),
                   title=t(f"page.{PAGES[0]}", lang), url_path="home", default=True, visibility="hidden")
    page = st.navigation([home, *pages.values()])
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
        _html_lang(lang)
    if st.query_params.get(URL_LANG) != lang:
        st.query_params[URL_LANG] = lang
    st.set_page_config(page_title=f"{page.title} · hallsim")
    st.markdown(TABLE_CSS, unsafe_allow_html=True)
    page.run()


if __name__ == "__main__":
    main()
