"""Windows and staff present, from the served intervals per window and operator.

A ticket log says who (操作人员) served at which window (窗口名称) from when to when. From
that, for the calibrated scenario:

- **window hours** (``windows.*.hours``): per window, the median over the days it served
  of its first service start and last service end. A time within :data:`DOOR_SLACK_MIN`
  of the doors (opening, closing) is taken as the door (a quiet start or end shows no
  service, but the window was open); a window open from door to door keeps ``hours:
  null``. A hall window that serves on fewer than half the log's days is closed
  (``hours: []``); a window name that is not a window of the hall file is reported and left
  out.
- **the roster** (``staff``): each window's A post is the operator who served most tickets
  there (an operator is A at one window at most: the largest counts are taken first); an
  A person's B post is the other window where they served most (at least
  :data:`MIN_B_TICKETS` tickets), else the hall file's B post of the same name. Operators
  present on at least half the days who are A nowhere are floaters, unless the hall file
  has them at the guide desk. An A person's shift is the median first start and last end
  over the days they served (rounded out to 15 minutes; taken to the door within
  :data:`DOOR_SLACK_MIN`); a **lunch break** is the longest gap of at least
  :data:`BREAK_MIN_GAP` minutes between two of their services that begins in the lunch zone
  (90 minutes before the hall's lunch to 60 after), when it is found on at least half their
  days: its median start (to 5 minutes) and median length. What the log cannot tell comes
  from the hall file's person of the same name (a floater's or the guide's shift and
  breaks, everybody's random absences); people of the hall file the log does not show are
  kept when the guide desk or home visits need them.

:func:`infer_roster` returns a :class:`RosterFit`: the tables for the report and the
scenario parts (or None with the reason in ``notes``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.notes import Note
from sim.scenario.clock import format_minutes, to_minutes
from sim.scenario.schema import Scenario

__all__ = ["RosterFit", "infer_roster", "DOOR_SLACK_MIN", "BREAK_MIN_GAP", "MIN_B_TICKETS", "WINDOW_COLUMNS",
           "STAFF_COLUMNS"]

DOOR_SLACK_MIN = 30.0
"""A first service within this many minutes after opening (a last one within this many before
closing) counts as open from (until) the door."""

BREAK_MIN_GAP = 25.0
"""Shortest gap between two services of one operator taken as a break, minutes."""

MIN_B_TICKETS = 5
"""Fewest tickets an operator must have served at a second window for it to be their B post."""

WINDOW_COLUMNS = {"window": "window as logged (after the mapping's windows:)", "in_hall": "a window of the hall file",
                  "days": "days it served", "first": "median first service start (HH:MM)",
                  "last": "median last service end (HH:MM)", "hours": "what the scenario gets (whole day, HH:MM-HH:MM, closed)",
                  "tickets": "tickets served", "operators": "operators who served there", "a_post": "its A post"}
"""Columns of :attr:`RosterFit.windows`."""

STAFF_COLUMNS = {"staff": "name in the scenario (the operator, made safe)", "operator": "operator as logged",
                 "days": "days with a service", "tickets": "tickets served", "a_post": "A post", "b_post": "B post",
                 "shift": "HH:MM-HH:MM", "break": "HH:MM/minutes or –", "break_days": "days the break was seen",
                 "source": "log, or what came from the hall file"}
"""Columns of :attr:`RosterFit.staff`."""


@dataclass(frozen=True)
class RosterFit:
    """Window hours and a roster from a log. ``windows`` and ``staff`` are the tables of
    :data:`WINDOW_COLUMNS` and :data:`STAFF_COLUMNS`; ``scenario_windows`` (the hall's
    windows with fitted hours) and ``scenario_staff`` are scenario data (None when not
    written, the reason in ``notes``)."""

    windows: pd.DataFrame
    staff: pd.DataFrame
    scenario_windows: list[dict] | None
    scenario_staff: list[dict] | None
    notes: list[Note] = field(default_factory=list)


def _round(minutes: float, step: int, up: bool) -> float:
    return float((math.ceil if up else math.floor)(minutes / step) * step)


def _clip_to_doors(first: float, last: float, open_min: float, close_min: float, step: int = 15) -> tuple[float, float]:
    """(start, end) rounded out to ``step`` minutes, taken to the doors within the slack."""
    start = open_min if first - open_min <= DOOR_SLACK_MIN else _round(first, step, up=False)
    end = close_min if close_min - last <= DOOR_SLACK_MIN else _round(last, step, up=True)
    return start, max(end, start + step)


def safe_name(name: str) -> str:
    """An operator's name as a scenario staff name (letters of any script, digits, ``_``, ``-``)."""
    text = re.sub(r"[^\w\-]+", "_", str(name).strip()).strip("_")
    return text[:40] or "staff"


