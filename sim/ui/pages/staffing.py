"""Staffing page: run the staffing search (:func:`sim.staffing_search.staffing_search`) for
a scenario and show the windows and staff it proposes per time block against the demand
curve, with the proposed scenario to download or keep as a variant for the Compare page.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from sim.ui import state
from sim.ui.editor import staff_frame
from sim.ui.figures import show_figure
from sim.ui.scorecards import sla_verdicts, styled
from sim.ui.text import t

PAGE = "staffing"
ROSTER_COLUMNS = ("name", "a_post", "b_post", "shift_start", "shift_end", "breaks")
SHOWN = ("block_start", "block_end", "arrivals_per_hour", "windows", "staff", "erlang_c_windows",
         "erlang_a_windows", "wait_mean_min", "wait_p90_min", "verdict")


def blocks_table(blocks, lang: str):
    """The plan's blocks with headers in ``lang`` and the verdict codes (for colour)."""
    from sim.results.labels import verdict_label

    cols = [c for c in SHOWN if c in blocks.columns]
    shown = blocks[cols].copy().round({"arrivals_per_hour": 1, "wait_mean_min": 2, "wait_p90_min": 2})
    for c in ("erlang_c_windows", "erlang_a_windows"):
        if c in shown:
            values = shown[c].astype(float)
            shown[c] = values.where(np.isfinite(values)).round().astype("Int64")
    codes = shown.copy().astype(object)
    codes.loc[:, :] = ""
    if "verdict" in shown:
        codes["verdict"] = shown["verdict"]
        shown["verdict"] = [verdict_label(v, lang) for v in shown["verdict"]]
    names = {c: t(f"stc.{c}", lang) for c in cols}
    return shown.rename(columns=names), codes.rename(columns=names)


def show(plan, run_key, lang: str) -> None:
    """The blocks, the figure, the day-wide verdicts and the proposal's downloads."""
    from sim.plots.staffing import staffing_plan

    st.subheader(t("st.blocks", lang))
    shown, codes = blocks_table(plan.blocks, lang)
    st.dataframe(styled(shown, codes), hide_index=True, height="content")
    show_figure((PAGE, run_key), "staffing_plan", t("st.chart", lang), lambda: staffing_plan(plan, lang=lang), lang)
    if plan.scenario.staff:
        st.markdown(f"**{t('st.roster', lang)}**")
        roster = staff_frame(plan.scenario)[list(ROSTER_COLUMNS)]
        st.dataframe(roster.rename(columns={c: t(f"col.{c}", lang) for c in ROSTER_COLUMNS}), hide_index=True,
                     height="content")
    st.markdown(f"**{t('cmp.scorecard', lang)}**")
    shown, codes = sla_verdicts(plan.result.sla, lang)
    st.dataframe(styled(shown, codes), hide_index=True, height="content")
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
        show(stored["value"], stored["key"], lang)


if __name__ == "__main__":
    render()
