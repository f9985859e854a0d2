"""Key performance indicators of one replication, as a tidy table.

:func:`replication_kpis` turns the tables of one replication into rows
(``kpi``, ``group``, ``value``). ``group`` is ``all``, ``elderly``, ``other``,
``service:<code>``, ``window:<id>``, ``staff:<name>``, ``device:<pool>`` or ``hour:<HH>``.
Visits arriving in the warm-up are left out. :data:`KPIS` documents every KPI.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["KPIS", "replication_kpis", "wait_target_min"]

KPIS: dict[str, str] = {
    "visitors_per_day": "arrivals per opening day (continuous: per run)",
    "served_per_day": "visits served (window or kiosk) per day",
    "wait_mean_min": "mean wait from ticket to call (or to leaving the queue unserved), over visits that took a ticket (minutes)",
    "wait_p50_min": "median of that wait",
    "wait_p90_min": "90th percentile of that wait",
    "wait_p95_min": "95th percentile of that wait",
    "wait_max_min": "longest such wait",
    "share_wait_over_target": "share of ticketed visits that waited longer than the SLA wait target",
    "time_to_ticket_mean_min": "mean time from arrival to taking a ticket (guide desk queue and triage)",
    "time_in_system_mean_min": "mean time from arrival to leaving, over all visits",
    "issuance_mean_min": "mean arrival -> card in hand, on-the-spot issuance",
    "issuance_p90_min": "90th percentile of arrival -> card in hand",
    "issuance_max_min": "longest arrival -> card in hand",
    "abandonment_rate": "share of arrivals that left the queue before being called",
    "baulking_rate": "share of arrivals that left at once because the queue was too long",
    "missing_docs_rate": "share of arrivals sent away for missing documents",
    "kiosk_share": "share of arrivals served at a kiosk",
    "unserved_rate": "share of arrivals still unserved when the hall ended the day",
    "repeat_visits_per_day": "return visits (after missing documents) that happened, per day",
    "repeat_visits_pending": "return visits still to come after the last simulated day",
    "queue_mean": "time-average number of waiting tickets from opening (continuous: end of warm-up) to the last departure",
    "queue_max": "largest number of waiting tickets",
    "window_utilisation": "serving / (serving + idle + empty) minutes of windows",
    "staff_utilisation": "serving / on-duty minutes (breaks and absences excluded)",
    "device_utilisation": "busy minutes / (units x open minutes) of a shared device pool",
    "empty_window_min_per_day": "minutes a window was empty during opening hours (空窗), per day",
    "covered_min_per_day": "minutes windows were attended by a cover (B or other), per day",
    "overtime_min_per_day": "minutes from closing time to the last visitor leaving, per day",
    "throughput_per_hour": "visits served per clock hour (group hour:HH), per day",
}


def wait_target_min(scenario) -> float:
    """The wait target used for ``share_wait_over_target`` (SLA p90 target, else 20)."""
    t = scenario.sla.wait_p90_max_min
    return 20.0 if t is None else float(t)


def _wait_rows(rows, group, waits):
    if len(waits) == 0:
        return
    rows += [
        ("wait_mean_min", group, float(np.mean(waits))),
        ("wait_p50_min", group, float(np.percentile(waits, 50))),
        ("wait_p90_min", group, float(np.percentile(waits, 90))),
        ("wait_p95_min", group, float(np.percentile(waits, 95))),
        ("wait_max_min", group, float(np.max(waits))),
    ]


def _minutes(frame: pd.DataFrame) -> pd.Series:
    return frame["end_min"] - frame["start_min"]


def replication_kpis(scenario, tables: dict[str, pd.DataFrame], days, last_departures, repeats_pending: int) -> pd.DataFrame:
    """The KPI rows (kpi, group, value) of one replication."""
    rows: list[tuple[str, str, float]] = []
    n_days = len(days)
    warm = scenario.run.warmup_min if scenario.continuous else 0.0
    visits = tables["visits"]
    visits = visits[~visits["in_warmup"]]
    n = len(visits)
    rows.append(("visitors_per_day", "all", n / n_days))
    outcome = visits["outcome"]
    served = outcome.isin(["served", "served_kiosk"])
    rows.append(("served_per_day", "all", float(served.sum()) / n_days))

    called = visits[visits["ticket_min"].notna() & visits["wait_min"].notna()]
    w = called["wait_min"].to_numpy()
    _wait_rows(rows, "all", w)
    _wait_rows(rows, "elderly", called.loc[called["elderly"], "wait_min"].to_numpy())
    _wait_rows(rows, "other", called.loc[~called["elderly"], "wait_min"].to_numpy())
    for svc, sub in called.groupby("service", sort=True):
        _wait_rows(rows, f"service:{svc}", sub["wait_min"].to_numpy())
    if len(w):
        rows.append(("share_wait_over_target", "all", float(np.mean(w > wait_target_min(scenario)))))
    if len(called):
        rows.append(("time_to_ticket_mean_min", "all", float((called["ticket_min"] - called["arrival_min"]).mean())))
    tis = visits["time_in_system_min"].dropna()
    if len(tis):
        rows.append(("time_in_system_mean_min", "all", float(tis.mean())))
    iss = visits["issuance_min"].dropna().to_numpy()
    if len(iss):
        rows += [
            ("issuance_mean_min", "all", float(iss.mean())),
            ("issuance_p90_min", "all", float(np.percentile(iss, 90))),
            ("issuance_max_min", "all", float(iss.max())),
        ]
    if n:
        for kpi, name in (("abandonment_rate", "abandoned"), ("baulking_rate", "baulked"),
                          ("missing_docs_rate", "missing_docs"), ("kiosk_share", "served_kiosk"),
                          ("unserved_rate", "unserved_at_close")):
            rows.append((kpi, "all", float((outcome == name).sum()) / n))
            if kpi == "abandonment_rate":
                for label, mask in (("elderly", visits["elderly"]), ("other", ~visits["elderly"])):
                    if mask.any():
                        rows.append((kpi, label, float((outcome[mask] == name).mean())))
    rows.append(("repeat_visits_per_day", "all", float(visits["repeat"].sum()) / n_days))
    rows.append(("repeat_visits_pending", "all", float(repeats_pending)))

    q = tables["queue"]
    by_day = {d: sub for d, sub in q.groupby("day", sort=False)} if len(q) else {}
    mean_q = []
    for d, last in zip(days, last_departures):
        start = warm if scenario.continuous else d.open_min
        end = max(d.close_min, last)
        sub = by_day.get(d.index)
        if sub is None or end <= start:
            mean_q.append(0.0)
            continue
        t = np.append(sub["time_min"].to_numpy(), end)
        x = sub["waiting"].to_numpy()
        lengths = np.clip(np.minimum(t[1:], end) - np.maximum(t[:-1], start), 0.0, None)
        mean_q.append(float(np.sum(x * lengths) / (end - start)))
    rows.append(("queue_mean", "all", float(np.mean(mean_q))))
    kept = q[q["time_min"] >= warm]
    rows.append(("queue_max", "all", float(kept["waiting"].max()) if len(kept) else 0.0))

    win = tables["windows"]
    if warm:
        win = _clip(win, warm)
    if len(win):
        mins = _minutes(win)
        by_state = mins.groupby(win["state"]).sum()
        serving = by_state.get("serving", 0.0)
        denom = serving + by_state.get("idle", 0.0) + by_state.get("empty", 0.0)
        if denom > 0:
            rows.append(("window_utilisation", "all", float(serving / denom)))
        for wid, sub in win.groupby("window", sort=True):
            m = _minutes(sub).groupby(sub["state"]).sum()
            d = m.get("serving", 0.0) + m.get("idle", 0.0) + m.get("empty", 0.0)
            if d > 0:
                rows.append(("window_utilisation", f"window:{wid}", float(m.get("serving", 0.0) / d)))
        empty = win["state"] == "empty"
        rows.append(("empty_window_min_per_day", "all", float(mins[empty].sum()) / n_days))
        for wid in (w_.id for w_ in scenario.windows):
            e = mins[empty & (win["window"] == wid)].sum()
            rows.append(("empty_window_min_per_day", f"window:{wid}", float(e) / n_days))
        cov = win["covered"].astype(bool) & win["state"].isin(["serving", "idle"])
        rows.append(("covered_min_per_day", "all", float(mins[cov].sum()) / n_days))
    else:
        rows.append(("empty_window_min_per_day", "all", 0.0))

    staff = tables["staff"]
    if len(staff):
        mins = _minutes(staff)
        on = staff["state"].isin(["serving", "idle", "guide", "available"])
        if mins[on].sum() > 0:
            rows.append(("staff_utilisation", "all", float(mins[staff["state"] == "serving"].sum() / mins[on].sum())))
        for name, sub in staff.groupby("staff", sort=True):
            m = _minutes(sub)
            o = m[sub["state"].isin(["serving", "idle", "guide", "available"])].sum()
            if o > 0:
                rows.append(("staff_utilisation", f"staff:{name}", float(m[sub["state"] == "serving"].sum() / o)))
    elif len(win):
        rows.append(("staff_utilisation", "all", rows_value(rows, "window_utilisation", "all")))

    open_min = sum(e - s for d in days for s, e in d.open_periods()) - (warm if scenario.continuous else 0.0)
    dev = tables["devices"]
    if warm:
        dev = _clip(dev, warm)
    pools = {"printer": scenario.devices.instant_printers.count, "kiosk": scenario.devices.kiosks.count,
             **{k: n for k, n in scenario.devices.shared.items()}}
    for pool, count in pools.items():
        if count <= 0 or open_min <= 0:
            continue
        sub = dev[(dev["state"] == "busy") & dev["device"].str.startswith(pool + "-")] if len(dev) else dev
        busy = float(_minutes(sub).sum()) if len(sub) else 0.0
        rows.append(("device_utilisation", f"device:{pool}", busy / (count * open_min)))

    if not scenario.continuous:
        overtime = [max(0.0, last - d.close_min) for d, last in zip(days, last_departures)]
        rows.append(("overtime_min_per_day", "all", float(np.mean(overtime))))
    if not scenario.continuous and n:
        hours = (visits.loc[served, "departure_min"] // 60).astype(int)
        counts = hours.value_counts()
        first = int(min(d.open_min for d in days) // 60)
        last = int(max(max(last_departures), max(d.close_min for d in days)) // 60)
        for h in range(first, last + 1):
            rows.append(("throughput_per_hour", f"hour:{h:02d}", float(counts.get(h, 0)) / n_days))
    return pd.DataFrame.from_records(rows, columns=["kpi", "group", "value"])


def rows_value(rows, kpi, group):
    for k, g, v in rows:
        if k == kpi and g == group:
            return v
    return float("nan")


def _clip(frame: pd.DataFrame, start: float) -> pd.DataFrame:
    """Intervals cut to begin at ``start`` (for the warm-up)."""
    f = frame[frame["end_min"] > start].copy()
    f["start_min"] = f["start_min"].clip(lower=start)
    return f
