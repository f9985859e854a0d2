"""Showing a chart on a page: the tidy frame behind it computed once per (results, chart),
then drawn as a Vega-Lite chart (:mod:`sim.ui.charts`) at the width of its column.

:func:`chart_data` caches a chart's frame with ``st.cache_data`` on a hashable key of the
results it shows, so a rerun (a download, a language switch back and forth, a visit to
another page) does not compute it again; the charts themselves are cheap to build. The
matplotlib figures (:mod:`sim.plots`) belong to the reports, which also give them as PNG;
the few that have no interactive chart (a roster's Gantt chart, a network's map) are shown
as images by :func:`show_figure`, drawn once per (results, figure, language), with a PNG
download.
"""

from __future__ import annotations

import io
import re
import warnings
from typing import Callable, Hashable

import pandas as pd
import streamlit as st

from sim.ui.text import t

__all__ = ["png_bytes", "chart_data", "show_figure"]


def png_bytes(fig, dpi: int = 110) -> bytes:
    """A matplotlib figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


@st.cache_data(show_spinner=False, max_entries=256)
def _frame(key: Hashable, name: str, _build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    return _build()


def chart_data(key: Hashable, name: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The frame ``build()`` of chart ``name`` for the results identified by ``key``,
    computed once and then taken from the cache."""
    return _frame(key, name, build)


@st.cache_data(show_spinner=False, max_entries=64)
def _png(key: Hashable, name: str, lang: str, _build: Callable) -> bytes:
    return png_bytes(_build())


def _has_cjk_font() -> bool:
    """Whether matplotlib has a CJK font for Chinese labels (sim.plots.style)."""
    from sim.plots.style import cjk_font

    with warnings.catch_warnings():  # the page says it instead
        warnings.simplefilter("ignore", RuntimeWarning)
        return cjk_font("zh") is not None


def show_figure(key: Hashable, name: str, title: str, build: Callable, lang: str) -> bytes:
    """The matplotlib figure ``build()`` under ``title`` as an image, with a PNG download;
    ``key`` identifies the results it shows (the cache key, with ``name`` and ``lang``)."""
    st.markdown(f"**{title}**")
    if lang == "zh" and not _has_cjk_font():
        st.caption(t("fig.no_cjk", lang))
    png = _png(key, name, lang, build)
    st.image(png)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", name)
    st.download_button(t("fig.png", lang), png, file_name=f"{stem}_{lang}.png", mime="image/png", key=f"dl.fig.{name}",
                       on_click="ignore")
    return png
