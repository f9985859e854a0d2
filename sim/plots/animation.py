"""The hall's day, animated: visitors moving through a floor plan of the hall, drawn with
``vidigi`` (Plotly) from the model's own records of one sample day.

:func:`event_log` turns the visits of one (replication, day) into vidigi's event log
(columns :data:`EVENT_COLUMNS`): arrival at the entrance, the guide desk until the ticket,
the ticket queue of the visitor's service (elderly visitors in the green-channel queue when
the hall has a green-channel policy), the kiosks, a window (a resource: each window is one
icon, the visitor sits at the window that served them), the instant printer while a card is
printed (立等可取), and the exit. :func:`floor_plan` places those steps from the scenario's
windows, services and devices (columns :data:`PLAN_COLUMNS`). :func:`window_states` gives
each window's state at each frame (serving, idle, empty, closed; covered by a B post), which
:func:`hall_day_animation` draws as a coloured strip beside the windows, under the number
of tickets waiting at that moment; the slider shows the clock.

Times in the event log are minutes since the first arrival's opening hour, so that vidigi's
clock reads the hall's own time of day.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np
import pandas as pd

from sim.plots.style import STATE_COLOURS
from sim.results.labels import check_lang, text

__all__ = ["EVENT_COLUMNS", "PLAN_COLUMNS", "STATE_COLUMNS", "FRAME_MIN", "event_log", "floor_plan",
           "window_states", "hall_day_animation", "animation_html"]

EVENT_COLUMNS = {
    "entity_id": "visit number within the replication",
    "event_type": "arrival_departure, queue, resource_use or resource_use_end (vidigi's kinds)",
    "event": "arrival, guide, kiosk, queue:<lane>, window, printer or depart",
    "time": "minutes since the start of the animation's first hour",
    "resource_id": "1-based window number for window events (NaN otherwise)",
    "lane": "queue lane: a service code, or green for elderly visitors in the green channel",
    "service": "service code of the visit",
    "group": "elderly or other (the icon's colour)",
}
"""Columns of :func:`event_log`."""

PLAN_COLUMNS = {
    "event": "step of the visit (as in EVENT_COLUMNS)",
    "x": "horizontal position on the floor plan (vidigi units)",
    "y": "vertical position",
    "label": "name of the step in the chosen language",
    "resource": "scenario attribute giving the number of icons (windows only)",
}
"""Columns of :func:`floor_plan`."""

STATE_COLUMNS = {
    "frame": "frame number (0-based)",
    "time": "minutes since the start of the animation (as in the event log)",
    "window": "window id",
    "state": "serving, idle, empty, closed or covered (serving or idle by a B post)",
}
"""Columns of :func:`window_states`."""

GROUP_COLOURS = {"elderly": "#2ca02c", "other": "#1f77b4"}
"""Icon colours of elderly visitors and of the others."""

FRAME_MIN = 5
"""Minutes between two frames of the animation."""

_GREEN_POLICIES = ("dedicated", "priority")


def _day(result, replication: int, day: int, table: str) -> pd.DataFrame:
    frame = result.tables[table]
    sel = frame[(frame["replication"] == replication) & (frame["day"] == day)]
    if table == "visits" and sel.empty:
        raise ValueError(f"hall_day_animation: no visits on replication {replication} day {day}")
    return sel


def _origin(visits: pd.DataFrame) -> float:
    """The whole hour at or before the day's first arrival (minutes since midnight)."""
    return 60.0 * math.floor(float(visits["arrival_min"].min()) / 60)


def _lane(row, green: bool) -> str:
    return "green" if green and bool(row.elderly) else str(row.service)


