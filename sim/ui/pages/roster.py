"""Roster page: propose a roster of named people the hall can work
(:func:`sim.experiments.week_roster.propose_week`, one roster per group of opening
weekdays with equal hours and demand) and show, for each, the requirement per period, the
people, the Gantt chart, every target's verdict and the verdict in words, with the roster
scenario to download or keep as a variant for the Compare page.
"""

from __future__ import annotations

import streamlit as st

from sim.ui import state
from sim.ui.figures import show_figure
from sim.ui.scorecards import sla_verdicts, styled
from sim.ui.text import t

PAGE = "roster"
REQUIREMENT_SHOWN = ("period_start", "period_end", "arrivals_per_hour", "required", "binding", "sipp", "lag_sipp",
                     "mol", "verdict")
PEOPLE_SHOWN = ("name", "a_post", "b_post", "shift_start", "shift_end", "lunch_start", "hours", "changes")


@st.cache_data(show_spinner=False, max_entries=8)
def cached_roster(yaml_text: str, name: str, seed: int, reps: int, days: int | None, rounds: int,
                  rules: tuple[tuple[str, str], ...] = (), _progress=None):
    """The week's rosters of a scenario under the roster ``rules`` (name, value as text),
    cached on its inputs."""
    from sim.experiments.rostering import rules_from_text
    from sim.experiments.week_roster import propose_week

    scenario = state.scenario_of(yaml_text, name)
    return propose_week(scenario, rules_from_text(dict(rules)), reps=reps, seed=seed, days=days, max_rounds=rounds,
                        progress=_progress)


RULE_INPUTS = ("min_shift_min", "max_shift_min", "lunch_min", "lunch_after_min", "max_continuous_min", "days_per_week")
"""The roster rules the page edits as whole numbers (with the lunch window and the new hires allowed)."""


def _rules(lang: str) -> tuple[tuple[str, str], ...] | None:
    """The roster rules as edited (name, value as text), or None after showing why they
    cannot be used (each problem names the rule and the value)."""
    from sim.experiments.rostering import RULE_LIMITS, RosterRules, rules_from_text

    default = RosterRules()
    items: dict[str, str] = {}
    with st.expander(t("ro.rules", lang), expanded=False):
        cols = st.columns(3)
        for k, name in enumerate(RULE_INPUTS):
            lo, hi = RULE_LIMITS[name]
            key = f"{state.KEEP_PREFIX}ro.rule.{name}"
            st.session_state.setdefault(key, int(getattr(default, name)))
            with cols[k % 3]:
                items[name] = str(int(st.number_input(t(f"ro.rule.{name}", lang), min_value=lo, max_value=hi, step=15
                                                      if name.endswith("_min") else 1, key=key)))
        c1, c2 = st.columns(2)
        with c1:
            key = f"{state.KEEP_PREFIX}ro.rule.lunch_window"
            st.session_state.setdefault(key, "")
            window = st.text_input(t("ro.rule.lunch_window", lang), key=key).strip()
            items["lunch_window"] = window or "hall"
        with c2:
            key = f"{state.KEEP_PREFIX}ro.rule.max_new_staff"
            options = ["none", *map(str, range(0, 11))]
            st.session_state.setdefault(key, "none")
            items["max_new_staff"] = st.selectbox(t("ro.rule.max_new_staff", lang), options, key=key,
                                                  format_func=lambda o: t("ro.rule.any", lang) if o == "none" else o)
    try:
        rules_from_text(items)
    except ValueError as exc:
        st.error(f"{t('ro.rules', lang)}: {exc}")
        return None
    return tuple(sorted(items.items()))


def _group(group, proposal, run_key, lang: str) -> None:
    st.subheader(t("ro.day", lang, days=", ".join(group)))
    st.info(proposal.verdict_in(lang))
    req = proposal.requirement.table[list(REQUIREMENT_SHOWN)].round({"arrivals_per_hour": 1})
    st.markdown(f"**{t('ro.requirement', lang)}**")
    st.dataframe(req, hide_index=True, height="content")
    plan = proposal.plan
    st.markdown(f"**{t('ro.people', lang, hours=f'{plan.staff_hours:g}', n=len(plan.people))}**")
    st.dataframe(plan.people[list(PEOPLE_SHOWN)], hide_index=True, height="content")
    from sim.plots.roster import roster_gantt

    show_figure((PAGE, run_key, group), f"roster_{'_'.join(group)}", t("ro.chart", lang),
                lambda: roster_gantt(plan, lang=lang), lang)
    st.markdown(f"**{t('cmp.scorecard', lang)}**")
    shown, codes = sla_verdicts(proposal.result.sla, lang)
    st.dataframe(styled(shown, codes), hide_index=True, height="content")


def show(week, run_key, lang: str) -> None:
    """Each weekday group's roster, then the week's scenario to download or keep."""
    from sim.scenario.loader import scenario_to_yaml

    st.caption(t("ro.week", lang, hours=f"{week.staff_hours:g}", seconds=f"{week.seconds:.1f}"))
    if week.off:
        st.info(week.days_off_in(lang))
    for group, proposal in week.proposals.items():
        _group(group, proposal, run_key, lang)
    text = scenario_to_yaml(week.scenario)
    name = f"{run_key[1]}_roster"
    c1, c2 = st.columns(2)
    with c1:
        st.download_button(t("st.download", lang), text, file_name=f"{name}.yaml", mime="application/x-yaml",
                           key="ro.download", on_click="ignore")
    with c2:
        if st.button(t("st.save", lang, name=name), key="ro.save"):
            state.save_variant(name, text)
            st.success(t("sc.saved", lang, name=name))


def render() -> None:
    """Draw the Roster page."""
    lang = state.lang()
    st.title(t("page.roster", lang))
    st.caption(t("ro.intro", lang))
    choice = state.pick_scenario(t("st.pick", lang), f"{state.KEEP_PREFIX}ro.pick", lang)
    if choice is None:
        return
    scenario = state.scenario_of(choice.yaml, choice.name)
    if scenario.continuous:
        st.warning(t("ro.continuous", lang))
        return
    c1, c2, c3 = st.columns(3)
    with c1:
        st.session_state.setdefault(f"{state.KEEP_PREFIX}ro.reps", 5)
        reps = int(st.number_input(t("cmp.reps", lang), min_value=1, max_value=1000, step=1,
                                   key=f"{state.KEEP_PREFIX}ro.reps"))
    with c2:
        st.session_state.setdefault(f"{state.KEEP_PREFIX}ro.days", min(5, scenario.run.days))
        days = int(st.number_input(t("ed.run.days", lang), min_value=1, max_value=3660, step=1,
                                   key=f"{state.KEEP_PREFIX}ro.days"))
    with c3:
        st.session_state.setdefault(f"{state.KEEP_PREFIX}ro.rounds", 2)
        rounds = int(st.number_input(t("ro.rounds", lang), min_value=1, max_value=10, step=1,
                                     key=f"{state.KEEP_PREFIX}ro.rounds"))
    rules = _rules(lang)
    if rules is None:
        return
    seed, _ = state.settings()
    run_key = (choice.yaml, choice.name, seed, reps, days, rounds, rules)
    clicked = st.button(t("ro.run", lang), type="primary", key="ro.run")
    stored = state.run_when_clicked(PAGE, run_key, clicked, lambda progress: cached_roster(
        *run_key, _progress=progress), lang, failed="ro.failed")
    if stored is not None:
        show(stored["value"], stored["key"], lang)


if __name__ == "__main__":
    render()
