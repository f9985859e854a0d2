"""Shared look of every hallsim figure: colours, sizes, the CJK font, clock-time axes.

Figures are :class:`matplotlib.figure.Figure` objects built without pyplot, so that the
report writer (``fig.savefig``) and the dashboard (``st.pyplot(fig)``) can draw them in
any thread without global state. :func:`new_figure` makes one; :func:`finish` sets the
fonts of every text in it: DejaVu Sans with a CJK fallback (Noto Sans CJK, Source Han,
WenQuanYi …) for Chinese labels and Chinese scenario names. When ``lang="zh"`` and no CJK
font is installed, :func:`cjk_font` warns once, naming the fonts looked for and the
package that provides one (``apt-get install fonts-noto-cjk``).
"""

from __future__ import annotations

import functools
import math
import re
import warnings

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from sim.scenario.clock import format_minutes
from sim.results.labels import check_lang, text

__all__ = ["CJK_FONTS", "CJK_INSTALL", "PALETTE", "STATE_COLOURS", "TARGET_COLOUR", "cjk_font", "font_families",
           "new_figure", "finish", "colour", "linestyle", "clock_axis", "no_data", "target_line", "is_continuous",
           "without_cjk"]

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Noto Serif CJK SC", "Microsoft YaHei", "SimHei", "PingFang SC",
             "Heiti SC", "Arial Unicode MS")
"""Fonts with simplified Chinese glyphs, in order of preference."""

CJK_INSTALL = "apt-get install fonts-noto-cjk"
"""How to install a CJK font on Debian/Ubuntu (the package the CI installs)."""

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#7f7f7f", "#bcbd22")
"""Colours of scenarios, in order (the baseline first)."""

TARGET_COLOUR = "#b22222"
"""Colour of SLA target lines."""

STATE_COLOURS = {
    "serving": "#2f7ed8", "idle": "#c9dff2", "empty": "#d62728", "closed": "#eeeeee",
    "break": "#f0b323", "absence": "#e377c2", "guide": "#2ca02c", "available": "#98df8a",
    "helper": "#dbc8e8", "helping": "#9467bd",
}
"""Colours of window and staff states in the day timeline."""

BASE_FONT = "DejaVu Sans"


@functools.lru_cache(maxsize=None)
def _installed_cjk() -> str | None:
    """The first of :data:`CJK_FONTS` matplotlib can use; fonts installed after matplotlib
    built its font cache are added from the system's font list first."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    name = _first_cjk(f.name for f in manager.ttflist)
    if name is None:  # matplotlib's font cache may predate the fonts: look at the system's own list
        known = {f.fname for f in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a font file matplotlib cannot read
                    continue
        name = _first_cjk(f.name for f in manager.ttflist)
    return name


def _first_cjk(names) -> str | None:
    present = set(names)
    return next((name for name in CJK_FONTS if name in present), None)


@functools.lru_cache(maxsize=None)
def _warn_missing() -> None:
    warnings.warn(f"no CJK font found (looked for {', '.join(CJK_FONTS[:5])} …): Chinese labels will show as "
                  f"boxes; install one, e.g. `{CJK_INSTALL}`", RuntimeWarning, stacklevel=4)


def cjk_font(lang: str = "zh") -> str | None:
    """The name of an installed CJK font, or None; warns (once) when ``lang`` is "zh" and
    there is none."""
    name = _installed_cjk()
    if name is None and lang == "zh":
        _warn_missing()
    return name


def font_families(lang: str = "en") -> list[str]:
    """Font families for a figure in ``lang``: DejaVu Sans, then a CJK fallback if installed."""
    cjk = cjk_font(lang)
    return [BASE_FONT, cjk] if cjk else [BASE_FONT]


def new_figure(lang: str = "en", width: float = 7.5, height: float = 4.0, nrows: int = 1, ncols: int = 1, **kw):
    """A Figure of ``width`` × ``height`` inches and its axes (one Axes, or an array)."""
    check_lang(lang)
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kw)
    for ax in (axes.flat if hasattr(axes, "flat") else [axes]):
        ax.grid(True, color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig, axes


def finish(fig: Figure, lang: str = "en") -> Figure:
    """Give every text of ``fig`` the fonts of ``lang`` (CJK fallback) and return it."""
    from matplotlib.text import Text

    families = font_families(lang)
    for ax in fig.axes:  # make sure tick labels exist, so that later ticks copy their font
        ax.xaxis.get_major_ticks()
        ax.yaxis.get_major_ticks()
    plain = lang == "en" and _installed_cjk() is None
    for t in fig.findobj(Text):
        t.set_fontfamily(families)
        if plain and CJK_CHARS.search(t.get_text()):
            t.set_text(without_cjk(t.get_text()))
    return fig


CJK_CHARS = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
"""Chinese characters and punctuation."""


def without_cjk(label: str) -> str:
    """``label`` without its Chinese parts, for an English figure drawn where no CJK font is
    installed: "empty (空窗)" → "empty"; a label that is all Chinese stays as it is."""
    out = re.sub(r"\s*[(（][^)）]*[\u4e00-\u9fff][^)）]*[)）]", "", label)
    out = CJK_CHARS.sub("", out).strip() if CJK_CHARS.search(out) else out
    return out or label


def colour(i: int) -> str:
    """The colour of the ``i``-th scenario."""
    return PALETTE[i % len(PALETTE)]


LINESTYLES = ("-", "--", "-.", ":")


def linestyle(i: int) -> str:
    """The line style of the ``i``-th scenario (so that equal curves stay visible)."""
    return LINESTYLES[i % len(LINESTYLES)]


def _clock(x, _pos=None) -> str:
    return format_minutes(x) if math.isfinite(x) else ""


def clock_axis(axis, continuous: bool, lang: str, step_min: float = 60.0) -> None:
    """Label ``axis`` (ax.xaxis) as clock times HH:MM every ``step_min`` minutes (minutes
    since the start for a continuous run)."""
    if continuous:
        axis.set_label_text(text("fig.minutes_since_start", lang))
        return
    axis.set_major_locator(MultipleLocator(step_min))
    axis.set_major_formatter(FuncFormatter(_clock))
    axis.set_label_text(text("fig.clock", lang))


def no_data(ax, lang: str) -> None:
    """Write "no data" across an empty axes."""
    ax.text(0.5, 0.5, text("fig.nodata", lang), transform=ax.transAxes, ha="center", va="center",
            color="#777777", fontsize=12)


def target_line(ax, value, lang: str, vertical: bool = False, label: str | None = None) -> None:
    """Draw an SLA target line at ``value`` (nothing when None)."""
    if value is None or not math.isfinite(float(value)):
        return
    label = text("fig.target", lang, v=float(value)) if label is None else label
    line = ax.axvline if vertical else ax.axhline
    line(float(value), color=TARGET_COLOUR, linestyle="--", linewidth=1.4, label=label, zorder=5)


def is_continuous(results) -> bool:
    """True when the results come from continuous (horizon) scenarios."""
    return any(r.scenario.continuous for r in results.values())
