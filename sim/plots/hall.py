"""Figures of hall runs: queues, waits, elderly service, utilisation, one sample day, issuance.

Each figure comes in two parts: a public ``*_data`` function that computes the tidy frame
it draws (columns documented in the ``*_COLUMNS`` mapping beside it; the dashboard draws
these frames with Altair, :mod:`sim.ui.charts`), and the matplotlib drawing of that frame
that reports use.

Each function takes ``results`` — a mapping scenario name → :class:`sim.SimulationResult`
(a single result is accepted too and named after its hall) — or one ``result``, and
``lang`` ("en" or "zh"), and returns a :class:`matplotlib.figure.Figure`. Times are minutes
(clock axes show HH:MM); visits in the warm-up of a continuous run are left out, as in the
KPIs. Every function works on the tables of :data:`sim.records.COLUMNS` and the summary of
:func:`sim.summarise`, draws in well under a second for 30 replications of 20 days, and
shows "no data" rather than failing when a table is empty.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from sim.scenario.clock import to_minutes
from sim.results.labels import group_label, kpi_label, text
from sim.results.summary import t_interval
from sim.plots.style import (STATE_COLOURS, clock_axis, colour, finish, is_continuous, linestyle, new_figure, no_data,
                    target_line)

__all__ = ["queue_through_day", "wait_cdf", "waits_by_hour", "elderly_vs_others", "utilisation",
           "utilisation_heatmap", "day_timeline", "issuance_times", "as_results", "bin_width",
           "queue_data", "wait_cdf_data", "waits_by_hour_data", "elderly_data", "utilisation_data",
           "utilisation_heatmap_data", "issuance_data", "QUEUE_COLUMNS", "CDF_COLUMNS", "HOURLY_COLUMNS",
           "BARS_COLUMNS", "HEATMAP_COLUMNS", "ISSUANCE_COLUMNS", "day_timeline_data", "TIMELINE_COLUMNS"]

QUEUE_STEP_MIN = 5.0
"""Bin width of the queue-through-the-day figure for opening days, minutes (a continuous
run uses about 240 bins over its horizon)."""

NICE_WIDTHS_MIN = (5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 5760, 10080)
"""Bin widths (minutes) to choose from for continuous runs."""

CURVE_POINTS = 400
"""Points of each distribution curve (quantiles), enough for a smooth line at any N."""


def as_results(results) -> dict:
    """``results`` as a dict name → SimulationResult (a single result is named after its hall)."""
    if hasattr(results, "scenario") and hasattr(results, "tables"):
        return {results.scenario.hall.name: results}
    if not isinstance(results, Mapping) or not results:
        raise ValueError(f"results: give a mapping scenario name -> SimulationResult (got {type(results).__name__})")
    return dict(results)


def _columns(result, name: str, fields: Sequence[str]) -> dict[str, np.ndarray]:
    """Columns ``fields`` of table ``name`` of ``result`` as numpy arrays: from the
    replications' columns when the tables can give them (:class:`sim.results.tables.Tables`;
    no DataFrame is built), else from the table."""
    tables = result.tables
    if callable(getattr(tables, "columns", None)):
        return tables.columns(name, fields)
    frame = tables[name]
    return {f: frame[f].to_numpy() for f in fields}


def _ticketed(result, fields: Sequence[str] = ("wait_min",)) -> dict[str, np.ndarray]:
    """Columns ``fields`` of the visits that took a ticket and have a wait, outside the warm-up."""
    v = _columns(result, "visits", ("ticket_min", "wait_min", "in_warmup", *fields))
    keep = ~np.isnan(v["ticket_min"].astype(float)) & ~np.isnan(v["wait_min"].astype(float)) & \
        ~v["in_warmup"].astype(bool)
    return {f: v[f][keep] for f in fields}


def _legend(ax, **kw) -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, fontsize=8, **kw)


# ------------------------------------------------------------------ queue through the day
def _day_span(result) -> tuple[float, float]:
    """(first opening, last closing) minute of the scenario's opening hours."""
    s = result.scenario
    if s.continuous:
        return (0.0, float(s.run.horizon_min))
    spans = [(to_minutes(h.open), to_minutes(h.close)) for h in s.hall.opening_hours.values() if h is not None]
    return (min(a for a, _ in spans), max(b for _, b in spans)) if spans else (0.0, 1440.0)


def _nice_width(span_min: float, bins: int) -> float:
    """The smallest of :data:`NICE_WIDTHS_MIN` giving at most ``bins`` bins over ``span_min``."""
    return float(next((w for w in NICE_WIDTHS_MIN if span_min / w <= bins), NICE_WIDTHS_MIN[-1]))