def _breaks(rows: pd.DataFrame, others: pd.DataFrame, zone: tuple[float, float]) -> tuple[float, float, int] | None:
    """(median start, median length, days seen) of an operator's break: per day the longest
    lunch-zone gap between two of their services (``rows``), shortened to the end of the
    last service that someone else gave at their window during the gap (``others``: the
    cover's services; the operator was back by then, and the idle time after it is not a
    break); None when seen on fewer than half the days."""
    found = []
    days = 0
    for d, day in rows.groupby("date"):
        days += 1
        day = day.sort_values("start_min")
        ends = day["end_min"].fillna(day["start_min"]).cummax().to_numpy(float)
        starts = day["start_min"].to_numpy(float)
        gaps = starts[1:] - ends[:-1]
        at = ends[:-1]
        ok = (gaps >= BREAK_MIN_GAP) & (at >= zone[0]) & (at <= zone[1])
        if ok.any():
            k = int(np.argmax(np.where(ok, gaps, -np.inf)))
            cover = others[others["date"].eq(d) & others["start_min"].between(at[k], at[k] + gaps[k])]
            length = gaps[k]
            if len(cover):
                length = min(length, float(cover["end_min"].max()) - at[k])
            found.append((at[k], length))
    if not found or len(found) < days / 2:
        return None
    start = float(np.median([f[0] for f in found]))
    length = float(np.median([f[1] for f in found]))
    return 5 * round(start / 5), max(5.0, 5 * round(length / 5)), len(found)


def _window_hours(hall: Scenario, served: pd.DataFrame, n_days: int, open_min: float, close_min: float):
    ids = set(hall.window_ids())
    per_day = served.groupby(["window", "date"]).agg(first=("start_min", "min"), last=("end_min", "max"))
    rows, hours, notes = [], {}, []
    for window, sub in per_day.groupby(level=0):
        w = served[served["window"].eq(window)]
        first, last = float(sub["first"].median()), float(sub["last"].median())
        days = len(sub)
        if window not in ids:
            shown = "not in the hall file"
        elif days < n_days / 2:
            hours[window], shown = [], "closed"
        elif not (math.isfinite(first) and math.isfinite(last)):
            shown = "whole day"
        else:
            start, end = _clip_to_doors(first, last, open_min, close_min)
            if start <= open_min and end >= close_min:
                shown = "whole day"
            else:
                hours[window] = [{"start": format_minutes(start), "end": format_minutes(min(end, close_min))}]
                shown = f"{format_minutes(start)}-{format_minutes(min(end, close_min))}"
        rows.append({"window": window, "in_hall": window in ids, "days": days,
                     "first": format_minutes(first) if math.isfinite(first) else "–",
                     "last": format_minutes(last) if math.isfinite(last) else "–", "hours": shown,
                     "tickets": len(w), "operators": int(w.loc[w["staff"].ne(""), "staff"].nunique()),
                     "a_post": ""})
    unknown = [r["window"] for r in rows if not r["in_hall"]]
    if unknown:
        notes.append(Note("caln.unknown_windows", items=tuple(unknown[:8])))
    unseen = [w for w in hall.window_ids() if w not in set(per_day.index.get_level_values(0))]
    for w in unseen:
        hours[w] = []
        rows.append({"window": w, "in_hall": True, "days": 0, "first": "–", "last": "–", "hours": "closed",
                     "tickets": 0, "operators": 0, "a_post": ""})
    if unseen:
        notes.append(Note("caln.unseen_windows", items=tuple(unseen)))
    return pd.DataFrame(rows, columns=list(WINDOW_COLUMNS)), hours, notes


