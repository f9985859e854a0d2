"""Fitting a scenario's demand and service parts from a ticket table.

What is fitted (each with a 95 % interval where one is defined):

- **arrivals** — tickets issued per opening day (``demand.visitors_per_day``: the mean
  over the log's days), per weekday (``demand.weekday_factors``: the weekday's mean ÷ the
  overall mean) and per period of the day (``demand.hourly_profile``: relative rates per
  ``bin_min`` minutes). Only the first ticket of a visit counts (a transfer is not an
  arrival). The Poisson assumption is tested per hour as Kim & Whitt (2014) do: within a
  period whose rate is constant (a profile period), arrival times given their number are
  uniform, so their positions within the period, pooled over the hour's periods and the
  days, are compared with the uniform by Kolmogorov–Smirnov;
  over-dispersion is reported as the index of dispersion of the counts of an hour across
  days of the same weekday (1 for Poisson) with its chi-square test.
- **service mix** — shares of the services (``demand.service_mix``).
- **window time per service** — exponential, lognormal and gamma fitted by maximum
  likelihood; the lowest AIC is chosen unless its Kolmogorov–Smirnov p-value is below
  :data:`KS_REJECT` with at least :data:`EMPIRICAL_MIN_N` times, when the empirical
  distribution is used instead (its quantiles); times that (nearly) never vary are fixed. Elderly visitors' times are divided by
  the fitted ``elderly_multiplier`` (elderly mean ÷ others' mean, pooled over services)
  before fitting.
- **patience** — from censored waits: a visitor who left (过号 / 弃号) has a patience
  equal to the time until leaving (taken as the time the ticket was marked left); one
  who was called had a patience longer than the wait (right-censored). Exponential
  (rate = departures ÷ total waiting time), lognormal and gamma are fitted by censored
  maximum likelihood and chosen by AIC; the Kaplan–Meier curve is kept for the report.
  With no departures, patience is not fitted.
- **elderly share** (age or ID number present), **booked share** (booking flag present),
  the no-show and abandonment shares, the time from call to service start, and the
  windows and operators active per hour (reported, not written into the scenario).

:func:`fit_tickets` returns a :class:`Fit`; :func:`scenario_overrides` the mapping a
calibrated scenario lays over its hall file.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from sim.calibration.bookings import BookingFit, fit_bookings
from sim.calibration.logdays import LogDays, judge_days
from sim.calibration.notes import Note, Term
from sim.calibration.roster import RosterFit, infer_roster
from sim.calibration.tickets import LEFT
from sim.scenario.clock import format_minutes, to_minutes
from sim.scenario.schema import WEEKDAYS, Scenario

__all__ = ["Fit", "fit_tickets", "fit_times", "fit_patience", "kaplan_meier", "scenario_overrides",
           "KS_REJECT", "EMPIRICAL_MIN_N", "MIN_TIMES", "BIN_MIN", "Z95", "MIN_WEEKDAY_DAYS", "PROFILE_DIFFER_P",
           "window_occupancy"]

KS_REJECT = 0.01
"""A chosen parametric window-time fit with a KS p-value below this gives way to the empirical one."""

EMPIRICAL_MIN_N = 200
"""Fewest times for which the empirical distribution may be chosen."""

MIN_TIMES = 5
"""Fewest service times a service needs to be fitted (else the hall file's stays)."""

EMPIRICAL_POINTS = 200
"""Values an empirical window time keeps (quantiles of the observed times)."""

FIXED_CV = 1e-3
"""Times whose coefficient of variation is at most this are taken as fixed."""

BIN_MIN = 15
"""Width of the periods of the fitted hourly profile, minutes."""

Z95 = 1.959964
"""The 97.5 % normal quantile."""

MIN_WEEKDAY_DAYS = 4
"""Fewest days of a weekday for its own hourly rates (fewer: the weekday is pooled, said so)."""

PROFILE_DIFFER_P = 0.01
"""The weekdays' hourly profiles are said to differ when the chi-square test's p-value is below this."""


@dataclass(frozen=True)
class Fit:
    """What :func:`fit_tickets` found. Tables (pandas) and values:

    ``days`` (the log's dates, ``datetime.date``), ``volume`` (visitors_per_day with
    interval), ``weekdays`` (weekday, days, mean, factor, low, high), ``profile`` (period
    start ``HH:MM``, tickets, rate_per_hour, weight), ``poisson`` (hour, tickets, ks_stat,
    ks_p, dispersion, dispersion_p), ``mix`` (service, tickets, share, low, high),
    ``times`` (service, dist, params, mean, loglik, aic, ks_stat, ks_p, chosen, n),
    ``time_means`` (service, n, mean, low, high, chosen mean), ``patience`` (dist, params, mean,
    low, high, loglik, aic, chosen), ``km`` (time_min, survival, at_risk), ``shares``
    (figure, value, low, high, n), ``windows`` (window, days, first, last, tickets),
    ``notes`` (:class:`~sim.calibration.notes.Note`: English sentences that say themselves
    in Chinese too), and the scenario parts in ``overrides``;
    ``weekday_hours`` (weekday, hour, days, tickets, rate_per_hour, low, high, profile:
    ``own`` or ``pooled``) with ``profile_test`` (chi2, dof, p, weekdays, differ) — the test
    of whether the weekdays' hourly profiles differ; ``log_days`` (holidays and closed days,
    :class:`~sim.calibration.logdays.LogDays`), ``roster`` (window hours and staff,
    :class:`~sim.calibration.roster.RosterFit`), ``bookings``
    (:class:`~sim.calibration.bookings.BookingFit`, None without a booking flag) and
    ``call_to_start`` (minutes from call to service start of served tickets, empty when the
    log has no call or start times)."""

    days: list[dt.date]
    volume: dict[str, float]
    weekdays: pd.DataFrame
    profile: pd.DataFrame
    poisson: pd.DataFrame
    mix: pd.DataFrame
    times: pd.DataFrame
    time_means: pd.DataFrame
    patience: pd.DataFrame
    km: pd.DataFrame
    shares: pd.DataFrame
    windows: pd.DataFrame
    overrides: dict[str, Any]
    notes: list[Note] = field(default_factory=list)
    weekday_hours: pd.DataFrame = field(default_factory=pd.DataFrame)
    profile_test: dict[str, Any] = field(default_factory=dict)
    log_days: LogDays | None = None
    roster: RosterFit | None = None
    bookings: BookingFit | None = None
    call_to_start: np.ndarray = field(default_factory=lambda: np.empty(0))


def _interval_mean(x: np.ndarray) -> tuple[float, float, float]:
    m = float(np.mean(x))
    if len(x) < 2:
        return m, math.nan, math.nan
    h = float(stats.t.ppf(0.975, len(x) - 1) * np.std(x, ddof=1) / math.sqrt(len(x)))
    return m, m - h, m + h


def _share(k: int, n: int) -> tuple[float, float, float]:
    """A share with its Wilson 95 % interval."""
    if n == 0:
        return math.nan, math.nan, math.nan
    p = k / n
    z2 = Z95**2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


# ------------------------------------------------------------------ arrivals
def _open_span(hall: Scenario) -> tuple[float, float]:
    hours = [h for h in hall.hall.opening_hours.values() if h is not None]
    return min(to_minutes(h.open) for h in hours), max(to_minutes(h.close) for h in hours)


def _arrivals(first: pd.DataFrame, hall: Scenario, days: list[dt.date], bin_min: int,
              weekday_of: dict[dt.date, str] | None = None):
    counts = first.groupby("date").size().reindex(days, fill_value=0)
    n_days = len(days)
    mean = float(counts.mean())
    lo_hi = Z95 * math.sqrt(max(counts.var(ddof=1), mean) / n_days) if n_days > 1 else math.nan
    volume = {"visitors_per_day": mean, "low": mean - lo_hi, "high": mean + lo_hi, "days": n_days,
              "tickets": int(counts.sum())}
    weekday_of = weekday_of or {}
    wd = pd.Series([weekday_of.get(d, WEEKDAYS[d.weekday()]) for d in days], index=days)
    rows = []
    for name in WEEKDAYS:
        c = counts[wd.eq(name).to_numpy()]
        if len(c):
            m = float(c.mean())
            h = Z95 * math.sqrt(max(m, 1e-9) / len(c))  # Poisson interval of a mean count
            rows.append({"weekday": name, "days": len(c), "mean": m, "factor": m / mean if mean else math.nan,
                         "low": (m - h) / mean if mean else math.nan, "high": (m + h) / mean if mean else math.nan})
    weekdays = pd.DataFrame(rows, columns=["weekday", "days", "mean", "factor", "low", "high"])

    start, end = _open_span(hall)
    t = first["issued_min"].clip(lower=start, upper=end - 1e-6).to_numpy(float)
    edges = np.arange(start, end + bin_min, bin_min, dtype=float)
    edges[-1] = min(edges[-1], end) if edges[-1] > end else edges[-1]
    edges = np.unique(np.append(edges[edges < end], end))
    hist = np.histogram(t, bins=edges)[0]
    rate = hist / (np.diff(edges) * n_days) * 60
    weight = rate / rate.mean() if rate.mean() > 0 else np.ones_like(rate)
    profile = pd.DataFrame({"period": [format_minutes(e) for e in edges[:-1]], "tickets": hist,
                            "rate_per_hour": rate, "weight": weight})
    return counts, volume, weekdays, profile, edges


def _weekday_hours(first: pd.DataFrame, days: list[dt.date], weekday_of: dict[dt.date, str], start: float,
                   end: float) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Arrival rates per weekday × hour with exact (Garwood) Poisson 95 % intervals, and the
    chi-square test of homogeneity of the hourly counts across the weekdays that have at
    least :data:`MIN_WEEKDAY_DAYS` days (do their profiles differ in shape?). Weekdays with
    fewer days are listed with the pooled rates scaled to their volume (``profile`` pooled)."""
    hours = list(range(int(start // 60), int(math.ceil(end / 60))))
    wd_of = {d: weekday_of.get(d, WEEKDAYS[d.weekday()]) for d in days}
    tick_wd = first["date"].map(wd_of)
    tick_h = np.floor(first["issued_min"].to_numpy(float) / 60).astype(int)
    tick_h = np.clip(tick_h, hours[0], hours[-1])
    table = pd.crosstab(tick_wd.to_numpy(), tick_h).reindex(columns=hours, fill_value=0)
    n_days = pd.Series(wd_of).value_counts()
    pooled = table.sum(axis=0) / max(len(days), 1)
    own = [w for w in WEEKDAYS if n_days.get(w, 0) >= MIN_WEEKDAY_DAYS and w in table.index]
    rows = []
    for w in WEEKDAYS:
        k_days = int(n_days.get(w, 0))
        if not k_days:
            continue
        counts = table.loc[w] if w in table.index else pd.Series(0, index=hours)
        for h in hours:
            k = int(counts[h])
            if w in own:
                rate = k / k_days
            else:
                total = counts.sum() / k_days
                rate = float(pooled[h] / pooled.sum() * total) if pooled.sum() else 0.0
            low = stats.chi2.ppf(0.025, 2 * k) / 2 / k_days if k else 0.0
            high = stats.chi2.ppf(0.975, 2 * k + 2) / 2 / k_days
            rows.append({"weekday": w, "hour": f"{h:02d}:00", "days": k_days, "tickets": k, "rate_per_hour": rate,
                         "low": low, "high": high, "profile": "own" if w in own else "pooled"})
    out = pd.DataFrame(rows, columns=["weekday", "hour", "days", "tickets", "rate_per_hour", "low", "high", "profile"])
    test: dict[str, Any] = {"weekdays": own, "chi2": math.nan, "dof": 0, "p": math.nan, "differ": None,
                            "pooled": [w for w in WEEKDAYS if 0 < n_days.get(w, 0) < MIN_WEEKDAY_DAYS]}
    if len(own) >= 2:
        sub = table.loc[own]
        sub = sub.loc[:, sub.sum(axis=0) > 0]
        if sub.shape[1] >= 2:
            res = stats.chi2_contingency(sub.to_numpy())
            test.update(chi2=float(res.statistic), dof=int(res.dof), p=float(res.pvalue),
                        differ=bool(res.pvalue < PROFILE_DIFFER_P))
    return out, test


def window_occupancy(tickets: pd.DataFrame) -> pd.Series:
    """Minutes a window is held by each served ticket: from the call to the end when the log
    has both (the model has no walk from the call to the window: a called visitor is served
    at once, so the time from call to service start is part of the window time), else the
    service time."""
    held = tickets["end_min"] - tickets["called_min"]
    return held.where(held.notna() & (held >= tickets["service_min"].fillna(0) - 1e-9), tickets["service_min"])


def _poisson_tests(first: pd.DataFrame, days: list[dt.date], edges: np.ndarray) -> pd.DataFrame:
    """Per hour of the day: Kim & Whitt's test and the index of dispersion.

    Under the fitted model the rate is constant within each period of the profile
    (``edges``), so an arrival's position within its period, ``u = (t - start) / length``,
    is uniform; the ``u`` of every arrival of the hour's periods, pooled over days, are
    compared with the uniform by Kolmogorov–Smirnov. The dispersion is the chi-square
    statistic of the hour's counts across days of the same weekday over its degrees of
    freedom (1 for Poisson counts; above 1: over-dispersed)."""
    rows = []
    t = np.clip(first["issued_min"].to_numpy(float), edges[0], edges[-1] - 1e-6)
    k = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(edges) - 2)
    u = (t - edges[k]) / (edges[k + 1] - edges[k])
    hour = np.floor(t / 60).astype(int)
    for h in np.unique(hour):
        sel = hour == h
        ks = stats.kstest(u[sel], "uniform") if sel.sum() >= 5 else None
        per_day = first[sel].groupby("date").size().reindex(days, fill_value=0)
        chi2 = dof = 0.0
        for _wd, c in per_day.groupby([WEEKDAYS[d.weekday()] for d in per_day.index]):
            if len(c) > 1 and c.mean() > 0:
                chi2 += float(((c - c.mean()) ** 2).sum() / c.mean())
                dof += len(c) - 1
        rows.append({"hour": f"{h:02d}:00", "tickets": int(sel.sum()),
                     "ks_stat": ks.statistic if ks else math.nan, "ks_p": ks.pvalue if ks else math.nan,
                     "dispersion": chi2 / dof if dof else math.nan,
                     "dispersion_p": float(stats.chi2.sf(chi2, dof)) if dof else math.nan})
    return pd.DataFrame(rows, columns=["hour", "tickets", "ks_stat", "ks_p", "dispersion", "dispersion_p"])


# ------------------------------------------------------------------ service times
def _candidates(x: np.ndarray) -> list[dict]:
    """Exponential, lognormal and gamma fitted to ``x`` (> 0) by maximum likelihood."""
    out = []
    m = float(x.mean())
    out.append({"dist": "exponential", "spec": {"dist": "exponential", "mean": m},
                "loglik": float(stats.expon.logpdf(x, scale=m).sum()), "k": 1, "frozen": stats.expon(scale=m)})
    lx = np.log(x)
    mu, sigma = float(lx.mean()), float(lx.std(ddof=0))
    if sigma > 0:
        fz = stats.lognorm(s=sigma, scale=math.exp(mu))
        out.append({"dist": "lognormal", "spec": {"dist": "lognormal", "mean": float(fz.mean()),
                                                  "cv": float(math.sqrt(math.expm1(sigma**2)))},
                    "loglik": float(fz.logpdf(x).sum()), "k": 2, "frozen": fz})
        a, _loc, scale = stats.gamma.fit(x, floc=0)
        fz = stats.gamma(a, scale=scale)
        out.append({"dist": "gamma", "spec": {"dist": "gamma", "shape": float(a), "scale": float(scale)},
                    "loglik": float(fz.logpdf(x).sum()), "k": 2, "frozen": fz})
    for c in out:
        c["aic"] = 2 * c["k"] - 2 * c["loglik"]
        ks = stats.kstest(x, c["frozen"].cdf)
        c["ks_stat"], c["ks_p"] = float(ks.statistic), float(ks.pvalue)
    return out


def _round_spec(spec: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in spec.items()}


def fit_times(x: np.ndarray) -> tuple[dict, pd.DataFrame]:
    """(the chosen distribution as scenario data, the table of candidates) for service
    times ``x`` in minutes (values ≤ 0 are raised to one second)."""
    x = np.maximum(np.asarray(x, dtype=float), 1 / 60)
    if x.std() <= FIXED_CV * x.mean():
        mean = round(float(x.mean()), 4)
        return {"dist": "fixed", "value": mean}, pd.DataFrame([{
            "dist": "fixed", "params": {"value": mean}, "mean": mean, "loglik": math.nan, "aic": math.nan,
            "ks_stat": math.nan, "ks_p": math.nan, "chosen": True}])
    cands = _candidates(x)
    best = min(cands, key=lambda c: c["aic"])
    chosen = best["dist"]
    spec = _round_spec(best["spec"])
    if best["ks_p"] < KS_REJECT and len(x) >= EMPIRICAL_MIN_N:
        q = np.quantile(x, (np.arange(EMPIRICAL_POINTS) + 0.5) / EMPIRICAL_POINTS)
        spec = {"dist": "empirical", "values": [round(float(v), 3) for v in q]}
        chosen = "empirical"
    rows = [{"dist": c["dist"], "params": _round_spec({k: v for k, v in c["spec"].items() if k != "dist"}),
             "mean": float(c["frozen"].mean()), "loglik": c["loglik"], "aic": c["aic"], "ks_stat": c["ks_stat"],
             "ks_p": c["ks_p"], "chosen": c["dist"] == chosen} for c in cands]
    if chosen == "empirical":
        rows.append({"dist": "empirical", "params": {"values": len(spec["values"])}, "mean": float(x.mean()),
                     "loglik": math.nan, "aic": math.nan, "ks_stat": math.nan, "ks_p": math.nan, "chosen": True})
    return spec, pd.DataFrame(rows)


def _elderly_multiplier(served: pd.DataFrame) -> float | None:
    """Elderly time ÷ others' time, pooled over services (None when too few of either)."""
    known = served[served["elderly"].notna()]
    old = known[known["elderly"].astype(bool)]
    young = known[~known["elderly"].astype(bool)]
    if len(old) < 30 or len(young) < 30:
        return None
    means = young.groupby("service")["service_min"].mean()
    expected = old["service"].map(means)
    ok = expected.notna()
    if not ok.any() or expected[ok].sum() <= 0:
        return None
    return float(old.loc[ok, "service_min"].sum() / expected[ok].sum())


# ------------------------------------------------------------------ patience
def kaplan_meier(times: np.ndarray, events: np.ndarray) -> pd.DataFrame:
    """The Kaplan–Meier survival curve of censored ``times`` (``events`` True where the
    time is a departure): columns time_min, survival, at_risk, events."""
    times = np.asarray(times, float)
    events = np.asarray(events, bool)
    rows = [{"time_min": 0.0, "survival": 1.0, "at_risk": len(times), "events": 0}]
    s = 1.0
    for t in np.unique(times[events]):
        at_risk = int((times >= t).sum())
        d = int(((times == t) & events).sum())
        s *= 1 - d / at_risk
        rows.append({"time_min": float(t), "survival": s, "at_risk": at_risk, "events": d})
    return pd.DataFrame(rows)


def _censored_fit(dist: str, t: np.ndarray, e: np.ndarray) -> dict | None:
    """Lognormal or gamma fitted to censored times by maximum likelihood."""
    tt = np.maximum(t, 1 / 60)
    lt = np.log(tt[e])
    if dist == "lognormal":
        def make(p):
            return stats.lognorm(s=math.exp(p[1]), scale=math.exp(p[0]))
        x0 = [float(lt.mean()) if len(lt) else 0.0, math.log(max(float(lt.std()), 0.3)) if len(lt) > 1 else 0.0]
    else:
        def make(p):
            return stats.gamma(math.exp(p[0]), scale=math.exp(p[1]))
        mean0 = float(tt.sum() / max(e.sum(), 1))
        x0 = [0.0, math.log(mean0)]

    def nll(p):
        fz = make(p)
        ll = fz.logpdf(tt[e]).sum() + fz.logsf(tt[~e]).sum()
        return -ll if np.isfinite(ll) else 1e300

    res = optimize.minimize(nll, x0, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 2000})
    if not res.success and not np.isfinite(res.fun):
        return None
    fz = make(res.x)
    spec = ({"dist": "lognormal", "mean": float(fz.mean()), "cv": float(fz.std() / fz.mean())} if dist == "lognormal"
            else {"dist": "gamma", "shape": float(math.exp(res.x[0])), "scale": float(math.exp(res.x[1]))})
    if not all(np.isfinite(v) and v > 0 for k, v in spec.items() if k != "dist"):
        return None
    return {"dist": dist, "spec": spec, "loglik": -float(res.fun), "k": 2, "mean": float(fz.mean())}


