"""Interactive charts of the dashboard: the tidy frames of :mod:`sim.plots` drawn with Altair
(which ships with Streamlit), sized to the page, with hover tooltips giving each value.

Each function takes the frame of a ``sim.plots`` data function (or a library table that is
already tidy: a staffing plan's blocks, an issuance run's daily table and applications, a
sweep's summary) and ``lang``, and returns an :class:`altair.Chart` (or layered chart)
that the page draws with :func:`show`. The matplotlib figures of :mod:`sim.plots` stay the
reports' own; these charts draw the same numbers. Times of day are minutes since midnight
on the data side and ``HH:MM`` on the axes and in the tooltips.

No Streamlit here except in :func:`show`.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from sim.plots.style import PALETTE, TARGET_COLOUR
from sim.results.labels import group_label, kpi_label, text
from sim.scenario.clock import to_minutes
from sim.ui.text import t

__all__ = ["HEIGHT", "queue_chart", "waits_by_hour_chart", "wait_cdf_chart", "bars_chart", "issuance_chart",
           "staffing_chart", "backlog_chart", "cycle_chart", "sweep_chart", "show", "clock", "kpi_title", "hour_ticks"]

HEIGHT = 300
"""Height of a chart, pixels (its width follows the column it is drawn in)."""

CLOCK_AXIS = "timeFormat(datetime(2000, 0, 1, 0, datum.value), '%H:%M')"
"""Vega expression writing an axis value in minutes since midnight as HH:MM (minutes beyond
the day carry over into hours)."""


def clock(minutes) -> list[str]:
    """``HH:MM`` for each number of minutes since midnight (hours beyond 24 kept: ``25:10``)."""
    return [f"{int(m // 60):02d}:{int(round(m % 60)) % 60:02d}" if np.isfinite(m) else "" for m in minutes]


def _scenario_colour(names: list[str]) -> alt.Color:
    return alt.Color("scenario:N", scale=alt.Scale(domain=names, range=list(PALETTE[:len(names)])),
                     sort=names, legend=alt.Legend(title=None, orient="bottom"))


def hour_ticks(low: float, high: float, most: int = 8) -> list[float]:
    """Whole hours (in minutes) from ``low`` to ``high``, every 1, 2, 3 … hours so that there
    are at most ``most`` of them."""
    first, last = math.floor(low / 60), math.ceil(high / 60)
    step = max(1, math.ceil((last - first) / most))
    return [60.0 * h for h in range(first, last + 1, step)]


def _time_x(continuous: bool, title: str, span: tuple[float, float], field: str = "time_min") -> alt.X:
    """An x axis in minutes: clock times on whole hours for opening days, plain minutes for
    continuous runs."""
    if continuous:
        axis = alt.Axis(title=title)
    else:
        axis = alt.Axis(title=title, labelExpr=CLOCK_AXIS, values=hour_ticks(*span))
    return alt.X(f"{field}:Q", axis=axis, scale=alt.Scale(zero=False, nice=False, domain=list(span)))


def _target_rule(value, vertical: bool, lang: str) -> alt.Chart | None:
    """The SLA target as a red dashed rule with its label in the tooltip, or None."""
    if value is None or not math.isfinite(float(value)):
        return None
    label = text("fig.target", lang, v=float(value))
    frame = pd.DataFrame({"target": [float(value)], "label": [label]})
    enc = alt.X("target:Q") if vertical else alt.Y("target:Q")
    return alt.Chart(frame).mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=1.5).encode(
        enc, tooltip=[alt.Tooltip("label:N", title=t("ch.target", lang))])


def _layer(*charts, title: str) -> alt.LayerChart:
    return alt.layer(*[c for c in charts if c is not None]).properties(title=title, height=HEIGHT)


def _empty(title: str, lang: str) -> alt.Chart:
    frame = pd.DataFrame({"x": [0], "y": [0], "label": [text("fig.nodata", lang)]})
    return alt.Chart(frame).mark_text(size=16, color="#777777").encode(
        x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None), text="label:N").properties(title=title, height=HEIGHT)


# ------------------------------------------------------------------ hall runs
def queue_chart(data: pd.DataFrame, names: list[str], continuous: bool, lang: str = "en"):
    """Mean waiting tickets through the day per scenario with its 10–90 % band over days
    (:func:`sim.plots.hall.queue_data`)."""
    title = text("fig.queue.title", lang)
    if data.empty:
        return _empty(title, lang)
    data = data.assign(clock=clock(data["time_min"]))
    span = (float(data["time_min"].min()), float(data["time_min"].max()))
    base = alt.Chart(data).encode(_time_x(continuous, t("ch.time", lang), span), color=_scenario_colour(names))
    band = base.mark_area(opacity=0.18).encode(y="p10:Q", y2="p90:Q")
    line = base.mark_line(strokeWidth=2).encode(
        y=alt.Y("mean:Q", title=text("fig.queue.y", lang)),
        tooltip=[alt.Tooltip("scenario:N", title=t("ch.scenario", lang)),
                 alt.Tooltip("clock:N", title=t("ch.time", lang)),
                 alt.Tooltip("mean:Q", title=t("ch.mean", lang), format=".1f"),
                 alt.Tooltip("p10:Q", title=t("ch.p10_days", lang), format=".1f"),
                 alt.Tooltip("p90:Q", title=t("ch.p90_days", lang), format=".1f")])
    return _layer(band, line, line.mark_point(size=30, opacity=0).encode(), title=title)


def waits_by_hour_chart(data: pd.DataFrame, names: list[str], continuous: bool, target=None, lang: str = "en"):
    """90th percentile wait per hour of the ticket with its interval (solid) and the mean
    (dotted), per scenario, with the wait target (:func:`sim.plots.hall.waits_by_hour_data`)."""
    title = text("fig.hour.title", lang)
    if data.empty:
        return _empty(title, lang)
    data = data.assign(time_min=data["bin_start_min"] + data["bin_width_min"] / 2,
                       clock=[f"{a}–{b}" for a, b in zip(clock(data["bin_start_min"]),
                                                          clock(data["bin_start_min"] + data["bin_width_min"]))])
    tips = [alt.Tooltip("scenario:N", title=t("ch.scenario", lang)),
            alt.Tooltip("clock:N", title=text("fig.hour.x", lang)),
            alt.Tooltip("p90:Q", title=t("ch.p90", lang), format=".1f"),
            alt.Tooltip("p90_low:Q", title=t("ch.low", lang), format=".1f"),
            alt.Tooltip("p90_high:Q", title=t("ch.high", lang), format=".1f"),
            alt.Tooltip("mean:Q", title=t("ch.mean_wait", lang), format=".1f")]
    span = (float(data["bin_start_min"].min()), float((data["bin_start_min"] + data["bin_width_min"]).max()))
    base = alt.Chart(data).encode(_time_x(continuous, text("fig.hour.x", lang), span), color=_scenario_colour(names))
    p90 = base.mark_line(point=True, strokeWidth=2).encode(y=alt.Y("p90:Q", title=text("fig.hour.y", lang)),
                                                           tooltip=tips)
    err = base.mark_rule(strokeWidth=1.5).encode(y="p90_low:Q", y2="p90_high:Q", tooltip=tips)
    mean = base.mark_line(strokeDash=[2, 3], strokeWidth=1.5).encode(y="mean:Q", tooltip=tips)
    return _layer(err, p90, mean, _target_rule(target, False, lang), title=title)


def wait_cdf_chart(data: pd.DataFrame, names: list[str], target=None, lang: str = "en"):
    """Share of visitors waiting at most x minutes per scenario, with the wait target
    (:func:`sim.plots.hall.wait_cdf_data`)."""
    title = text("fig.cdf.title", lang)
    if data.empty:
        return _empty(title, lang)
    data = data[data["wait_min"] <= data.groupby("scenario")["wait_min"].transform(lambda w: w.quantile(0.995))]
    line = alt.Chart(data).mark_line(interpolate="step-after", strokeWidth=2).encode(
        x=alt.X("wait_min:Q", title=text("fig.cdf.x", lang)),
        y=alt.Y("share:Q", title=text("fig.cdf.y", lang), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=_scenario_colour(names),
        tooltip=[alt.Tooltip("scenario:N", title=t("ch.scenario", lang)),
                 alt.Tooltip("wait_min:Q", title=text("fig.cdf.x", lang), format=".1f"),
                 alt.Tooltip("share:Q", title=t("ch.share_within", lang), format=".0%")])
    return _layer(line, _target_rule(target, True, lang), title=title)


def bars_chart(data: pd.DataFrame, names: list[str], title: str, y_title: str, share: bool = False, target=None,
               lang: str = "en"):
    """Grouped bars with intervals: one group per scenario, one bar per series, from the rows
    of one panel of :func:`sim.plots.hall.elderly_data` / :func:`utilisation_data`."""
    if data.empty or not np.isfinite(data["mean"].to_numpy(float)).any():
        return _empty(title, lang)
    fmt = ".1%" if share else ".2f"
    y_axis = alt.Axis(format="%") if share else alt.Axis()
    base = alt.Chart(data).encode(
        x=alt.X("scenario:N", sort=names, title=None, axis=alt.Axis(labelAngle=0, labelLimit=160)),
        xOffset=alt.XOffset("label:N", sort=list(dict.fromkeys(data["label"]))))
    tips = [alt.Tooltip("scenario:N", title=t("ch.scenario", lang)), alt.Tooltip("label:N", title=t("ch.series", lang)),
            alt.Tooltip("mean:Q", title=t("ch.mean", lang), format=fmt),
            alt.Tooltip("ci_low:Q", title=t("ch.low", lang), format=fmt),
            alt.Tooltip("ci_high:Q", title=t("ch.high", lang), format=fmt)]
    bars = base.mark_bar(opacity=0.85).encode(
        y=alt.Y("mean:Q", title=y_title, axis=y_axis),
        color=alt.Color("label:N", scale=alt.Scale(range=list(PALETTE)), legend=alt.Legend(title=None, orient="bottom")),
        tooltip=tips)
    err = base.mark_rule(color="#333333").encode(y="ci_low:Q", y2="ci_high:Q", tooltip=tips)
    return _layer(bars, err, _target_rule(target, False, lang), title=title)


def issuance_chart(data: pd.DataFrame, names: list[str], target=None, lang: str = "en"):
    """Share of on-the-spot cards per bin of arrival → card in hand, per scenario, with the
    issuance target (:func:`sim.plots.hall.issuance_data`)."""
    title = text("fig.issuance.title", lang)
    if data.empty:
        return _empty(title, lang)
    data = data.assign(bin=[f"{a:g}–{b:g}" for a, b in zip(data["from_min"], data["to_min"])])
    line = alt.Chart(data).mark_line(interpolate="step-after", strokeWidth=2).encode(
        x=alt.X("from_min:Q", title=text("fig.issuance.x", lang)),
        y=alt.Y("share:Q", title=text("fig.issuance.y", lang), axis=alt.Axis(format="%")),
        color=_scenario_colour(names),
        tooltip=[alt.Tooltip("scenario:N", title=t("ch.scenario", lang)),
                 alt.Tooltip("bin:N", title=text("fig.issuance.x", lang)),
                 alt.Tooltip("share:Q", title=text("fig.issuance.y", lang), format=".1%")])
    return _layer(line, line.mark_point(size=30, opacity=0).encode(), _target_rule(target, True, lang), title=title)


# ------------------------------------------------------------------ staffing, issuance, sweeps
def staffing_chart(blocks: pd.DataFrame, continuous: bool = False, lang: str = "en"):
    """Arrivals per hour of each block (bars, left axis) with the proposed windows, the staff
    on shift and the Erlang C / A references (steps, right axis); blocks whose targets are
    not met marked with a red cross. ``blocks`` is ``StaffingPlan.blocks``."""
    title = text("fig.staffing.title", lang)
    if blocks.empty:
        return _empty(title, lang)
    frame = blocks.assign(start_min=[to_minutes(s) for s in blocks["block_start"]],
                          end_min=[to_minutes(s) for s in blocks["block_end"]])
    frame["block"] = [f"{a}–{b}" for a, b in zip(blocks["block_start"], blocks["block_end"])]
    x = _time_x(continuous, t("ch.time", lang), (float(frame["start_min"].min()), float(frame["end_min"].max())),
                "start_min")
    demand = alt.Chart(frame).mark_bar(color="#c9dff2", stroke="#8fb8de").encode(
        x, x2="end_min:Q", y=alt.Y("arrivals_per_hour:Q", title=text("fig.staffing.demand", lang)),
        tooltip=[alt.Tooltip("block:N", title=t("ch.block", lang)),
                 alt.Tooltip("arrivals_per_hour:Q", title=text("fig.staffing.demand", lang), format=".1f")])
    series = {"windows": text("fig.staffing.windows", lang), "staff": text("fig.staffing.staff", lang),
              "erlang_c_windows": text("fig.staffing.erlang_c", lang),
              "erlang_a_windows": text("fig.staffing.erlang_a", lang)}
    cols = [c for c in series if c in frame]
    last = frame.iloc[[-1]].assign(start_min=frame["end_min"].iloc[-1])  # the last step's end
    long = pd.concat([frame, last]).melt(id_vars=["start_min", "block", "verdict"], value_vars=cols,
                                          var_name="series", value_name="count")
    long["series"] = long["series"].map(series)
    long = long[np.isfinite(long["count"].astype(float))]
    steps = alt.Chart(long).mark_line(interpolate="step-after", strokeWidth=2).encode(
        alt.X("start_min:Q"), y=alt.Y("count:Q", title=text("fig.staffing.count", lang),
                                      axis=alt.Axis(orient="right", tickMinStep=1)),
        color=alt.Color("series:N", sort=list(series.values()), scale=alt.Scale(range=list(PALETTE)),
                        legend=alt.Legend(title=None, orient="bottom")),
        strokeDash=alt.StrokeDash("series:N", sort=list(series.values()), legend=None),
        tooltip=[alt.Tooltip("block:N", title=t("ch.block", lang)), alt.Tooltip("series:N", title=t("ch.series", lang)),
                 alt.Tooltip("count:Q", title=t("ch.value", lang), format=".0f")])
    missed = frame[frame["verdict"].isin(["not met", "uncertain"])].assign(
        mid=lambda f: (f["start_min"] + f["end_min"]) / 2, label=text("fig.staffing.missed", lang))
    marks = alt.Chart(missed).mark_point(shape="cross", size=90, color=TARGET_COLOUR, filled=True).encode(
        x="mid:Q", y=alt.Y("windows:Q", axis=None),
        tooltip=[alt.Tooltip("block:N", title=t("ch.block", lang)), alt.Tooltip("label:N", title=t("ch.verdict", lang))])
    right = alt.layer(steps, marks)
    return alt.layer(demand, right).resolve_scale(y="independent").properties(title=title, height=HEIGHT)


def backlog_chart(daily: pd.DataFrame, routes: list[str], lang: str = "en"):
    """End-of-day backlog per working day and pipeline route: the mean over replications
    with its 10–90 % band (``IssuanceResult.daily``)."""
    title = text("fig.backlog.title", lang)
    if daily is None or daily.empty or not routes:
        return _empty(title, lang)
    frames = []
    for route in routes:
        g = daily.groupby("date")[f"backlog_{route}"]
        frames.append(pd.DataFrame({"date": pd.to_datetime(g.mean().index), "route": text(f"route.{route}", lang),
                                    "mean": g.mean().to_numpy(), "p10": g.quantile(0.1).to_numpy(),
                                    "p90": g.quantile(0.9).to_numpy()}))
    frame = pd.concat(frames, ignore_index=True)
    base = alt.Chart(frame).encode(x=alt.X("date:T", title=text("fig.date", lang)),
                                   color=alt.Color("route:N", scale=alt.Scale(range=list(PALETTE)),
                                                   legend=alt.Legend(title=None, orient="bottom")))
    band = base.mark_area(opacity=0.2).encode(y="p10:Q", y2="p90:Q")
    line = base.mark_line(point=True).encode(
        y=alt.Y("mean:Q", title=text("fig.backlog.y", lang)),
        tooltip=[alt.Tooltip("date:T", title=text("fig.date", lang), format="%Y-%m-%d"),
                 alt.Tooltip("route:N", title=t("ch.series", lang)),
                 alt.Tooltip("mean:Q", title=t("ch.mean", lang), format=".0f"),
                 alt.Tooltip("p10:Q", title="p10", format=".0f"), alt.Tooltip("p90:Q", title="p90", format=".0f")])
    return _layer(band, line, title=title)


def cycle_chart(applications: pd.DataFrame, routes: list[str], limits: dict[str, float | None], lang: str = "en"):
    """Share of cards ready within x working days per pipeline route, with each route's
    target (``IssuanceResult.applications``)."""
    title = text("fig.cycle.title", lang)
    frames = []
    for route in routes:
        x = applications.loc[applications["route"] == route, "cycle_days"].dropna().to_numpy(float) \
            if applications is not None else np.array([])
        if len(x):
            days, counts = np.unique(x, return_counts=True)
            frames.append(pd.DataFrame({"route": text(f"route.{route}", lang), "days": days,
                                        "share": np.cumsum(counts) / len(x)}))
    if not frames:
        return _empty(title, lang)
    frame = pd.concat(frames, ignore_index=True)
    line = alt.Chart(frame).mark_line(interpolate="step-after", point=True).encode(
        x=alt.X("days:Q", title=text("fig.cycle.x", lang)),
        y=alt.Y("share:Q", title=text("fig.cycle.y", lang), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("route:N", scale=alt.Scale(range=list(PALETTE)), legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("route:N", title=t("ch.series", lang)),
                 alt.Tooltip("days:Q", title=text("fig.cycle.x", lang), format=".0f"),
                 alt.Tooltip("share:Q", title=t("ch.share_within", lang), format=".0%")])
    rules = [_target_rule(limits.get(r), True, lang) for r in routes]
    return _layer(line, *rules, title=title)


def sweep_chart(rows: pd.DataFrame, parameter: str, others: list[str], y_title: str, share: bool = False,
                target=None, lang: str = "en"):
    """A KPI against a swept parameter: the mean at each point with its interval, one line
    per combination of the ``others`` swept parameters (rows of ``SweepResult.summary``
    for one KPI and group)."""
    title = text("fig.sweep.title", lang, kpi=y_title, param=parameter)
    if rows.empty:
        return _empty(title, lang)
    frame = rows.assign(line=rows[others].astype(str).agg(", ".join, axis=1) if others else y_title)
    numeric = pd.api.types.is_numeric_dtype(rows[parameter]) and not pd.api.types.is_bool_dtype(rows[parameter])
    x = alt.X(f"{parameter}:{'Q' if numeric else 'N'}", title=parameter,
              sort=None if numeric else list(dict.fromkeys(rows[parameter].astype(str))),
              scale=alt.Scale(zero=False) if numeric else alt.Undefined)
    fmt = ".1%" if share else ".2f"
    tips = [alt.Tooltip("point:N", title=t("ch.point", lang)), alt.Tooltip(f"{parameter}:N", title=parameter),
            alt.Tooltip("mean:Q", title=t("ch.mean", lang), format=fmt),
            alt.Tooltip("ci_low:Q", title=t("ch.low", lang), format=fmt),
            alt.Tooltip("ci_high:Q", title=t("ch.high", lang), format=fmt)]
    if others:
        tips.insert(1, alt.Tooltip("line:N", title=", ".join(others)))
    colour = alt.Color("line:N", scale=alt.Scale(range=list(PALETTE)),
                       legend=alt.Legend(title=None, orient="bottom") if others else None)
    base = alt.Chart(frame).encode(x=x, color=colour)
    line = base.mark_line(point=True).encode(y=alt.Y("mean:Q", title=y_title,
                                                     axis=alt.Axis(format="%") if share else alt.Axis()),
                                             tooltip=tips)
    err = base.mark_rule().encode(y="ci_low:Q", y2="ci_high:Q", tooltip=tips)
    return _layer(err, line, _target_rule(target, False, lang), title=title)


def show(chart) -> None:
    """Draw ``chart`` at the width of its column. Its Vega-Lite spec is written without
    Altair's schema validation (the charts here are fixed; validating eight of them took
    about 70 ms of the Compare page's first draw)."""
    import streamlit as st

    st.vega_lite_chart(chart.to_dict(validate=False), width="stretch", alt=_alt_text(chart))


def _alt_text(chart) -> str | None:
    title = getattr(chart, "title", None)
    return title if isinstance(title, str) else None


def kpi_title(kpi: str, group: str, lang: str) -> str:
    """A KPI and (unless ``all``) its group, for a chart's axis."""
    return kpi_label(kpi, lang) + ("" if group == "all" else f" ({group_label(group, lang)})")
