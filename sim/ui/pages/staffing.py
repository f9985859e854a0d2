"""Staffing page: run the staffing search (:func:`sim.staffing_search.staffing_search`) for
a scenario and show the windows and staff it proposes per time block against the demand
curve, with the proposed scenario to download or keep as a variant for the Compare page.
The headline of the proposal's day-wide verdicts comes first; the blocks table reads verdict
first, numbers rounded, so that it fits a narrow screen.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from sim.ui import charts, glance, state
from sim.ui.editor import staff_frame
from sim.ui.scorecards import sla_verdicts
from sim.ui.text import code_label, t

PAGE = "staffing"
ROSTER_COLUMNS = ("name", "a_post", "b_post", "shift_start", "shift_end", "breaks")
SHOWN = ("verdict", "block_start", "block_end", "arrivals_per_hour", "windows", "staff", "erlang_c_windows",
         "erlang_a_windows", "wait_mean_min", "wait_p90_min")



def blocks_table(blocks, lang: str):
    """The plan's blocks with headers in ``lang``, the verdict first (marked ✔ ✘ ?), numbers
    rounded to what they mean (1 decimal for arrivals, 2 for minutes, whole windows), and
    the verdict codes (for colour)."""
    from sim.results.labels import verdict_label

    marks = {"met": "✔", "not met": "✘", "uncertain": "?", "no data": "–"}
    cols = [c for c in SHOWN if c in blocks.columns]
    shown = blocks[cols].copy().astype(object)
    for c, digits in (("arrivals_per_hour", 1), ("wait_mean_min", 2), ("wait_p90_min", 2)):
        if c in shown:
            shown[c] = [f"{float(v):.{digits}f}" if np.isfinite(float(v)) else "–" for v in blocks[c]]
    for c in ("windows", "staff", "erlang_c_windows", "erlang_a_windows"):
        if c in shown:
            shown[c] = [f"{float(v):.0f}" if np.isfinite(float(v)) else "–" for v in blocks[c]]
    codes = shown.copy()
    codes.loc[:, :] = ""
    if "verdict" in shown:
        codes["verdict"] = list(blocks["verdict"])
        shown["verdict"] = [f"{marks.get(v, '')} {verdict_label(v, lang)}" for v in blocks["verdict"]]
    names = {c: t(f"stc.{c}", lang) for c in cols}
    return shown.rename(columns=names), codes.rename(columns=names)


def post_label(post, lang: str) -> str:
    """A post in words: a window id as it is, ``guide`` / ``floater`` in ``lang``, blank for none."""
    if post is None or (isinstance(post, float) and np.isnan(post)):
        return ""
    return code_label("post", str(post), lang)


def roster_table(scenario, lang: str):
    """The proposed roster with headers in ``lang`` and posts in words."""
    roster = staff_frame(scenario)[list(ROSTER_COLUMNS)].copy()
    for c in ("a_post", "b_post"):
        roster[c] = [post_label(p, lang) for p in roster[c]]
    return roster.rename(columns={c: t(f"col.{c}", lang) for c in ROSTER_COLUMNS})


def show(plan, run_key, lang: str, top=None) -> None:
    """The headline (in ``top`` when given), the blocks, the chart, the day-wide verdicts
    and the proposal's downloads."""
    with top if top is not None else st.container():
        glance.show_headline(t("gl.staffing", lang) + plan.scenario.hall.name, plan.result.sla, plan.result.summary,
                             lang)
    st.subheader(t("st.blocks", lang))
    glance.show_table(*blocks_table(plan.blocks, lang))
    charts.show(charts.staffing_chart(plan.blocks, plan.base.continuous, lang))
    if plan.scenario.staff:
        st.markdown(f"**{t('st.roster', lang)}**")
        glance.show_table(roster_table(plan.scenario, lang))
    st.markdown(f"**{t('cmp.scorecard', lang)}**")
    glance.show_table(*sla_verdicts(plan.result.sla, lang))
    name = f"{run_key[1]}_staffed"
    c1, c2 = st.columns(2)
    with c1:
        st.download_button(t("st.download", lang), plan.yaml, file_name=f"{name}.yaml", mime="application/x-yaml",
                           key="st.download", on_click="ignore")
    with c2:
        if st.button(t("st.save", lang, name=name), key="st.save"):
            from sim.scenario.loader import scenario_to_yaml

            state.save_variant(name, scenario_to_yaml(plan.scenario))
            st.success(t("sc.saved", lang, name=name))


def render() -> None:
    """Draw the Staffing page."""
    lang = state.lang()
    st.title(t("page.staffing", lang))
    top = st.container()
    st.caption(t("st.intro", lang))
    choice = state.pick_scenario(t("st.pick", lang), f"{state.KEEP_PREFIX}st.pick", lang)
    if choice is None:
        return
    scenario = state.scenario_of(choice.yaml, choice.name)
    c1, c2, c3 = st.columns(3)
    with c1:
        st.session_state.setdefault(f"{state.KEEP_PREFIX}st.block", 60)
        block = int(st.number_input(t("st.block_min", lang), min_value=5, max_value=24 * 60, step=15,
                                    key=f"{state.KEEP_PREFIX}st.block"))
    with c2:
        st.session_state.setdefault(f"{state.KEEP_PREFIX}st.reps", 5)
        reps = int(st.number_input(t("cmp.reps", lang), min_value=1, max_value=1000, step=1,
                                   key=f"{state.KEEP_PREFIX}st.reps"))
    days = None
    if not scenario.continuous:
        with c3:
            st.session_state.setdefault(f"{state.KEEP_PREFIX}st.days", min(5, scenario.run.days))
            days = int(st.number_input(t("ed.run.days", lang), min_value=1, max_value=3660, step=1,
                                       key=f"{state.KEEP_PREFIX}st.days"))
    seed, workers = state.settings()
    run_key = (choice.yaml, choice.name, seed, reps, days, float(block))
    clicked = st.button(t("st.run", lang), type="primary", key="st.run")
    stored = state.run_when_clicked(PAGE, run_key, clicked, lambda progress: state.cached_staffing(
        *run_key, _workers=workers, _progress=progress), lang, failed="st.failed")
    if stored is not None:
        show(stored["value"], stored["key"], lang, top)


if __name__ == "__main__":
    render()