def fit_patience(t: np.ndarray, e: np.ndarray) -> tuple[dict | None, pd.DataFrame, pd.DataFrame]:
    """(the chosen patience as scenario data or None, candidates table, Kaplan–Meier)
    from waits ``t`` (minutes) and ``e`` (True: the visitor left at that time)."""
    t = np.asarray(t, float)
    e = np.asarray(e, bool)
    km = kaplan_meier(t, e)
    d, total = int(e.sum()), float(t.sum())
    cols = ["dist", "params", "mean", "low", "high", "loglik", "aic", "chosen"]
    if d == 0 or total <= 0:
        return None, pd.DataFrame(columns=cols), km
    rate = d / total
    tt = np.maximum(t, 1 / 60)
    ll_exp = d * math.log(rate) - rate * tt.sum() + 0.0
    low = 2 * total / stats.chi2.ppf(0.975, 2 * d)
    high = 2 * total / stats.chi2.ppf(0.025, 2 * d)
    cands = [{"dist": "exponential", "spec": {"dist": "exponential", "mean": 1 / rate}, "loglik": ll_exp, "k": 1,
              "mean": 1 / rate, "low": low, "high": high}]
    if d >= 10:
        for name in ("lognormal", "gamma"):
            c = _censored_fit(name, t, e)
            if c is not None:
                cands.append({**c, "low": math.nan, "high": math.nan})
    for c in cands:
        c["aic"] = 2 * c["k"] - 2 * c["loglik"]
    best = min(cands, key=lambda c: c["aic"])
    rows = [{"dist": c["dist"], "params": _round_spec({k: v for k, v in c["spec"].items() if k != "dist"}),
             "mean": c["mean"], "low": c["low"], "high": c["high"], "loglik": c["loglik"], "aic": c["aic"],
             "chosen": c is best} for c in cands]
    return _round_spec(best["spec"]), pd.DataFrame(rows, columns=cols), km


