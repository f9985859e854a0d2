"""Figure of a parameter sweep: a KPI against one swept parameter, with intervals.

``summary`` is ``SweepResult.summary`` (columns point, one column per swept dotted path,
kpi, group, n, mean, ci_low, ci_high, half_width). When more than one parameter was swept,
each combination of the other parameters gets its own line.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from sim.results.labels import group_label, kpi_label, text
from sim.results.formatting import is_share
from sim.plots.style import colour, finish, new_figure, no_data, target_line

__all__ = ["sweep_kpi", "SWEEP_SUMMARY_FIXED"]

SWEEP_SUMMARY_FIXED = ("point", "kpi", "group", "n", "mean", "sd", "ci_low", "ci_high", "half_width")
"""Columns of a sweep summary that are not swept parameters."""


def _is_share(kpi: str) -> bool:
    return is_share(kpi)


def _numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def sweep_kpi(summary: pd.DataFrame, parameter: str, kpi: str, group: str = "all", target=None,
              lang: str = "en"):
    """KPI ``kpi`` (``group``) against swept ``parameter``: the mean at each design point
    with its interval as error bars, one line per combination of the other swept
    parameters, and the SLA ``target`` (a limit in the KPI's unit) as a line."""
    if parameter not in summary.columns:
        params = [c for c in summary.columns if c not in SWEEP_SUMMARY_FIXED]
        raise ValueError(f"sweep_kpi: parameter {parameter!r} is not in the sweep (parameters: {', '.join(params)})")
    others = [c for c in summary.columns if c not in SWEEP_SUMMARY_FIXED and c != parameter]
    rows = summary[(summary["kpi"] == kpi) & (summary["group"] == group)]
    fig, ax = new_figure(lang)
    ylabel = kpi_label(kpi, lang) + ("" if group == "all" else f" ({group_label(group, lang)})")
    if rows.empty:
        no_data(ax, lang)
    else:
        numeric = _numeric(rows[parameter])
        cats = list(dict.fromkeys(rows[parameter].astype(str))) if not numeric else []  # grid order
        lines = rows.groupby(others, sort=True, dropna=False) if others else [((), rows)]
        for i, (key, sub) in enumerate(lines):
            sub = sub.sort_values(parameter, kind="stable")
            x = sub[parameter].to_numpy(float) if numeric else np.array([cats.index(str(v)) for v in sub[parameter]])
            y = sub["mean"].to_numpy(float)
            lo = np.nan_to_num(y - sub["ci_low"].to_numpy(float))
            hi = np.nan_to_num(sub["ci_high"].to_numpy(float) - y)
            key = key if isinstance(key, tuple) else (key,)
            label = ", ".join(f"{p} = {v}" for p, v in zip(others, key)) or ylabel
            ax.errorbar(x, y, yerr=[np.clip(lo, 0, None), np.clip(hi, 0, None)], color=colour(i), marker="o",
                        markersize=4, capsize=3, linewidth=1.6, label=label)
        if not numeric:
            ax.set_xticks(range(len(cats)), cats)
    if target is not None and math.isfinite(float(target)):
        shown = f"{float(target):.0%}" if _is_share(kpi) else f"{float(target):g}"
        target_line(ax, target, lang, label=f"{text('report.target', lang)} {shown}")
    if _is_share(kpi):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(parameter)
    ax.set_ylabel(ylabel)
    ax.set_title(text("fig.sweep.title", lang, kpi=ylabel, param=parameter))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, fontsize=8)
    return finish(fig, lang)
