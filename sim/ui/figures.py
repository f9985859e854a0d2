"""Showing a figure of :mod:`sim.plots` on a page, with its PNG download.

A figure is drawn once per (results, figure, language): :func:`show_figure` caches its PNG
bytes with ``st.cache_data`` on a hashable key of the results it shows, so a rerun (a
download, a language switch back and forth, a visit to another page) does not redraw it.
"""

from __future__ import annotations

import io
import re
from typing import Callable, Hashable

import streamlit as st
from matplotlib.figure import Figure

from sim.ui.text import t

__all__ = ["png_bytes", "show_figure"]


def png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


@st.cache_data(show_spinner=False, max_entries=256)
def _png(key: Hashable, name: str, lang: str, _build: Callable[[], Figure]) -> bytes:
    return png_bytes(_build())


def show_figure(key: Hashable, name: str, title: str, build: Callable[[], Figure], lang: str) -> bytes:
    """Draw the figure ``build()`` under ``title`` with a PNG download button; ``key``
    identifies the results it shows (the cache key with ``name`` and ``lang``)."""
    st.markdown(f"**{title}**")
    png = _png(key, name, lang, build)
    st.image(png)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", name)
    st.download_button(t("fig.png", lang), png, file_name=f"{stem}_{lang}.png", mime="image/png",
                       key=f"dl.fig.{name}", on_click="ignore")
    return png
