"""Key performance indicators of replications, as a tidy table, computed for a whole batch.

:func:`batch_kpis` turns the columns of any number of replications
(:class:`sim.model.records.ReplicationRecord`) into rows (``replication``, ``kpi``,
``group``, ``value``) at once: every statistic is a numpy operation over all replications
(sorts, ``bincount``, percentiles per group by index arithmetic), not a loop over
replications or a pandas group-by. ``group`` is ``all``, ``elderly``, ``other``,
``service:<code>``, ``window:<id>``, ``staff:<name>``, ``device:<pool>`` or ``hour:<HH>``.
Visits arriving in the warm-up are left out. :data:`KPIS` documents every KPI. Each
replication's rows come in the same order whatever the batch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model.records import ReplicationRecord, concat_columns
from sim.scenario.days import DayPlan
from sim.scenario.timeline import DayGrid

__all__ = ["KPIS", "KPI_COLUMNS", "WAIT_KPIS", "batch_kpis", "batch_kpi_columns", "no_window_open_min", "wait_stats",
           "wait_target_min"]

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
    "staff_utilisation": "serving (and helping, with helpers) / on-duty minutes (breaks and absences excluded)",
    "device_utilisation": "busy minutes / (units x open minutes) of a shared device pool",
    "empty_window_min_per_day": "minutes a window was empty during opening hours (空窗: open, nobody attending), "
                                "per day; group all also counts each minute the doors were open while no window was",
    "covered_min_per_day": "minutes windows were attended by a cover (B or other), per day",
    "overtime_min_per_day": "minutes from closing time to the last visitor leaving, per day",
    "throughput_per_hour": "visits served per clock hour (group hour:HH), per day",
    # appointments (only with appointments: the wait KPIs also get groups booked and walk_in)
    "booked_share": "share of arrivals that came with a booking they kept (group booked)",
    "no_show_rate": "share of bookings whose visitor never came (group booked)",
    "booking_lapsed_rate": "share of booked visitors who came later than the grace window and walked in (group booked)",
    # later steps (only with services.<code>.steps)
    "transfers_per_day": "visits sent on to a later step at another window, per day",
    "transfer_wait_mean_min": "mean total wait at later steps of the visits sent on (minutes)",
    "transfer_wait_p90_min": "90th percentile of that wait",
    # home visits (only with home_visits)
    "home_visits_per_day": "home visits (上门服务) made per opening day",
    "home_visit_wait_days_mean": "mean opening days from a home-visit request to the trip (0: the same day)",
    "home_visits_pending": "home-visit requests still waiting after the last simulated day",
    # accompanied service (only with helpers: the wait KPIs also get groups elderly_helped and elderly_alone)
    "helped_visits_per_day": "visits accompanied by a helper (陪办) per day",
    "helped_share": "share of elderly arrivals accompanied by a helper (group elderly)",
    "help_unmet_rate": "share of the elderly who asked for a helper and went on alone: none free in time (group elderly)",
    "helper_wait_mean_min": "mean minutes from asking for a helper to one joining, or to going on alone, over those who asked",
    "helper_wait_p90_min": "90th percentile of that wait",
    "helper_utilisation": "minutes accompanying a visitor / minutes at the helper post (all helpers, and per helper)",
}


KPI_COLUMNS = {
    "replication": "replication number",
    "kpi": "KPI key (see KPIS)",
    "group": "all, elderly, other, service:<code>, window:<id>, staff:<name>, device:<pool>, hour:<HH>",
    "value": "the KPI's value in that replication",
}

WAIT_KPIS = ("wait_mean_min", "wait_p50_min", "wait_p90_min", "wait_p95_min", "wait_max_min")
_OUTCOME_KPIS = (("abandonment_rate", "abandoned"), ("baulking_rate", "baulked"), ("missing_docs_rate", "missing_docs"),
                 ("kiosk_share", "served_kiosk"), ("unserved_rate", "unserved_at_close"))
_ON_DUTY = ("serving", "idle", "guide", "available", "helper", "helping")
_WORKING = ("serving", "helping")


def no_window_open_min(scenario, plans: list[DayPlan]) -> float:
    """Minutes of the days ``plans`` in which the doors are open and no window is open by
    its own hours (``windows[i].hours``): the hall offers no window at all. Counted in
    ``empty_window_min_per_day`` (group ``all``) as one empty window each."""
    if scenario.continuous or any(w.hours is None and not w.hours_by_weekday for w in scenario.windows):
        return 0.0  # a window without hours is open whenever the doors are
    return sum(DayGrid(scenario, d).no_window_open_min() for d in plans)


def wait_target_min(scenario) -> float:
    """The wait target used for ``share_wait_over_target`` (SLA p90 target, else 20)."""
    t = scenario.sla.wait_p90_max_min
    return 20.0 if t is None else float(t)


# ----------------------------------------------------------------- grouped statistics
def _percentiles(keys: np.ndarray, values: np.ndarray, n_keys: int, qs) -> tuple[np.ndarray, list[np.ndarray]]:
    """(count, [percentile q of each group]) of ``values`` grouped by integer ``keys``,
    with numpy's default (linear) rule; NaN for an empty group."""
    count = np.bincount(keys, minlength=n_keys)
    if len(values) == 0:
        return count, [np.full(n_keys, np.nan) for _ in qs]
    # by key, and by value within a key: the values sorted first (ties in any order: equal
    # values give the same percentiles), then a stable sort of the small integer keys
    # (a radix sort): the same sorted values per group as a lexsort, in a quarter of the time
    order = np.argsort(values)
    small = np.int16 if n_keys < 2**15 else np.int32 if n_keys < 2**31 else np.int64
    order = order[np.argsort(keys[order].astype(small), kind="stable")]
    v = values[order]
    starts = np.cumsum(count) - count
    last = np.maximum(count - 1, 0)
    out = []
    for q in qs:
        quantile = q / 100.0
        virtual = count * quantile + (1.0 - quantile) - 1.0  # numpy's virtual index, linear method
        virtual = np.clip(virtual, 0.0, last)
        lo = np.floor(virtual).astype(np.int64)
        hi = np.minimum(lo + 1, last)
        t = virtual - lo
        a = v[np.minimum(starts + lo, len(v) - 1)]
        b = v[np.minimum(starts + hi, len(v) - 1)]
        d = b - a
        res = np.where(t >= 0.5, b - d * (1.0 - t), a + d * t)
        out.append(np.where(count > 0, res, np.nan))
    return count, out


