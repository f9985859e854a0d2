"""KPIs of one issuance replication, and the issuance SLA targets.

:func:`issuance_kpis` turns the ``applications`` and ``daily`` tables of one replication
(see :mod:`sim.issuance_model`) into tidy rows (``replication``, ``kpi``, ``group``,
``value``); ``group`` is ``all`` or ``route:<batch|sporadic|on_the_spot>``. Durations are
in working days (``_days``). :data:`ISSUANCE_KPIS` documents every KPI.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any, Mapping

import numpy as np
import pandas as pd

from sim.scenario.issuance import IssuanceConfig
from sim.issuance.model import PIPELINE_ROUTES, ROUTES

__all__ = ["ISSUANCE_KPIS", "issuance_kpis", "issuance_targets"]

ISSUANCE_KPIS: dict[str, str] = {
    "applications_per_day": "applications per application day (all routes and per route)",
    "cycle_mean_days": "mean issuance cycle, application -> card at the outlet, working days, over cards ready within the run (per route)",
    "cycle_p90_days": "90th percentile of that cycle (per route)",
    "cycle_max_days": "longest such cycle (per route)",
    "within_target_share": "share of due applications (target day within the run) whose card was ready within the route's target",
    "late_share": "1 - within_target_share: share of due applications not ready within the target (judged by the SLA)",
    "late_for_collection_share": "share of sporadic applications whose card was not at the outlet sla.collect_after_days after applying (when the holder was told to come)",
    "backlog_peak": "largest end-of-day backlog of applications not yet made (all pipeline routes and per route)",
    "backlog_mean": "mean end-of-day backlog over the working days of the run",
    "capacity_utilisation": "cards made / cards the centre could have made over the run",
    "breakdown_days": "working days lost to production failures",
    "not_ready_at_end": "pipeline applications whose card was not at the outlet at the end of the run",
    "collect_visits_per_day": "collection visits to halls per working day of the run (the hall's collect demand)",
    "wasted_visit_share": "share of those visits that found no card",
    "uncollected_after_year_share": "share of ready cards whose holder never comes, or comes more than seal_after_days after the card was ready (per route)",
}
"""Every issuance KPI and its definition."""


def issuance_targets(iss: IssuanceConfig) -> tuple[SimpleNamespace, dict[str, tuple[str, str, str]]]:
    """The SLA limits and targets of ``iss`` for :func:`sim.summary.judge_sla`: each
    judged target is a share of late cards at most ``sla.late_share_max``; targets of an
    absent route are left out."""
    sla = iss.sla
    targets: dict[str, tuple[str, str, str]] = {}
    if iss.batch is not None and sla.batch_max_days is not None:
        targets["batch_max_days"] = ("late_share", "route:batch",
                                     f"batch cards not ready within {sla.batch_max_days} working days ≤ {{v:.0%}}")
    if iss.sporadic is not None and sla.sporadic_max_days is not None:
        targets["sporadic_max_days"] = ("late_share", "route:sporadic",
                                        f"sporadic cards not ready within {sla.sporadic_max_days} working days ≤ {{v:.0%}}")
    if iss.sporadic is not None and sla.collect_after_days is not None:
        targets["collect_after_days"] = ("late_for_collection_share", "route:sporadic",
                                         f"sporadic cards not ready when the holder comes after "
                                         f"{sla.collect_after_days} working days ≤ {{v:.0%}}")
    limits = SimpleNamespace(**{field: sla.late_share_max for field in targets})
    return limits, targets


def _share(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else math.nan


def issuance_kpis(replication: int, iss: IssuanceConfig, apps: Mapping[str, Any], daily: Mapping[str, Any],
                  days: int) -> pd.DataFrame:
    """KPI rows of one replication (``days``: application days of the run). ``apps`` and
    ``daily`` are the replication's tables, as frames or as mappings of column arrays."""
    rows: list[tuple[str, str, float]] = []
    add = lambda kpi, group, value: rows.append((kpi, group, float(value)))  # noqa: E731
    apps = {k: np.asarray(v) for k, v in apps.items() if not k.endswith("_date")}
    daily = {k: np.asarray(v) for k, v in daily.items() if k not in ("date", "weekday")}
    total = len(daily["day"])
    route = apps["route"]
    ready = apps["ready_day"]
    applied = apps["applied_day"]
    add("applications_per_day", "all", len(route) / days)
    for name in ROUTES:
        if getattr(iss, name) is None:
            continue
        g = f"route:{name}"
        m = route == name
        add("applications_per_day", g, m.sum() / days)
        cycle = apps["cycle_days"][m]
        cycle = cycle[~np.isnan(cycle)]
        has = len(cycle) > 0
        add("cycle_mean_days", g, cycle.mean() if has else math.nan)
        add("cycle_p90_days", g, np.percentile(cycle, 90) if has else math.nan)
        add("cycle_max_days", g, cycle.max() if has else math.nan)
        if name not in PIPELINE_ROUTES:
            continue
        due = apps["due"][m]
        within = _share(apps["within_target"][m].sum(), due.sum())
        add("within_target_share", g, within)
        add("late_share", g, 1.0 - within)
        add("backlog_peak", g, daily[f"backlog_{name}"].max())
        add("backlog_mean", g, daily[f"backlog_{name}"].mean())
        is_ready = ready[m] >= 0
        add("uncollected_after_year_share", g, _share(apps["uncollected_after_year"][m].sum(), is_ready.sum()))
        if name == "sporadic" and iss.sla.collect_after_days is not None:
            told = applied[m] + iss.sla.collect_after_days
            judged = told <= total - 1
            late = judged & ((ready[m] < 0) | (ready[m] > told))
            add("late_for_collection_share", g, _share(late.sum(), judged.sum()))
    add("backlog_peak", "all", daily["backlog"].max())
    add("backlog_mean", "all", daily["backlog"].mean())
    add("capacity_utilisation", "all", _share(daily["made"].sum(), daily["capacity"].sum()))
    add("breakdown_days", "all", daily["breakdown"].sum())
    add("not_ready_at_end", "all", ((route != "on_the_spot") & (ready < 0)).sum())
    visits = daily["collect_visits"].sum()
    add("collect_visits_per_day", "all", visits / total)
    add("wasted_visit_share", "all", _share(daily["wasted_visits"].sum(), visits))
    out = pd.DataFrame.from_records(rows, columns=["kpi", "group", "value"])
    out.insert(0, "replication", replication)
    return out
