"""The answer at a glance, on every result page: the verdict headline of
:mod:`sim.results.verdict` ("County hall meets 4 of 6 service targets. Not met: …") in a
coloured box above everything else, the advice for each missed target, and on the Compare
page what changes against the baseline; and verdict tables that never cut their verdict
column off (full width, wrapping; on a narrow screen every cell stays in view).

:func:`headline_lines` and :func:`comparison_lines` are plain functions (no Streamlit) so
that tests read the very sentences the page shows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from sim.results.formatting import COMPARE_KPIS
from sim.results.verdict import advice, comparison_headline, headline
from sim.ui.text import t

__all__ = ["TABLE_CSS", "headline_lines", "comparison_lines", "show_headline", "show_comparison", "show_table",
           "comparison_tables", "box"]

TABLE_CSS = """
<style>
/* verdict tables: full width, every cell wraps, nothing is cut off or scrolls sideways */
[data-testid="stTable"] table { width: 100%; table-layout: auto; }
[data-testid="stTable"] th, [data-testid="stTable"] td {
  white-space: normal !important; overflow-wrap: anywhere; word-break: normal; min-width: 0; }
[data-testid="stTable"] { overflow-x: visible !important; }
@media (max-width: 640px) {
  [data-testid="stTable"] th, [data-testid="stTable"] td { padding: 0.25rem 0.3rem; font-size: 0.8rem; }
}
</style>
"""
"""CSS of the verdict tables drawn by :func:`show_table` (the app writes it once per run)."""


def headline_lines(name: str, sla: pd.DataFrame, summary: pd.DataFrame | None, lang: str) -> tuple[str, list[str]]:
    """The headline of one result and its advice lines (none without a summary)."""
    tips = [tip.sentence(lang) for tip in advice(sla, summary, lang)] if summary is not None else []
    return headline(name, sla, lang), tips


def comparison_lines(cmp, lang: str) -> list[str]:
    """What changes in each scenario against the baseline (sim.results.verdict)."""
    return comparison_headline(cmp.table, cmp.sla, COMPARE_KPIS, lang)


def box(sla: pd.DataFrame):
    """The Streamlit box that fits the verdicts: success when every judged target is met,
    warning when some are not, info when nothing is judged."""
    judged = sla[sla["verdict"] != "no data"] if len(sla) else sla
    if judged.empty:
        return st.info
    return st.success if (judged["verdict"] == "met").all() else st.warning


def show_headline(name: str, sla: pd.DataFrame, summary: pd.DataFrame | None, lang: str,
                  tips: list[str] | None = None) -> None:
    """The headline in a coloured box, then (when given or derived) what to try."""
    line, derived = headline_lines(name, sla, summary, lang)
    tips = derived if tips is None else tips
    body = f"**{line}**"
    if tips:
        body += "\n\n" + "\n".join(f"- {tip}" for tip in tips)
    box(sla)(body)


def show_comparison(cmp, lang: str) -> None:
    """Each scenario's headline (the baseline's with its advice) and what changes against it."""
    for i, (name, res) in enumerate(zip(cmp.names, cmp.results)):
        show_headline(name, cmp.sla[cmp.sla["scenario"] == name], res.summary if i == 0 else None, lang)
    lines = comparison_lines(cmp, lang)
    if lines:
        st.markdown("\n".join(f"- {line}" for line in lines))


def comparison_tables(cmp, lang: str) -> None:
    """The SLA scorecard side by side and the paired differences against the baseline."""
    from sim.ui.scorecards import differences, scorecard

    conf = f"{cmp.results[0].scenario.sla.confidence:.0%}"
    st.subheader(t("cmp.scorecard", lang))
    st.caption(t("cmp.scorecard_help", lang, conf=conf))
    show_table(*scorecard(cmp, lang))
    st.subheader(t("cmp.diff", lang, name=cmp.names[0]))
    st.caption(t("cmp.diff_help", lang))
    show_table(*differences(cmp, lang))


def show_table(shown: pd.DataFrame, codes: pd.DataFrame | None = None, styler: Any = None) -> None:
    """A verdict table at full width whose cells wrap (``st.table``), coloured by ``codes``
    (see :func:`sim.ui.scorecards.styled`), without the index."""
    if styler is None and codes is not None:
        from sim.ui.scorecards import styled

        styler = styled(shown, codes)
    st.table((styler if styler is not None else shown.style).hide(axis="index"))