def event_log(result, replication: int = 0, day: int = 0) -> pd.DataFrame:
    """vidigi's event log of one sample day's visits (columns :data:`EVENT_COLUMNS`)."""
    visits = _day(result, replication, day, "visits")
    origin = _origin(visits)
    windows = {w.id: i + 1 for i, w in enumerate(result.scenario.windows)}
    green = result.scenario.policies.green_channel.mode in _GREEN_POLICIES
    rows: list[tuple] = []

    def add(visit, kind, event, time, resource=np.nan):
        rows.append((int(visit.visitor), kind, event, float(time) - origin, resource, _lane(visit, green),
                     str(visit.service), "elderly" if bool(visit.elderly) else "other"))

    for v in visits.itertuples(index=False):
        add(v, "arrival_departure", "arrival", v.arrival_min)
        kiosk = isinstance(v.window, str) and v.window.startswith("kiosk")
        if kiosk:
            add(v, "queue", "kiosk", v.arrival_min)
        elif pd.notna(v.ticket_min):
            if v.ticket_min > v.arrival_min + 1e-9:
                add(v, "queue", "guide", v.arrival_min)
            add(v, "queue", f"queue:{_lane(v, green)}", v.ticket_min)
            if v.window in windows and pd.notna(v.service_start_min):
                add(v, "resource_use", "window", v.call_min, windows[v.window])
                add(v, "resource_use_end", "window", v.service_end_min, windows[v.window])
        elif v.stage == "guide":
            add(v, "queue", "guide", v.arrival_min)
        if pd.notna(v.card_min) and pd.notna(v.service_end_min) and v.card_min > v.service_end_min:
            add(v, "queue", "printer", v.service_end_min)
        add(v, "arrival_departure", "depart", v.departure_min)
    log = pd.DataFrame.from_records(rows, columns=list(EVENT_COLUMNS))
    return log.sort_values(["time", "entity_id"], kind="stable").reset_index(drop=True)


