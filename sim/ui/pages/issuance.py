"""Issuance page: card making and issuance over working days (制卡, 发卡, 领卡) for the
scenarios that have an ``issuance`` section — :func:`sim.issuance.simulate_issuance`, its
KPIs with intervals, its targets, and interactive charts of the backlog and cycle times;
the verdict headline first.
"""

from __future__ import annotations

import streamlit as st

from sim.ui import charts, glance, state
from sim.ui.scorecards import sla_verdicts, summary_table
from sim.ui.text import t

PAGE = "issuance"


def show(result, run_key, lang: str, top=None) -> None:
    """The headline (in ``top`` when given), the verdicts, the KPIs, the charts and the
    daily table of an issuance run; tables one below the other at full width."""
    from sim.report.build import issuance_target_label

    with top if top is not None else st.container():
        missed = result.sla["verdict"].isin(["not met", "uncertain"]).any()
        glance.show_headline(result.scenario.hall.name, result.sla, None, lang,
                             tips=[t("gl.issuance_try", lang)] if missed else [])
    st.markdown(f"**{t('is.sla', lang)}**")
    days = result.scenario.issuance.sla.model_dump()
    glance.show_table(*sla_verdicts(result.sla, lang, label=lambda row, lang_: issuance_target_label(row, lang_, days)))
    st.markdown(f"**{t('is.summary', lang)}**")
    glance.show_table(summary_table(result.summary, lang))
    routes = [r for r in ("batch", "sporadic") if getattr(result.scenario.issuance, r) is not None]
    sla = result.scenario.issuance.sla
    c1, c2 = st.columns(2)
    with c1:
        charts.show(charts.backlog_chart(result.daily, routes, lang))
    with c2:
        charts.show(charts.cycle_chart(result.applications, routes,
                                       {"batch": sla.batch_max_days, "sporadic": sla.sporadic_max_days}, lang))
    st.download_button(t("is.dl", lang), result.daily.to_csv(index=False), file_name="issuance_daily.csv",
                       mime="text/csv", key="is.dl", on_click="ignore")


def render() -> None:
    """Draw the Issuance page."""
    lang = state.lang()
    st.title(t("page.issuance", lang))
    top = st.container()
    st.caption(t("is.intro", lang))
    offered = [c for c in state.choices() if c.yaml is not None
               and getattr(state.scenario_of(c.yaml, c.name), "issuance", None) is not None]
    if not offered:
        st.info(t("is.none", lang))
        return
    choice = state.pick_scenario(t("is.pick", lang), f"{state.KEEP_PREFIX}is.pick", lang, offered)
    scenario = state.scenario_of(choice.yaml, choice.name)
    c1, c2 = st.columns(2)
    with c1:
        st.session_state.setdefault(f"{state.KEEP_PREFIX}is.reps", 5)
        reps = int(st.number_input(t("is.reps", lang), min_value=1, max_value=1000, step=1,
                                   key=f"{state.KEEP_PREFIX}is.reps"))
    with c2:
        st.session_state.setdefault(f"{state.KEEP_PREFIX}is.days", int(scenario.issuance.days))
        days = int(st.number_input(t("is.days", lang), min_value=1, max_value=3660, step=1,
                                   key=f"{state.KEEP_PREFIX}is.days"))
    seed, workers = state.settings()
    run_key = (choice.yaml, choice.name, seed, reps, days)
    clicked = st.button(t("is.run", lang), type="primary", key="is.run")
    stored = state.run_when_clicked(PAGE, run_key, clicked, lambda progress: state.cached_issuance(
        *run_key, _workers=workers, _progress=progress), lang, failed="is.failed")
    if stored is not None:
        show(stored["value"], stored["key"], lang, top)


if __name__ == "__main__":
    render()
