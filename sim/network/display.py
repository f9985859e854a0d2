"""A network's results in words and display tables, in English and in Chinese.

The command line, the report (:mod:`sim.report.network`) and the dashboard's Network page
say the same things with the same words: the circle sentence, the network KPIs' labels,
the location plan, and tables of display strings per point, per zone, per point and
target (the SLA scorecard) and of a what-if comparison. Numbers are written by
:mod:`sim.results.formatting` (shares as percentages, minutes with two decimals).
"""

from __future__ import annotations

import math
from typing import Sequence

import pandas as pd

from sim.results.formatting import format_interval, format_number, kind_of
from sim.results.labels import TEXTS, check_lang, sla_label, text, verdict_label

__all__ = ["NETWORK_KPI_KEYS", "network_text", "network_kpi_label", "circle_cell", "circle_sentence",
           "plan_sentence", "whatif_words", "level_name", "points_frame", "zones_frame", "scorecard_frame",
           "comparison_frames", "candidates_frame", "circle_frame"]

NETWORK_KPI_KEYS = [("circle_share", "all"), ("circle_share", "elderly"), ("door_to_card_share", "all"),
                    ("door_to_card_share", "elderly"), ("travel_mean_min", "all"), ("travel_mean_min", "other"),
                    ("travel_mean_min", "elderly"), ("wait_mean_min", "all"), ("wait_mean_min", "other"),
                    ("wait_mean_min", "elderly"), ("abandonment_rate", "all")]
"""The network KPIs (kpi, group) in the order tables list them."""


def network_text(key: str, lang: str = "en", **values) -> str:
    """The network text ``key`` (``net.<key>`` of :data:`sim.results.labels.TEXTS`) in
    ``lang`` with ``{placeholders}`` filled; KeyError names an unknown key."""
    return text(f"net.{key}", lang, **values)


def network_kpi_label(kpi: str, group: str, lang: str = "en") -> str:
    """The label of a network or point KPI (``kpi (group)`` when it has none)."""
    key = f"kpi.{kpi}.{group}"
    return network_text(key, lang) if f"net.{key}" in TEXTS else f"{kpi} ({group})"


def level_name(level: str, lang: str = "en") -> str:
    """A hall level in words ("bank outlet", 合作金融机构网点)."""
    return text(f"level.{level}", lang) if f"level.{level}" in TEXTS else level


def _yes(flag: bool, lang: str) -> str:
    return network_text("yes" if flag else "no", lang)


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def circle_cell(circle: pd.DataFrame, kpi: str, group: str = "all") -> str:
    """One network KPI of a result's ``circle`` table: ``mean [low, high]``, or the mean
    alone when the replications agree (no spread)."""
    hit = circle[(circle["kpi"] == kpi) & (circle["group"] == group)]
    if hit.empty:
        return "–"
    r = hit.iloc[0]
    kind = kind_of(kpi)
    if _finite(r["half_width"]) and r["half_width"] > 1e-9:
        return format_interval(r["mean"], r["ci_low"], r["ci_high"], kind)
    return format_number(r["mean"], kind)


def circle_sentence(result, lang: str = "en") -> str:
    """The circle in one sentence: residents (and the elderly) within the circle, and door
    to card counting the wait (a :class:`sim.network.NetworkResult`)."""
    c = result.circle
    return network_text("circle", lang, minutes=f"{result.loaded.network.run.circle_min:g}",
                        all=circle_cell(c, "circle_share"), elderly=circle_cell(c, "circle_share", "elderly"),
                        door=circle_cell(c, "door_to_card_share"),
                        door_elderly=circle_cell(c, "door_to_card_share", "elderly"))


def plan_sentence(plan, lang: str = "en") -> str:
    """What a :class:`sim.network.location.LocationPlan` opens and what it does to the circle."""
    weight = "" if plan.elderly_weight == 1 else network_text("plan.weight", lang, w=f"{plan.elderly_weight:g}")
    pct = lambda x: format_number(x, "share")  # noqa: E731
    return network_text("plan", lang, chosen=text("list.sep", lang).join(plan.chosen), k=plan.k, weight=weight,
                        status=plan.status, before=pct(plan.before[0]), after=pct(plan.after[0]),
                        elderly_before=pct(plan.before[1]), elderly_after=pct(plan.after[1]))


def whatif_words(with_: Sequence[str] = (), without: Sequence[str] = (), outlets: Sequence[str] = (),
                 lang: str = "en") -> str:
    """The what-if in words: ``with north_bank=…@0.5,2.5; without dongxi_bank; with new
    outlet nanhe_bank``."""
    parts = [*(network_text("whatif.with", lang, what=w) for w in with_),
             *(network_text("whatif.without", lang, what=w) for w in without),
             *(network_text("whatif.outlet", lang, what=w) for w in outlets)]
    return ("; " if lang == "en" else "；").join(parts)


def _columns(keys: Sequence[str], lang: str) -> list[str]:
    return [network_text(f"col.{k}", lang) for k in keys]


def points_frame(result, lang: str = "en") -> pd.DataFrame:
    """One row per point, display strings, headers in ``lang``: level, cards on the spot,
    visits per day, mean wait with its interval, p90 waits, abandonment, SLA targets met
    of judged, minimum standards passed of its level."""
    check_lang(lang)
    rows = []
    for r in result.points.itertuples(index=False):
        rows.append([r.point, level_name(r.level, lang), _yes(r.instant_issue, lang),
                     format_number(r.visitors_per_day, "count"),
                     format_interval(r.wait_mean_min, r.wait_mean_low, r.wait_mean_high, "min"),
                     format_number(r.wait_p90_min, "min"), format_number(r.elderly_wait_p90_min, "min"),
                     format_number(r.abandonment_rate, "share"), f"{r.targets_met}/{r.targets_judged}",
                     f"{r.standards_passed}/{r.standards_total}"])
    keys = ("point", "level", "card", "visits", "wait", "p90", "elderly_p90", "abandon", "sla", "standards")
    return pd.DataFrame(rows, columns=_columns(keys, lang))