def floor_plan(result, lanes: list[str], lang: str = "en", names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Where each step stands on the floor plan (columns :data:`PLAN_COLUMNS`): the entrance
    and the guide desk on the left, one ticket queue per lane above one another in the
    middle, the kiosks below them, the row of windows on the right, the instant printer
    and the exit beyond them. ``names`` maps service codes to the names shown (default:
    the codes)."""
    check_lang(lang)
    n_lanes = max(1, len(lanes))
    top = 120 + 70 * n_lanes
    rows = [("arrival", 60, top, text("anim.entrance", lang), None),
            ("guide", 260, top, text("anim.guide", lang), None)]
    for i, lane in enumerate(lanes):
        label = text("anim.green", lang) if lane == "green" else text("anim.queue", lang, service=(names or {}).get(lane, lane))
        rows.append((f"queue:{lane}", 620, top - 70 * (i + 1) + 40, label, None))
    rows += [("kiosk", 620, 40, text("anim.kiosk", lang), None),
             ("window", 1050, top - 10, text("anim.windows", lang), "n_windows"),
             ("printer", 1050, 80, text("anim.printer", lang), None),
             ("depart", 1250, 40, text("anim.exit", lang), None)]
    return pd.DataFrame.from_records(rows, columns=list(PLAN_COLUMNS))


def window_states(result, replication: int, day: int, times: np.ndarray) -> pd.DataFrame:
    """Each window's state at each frame time (minutes since the animation's start;
    columns :data:`STATE_COLUMNS`)."""
    visits = _day(result, replication, day, "visits")
    origin = _origin(visits)
    spans = _day(result, replication, day, "windows")
    rows = []
    for w in result.scenario.windows:
        mine = spans[spans["window"] == w.id]
        start, end = mine["start_min"].to_numpy(float) - origin, mine["end_min"].to_numpy(float) - origin
        state, covered = mine["state"].to_numpy(), mine["covered"].astype(bool).to_numpy()
        for f, t in enumerate(times):
            hit = np.flatnonzero((start <= t) & (t < end))
            s = "closed" if not len(hit) else str(state[hit[0]])
            if len(hit) and covered[hit[0]] and s in ("serving", "idle"):
                s = "covered"
            rows.append((f, float(t), w.id, s))
    return pd.DataFrame.from_records(rows, columns=list(STATE_COLUMNS))


STATE_PLOT_COLOURS = {**STATE_COLOURS, "covered": "#7f3fbf"}
"""Colours of the window-state strip (the day timeline's, covered in purple)."""


def hall_day_animation(result, replication: int = 0, day: int = 0, lang: str = "en", frame_min: int = FRAME_MIN,
                       height: int = 640, names: Mapping[str, str] | None = None):
    """A Plotly figure animating one sample day of ``result`` (a
    :class:`sim.experiments.simulation.SimulationResult` run with its tables): visitors as
    icons moving from the entrance through the guide desk, the ticket queues, the kiosks and
    the windows to the printer and the exit, with the windows' states beside them, the
    clock and the queue length; ``names`` maps service codes to the names shown. Needs
    ``vidigi`` (``pip install vidigi``)."""
    from vidigi.animation import animate_activity_log

    check_lang(lang)
    log = event_log(result, replication, day)
    lanes = list(dict.fromkeys(sorted(e.split(":", 1)[1] for e in log["event"] if e.startswith("queue:"))))
    if "green" in lanes:
        lanes = ["green"] + [x for x in lanes if x != "green"]
    plan = floor_plan(result, lanes, lang, names)
    visits = _day(result, replication, day, "visits")
    origin = _origin(visits)
    hh, mm = divmod(int(origin), 60)
    date = str(visits["date"].iloc[0]) or "2026-01-01"
    fig = animate_activity_log(
        log, plan, scenario={"n_windows": len(result.scenario.windows)}, every_x_time_units=frame_min,
        limit_duration=int(math.ceil(float(log["time"].max()) / frame_min) * frame_min), plotly_height=height,
        entity_icon_size=16, text_size=13, resource_icon_size=20, step_snapshot_max=30, wrap_queues_at=10,
        gap_between_entities=14, gap_between_resources=40, override_x_max=1350, override_y_max=max(plan["y"]) + 80,
        start_date=date, start_time=f"{hh:02d}:{mm:02d}:00", time_display_units="%H:%M",
        frame_duration=350, frame_transition_duration=300, hover_text_entity=None,
        entity_icon_font="sans-serif", custom_entity_icon_list=["●"], entity_colour_by="group",
        entity_colour_map={"elderly": GROUP_COLOURS["elderly"], "other": GROUP_COLOURS["other"]},
        show_entity_legend=False, custom_resource_icon="▭", resource_icon_font="sans-serif")
    _add_window_strip(fig, result, replication, day, plan, lang, frame_min)
    fig.update_layout(title=text("anim.title", lang, name=result.scenario.hall.name, date=date),
                      margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def _add_window_strip(fig, result, replication: int, day: int, plan: pd.DataFrame, lang: str, frame_min: int) -> None:
    """A column of squares beside the windows, one per window, coloured by its state at each
    frame (serving, idle, empty, closed, covered by B), under the number of tickets waiting."""
    import plotly.graph_objects as go

    n = len(fig.frames)
    if n == 0:
        return
    times = np.arange(n) * float(frame_min)  # vidigi's frames: one every frame_min from time 0
    states = window_states(result, replication, day, times)
    x0 = float(plan.loc[plan["event"] == "window", "x"].iloc[0]) + 90
    y0 = float(plan.loc[plan["event"] == "window", "y"].iloc[0]) - 40
    ids = [w.id for w in result.scenario.windows]
    ys = {w: y0 - 26 * i for i, w in enumerate(ids)}

    visits = _day(result, replication, day, "visits")
    origin = _origin(visits)
    ticket = visits["ticket_min"].to_numpy(float) - origin
    called = visits["call_min"].fillna(visits["departure_min"]).to_numpy(float) - origin

    def trace(rows: pd.DataFrame):
        now = float(rows["time"].iloc[0])
        waiting = int(((ticket <= now) & (now < called)).sum())
        count = go.Scatter(x=[x0], y=[y0 + 40], mode="text", text=[text("anim.waiting", lang, n=waiting)],
                           textposition="middle right", textfont={"size": 13}, hoverinfo="skip", showlegend=False)
        return [count, go.Scatter(x=[x0] * len(rows), y=[ys[w] for w in rows["window"]], mode="markers+text",
                          marker={"symbol": "square", "size": 16,
                                  "color": [STATE_PLOT_COLOURS.get(s, "#999999") for s in rows["state"]]},
                          text=[f"{w}: {text(f'state.{s}', lang)}" for w, s in zip(rows["window"], rows["state"])],
                          textposition="middle right", textfont={"size": 11}, hoverinfo="skip", showlegend=False)]

    from vidigi.animation import add_synchronised_trace_from_dataframe

    add_synchronised_trace_from_dataframe(fig, states, trace, frame_time_col="frame")


def animation_html(fig) -> str:
    """The animation as one self-contained HTML page (Plotly's script included)."""
    return fig.to_html(include_plotlyjs=True, full_html=True)
