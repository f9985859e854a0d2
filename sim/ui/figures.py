"""Showing a chart on a page: the tidy frame behind it computed once per (results, chart),
then drawn with Altair (:mod:`sim.ui.charts`) at the width of its column.

:func:`chart_data` caches a chart's frame with ``st.cache_data`` on a hashable key of the
results it shows, so a rerun (a download, a language switch back and forth, a visit to
another page) does not compute it again; the charts themselves are cheap to build. The
matplotlib figures (:mod:`sim.plots`) belong to the reports, which also give them as PNG;
:func:`png_bytes` remains for the benchmark scripts.
"""

from __future__ import annotations

import io
from typing import Callable, Hashable

import pandas as pd
import streamlit as st

__all__ = ["png_bytes", "chart_data"]


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
