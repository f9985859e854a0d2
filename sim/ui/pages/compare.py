"""Compare page: 2 to 4 scenarios or variants on common random numbers, with a progress
bar; the headlines first (each scenario's verdicts, what to try, what changes against the
baseline), then the SLA scorecard side by side, the paired differences against the
baseline, interactive charts of the numbers behind :mod:`sim.plots.hall`, and downloads
(CSV tables, the scenario files as YAML; the report gives the figures as PNG). The chosen
scenarios live in the URL (``?pick=a&pick=b``).
"""

from __future__ import annotations

import re

import streamlit as st

from sim.experiments.compare import Comparison
from sim.plots import hall as data
from sim.plots.style import is_continuous
from sim.ui import charts, glance, state
from sim.ui.figures import chart_data
from sim.results.labels import text
from sim.ui.text import t

PAGE = "compare"
MAX_SCENARIOS = 4
DEFAULT_PICK = ("file:county_hall.yaml", "file:county_hall_no_green.yaml")


def _picker(lang: str) -> list[state.Choice]:
    offered = [c for c in state.choices() if c.yaml is not None]
    by_key = {c.key: c for c in offered}
    key = f"{state.KEEP_PREFIX}cmp.pick"
    state.from_url(state.URL_PICK, key, list(by_key), many=True)
    picked = [k for k in st.session_state.get(key, []) if k in by_key]
    if key not in st.session_state:
        picked = [k for k in DEFAULT_PICK if k in by_key] or [c.key for c in offered[:2]]
    st.session_state[key] = picked[:MAX_SCENARIOS]
    chosen = st.multiselect(t("cmp.pick", lang), list(by_key), key=key, max_selections=MAX_SCENARIOS,
                            format_func=lambda k: state.choice_label(by_key[k], lang))
    state.to_url(state.URL_PICK, chosen)
    return [by_key[k] for k in chosen]


def charts_of(cmp: Comparison, lang: str, key=None) -> list:
    """The Altair charts of a comparison, in page order (queue, waits by hour, wait
    distribution, elderly mean and p90, utilisation and empty windows, issuance); their
    frames are cached under ``key`` when given."""
    results = dict(zip(cmp.names, cmp.results))
    names = list(cmp.names)
    sla = cmp.results[0].scenario.sla
    continuous = is_continuous(results)
    frame = (lambda name, build: chart_data((PAGE, key), name, build)) if key is not None else \
        (lambda name, build: build())
    queue = frame("queue", lambda: data.queue_data(results))
    hourly = frame("hourly", lambda: data.waits_by_hour_data(results))
    cdf = frame("cdf", lambda: data.wait_cdf_data(results))
    elderly = frame(f"elderly.{lang}", lambda: data.elderly_data(results, lang))
    util = frame(f"util.{lang}", lambda: data.utilisation_data(results, lang))
    issued = frame("issuance", lambda: data.issuance_data(results, sla.issuance_p90_max_min))
    panel = lambda d, p: d[d["panel"] == p]  # noqa: E731
    return [
        charts.queue_chart(queue, names, continuous, lang),
        charts.waits_by_hour_chart(hourly, names, continuous, sla.wait_p90_max_min, lang),
        charts.wait_cdf_chart(cdf, names, sla.wait_p90_max_min, lang),
        charts.issuance_chart(issued, names, sla.issuance_p90_max_min, lang),
        charts.bars_chart(panel(elderly, "mean"), names, text("fig.elderly.title", lang),
                          text("fig.elderly.mean", lang), lang=lang),
        charts.bars_chart(panel(elderly, "p90"), names, text("fig.elderly.title", lang),
                          text("fig.elderly.p90", lang), target=sla.elderly_wait_p90_max_min, lang=lang),
        charts.bars_chart(panel(util, "share"), names, text("fig.util.title", lang), text("fig.util.share", lang),
                          share=True, lang=lang),
        charts.bars_chart(panel(util, "empty"), names, text("fig.util.title", lang), text("fig.util.empty", lang),
                          target=sla.empty_window_max_min, lang=lang),
    ]


def _charts(cmp: Comparison, run_key, lang: str) -> None:
    cols = st.columns(2)
    for i, chart in enumerate(charts_of(cmp, lang, run_key)):
        with cols[i % 2]:
            charts.show(chart)


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


def show(cmp: Comparison, run_key, lang: str, top=None) -> None:
    """The results of a comparison: headlines (in ``top``, a container above the page's
    inputs, when given), scorecard, differences, charts, downloads."""
    with top if top is not None else st.container():
        glance.show_comparison(cmp, lang)
    st.caption(t("cmp.done", lang, n=len(cmp.names), reps=cmp.reps, seconds=cmp.seconds, seed=cmp.seed))
    auto = cmp.meta.get("reps_auto")
    if auto:
        key = "cmp.auto_capped" if auto["cap_reached"] else "cmp.auto_done"
        worst = auto["achieved"] * 100 if auto["achieved"] is not None else float("nan")
        (st.warning if auto["cap_reached"] else st.caption)(
            t(key, lang, reps=auto["reps_used"], precision=auto["precision"] * 100, worst=worst))
    glance.comparison_tables(cmp, lang)
    st.subheader(t("cmp.charts", lang))
    _charts(cmp, run_key, lang)
    _downloads(cmp, lang)


def render() -> None:
    """Draw the Compare page."""
    lang = state.lang()
    st.title(t("page.compare", lang))
    top = st.container()
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
        show(stored["value"], stored["key"], lang, top)


if __name__ == "__main__":
    render()
