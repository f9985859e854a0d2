"""Figure of a staffing search (:func:`sim.staffing_search.staffing_search`): demand per
block of the day as bars, the proposed windows (and staff on shift) as steps, and the
Erlang C / Erlang A references as dashed steps."""

from __future__ import annotations

import numpy as np

from sim.scenario.clock import to_minutes
from sim.results.labels import text
from sim.plots.style import TARGET_COLOUR, clock_axis, colour, finish, new_figure, no_data

__all__ = ["staffing_plan"]


def _steps(ax, edges: np.ndarray, values: np.ndarray, **kw) -> None:
    """A step line holding ``values[i]`` over [edges[i], edges[i+1])."""
    if np.isfinite(values).any():
        ax.stairs(values, edges, baseline=None, **kw)


def staffing_plan(plan, lang: str = "en"):
    """Arrivals per hour of each block (bars, left axis) with the proposed open windows,
    the staff on shift and the Erlang C / Erlang A figures (steps, right axis); blocks
    whose wait targets are not met are marked in red. ``plan`` is a
    :class:`sim.staffing_search.StaffingPlan`."""
    fig, ax = new_figure(lang, width=8.0, height=4.2)
    blocks = plan.blocks
    if blocks.empty:
        no_data(ax, lang)
        return finish(fig, lang)
    starts = np.array([to_minutes(s) for s in blocks["block_start"]], dtype=float)
    ends = np.array([to_minutes(s) for s in blocks["block_end"]], dtype=float)
    edges = np.append(starts, ends[-1])
    ax.bar(starts, blocks["arrivals_per_hour"].to_numpy(float), width=ends - starts, align="edge",
           color="#c9dff2", edgecolor="#8fb8de", label=text("fig.staffing.demand", lang))
    ax.set_ylabel(text("fig.staffing.demand", lang))
    right = ax.twinx()
    right.spines["top"].set_visible(False)
    _steps(right, edges, blocks["windows"].to_numpy(float), color=colour(0), linewidth=2.4,
           label=text("fig.staffing.windows", lang))
    _steps(right, edges, blocks["staff"].to_numpy(float), color=colour(2), linewidth=1.2, linestyle=":",
           label=text("fig.staffing.staff", lang))
    _steps(right, edges, blocks["erlang_c_windows"].to_numpy(float), color=colour(3), linewidth=1.4, linestyle="--",
           label=text("fig.staffing.erlang_c", lang))
    _steps(right, edges, blocks["erlang_a_windows"].to_numpy(float), color=colour(4), linewidth=1.4, linestyle="-.",
           label=text("fig.staffing.erlang_a", lang))
    missed = blocks["verdict"].isin(["not met", "uncertain"]).to_numpy()
    if missed.any():
        mids = (starts + ends)[missed] / 2
        right.scatter(mids, blocks["windows"].to_numpy(float)[missed], marker="x", s=60, color=TARGET_COLOUR,
                      zorder=6, label=text("fig.staffing.missed", lang))
    top = np.nanmax(blocks[["windows", "staff", "erlang_c_windows", "erlang_a_windows"]].to_numpy(float))
    right.set_ylim(0, (top if np.isfinite(top) else 1) + 1)
    right.yaxis.get_major_locator().set_params(integer=True)
    right.set_ylabel(text("fig.staffing.count", lang))
    clock_axis(ax.xaxis, plan.base.continuous, lang)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_title(text("fig.staffing.title", lang))
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = right.get_legend_handles_labels()
    right.legend(handles + h2, labels + l2, frameon=False, fontsize=8, loc="upper right")
    return finish(fig, lang)
