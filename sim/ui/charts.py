"""Interactive charts of the dashboard: the tidy frames of :mod:`sim.plots` as Vega-Lite charts
(drawn by Streamlit), sized to the page, with hover tooltips giving each value.

Each function takes the frame of a ``sim.plots`` data function (or a library table that is
already tidy: a staffing plan's blocks, an issuance run's daily table and applications, a
sweep's summary) and ``lang``, and returns a :class:`Chart` that the page draws with
:func:`show`. The matplotlib figures of :mod:`sim.plots` stay the reports' own; these charts
draw the same numbers. Times of day are minutes since midnight on the data side and
``HH:MM`` on the axes and in the tooltips.

The specs are written here as plain dicts, in the form Altair's ``to_dict`` gives (inline
data moved to top-level ``datasets`` named by a hash of their values, the data of a layered
chart lifted to the top when every layer shares it): building the same charts with Altair's
objects cost about 25 ms each, most of the Compare page's drawing time.
:meth:`Chart.to_dict` checks a spec against the Vega-Lite schema on request (the tests do).

No Streamlit here except in :func:`show`.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from sim.plots.style import PALETTE, TARGET_COLOUR
from sim.results.labels import group_label, kpi_label, text
from sim.scenario.clock import to_minutes
from sim.ui.text import t

__all__ = ["HEIGHT", "Chart", "queue_chart", "waits_by_hour_chart", "wait_cdf_chart", "bars_chart", "issuance_chart",
           "staffing_chart", "backlog_chart", "cycle_chart", "sweep_chart", "show", "clock", "kpi_title", "hour_ticks",
           "chart_values", "dataset_name", "SCHEMA_URL"]

HEIGHT = 300
"""Height of a chart, pixels (its width follows the column it is drawn in)."""

SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
"""The Vega-Lite schema the specs follow (the one of the Altair that ships with Streamlit)."""

CONFIG = {"view": {"continuousWidth": 300, "continuousHeight": 300}}
"""The top-level ``config`` of every spec (Altair's default)."""

CLOCK_AXIS = "timeFormat(datetime(2000, 0, 1, 0, datum.value), '%H:%M')"
"""Vega expression writing an axis value in minutes since midnight as HH:MM (minutes beyond
the day carry over into hours)."""

_TYPES = {"Q": "quantitative", "N": "nominal", "T": "temporal", "O": "ordinal"}
_LEGEND = {"orient": "bottom", "title": None}


@dataclass(frozen=True)
class Chart:
    """A Vega-Lite spec (a dict of JSON values) with its inline data in ``spec["datasets"]``."""

    spec: Mapping[str, Any]

    @property
    def title(self) -> str | None:
        return self.spec.get("title")

    def to_dict(self, validate: bool = True) -> dict:
        """The spec: a new top-level dict and ``datasets`` (Streamlit takes the datasets out
        of it), its other parts shared. With ``validate``, checked against the Vega-Lite
        schema first (jsonschema; raises ``altair.utils.schemapi.SchemaValidationError``)."""
        if validate:
            from altair import TopLevelSpec

            TopLevelSpec.validate(dict(self.spec))
        return {**self.spec, "datasets": dict(self.spec.get("datasets", {}))}


def clock(minutes) -> list[str]:
    """``HH:MM`` for each number of minutes since midnight (hours beyond 24 kept: ``25:10``)."""
    return [f"{int(m // 60):02d}:{int(round(m % 60)) % 60:02d}" if np.isfinite(m) else "" for m in minutes]


# ------------------------------------------------------------------ writing specs
def chart_values(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as Vega-Lite inline values, as Altair writes them: numbers as
    Python numbers with NaN and ±inf as None, datetimes as ISO strings (NaT as ""),
    categoricals and nullable columns with None for missing values, other objects as they are."""
    names = [str(c) for c in frame.columns]
    columns = []
    for name in frame.columns:
        s = frame[name]
        kind = s.dtype.kind
        if kind == "f":
            a = s.to_numpy()
            values = a.tolist()
            bad = ~np.isfinite(a)
            if bad.any():
                for i in np.flatnonzero(bad):
                    values[i] = None
        elif kind in "iub" and not isinstance(s.dtype, pd.api.extensions.ExtensionDtype):
            values = s.to_numpy().tolist()
        elif kind == "M":
            values = ["" if v is pd.NaT else v.isoformat() for v in s]
        elif isinstance(s.dtype, pd.api.extensions.ExtensionDtype):  # category, string, Int64, boolean …
            col = s.astype(object)
            values = col.where(col.notna(), None).tolist()
        else:
            values = s.tolist()
        columns.append(values)
    return [dict(zip(names, row)) for row in zip(*columns)]


def dataset_name(values: list[dict]) -> str:
    """The name Altair gives inline ``values`` (a hash of them)."""
    if values == [{}]:
        return "empty"
    return "data-" + hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class _Unit:
    """One layer being written: its mark, encoding and data (the frame's values)."""

    mark: dict
    encoding: dict
    values: list[dict] | None

    def mark_as(self, kind: str, **props) -> "_Unit":
        """The same encoding and data with another mark (Altair's ``chart.mark_*().encode()``)."""
        return _Unit({"type": kind, **props}, self.encoding, self.values)

    def encode(self, **channels) -> "_Unit":
        """This layer with more (or other) channels."""
        return _Unit(self.mark, {**self.encoding, **channels}, self.values)


def _unit(values: list[dict] | None, kind: str, encoding: dict, **mark) -> _Unit:
    return _Unit({"type": kind, **mark}, encoding, values)


def _f(shorthand: str, **props) -> dict:
    """An encoding channel from Altair's shorthand (``"mean:Q"``) and its properties; a
    field without a type (``"p90"``) is a secondary channel (``y2``, ``x2``)."""
    field, _, kind = shorthand.partition(":")
    out = {"field": field, **props}
    if kind:
        out["type"] = _TYPES[kind]
    return out


def _tip(shorthand: str, title: str, fmt: str | None = None) -> dict:
    return _f(shorthand, title=title, **({"format": fmt} if fmt else {}))


class _Datasets:
    """The inline datasets of one spec, by name."""

    def __init__(self):
        self.named: dict[str, list[dict]] = {}

    def name(self, values: list[dict]) -> dict:
        key = dataset_name(values)
        self.named[key] = values
        return {"name": key}


def _layer_specs(units, datasets: _Datasets) -> tuple[list[dict], dict | None]:
    """The layers of ``units`` (a :class:`_Unit` or a nested list of them) and the data they
    share (lifted to the top, as Altair does when every layer has the same data)."""
    units = [u for u in units if u is not None]
    flat = [u for u in units if isinstance(u, _Unit)]
    shared = None
    if len(flat) == len(units) and flat and flat[0].values is not None and all(u.values is flat[0].values for u in flat):
        shared = datasets.name(flat[0].values)
    layers = []
    for u in units:
        if isinstance(u, _Unit):
            part = {"mark": u.mark, "encoding": u.encoding}
            if shared is None and u.values is not None:
                part = {"data": datasets.name(u.values), **part}
        else:
            inner, inner_data = _layer_specs(u, datasets)
            part = {"layer": inner, **({"data": inner_data} if inner_data else {})}
        layers.append(part)
    return layers, shared


def _layer(*units, title: str, resolve: dict | None = None) -> Chart:
    """A layered chart of ``units`` (None left out; a list is a nested layer) under ``title``."""
    datasets = _Datasets()
    layers, shared = _layer_specs(units, datasets)
    spec: dict = {"config": CONFIG, "layer": layers}
    if shared is not None:
        spec["data"] = shared
    spec["height"] = HEIGHT
    if resolve:
        spec["resolve"] = resolve
    spec.update({"title": title, "$schema": SCHEMA_URL, "datasets": datasets.named})
    return Chart(spec)


def _single(unit: _Unit, title: str) -> Chart:
    datasets = _Datasets()
    return Chart({"config": CONFIG, "data": datasets.name(unit.values), "mark": unit.mark, "encoding": unit.encoding,
                  "height": HEIGHT, "title": title, "$schema": SCHEMA_URL, "datasets": datasets.named})


def _scenario_colour(names: list[str]) -> dict:
    return _f("scenario:N", scale={"domain": list(names), "range": list(PALETTE[:len(names)])}, sort=list(names),
              legend=_LEGEND)


def _series_colour(shorthand: str, legend: bool = True, **props) -> dict:
    return _f(shorthand, scale={"range": list(PALETTE)}, legend=_LEGEND if legend else None, **props)


def hour_ticks(low: float, high: float, most: int = 8) -> list[float]:
    """Whole hours (in minutes) from ``low`` to ``high``, every 1, 2, 3 … hours so that there
    are at most ``most`` of them."""
    first, last = math.floor(low / 60), math.ceil(high / 60)
    step = max(1, math.ceil((last - first) / most))
    return [60.0 * h for h in range(first, last + 1, step)]


def _time_x(continuous: bool, title: str, span: tuple[float, float], field: str = "time_min") -> dict:
    """An x axis in minutes: clock times on whole hours for opening days, plain minutes for
    continuous runs."""
    if continuous:
        axis = {"title": title}
    else:
        axis = {"title": title, "labelExpr": CLOCK_AXIS, "values": hour_ticks(*span)}
    return _f(f"{field}:Q", axis=axis, scale={"zero": False, "nice": False, "domain": [float(x) for x in span]})


def _target_rule(value, vertical: bool, lang: str) -> _Unit | None:
    """The SLA target as a red dashed rule with its label in the tooltip, or None."""
    if value is None or not math.isfinite(float(value)):
        return None
    values = [{"target": float(value), "label": text("fig.target", lang, v=float(value))}]
    return _unit(values, "rule", {"x" if vertical else "y": _f("target:Q"),
                                  "tooltip": [_tip("label:N", t("ch.target", lang))]},
                 color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=1.5)


def _empty(title: str, lang: str) -> Chart:
    values = [{"x": 0, "y": 0, "label": text("fig.nodata", lang)}]
    return _single(_unit(values, "text", {"x": _f("x:Q", axis=None), "y": _f("y:Q", axis=None),
                                          "text": _f("label:N")}, size=16, color="#777777"), title)


# ------------------------------------------------------------------ hall runs
def queue_chart(data: pd.DataFrame, names: list[str], continuous: bool, lang: str = "en") -> Chart:
    """Mean waiting tickets through the day per scenario with its 10–90 % band over days
    (:func:`sim.plots.hall.queue_data`)."""
    title = text("fig.queue.title", lang)
    if data.empty:
        return _empty(title, lang)
    times = data["time_min"].to_numpy(float)
    values = chart_values(data.assign(clock=clock(times)))
    base = {"x": _time_x(continuous, t("ch.time", lang), (float(times.min()), float(times.max()))),
            "color": _scenario_colour(names)}
    band = _unit(values, "area", {**base, "y": _f("p10:Q"), "y2": _f("p90")}, opacity=0.18)
    line = _unit(values, "line", {
        **base, "y": _f("mean:Q", title=text("fig.queue.y", lang)),
        "tooltip": [_tip("scenario:N", t("ch.scenario", lang)), _tip("clock:N", t("ch.time", lang)),
                    _tip("mean:Q", t("ch.mean", lang), ".1f"), _tip("p10:Q", t("ch.p10_days", lang), ".1f"),
                    _tip("p90:Q", t("ch.p90_days", lang), ".1f")]}, strokeWidth=2)
    return _layer(band, line, line.mark_as("point", size=30, opacity=0), title=title)


def waits_by_hour_chart(data: pd.DataFrame, names: list[str], continuous: bool, target=None,
                        lang: str = "en") -> Chart:
    """90th percentile wait per hour of the ticket with its interval (solid) and the mean
    (dotted), per scenario, with the wait target (:func:`sim.plots.hall.waits_by_hour_data`)."""
    title = text("fig.hour.title", lang)
    if data.empty:
        return _empty(title, lang)
    start = data["bin_start_min"].to_numpy(float)
    end = start + data["bin_width_min"].to_numpy(float)
    values = chart_values(data.assign(time_min=start + (end - start) / 2,
                                      clock=[f"{a}–{b}" for a, b in zip(clock(start), clock(end))]))
    tips = [_tip("scenario:N", t("ch.scenario", lang)), _tip("clock:N", text("fig.hour.x", lang)),
            _tip("p90:Q", t("ch.p90", lang), ".1f"), _tip("p90_low:Q", t("ch.low", lang), ".1f"),
            _tip("p90_high:Q", t("ch.high", lang), ".1f"), _tip("mean:Q", t("ch.mean_wait", lang), ".1f")]
    base = {"x": _time_x(continuous, text("fig.hour.x", lang), (float(start.min()), float(end.max()))),
            "color": _scenario_colour(names), "tooltip": tips}
    p90 = _unit(values, "line", {**base, "y": _f("p90:Q", title=text("fig.hour.y", lang))}, point=True, strokeWidth=2)
    err = _unit(values, "rule", {**base, "y": _f("p90_low:Q"), "y2": _f("p90_high")}, strokeWidth=1.5)
    mean = _unit(values, "line", {**base, "y": _f("mean:Q")}, strokeDash=[2, 3], strokeWidth=1.5)
    return _layer(err, p90, mean, _target_rule(target, False, lang), title=title)


def wait_cdf_chart(data: pd.DataFrame, names: list[str], target=None, lang: str = "en") -> Chart:
    """Share of visitors waiting at most x minutes per scenario, with the wait target
    (:func:`sim.plots.hall.wait_cdf_data`); each curve is cut at its 99.5th percentile."""
    title = text("fig.cdf.title", lang)
    if data.empty:
        return _empty(title, lang)
    wait = data["wait_min"].to_numpy(float)
    codes, _ = pd.factorize(data["scenario"])
    top = np.full(len(wait), np.nan)
    for c in np.unique(codes):
        mine = codes == c
        top[mine] = np.nanquantile(wait[mine], 0.995) if np.isfinite(wait[mine]).any() else np.nan
    line = _unit(chart_values(data[wait <= top]), "line", {
        "x": _f("wait_min:Q", title=text("fig.cdf.x", lang)),
        "y": _f("share:Q", title=text("fig.cdf.y", lang), axis={"format": "%"}, scale={"domain": [0, 1]}),
        "color": _scenario_colour(names),
        "tooltip": [_tip("scenario:N", t("ch.scenario", lang)), _tip("wait_min:Q", text("fig.cdf.x", lang), ".1f"),
                    _tip("share:Q", t("ch.share_within", lang), ".0%")]}, interpolate="step-after", strokeWidth=2)
    return _layer(line, _target_rule(target, True, lang), title=title)


def bars_chart(data: pd.DataFrame, names: list[str], title: str, y_title: str, share: bool = False, target=None,
               lang: str = "en") -> Chart:
    """Grouped bars with intervals: one group per scenario, one bar per series, from the rows
    of one panel of :func:`sim.plots.hall.elderly_data` / :func:`utilisation_data`."""
    if data.empty or not np.isfinite(data["mean"].to_numpy(float)).any():
        return _empty(title, lang)
    fmt = ".1%" if share else ".2f"
    values = chart_values(data)
    base = {"x": _f("scenario:N", sort=list(names), title=None, axis={"labelAngle": 0, "labelLimit": 160}),
            "xOffset": _f("label:N", sort=list(dict.fromkeys(data["label"])))}
    tips = [_tip("scenario:N", t("ch.scenario", lang)), _tip("label:N", t("ch.series", lang)),
            _tip("mean:Q", t("ch.mean", lang), fmt), _tip("ci_low:Q", t("ch.low", lang), fmt),
            _tip("ci_high:Q", t("ch.high", lang), fmt)]
    bars = _unit(values, "bar", {**base, "y": _f("mean:Q", title=y_title, axis={"format": "%"} if share else {}),
                                 "color": _series_colour("label:N"), "tooltip": tips}, opacity=0.85)
    err = _unit(values, "rule", {**base, "y": _f("ci_low:Q"), "y2": _f("ci_high"), "tooltip": tips}, color="#333333")
    return _layer(bars, err, _target_rule(target, False, lang), title=title)


def issuance_chart(data: pd.DataFrame, names: list[str], target=None, lang: str = "en") -> Chart:
    """Share of on-the-spot cards per bin of arrival → card in hand, per scenario, with the
    issuance target (:func:`sim.plots.hall.issuance_data`)."""
    title = text("fig.issuance.title", lang)
    if data.empty:
        return _empty(title, lang)
    values = chart_values(data.assign(bin=[f"{a:g}–{b:g}" for a, b in zip(data["from_min"], data["to_min"])]))
    line = _unit(values, "line", {
        "x": _f("from_min:Q", title=text("fig.issuance.x", lang)),
        "y": _f("share:Q", title=text("fig.issuance.y", lang), axis={"format": "%"}),
        "color": _scenario_colour(names),
        "tooltip": [_tip("scenario:N", t("ch.scenario", lang)), _tip("bin:N", text("fig.issuance.x", lang)),
                    _tip("share:Q", text("fig.issuance.y", lang), ".1%")]}, interpolate="step-after", strokeWidth=2)
    return _layer(line, line.mark_as("point", size=30, opacity=0), _target_rule(target, True, lang), title=title)


# ------------------------------------------------------------------ staffing, issuance, sweeps
def staffing_chart(blocks: pd.DataFrame, continuous: bool = False, lang: str = "en") -> Chart:
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
    demand = _unit(chart_values(frame), "bar", {
        "x": x, "x2": _f("end_min"), "y": _f("arrivals_per_hour:Q", title=text("fig.staffing.demand", lang)),
        "tooltip": [_tip("block:N", t("ch.block", lang)),
                    _tip("arrivals_per_hour:Q", text("fig.staffing.demand", lang), ".1f")]},
        color="#c9dff2", stroke="#8fb8de")
    series = {"windows": text("fig.staffing.windows", lang), "staff": text("fig.staffing.staff", lang),
              "erlang_c_windows": text("fig.staffing.erlang_c", lang),
              "erlang_a_windows": text("fig.staffing.erlang_a", lang)}
    cols = [c for c in series if c in frame]
    last = frame.iloc[[-1]].assign(start_min=frame["end_min"].iloc[-1])  # the last step's end
    long = pd.concat([frame, last]).melt(id_vars=["start_min", "block", "verdict"], value_vars=cols,
                                          var_name="series", value_name="count")
    long["series"] = long["series"].map(series)
    long = long[np.isfinite(long["count"].astype(float))]
    order = list(series.values())
    steps = _unit(chart_values(long), "line", {
        "x": _f("start_min:Q"),
        "y": _f("count:Q", title=text("fig.staffing.count", lang), axis={"orient": "right", "tickMinStep": 1}),
        "color": _series_colour("series:N", sort=order), "strokeDash": _f("series:N", sort=order, legend=None),
        "tooltip": [_tip("block:N", t("ch.block", lang)), _tip("series:N", t("ch.series", lang)),
                    _tip("count:Q", t("ch.value", lang), ".0f")]}, interpolate="step-after", strokeWidth=2)
    missed = frame[frame["verdict"].isin(["not met", "uncertain"])].assign(
        mid=lambda f: (f["start_min"] + f["end_min"]) / 2, label=text("fig.staffing.missed", lang))
    marks = _unit(chart_values(missed), "point", {
        "x": _f("mid:Q"), "y": _f("windows:Q", axis=None),
        "tooltip": [_tip("block:N", t("ch.block", lang)), _tip("label:N", t("ch.verdict", lang))]},
        shape="cross", size=90, color=TARGET_COLOUR, filled=True)
    return _layer(demand, [steps, marks], title=title, resolve={"scale": {"y": "independent"}})


def backlog_chart(daily: pd.DataFrame, routes: list[str], lang: str = "en") -> Chart:
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
    values = chart_values(pd.concat(frames, ignore_index=True))
    base = {"x": _f("date:T", title=text("fig.date", lang)), "color": _series_colour("route:N")}
    band = _unit(values, "area", {**base, "y": _f("p10:Q"), "y2": _f("p90")}, opacity=0.2)
    line = _unit(values, "line", {
        **base, "y": _f("mean:Q", title=text("fig.backlog.y", lang)),
        "tooltip": [_tip("date:T", text("fig.date", lang), "%Y-%m-%d"), _tip("route:N", t("ch.series", lang)),
                    _tip("mean:Q", t("ch.mean", lang), ".0f"), _tip("p10:Q", "p10", ".0f"),
                    _tip("p90:Q", "p90", ".0f")]}, point=True)
    return _layer(band, line, title=title)


def cycle_chart(applications: pd.DataFrame, routes: list[str], limits: dict[str, float | None],
                lang: str = "en") -> Chart:
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
    line = _unit(chart_values(pd.concat(frames, ignore_index=True)), "line", {
        "x": _f("days:Q", title=text("fig.cycle.x", lang)),
        "y": _f("share:Q", title=text("fig.cycle.y", lang), axis={"format": "%"}, scale={"domain": [0, 1]}),
        "color": _series_colour("route:N"),
        "tooltip": [_tip("route:N", t("ch.series", lang)), _tip("days:Q", text("fig.cycle.x", lang), ".0f"),
                    _tip("share:Q", t("ch.share_within", lang), ".0%")]}, interpolate="step-after", point=True)
    return _layer(line, *[_target_rule(limits.get(r), True, lang) for r in routes], title=title)


def sweep_chart(rows: pd.DataFrame, parameter: str, others: list[str], y_title: str, share: bool = False,
                target=None, lang: str = "en") -> Chart:
    """A KPI against a swept parameter: the mean at each point with its interval, one line
    per combination of the ``others`` swept parameters (rows of ``SweepResult.summary``
    for one KPI and group)."""
    title = text("fig.sweep.title", lang, kpi=y_title, param=parameter)
    if rows.empty:
        return _empty(title, lang)
    frame = rows.assign(line=rows[others].astype(str).agg(", ".join, axis=1) if others else y_title)
    numeric = pd.api.types.is_numeric_dtype(rows[parameter]) and not pd.api.types.is_bool_dtype(rows[parameter])
    x = _f(f"{parameter}:Q", title=parameter, sort=None, scale={"zero": False}) if numeric else \
        _f(f"{parameter}:N", title=parameter, sort=list(dict.fromkeys(rows[parameter].astype(str))))
    fmt = ".1%" if share else ".2f"
    tips = [_tip("point:N", t("ch.point", lang)), _tip(f"{parameter}:N", parameter),
            _tip("mean:Q", t("ch.mean", lang), fmt), _tip("ci_low:Q", t("ch.low", lang), fmt),
            _tip("ci_high:Q", t("ch.high", lang), fmt)]
    if others:
        tips.insert(1, _tip("line:N", ", ".join(others)))
    values = chart_values(frame)
    base = {"x": x, "color": _series_colour("line:N", legend=bool(others))}
    line = _unit(values, "line", {**base, "y": _f("mean:Q", title=y_title, axis={"format": "%"} if share else {}),
                                  "tooltip": tips}, point=True)
    err = _unit(values, "rule", {**base, "y": _f("ci_low:Q"), "y2": _f("ci_high"), "tooltip": tips})
    return _layer(err, line, _target_rule(target, False, lang), title=title)


def show(chart: Chart) -> None:
    """Draw ``chart`` at the width of its column (its spec as written, not validated again)."""
    import streamlit as st

    st.vega_lite_chart(chart.to_dict(validate=False), width="stretch", alt=_alt_text(chart))


def _alt_text(chart) -> str | None:
    title = getattr(chart, "title", None)
    return title if isinstance(title, str) else None


def kpi_title(kpi: str, group: str, lang: str) -> str:
    """A KPI and (unless ``all``) its group, for a chart's axis."""
    return kpi_label(kpi, lang) + ("" if group == "all" else f" ({group_label(group, lang)})")
