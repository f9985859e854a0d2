"""What the Scenario page edits, as plain values, and the way back to a validated scenario.

No Streamlit here: the page shows the frames and values these functions give, collects
what the planner typed into an ``overrides`` mapping ({dotted field path: value}), and
:func:`apply_edits` turns it into a new scenario through :func:`sim.with_overrides`
(pydantic validation plus the cross-field checks), or into the list of problems, each a
``(field path, message)`` pair that :func:`problems_under` hands to the widget of that path.

Tables (windows, staff, hourly profile) are edited as frames whose columns are listed in
:data:`WINDOW_COLUMNS`, :data:`STAFF_COLUMNS` and :data:`PROFILE_COLUMNS`.
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping

import pandas as pd

from sim.scenario.loader import ScenarioError, with_overrides
from sim.scenario.messages import say
from sim.scenario.schema import Scenario
from sim.results.summary import SLA_TARGETS
from sim.ui.text import code_label, t

__all__ = ["WINDOW_COLUMNS", "STAFF_COLUMNS", "PROFILE_COLUMNS", "SLA_FIELDS", "windows_frame", "staff_frame",
           "profile_frame", "windows_from_frame", "staff_from_frame", "profile_from_frame", "format_breaks",
           "parse_breaks", "apply_edits", "problems_under", "FIELD_LABELS", "path_label", "blank", "as_list",
           "filled_rows"]

WINDOW_COLUMNS = {
    "id": "window id",
    "kind": "general, green (绿色通道) or bank",
    "services": "list of service codes the window serves",
    "devices": "list of devices at the window",
}
STAFF_COLUMNS = {
    "name": "unique name",
    "a_post": "window id, guide, floater or helper (with the helpers section)",
    "b_post": "window id or guide this person covers (AB岗); empty for none",
    "shift_start": '"HH:MM"',
    "shift_end": '"HH:MM"',
    "breaks": 'breaks as "HH:MM/minutes", comma-separated',
    "absence_rate_per_hour": "random short absences per hour on shift",
}
PROFILE_COLUMNS = {"time": '"HH:MM" from which the weight holds', "weight": "relative arrival rate"}
SLA_FIELDS = list(SLA_TARGETS)
"""The SLA limits the page edits (each may be empty: not judged)."""


def blank(value: Any) -> bool:
    """True for an empty cell: None, NaN or blank text."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def as_list(value: Any) -> list[str]:
    """A cell of a list column (a list, an array, a comma-separated string or blank)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [str(v) for v in value]


def _text(value: Any) -> Any:
    return None if blank(value) else (value.strip() if isinstance(value, str) else value)


# ------------------------------------------------------------------ windows
def windows_frame(s: Scenario) -> pd.DataFrame:
    """The windows as a frame of :data:`WINDOW_COLUMNS`."""
    rows = [(w.id, w.kind, list(w.services), list(w.devices)) for w in s.windows]
    return pd.DataFrame.from_records(rows, columns=list(WINDOW_COLUMNS))


def filled_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of an edited frame, without those left wholly blank (an unticked box is blank)."""
    def empty(v):
        return not len(v) if isinstance(v, (list, tuple)) or hasattr(v, "__array__") else (blank(v) or v is False)
    return [r for r in frame.to_dict("records") if not all(empty(v) for v in r.values())]


def windows_from_frame(frame: pd.DataFrame, base: Scenario) -> list[dict[str, Any]]:
    """The ``windows`` list of a scenario from an edited frame. A row keeps the fields the
    table does not show (opening periods …) of the base window with the same id; blank
    cells are left for validation to name."""
    known = {w.id: w.model_dump(mode="json", by_alias=True) for w in base.windows}
    out = []
    for row in filled_rows(frame):
        wid = _text(row.get("id"))
        item = dict(known.get(wid, {}))
        item.update({"id": wid, "kind": _text(row.get("kind")) or "general",
                     "services": as_list(row.get("services")), "devices": as_list(row.get("devices"))})
        out.append(item)
    return out


# -------------------------------------------------------------------- staff
_BREAK = re.compile(r"^\s*(\d{1,2}:\d{2})\s*/\s*(\d+(?:\.\d+)?)\s*$")


def format_breaks(breaks) -> str:
    """``"11:30/45, 15:00/10"`` for a list of breaks."""
    return ", ".join(f"{b.start}/{b.duration_min:g}" for b in breaks)


