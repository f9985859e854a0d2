"""One rule for how a KPI is read and written: shares, minutes, counts.

Every screen (CLI tables, the dashboard's scorecards, reports, figures) formats KPI values
through this module, so a share is a share everywhere: ``share_wait_over_target`` and
``abandonment_rate`` are shown as percentages, their intervals are clipped at 100 %, and
the automatic-replication rule measures them in absolute points.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["KPI_ROWS", "COMPARE_KPIS", "SHARE_TAGS", "is_share", "kind_of", "is_number", "format_number", "format_interval", "fmt_value",
           "fmt_interval"]

SHARE_TAGS = ("_rate", "_share", "share_", "_utilisation")
"""A KPI whose key holds one of these is a share between 0 and 1; every KPI is at least 0."""


def is_share(kpi: str) -> bool:
    """True when ``kpi`` is a share (between 0 and 1), shown as a percentage."""
    return any(tag in kpi for tag in SHARE_TAGS)


def kind_of(kpi: str) -> str:
    """How a KPI is shown: ``share`` (as %), ``min`` (minutes, 2 decimals) or ``count``
    (1 decimal)."""
    if is_share(kpi):
        return "share"
    if "_min" in kpi:
        return "min"
    return "count"


def is_number(value: Any) -> bool:
    """True for a finite real number (numpy scalars included; not bools, not NaN)."""
    if isinstance(value, bool) or value is None:
        return False
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def format_number(value: Any, kind: str) -> str:
    """``value`` written as its ``kind`` says (see :func:`kind_of`); "–" when it is not a
    finite number; never "-0.0"."""
    if not is_number(value):
        return "–"
    v = float(value)
    number = f"{v * 100:.1f}" if kind == "share" else f"{v:.2f}" if kind == "min" else f"{v:.1f}"
    if float(number) == 0:
        number = number.lstrip("-")
    return f"{number} %" if kind == "share" else number


def format_interval(mean: Any, low: Any, high: Any, kind: str) -> str:
    """``mean [low, high]``, or the mean alone when there is no interval."""
    if is_number(low) and is_number(high):
        return f"{format_number(mean, kind)} [{format_number(low, kind)}, {format_number(high, kind)}]"
    return format_number(mean, kind)


def fmt_value(kpi: str, value: Any) -> str:
    """A value of ``kpi`` for a table (:func:`format_number` with the KPI's kind)."""
    return format_number(value, kind_of(kpi))


def fmt_interval(kpi: str, mean: Any, low: Any, high: Any) -> str:
    """``mean [low, high]`` of ``kpi`` (:func:`format_interval` with the KPI's kind)."""
    return format_interval(mean, low, high, kind_of(kpi))


KPI_ROWS: list[tuple[str, str, str]] = [
    ("visitors_per_day", "all", "visitors per day"),
    ("served_per_day", "all", "served per day"),
    ("wait_mean_min", "all", "mean wait (min)"),
    ("wait_p90_min", "all", "90th percentile wait (min)"),
    ("wait_max_min", "all", "longest wait (min)"),
    ("wait_mean_min", "elderly", "mean wait, elderly (min)"),
    ("wait_p90_min", "elderly", "90th percentile wait, elderly (min)"),
    ("wait_mean_min", "other", "mean wait, others (min)"),
    ("wait_p90_min", "other", "90th percentile wait, others (min)"),
    ("wait_mean_min", "booked", "mean wait from the slot, booked (min)"),
    ("wait_p90_min", "booked", "90th percentile wait from the slot, booked (min)"),
    ("wait_mean_min", "walk_in", "mean wait, walk-ins (min)"),
    ("wait_p90_min", "walk_in", "90th percentile wait, walk-ins (min)"),
    ("booked_share", "booked", "share of arrivals booked"),
    ("no_show_rate", "booked", "bookings not kept (no-show)"),
    ("transfers_per_day", "all", "transfers to a later window per day"),
    ("transfer_wait_mean_min", "all", "mean wait after a transfer (min)"),
    ("home_visits_per_day", "all", "home visits per day"),
    ("home_visit_wait_days_mean", "all", "mean days a home-visit request waits"),
    ("helped_visits_per_day", "all", "visits accompanied by a helper per day"),
    ("helped_share", "elderly", "elderly accompanied by a helper"),
    ("wait_p90_min", "elderly_helped", "90th percentile wait, elderly with a helper (min)"),
    ("wait_p90_min", "elderly_alone", "90th percentile wait, elderly alone (min)"),
    ("helper_wait_mean_min", "all", "mean wait for a helper (min)"),
    ("helper_utilisation", "all", "helper utilisation"),
    ("home_visits_pending", "all", "home-visit requests still waiting after the last day"),
    ("time_in_system_mean_min", "all", "mean time in the hall (min)"),
    ("issuance_mean_min", "all", "mean arrival to card in hand (min)"),
    ("issuance_p90_min", "all", "90th percentile arrival to card in hand (min)"),
    ("abandonment_rate", "all", "abandoned the queue"),
    ("baulking_rate", "all", "left at once (queue too long)"),
    ("missing_docs_rate", "all", "sent away for missing documents"),
    ("kiosk_share", "all", "served at a kiosk"),
    ("unserved_rate", "all", "unserved at closing"),
    ("queue_mean", "all", "mean waiting tickets"),
    ("queue_max", "all", "most waiting tickets"),
    ("window_utilisation", "all", "window utilisation"),
    ("staff_utilisation", "all", "staff utilisation"),
    ("empty_window_min_per_day", "all", "empty-window minutes per day"),
    ("covered_min_per_day", "all", "covered minutes per day"),
    ("overtime_min_per_day", "all", "minutes past closing per day"),
]
"""(kpi, group, label): the main KPIs a results table shows, in this order, when present."""

COMPARE_KPIS: list[tuple[str, str, str]] = [row for row in KPI_ROWS if row[0] not in ("queue_max", "covered_min_per_day")]
"""The rows of a comparison: the main KPIs less the queue maximum and the cover minutes."""