def zones_frame(result, lang: str = "en") -> pd.DataFrame:
    """One row per zone, display strings, headers in ``lang``: residents, elderly share,
    travel and wait to the points chosen, share served within the circle, and the
    circle (travel only, and door to card), all and elderly."""
    check_lang(lang)
    share = lambda x: format_number(x, "share")  # noqa: E731
    rows = [[r.zone, f"{r.population:,}", share(r.elderly_share), format_number(r.travel_mean_min, "count"),
             format_number(r.wait_mean_min, "min"), share(r.served_in_circle_share), share(r.circle_share),
             share(r.circle_elderly_share), share(r.door_to_card_share), share(r.door_to_card_elderly_share)]
            for r in result.zones.itertuples(index=False)]
    keys = ("zone", "residents", "elderly_share", "travel", "zone_wait", "served", "circle", "circle_elderly", "door",
            "door_elderly")
    return pd.DataFrame(rows, columns=_columns(keys, lang))


def circle_frame(result, lang: str = "en") -> pd.DataFrame:
    """The network KPIs of a result: label and mean with its interval."""
    rows = [[network_kpi_label(k, g, lang), circle_cell(result.circle, k, g)] for k, g in NETWORK_KPI_KEYS
            if ((result.circle["kpi"] == k) & (result.circle["group"] == g)).any()]
    return pd.DataFrame(rows, columns=_columns(("kpi", "value"), lang))


def scorecard_frame(result, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The SLA scorecard of every simulated point: rows points, columns targets, cells
    ``verdict: mean [interval]`` (a point whose target differs adds ``(≤ limit)``); and
    a frame of the same shape holding the verdict codes (``met``, ``not met``,
    ``uncertain``, ``no data``, or "") for colour."""
    check_lang(lang)
    slas = {name: res.sla for name, res in result.results.items()}
    targets = list(dict.fromkeys(t for s in slas.values() for t in s["target"]))
    first = {t: next(s[s["target"] == t].iloc[0] for s in slas.values() if (s["target"] == t).any()) for t in targets}
    header = [network_text("col.point", lang), *(sla_label(t, first[t]["limit"], lang) for t in targets)]
    shown, codes = [], []
    for name, sla in slas.items():
        row, code = [name], [""]
        for t in targets:
            hit = sla[sla["target"] == t]
            if hit.empty:
                row.append("–")
                code.append("")
                continue
            r = hit.iloc[0]
            value = format_interval(r["mean"], r["ci_low"], r["ci_high"], kind_of(r["kpi"]))
            cell = f"{verdict_label(r['verdict'], lang)}{'：' if lang == 'zh' else ': '}{value}"
            if r["limit"] != first[t]["limit"]:
                cell += f" (≤ {r['limit']:g})"
            row.append(cell)
            code.append(r["verdict"])
        shown.append(row)
        codes.append(code)
    return pd.DataFrame(shown, columns=header), pd.DataFrame(codes, columns=header)


def _clear(low, high) -> bool:
    return _finite(low) and _finite(high) and not (low <= 0 <= high)


def comparison_frames(comparison, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A :class:`sim.network.whatif.NetworkComparison` as two display tables: the network
    KPIs (as it is, what-if, paired difference with its interval, clear or within noise),
    then each point's visits per day and mean wait (as it is → what-if) and the paired
    difference of its wait."""
    check_lang(lang)
    rows = comparison.table
    net = []
    for r in rows[rows["point"] == ""].itertuples(index=False):
        kind = kind_of(r.kpi)
        net.append([network_kpi_label(r.kpi, r.group, lang), format_number(r.base_mean, kind),
                    format_number(r.variant_mean, kind), format_interval(r.diff_mean, r.diff_low, r.diff_high, kind),
                    text("report.significant" if _clear(r.diff_low, r.diff_high) else "report.not_significant", lang)])
    index = rows.set_index(["point", "kpi", "group"])
    pts = []
    for point in dict.fromkeys(rows.loc[rows["point"] != "", "point"]):
        visits, wait = index.loc[(point, "visitors_per_day", "all")], index.loc[(point, "wait_mean_min", "all")]
        pts.append([point, f"{format_number(visits.base_mean, 'count')} → {format_number(visits.variant_mean, 'count')}",
                    f"{format_number(wait.base_mean, 'min')} → {format_number(wait.variant_mean, 'min')}",
                    format_interval(wait.diff_mean, wait.diff_low, wait.diff_high, "min")])
    return (pd.DataFrame(net, columns=_columns(("kpi", "base", "variant", "diff", "clear"), lang)),
            pd.DataFrame(pts, columns=_columns(("point", "visits_change", "wait_change", "wait_diff"), lang)))


def candidates_frame(plan, lang: str = "en") -> pd.DataFrame:
    """The candidate sites of a location plan: place, chosen, residents it alone would
    bring into the circle."""
    rows = [[r.candidate, f"{r.x_km:g}", f"{r.y_km:g}", _yes(r.chosen, lang), f"{r.alone_gain:,.0f}"]
            for r in plan.candidates.itertuples(index=False)]
    return pd.DataFrame(rows, columns=_columns(("candidate", "x", "y", "chosen", "gain"), lang))