def bin_width(result) -> float:
    """Width (minutes) of the time bins of waits-by-hour and the heat map: an hour for
    opening days, a round width giving at most 24 bins for a continuous horizon."""
    s = result.scenario
    return 60.0 if not s.continuous else _nice_width(float(s.run.horizon_min), 24)


def _queue_profiles(queue: Mapping[str, np.ndarray], edges: np.ndarray) -> np.ndarray:
    """Time-average number of waiting tickets in each bin [edges[j], edges[j+1]), one row
    per (replication, day); the queue is 0 before its first change. ``queue``: the queue
    table or its columns."""
    rep, day = np.asarray(queue["replication"], np.int64), np.asarray(queue["day"], np.int64)
    time = np.asarray(queue["time_min"], float)
    order = np.lexsort((time, day, rep))  # stable, as a sort by the three
    keys = (rep * 100_000 + day)[order]
    t = time[order]
    x = np.asarray(queue["waiting"], float)[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    rows = np.zeros((len(starts), len(edges) - 1))
    for i, (a, b) in enumerate(zip(starts, ends)):
        tt, xx = t[a:b], x[a:b]
        area = np.r_[0.0, np.cumsum(xx[:-1] * np.diff(tt))]  # integral of the queue up to each change
        idx = np.searchsorted(tt, edges, side="right") - 1
        k = np.clip(idx, 0, None)
        at = np.where(idx >= 0, area[k] + xx[k] * (edges - tt[k]), 0.0)  # integral up to each edge
        rows[i] = np.diff(at) / np.diff(edges)
    return rows


QUEUE_COLUMNS = {
    "scenario": "scenario name",
    "time_min": "middle of the time bin, minutes since midnight (continuous runs: since the start)",
    "mean": "time-average number of waiting tickets in the bin, mean over simulated days",
    "p10": "10th percentile of that average over simulated days (replications × days)",
    "p90": "90th percentile of that average over simulated days",
}
"""Columns of :func:`queue_data`."""


def queue_data(results) -> pd.DataFrame:
    """Waiting tickets through the day per scenario (columns :data:`QUEUE_COLUMNS`): the
    time average in 5-minute bins (continuous runs: about 240 bins over the horizon), its
    mean and its 10th and 90th percentiles over every simulated day; days without any
    queue change count as zeros. Scenarios without a queue table have no rows."""
    frames = []
    for name, res in as_results(results).items():
        q = _columns(res, "queue", ("replication", "day", "time_min", "waiting"))
        if not len(q["time_min"]):
            continue
        lo, hi = _day_span(res)
        hi = max(hi, float(q["time_min"].astype(float).max()))
        step = _nice_width(hi - lo, 240) if res.scenario.continuous else QUEUE_STEP_MIN
        edges = np.arange(lo, hi + step, step)
        grid = edges[:-1] + step / 2
        prof = _queue_profiles(q, edges)
        # days of a replication without any queue change have no rows: count them as zeros
        n_days = res.reps * (1 if res.scenario.continuous else res.scenario.run.days)
        if len(prof) < n_days:
            prof = np.vstack([prof, np.zeros((n_days - len(prof), len(grid)))])
        p10, p90 = np.percentile(prof, [10, 90], axis=0)
        frames.append(pd.DataFrame({"scenario": name, "time_min": grid, "mean": prof.mean(axis=0),
                                    "p10": p10, "p90": p90}))
    return _frame(frames, QUEUE_COLUMNS)


def _frame(frames: list[pd.DataFrame], columns: Mapping[str, str]) -> pd.DataFrame:
    """The frames one below the other, or an empty frame with ``columns``."""
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(columns))


def queue_through_day(results, lang: str = "en"):
    """Mean number of waiting tickets through the day per scenario (time-average in
    5-minute bins), with a band from the 10th to the 90th percentile over all simulated
    days (replications × days); the data are :func:`queue_data`'s."""
    results = as_results(results)
    fig, ax = new_figure(lang)
    data = queue_data(results)
    for i, name in enumerate(results):
        d = data[data["scenario"] == name]
        if d.empty:
            continue
        c = colour(i)
        ax.plot(d["time_min"], d["mean"], color=c, linestyle=linestyle(i), linewidth=1.8, label=name)
        ax.fill_between(d["time_min"], d["p10"], d["p90"], color=c, alpha=0.18, linewidth=0,
                        label=text("fig.queue.band", lang, name=name))
    if data.empty:
        no_data(ax, lang)
    clock_axis(ax.xaxis, is_continuous(results), lang)
    ax.set_ylabel(text("fig.queue.y", lang))
    ax.set_ylim(bottom=0)
    ax.set_title(text("fig.queue.title", lang))
    _legend(ax, loc="upper right")
    return finish(fig, lang)