def _means(keys: np.ndarray, values: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    count = np.bincount(keys, minlength=n_keys)
    total = np.bincount(keys, weights=values, minlength=n_keys) if len(values) else np.zeros(n_keys)
    with np.errstate(invalid="ignore", divide="ignore"):
        return count, np.where(count > 0, total / np.maximum(count, 1), np.nan)


def wait_stats(keys: np.ndarray, waits: np.ndarray, n_keys: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """(count, [mean, p50, p90, p95, max]) of ``waits`` per group ``keys`` (0 … n_keys-1):
    the values of :data:`WAIT_KPIS`, NaN for an empty group."""
    count, mean = _means(keys, waits, n_keys)
    _, (p50, p90, p95, mx) = _percentiles(keys, waits, n_keys, (50, 90, 95, 100))
    return count, [mean, p50, p90, p95, mx]


class _Rows:
    """KPI rows collected block by block: each :meth:`add` is one (kpi, group) with a value
    per replication of the batch, present in some or all of them."""

    def __init__(self, n_reps: int):
        self.n = n_reps
        self.names: list[tuple[str, str]] = []
        self.values: list[np.ndarray] = []
        self.present: list[np.ndarray | None] = []

    def add(self, kpi: str, group: str, values, present=None) -> None:
        """One (kpi, group) row per replication where ``present`` (default: all):
        ``values`` one number, or one per replication (so is ``present``)."""
        self.names.append((kpi, group))
        self.values.append(values)
        self.present.append(present)

    def columns(self, replications: np.ndarray) -> dict[str, np.ndarray]:
        """The rows as columns, by replication and, within one, in the order they were added."""
        if not self.names or not self.n:
            return {"replication": np.empty(0, np.int64), "kpi": np.empty(0, object), "group": np.empty(0, object),
                    "value": np.empty(0, float)}
        values = np.empty((len(self.names), self.n))  # (rows added, replications)
        present = np.ones(values.shape, dtype=bool)
        for i, (x, p) in enumerate(zip(self.values, self.present)):
            values[i] = x
            if p is not None:
                present[i] = p
        rep, which = np.nonzero(present.T)  # replication by replication, rows in order
        names = np.array(self.names, dtype=object)
        return {"replication": replications[rep].astype(np.int64), "kpi": names[which, 0], "group": names[which, 1],
                "value": values.T[rep, which]}


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, sorted distinct values) of a text column."""
    if len(values) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _intervals(records: list[ReplicationRecord], name: str, warm: float = 0.0) -> tuple[dict, np.ndarray]:
    """(columns, position of each row's replication in ``records``) of interval table
    ``name`` over the batch; with ``warm`` > 0, intervals cut to begin at the end of the
    warm-up (those ending before it dropped)."""
    cols = concat_columns([r.intervals[name] for r in records], name)
    rep = np.repeat(np.arange(len(records)), [len(r.intervals[name]["day"]) for r in records])
    if warm:
        keep = cols["end_min"] > warm
        cols = {c: v[keep] for c, v in cols.items()}
        cols["start_min"] = np.maximum(cols["start_min"], warm)
        rep = rep[keep]
    return cols, rep


def _wait_rows_of_two(rows: _Rows, reps: np.ndarray, waits: np.ndarray, first: np.ndarray,
                      labels: tuple[str, str]) -> None:
    """The wait KPIs (:data:`WAIT_KPIS`) of two groups of visits: ``labels[0]`` where
    ``first``, ``labels[1]`` elsewhere (``reps``: each visit's replication position)."""
    n_reps = rows.n
    count, stats = wait_stats(reps * 2 + np.where(first, 0, 1), waits, n_reps * 2)
    count = count.reshape(n_reps, 2)
    stats = [s_.reshape(n_reps, 2) for s_ in stats]
    for g, label in enumerate(labels):
        for kpi, stat in zip(WAIT_KPIS, stats):
            rows.add(kpi, label, stat[:, g], count[:, g] > 0)


def _mean_p90_rows(rows: _Rows, kpis: tuple[str, str], reps: np.ndarray, values: np.ndarray) -> None:
    """Rows ``kpis`` (mean, 90th percentile) of ``values`` per replication (group ``all``)."""
    c_, m_ = _means(reps, values, rows.n)
    _, (p90,) = _percentiles(reps, values, rows.n, (90,))
    rows.add(kpis[0], "all", m_, c_ > 0)
    rows.add(kpis[1], "all", p90, c_ > 0)


def _appointment_rows(rows: _Rows, v: dict, vrep: np.ndarray, called: np.ndarray, records, n: np.ndarray) -> None:
    """Waits of booked and walk-in visitors apart (groups ``booked`` / ``walk_in``), the
    booked share, no-shows and lapsed bookings (group ``booked``)."""
    n_reps = rows.n
    booked = v["booked"]
    _wait_rows_of_two(rows, vrep[called], v["wait_min"][called], booked[called], ("booked", "walk_in"))
    came = np.bincount(vrep, weights=~np.isnan(v["slot_min"]), minlength=n_reps)
    kept = np.bincount(vrep, weights=booked, minlength=n_reps)
    gone = np.array([r.no_shows for r in records], dtype=float)
    rows.add("booked_share", "booked", kept / np.maximum(n, 1), n > 0)
    rows.add("no_show_rate", "booked", gone / np.maximum(came + gone, 1), came + gone > 0)
    rows.add("booking_lapsed_rate", "booked", (came - kept) / np.maximum(came, 1), came > 0)


def _transfer_rows(rows: _Rows, v: dict, vrep: np.ndarray, n_days: int) -> None:
    """Visits sent on to later steps per day, and their waits there."""
    n_reps = rows.n
    sent = v["transfers"] > 0
    rows.add("transfers_per_day", "all", np.bincount(vrep, weights=sent, minlength=n_reps) / n_days)
    waits = v["transfer_wait_min"]
    ok = sent & ~np.isnan(waits)
    _mean_p90_rows(rows, ("transfer_wait_mean_min", "transfer_wait_p90_min"), vrep[ok], waits[ok])


def _helper_rows(rows: _Rows, v: dict, vrep: np.ndarray, called: np.ndarray, n_days: int) -> None:
    """Waits of elderly visitors with and without a helper (groups ``elderly_helped`` /
    ``elderly_alone``), helped visits per day and as a share of the elderly, asks that went
    unmet, and the wait for a helper."""
    n_reps = rows.n
    helped, elderly, asked = v["helped"], v["elderly"], v["asked_help"]
    old = called & elderly
    _wait_rows_of_two(rows, vrep[old], v["wait_min"][old], helped[old], ("elderly_helped", "elderly_alone"))
    n_helped = np.bincount(vrep, weights=helped, minlength=n_reps)
    n_old = np.bincount(vrep, weights=elderly, minlength=n_reps)
    n_asked = np.bincount(vrep, weights=asked, minlength=n_reps)
    # went on alone: asked, never joined, and got past waiting (not sent home while waiting)
    alone = asked & ~helped & (v["stage"] != "helper")
    rows.add("helped_visits_per_day", "all", n_helped / n_days)
    rows.add("helped_share", "elderly", n_helped / np.maximum(n_old, 1), n_old > 0)
    rows.add("help_unmet_rate", "elderly", np.bincount(vrep, weights=alone, minlength=n_reps) / np.maximum(n_asked, 1),
             n_asked > 0)
    waits = v["helper_wait_min"]
    ok = asked & ~np.isnan(waits)
    _mean_p90_rows(rows, ("helper_wait_mean_min", "helper_wait_p90_min"), vrep[ok], waits[ok])


def _helper_utilisation(rows: _Rows, st: dict, srep: np.ndarray, smins: np.ndarray) -> None:
    """Minutes helping / minutes at the helper post, over all helpers and per helper."""
    n_reps = rows.n
    at_post = np.isin(st["state"], ("helper", "helping"))
    helping = st["state"] == "helping"
    post = np.bincount(srep, weights=smins * at_post, minlength=n_reps)
    busy = np.bincount(srep, weights=smins * helping, minlength=n_reps)
    rows.add("helper_utilisation", "all", busy / np.where(post > 0, post, 1.0), post > 0)
    names = np.unique(st["staff"][at_post]) if at_post.any() else []
    for name in names:
        mine = st["staff"] == name
        p_ = np.bincount(srep, weights=smins * (at_post & mine), minlength=n_reps)
        b_ = np.bincount(srep, weights=smins * (helping & mine), minlength=n_reps)
        rows.add("helper_utilisation", f"staff:{name}", b_ / np.where(p_ > 0, p_, 1.0), p_ > 0)


# ---------------------------------------------------------------------------- batch
def batch_kpis(scenario, plans: list[DayPlan], records: list[ReplicationRecord]) -> pd.DataFrame:
    """The KPI rows (:data:`KPI_COLUMNS`) of every replication in ``records``, computed
    at once over the batch; each replication's rows in the order of :data:`KPIS`' blocks."""
    return pd.DataFrame(batch_kpi_columns(scenario, plans, records), columns=list(KPI_COLUMNS))


def batch_kpi_columns(scenario, plans: list[DayPlan], records: list[ReplicationRecord]) -> dict[str, np.ndarray]:
    """:func:`batch_kpis` as numpy columns (what workers send back), rows sorted by
    replication."""
    n_reps = len(records)
    rows = _Rows(n_reps)
    replications = np.array([r.replication for r in records], dtype=np.int64)
    if n_reps == 0:
        return rows.columns(replications)
    n_days = len(plans)
    continuous = scenario.continuous
    warm = scenario.run.warmup_min if continuous else 0.0

    # ------------------------------------------------------------------ visits
    visits = concat_columns([r.visits for r in records], "visits")
    vrep = np.repeat(np.arange(n_reps), [r.n_visits for r in records])
    keep = ~visits["in_warmup"]
    v = {c: a[keep] for c, a in visits.items()}
    vrep = vrep[keep]
    n = np.bincount(vrep, minlength=n_reps)
    rows.add("visitors_per_day", "all", n / n_days)
    outcome = v["outcome"]
    served = (outcome == "served") | (outcome == "served_kiosk")
    rows.add("served_per_day", "all", np.bincount(vrep, weights=served, minlength=n_reps) / n_days)

    called = ~np.isnan(v["ticket_min"]) & ~np.isnan(v["wait_min"])
    crep = vrep[called]
    w = v["wait_min"][called]
    elderly = v["elderly"][called]
    svc_codes, svc_names = _codes(v["service"][called])
    # groups: all, elderly, other, then each service (sorted): key = rep * G + group
    G = 3 + len(svc_names)
    keys = np.concatenate([crep * G, crep * G + np.where(elderly, 1, 2), crep * G + 3 + svc_codes])
    values = np.concatenate([w, w, w])
    count, stats = wait_stats(keys, values, n_reps * G)
    count = count.reshape(n_reps, G)
    stats = [s_.reshape(n_reps, G) for s_ in stats]
    for g, label in enumerate(["all", "elderly", "other", *(f"service:{x}" for x in svc_names)]):
        for kpi, stat in zip(WAIT_KPIS, stats):
            rows.add(kpi, label, stat[:, g], count[:, g] > 0)
    has_wait = count[:, 0] > 0
    over = np.bincount(crep, weights=w > wait_target_min(scenario), minlength=n_reps)
    with np.errstate(invalid="ignore", divide="ignore"):
        rows.add("share_wait_over_target", "all", over / np.maximum(count[:, 0], 1), has_wait)
        c_, m_ = _means(crep, v["ticket_min"][called] - v["arrival_min"][called], n_reps)
        rows.add("time_to_ticket_mean_min", "all", m_, c_ > 0)
        tis = v["time_in_system_min"]
        ok = ~np.isnan(tis)
        c_, m_ = _means(vrep[ok], tis[ok], n_reps)
        rows.add("time_in_system_mean_min", "all", m_, c_ > 0)
        iss = v["issuance_min"]
        ok = ~np.isnan(iss)
        c_, m_ = _means(vrep[ok], iss[ok], n_reps)
        _, (p90, mx) = _percentiles(vrep[ok], iss[ok], n_reps, (90, 100))
        for kpi, stat in (("issuance_mean_min", m_), ("issuance_p90_min", p90), ("issuance_max_min", mx)):
            rows.add(kpi, "all", stat, c_ > 0)
        any_visit = n > 0
        vel = v["elderly"]
        n_old = np.bincount(vrep, weights=vel, minlength=n_reps)
        n_young = n - n_old
        for kpi, name in _OUTCOME_KPIS:
            hit = outcome == name
            rows.add(kpi, "all", np.bincount(vrep, weights=hit, minlength=n_reps) / np.maximum(n, 1), any_visit)
            if kpi == "abandonment_rate":
                h_old = np.bincount(vrep, weights=hit & vel, minlength=n_reps)
                h_young = np.bincount(vrep, weights=hit & ~vel, minlength=n_reps)
                rows.add(kpi, "elderly", h_old / np.maximum(n_old, 1), any_visit & (n_old > 0))
                rows.add(kpi, "other", h_young / np.maximum(n_young, 1), any_visit & (n_young > 0))
    rows.add("repeat_visits_per_day", "all", np.bincount(vrep, weights=v["repeat"], minlength=n_reps) / n_days)
    rows.add("repeat_visits_pending", "all", np.array([r.repeats_pending for r in records], dtype=float))
    if "booked" in v:
        _appointment_rows(rows, v, vrep, called, records, n)
    if "transfers" in v:
        _transfer_rows(rows, v, vrep, n_days)
    if records[0].home_visit_waits is not None:
        done = np.array([len(r.home_visit_waits) for r in records], dtype=float)
        rows.add("home_visits_per_day", "all", done / n_days)
        rows.add("home_visit_wait_days_mean", "all",
                 [r.home_visit_waits.mean() if len(r.home_visit_waits) else np.nan for r in records], done > 0)
        rows.add("home_visits_pending", "all", np.array([r.home_visits_pending for r in records], dtype=float))
    if "helped" in v:
        _helper_rows(rows, v, vrep, called, n_days)

    # ------------------------------------------------------------------- queue
    last_dep = np.stack([r.last_departure_min for r in records])  # (reps, days)
    open_min = np.array([d.open_min for d in plans])
    close_min = np.array([d.close_min for d in plans])
    start = np.full(n_days, warm) if continuous else open_min
    end = np.maximum(close_min[None, :], last_dep)  # (reps, days)
    q, qrep = _intervals(records, "queue")
    day_pos = np.zeros(max((d.index for d in plans), default=0) + 1, dtype=np.int64)  # day index -> position in plans
    day_pos[[d.index for d in plans]] = np.arange(n_days)
    qday = day_pos[q["day"]]
    key = qrep * n_days + qday
    t = q["time_min"]
    x = q["waiting"].astype(float)
    e_k = end.ravel()[key]
    s_k = start[qday]
    nxt = np.empty(len(t))
    if len(t):
        nxt[:-1] = t[1:]
        last_of_group = np.ones(len(t), dtype=bool)
        last_of_group[:-1] = key[1:] != key[:-1]
        nxt[last_of_group] = e_k[last_of_group]
    lengths = np.clip(np.minimum(nxt, e_k) - np.maximum(t, s_k), 0.0, None)
    area = np.bincount(key, weights=x * lengths, minlength=n_reps * n_days).reshape(n_reps, n_days)
    has_rows = np.bincount(key, minlength=n_reps * n_days).reshape(n_reps, n_days) > 0
    span = end - start[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_q = np.where(has_rows & (span > 0), area / np.where(span > 0, span, 1.0), 0.0)
    rows.add("queue_mean", "all", mean_q.mean(axis=1))
    kept = t >= warm
    qmax = np.zeros(n_reps)
    if kept.any():
        np.maximum.at(qmax, qrep[kept], x[kept])
    rows.add("queue_max", "all", qmax)

    # ----------------------------------------------------------------- windows
    win, wrep = _intervals(records, "windows", warm)
    mins = win["end_min"] - win["start_min"]
    state = win["state"]
    serving, idle, empty = state == "serving", state == "idle", state == "empty"
    has_win = np.bincount(wrep, minlength=n_reps) > 0
    s_all = np.bincount(wrep, weights=mins * serving, minlength=n_reps)
    d_all = np.bincount(wrep, weights=mins * (serving | idle | empty), minlength=n_reps)
    with np.errstate(invalid="ignore", divide="ignore"):
        win_util = s_all / np.where(d_all > 0, d_all, 1.0)
    rows.add("window_utilisation", "all", win_util, has_win & (d_all > 0))
    wcodes, wids = _codes(win["window"])
    W = len(wids)
    k = wrep * W + wcodes
    s_w = np.bincount(k, weights=mins * serving, minlength=n_reps * W).reshape(n_reps, W)
    d_w = np.bincount(k, weights=mins * (serving | idle | empty), minlength=n_reps * W).reshape(n_reps, W)
    with np.errstate(invalid="ignore", divide="ignore"):
        u_w = s_w / np.where(d_w > 0, d_w, 1.0)
    for j, wid in enumerate(wids):
        rows.add("window_utilisation", f"window:{wid}", u_w[:, j], has_win & (d_w[:, j] > 0))
    # empty windows, plus the minutes the doors are open while no window is (one empty window each)
    rows.add("empty_window_min_per_day", "all",
             (np.where(has_win, np.bincount(wrep, weights=mins * empty, minlength=n_reps), 0.0)
              + no_window_open_min(scenario, plans)) / n_days)
    e_w = np.bincount(k, weights=mins * empty, minlength=n_reps * W).reshape(n_reps, W)
    pos = {wid: j for j, wid in enumerate(wids)}
    for sw in scenario.windows:
        j = pos.get(sw.id)
        rows.add("empty_window_min_per_day", f"window:{sw.id}", (e_w[:, j] if j is not None else 0.0) / n_days, has_win)
    cov = win["covered"].astype(bool) & (serving | idle)
    rows.add("covered_min_per_day", "all", np.bincount(wrep, weights=mins * cov, minlength=n_reps) / n_days, has_win)

    # ------------------------------------------------------------------- staff
    st, srep = _intervals(records, "staff")
    smins = st["end_min"] - st["start_min"]
    on = np.isin(st["state"], _ON_DUTY)
    sserv = np.isin(st["state"], _WORKING)
    has_staff = np.bincount(srep, minlength=n_reps) > 0
    on_all = np.bincount(srep, weights=smins * on, minlength=n_reps)
    sv_all = np.bincount(srep, weights=smins * sserv, minlength=n_reps)
    with np.errstate(invalid="ignore", divide="ignore"):
        util = np.where(has_staff, sv_all / np.where(on_all > 0, on_all, 1.0), win_util)
    fallback_ok = ~has_staff & has_win & (d_all > 0)
    rows_present = (has_staff & (on_all > 0)) | fallback_ok
    # without staff rows the window utilisation stands in (NaN when there is none)
    util = np.where(~has_staff & has_win & ~(d_all > 0), np.nan, util)
    rows_present = rows_present | (~has_staff & has_win)
    rows.add("staff_utilisation", "all", util, rows_present)
    pcodes, pnames = _codes(st["staff"])
    P = len(pnames)
    k = srep * P + pcodes
    o_p = np.bincount(k, weights=smins * on, minlength=n_reps * P).reshape(n_reps, P)
    v_p = np.bincount(k, weights=smins * sserv, minlength=n_reps * P).reshape(n_reps, P)
    with np.errstate(invalid="ignore", divide="ignore"):
        u_p = v_p / np.where(o_p > 0, o_p, 1.0)
    for j, name in enumerate(pnames):
        rows.add("staff_utilisation", f"staff:{name}", u_p[:, j], has_staff & (o_p[:, j] > 0))
    if scenario.helpers is not None:
        _helper_utilisation(rows, st, srep, smins)

    # ----------------------------------------------------------------- devices
    open_total = sum(e - s for d in plans for s, e in d.open_periods()) - warm
    dev, drep = _intervals(records, "devices", warm)
    dmins = dev["end_min"] - dev["start_min"]
    busy = dev["state"] == "busy"
    pools = {"printer": scenario.devices.instant_printers.count, "kiosk": scenario.devices.kiosks.count,
             **{name: count for name, count in scenario.devices.shared.items()}}
    unit_pool = np.array([u.rsplit("-", 1)[0] for u in dev["device"].tolist()], dtype=object)
    for pool, count in pools.items():
        if count <= 0 or open_total <= 0:
            continue
        hit = busy & (unit_pool == pool)
        rows.add("device_utilisation", f"device:{pool}",
                 np.bincount(drep, weights=dmins * hit, minlength=n_reps) / (count * open_total))

    # ------------------------------------------------------------- day's end
    if not continuous:
        rows.add("overtime_min_per_day", "all", np.maximum(0.0, last_dep - close_min[None, :]).mean(axis=1))
    if not continuous:
        first = int(open_min.min() // 60)
        last = np.maximum(last_dep.max(axis=1), close_min.max()) // 60
        hours = (v["departure_min"][served] // 60).astype(np.int64)
        hrep = vrep[served]
        top = int(last.max())
        H = top - first + 1
        ok = (hours >= first) & (hours <= top)
        counts = np.bincount(hrep[ok] * H + (hours[ok] - first), minlength=n_reps * H).reshape(n_reps, H)
        for h in range(first, top + 1):
            rows.add("throughput_per_hour", f"hour:{h:02d}", counts[:, h - first] / n_days, (n > 0) & (h <= last))
    return rows.columns(replications)
