"""Across replications: mean and t-based confidence interval of every KPI, and SLA verdicts.

A target is **met** when the whole interval lies on the right side of the limit,
**not met** when the whole interval lies on the wrong side, and **uncertain** when the
interval straddles the limit (more replications would tell). With a single replication
there is no interval and the verdict is made on the value alone (``confident`` False).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.results.formatting import is_share
from sim.results.t_quantiles import MAX_DOF, T_QUANTILES

__all__ = ["summarise", "judge_sla", "SLA_TARGETS", "FEATURE_TARGETS", "SUMMARY_COLUMNS", "SLA_COLUMNS", "t_interval", "t_quantile"]

SLA_TARGETS: dict[str, tuple[str, str, str]] = {
    # scenario.sla field: (kpi, group, label)
    "wait_mean_max_min": ("wait_mean_min", "all", "mean wait ≤ {v:g} min"),
    "wait_p90_max_min": ("wait_p90_min", "all", "90 % of visitors wait ≤ {v:g} min"),
    "elderly_wait_p90_max_min": ("wait_p90_min", "elderly", "elderly 90th percentile wait ≤ {v:g} min"),
    "issuance_p90_max_min": ("issuance_p90_min", "all", "on-the-spot issuance 90th percentile ≤ {v:g} min"),
    "abandonment_rate_max": ("abandonment_rate", "all", "abandonment ≤ {v:.0%}"),
    "empty_window_max_min": ("empty_window_min_per_day", "all", "empty-window minutes per day ≤ {v:g}"),
    "booked_wait_p90_max_min": ("wait_p90_min", "booked", "booked visitors' 90th percentile wait from the slot ≤ {v:g} min"),
    "helper_wait_p90_max_min": ("helper_wait_p90_min", "all",
                                "90th percentile wait for a helper, elderly who asked ≤ {v:g} min"),
}
"""Each SLA field of a scenario, the KPI (and group) it judges, and its label."""

FEATURE_TARGETS = frozenset({"booked_wait_p90_max_min", "helper_wait_p90_max_min"})
"""Targets of a feature a scenario may not use (appointments, helpers): judged only when the
summary has rows of their group and of their KPI, so a scenario without the feature gets
no row for them."""

SUMMARY_COLUMNS = {
    "kpi": "KPI key (see sim.kpis.KPIS)",
    "group": "all, elderly, other, service:<code>, window:<id>, staff:<name>, device:<pool>, hour:<HH>",
    "n": "replications with a value",
    "mean": "mean over replications",
    "sd": "sample standard deviation over replications",
    "half_width": "half-width of the t-based confidence interval",
    "ci_low": "mean - half_width, clipped at 0",
    "ci_high": "mean + half_width, clipped at 1 for shares",
}

SLA_COLUMNS = {
    "target": "SLA field of the scenario",
    "label": "the target in words",
    "kpi": "KPI judged",
    "group": "KPI group judged",
    "limit": "the target's value (upper limit)",
    "mean": "KPI mean over replications",
    "ci_low": "lower end of the KPI interval",
    "ci_high": "upper end of the KPI interval",
    "verdict": "met, not met, uncertain, or no data",
    "confident": "True when judged on an interval (2+ replications)",
}


def t_quantile(p, dof):
    """The ``p`` quantile of Student's t with ``dof`` degrees of freedom (scalars or
    arrays): ``scipy.stats.t.ppf``'s own routine, ``scipy.special.stdtrit``, which spares
    importing ``scipy.stats`` (seconds and tens of MB); the usual confidence levels and up
    to 200 degrees of freedom come from a table of its values, which spares importing SciPy
    at all (:mod:`sim.results.t_quantiles`)."""
    table = T_QUANTILES.get(p)
    if table is not None:
        k = np.asarray(dof)
        if k.dtype.kind in "iu" and k.size and k.min() >= 1 and k.max() <= MAX_DOF:
            values = np.asarray(table)[k - 1]
            return values if values.ndim else np.float64(values)
    from scipy.special import stdtrit

    return stdtrit(dof, p)


def t_interval(values, confidence: float = 0.95) -> tuple[float, float, float]:
    """(mean, sd, half-width) of a t-based interval; NaN half-width for fewer than 2 values."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if n < 2:
        return (mean, math.nan, math.nan)
    sd = float(x.std(ddof=1))
    return (mean, sd, float(t_quantile((1 + confidence) / 2, n - 1) * sd / math.sqrt(n)))