# ------------------------------------------------------------------ windows
def _clock(minutes) -> str:
    """HH:MM of ``minutes`` since midnight; "–" when unknown (a log without service times)."""
    return format_minutes(float(minutes)) if pd.notna(minutes) else "–"


def _windows(served: pd.DataFrame) -> pd.DataFrame:
    w = served[served["window"].ne("")]
    if w.empty:
        return pd.DataFrame(columns=["window", "days", "first", "last", "tickets", "operators"])
    g = w.groupby(["window", "date"]).agg(first=("start_min", "min"), last=("end_min", "max"), n=("ticket", "size"))
    rows = []
    for window, sub in g.groupby(level=0):
        ops = w.loc[w["window"].eq(window), "staff"]
        rows.append({"window": window, "days": len(sub), "first": _clock(sub["first"].median()),
                     "last": _clock(sub["last"].median()), "tickets": int(sub["n"].sum()),
                     "operators": int(ops[ops.ne("")].nunique())})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ the whole fit
def fit_tickets(tickets: pd.DataFrame, hall: Scenario, bin_min: int = BIN_MIN, missed: pd.DataFrame | None = None,
                slot_known: bool = False) -> Fit:
    """Fit the demand and service parts of ``hall`` from ``tickets`` (the ticket table);
    tickets whose service matches none of the hall's are left out (the reader reports them).
    ``missed`` are the log's missed bookings (:attr:`sim.calibration.logs.ReadLog.missed`),
    ``slot_known`` whether it has slot times. Tickets on dates the chosen calendar keeps
    closed are left out (said in the notes)."""
    notes: list[Note] = []
    known = tickets[tickets["service"].notna()]
    if known.empty:
        raise ValueError("no ticket of the log names a service of the hall file")
    log_days = judge_days(sorted(set(known["date"])), hall)
    notes += log_days.notes
    known = known[known["date"].isin(set(log_days.simulated))] if log_days.simulated else known
    first = known[known["first"]]
    days = sorted(set(known["date"]))
    bookings = None
    demand_first = first
    if first["booked"].notna().any():
        bookings = fit_bookings(first, missed, hall, slot_known, _share, fit_times, MIN_TIMES)
        notes += bookings.notes
        if missed is not None and len(missed) and bookings.appointments is not None:
            gone = missed[missed["service"].notna() & missed["date"].isin(set(days))]
            demand_first = pd.concat([first, gone.assign(issued_min=gone["slot_min"], first=True)], ignore_index=True)
    counts, volume, weekdays, profile, edges = _arrivals(demand_first, hall, days, bin_min, log_days.weekday_of)
    poisson = _poisson_tests(first, days, edges)
    start, end = _open_span(hall)
    weekday_hours, profile_test = _weekday_hours(demand_first, days, log_days.weekday_of, start, end)
    if profile_test["pooled"]:
        notes.append(Note("caln.weekdays_pooled", min=MIN_WEEKDAY_DAYS,
                          weekdays=tuple(Term(w, f"weekday.{w}") for w in profile_test["pooled"])))
    differ = profile_test["differ"]
    if differ is None:
        notes.append(Note("caln.profile_pooled"))
    else:
        notes.append(Note("caln.profile_pooled_differ" if differ else "caln.profile_pooled_same",
                          chi2=profile_test["chi2"], dof=profile_test["dof"], p=profile_test["p"]))

    mix_n = demand_first["service"].value_counts()
    mix = pd.DataFrame([{"service": s, "tickets": int(k), **dict(zip(("share", "low", "high"), _share(int(k), len(demand_first))))}
                        for s, k in mix_n.items()])

    served = known[known["outcome"].isin(["served", "transferred"]) & known["service_min"].notna()]
    call_start = (served["start_min"] - served["called_min"]).dropna().clip(lower=0)
    held = window_occupancy(served)
    if len(call_start) and call_start.mean() > 0:
        notes.append(Note("caln.call_to_start", mean=float(call_start.mean()), n=len(call_start)))
    served = served.assign(service_min=held)
    mult = _elderly_multiplier(served)
    if mult is None:
        notes.append(Note("caln.no_elderly_multiplier"))
    time_rows, mean_rows, service_specs = [], [], {}
    for svc, sub in served.groupby("service"):
        x = sub["service_min"].to_numpy(float)
        if mult is not None:
            x = np.where(sub["elderly"].fillna(False).to_numpy(bool), x / mult, x)
        if len(x) < MIN_TIMES:
            notes.append(Note("caln.few_times", service=svc, n=len(x)))
            continue
        spec, table = fit_times(x)
        service_specs[svc] = spec
        time_rows.append(table.assign(service=svc, n=len(x)))
        m, lo, hi = _interval_mean(np.maximum(x, 1 / 60))
        mean_rows.append({"service": svc, "n": len(x), "mean": m, "low": lo, "high": hi, "chosen": spec["dist"]})
    times = pd.concat(time_rows, ignore_index=True) if time_rows else pd.DataFrame()
    time_means = pd.DataFrame(mean_rows, columns=["service", "n", "mean", "low", "high", "chosen"])

    waited = known[known["wait_min"].notna() & known["outcome"].isin(["served", "transferred", *LEFT])]
    pat_spec, patience, km = fit_patience(waited["wait_min"].clip(lower=0).to_numpy(float),
                                          waited["outcome"].isin(LEFT).to_numpy())
    if pat_spec is None:
        notes.append(Note("caln.no_patience"))

    share_rows = []
    for name, mask in (("no_show_share", known["outcome"].eq("no_show")),
                       ("abandoned_share", known["outcome"].eq("abandoned")),
                       ("left_share", known["outcome"].isin(LEFT)),
                       ("transferred_share", known["outcome"].eq("transferred")),
                       ("unserved_share", known["outcome"].eq("unserved"))):
        share_rows.append({"figure": name, "n": len(known), **dict(zip(("value", "low", "high"),
                                                                        _share(int(mask.sum()), len(known))))})
    age_known = first[first["elderly"].notna()]
    elderly = _share(int(age_known["elderly"].astype(bool).sum()), len(age_known)) if len(age_known) else None
    if elderly:
        share_rows.append({"figure": "elderly_share", "n": len(age_known),
                           **dict(zip(("value", "low", "high"), elderly))})
    else:
        notes.append(Note("caln.no_ages"))
    booked = first[first["booked"].notna()]
    if len(booked):
        share_rows.append({"figure": "booked_share", "n": len(booked),
                           **dict(zip(("value", "low", "high"), _share(int(booked["booked"].astype(bool).sum()),
                                                                        len(booked))))})
    if len(call_start):
        m, lo, hi = _interval_mean(call_start.to_numpy(float))
        share_rows.append({"figure": "call_to_start_min", "n": len(call_start), "value": m, "low": lo, "high": hi})
    shares = pd.DataFrame(share_rows, columns=["figure", "value", "low", "high", "n"])
    if mult is not None:
        shares = pd.concat([shares, pd.DataFrame([{"figure": "elderly_multiplier", "value": mult, "low": math.nan,
                                                   "high": math.nan, "n": len(served)}])], ignore_index=True)

    roster = infer_roster(known, hall)
    notes += roster.notes
    overrides = scenario_overrides(hall, volume, weekdays, profile, mix, service_specs, mult, pat_spec,
                                   elderly[0] if elderly else None, log_days, roster,
                                   bookings.appointments if bookings else None)
    return Fit(days, volume, weekdays, profile, poisson, mix, times, time_means, patience, km, shares,
               _windows(served), overrides, notes, weekday_hours, profile_test, log_days, roster, bookings,
               call_start.to_numpy(float))