def infer_roster(tickets: pd.DataFrame, hall: Scenario) -> RosterFit:
    """Window hours and a roster for ``hall`` from the served tickets of ``tickets`` (see
    the module text)."""
    served = tickets[tickets["outcome"].isin(["served", "transferred"]) & tickets["window"].ne("")
                     & tickets["start_min"].notna()]
    empty = RosterFit(pd.DataFrame(columns=list(WINDOW_COLUMNS)), pd.DataFrame(columns=list(STAFF_COLUMNS)), None,
                      None)
    if served.empty:
        return RosterFit(empty.windows, empty.staff, None, None,
                         [Note("caln.no_windows")])
    hours = [h for h in hall.hall.opening_hours.values() if h is not None]
    open_min, close_min = min(to_minutes(h.open) for h in hours), max(to_minutes(h.close) for h in hours)
    n_days = int(tickets["date"].nunique())
    windows, fitted_hours, notes = _window_hours(hall, served, n_days, open_min, close_min)
    scenario_windows = []
    for w in hall.windows:
        d = w.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        d["hours"] = fitted_hours.get(w.id, None)
        scenario_windows.append(d)

    with_staff = served[served["staff"].ne("") & served["window"].isin(hall.window_ids())]
    if with_staff.empty:
        notes.append(Note("caln.no_operators"))
        return RosterFit(windows, empty.staff, scenario_windows, None, notes)

    counts = with_staff.groupby(["staff", "window"]).size().sort_values(ascending=False, kind="stable")
    a_of: dict[str, str] = {}
    taken: set[str] = set()
    for (op, win), _n in counts.items():
        if op not in a_of and win not in taken:
            a_of[op] = win
            taken.add(win)
    windows["a_post"] = windows["window"].map({w: op for op, w in a_of.items()}).fillna("")
    hall_people = {p.name: p for p in hall.staff}
    lunch = hall.hall.lunch
    zone = (to_minutes(lunch.start) - 90, to_minutes(lunch.end) + 60)
    op_days = with_staff.groupby("staff")["date"].nunique()
    rows, staff = [], []
    names: set[str] = set()
    for op in counts.index.get_level_values(0).unique():
        mine = with_staff[with_staff["staff"].eq(op)]
        name = safe_name(op)
        while name in names:
            name += "_"
        names.add(name)
        known = hall_people.get(name)
        days = int(op_days[op])
        others = counts[op].drop(a_of.get(op, ""), errors="ignore")
        b_post = others.index[0] if len(others) and others.iloc[0] >= MIN_B_TICKETS else (known.b_post if known else None)
        source = "log"
        if op in a_of:
            a_post = a_of[op]
            day = mine.groupby("date").agg(first=("start_min", "min"), last=("end_min", "max"))
            start, end = _clip_to_doors(float(day["first"].median()), float(day["last"].median()), open_min, close_min)
            brk = _breaks(mine, with_staff[with_staff["window"].eq(a_post) & with_staff["staff"].ne(op)], zone)
            breaks = [{"start": format_minutes(brk[0]), "duration_min": brk[1]}] if brk else []
        elif days >= n_days / 2:
            a_post = known.a_post if known is not None and known.a_post == "guide" else "floater"
            if known is not None:
                start, end = to_minutes(known.shift.start), to_minutes(known.shift.end)
                breaks = [b.model_dump(mode="json", by_alias=True) for b in known.breaks]
                brk, source = None, "log; shift and breaks from the hall file"
            else:
                start, end = _clip_to_doors(float(mine["start_min"].min()), float(mine["end_min"].max()), open_min,
                                            close_min)
                brk, breaks = None, []
        else:
            rows.append({"staff": name, "operator": op, "days": days, "tickets": len(mine), "a_post": "–",
                         "b_post": "–", "shift": "–", "break": "–", "break_days": 0,
                         "source": "left out: served on too few days"})
            continue
        if b_post == a_post or (b_post is not None and b_post not in set(hall.window_ids()) | {"guide"}):
            b_post = None
        breaks = [b for b in breaks if start <= to_minutes(b["start"]) < end]
        entry: dict[str, Any] = {"name": name, "a_post": a_post, "b_post": b_post,
                                 "shift": {"start": format_minutes(start), "end": format_minutes(end)},
                                 "breaks": breaks}
        if known is not None:
            entry["absences"] = known.absences.model_dump(mode="json", by_alias=True)
            if source == "log":
                source = "log; absences from the hall file"
        staff.append({k: v for k, v in entry.items() if v is not None})
        rows.append({"staff": name, "operator": op, "days": days, "tickets": len(mine), "a_post": a_post,
                     "b_post": b_post or "–", "shift": f"{entry['shift']['start']}-{entry['shift']['end']}",
                     "break": (f"{breaks[0]['start']}/{breaks[0]['duration_min']:g}" if breaks else "–"),
                     "break_days": brk[2] if brk else 0, "source": source})
    needed = set(hall.home_visits.staff) if hall.home_visits is not None else set()
    kept = [p for p in hall.staff if p.name not in names and (
        (p.a_post == "guide" and hall.policies.guide_desk.enabled) or p.name in needed)]
    for p in kept:
        d = p.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        if d.get("b_post") is not None and d["b_post"] not in set(hall.window_ids()) | {"guide"}:
            d.pop("b_post")
        staff.append(d)
        rows.append({"staff": p.name, "operator": "", "days": 0, "tickets": 0, "a_post": p.a_post,
                     "b_post": p.b_post or "–", "shift": f"{p.shift.start}-{p.shift.end}",
                     "break": f"{p.breaks[0].start}/{p.breaks[0].duration_min:g}" if p.breaks else "–",
                     "break_days": 0, "source": "hall file (not in the log: guide desk or home visits)"})
    missing = [w for w in hall.window_ids() if w not in taken and fitted_hours.get(w) != []]
    if missing:
        notes.append(Note("caln.windows_without_a", items=tuple(missing)))
    if hall.policies.staffing == "always":
        notes.append(Note("caln.staffing_always"))
        return RosterFit(windows, pd.DataFrame(rows, columns=list(STAFF_COLUMNS)), scenario_windows, None, notes)
    return RosterFit(windows, pd.DataFrame(rows, columns=list(STAFF_COLUMNS)), scenario_windows, staff, notes)