def summarise(kpis, confidence: float = 0.95) -> pd.DataFrame:
    """One row per (kpi, group) with the columns of :data:`SUMMARY_COLUMNS`, in the order
    the pairs first appear in ``kpis`` (the KPI rows: a DataFrame, or the same as a mapping
    of columns ``kpi``, ``group``, ``value``); computed for all pairs at once.

    Interval ends are clipped to the KPI's range (every KPI is >= 0; shares <= 1), so a
    rare event does not show a negative lower end; ``half_width`` is the unclipped one.
    """
    x = np.asarray(kpis["value"], dtype=float)
    if len(x) == 0:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    index: dict[tuple, int] = {}  # (kpi, group) -> its row, in order of first appearance
    codes = np.fromiter((index.setdefault(pair, len(index)) for pair in zip(list(kpis["kpi"]), list(kpis["group"]))),
                        dtype=np.intp, count=len(x))
    m = len(index)
    ok = ~np.isnan(x)
    n = np.bincount(codes[ok], minlength=m)
    total = np.bincount(codes[ok], weights=x[ok], minlength=m)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        dev = x[ok] - mean[codes[ok]]
        ss = np.bincount(codes[ok], weights=dev * dev, minlength=m)
        sd = np.where(n >= 2, np.sqrt(ss / np.maximum(n - 1, 1)), np.nan)
        hw = np.full(m, np.nan)
        many = n >= 2
        if many.any():
            hw[many] = t_quantile((1 + confidence) / 2, n[many] - 1) * sd[many] / np.sqrt(n[many])
    kpi_names = np.array([str(k) for k, _g in index], dtype=object)
    groups = np.array([str(g) for _k, g in index], dtype=object)
    share = np.array([is_share(k) for k in kpi_names], dtype=bool)
    lo = np.where(np.isnan(hw), mean - hw, np.maximum(0.0, mean - hw))
    hi = np.where(~np.isnan(hw) & share, np.minimum(1.0, mean + hw), mean + hw)
    return pd.DataFrame({"kpi": kpi_names, "group": groups, "n": n.astype(int), "mean": mean, "sd": sd,
                         "half_width": hw, "ci_low": lo, "ci_high": hi}, columns=list(SUMMARY_COLUMNS))


def judge_sla(sla, summary: pd.DataFrame, targets: dict[str, tuple[str, str, str]] | None = None) -> pd.DataFrame:
    """One row per judged SLA target, with the columns of :data:`SLA_COLUMNS`.

    ``targets`` maps each limit attribute of ``sla`` to (kpi, group, label) like
    :data:`SLA_TARGETS` (the default); other models (card issuance) pass their own."""
    index = {pair: i for i, pair in enumerate(zip(summary["kpi"].tolist(), summary["group"].tolist()))}
    groups = {g for _k, g in index}
    kpis = {k for k, _g in index}
    mean, half_width, ci_low, ci_high = (summary[c].to_numpy(dtype=float).tolist()
                                         for c in ("mean", "half_width", "ci_low", "ci_high"))
    rows = []
    for field, (kpi, group, label) in (SLA_TARGETS if targets is None else targets).items():
        limit = getattr(sla, field)
        if limit is None or (field in FEATURE_TARGETS and (group not in groups or kpi not in kpis)):
            continue
        i = index.get((kpi, group))
        if i is None or math.isnan(mean[i]):
            rows.append((field, label.format(v=limit), kpi, group, limit, math.nan, math.nan, math.nan, "no data", False))
            continue
        confident = not math.isnan(half_width[i])
        lo, hi = (ci_low[i], ci_high[i]) if confident else (mean[i], mean[i])
        eps = 1e-9
        if hi <= limit + eps:
            verdict = "met"
        elif lo > limit + eps:
            verdict = "not met"
        else:
            verdict = "uncertain"
        rows.append((field, label.format(v=limit), kpi, group, limit, mean[i], ci_low[i], ci_high[i], verdict, confident))
    if not rows:
        return pd.DataFrame.from_records(rows, columns=list(SLA_COLUMNS))
    return pd.DataFrame({c: list(values) for c, values in zip(SLA_COLUMNS, zip(*rows))}, columns=list(SLA_COLUMNS))