def scenario_overrides(hall: Scenario, volume, weekdays, profile, mix, service_specs, mult, patience, elderly,
                       log_days: LogDays, roster: RosterFit | None = None,
                       appointments: dict[str, Any] | None = None) -> dict[str, Any]:
    """The mapping a calibrated scenario lays over its hall file: only fitted parts, plus
    what makes the model count what a ticket log counts (kiosk choice and missing
    documents off: the log holds window tickets, return visits included)."""
    demand: dict[str, Any] = {
        "visitors_per_day": round(volume["visitors_per_day"], 3),
        "weekday_factors": {r.weekday: round(r.factor, 4) for r in weekdays.itertuples()},
        "hourly_profile": {r.period: round(float(r.weight), 4) for r in profile.itertuples()},
        "service_mix": {s: 0.0 for s in hall.demand.service_mix} | {r.service: round(r.share, 5) for r in mix.itertuples()},
        "kiosk_preference": 0.0,
        "elderly_kiosk_preference": 0.0,
    }
    if elderly is not None:
        demand["elderly_share"] = round(elderly, 4)
    services: dict[str, Any] = {s: {"missing_docs_prob": 0.0} for s in hall.services}
    for svc, spec in service_specs.items():
        services[svc]["window_time"] = spec
        if mult is not None:
            services[svc]["elderly_multiplier"] = round(mult, 4)
    out: dict[str, Any] = {"demand": demand, "services": services}
    if patience is not None:
        out["policies"] = {"patience": patience}
    if appointments is not None:
        out["appointments"] = appointments
    if roster is not None and roster.scenario_windows is not None:
        out["windows"] = roster.scenario_windows
    if roster is not None and roster.scenario_staff is not None:
        out["staff"] = roster.scenario_staff
    simulated = log_days.simulated
    out["run"] = {"start_date": simulated[0].isoformat(), "days": max(len(simulated), 1),
                  "calendar": log_days.calendar,
                  "closed_dates": sorted({*map(str, hall.run.closed_dates), *(d.isoformat() for d in log_days.closed)})}
    return out
