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
from sim.scenario.schema import DEVICE_KINDS, LEVELS, WEEKDAYS, Scenario
from sim.scenario.standards import check_standards
from sim.ui import charts, editor, glance, state
from sim.ui.figures import chart_data
from sim.ui.scorecards import key_figures, sla_verdicts, standards_table
from sim.ui.text import code_label, t

PAGE = "scenario"
GREEN_MODES = ("dedicated", "priority", "none")
CALENDARS = ("weekdays", "chinese")
LUNCH_MODES = ("staggered", "closed")
KINDS = ("general", "green", "bank")


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
    the field paths it edits."""

    def __init__(self, draft: str, lang: str):
        self.draft, self.lang = draft, lang
        self.slots: list[tuple[tuple[str, ...], Any]] = []
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
        self.slots.append(((path, *paths), st.empty()))
        return value

    def table(self, name: str, initial: pd.DataFrame, paths: tuple[str, ...], **kw) -> pd.DataFrame:
        """An editable table whose edits survive a visit to another page."""
        key = f"tbl.{self.draft}.{name}"
        entry = self.tables.setdefault(name, {"last": initial})
        if key not in st.session_state or "base" not in entry:
            entry["base"] = entry["last"]
        edited = st.data_editor(entry["base"], key=key, hide_index=True, width="stretch", **kw)
        entry["last"] = edited
        self.slots.append((paths, st.empty()))
        return edited

    def show_problems(self, problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Write each problem under its widget; return those no widget owns."""
        owned: set[tuple[str, str]] = set()
        for prefixes, slot in self.slots:
            mine = editor.problems_under(problems, prefixes)
            if mine:
                slot.error("\n".join(f"- {self._line(p, m, prefixes)}" for p, m in mine))
                owned.update(mine)
        return [p for p in problems if p not in owned]

    def _line(self, path: str, message: str, prefixes: tuple[str, ...]) -> str:
        for prefix in prefixes:
            rest = path[len(prefix) + 1:] if path.startswith(prefix + ".") else None
            if rest and prefix in ("windows", "staff") and rest.split(".")[0].isdigit():
                n, _, field = rest.partition(".")
                return (f"{t('ed.row', self.lang, n=int(n) + 1)} · {editor.path_label(field or prefix, self.lang)}: "
                        f"{localise(message, self.lang)}")
        return f"{editor.path_label(path, self.lang)}: {localise(message, self.lang)}"


def _edit(base: Scenario, form: Form, lang: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Draw the editor; return the overrides it makes and the problems of unreadable cells."""
    services = list(base.services)
    ov: dict[str, Any] = {}
    svc = lambda c: code_label("service", c, lang)  # noqa: E731

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

    with st.expander(t("ed.windows", lang), expanded=True):
        st.caption(t("ed.windows.help", lang))
        cfg = {
            "id": st.column_config.TextColumn(t("col.window", lang), required=True),
            "kind": st.column_config.SelectboxColumn(t("col.kind", lang), options=KINDS, required=True,
                                                     format_func=lambda c: code_label("kind", c, lang)),
            "services": st.column_config.MultiselectColumn(t("col.services", lang), options=services,
                                                           format_func=svc),
            "devices": st.column_config.MultiselectColumn(
                t("col.devices", lang), options=DEVICE_KINDS, format_func=lambda c: code_label("device", c, lang)),
        }
        frame = form.table("windows", editor.windows_frame(base), ("windows", "demand.service_mix"),
                           column_config=cfg, num_rows="dynamic")
        ov["windows"] = editor.windows_from_frame(frame, base)

    problems: list[tuple[str, str]] = []
    if base.policies.staffing == "roster":
        with st.expander(t("ed.staff", lang), expanded=True):
            st.caption(t("ed.staff.help", lang))
            posts = [w.id for w in base.windows] + ["guide", "floater"] + (["helper"] if base.helpers else [])
            cfg = {
                "name": st.column_config.TextColumn(t("col.name", lang), required=True),
                "a_post": st.column_config.TextColumn(t("col.a_post", lang), required=True,
                                                      help=", ".join(posts)),
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

    with st.expander(t("ed.green", lang), expanded=False):
        ov["policies.green_channel.mode"] = form.field(
            st.radio, "policies.green_channel.mode", base.policies.green_channel.mode, t("ed.green.mode", lang),
            options=GREEN_MODES, format_func=lambda c: code_label("green", c, lang))
        ov["policies.green_channel.green_takes_ordinary"] = form.field(
            st.checkbox, "policies.green_channel.green_takes_ordinary",
            base.policies.green_channel.green_takes_ordinary, t("ed.green.ordinary", lang))

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
            t("ed.devices.kiosk_services", lang), ("devices.kiosks",), options=eligible, format_func=svc)

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