# ------------------------------------------------------------------ waits
CDF_COLUMNS = {
    "scenario": "scenario name",
    "wait_min": "wait from ticket to call, minutes",
    "share": "share of ticketed visits (all replications pooled) that waited at most wait_min, 0..1",
}
"""Columns of :func:`wait_cdf_data`."""


def wait_cdf_data(results) -> pd.DataFrame:
    """The empirical distribution of waits per scenario (columns :data:`CDF_COLUMNS`):
    :data:`CURVE_POINTS` quantiles from (0, 0), every replication pooled, warm-up left out."""
    p = np.linspace(0.0, 1.0, CURVE_POINTS)
    frames = []
    for name, res in as_results(results).items():
        w = _ticketed(res)["wait_min"].astype(float)
        if len(w):
            frames.append(pd.DataFrame({"scenario": name, "wait_min": np.r_[0.0, np.quantile(w, p)],
                                        "share": np.r_[0.0, p]}))
    return _frame(frames, CDF_COLUMNS)


def wait_cdf(results, target_min=None, lang: str = "en"):
    """Empirical distribution of waits (ticket to call) per scenario, all replications
    pooled (:func:`wait_cdf_data`), with the wait target (minutes) as a vertical line."""
    results = as_results(results)
    fig, ax = new_figure(lang)
    data = wait_cdf_data(results)
    right = 0.0
    for i, name in enumerate(results):
        d = data[data["scenario"] == name]
        if d.empty:
            continue
        ax.plot(d["wait_min"], d["share"], color=colour(i), linestyle=linestyle(i), linewidth=1.8, label=name,
                drawstyle="steps-post")
        right = max(right, float(np.quantile(_ticketed(results[name])["wait_min"].astype(float), 0.995)))
    if data.empty:
        no_data(ax, lang)
    target_line(ax, target_min, lang, vertical=True)
    if target_min is not None:
        right = max(right, float(target_min) * 1.25)
    ax.set_xlim(0, max(right, 1.0))
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(text("fig.cdf.x", lang))
    ax.set_ylabel(text("fig.cdf.y", lang))
    ax.set_title(text("fig.cdf.title", lang))
    _legend(ax, loc="lower right")
    return finish(fig, lang)


