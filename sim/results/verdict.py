"""The answer at a glance: a one-sentence headline of a result's SLA verdicts, what to try for
each missed target, and which differences between two scenarios are worth a word.

A **headline** reads "County hall meets 4 of 6 service targets. Not met: on-the-spot issuance
p90 16.4 min (target 15), empty-window minutes 5.7 min a day (target 0)." — the count comes from
:func:`sim.results.summary.judge_sla`'s verdicts, targets without data are left out of it.

A paired difference (scenario − baseline, on common random numbers) is **meaningful** only when
its confidence interval excludes 0 *and* its mean is at least the KPI's practical threshold
(:data:`PRACTICAL_THRESHOLDS`, by the KPI's kind of :func:`sim.results.formatting.kind_of`):
half a minute for times, one percentage point for shares, half a visitor for counts. A
comparison's headline names the targets whose verdict changes *and* whose difference is
meaningful, then the other meaningful differences; two scenarios whose values differ only by
noise never get different words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from sim.results.formatting import is_number, kind_of
from sim.results.labels import check_lang, text

__all__ = ["PRACTICAL_THRESHOLDS", "Advice", "headline", "advice", "is_meaningful",
           "change_word", "comparison_headline", "target_value", "short_target", "consistent_verdicts"]

PRACTICAL_THRESHOLDS: dict[str, float] = {"min": 0.5, "share": 0.01, "count": 0.5}
"""Smallest difference worth a word, by KPI kind: 0.5 minute, 1 percentage point, 0.5 (visitors,
visits, people in a queue)."""

SENTENCE_SEP = {"en": " ", "zh": ""}
"""What joins two sentences: a space in English, nothing after a Chinese full stop."""


def short_target(target: str, lang: str = "en") -> str:
    """A target's short name for a headline ("on-the-spot issuance p90"); the field name when
    it has none."""
    key = f"short.{target}"
    try:
        return text(key, lang)
    except KeyError:
        return target


def _number(kpi: str, value: float, lang: str) -> str:
    kind = kind_of(kpi)
    if kind == "share":
        return f"{value * 100:.1f} %"
    digits = f"{value:.1f}".replace("-0.0", "0.0")
    if kind == "min":
        per_day = kpi.endswith("_per_day")
        return text("unit.min_per_day" if per_day else "unit.min", lang, v=digits)
    return digits


def _limit(kpi: str, limit: float, lang: str) -> str:
    """A target's limit with its unit: "15 min", "0 min a day", "5 %"."""
    kind = kind_of(kpi)
    if kind == "share":
        return f"{limit * 100:g} %"
    if kind == "min":
        return text("unit.min_per_day" if kpi.endswith("_per_day") else "unit.min", lang, v=f"{limit:g}")
    return f"{limit:g}"


def target_value(row, lang: str = "en") -> str:
    """"on-the-spot issuance p90 16.4 min (target 15)" for one row of an SLA table (columns of
    :data:`sim.results.summary.SLA_COLUMNS`)."""
    check_lang(lang)
    return text("headline.item", lang, name=short_target(row["target"], lang),
                value=_number(row["kpi"], row["mean"], lang), limit=_limit(row["kpi"], row["limit"], lang))


