"""Batch results page: open a sweep's result folder (``hallsim sweep … --out DIR``) and
plot any KPI against any swept parameter, with its intervals and the SLA limit; the SLA
verdicts as a matrix of design points × targets ("4/6" targets met per point), with a
headline naming how many points meet every target and the best one.
"""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st

from sim.results.labels import group_label
from sim.scenario.loader import ScenarioError, load_scenario
from sim.results.summary import SLA_TARGETS
from sim.results.formatting import is_share
from sim.scenario.messages import localise
from sim.experiments.sweep import SweepError, load_sweep
from sim.ui import charts, glance, state
from sim.ui.scorecards import kpi_row_label, summary_table
from sim.ui.text import code_label, t

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


MARKS = {"met": "✔", "not met": "✘", "uncertain": "?", "no data": "–"}

VALUE_CODES = {"policies.green_channel.mode": "green_short", "hall.lunch.mode": "lunch", "hall.level": "level"}
"""Swept parameters whose values are codes, and the kind of code (:data:`sim.ui.text.CODES`)."""


def value_label(parameter: str, value, lang: str) -> str:
    """A swept parameter's value as shown: codes in words, numbers without trailing zeros
    (49.6, not 49.600000)."""
    if parameter in VALUE_CODES:
        return code_label(VALUE_CODES[parameter], str(value), lang)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _points(frame, parameters, lang: str) -> dict:
    """The point and parameter columns of a frame in words."""
    out = {t("col.point", lang): list(frame["point"])}
    for p in parameters:
        out[p] = [value_label(p, v, lang) for v in frame[p]]
    return out


def verdict_matrix(sla, parameters, lang: str = "en"):
    """Design points × targets: ✔ ✘ ? – per target and "4/6" targets met (of those judged)
    per point, with the verdict codes (for colour). ``sla`` is ``SweepResult.sla``."""
    import pandas as pd

    from sim.results.labels import sla_label

    points = sla.drop_duplicates("point")[["point", *parameters]].reset_index(drop=True)
    targets = list(dict.fromkeys(sla["target"]))
    limits = sla.drop_duplicates("target").set_index("target")["limit"]
    wide = sla.pivot(index="point", columns="target", values="verdict").reindex(index=points["point"], columns=targets)
    shown = pd.DataFrame(_points(points, parameters, lang))
    codes = pd.DataFrame({c: "" for c in shown.columns}, index=shown.index)
    met_col = t("bt.met", lang)
    for target in targets:
        col = sla_label(target, float(limits[target]), lang)
        verdicts = wide[target].fillna("no data").tolist()
        shown[col] = [MARKS.get(v, "–") for v in verdicts]
        codes[col] = verdicts
    judged = (wide.notna() & (wide != "no data")).sum(axis=1).to_numpy()
    met = (wide == "met").sum(axis=1).to_numpy()
    shown.insert(1 + len(parameters), met_col, [f"{m}/{n}" for m, n in zip(met, judged)])
    codes.insert(1 + len(parameters), met_col, ["met" if m == n and n else "not met" if n else "" for m, n in
                                                 zip(met, judged)])
    return shown, codes


def batch_headline(sla, parameters, lang: str = "en") -> str:
    """"3 of 12 design points meet every judged target; best: p004 (visitors 120, …)."""
    shown, _codes = verdict_matrix(sla, parameters, lang)
    met_col = t("bt.met", lang)
    counts = [tuple(int(x) for x in c.split("/")) for c in shown[met_col]]
    full = sum(1 for m, n in counts if n and m == n)
    best = max(range(len(counts)), key=lambda i: (counts[i][0] - counts[i][1], counts[i][0])) if counts else 0
    row = shown.iloc[best] if len(shown) else None
    desc = "" if row is None else f"{row.iloc[0]} ({', '.join(f'{p} = {row[p]}' for p in parameters)}; {row[met_col]})"
    return t("gl.batch", lang, met=full, points=len(counts), best=desc)


def render() -> None:
    """Draw the Batch results page."""
    lang = state.lang()
    st.title(t("page.batch", lang))
    top = st.container()
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
    rows = summary[(summary["kpi"] == kpi) & (summary["group"] == group)]
    params = list(sweep.parameters)
    charts.show(charts.sweep_chart(rows, param, [p for p in params if p != param], kpi_row_label(kpi, group, lang),
                                   share=is_share(kpi), target=target, lang=lang))
    if len(sweep.sla):
        with top:
            shown, codes = verdict_matrix(sweep.sla, params, lang)
            met_all = all(c == "met" for c in codes[t("bt.met", lang)])
            (st.success if met_all else st.warning)(f"**{batch_headline(sweep.sla, params, lang)}**")
        st.markdown(f"**{t('bt.matrix', lang)}**")
        st.caption(t("bt.matrix_help", lang))
        glance.show_table(shown, codes)
    st.markdown(f"**{t('bt.summary', lang)}**")
    table = summary_table(rows, lang, ("point", *params))
    for p in params:
        table[p] = [value_label(p, v, lang) for v in table[p]]
    st.dataframe(table.rename(columns={"point": t("col.point", lang)}), hide_index=True)
    st.download_button(t("bt.dl", lang), summary.to_csv(index=False), file_name="summary.csv", mime="text/csv",
                       key="bt.dl", on_click="ignore")


if __name__ == "__main__":
    render()
