"""Frames the dashboard shows: the SLA scorecard side by side, the differences against the
baseline, one run's key figures and SLA verdicts, and the minimum standards — each with
labels in English or Chinese (:mod:`sim.i18n`) and, where a verdict colours a cell, a
parallel frame of verdict codes for :func:`styled`.

No Streamlit here; every function takes library results and returns pandas frames.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from sim.results.formatting import COMPARE_KPIS
from sim.results.formatting import format_interval, is_number, kind_of
from sim.results.verdict import is_meaningful
from sim.experiments.compare import Comparison
from sim.experiments.simulation import SimulationResult
from sim.results.labels import TEXTS, group_label, kpi_label, sla_label, standard_label, text, verdict_label
from sim.ui.text import code_label, t

__all__ = ["VERDICT_COLOURS", "scorecard", "differences", "key_figures", "sla_verdicts", "standards_table",
           "styled", "kpi_row_label", "summary_table"]

VERDICT_COLOURS = {
    "met": "background-color: #d4edda; color: #155724",
    "not met": "background-color: #f8d7da; color: #721c24",
    "uncertain": "background-color: #fff3cd; color: #856404",
    "no data": "color: #6c757d",
    "pass": "background-color: #d4edda; color: #155724",
    "fail": "background-color: #f8d7da; color: #721c24",
}
"""CSS of a cell by verdict (SLA verdicts, standards pass / fail)."""

_MARK = {"met": "✔", "not met": "✘", "uncertain": "?", "no data": "–"}


def kpi_row_label(kpi: str, group: str, lang: str) -> str:
    """``mean wait (min) · elderly``: a KPI and (unless ``all``) its group in ``lang``;
    service and issuance-route groups are named by their code's name (申领, 批量制卡 …)."""
    label = kpi_label(kpi, lang)
    if group == "all":
        return label
    kind, _, name = group.partition(":")
    if kind == "service":
        shown = code_label("service", name, lang)
    elif kind == "route" and f"route.{name}" in TEXTS:
        shown = text(f"route.{name}", lang)
    else:
        shown = group_label(group, lang)
    return f"{label} · {shown}"


def _value(mean, low, high, kpi: str) -> str:
    return format_interval(mean, low, high, kind_of(kpi))


def _signed(value: float, kind: str) -> str:
    """A difference with its sign: shares in percentage points, others to 2 decimals; one
    that rounds to zero is written 0.00 (never "−0.00" or "+0.00")."""
    number = f"{value * 100:+.2f}" if kind == "share" else f"{value:+.2f}"
    if float(number) == 0:
        number = number[1:]
    return f"{number} pp" if kind == "share" else number