def headline(name: str, sla: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: how many of its service targets ``name`` meets, then the targets not met
    and those still uncertain, each with its value and target (see the module docstring)."""
    check_lang(lang)
    judged = sla[sla["verdict"] != "no data"]
    if judged.empty:
        return text("headline.no_targets", lang, name=name)
    met = int((judged["verdict"] == "met").sum())
    key = "headline.all_met" if met == len(judged) else "headline.meets"
    sentence = text(key, lang, name=name, met=met, total=len(judged))
    records = judged.to_dict("records")
    for verdict, label in (("not met", "headline.not_met"), ("uncertain", "headline.uncertain")):
        rows = [r for r in records if r["verdict"] == verdict]
        if rows:
            sentence += SENTENCE_SEP[lang] + text(label, lang, items=text("list.sep", lang).join(
                target_value(r, lang) for r in rows))
    return sentence


@dataclass(frozen=True)
class Advice:
    """What to try for one missed (or uncertain) target: ``target`` (SLA field), ``why`` (what
    the figures say binds) and ``action`` (what to change, naming the command or page)."""

    target: str
    why: str
    action: str

    def sentence(self, lang: str = "en") -> str:
        """Why, then what to try, as one line in ``lang``."""
        return self.why + SENTENCE_SEP[lang] + self.action


def _mean(summary: pd.DataFrame, kpi: str, group: str = "all") -> float:
    hit = summary[(summary["kpi"] == kpi) & (summary["group"] == group)]
    return float(hit["mean"].iloc[0]) if len(hit) and is_number(hit["mean"].iloc[0]) else math.nan


def _busy_hours(summary: pd.DataFrame, limit: float) -> list[str]:
    """The clock hours whose 90th-percentile wait exceeds ``limit`` minutes (when the summary
    has waits by hour), else the hours serving the most visitors."""
    hours = summary[(summary["kpi"] == "wait_p90_min") & summary["group"].str.startswith("hour:")]
    if len(hours):
        over = hours[hours["mean"] > limit]
        return [g.split(":")[1] for g in over.sort_values("group")["group"]]
    served = summary[(summary["kpi"] == "throughput_per_hour") & summary["group"].str.startswith("hour:")]
    if served.empty:
        return []
    top = served[served["mean"] >= 0.8 * served["mean"].max()]
    return [g.split(":")[1] for g in top.sort_values("group")["group"]]


def _hours_words(hours: list[str], lang: str) -> str:
    """"09:00–11:00, 15:00–16:00" from hour labels ["09", "10", "15"]."""
    spans: list[list[int]] = []
    for h in sorted(int(x) for x in hours):
        if spans and spans[-1][1] == h:
            spans[-1][1] = h + 1
        else:
            spans.append([h, h + 1])
    return text("list.sep", lang).join(f"{a:02d}:00–{b:02d}:00" for a, b in spans)


def advice(sla: pd.DataFrame, summary: pd.DataFrame, lang: str = "en") -> list[Advice]:
    """For each target not met or uncertain, why it misses (read from the summary's KPIs) and
    what to try, naming the command or dashboard page that explores it."""
    check_lang(lang)
    out = []
    for _, row in sla[sla["verdict"].isin(["not met", "uncertain"])].iterrows():
        target = row["target"]
        if target == "empty_window_max_min":
            covered = _mean(summary, "covered_min_per_day")
            why = text("advice.empty.why", lang, value=_number(row["kpi"], row["mean"], lang),
                       covered=_number("covered_min_per_day", covered, lang) if is_number(covered) else "–")
            action = text("advice.empty.do", lang)
        elif target == "issuance_p90_max_min":
            wait = _mean(summary, "wait_p90_min")
            issuance = row["mean"]
            printers = summary[(summary["kpi"] == "device_utilisation") & (summary["group"] == "device:printer")]
            use = float(printers["mean"].iloc[0]) if len(printers) else math.nan
            if is_number(wait) and wait < 0.5 * issuance:
                why = text("advice.issuance.devices_why", lang, wait=_number("wait_p90_min", wait, lang),
                           value=_number(row["kpi"], issuance, lang),
                           use=f"{use * 100:.0f} %" if is_number(use) else "–")
                action = text("advice.issuance.devices_do", lang)
            else:
                why = text("advice.issuance.wait_why", lang, wait=_number("wait_p90_min", wait, lang))
                action = text("advice.staff.do", lang, hours=_hours_words(_busy_hours(summary, row["limit"]), lang)
                              or text("advice.peak", lang))
        elif target == "abandonment_rate_max":
            why = text("advice.abandon.why", lang, wait=_number("wait_p90_min", _mean(summary, "wait_p90_min"), lang))
            action = text("advice.staff.do", lang, hours=_hours_words(_busy_hours(summary, 0.0), lang)
                          or text("advice.peak", lang))
        elif target == "elderly_wait_p90_max_min":
            other = _mean(summary, "wait_p90_min", "other")
            why = text("advice.elderly.why", lang, value=_number(row["kpi"], row["mean"], lang),
                       other=_number("wait_p90_min", other, lang))
            if is_number(other) and row["mean"] <= other:  # the elderly already go first: all wait too long
                action = text("advice.staff.do", lang, hours=_hours_words(_busy_hours(summary, row["limit"]), lang)
                              or text("advice.peak", lang))
            else:
                action = text("advice.elderly.do", lang)
        elif target == "helper_wait_p90_max_min":
            use = _mean(summary, "helper_utilisation")
            why = text("advice.helper.why", lang, value=_number(row["kpi"], row["mean"], lang),
                       use=f"{use * 100:.0f} %" if is_number(use) else "–")
            action = text("advice.helper.do", lang)
        else:  # the wait targets of all visitors
            hours = _busy_hours(summary, row["limit"])
            why = text("advice.wait.why", lang, value=_number(row["kpi"], row["mean"], lang))
            action = text("advice.staff.do", lang, hours=_hours_words(hours, lang) or text("advice.peak", lang))
        if row["verdict"] == "uncertain":
            action += SENTENCE_SEP[lang] + text("advice.uncertain", lang)
        out.append(Advice(target, why, action))
    return out


def is_meaningful(kpi: str, diff_mean: float, diff_low: float, diff_high: float) -> bool:
    """True when a paired difference of ``kpi`` is clear of noise (its interval excludes 0) and
    at least the KPI's practical threshold; False for a missing value."""
    if not (is_number(diff_mean) and is_number(diff_low) and is_number(diff_high)):
        return False
    clear = diff_low > 0 or diff_high < 0
    return clear and abs(diff_mean) >= PRACTICAL_THRESHOLDS[kind_of(kpi)]


def change_word(kpi: str, diff_mean: float, diff_low: float, diff_high: float, lang: str = "en") -> str:
    """"+0.8 min", "−1.2 pp" for a meaningful difference; "no meaningful change" otherwise
    (so noise never reads like a finding)."""
    if not is_meaningful(kpi, diff_mean, diff_low, diff_high):
        return text("change.none", lang)
    sign = "+" if diff_mean > 0 else "−"
    if kind_of(kpi) == "share":
        return f"{sign}{abs(diff_mean) * 100:.1f} pp"
    if kind_of(kpi) == "min":
        return sign + text("unit.min", lang, v=f"{abs(diff_mean):.1f}")
    return f"{sign}{abs(diff_mean):.1f}"


def comparison_headline(table: pd.DataFrame, sla: pd.DataFrame, rows: Iterable[tuple[str, str, str]],
                        lang: str = "en", kpi_label=None) -> list[str]:
    """One sentence per scenario after the baseline (the first in ``table``): the targets whose
    verdict changes with a meaningful difference, then the other meaningful differences among
    ``rows`` ((kpi, group, label) like :data:`sim.results.formatting.COMPARE_KPIS`).

    ``table`` has the columns of :data:`sim.experiments.compare.COMPARISON_COLUMNS`, ``sla``
    the SLA tables of the scenarios with a ``scenario`` column. ``kpi_label(kpi, group, lang)``
    names a KPI (default: the label of ``rows``)."""
    check_lang(lang)
    names = list(dict.fromkeys(table["scenario"]))
    rows = list(rows)
    labels = {(k, g): label.removesuffix(" (min)") for k, g, label in rows}  # the change carries the unit
    name_of = kpi_label or (lambda k, g, _lang: labels.get((k, g), k))
    index = {(r.scenario, r.kpi, r.group): r for r in table.itertuples(index=False)}
    verdicts = sla.to_dict("records")
    before: dict = {}  # the baseline's (first) verdict of each target
    for row in verdicts:
        if row["scenario"] == names[0]:
            before.setdefault(row["target"], row["verdict"])
    out = []
    for name in names[1:]:
        changes = []
        for row in verdicts:
            if row["scenario"] != name:
                continue
            base = before.get(row["target"])
            if base is None or base == row["verdict"]:
                continue
            d = index.get((name, row["kpi"], row["group"]))
            if d is not None and is_meaningful(row["kpi"], d.diff_mean, d.diff_low, d.diff_high):
                changes.append(text("change.target", lang, name=short_target(row["target"], lang),
                                    before=text(f"verdict.{base}", lang),
                                    after=text(f"verdict.{row['verdict']}", lang)))
        moved = []
        for kpi, group, _ in rows:
            d = index.get((name, kpi, group))
            if d is not None and is_meaningful(kpi, d.diff_mean, d.diff_low, d.diff_high):
                moved.append(f"{name_of(kpi, group, lang)} {change_word(kpi, d.diff_mean, d.diff_low, d.diff_high, lang)}")
        sep = text("list.sep", lang)
        targets = sep.join(changes) if changes else text("change.no_target", lang)
        others = sep.join(moved) if moved else text("change.nothing_else", lang)
        out.append(text("change.sentence", lang, name=name, baseline=names[0], targets=targets, others=others))
    return out


def consistent_verdicts(sla: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The SLA tables of a comparison (``scenario`` column) with ``shown``: the verdict to show.
    A scenario whose verdict differs from the baseline's while the paired difference of the
    judged KPI is not meaningful shows the baseline's verdict (``as_baseline`` True): the two
    values differ by noise, so they get the same word."""
    names = list(dict.fromkeys(table["scenario"]))
    index = {(r.scenario, r.kpi, r.group): r for r in table.itertuples(index=False)}
    base = sla[sla["scenario"] == names[0]].set_index("target")["verdict"]
    shown, same = [], []
    for r in sla.itertuples(index=False):
        d = index.get((r.scenario, r.kpi, r.group))
        before = base.get(r.target)
        swap = (r.scenario != names[0] and before is not None and before != r.verdict and r.verdict != "no data"
                and before != "no data" and d is not None
                and not is_meaningful(r.kpi, d.diff_mean, d.diff_low, d.diff_high))
        shown.append(before if swap else r.verdict)
        same.append(swap)
    return sla.assign(shown=shown, as_baseline=same)
