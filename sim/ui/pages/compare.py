"""Compare page: 2 to 4 scenarios or variants on common random numbers, with a progress
bar; the SLA scorecard side by side, the paired differences against the baseline, the
charts of :mod:`sim.plots.hall`, and downloads (CSV tables, the scenario files as YAML,
each figure as PNG).
"""

from __future__ import annotations

import re

import streamlit as st

from sim import plots
from sim.experiments.compare import Comparison
from sim.ui import state
from sim.ui.figures import show_figure
from sim.ui.scorecards import differences, scorecard, styled
from sim.ui.text import t

PAGE = "compare"
MAX_SCENARIOS = 4
DEFAULT_PICK = ("file:county_hall.yaml", "file:county_hall_no_green.yaml")


def _picker(lang: str) -> list[state.Choice]:
    offered = [c for c in state.choices() if c.yaml is not None]
    by_key = {c.key: c for c in offered}
    key = f"{state.KEEP_PREFIX}cmp.pick"
    picked = [k for k in st.session_state.get(key, []) if k in by_key]
    if key not in st.session_state:
        picked = [k for k in DEFAULT_PICK if k in by_key] or [c.key for c in offered[:2]]
    st.session_state[key] = picked
    chosen = st.multiselect(t("cmp.pick", lang), list(by_key), key=key, max_selections=MAX_SCENARIOS,
                            format_func=lambda k: state.choice_label(by_key[k], lang))
    return [by_key[k] for k in chosen]


def _charts(cmp: Comparison, run_key, lang: str) -> None:
    results = dict(zip(cmp.names, cmp.results))
    sla = cmp.results[0].scenario.sla
    wait_target, issue_target = sla.wait_p90_max_min, sla.issuance_p90_max_min
    figures = [
        ("compare_queue", "fig.queue", lambda: plots.queue_through_day(results, lang=lang)),
        ("compare_waits_by_hour", "fig.hour", lambda: plots.waits_by_hour(results, wait_target, lang=lang)),
        ("compare_wait_cdf", "fig.cdf", lambda: plots.wait_cdf(results, wait_target, lang=lang)),
        ("compare_elderly", "fig.elderly", lambda: plots.elderly_vs_others(results, lang=lang)),
        ("compare_utilisation", "fig.util", lambda: plots.utilisation(results, lang=lang)),
        ("compare_issuance", "fig.issuance", lambda: plots.issuance_times(results, issue_target, lang=lang)),
    ]
    cols = st.columns(2)
    for i, (name, title, build) in enumerate(figures):
        with cols[i % 2]:
            show_figure((PAGE, run_key), name, t(title, lang), build, lang)


def _downloads(cmp: Comparison, lang: str) -> None:
    from sim.scenario.loader import scenario_to_yaml

    st.subheader(t("cmp.downloads", lang))
    c1, c2 = st.columns(2)
    with c1:
        st.download_button(t("cmp.dl_table", lang), cmp.table.to_csv(index=False), file_name="comparison.csv",
                           mime="text/csv", key="cmp.dl.table", on_click="ignore")
    with c2:
        st.download_button(t("cmp.dl_sla", lang), cmp.sla.to_csv(index=False), file_name="sla.csv",
                           mime="text/csv", key="cmp.dl.sla", on_click="ignore")
    cols = st.columns(len(cmp.names))
    for i, (name, res) in enumerate(zip(cmp.names, cmp.results)):
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        with cols[i]:
            st.download_button(t("cmp.dl_yaml", lang, name=name), scenario_to_yaml(res.scenario),
                               file_name=f"{stem}.yaml", mime="application/x-yaml", key=f"cmp.dl.yaml.{i}",
                               on_click="ignore")


def show(cmp: Comparison, run_key, lang: str) -> None:
    """The results of a comparison: scorecard, differences, charts, downloads."""
    st.caption(t("cmp.done", lang, n=len(cmp.names), reps=cmp.reps, seconds=cmp.seconds, seed=cmp.seed))
    auto = cmp.meta.get("reps_auto")
    if auto:
        key = "cmp.auto_capped" if auto["cap_reached"] else "cmp.auto_done"
        worst = auto["achieved"] * 100 if auto["achieved"] is not None else float("nan")
        (st.warning if auto["cap_reached"] else st.caption)(
            t(key, lang, reps=auto["reps_used"], precision=auto["precision"] * 100, worst=worst))
    conf = f"{cmp.results[0].scenario.sla.confidence:.0%}"
    st.subheader(t("cmp.scorecard", lang))
    st.caption(t("cmp.scorecard_help", lang, conf=conf))
    shown, codes = scorecard(cmp, lang)
    st.dataframe(styled(shown, codes), hide_index=True, height="content")
    st.subheader(t("cmp.diff", lang, name=cmp.names[0]))
    st.caption(t("cmp.diff_help", lang))
    shown, codes = differences(cmp, lang)
    st.dataframe(styled(shown, codes), hide_index=True, height="content")
    st.subheader(t("cmp.charts", lang))
    _charts(cmp, run_key, lang)
    _downloads(cmp, lang)


def render() -> None:
    """Draw the Compare page."""
    lang = state.lang()
    st.title(t("page.compare", lang))
    chosen = _picker(lang)
    st.session_state.setdefault(f"{state.KEEP_PREFIX}cmp.reps", 10)
    st.session_state.setdefault(f"{state.KEEP_PREFIX}cmp.auto", False)
    st.session_state.setdefault(f"{state.KEEP_PREFIX}cmp.precision", 10.0)
    c1, c2, c3 = st.columns([2, 2, 3])
    with c3:
        auto = st.checkbox(t("cmp.auto", lang), key=f"{state.KEEP_PREFIX}cmp.auto", help=t("cmp.auto_help", lang))
    with c1:
        reps = int(st.number_input(t("cmp.max_reps" if auto else "cmp.reps", lang), min_value=3 if auto else 1,
                                   max_value=10_000, step=1, key=f"{state.KEEP_PREFIX}cmp.reps"))
    with c2:
        pct = float(st.number_input(t("cmp.precision", lang), min_value=1.0, max_value=50.0, step=1.0,
                                    key=f"{state.KEEP_PREFIX}cmp.precision", disabled=not auto))
    precision = pct / 100 if auto else None
    ok = 2 <= len(chosen) <= MAX_SCENARIOS
    clicked = st.button(t("cmp.run", lang), type="primary", disabled=not ok, key="cmp.run")
    if not ok:
        st.info(t("cmp.need", lang))
    seed, workers = state.settings()
    run_key = (tuple(c.yaml for c in chosen), tuple(c.name for c in chosen), seed, reps, precision)
    stored = state.run_when_clicked(PAGE, run_key, clicked and ok, lambda progress: state.cached_comparison(
        *run_key, _workers=workers, _progress=progress), lang, failed="cmp.failed")
    if stored is not None:
        show(stored["value"], stored["key"], lang)


if __name__ == "__main__":
    render()
