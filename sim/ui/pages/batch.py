"""Batch results page: open a sweep's result folder (``hallsim sweep … --out DIR``) and
plot any KPI against any swept parameter, with its intervals and the SLA limit.
"""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st

from sim.results.labels import group_label
from sim.scenario.loader import ScenarioError, load_scenario
from sim.results.summary import SLA_TARGETS
from sim.scenario.messages import localise
from sim.experiments.sweep import SweepError, load_sweep
from sim.ui import state
from sim.ui.figures import show_figure
from sim.ui.scorecards import kpi_row_label, sla_verdicts, styled, summary_table
from sim.ui.text import t

PAGE = "batch"
SKIP = {".git", ".venv", "node_modules", "__pycache__"}


def find_sweeps(root: Path, depth: int = 3) -> list[str]:
    """Folders under ``root`` (at most ``depth`` levels down) holding a sweep's manifest."""
    found: list[str] = []

    def walk(folder: Path, level: int) -> None:
        try:
            entries = sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in SKIP)
        except OSError:
            return
        for sub in entries:
            if (sub / "manifest.json").is_file() and (sub / "grid.yaml").is_file():
                found.append(str(sub.relative_to(root)))
            elif level < depth:
                walk(sub, level + 1)

    walk(root, 1)
    return found


@st.cache_data(show_spinner=False, max_entries=16)
def _load(folder: str, stamp: tuple):
    """The sweep in ``folder`` (``stamp`` — the files' times — refreshes the cache)."""
    return load_sweep(folder)


def sla_limit(folder: Path, kpi: str, group: str) -> float | None:
    """The base scenario's SLA limit on (kpi, group), or None."""
    fields = [f for f, (k, g, _) in SLA_TARGETS.items() if (k, g) == (kpi, group)]
    path = folder / "base_scenario.yaml"
    if not fields or not path.is_file():
        return None
    try:
        value = getattr(load_scenario(path).sla, fields[0])
    except ScenarioError:
        return None
    return None if value is None or not math.isfinite(value) else float(value)


def render() -> None:
    """Draw the Batch results page."""
    from sim.plots import sweep_kpi

    lang = state.lang()
    st.title(t("page.batch", lang))
    st.caption(t("bt.intro", lang))
    found = find_sweeps(Path.cwd())
    key = f"{state.KEEP_PREFIX}bt.folder"
    if key not in st.session_state:
        st.session_state[key] = found[0] if found else ""
    if found:
        st.caption(f"{t('bt.found', lang)}: " + ", ".join(f"`{f}`" for f in found))
    folder_text = st.text_input(t("bt.folder", lang), key=key).strip()
    if not folder_text:
        st.info(t("bt.none", lang))
        return
    folder = Path(folder_text).expanduser()
    stamp = tuple(sorted((p.name, p.stat().st_mtime) for p in folder.glob("*") if p.is_file())) \
        if folder.is_dir() else ()
    try:
        sweep = _load(str(folder), stamp)
    except (SweepError, ScenarioError, OSError, ValueError) as exc:
        lines = exc.lines(lang) if isinstance(exc, ScenarioError) else [localise(exc.args[0] if exc.args else str(exc), lang)]
        st.error(t("bt.bad", lang) + "\n\n" + "\n".join(f"- `{line}`" for line in lines))
        return
    summary = sweep.summary
    st.caption(t("bt.points", lang, points=len(sweep.points), params=", ".join(sweep.parameters)))
    c1, c2, c3 = st.columns(3)
    with c1:
        param = st.selectbox(t("bt.param", lang), list(sweep.parameters), key=f"{state.KEEP_PREFIX}bt.param")
    kpis = list(dict.fromkeys(summary["kpi"]))
    with c2:
        kpi_key = f"{state.KEEP_PREFIX}bt.kpi"
        if st.session_state.get(kpi_key) not in kpis:
            st.session_state[kpi_key] = "wait_p90_min" if "wait_p90_min" in kpis else kpis[0]
        kpi = st.selectbox(t("bt.kpi", lang), kpis, key=kpi_key,
                           format_func=lambda k: kpi_row_label(k, "all", lang))
    groups = list(dict.fromkeys(summary.loc[summary["kpi"] == kpi, "group"]))
    with c3:
        group_key = f"{state.KEEP_PREFIX}bt.group"
        if st.session_state.get(group_key) not in groups:
            st.session_state[group_key] = "all" if "all" in groups else groups[0]
        group = st.selectbox(t("bt.group", lang), groups, key=group_key,
                             format_func=lambda g: group_label(g, lang))
    target = sla_limit(folder, kpi, group)
    show_figure((PAGE, str(folder.resolve()), stamp, param, kpi, group), f"sweep_{kpi}_{group}_{param}",
                kpi_row_label(kpi, group, lang), lambda: sweep_kpi(summary, param, kpi, group, target, lang=lang), lang)
    rows = summary[(summary["kpi"] == kpi) & (summary["group"] == group)]
    keep = ("point", *sweep.parameters)
    st.markdown(f"**{t('bt.summary', lang)}**")
    st.dataframe(summary_table(rows, lang, keep), hide_index=True)
    st.markdown(f"**{t('bt.sla', lang)}**")
    shown, codes = sla_verdicts(sweep.sla, lang, keep)
    st.dataframe(styled(shown, codes), hide_index=True)
    st.download_button(t("bt.dl", lang), summary.to_csv(index=False), file_name="summary.csv", mime="text/csv",
                       key="bt.dl", on_click="ignore")


if __name__ == "__main__":
    render()