def _hourly(res, width: float = 60.0) -> pd.DataFrame:
    """Per bin of ``width`` minutes of the ticket time (an hour): mean over replications of
    the 90th percentile and of the mean wait, and the interval of the 90th percentile
    (columns hour = bin number, p90, lo, hi, mean)."""
    v = _ticketed(res, ("replication", "ticket_min", "wait_min"))
    if not len(v["wait_min"]):
        return pd.DataFrame(columns=["hour", "p90", "lo", "hi", "mean"])
    hour = (v["ticket_min"].astype(float) // width).astype(int)
    g = pd.Series(v["wait_min"].astype(float)).groupby([v["replication"].astype(np.int64), hour])
    p90, mean = g.quantile(0.9), g.mean()  # indexed by (replication, hour), sorted
    hours = p90.index.get_level_values(1).to_numpy()
    p90, mean = p90.to_numpy(), mean.to_numpy()
    conf = res.scenario.sla.confidence
    rows = []
    for h in np.unique(hours):
        mine = hours == h  # the replications' values in replication order
        m, _, hw = t_interval(p90[mine], conf)
        hw = 0.0 if math.isnan(hw) else hw
        rows.append((h, m, max(0.0, m - hw), m + hw, float(np.mean(mean[mine]))))
    return pd.DataFrame.from_records(rows, columns=["hour", "p90", "lo", "hi", "mean"])


HOURLY_COLUMNS = {
    "scenario": "scenario name",
    "bin_start_min": "start of the bin of ticket times, minutes since midnight (continuous runs: since the start)",
    "bin_width_min": "width of the bin, minutes (an hour for opening days; see bin_width)",
    "p90": "90th percentile wait in the bin, minutes, mean over replications",
    "p90_low": "lower end of its interval over replications (at least 0)",
    "p90_high": "upper end of its interval",
    "mean": "mean wait in the bin, minutes, mean over replications",
}
"""Columns of :func:`waits_by_hour_data`."""


def waits_by_hour_data(results) -> pd.DataFrame:
    """Waits by bin of the ticket time (an hour; continuous runs: see :func:`bin_width`) per
    scenario (columns :data:`HOURLY_COLUMNS`), with the interval of the 90th percentile over
    replications at the scenario's SLA confidence."""
    frames = []
    for name, res in as_results(results).items():
        width = bin_width(res)
        h = _hourly(res, width)
        if h.empty:
            continue
        frames.append(pd.DataFrame({"scenario": name, "bin_start_min": h["hour"].to_numpy(float) * width,
                                    "bin_width_min": width, "p90": h["p90"].to_numpy(float),
                                    "p90_low": h["lo"].to_numpy(float), "p90_high": h["hi"].to_numpy(float),
                                    "mean": h["mean"].to_numpy(float)}))
    return _frame(frames, HOURLY_COLUMNS)


def waits_by_hour(results, target_min=None, lang: str = "en"):
    """90th percentile (solid, with its interval over replications) and mean (dotted) wait
    by hour of the ticket (continuous runs: by bin, see :func:`bin_width`), per scenario,
    against the wait target (minutes); the data are :func:`waits_by_hour_data`'s."""
    results = as_results(results)
    fig, ax = new_figure(lang)
    n = len(results)
    data = waits_by_hour_data(results)
    for i, name in enumerate(results):
        h = data[data["scenario"] == name]
        if h.empty:
            continue
        width = h["bin_width_min"].to_numpy(float)
        x = h["bin_start_min"].to_numpy(float) + (0.5 + (i - (n - 1) / 2) * 0.06) * width  # offset scenarios a little
        c = colour(i)
        ax.errorbar(x, h["p90"], yerr=[h["p90"] - h["p90_low"], h["p90_high"] - h["p90"]], color=c, marker="o",
                    markersize=4, linewidth=1.6, capsize=2, label=text("fig.p90", lang, name=name))
        ax.plot(x, h["mean"], color=c, linestyle=":", marker=".", linewidth=1.2,
                label=text("fig.mean", lang, name=name))
    if data.empty:
        no_data(ax, lang)
    target_line(ax, target_min, lang)
    continuous = is_continuous(results)
    clock_axis(ax.xaxis, continuous, lang)
    if not continuous:
        ax.set_xlabel(text("fig.hour.x", lang))
    ax.set_ylabel(text("fig.hour.y", lang))
    ax.set_ylim(bottom=0)
    ax.set_title(text("fig.hour.title", lang))
    _legend(ax, loc="best", ncols=2 if n > 1 else 1)
    return finish(fig, lang)


# ------------------------------------------------------------------ bar charts from the summary
BARS_COLUMNS = {
    "scenario": "scenario name",
    "panel": "which panel of the figure the bar belongs to (elderly: mean / p90; utilisation: share / empty)",
    "series": "position of the bar within its scenario's group (0, 1, …)",
    "label": "what the bar shows, in the figure's language (a group or a KPI)",
    "kpi": "KPI key of sim.results.summary",
    "group": "group of the KPI",
    "mean": "mean over replications (NaN when the scenario has no such KPI)",
    "ci_low": "lower end of the interval (the mean when there is none)",
    "ci_high": "upper end of the interval (the mean when there is none)",
}
"""Columns of :func:`elderly_data` and :func:`utilisation_data`."""


def _estimates(res) -> dict[tuple[str, str], tuple[float, float, float]]:
    """(mean, lower end, upper end) of each (kpi, group) of the summary (the ends default
    to the mean; the first row of a pair counts)."""
    s = res.summary
    out: dict[tuple[str, str], tuple[float, float, float]] = {}
    for kpi, group, mean, low, high in zip(s["kpi"], s["group"], s["mean"].to_numpy(float),
                                           s["ci_low"].to_numpy(float), s["ci_high"].to_numpy(float)):
        if (kpi, group) not in out:
            m = float(mean)
            out[(kpi, group)] = (m, m if math.isnan(low) else min(float(low), m),
                                 m if math.isnan(high) else max(float(high), m))
    return out


def _bars_data(results, panels: Mapping[str, list[tuple[str, str, str]]]) -> pd.DataFrame:
    """One row per (panel, scenario, (kpi, group, label) of the panel) with the summary's
    estimate (columns :data:`BARS_COLUMNS`)."""
    rows = []
    estimates = {name: _estimates(res) for name, res in results.items()}
    for panel, series in panels.items():
        for j, (kpi, group, label) in enumerate(series):
            for name in results:
                m, lo, hi = estimates[name].get((kpi, group), (math.nan, math.nan, math.nan))
                rows.append((name, panel, j, label, kpi, group, m, lo, hi))
    return pd.DataFrame.from_records(rows, columns=list(BARS_COLUMNS))


def elderly_data(results, lang: str = "en") -> pd.DataFrame:
    """Mean (panel ``mean``) and 90th percentile (panel ``p90``) wait of the elderly and of
    the others per scenario, with intervals (columns :data:`BARS_COLUMNS`; labels in ``lang``)."""
    series = lambda kpi: [(kpi, "elderly", group_label("elderly", lang)), (kpi, "other", group_label("other", lang))]  # noqa: E731
    return _bars_data(as_results(results), {"mean": series("wait_mean_min"), "p90": series("wait_p90_min")})


def utilisation_data(results, lang: str = "en") -> pd.DataFrame:
    """Window and staff utilisation (panel ``share``, 0..1) and empty-window minutes per day
    (panel ``empty``) per scenario, with intervals (columns :data:`BARS_COLUMNS`)."""
    return _bars_data(as_results(results), {
        "share": [("window_utilisation", "all", text("fig.util.window", lang)),
                  ("staff_utilisation", "all", text("fig.util.staff", lang))],
        "empty": [("empty_window_min_per_day", "all", kpi_label("empty_window_min_per_day", lang))]})


def _bars(ax, names: list[str], data: pd.DataFrame) -> bool:
    """Grouped bars of one panel's rows of :func:`_bars_data`: one group per scenario, one
    bar per series with its interval; returns whether anything had data."""
    n_series = int(data["series"].max()) + 1 if len(data) else 1
    width = 0.8 / n_series
    for j, part in data.groupby("series", sort=True):
        part = part.set_index("scenario").reindex(names)
        y = part["mean"].to_numpy(float)
        err = np.array([np.nan_to_num(y - part["ci_low"].to_numpy(float)),
                        np.nan_to_num(part["ci_high"].to_numpy(float) - y)])
        x = np.arange(len(names)) + (j - (n_series - 1) / 2) * width
        ax.bar(x, np.nan_to_num(y), width=width * 0.95, yerr=np.clip(err, 0, None), capsize=3, color=colour(j),
               alpha=0.85, label=str(part["label"].dropna().iloc[0]), error_kw={"elinewidth": 1, "ecolor": "#333333"})
    ax.set_xticks(np.arange(len(names)), names, rotation=0 if len(names) < 4 else 20)
    return bool(np.isfinite(data["mean"].to_numpy(float)).any())


def elderly_vs_others(results, lang: str = "en"):
    """Mean and 90th percentile wait of elderly visitors and of others, per scenario, with
    intervals (:func:`elderly_data`); the elderly 90th-percentile target of the first
    scenario as a line."""
    results = as_results(results)
    fig, (ax1, ax2) = new_figure(lang, width=8.5, height=3.8, ncols=2)
    data = elderly_data(results, lang)
    names = list(results)
    for ax, panel in ((ax1, "mean"), (ax2, "p90")):
        if not _bars(ax, names, data[data["panel"] == panel]):
            no_data(ax, lang)
    target = next(iter(results.values())).scenario.sla.elderly_wait_p90_max_min
    target_line(ax2, target, lang)
    ax1.set_ylabel(text("fig.elderly.mean", lang))
    ax2.set_ylabel(text("fig.elderly.p90", lang))
    fig.suptitle(text("fig.elderly.title", lang))
    _legend(ax1, loc="best")
    _legend(ax2, loc="best")
    return finish(fig, lang)


def utilisation(results, lang: str = "en"):
    """Window and staff utilisation (share of minutes serving) and empty-window minutes per
    day (空窗) per scenario, with intervals (:func:`utilisation_data`); the empty-window
    target as a line."""
    results = as_results(results)
    fig, (ax1, ax2) = new_figure(lang, width=8.5, height=3.8, ncols=2)
    data = utilisation_data(results, lang)
    names = list(results)
    for ax, panel in ((ax1, "share"), (ax2, "empty")):
        if not _bars(ax, names, data[data["panel"] == panel]):
            no_data(ax, lang)
    ax1.set_ylim(0, 1)
    ax1.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax1.set_ylabel(text("fig.util.share", lang))
    target = next(iter(results.values())).scenario.sla.empty_window_max_min
    if target:
        target_line(ax2, target, lang, label=text("fig.target", lang, v=float(target)).replace(" min", ""))
    ax2.set_ylabel(text("fig.util.empty", lang))
    ax2.set_ylim(bottom=0)
    fig.suptitle(text("fig.util.title", lang))
    _legend(ax1)
    return finish(fig, lang)


# ------------------------------------------------------------------ one result
def _bin_overlap(start: np.ndarray, end: np.ndarray, bins: np.ndarray, width: float = 60.0) -> np.ndarray:
    """Minutes each interval [start, end) spends in each bin [b·width, (b+1)·width) (clock
    hours by default): shape (len(start), len(bins))."""
    a = np.maximum(start[:, None], bins[None, :] * width)
    b = np.minimum(end[:, None], bins[None, :] * width + width)
    return np.clip(b - a, 0.0, None)


MIN_OPEN_SHARE = 0.25
"""Share of a heat-map cell's time (bin × days) a window must be open for its utilisation to be drawn."""


HEATMAP_COLUMNS = {
    "window": "window id, in the scenario's order",
    "bin_start_min": "start of the time bin, minutes since midnight (continuous runs: since the start)",
    "bin_width_min": "width of the bin, minutes (see bin_width)",
    "open_min": "minutes the window was open (serving, idle or empty) in the bin, summed over days",
    "serving_min": "minutes it was serving in the bin, summed over days",
    "share": "serving_min / open_min, 0..1; NaN when open for less than MIN_OPEN_SHARE of the bin's time",
}
"""Columns of :func:`utilisation_heatmap_data`."""


def utilisation_heatmap_data(result) -> pd.DataFrame:
    """Share of each window's open minutes spent serving per time bin (an hour; continuous
    runs: see :func:`bin_width`) over every replication and day: one row per window × bin
    (columns :data:`HEATMAP_COLUMNS`); no rows when no window was ever open."""
    w = result.tables["windows"]
    w = w[w["state"].isin(["serving", "idle", "empty"])]
    if w.empty:
        return pd.DataFrame(columns=list(HEATMAP_COLUMNS))
    start, end = w["start_min"].to_numpy(float), w["end_min"].to_numpy(float)
    width = bin_width(result)
    hours = np.arange(int(start.min() // width), int(math.ceil(end.max() / width)))
    windows = [x.id for x in result.scenario.windows]
    serving = np.zeros((len(windows), len(hours)))
    open_ = np.zeros_like(serving)
    is_serving = (w["state"] == "serving").to_numpy()
    win = w["window"].to_numpy()
    for i, wid in enumerate(windows):
        m = win == wid
        if not m.any():
            continue
        ov = _bin_overlap(start[m], end[m], hours, width)
        open_[i] = ov.sum(axis=0)
        serving[i] = ov[is_serving[m]].sum(axis=0)
    # a cell open for under a quarter of its time (minutes of overtime after closing) would
    # show a few minutes' share as if it were a whole hour: leave it blank
    days = len(w[["replication", "day"]].drop_duplicates()) if "day" in w else w["replication"].nunique()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(open_ >= MIN_OPEN_SHARE * width * max(days, 1), serving / open_, np.nan)
    return pd.DataFrame({"window": np.repeat(windows, len(hours)), "bin_start_min": np.tile(hours * width, len(windows)),
                         "bin_width_min": width, "open_min": open_.ravel(), "serving_min": serving.ravel(),
                         "share": share.ravel()})


def utilisation_heatmap(result, lang: str = "en"):
    """Share of each window's open minutes (serving + idle + empty) spent serving, per clock
    hour (continuous runs: per bin, see :func:`bin_width`), over all replications and days
    (window × hour; :func:`utilisation_heatmap_data`). Cells in which the window was open for
    less than :data:`MIN_OPEN_SHARE` of the time (overtime minutes after closing) are left blank."""
    fig, ax = new_figure(lang, width=8.0, height=1.2 + 0.45 * max(1, len(result.scenario.windows)))
    data = utilisation_heatmap_data(result)
    if data.empty:
        no_data(ax, lang)
        ax.set_title(text("fig.heat.title", lang, name=result.scenario.hall.name))
        return finish(fig, lang)
    windows = list(dict.fromkeys(data["window"]))
    width = float(data["bin_width_min"].iloc[0])
    hours = (np.sort(data["bin_start_min"].unique()) / width).round().astype(int)
    share = data["share"].to_numpy(float).reshape(len(windows), len(hours))
    im = ax.imshow(share, aspect="auto", cmap="YlOrRd", vmin=0, vmax=1, interpolation="nearest")
    if share.size <= 400:
        for (i, j), v in np.ndenumerate(share):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 else "black")
    ax.set_yticks(range(len(windows)), windows)
    ax.set_xticks(range(len(hours)), [f"{h:02d}" for h in hours] if not result.scenario.continuous
                  else [f"{h * width:g}" for h in hours], fontsize=8, rotation=0 if width == 60 else 45)
    ax.grid(False)
    ax.set_xlabel(text("fig.heat.x", lang) if not result.scenario.continuous else text("fig.minutes_since_start", lang))
    ax.set_ylabel(text("fig.heat.y", lang))
    bar = fig.colorbar(im, ax=ax, format=PercentFormatter(1.0), fraction=0.04)
    bar.set_label(text("fig.heat.bar", lang))
    ax.set_title(text("fig.heat.title", lang, name=result.scenario.hall.name))
    return finish(fig, lang)


TIMELINE_CONTINUOUS_MIN = 480.0
"""Minutes of a continuous run that the sample-day timeline shows (after the warm-up)."""

WINDOW_STATES = ("serving", "idle", "empty", "closed")
STAFF_STATES = ("serving", "idle", "guide", "available", "break", "absence", "helper", "helping")


TIMELINE_COLUMNS = {
    "kind": "window or staff",
    "row": "window id or staff name",
    "state": "state of the span (WINDOW_STATES for windows, STAFF_STATES for staff)",
    "start_min": "start of the span, minutes since midnight (continuous runs: since the start)",
    "end_min": "end of the span, minutes",
    "covered": "True when a B post attends the window (windows only)",
}
"""Columns of :func:`day_timeline_data`."""


def day_timeline_data(result, replication: int = 0, day: int = 0) -> pd.DataFrame:
    """The state spans of every window and person on one sample day (columns
    :data:`TIMELINE_COLUMNS`); ValueError when that replication and day were not run."""
    sel = lambda f: f[(f["replication"] == replication) & (f["day"] == day)]  # noqa: E731
    win, staff = sel(result.tables["windows"]), sel(result.tables["staff"])
    if win.empty and staff.empty:
        reps = sorted(set(result.tables["windows"]["replication"]))
        raise ValueError(f"day_timeline: no replication {replication} day {day} in the result "
                         f"(replications {reps[:1]}…{reps[-1:]}, days 0…{result.scenario.run.days - 1})")
    parts = [pd.DataFrame({"kind": "window", "row": win["window"], "state": win["state"], "start_min": win["start_min"],
                           "end_min": win["end_min"], "covered": win["covered"].astype(bool)}),
             pd.DataFrame({"kind": "staff", "row": staff["staff"], "state": staff["state"],
                           "start_min": staff["start_min"], "end_min": staff["end_min"], "covered": False})]
    return pd.concat([p for p in parts if len(p)], ignore_index=True)


def day_timeline(result, replication: int = 0, day: int = 0, lang: str = "en"):
    """The windows (serving, idle, empty, closed; covered hatched) and the staff (serving,
    idle, guide desk, available, break, absence, at the helper post, helping) of one sample
    day, as bars along the clock (:func:`day_timeline_data`)."""
    data = day_timeline_data(result, replication, day)
    win, staff = data[data["kind"] == "window"], data[data["kind"] == "staff"]
    windows = [x.id for x in result.scenario.windows]
    people = list(dict.fromkeys(staff["row"])) if not staff.empty else []
    rows = [("window", w) for w in windows] + [("staff", p) for p in people]
    fig, ax = new_figure(lang, width=9.0, height=1.4 + 0.32 * len(rows))
    y_of = {r: len(rows) - 1 - i for i, r in enumerate(rows)}
    seen: set[str] = set()

    def bars(frame, key, kind, states, hatch_covered):
        for state in states:
            sub = frame[frame["state"] == state]
            label = None if state in seen else text(f"state.{state}", lang)
            seen.add(state)
            for ident, part in sub.groupby(key, sort=False):
                if (kind, ident) not in y_of:
                    continue
                spans = list(zip(part["start_min"], part["end_min"] - part["start_min"]))
                ax.broken_barh(spans, (y_of[(kind, ident)] - 0.4, 0.8), facecolors=STATE_COLOURS[state],
                               label=label, linewidth=0)
                label = None
        if hatch_covered:
            cov = frame[frame["covered"].astype(bool) & frame["state"].isin(["serving", "idle"])]
            label = text("state.covered", lang)
            for ident, part in cov.groupby(key, sort=False):
                if (kind, ident) not in y_of:
                    continue
                spans = list(zip(part["start_min"], part["end_min"] - part["start_min"]))
                ax.broken_barh(spans, (y_of[(kind, ident)] - 0.4, 0.8), facecolors="none", edgecolor="#444444",
                               hatch="////", linewidth=0, label=label)
                label = None

    bars(win, "row", "window", WINDOW_STATES, True)
    bars(staff, "row", "staff", STAFF_STATES, False)
    ax.set_yticks([y_of[r] for r in rows], [f"{r[1]}" for r in rows], fontsize=8)
    if windows and people:
        ax.axhline(len(people) - 0.5, color="#555555", linewidth=0.8)
    clock_axis(ax.xaxis, result.scenario.continuous, lang)
    if result.scenario.continuous:  # a continuous run has no day: show its first hours after the warm-up
        start = float(result.scenario.run.warmup_min)
        ax.set_xlim(start, min(float(result.scenario.run.horizon_min), start + TIMELINE_CONTINUOUS_MIN))
    ax.grid(axis="y", visible=False)
    ax.set_title(text("fig.timeline.title", lang, name=result.scenario.hall.name, rep=replication, day=day))
    if ax.get_legend_handles_labels()[0]:
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=5, frameon=False, fontsize=8)
    return finish(fig, lang)


ISSUANCE_COLUMNS = {
    "scenario": "scenario name",
    "from_min": "start of the bin of arrival → card in hand, minutes",
    "to_min": "end of the bin, minutes (the last bin also holds the longer times)",
    "share": "share of the scenario's on-the-spot cards in the bin, 0..1",
}
"""Columns of :func:`issuance_data`."""


def _issuance_minutes(results) -> dict[str, np.ndarray]:
    """Arrival → card in hand (minutes) of on-the-spot issuance per scenario that has any."""
    data = {}
    for name, res in results.items():
        v = _columns(res, "visits", ("in_warmup", "issuance_min"))
        x = v["issuance_min"][~v["in_warmup"].astype(bool)].astype(float)
        x = x[~np.isnan(x)]
        if len(x):
            data[name] = x
    return data


def issuance_data(results, target_min=None) -> pd.DataFrame:
    """The histogram of arrival → card in hand for on-the-spot issuance (立等可取) per
    scenario (columns :data:`ISSUANCE_COLUMNS`): bins of one minute (wider for long
    times) up to the 99.5th percentile or 1.2 × the target (minutes), the longest times
    in the last bin."""
    results = as_results(results)
    data = _issuance_minutes(results)
    if not data:
        return pd.DataFrame(columns=list(ISSUANCE_COLUMNS))
    top = max(float(np.quantile(x, 0.995)) for x in data.values())
    if target_min is not None:
        top = max(top, float(target_min) * 1.2)
    bins = np.arange(0.0, math.ceil(top) + 1.0, max(1.0, math.ceil(top / 60)))
    frames = []
    for name, x in data.items():
        counts, _ = np.histogram(np.clip(x, 0, bins[-1]), bins=bins)
        frames.append(pd.DataFrame({"scenario": name, "from_min": bins[:-1], "to_min": bins[1:],
                                    "share": counts / len(x)}))
    return pd.concat(frames, ignore_index=True)


def issuance_times(results, target_min=None, lang: str = "en"):
    """Histogram of arrival → card in hand for on-the-spot issuance (立等可取), per scenario
    (share of its cards per 1-minute bin, :func:`issuance_data`), with the issuance target
    (minutes) as a line."""
    results = as_results(results)
    fig, ax = new_figure(lang)
    data = issuance_data(results, target_min)
    if data.empty:
        no_data(ax, lang)
    else:
        for i, name in enumerate(results):
            d = data[data["scenario"] == name]
            if d.empty:
                continue
            edges = np.r_[d["from_min"].to_numpy(float), d["to_min"].to_numpy(float)[-1]]
            ax.stairs(d["share"].to_numpy(float), edges, linewidth=1.8, color=colour(i), linestyle=linestyle(i),
                      label=name)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, float(data["to_min"].max()))
    target_line(ax, target_min, lang, vertical=True)
    ax.set_xlabel(text("fig.issuance.x", lang))
    ax.set_ylabel(text("fig.issuance.y", lang))
    ax.set_title(text("fig.issuance.title", lang))
    _legend(ax, loc="upper right")
    return finish(fig, lang)
