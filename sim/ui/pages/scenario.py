"""Scenario page: pick a file from ``scenarios/`` (or a saved variant) or upload a YAML file,
edit what a planner changes most, see validation problems next to each field and the
minimum standards of the hall's level, run it, save it as a variant for the Compare page
and download it as a scenario file that ``hallsim run`` accepts.

The results sit above the editor, headline first. Running an edited draft runs it against
the scenario it came from on common random numbers (:func:`sim.experiments.compare.compare`),
so the page shows the what-if's before and after: the paired differences, as on Compare.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import streamlit as st

from sim.scenario.checks import warnings as scenario_warnings
from sim.scenario.limits import MAX_FILE_BYTES, QUOTE_CHARS
from sim.scenario.loader import ScenarioError, load_scenario_text, load_upload, scenario_to_yaml
from sim.scenario.messages import localise, short
from sim.scenario.schema import DEVICE_KINDS, LEVELS, WEEKDAYS, Appointments, Helpers, HomeVisits, Rests, Scenario
from sim.scenario.standards import check_standards
from sim.ui import charts, editor, glance, state, visit_editor, week
from sim.ui.figures import chart_data
from sim.ui.scorecards import key_figures, sla_verdicts, standards_table
from sim.ui.text import code_label, t

PAGE = "scenario"
GREEN_MODES = ("dedicated", "priority", "none")
CALENDARS = ("weekdays", "chinese")
LUNCH_MODES = ("staggered", "closed")
KINDS = ("general", "green", "bank")
HOME_RULES = ("covered", "fixed")
HELPER_BUSY = ("wait", "alone")


# ------------------------------------------------------------------ source
def _uploaded(lang: str) -> state.Choice | None:
    """The uploaded scenario, or None (an unusable file shows its problems, no traceback).

    An upload is text the planner did not write on this machine: it is read by
    :func:`sim.scenario.loader.load_upload` (at most 1 MB, UTF-8 or GB18030, ``extends``
    only of the scenarios on offer here, by name)."""
    upload = st.file_uploader(t("src.upload_label", lang), type=["yaml", "yml"], key="upload.scenario",
                              max_upload_size=max(1, MAX_FILE_BYTES // 1_048_576),
                              help=t("src.upload_help", lang, mb=MAX_FILE_BYTES // 1_048_576))
    if upload is None:
        st.info(t("src.upload_first", lang))
        return None
    raw = upload.getvalue()
    name = short(upload.name, QUOTE_CHARS)
    try:
        loaded = load_upload(raw, source=name, base_dir=state.scenario_dir())
    except ScenarioError as exc:
        st.error(t("src.upload_bad", lang) + "\n\n" + "\n".join(f"- `{line}`" for line in exc.lines(lang)))
        return None
    digest = hashlib.sha1(raw).hexdigest()[:10]
    stem, text = Path(name).stem, scenario_to_yaml(loaded.scenario)
    for line in loaded.note_lines(lang):
        st.caption(line)
    if st.session_state.get("variants", {}).get(stem) != text:
        state.save_variant(stem, text)  # so that it can be compared, and reopened later
    st.caption(t("src.upload_kept", lang, name=stem))
    return state.Choice(f"upload:{name}:{digest}", stem, text)


def _source(lang: str) -> state.Choice | None:
    """The scenario the planner starts from."""
    kinds = ("file", "upload", "variant")
    kind = st.radio(t("src.title", lang), kinds, key="keep.sc.source", horizontal=True,
                    format_func=lambda k: t(f"src.{k}", lang))
    if kind == "upload":
        return _uploaded(lang)
    every = state.choices()
    offered = [c for c in every if c.key.startswith("variant:") == (kind == "variant")]
    broken = [c for c in offered if c.error]
    if broken:
        with st.expander(t("src.broken", lang, n=len(broken))):
            st.error("\n".join(f"- `{line}`" for c in broken for line in c.error))
    choice = state.pick_scenario(t(f"src.pick_{kind}", lang), f"{state.KEEP_PREFIX}sc.pick.{kind}", lang, offered)
    if choice is None:
        st.info(t("src.no_variants", lang))
    return choice


# ------------------------------------------------------------------ widgets
class Form:
    """Widgets of one draft: each keeps its value across pages and owns an error slot for
    the field paths it edits (a problem shows under the widget whose path is the longest
    that holds it: ``appointments.slot_min`` under the slot field, not the section's switch)."""

    def __init__(self, draft: str, lang: str):
        self.draft, self.lang = draft, lang
        self.slots: list[tuple[tuple[str, ...], Any, dict[str, str] | None]] = []
        self.tables = st.session_state.setdefault("edit_tables", {}).setdefault(draft, {})

    def key(self, path: str) -> str:
        return f"{state.KEEP_PREFIX}ed.{self.draft}.{path}"

    def field(self, widget: Callable, path: str, default: Any, label: str, paths: tuple[str, ...] = (), **kw):
        """``widget(label, key=…)`` starting at ``default``; problems under ``path`` (and
        ``paths``) show just below it."""
        key = self.key(path)
        if key not in st.session_state:
            st.session_state[key] = default
        value = widget(label, key=key, **kw)
        self.slots.append(((path, *paths), st.empty(), None))
        return value

    def table(self, name: str, initial: pd.DataFrame, paths: tuple[str, ...], columns: dict[str, str] | None = None,
              **kw) -> pd.DataFrame:
        """An editable table whose edits survive a visit to another page; a problem of one of
        its rows names the row and the column (``columns``: the column headers by field)."""
        key = f"tbl.{self.draft}.{name}"
        entry = self.tables.setdefault(name, {"last": initial})
        if key not in st.session_state or "base" not in entry:
            entry["base"] = entry["last"]
        edited = st.data_editor(entry["base"], key=key, hide_index=True, width="stretch", **kw)
        entry["last"] = edited
        self.slots.append((paths, st.empty(), columns or {}))
        return edited

    def show_problems(self, problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Write each problem under its widget; return those no widget owns."""
        mine: dict[int, list[tuple[str, str, str]]] = {}
        rest = []
        for path, message in problems:
            best = max(((len(x), -i, x) for i, (prefixes, _, _) in enumerate(self.slots) for x in prefixes
                        if path == x or path.startswith(x + ".")), default=None)
            if best is None:
                rest.append((path, message))
            else:
                mine.setdefault(-best[1], []).append((path, message, best[2]))
        for i, owned in mine.items():
            _, slot, columns = self.slots[i]
            slot.error("\n".join(f"- {self._line(p, m, prefix, columns)}" for p, m, prefix in owned))
        return rest

    def _line(self, path: str, message: str, prefix: str, columns: dict[str, str] | None) -> str:
        rest = path[len(prefix) + 1:] if path.startswith(prefix + ".") else ""
        if columns is not None and rest.split(".")[0].isdigit():  # a row of a table
            n, _, field = rest.partition(".")
            name = columns.get(field.split(".")[0]) or editor.path_label(field or prefix, self.lang)
            return f"{t('ed.row', self.lang, n=int(n) + 1)} · {name}: {localise(message, self.lang)}"
        return f"{editor.path_label(path, self.lang)}: {localise(message, self.lang)}"


# ------------------------------------------------------------------ sections
# Each section draws one expander of the editor: it reads the base scenario, writes the
# overrides it makes into ``ov`` ({dotted field path: value}) and returns the problems of
# cells it could not read. A new scenario section is one more function in SECTIONS.
Section = Callable[[Scenario, Form, dict[str, Any], str], list[tuple[str, str]]]


def _svc(lang: str) -> Callable[[str], str]:
    return lambda c: code_label("service", c, lang)


def _hall(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    with st.expander(t("ed.hall", lang), expanded=False):
        c1, c2, c3 = st.columns(3)
        with c1:
            ov["hall.name"] = form.field(st.text_input, "hall.name", base.hall.name, t("ed.hall.name", lang))
        with c2:
            ov["hall.level"] = form.field(st.selectbox, "hall.level", base.hall.level, t("ed.hall.level", lang),
                                          options=LEVELS, format_func=lambda c: code_label("level", c, lang))
        with c3:
            ov["hall.floor_area_m2"] = form.field(st.number_input, "hall.floor_area_m2",
                                                  float(base.hall.floor_area_m2), t("ed.hall.area", lang),
                                                  min_value=0.0, step=10.0)
        ov["hall.lunch.mode"] = form.field(st.radio, "hall.lunch.mode", base.hall.lunch.mode,
                                           t("ed.hall.lunch", lang), ("hall.lunch",), options=LUNCH_MODES,
                                           horizontal=True, format_func=lambda c: code_label("lunch", c, lang))
    return []


def _windows(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    with st.expander(t("ed.windows", lang), expanded=True):
        st.caption(t("ed.windows.help", lang))
        cfg = {
            "id": st.column_config.TextColumn(t("col.window", lang), required=True),
            "kind": st.column_config.SelectboxColumn(t("col.kind", lang), options=KINDS, required=True,
                                                     format_func=lambda c: code_label("kind", c, lang)),
            "services": st.column_config.MultiselectColumn(t("col.services", lang), options=list(base.services),
                                                           format_func=_svc(lang)),
            "devices": st.column_config.MultiselectColumn(
                t("col.devices", lang), options=DEVICE_KINDS, format_func=lambda c: code_label("device", c, lang)),
        }
        frame = form.table("windows", editor.windows_frame(base), ("windows", "demand.service_mix"),
                           column_config=cfg, num_rows="dynamic")
        ov["windows"] = editor.windows_from_frame(frame, base)
    return []


def _staff(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    if base.policies.staffing != "roster":
        return []
    with st.expander(t("ed.staff", lang), expanded=True):
        st.caption(t("ed.staff.help", lang))
        posts = [w.id for w in base.windows] + ["guide", "floater"] + (["helper"] if base.helpers else [])
        cfg = {
            "name": st.column_config.TextColumn(t("col.name", lang), required=True),
            "a_post": st.column_config.TextColumn(t("col.a_post", lang), required=True, help=", ".join(posts)),
            "b_post": st.column_config.TextColumn(t("col.b_post", lang)),
            "shift_start": st.column_config.TextColumn(t("col.shift_start", lang), required=True),
            "shift_end": st.column_config.TextColumn(t("col.shift_end", lang), required=True),
            "breaks": st.column_config.TextColumn(t("col.breaks", lang)),
            "absence_rate_per_hour": st.column_config.NumberColumn(t("col.absences", lang), min_value=0.0,
                                                                   format="%.2f"),
        }
        frame = form.table("staff", editor.staff_frame(base), ("staff", "policies.guide_desk"),
                           column_config=cfg, num_rows="dynamic")
        ov["staff"], problems = editor.staff_from_frame(frame, base)
        pol = base.policies
        ov["policies.breaks_wait_for_cover"] = form.field(
            st.checkbox, "policies.breaks_wait_for_cover", pol.breaks_wait_for_cover, t("ed.breaks_wait", lang))
        rests = pol.rests if pol.rests is not None else Rests()
        if form.field(st.checkbox, "policies.rests", pol.rests is not None, t("ed.rests", lang)):
            c1, c2 = st.columns(2)
            with c1:
                after = form.field(st.number_input, "policies.rests.after_min", float(rests.after_min),
                                   t("ed.rests.after", lang), min_value=1.0, step=15.0)
            with c2:
                length = form.field(st.number_input, "policies.rests.length_min", float(rests.length_min),
                                    t("ed.rests.length", lang), min_value=1.0, step=5.0)
            ov["policies.rests"] = {"after_min": after, "length_min": length}
        else:
            ov["policies.rests"] = None
    return problems


def _week(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The roster and window hours per opening weekday, read-only (from the base scenario:
    the weekday fields are kept by the tables above)."""
    if base.continuous:
        return []
    with st.expander(t("ed.week", lang), expanded=week.varies_by_weekday(base)):
        st.caption(t("ed.week.help", lang))
        if base.staff:
            st.markdown(f"**{t('ed.week.staff', lang)}**")
            st.dataframe(week.staff_week(base, lang), hide_index=True)
        st.markdown(f"**{t('ed.week.windows', lang)}**")
        st.dataframe(week.windows_week(base, lang), hide_index=True)
    return []


def _demand(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    with st.expander(t("ed.demand", lang), expanded=True):
        c1, c2 = st.columns(2)
        with c1:
            if base.demand.visitors_per_day is not None:
                ov["demand.visitors_per_day"] = form.field(
                    st.number_input, "demand.visitors_per_day", float(base.demand.visitors_per_day),
                    t("ed.demand.visitors", lang), min_value=0.0, step=10.0)
            else:
                ov["demand.arrival_rate_per_min"] = form.field(
                    st.number_input, "demand.arrival_rate_per_min", float(base.demand.arrival_rate_per_min or 0),
                    t("ed.demand.rate", lang), min_value=0.0, step=0.1, format="%.3f")
        with c2:
            ov["demand.elderly_share"] = form.field(
                st.number_input, "demand.elderly_share", float(base.demand.elderly_share),
                t("ed.demand.elderly", lang, age=base.demand.elderly_age), min_value=0.0, max_value=1.0, step=0.05)
        if not base.continuous:
            st.caption(t("ed.demand.profile", lang))
            cfg = {"time": st.column_config.TextColumn(t("col.time", lang), required=True),
                   "weight": st.column_config.NumberColumn(t("col.weight", lang), min_value=0.0, required=True)}
            frame = form.table("profile", editor.profile_frame(base), ("demand.hourly_profile",),
                               column_config=cfg, num_rows="dynamic")
            ov["demand.hourly_profile"] = editor.profile_from_frame(frame)
    return []


def _green(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    with st.expander(t("ed.green", lang), expanded=False):
        ov["policies.green_channel.mode"] = form.field(
            st.radio, "policies.green_channel.mode", base.policies.green_channel.mode, t("ed.green.mode", lang),
            options=GREEN_MODES, format_func=lambda c: code_label("green", c, lang))
        ov["policies.green_channel.green_takes_ordinary"] = form.field(
            st.checkbox, "policies.green_channel.green_takes_ordinary",
            base.policies.green_channel.green_takes_ordinary, t("ed.green.ordinary", lang))
    return []


def _devices(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    with st.expander(t("ed.devices", lang), expanded=False):
        c1, c2 = st.columns(2)
        with c1:
            ov["devices.instant_printers.count"] = form.field(
                st.number_input, "devices.instant_printers.count", int(base.devices.instant_printers.count),
                t("ed.devices.printers", lang), ("devices.instant_printers", "services"), min_value=0, step=1)
        with c2:
            ov["devices.kiosks.count"] = form.field(
                st.number_input, "devices.kiosks.count", int(base.devices.kiosks.count),
                t("ed.devices.kiosks", lang), min_value=0, step=1)
        eligible = [s for s, spec in base.services.items() if spec.kiosk_time is not None]
        ov["devices.kiosks.services"] = form.field(
            st.multiselect, "devices.kiosks.services", [s for s in base.devices.kiosks.services if s in eligible],
            t("ed.devices.kiosk_services", lang), ("devices.kiosks",), options=eligible, format_func=_svc(lang))
    return []


def _switch(base_section: Any, form: Form, path: str, title: str, label: str, lang: str) -> bool:
    """The expander of an optional section is open, and its switch on, when the scenario
    has the section; off, the section is absent (None) and nothing else is drawn."""
    st.caption(t(f"{title}.help", lang))
    return bool(form.field(st.toggle, path, base_section is not None, t(label, lang)))


def _choices(form: Form, path: str, offered: list[str]) -> list[str]:
    """``offered`` plus what the widget of ``path`` holds that is no longer offered (a
    renamed window or person), so that the widget keeps it and validation names it."""
    held = st.session_state.get(form.key(path)) or []
    return offered + [x for x in held if x not in offered]


def _dist_field(form: Form, path: str, default: Any, label: str, lang: str) -> str:
    """A distribution typed as in a scenario file (``{dist: lognormal, mean: 3, cv: 0.4}``)."""
    return form.field(st.text_input, path, visit_editor.dist_text(default), label, help=t("ed.dist.help", lang))


def _appointments(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """``appointments:`` — booked share per service, slots, punctuality, no-shows, grace,
    reserved windows (the section is absent when switched off)."""
    if base.continuous:
        return []
    with st.expander(t("ed.appt", lang), expanded=base.appointments is not None):
        if not _switch(base.appointments, form, "appointments", "ed.appt", "ed.appt.on", lang):
            ov["appointments"] = None
            return []
        cur = base.appointments or Appointments()
        values: dict[str, Any] = {}
        st.markdown(f"**{t('ed.appt.booked', lang)}**")
        cfg = {"service": st.column_config.SelectboxColumn(t("col.service", lang), options=list(base.services),
                                                           format_func=_svc(lang), disabled=True),
               "booked_share": st.column_config.NumberColumn(t("col.booked_share", lang), min_value=0.0,
                                                             step=0.05, format="%.2f")}
        frame = form.table("booked", visit_editor.booked_frame(base), ("appointments.booked_share",),
                           columns={}, column_config=cfg, num_rows="fixed")
        values["booked_share"] = visit_editor.booked_from_frame(frame, cur.booked_share)
        c1, c2, c3 = st.columns(3)
        with c1:
            values["slot_min"] = form.field(st.number_input, "appointments.slot_min", float(cur.slot_min),
                                            t("ed.appt.slot", lang), step=5.0)
            values["no_show_rate"] = form.field(st.number_input, "appointments.no_show_rate",
                                                float(cur.no_show_rate), t("ed.appt.no_show", lang), step=0.05)
        with c2:
            values["slot_capacity"] = form.field(st.number_input, "appointments.slot_capacity", cur.slot_capacity,
                                                 t("ed.appt.capacity", lang), step=1)
            values["grace_min"] = form.field(st.number_input, "appointments.grace_min", float(cur.grace_min),
                                             t("ed.appt.grace", lang), step=5.0)
        with c3:
            values["punctuality.early_share"] = form.field(
                st.number_input, "appointments.punctuality.early_share", float(cur.punctuality.early_share),
                t("ed.appt.early_share", lang), ("appointments.punctuality",), step=0.05)
        c1, c2 = st.columns(2)
        with c1:
            values["punctuality.early"] = _dist_field(form, "appointments.punctuality.early", cur.punctuality.early,
                                                      t("ed.appt.early", lang), lang)
        with c2:
            values["punctuality.late"] = _dist_field(form, "appointments.punctuality.late", cur.punctuality.late,
                                                     t("ed.appt.late", lang), lang)
        ids = [w["id"] for w in ov.get("windows", []) if w.get("id")] or base.window_ids()
        values["reserved_windows"] = form.field(
            st.multiselect, "appointments.reserved_windows", [w for w in cur.reserved_windows if w in ids],
            t("ed.appt.reserved", lang), options=_choices(form, "appointments.reserved_windows", ids))
        values["reserved_take_walk_ins"] = form.field(
            st.checkbox, "appointments.reserved_take_walk_ins", cur.reserved_take_walk_ins, t("ed.appt.walk_ins", lang))
        ov["appointments"], problems = visit_editor.section_from_fields(
            "appointments", base.appointments, values, dists=("punctuality.early", "punctuality.late"))
    return problems


def _steps(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """``services.<code>.steps`` — a table of later steps for each service the planner
    chooses (the services that have steps are chosen at first)."""
    having = [svc for svc, spec in base.services.items() if spec.steps]
    with st.expander(t("ed.steps", lang), expanded=bool(having)):
        st.caption(t("ed.steps.help", lang))
        chosen = form.field(st.multiselect, "steps.services", having, t("ed.steps.services", lang),
                            options=list(base.services), format_func=_svc(lang))
        ids = [w["id"] for w in ov.get("windows", []) if w.get("id")] or base.window_ids()
        columns = {"name": t("col.step", lang), "windows": t("col.step_windows", lang),
                   "window_kind": t("col.window_kind", lang), "time": t("col.step_time", lang),
                   "devices": t("col.devices", lang), "instant_issue": t("col.instant_issue", lang)}
        cfg = {
            "name": st.column_config.TextColumn(columns["name"], required=True),
            "windows": st.column_config.MultiselectColumn(columns["windows"], options=ids),
            "window_kind": st.column_config.SelectboxColumn(columns["window_kind"], options=KINDS,
                                                            format_func=lambda c: code_label("kind", c, lang)),
            "time": st.column_config.TextColumn(columns["time"], required=True, help=t("ed.dist.help", lang)),
            "devices": st.column_config.MultiselectColumn(
                columns["devices"], options=DEVICE_KINDS, format_func=lambda c: code_label("device", c, lang)),
            "instant_issue": st.column_config.CheckboxColumn(columns["instant_issue"]),
        }
        problems: list[tuple[str, str]] = []
        for svc in base.services:
            if svc not in chosen:
                if base.services[svc].steps:
                    ov[f"services.{svc}.steps"] = []
                continue
            st.markdown(f"**{t('ed.steps.of', lang, service=code_label('service', svc, lang))}**")
            frame = form.table(f"steps.{svc}", visit_editor.steps_frame(base.services[svc]),
                               (f"services.{svc}.steps",), columns=columns, column_config=cfg, num_rows="dynamic")
            ov[f"services.{svc}.steps"], cells = visit_editor.steps_from_frame(frame, svc)
            problems += cells
    return problems


def _home_visits(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """``home_visits:`` — requests per week, who goes, when, the trip, the rule, the kit."""
    if base.continuous:
        return []
    with st.expander(t("ed.home", lang), expanded=base.home_visits is not None):
        if not _switch(base.home_visits, form, "home_visits", "ed.home", "ed.home.on", lang):
            ov["home_visits"] = None
            return []
        cur = base.home_visits
        names = [p["name"] for p in ov.get("staff", []) if p.get("name")] or [p.name for p in base.staff]
        values: dict[str, Any] = {}
        c1, c2 = st.columns(2)
        with c1:
            values["requests_per_week"] = form.field(
                st.number_input, "home_visits.requests_per_week", float(cur.requests_per_week) if cur else 1.0,
                t("ed.home.requests", lang), step=1.0)
            values["staff"] = form.field(
                st.multiselect, "home_visits.staff", [n for n in (cur.staff if cur else []) if n in names],
                t("ed.home.staff", lang), options=_choices(form, "home_visits.staff", names))
            values["rule"] = form.field(st.radio, "home_visits.rule", cur.rule if cur else "covered",
                                        t("ed.home.rule", lang), options=HOME_RULES, horizontal=True,
                                        format_func=lambda c: code_label("home_rule", c, lang))
        with c2:
            at = visit_editor.clock_text(cur.at if cur else HomeVisits.model_fields["at"].get_default(
                call_default_factory=True))
            values["at"] = visit_editor.parse_clocks(form.field(st.text_input, "home_visits.at", at,
                                                                t("ed.home.at", lang)))
            values["trip"] = _dist_field(form, "home_visits.trip",
                                         cur.trip if cur else HomeVisits.model_fields["trip"].default,
                                         t("ed.home.trip", lang), lang)
            values["takes_printer"] = form.field(st.checkbox, "home_visits.takes_printer",
                                                 cur.takes_printer if cur else False, t("ed.home.printer", lang))
        ov["home_visits"], problems = visit_editor.section_from_fields("home_visits", cur, values, dists=("trip",))
    return problems


def _helpers(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """``helpers:`` — accompanied service for the elderly (陪办 / 帮办): who asks, what happens
    when no helper is free, the kiosk and window effects; the helpers are the staff with the
    helper post (the staff table above)."""
    with st.expander(t("ed.help", lang), expanded=base.helpers is not None):
        if not _switch(base.helpers, form, "helpers", "ed.help", "ed.help.on", lang):
            ov["helpers"] = None
            return []
        cur = base.helpers
        default = Helpers()
        values: dict[str, Any] = {}
        c1, c2 = st.columns(2)
        with c1:
            values["ask_share"] = form.field(st.number_input, "helpers.ask_share",
                                             float((cur or default).ask_share), t("ed.help.ask", lang),
                                             min_value=0.0, max_value=1.0, step=0.05)
            values["when_busy"] = form.field(st.radio, "helpers.when_busy", (cur or default).when_busy,
                                             t("ed.help.busy", lang), options=HELPER_BUSY, horizontal=True,
                                             format_func=lambda c: code_label("helper_busy", c, lang))
            values["patience"] = _dist_field(form, "helpers.patience", (cur or default).patience,
                                             t("ed.help.patience", lang), lang)
        with c2:
            values["kiosk_preference"] = form.field(st.number_input, "helpers.kiosk_preference",
                                                    float((cur or default).kiosk_preference),
                                                    t("ed.help.kiosk", lang), min_value=0.0, max_value=1.0, step=0.05)
            values["window_time_factor"] = form.field(st.number_input, "helpers.window_time_factor",
                                                      float((cur or default).window_time_factor),
                                                      t("ed.help.factor", lang), min_value=0.1, step=0.1)
            values["staff_may_cover"] = form.field(st.checkbox, "helpers.staff_may_cover",
                                                   (cur or default).staff_may_cover, t("ed.help.cover", lang))
        ov["helpers"], problems = visit_editor.section_from_fields("helpers", cur, values, dists=("patience",))
    return problems


def _sla(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    with st.expander(t("ed.sla", lang), expanded=False):
        cols = st.columns(3)
        for i, name in enumerate(editor.SLA_FIELDS):
            value = getattr(base.sla, name)
            with cols[i % 3]:
                share = name.endswith("_rate_max")
                ov[f"sla.{name}"] = form.field(
                    st.number_input, f"sla.{name}", None if value is None else float(value),
                    _sla_field_label(name, lang), min_value=0.0, max_value=1.0 if share else None,
                    step=0.01 if share else 1.0)
    return []


def _run_settings(base: Scenario, form: Form, ov: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    with st.expander(t("ed.run", lang), expanded=False):
        c1, c2 = st.columns(2)
        if not base.continuous:
            with c1:
                ov["run.days"] = form.field(st.number_input, "run.days", int(base.run.days), t("ed.run.days", lang),
                                            min_value=1, step=1)
        with c2:
            ov["run.replications"] = form.field(st.number_input, "run.replications", int(base.run.replications),
                                                t("ed.run.reps", lang), min_value=1, step=1)
        if not base.continuous:
            c1, c2, c3 = st.columns(3)
            with c1:
                ov["run.start_date"] = form.field(st.date_input, "run.start_date", base.run.start_date,
                                                  t("ed.run.start", lang))
            with c2:
                ov["run.calendar"] = form.field(st.selectbox, "run.calendar", base.run.calendar,
                                                t("ed.run.calendar", lang), options=CALENDARS,
                                                format_func=lambda c: code_label("calendar", c, lang))
            with c3:
                ov["run.adjusted_workday_as"] = form.field(
                    st.selectbox, "run.adjusted_workday_as", base.run.adjusted_workday_as,
                    t("ed.run.adjusted_as", lang), options=list(WEEKDAYS),
                    format_func=lambda d: code_label("weekday", d, lang), disabled=ov["run.calendar"] != "chinese")
    return []


SECTIONS: tuple[Section, ...] = (_hall, _windows, _staff, _week, _demand, _green, _devices, _appointments, _steps,
                                 _home_visits, _helpers, _sla, _run_settings)
"""The editor's expanders, in page order."""


def _edit(base: Scenario, form: Form, lang: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Draw the editor; return the overrides it makes and the problems of unreadable cells."""
    ov: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for section in SECTIONS:
        problems += section(base, form, ov, lang)
    return ov, problems


def _sla_field_label(name: str, lang: str) -> str:
    from sim.results.labels import group_label, kpi_label
    from sim.results.summary import SLA_TARGETS

    kpi, group, _ = SLA_TARGETS[name]
    label = kpi_label(kpi, lang)
    limit = "≤" if lang == "en" else "上限 ≤"
    return f"{label} {limit}" if group == "all" else f"{label} · {group_label(group, lang)} {limit}"


# ------------------------------------------------------------------ panels
def _standards(scenario: Scenario, edited_ok: bool, lang: str) -> None:
    st.subheader(t("sc.standards", lang, level=code_label("level", scenario.hall.level, lang)))
    if not edited_ok:
        st.caption(t("sc.standards_of_base", lang))
    glance.show_table(*standards_table(check_standards(scenario), lang))


def _queue(key, results: dict, lang: str) -> None:
    from sim.plots.hall import queue_data
    from sim.plots.style import is_continuous

    frame = chart_data((PAGE, key), "queue", lambda: queue_data(results))
    charts.show(charts.queue_chart(frame, list(results), is_continuous(results), lang))


def _run(base: Scenario, base_choice: state.Choice, edited: Scenario | None, name: str, lang: str, top) -> None:
    """The run controls and the last results, with the headline in ``top`` (a container at
    the top of the page). An edited draft runs against the scenario it came from (a
    what-if, on common random numbers); an unedited one alone."""
    seed, workers = state.settings()
    scenario = edited if edited is not None else base
    text = scenario_to_yaml(scenario)
    whatif = edited is not None and text != base_choice.yaml
    c1, c2 = st.columns([1, 2])
    with c1:
        st.session_state.setdefault("keep.sc.reps", min(int(scenario.run.replications), 10))
        reps = int(st.number_input(t("sc.run_reps", lang), min_value=1, max_value=1000, step=1, key="keep.sc.reps"))
    with c2:
        st.write("")
        clicked = st.button(t("sc.run_whatif" if whatif else "sc.run", lang), type="primary", key="sc.run",
                            disabled=edited is None)
    if whatif:
        after = name if name != base_choice.name else f"{name} ({t('wi.after', lang)})"
        run_key = ("whatif", (base_choice.yaml, text), (base_choice.name, after), seed, reps)
        compute = lambda progress: state.cached_comparison(  # noqa: E731
            run_key[1], run_key[2], seed, reps, _workers=workers, _progress=progress)
    else:
        run_key = ("run", text, seed, reps)
        compute = lambda progress: state.cached_run(  # noqa: E731
            text, name, seed, reps, _workers=workers, _progress=progress)
    stored = state.run_when_clicked(PAGE, run_key, clicked, compute, lang, stale="sc.results_stale", name=name)
    if stored is None:
        return
    if stored["key"][0] == "whatif":
        _show_whatif(stored, lang, top)
    else:
        _show_run(stored, lang, top)


@st.cache_data(show_spinner=False, max_entries=4)
def _animation(key, lang: str, _result) -> tuple[dict, str]:
    """The animation of the first day of the first replication: its Plotly figure (as a
    dict) and its self-contained HTML, once per result and language."""
    from sim.plots.animation import animation_html, hall_day_animation
    from sim.ui.text import CODES

    names = {code: code_label("service", code, lang) for code in CODES["service"]}
    fig = hall_day_animation(_result, 0, 0, lang, names=names)
    return fig.to_dict(), animation_html(fig)


def _animate(key, result, lang: str) -> None:
    """The hall's day, animated, on request (it takes a few seconds to build)."""
    import importlib.util

    st.markdown(f"**{t('an.title', lang)}**")
    if importlib.util.find_spec("vidigi") is None:
        st.info(t("an.missing", lang))
        return
    st.caption(t("an.help", lang, rep=0, day=0))
    if st.button(t("an.button", lang), key="an.run"):
        st.session_state["an.shown"] = key
    if st.session_state.get("an.shown") != key:
        return
    fig, html = _animation(key, lang, result)
    st.plotly_chart(fig, width="stretch", key="an.chart")
    st.download_button(t("an.download", lang), html, file_name="hall_day.html", mime="text/html", key="an.dl",
                       on_click="ignore")


def _show_run(stored: dict, lang: str, top) -> None:
    result, name = stored["value"], stored["name"]
    with top:
        glance.show_headline(name, result.sla, result.summary, lang)
    st.subheader(t("sc.results", lang, reps=result.reps, seed=result.seed, seconds=result.seconds))
    for path, message in scenario_warnings(result.scenario):  # the semantic warnings, above the KPIs
        st.warning(f"`{path}`: {localise(message, lang)}")
    st.markdown(f"**{t('cmp.scorecard', lang)}**")
    glance.show_table(*sla_verdicts(result.sla, lang))
    st.markdown(f"**{t('sc.kpis', lang)}**")
    st.dataframe(key_figures(result, lang), hide_index=True, height="content")
    _queue(stored["key"], {name: result}, lang)
    _animate(stored["key"], result, lang)


def _show_whatif(stored: dict, lang: str, top) -> None:
    cmp = stored["value"]
    before, after = cmp.names
    result = cmp.results[1]
    with top:
        glance.show_headline(after, cmp.sla[cmp.sla["scenario"] == after], result.summary, lang)
    st.subheader(t("wi.title", lang))
    st.caption(t("wi.help", lang, name=before))
    lines = glance.comparison_lines(cmp, lang)
    if lines:
        st.markdown("\n".join(f"- {line}" for line in lines))
    st.caption(t("sc.results", lang, reps=cmp.reps, seed=cmp.seed, seconds=cmp.seconds))
    glance.comparison_tables(cmp, lang)
    st.markdown(f"**{t('sc.kpis', lang)}** · {after}")
    st.dataframe(key_figures(result, lang), hide_index=True, height="content")
    _queue(stored["key"], dict(zip(cmp.names, cmp.results)), lang)
    _animate(stored["key"], result, lang)


def render() -> None:
    """Draw the Scenario page: source, results (headline first), editor, standards."""
    lang = state.lang()
    st.title(t("page.scenario", lang))
    top = st.container()  # the headline of the last run, above everything
    choice = _source(lang)
    if choice is None:
        return
    base = load_scenario_text(choice.yaml, source=choice.name)
    draft = f"{choice.key}#{hashlib.sha1(choice.yaml.encode()).hexdigest()[:10]}"
    draft = f"{draft}~{st.session_state.get('drafts_reset', {}).get(draft, 0)}"
    results = st.container()  # filled once the editor has said what the draft is
    st.header(t("ed.title", lang))
    status = st.empty()
    form = Form(draft, lang)
    overrides, cell_problems = _edit(base, form, lang)
    edited, problems = editor.apply_edits(base, overrides, choice.name, cell_problems)
    rest = form.show_problems(problems)
    if edited is None:
        lines = "\n".join(f"- {editor.path_label(p, lang)}: {localise(m, lang)}" if p else f"- {localise(m, lang)}"
                          for p, m in rest)
        status.error(t("ed.invalid", lang) + (f"\n\n{t('ed.other_problems', lang)}\n\n{lines}" if rest else ""))
    else:
        status.success(t("ed.valid", lang))

    c1, c2, c3 = st.columns(3)
    if st.session_state.get("keep.sc.variant_of") != choice.name:  # a new pick: propose its own name
        st.session_state["keep.sc.variant_of"] = choice.name
        st.session_state["keep.sc.variant"] = f"{choice.name}_edited"
    with c1:
        name = st.text_input(t("sc.variant_name", lang), key="keep.sc.variant").strip() or f"{choice.name}_edited"
    with c2:
        st.write("")
        if st.button(t("sc.save", lang), disabled=edited is None, key="sc.save"):
            state.save_variant(name, scenario_to_yaml(edited))
            st.success(t("sc.saved", lang, name=name))
        if edited is not None:
            st.download_button(t("sc.download", lang), scenario_to_yaml(edited), file_name=f"{name}.yaml",
                               mime="application/x-yaml", help=t("sc.download_help", lang), key="sc.download",
                               on_click="ignore")
    with c3:
        st.write("")
        if st.button(t("sc.reset", lang), key="sc.reset"):
            counts = st.session_state.setdefault("drafts_reset", {})
            base_draft = draft.rsplit("~", 1)[0]
            counts[base_draft] = counts.get(base_draft, 0) + 1
            st.rerun()

    _standards(edited if edited is not None else base, edited is not None, lang)
    with results:
        _run(base, choice, edited, name, lang, top)


if __name__ == "__main__":
    render()
