"""Figures of card issuance over working days (:func:`sim.issuance.simulate_issuance`).

Each function takes one :class:`sim.issuance.IssuanceResult` and ``lang`` ("en" or
"zh") and returns a :class:`matplotlib.figure.Figure`; it shows "no data" rather than
failing when the result has no pipeline applications.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from sim.results.labels import text
from sim.plots.style import colour, finish, new_figure, no_data, target_line

__all__ = ["backlog_over_time", "cycle_times"]

PIPELINE = ("batch", "sporadic")


def _routes(result) -> list[str]:
    return [r for r in PIPELINE if getattr(result.scenario.issuance, r) is not None]


def backlog_over_time(result, lang: str = "en"):
    """End-of-day backlog at the card centre per working day and route: the mean over
    replications with the 10–90 % band, and the mean daily capacity (cards)."""
    fig, ax = new_figure(lang, width=8.0, height=4.0)
    daily = result.daily
    routes = _routes(result)
    if daily is None or daily.empty or not routes:
        no_data(ax, lang)
        return finish(fig, lang)
    for i, route in enumerate(routes):
        wide = daily.pivot(index="date", columns="replication", values=f"backlog_{route}")
        x = list(wide.index)
        values = wide.to_numpy(dtype=float)
        name = text(f"route.{route}", lang)
        ax.plot(x, values.mean(axis=1), color=colour(i), linewidth=1.5, label=name)
        if values.shape[1] > 1:
            lo, hi = np.percentile(values, [10, 90], axis=1)
            ax.fill_between(x, lo, hi, color=colour(i), alpha=0.2, linewidth=0,
                            label=text("fig.backlog.band", lang, name=name))
    cap = daily.groupby("date")["capacity"].mean()
    ax.step(list(cap.index), cap.to_numpy(), where="mid", color="#555555", linewidth=0.8, linestyle=":",
            label=text("fig.backlog.capacity", lang))
    ax.set_title(text("fig.backlog.title", lang))
    ax.set_ylabel(text("fig.backlog.y", lang))
    ax.set_xlabel(text("fig.date", lang))
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return finish(fig, lang)


def cycle_times(result, lang: str = "en"):
    """Distribution of the issuance cycle (application → card at the outlet, working
    days) per pipeline route over every replication, with each route's target."""
    fig, ax = new_figure(lang, width=7.5, height=4.0)
    apps = result.applications
    routes = _routes(result)
    drawn = False
    sla = result.scenario.issuance.sla
    for i, route in enumerate(routes):
        cycle = apps.loc[apps["route"] == route, "cycle_days"].dropna().to_numpy(dtype=float) if apps is not None else []
        if len(cycle) == 0:
            continue
        drawn = True
        x = np.sort(cycle)
        y = np.arange(1, len(x) + 1) / len(x)
        name = text(f"route.{route}", lang)
        ax.step(x, y, where="post", color=colour(i), linewidth=1.6, label=name)
        limit = sla.batch_max_days if route == "batch" else sla.sporadic_max_days
        if limit is not None:
            target_line(ax, limit, lang, vertical=True, label=text("fig.cycle.target", lang, name=name, v=limit))
            ax.get_lines()[-1].set_color(colour(i))
    if not drawn:
        no_data(ax, lang)
        return finish(fig, lang)
    ax.set_title(text("fig.cycle.title", lang))
    ax.set_xlabel(text("fig.cycle.x", lang))
    ax.set_ylabel(text("fig.cycle.y", lang))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return finish(fig, lang)