def parse_breaks(text: Any) -> list[dict[str, Any]]:
    """Breaks from ``"HH:MM/minutes, …"``; ValueError names the part that is not one."""
    if blank(text):
        return []
    out = []
    for part in re.split(r"[,;，；]", str(text)):
        if not part.strip():
            continue
        m = _BREAK.match(part)
        if not m:
            raise ValueError(say("breaks.format", part=part.strip()))
        out.append({"start": m.group(1).zfill(5), "duration_min": float(m.group(2))})
    return out


def staff_frame(s: Scenario) -> pd.DataFrame:
    """The roster as a frame of :data:`STAFF_COLUMNS`."""
    rows = [(p.name, p.a_post, p.b_post, p.shift.start, p.shift.end, format_breaks(p.breaks),
             p.absences.rate_per_hour) for p in s.staff]
    return pd.DataFrame.from_records(rows, columns=list(STAFF_COLUMNS))


def staff_from_frame(frame: pd.DataFrame, base: Scenario) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The ``staff`` list from an edited frame, and the problems of cells that cannot be
    read (breaks). A row keeps the fields the table does not show (the absence-duration
    distribution …) of the base roster member of the same name; a new person takes the
    absence durations of the first member."""
    known = {p.name: p.model_dump(mode="json", by_alias=True) for p in base.staff}
    first = base.staff[0].model_dump(mode="json", by_alias=True) if base.staff else {}
    people, problems = [], []
    for i, row in enumerate(filled_rows(frame)):
        name = _text(row.get("name"))
        person = dict(known.get(name, {}))
        try:
            breaks = parse_breaks(row.get("breaks"))
        except ValueError as exc:
            problems.append((f"staff.{i}.breaks", exc.args[0]))
            breaks = []
        person.update({"name": name, "a_post": _text(row.get("a_post")), "b_post": _text(row.get("b_post")),
                       "shift": {"start": _text(row.get("shift_start")), "end": _text(row.get("shift_end"))},
                       "breaks": breaks})
        rate = row.get("absence_rate_per_hour")
        absences = dict(person.get("absences") or first.get("absences") or {})
        absences["rate_per_hour"] = 0.0 if blank(rate) else rate
        person["absences"] = absences
        people.append(person)
    return people, problems


# ------------------------------------------------------------------ profile
def profile_frame(s: Scenario) -> pd.DataFrame:
    """The hourly profile as a frame of :data:`PROFILE_COLUMNS` (empty when flat)."""
    profile = s.demand.hourly_profile or {}
    return pd.DataFrame({"time": list(profile), "weight": [float(v) for v in profile.values()]},
                        columns=list(PROFILE_COLUMNS)).astype({"time": "object", "weight": "float64"})


def profile_from_frame(frame: pd.DataFrame) -> dict[str, Any] | None:
    """``demand.hourly_profile`` from an edited frame: None (flat) when it has no rows."""
    out: dict[str, Any] = {}
    for row in filled_rows(frame):
        time, weight = _text(row.get("time")), row.get("weight")
        if time is None and blank(weight):
            continue
        out[str(time) if time is not None else ""] = None if blank(weight) else weight
    return out or None


# ----------------------------------------------------------------- validate
def apply_edits(base: Scenario, overrides: Mapping[str, Any], source: str,
                extra_problems: Iterable[tuple[str, str]] = ()) -> tuple[Scenario | None, list[tuple[str, str]]]:
    """``(scenario, [])`` for valid edits, else ``(None, problems)`` with every problem as
    a (field path, message) pair: those found reading the tables (``extra_problems``)
    first, then those of validation."""
    problems = list(extra_problems)
    try:
        edited = with_overrides(base, dict(overrides), source=source)
    except ScenarioError as exc:
        return None, problems + exc.problems
    return (None, problems) if problems else (edited, [])


def problems_under(problems: Iterable[tuple[str, str]], prefixes: Iterable[str]) -> list[tuple[str, str]]:
    """The problems whose field path is one of ``prefixes`` or lies under one of them."""
    prefixes = tuple(prefixes)
    return [(p, m) for p, m in problems if any(p == x or p.startswith(x + ".") for x in prefixes)]


# ------------------------------------------------------------------ labels
FIELD_LABELS = {
    "hall.name": "ed.hall.name", "hall.level": "ed.hall.level", "hall.floor_area_m2": "ed.hall.area",
    "hall.lunch": "ed.hall.lunch", "hall.lunch.mode": "ed.hall.lunch", "windows": "ed.windows", "staff": "ed.staff",
    "demand.visitors_per_day": "ed.demand.visitors", "demand.arrival_rate_per_min": "ed.demand.rate",
    "demand.hourly_profile": "ed.demand.profile", "policies.green_channel.mode": "ed.green.mode",
    "policies.green_channel.green_takes_ordinary": "ed.green.ordinary",
    "policies.breaks_wait_for_cover": "ed.breaks_wait", "policies.rests": "ed.rests",
    "policies.rests.after_min": "ed.rests.after", "policies.rests.length_min": "ed.rests.length",
    "devices.instant_printers.count": "ed.devices.printers", "devices.kiosks.count": "ed.devices.kiosks",
    "devices.kiosks.services": "ed.devices.kiosk_services", "run.days": "ed.run.days",
    "run.replications": "ed.run.reps", "run.start_date": "ed.run.start", "run.calendar": "ed.run.calendar",
    "run.adjusted_workday_as": "ed.run.adjusted_as",
    # columns of the windows and staff tables
    "id": "col.window", "kind": "col.kind", "services": "col.services", "devices": "col.devices", "name": "col.name",
    "a_post": "col.a_post", "b_post": "col.b_post", "shift.start": "col.shift_start", "shift.end": "col.shift_end",
    "shift": "col.shift_start", "breaks": "col.breaks", "absences": "col.absences",
    "absences.rate_per_hour": "col.absences",
    # optional sections (sim.ui.visit_editor)
    "appointments": "ed.appt", "appointments.booked_share": "ed.appt.booked", "appointments.slot_min": "ed.appt.slot",
    "appointments.slot_capacity": "ed.appt.capacity", "appointments.no_show_rate": "ed.appt.no_show",
    "appointments.grace_min": "ed.appt.grace", "appointments.punctuality.early_share": "ed.appt.early_share",
    "appointments.punctuality.early": "ed.appt.early", "appointments.punctuality.late": "ed.appt.late",
    "appointments.reserved_windows": "ed.appt.reserved", "appointments.reserved_take_walk_ins": "ed.appt.walk_ins",
    "home_visits": "ed.home", "home_visits.requests_per_week": "ed.home.requests", "home_visits.staff": "ed.home.staff",
    "home_visits.at": "ed.home.at", "home_visits.trip": "ed.home.trip", "home_visits.rule": "ed.home.rule",
    "home_visits.takes_printer": "ed.home.printer",
    "helpers": "ed.help", "helpers.ask_share": "ed.help.ask", "helpers.when_busy": "ed.help.busy",
    "helpers.patience": "ed.help.patience", "helpers.kiosk_preference": "ed.help.kiosk",
    "helpers.window_time_factor": "ed.help.factor", "helpers.staff_may_cover": "ed.help.cover",
}
"""Dashboard strings (:mod:`sim.ui.text`) naming the field paths the editor shows."""

LIST_LABELS = {"windows": "lbl.windows", "staff": "lbl.staff", "demand.service_mix": "lbl.service_mix"}
"""Short names of the lists whose rows a problem names (``windows.0`` → "window · row 1")."""


def path_label(path: str, lang: str = "en") -> str:
    """A field path in words for a problem message: the editor's own label when it has one
    (``demand.visitors_per_day`` → "Visitors per day"), rows of a list as "row n"
    (``windows.0.services`` → "Windows … · row 1 · services"), else the last part with
    spaces (``demand.service_mix`` → "service mix")."""
    if path in FIELD_LABELS:
        return t(FIELD_LABELS[path], lang)
    if path in LIST_LABELS:
        return t(LIST_LABELS[path], lang)
    parts = path.split(".")
    if parts[0] == "sla" and len(parts) == 2:
        from sim.results.verdict import short_target

        return t("lbl.sla", lang, name=short_target(parts[1], lang))
    for i, part in enumerate(parts):
        if part.isdigit() and i:
            head, rest = ".".join(parts[:i]), ".".join(parts[i + 1:])
            shown = [t(LIST_LABELS[head], lang) if head in LIST_LABELS else path_label(head, lang),
                     t("ed.row", lang, n=int(part) + 1)]
            return " · ".join(shown + ([path_label(rest, lang)] if rest else []))
    if len(parts) > 1 and ".".join(parts[:-1]) in FIELD_LABELS | LIST_LABELS:  # an entry of a mapping
        head = ".".join(parts[:-1])
        return f"{path_label(head, lang)} · {code_label('service', parts[-1], lang)}"
    return parts[-1].replace("_", " ") if parts[-1] else path