def scorecard(cmp: Comparison, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The SLA scorecard: one row per target, one column per scenario holding ``✔ verdict ·
    value [interval]`` (the verdict first, so that it shows on the narrowest screen); and the
    same shape holding the verdict codes (for colour)."""
    target_col = t("col.target", lang)
    by_target: dict = {}  # target -> its rows, in the table's order
    for r in cmp.sla.to_dict("records"):
        by_target.setdefault(r["target"], []).append(r)
    shown, codes = [], []
    for target, rows in by_target.items():
        row, code = {target_col: sla_label(target, float(rows[0]["limit"]), lang)}, {target_col: ""}
        for name in cmp.names:
            r = next((x for x in rows if x["scenario"] == name), None)
            if r is None:
                row[name], code[name] = "–", "no data"
                continue
            verdict = str(r["verdict"])
            value = _value(r["mean"], r["ci_low"], r["ci_high"], str(r["kpi"]))
            row[name] = f"{_MARK.get(verdict, '')} {verdict_label(verdict, lang)} · {value}"  # verdict first
            code[name] = verdict
        shown.append(row)
        codes.append(code)
    return pd.DataFrame(shown), pd.DataFrame(codes)


def differences(cmp: Comparison, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each main KPI per scenario against the baseline: ``Δ mean [interval]`` per
    non-baseline scenario, and a frame of ``clear`` / ``noise`` codes: clear (bold) only
    when the difference is meaningful — its interval excludes 0 and it reaches the KPI's
    practical threshold (:func:`sim.results.verdict.is_meaningful`)."""
    index = {(r.scenario, r.kpi, r.group): r for r in cmp.table.itertuples(index=False)}
    kpi_col = t("col.kpi", lang)
    shown, codes = [], []
    for kpi, group, _ in COMPARE_KPIS:
        base = index.get((cmp.names[0], kpi, group))
        if base is None or not is_number(base.mean):
            continue
        row = {kpi_col: kpi_row_label(kpi, group, lang),
               cmp.names[0]: _value(base.mean, base.ci_low, base.ci_high, kpi)}
        code = {kpi_col: "", cmp.names[0]: ""}
        for name in cmp.names[1:]:
            r = index.get((name, kpi, group))
            if r is None or not is_number(r.diff_mean):
                row[name], code[name] = "–", ""
                continue
            clear = is_meaningful(kpi, r.diff_mean, r.diff_low, r.diff_high)
            kind = kind_of(kpi)
            row[name] = f"Δ {_signed(r.diff_mean, kind)}" + (
                f" [{_signed(r.diff_low, kind)}, {_signed(r.diff_high, kind)}]" if is_number(r.diff_low) else "")
            code[name] = "clear" if clear else "noise"
        shown.append(row)
        codes.append(code)
    return pd.DataFrame(shown), pd.DataFrame(codes)


def key_figures(result: SimulationResult, lang: str = "en") -> pd.DataFrame:
    """The main KPIs of one run: KPI (with group) and ``mean [interval]``."""
    index = {(r.kpi, r.group): r for r in result.summary.itertuples(index=False)}
    rows = []
    for kpi, group, _ in COMPARE_KPIS:
        r = index.get((kpi, group))
        if r is not None and is_number(r.mean):
            rows.append({t("col.kpi", lang): kpi_row_label(kpi, group, lang),
                         t("col.value", lang): _value(r.mean, r.ci_low, r.ci_high, kpi)})
    return pd.DataFrame(rows)


def summary_table(summary: pd.DataFrame, lang: str = "en", keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every row of a KPI summary in words: the ``keep`` columns as they are (a sweep's
    point and parameters), KPI (with group), ``mean [interval]``, n."""
    return pd.DataFrame([{**{c: r[c] for c in keep},
                          t("col.kpi", lang): kpi_row_label(r["kpi"], r["group"], lang),
                          t("col.value", lang): _value(r["mean"], r["ci_low"], r["ci_high"], r["kpi"]),
                          t("col.n", lang): int(r["n"])} for r in summary.to_dict("records")])


def sla_verdicts(sla: pd.DataFrame, lang: str = "en", keep: tuple[str, ...] = (),
                 label: Callable[[dict, str], str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An SLA table in words — the ``keep`` columns as they are (a sweep's point and
    parameters), target, value, verdict — and its verdict codes (for colour). ``label(row,
    lang)`` names a target (default: the hall's SLA targets of :mod:`sim.i18n`)."""
    label = label or (lambda row, lang_: sla_label(row["target"], float(row["limit"]), lang_))
    shown, codes = [], []
    for r in sla.to_dict("records"):
        verdict = str(r["verdict"])
        row = {c: r[c] for c in keep}
        row.update({t("col.target", lang): label(r, lang),
                    t("col.value", lang): _value(r["mean"], r["ci_low"], r["ci_high"], r["kpi"]),
                    t("col.verdict", lang): f"{_MARK.get(verdict, '')} {verdict_label(verdict, lang)}"})
        shown.append(row)
        codes.append({**{c: "" for c in row}, t("col.verdict", lang): verdict})
    return pd.DataFrame(shown), pd.DataFrame(codes)


def standards_table(standards: pd.DataFrame, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The minimum-standards table in words (standard, required, actual, pass / fail) and
    its pass / fail codes."""
    shown, codes = [], []
    for r in standards.itertuples(index=False):
        result = "pass" if bool(r.passed) else "fail"
        shown.append({t("col.standard", lang): standard_label(r.standard, r.label, lang),
                      t("col.required", lang): f"{r.required:g}", t("col.actual", lang): f"{r.actual:g}",
                      t("col.result", lang): text(f"standard.{result}", lang)})
        codes.append({t("col.standard", lang): "", t("col.required", lang): "", t("col.actual", lang): "",
                      t("col.result", lang): result})
    return pd.DataFrame(shown), pd.DataFrame(codes)


_EXTRA = {"clear": "font-weight: bold", "noise": "color: #6c757d"}


def styled(shown: pd.DataFrame, codes: pd.DataFrame):
    """A pandas Styler colouring each cell of ``shown`` by the code in ``codes``."""
    css = {**VERDICT_COLOURS, **_EXTRA}
    return shown.style.apply(lambda _: codes.map(lambda c: css.get(c, "")), axis=None)
