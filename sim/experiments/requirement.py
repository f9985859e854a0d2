"""The requirement per period: how many attended windows each period of the day needs.

:func:`period_requirement` splits the opening day into periods (30 minutes by default,
clock-aligned as in :func:`sim.experiments.staffing.block_cuts`) and finds, by
simulation, the fewest windows attended in each period for which the visitors *arriving*
in it meet the per-period targets: the scenario's wait targets (mean wait
``sla.wait_mean_max_min``, 90th percentile ``sla.wait_p90_max_min``, elderly 90th
percentile ``sla.elderly_wait_p90_max_min``, abandonment ``sla.abandonment_rate_max``)
and, when asked, a delay probability (share of visitors who wait at all, ``delay_prob_max``).
Day-wide targets (on-the-spot issuance, empty-window minutes) are not per-period
targets: :mod:`sim.experiments.rostering` checks them on the roster.

**Method: the iterative staffing algorithm** (ISA) of Feldman, Mandelbaum, Massey & Whitt,
"Staffing of time-varying queues to achieve time-stable performance", *Management
Science* 54(2) (2008) 324–338, adapted to wait targets and run on common random numbers
(every round simulates the same seeds, so replication *r* always meets the same
visitors), one window at most removed per period and round. The hall is simulated with every open window attended (``staffing: always``),
``s_n(p)`` windows open in period *p* (:func:`sim.experiments.staffing.windows_variant`:
one general window first, then green windows, then the rest). From round *n* the number
``L`` of ticketed visitors at the windows (waiting or being served) that each arrival finds is
recorded, and the next staffing of each period is the smallest *s* whose predicted
targets hold for that distribution of ``L``, exactly as ISA sets
``s_{n+1}(t) = min{s : P(L_n(t) >= s) <= alpha}`` for a delay-probability target alpha:

- delay probability: P(L >= s);
- mean wait: E[max(L - s + 1, 0)] / (s·mu), and P(wait > tau) = E[P(Poisson(s·mu·tau) <= L - s)]
  (an arrival finding L >= s waits for L - s + 1 departures at rate s·mu: exact for
  exponential service, first come first served, at s = s_n);

with mu = 1 / the mean window time (:func:`sim.experiments.staffing.window_load`), and
never fewer windows than the period's offered load (rounded down) plus one. The
simulation then judges each period on its own visitors with the SLA's confidence
(:func:`sim.results.summary.judge_sla`): a period that misses a target (not met or
uncertain) gets at least one window more; a period that meets its targets never gets
more. The elderly 90th percentile and abandonment are judged by the simulation only.
The rounds stop when the staffing repeats with every period met; when the rounds cycle
(the prediction at s_n - 1 is optimistic, the simulation at s_n - 1 says no), the
elementwise largest staffing of the cycle is kept and raised only where the simulation
says so, which ends. ``max_windows`` caps a period (the hall's windows by default):
a period still missing at the cap is marked ``capped`` (the hall lacks windows).
Last (``trim``), each period in turn is tried with one window fewer and keeps it when
every period still meets its targets: the rounds move all periods at once, and a cycle's
largest staffing may hold a window some period can spare.

**References, beside it** (columns of :data:`REQUIREMENT_COLUMNS`): the same targets in
M/M/c by Erlang C (mean wait, 90 % wait, delay probability) with

- **SIPP** (stationary independent period by period): each period's mean arrival rate;
- **Lag-SIPP** (Green, Kolesar & Soares, "Improving the SIPP approach for staffing
  service systems that have cyclic demands", *Operations Research* 49(4) (2001)): the
  rate of the period shifted back by one mean window time;
- **MOL** (modified offered load; Jennings, Mandelbaum, Massey & Whitt 1996): the
  infinite-server offered load m(t) (m' = lambda(t) - mu·m), used as lambda = mu·m(t)
  minute by minute, the largest answer within the period.

The load offered to the windows counts the visitors who take a ticket and their mean
window time (:func:`sim.experiments.staffing.window_load`); all periods' rates are the
means over the simulated days (weekday factors included).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import numpy as np
import pandas as pd
from scipy.special import gammaincc

from sim.experiments import analytic
from sim.experiments.simulation import SimulationResult, simulate
from sim.experiments.staffing import (BLOCK_TARGETS, block_cuts, block_kpis, block_means, block_rates, erlang_c_windows,
                                      window_load, windows_variant)
from sim.results.summary import SLA_TARGETS, judge_sla, summarise
from sim.scenario.clock import format_minutes
from sim.scenario.schema import Scenario

__all__ = ["Requirement", "period_requirement", "REQUIREMENT_COLUMNS", "ROUND_COLUMNS", "PERIOD_TARGETS",
           "erlang_requirement", "period_kpis", "always_staffed", "arrival_loads", "predicted_windows",
           "judge_periods"]

PERIOD_TARGETS: dict[str, tuple[str, str, str]] = {
    **{k: SLA_TARGETS[k] for k in BLOCK_TARGETS},
    "delay_prob_max": ("delay_prob", "all", "share of visitors who wait ≤ {v:.0%}"),
}
"""The targets judged per period: limit name -> (kpi, group, label), as
:data:`sim.results.summary.SLA_TARGETS`. The first four are the scenario's SLA fields."""

P90_SHARE = 0.9
"""Share of visitors that must wait at most ``sla.wait_p90_max_min``."""

REQUIREMENT_COLUMNS = {
    "period_start": '"HH:MM" start of the period',
    "period_end": '"HH:MM" end of the period',
    "arrivals_per_hour": "expected arrivals per hour (demand profile, mean over the simulated days)",
    "offered_load": "load offered to the windows, erlangs (ticketed arrivals per minute x mean window minutes)",
    "required": "windows the period needs: the iterative staffing algorithm by simulation",
    "binding": "the target that sets the requirement (the one that fails with one window fewer)",
    "sipp": "SIPP: Erlang C with the period's mean rate",
    "lag_sipp": "Lag-SIPP: Erlang C with the rate one mean window time earlier",
    "mol": "MOL: Erlang C with the modified offered load, largest over the period's minutes",
    "disagree": "the references that differ from 'required', with their difference (e.g. 'SIPP -1')",
    "verdict": "met, not met, uncertain or no data: the period's targets in the last simulation",
    "capped": "True when the period misses its targets at the most windows allowed (the hall lacks windows)",
    "delay_prob": "simulated share of the period's visitors who waited at all",
    "wait_mean_min": "simulated mean wait of the period's visitors (minutes)",
    "wait_p90_min": "simulated 90th percentile wait (minutes), mean over replications",
    "elderly_wait_p90_min": "the same for elderly visitors (minutes)",
    "abandonment_rate": "simulated share of the period's arrivals who abandoned",
}
"""Columns of :attr:`Requirement.table`, one row per period."""

ROUND_COLUMNS = {
    "round": "round number (1-based)",
    "windows": "windows per period simulated in the round, comma-separated",
    "periods_missed": "periods whose targets were not met (or uncertain) in the round",
    "seconds": "run time of the round",
}
"""Columns of :attr:`Requirement.rounds`."""

MAX_ROUNDS = 30
"""At most this many simulated rounds."""


@dataclass(frozen=True)
class Requirement:
    """What :func:`period_requirement` found. ``cuts`` are the period boundaries (minutes);
    ``table`` has one row per period (:data:`REQUIREMENT_COLUMNS`); ``rounds`` one row per
    simulated round (:data:`ROUND_COLUMNS`); ``result`` the last round's simulation (the
    always-staffed hall at the requirement); ``targets`` the limits judged."""

    cuts: tuple[float, ...]
    table: pd.DataFrame
    rounds: pd.DataFrame
    result: SimulationResult
    targets: dict[str, float]
    max_windows: int
    seed: int
    reps: int
    period_min: float
    seconds: float

    @property
    def required(self) -> list[int]:
        return [int(x) for x in self.table["required"]]

    @property
    def met(self) -> bool:
        return bool(self.table["verdict"].isin(["met", "no data"]).all())


# ------------------------------------------------------------------- references
def erlang_requirement(lam: float, mean_service_min: float, targets: dict[str, float]) -> float:
    """Smallest *c* of M/M/c (rate ``lam`` per minute, mean service ``mean_service_min``)
    meeting the mean-wait, 90 % wait and delay-probability limits in ``targets`` (keys of
    :data:`PERIOD_TARGETS`; the others are not Erlang C targets); 0 without demand, NaN
    without any of the three targets."""
    delay = targets.get("delay_prob_max")
    mean, p90 = targets.get("wait_mean_max_min"), targets.get("wait_p90_max_min")
    if delay is None and mean is None and p90 is None:
        return math.nan
    if lam <= 0 or mean_service_min <= 0:
        return 0.0
    c = 1.0 if mean is None and p90 is None else erlang_c_windows(lam, mean_service_min, mean, p90)
    if delay is not None and math.isfinite(c):
        mu = 1.0 / mean_service_min
        c = max(c, math.floor(lam / mu) + 1.0)
        while analytic.erlang_c(int(c), lam, mu) > delay + 1e-12:
            c += 1.0
    return c


def _minute_rates(scenario: Scenario, lo: float, hi: float) -> np.ndarray:
    """Arrivals per minute in each minute of [lo, hi) (0 outside the opening hours)."""
    edges = list(np.arange(lo, hi + 0.5, 1.0))
    return block_rates(scenario, edges)


def references(scenario: Scenario, cuts: list[float], targets: dict[str, float]) -> dict[str, np.ndarray]:
    """Arrivals per hour, offered load and the SIPP, Lag-SIPP and MOL answers per period."""
    share, mean_s = window_load(scenario)
    rates = block_rates(scenario, cuts)
    lam = rates * share
    lag = mean_s
    lagged = block_rates(scenario, [c - lag for c in cuts]) * share
    lo, hi = cuts[0], cuts[-1]
    pad = math.ceil(5 * mean_s)
    minute = _minute_rates(scenario, lo - pad, hi) * share
    mu = 1.0 / mean_s if mean_s > 0 else math.inf
    decay = math.exp(-mu) if math.isfinite(mu) else 0.0
    m = np.zeros(len(minute))
    level = 0.0
    for k, r in enumerate(minute):  # m' = lambda - mu m, exact over a minute of constant rate
        level = level * decay + (r / mu) * (1 - decay) if math.isfinite(mu) else 0.0
        m[k] = level
    mol = []
    for a, b in zip(cuts, cuts[1:]):
        ks = range(int(a - lo + pad), int(b - lo + pad))
        answers = [erlang_requirement(m[k] * mu, mean_s, targets) for k in ks if m[k] > 1e-9]
        mol.append(max(answers) if answers else 0.0)
    return {
        "arrivals_per_hour": rates * 60.0,
        "offered_load": lam * mean_s,
        "sipp": np.array([erlang_requirement(x, mean_s, targets) for x in lam]),
        "lag_sipp": np.array([erlang_requirement(x, mean_s, targets) for x in lagged]),
        "mol": np.array(mol, dtype=float),
    }


# ------------------------------------------------------------------- simulation
def always_staffed(scenario: Scenario, days: int | None = None) -> Scenario:
    """The scenario with every open window attended (``staffing: always``): what the
    requirement is computed on; ``days`` overrides ``run.days``."""
    update = {"policies": scenario.policies.model_copy(update={"staffing": "always"})}
    if days is not None and not scenario.continuous:
        update["run"] = scenario.run.model_copy(update={"days": days})
    return scenario.model_copy(update=update)


def _period_of(cuts, t) -> np.ndarray:
    return np.clip(np.searchsorted(np.asarray(cuts), t, side="right") - 1, 0, len(cuts) - 2)


def arrival_loads(result: SimulationResult, cuts: list[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For every ticketed visit (warm-up left out): (period index, L, waited, elderly),
    where L is the number of other ticketed visitors at the windows (holding a ticket not
    yet called, or being served) at the moment it took its ticket, and ``waited`` is True
    when it was not called at once."""
    cols = result.tables.columns("visits")
    ticket = cols["ticket_min"]
    ok = ~np.isnan(ticket)
    t0 = ticket[ok]
    call = cols["call_min"][ok]
    end = np.where(np.isnan(call), t0 + cols["wait_min"][ok], cols["service_end_min"][ok])
    end = np.where(np.isnan(end), cols["departure_min"][ok], end)
    group = cols["replication"][ok].astype(np.int64) * 100_000 + cols["day"][ok].astype(np.int64)
    span = 1e6  # minutes: larger than any day or horizon
    start_key = group * span + t0
    end_key = group * span + end
    starts, ends = np.sort(start_key), np.sort(end_key)
    before = np.searchsorted(starts, start_key, side="left")  # others who took a ticket earlier
    left = np.searchsorted(ends, start_key, side="right")  # of which gone by now
    load = before - left
    waited = np.isnan(call) | (call - t0 > 1e-9)
    keep = ~cols["in_warmup"][ok]
    return _period_of(cuts, t0)[keep], load[keep], waited[keep], cols["elderly"][ok][keep]


def period_kpis(result: SimulationResult, cuts: list[float]) -> pd.DataFrame:
    """KPI rows (period, replication, kpi, group, value) of the visitors arriving in each
    period: :func:`sim.experiments.staffing.block_kpis` and the delay probability
    (``delay_prob``: share of ticketed visitors not called at once)."""
    rows = block_kpis(result, cuts).rename(columns={"block": "period"})
    cols = result.tables.columns("visits")
    ticket = cols["ticket_min"]
    ok = ~np.isnan(ticket) & ~cols["in_warmup"]
    call = cols["call_min"][ok]
    waited = np.isnan(call) | (call - ticket[ok] > 1e-9)
    period = _period_of(cuts, cols["arrival_min"][ok])
    reps = cols["replication"][ok]
    frame = pd.DataFrame({"period": period, "replication": reps, "waited": waited})
    delay = frame.groupby(["period", "replication"], sort=True)["waited"].mean().reset_index()
    delay = pd.DataFrame({"period": delay["period"], "replication": delay["replication"], "kpi": "delay_prob",
                          "group": "all", "value": delay["waited"].astype(float)})
    return pd.concat([rows, delay], ignore_index=True)


def judge_periods(kpis: pd.DataFrame, targets: dict[str, float], n_periods: int,
                  confidence: float) -> tuple[list[str], list[set[str]], list[dict]]:
    """(verdict, targets missed, simulated means) per period: the worst verdict of its
    targets (not met, uncertain, met; ``no data`` without visitors), the names of the
    targets not met or uncertain, and the means shown in the table."""
    limits = SimpleNamespace(**{k: targets.get(k) for k in PERIOD_TARGETS})
    verdicts, missed, figures = [], [], []
    by_period = dict(tuple(kpis.groupby("period", sort=True)))
    for p in range(n_periods):
        sub = by_period.get(p)
        if sub is None or sub.empty:
            verdicts.append("no data")
            missed.append(set())
            figures.append({})
            continue
        summary = summarise(sub, confidence)
        judged = judge_sla(limits, summary, PERIOD_TARGETS)
        bad = set(judged.loc[judged["verdict"].isin(["not met", "uncertain"]), "target"])
        vs = set(judged["verdict"])
        verdicts.append(next((v for v in ("not met", "uncertain", "met") if v in vs), "no data"))
        missed.append(bad)
        figures.append(block_means(summary))
    return verdicts, missed, figures


def predicted_windows(loads: np.ndarray, mean_s: float, targets: dict[str, float], cap: int) -> dict[str, int]:
    """For each of the delay, mean-wait and 90 % wait targets in ``targets``: the smallest
    s in 1..cap whose predicted value (see the module doc) for arrivals finding ``loads``
    holds (cap + 1 when none does)."""
    out: dict[str, int] = {}
    if len(loads) == 0 or mean_s <= 0:
        return out
    mu = 1.0 / mean_s
    L = loads.astype(float)
    checks: dict[str, Callable[[int], bool]] = {}
    if targets.get("delay_prob_max") is not None:
        checks["delay_prob_max"] = lambda s: float(np.mean(L >= s)) <= targets["delay_prob_max"] + 1e-12
    if targets.get("wait_mean_max_min") is not None:
        checks["wait_mean_max_min"] = lambda s: float(np.mean(np.maximum(L - s + 1, 0.0))) / (s * mu) \
            <= targets["wait_mean_max_min"] + 1e-12
    if targets.get("wait_p90_max_min") is not None:
        tau = targets["wait_p90_max_min"]

        def p90_ok(s: int) -> bool:
            k = L - s
            tail = np.where(k >= 0, gammaincc(np.maximum(k, 0) + 1.0, s * mu * tau), 0.0)
            return float(np.mean(tail)) <= 1 - P90_SHARE + 1e-12
        checks["wait_p90_max_min"] = p90_ok
    for name, ok in checks.items():
        out[name] = next((s for s in range(1, cap + 1) if ok(s)), cap + 1)
    return out


def _clock(minutes: float, continuous: bool) -> str:
    if continuous:
        whole = int(round(minutes))
        return f"{whole // 60:02d}:{whole % 60:02d}"
    return format_minutes(minutes)


def sla_targets(scenario: Scenario, delay_prob_max: float | None = None, use_sla: bool = True) -> dict[str, float]:
    """The per-period limits: the scenario's wait targets (unless ``use_sla`` is False) and
    ``delay_prob_max`` when given."""
    targets = {}
    if use_sla:
        targets = {k: getattr(scenario.sla, k) for k in BLOCK_TARGETS if getattr(scenario.sla, k) is not None}
    if delay_prob_max is not None:
        if not 0 <= delay_prob_max <= 1:
            raise ValueError(f"delay_prob_max must be a share in [0, 1] (got {delay_prob_max!r})")
        targets["delay_prob_max"] = float(delay_prob_max)
    return targets


def period_requirement(scenario: Scenario, period_min: float = 30.0, reps: int | None = None, seed: int = 0,
                       days: int | None = None, max_windows: int | None = None,
                       delay_prob_max: float | None = None, use_sla: bool = True, start: list[int] | None = None,
                       trim: bool = True, workers: int | None = 1, progress: Callable[[int, int], None] | None = None) -> Requirement:
    """The windows each period needs (see the module doc for the method).

    ``period_min``: period length (minutes); ``reps`` replications (default
    ``run.replications``) of ``days`` opening days (default ``run.days``) under ``seed``
    judge each round; ``max_windows`` caps a period (default: the hall's windows);
    ``delay_prob_max`` adds a delay-probability target; ``use_sla`` False judges that
    target alone; ``start`` is the first round's staffing (default: SIPP, at least 1);
    ``trim`` then tries one window fewer in each period in turn (one simulation each).
    ``progress(round, max_rounds)`` is called after each round."""
    if not period_min > 0 or not math.isfinite(period_min):
        raise ValueError(f"period_min must be > 0 minutes (got {period_min!r})")
    began = time.perf_counter()
    base = always_staffed(scenario, days)
    reps = base.run.replications if reps is None else reps
    if reps < 1:
        raise ValueError(f"reps must be >= 1 (got {reps})")
    cap = len(base.windows) if max_windows is None else int(max_windows)
    if cap < 1:
        raise ValueError(f"max_windows must be >= 1 (got {max_windows!r})")
    targets = sla_targets(base, delay_prob_max, use_sla)
    cuts = block_cuts(base, period_min)
    n = len(cuts) - 1
    refs = references(base, cuts, targets)
    _, mean_s = window_load(base)
    if start is None:
        s = [int(min(cap, max(1, x))) if math.isfinite(x) else 1 for x in refs["sipp"]]
    else:
        s = [int(min(cap, max(1, x))) for x in start]
    seen: list[tuple[int, ...]] = []
    floor = [1] * n  # after a cycle: never go below these
    floor_trim = [1] * n
    missed_at: dict[tuple[int, int], set[str]] = {}
    rounds = []
    while True:
        t0 = time.perf_counter()
        result = simulate(windows_variant(base, cuts, s), seed=seed, reps=reps, workers=workers)
        verdicts, missed, figures = judge_periods(period_kpis(result, cuts), targets, n, base.sla.confidence)
        for p in range(n):
            if missed[p]:
                missed_at[(p, s[p])] = missed[p]
        periods, loads, _, _ = arrival_loads(result, cuts)
        rounds.append((len(rounds) + 1, ",".join(map(str, s)), sum(1 for m in missed if m),
                       round(time.perf_counter() - t0, 3)))
        if progress:
            progress(len(rounds), MAX_ROUNDS)
        new = []
        for p in range(n):
            predicted = predicted_windows(loads[periods == p], mean_s, targets, cap)
            stable = math.floor(refs["offered_load"][p]) + 1  # fewer windows than the load cannot keep up
            rule = max(max(predicted.values(), default=s[p]), stable)
            nxt = max(rule, s[p] + 1) if missed[p] else max(min(rule, s[p]), s[p] - 1)
            new.append(int(min(cap, max(floor[p], 1, nxt))))
        key = tuple(s)
        if tuple(new) == key or len(rounds) >= MAX_ROUNDS:
            break  # equal only when every period is met or at the cap
        if tuple(new) in seen:  # a cycle: keep its largest staffing, raise only where the simulation says so
            cycle = seen[seen.index(tuple(new)):] + [key]
            floor = [max([f] + [st[p] for st in cycle]) for p, f in enumerate(floor)]
            new = [min(cap, max(f, x)) for f, x in zip(floor, new)]
            if tuple(new) == key:
                break
        seen.append(key)
        s = new
    if trim:  # one window fewer in one period at a time, kept when every period still meets its targets
        for p in range(n):
            stable = math.floor(refs["offered_load"][p]) + 1
            if s[p] <= max(1, stable, floor_trim[p]) or (missed[p] and s[p] >= cap) or len(rounds) >= MAX_ROUNDS:
                continue
            trial = [x - 1 if q == p else x for q, x in enumerate(s)]
            t0 = time.perf_counter()
            res_t = simulate(windows_variant(base, cuts, trial), seed=seed, reps=reps, workers=workers)
            v_t, m_t, f_t = judge_periods(period_kpis(res_t, cuts), targets, n, base.sla.confidence)
            rounds.append((len(rounds) + 1, ",".join(map(str, trial)), sum(1 for m in m_t if m),
                           round(time.perf_counter() - t0, 3)))
            if m_t[p]:
                missed_at[(p, trial[p])] = m_t[p]
            if all(not m_t[q] or (missed[q] and s[q] >= cap) for q in range(n)):
                s, result, verdicts, missed, figures = trial, res_t, v_t, m_t, f_t
        periods, loads, _, _ = arrival_loads(result, cuts)
    table = _table(base, cuts, s, refs, verdicts, missed, figures, loads, periods, mean_s, targets, cap, missed_at)
    return Requirement(tuple(cuts), table, pd.DataFrame.from_records(rounds, columns=list(ROUND_COLUMNS)), result,
                       targets, cap, seed, reps, float(period_min), time.perf_counter() - began)


def _table(base, cuts, s, refs, verdicts, missed, figures, loads, periods, mean_s, targets, cap, missed_at):
    rows = []
    for p in range(len(s)):
        predicted = predicted_windows(loads[periods == p], mean_s, targets, cap)
        below = missed_at.get((p, s[p] - 1))
        if below:
            binding = ", ".join(sorted(below))
        elif predicted and max(predicted.values()) >= s[p] > 1:
            binding = ", ".join(sorted(k for k, v in predicted.items() if v == max(predicted.values())))
        elif missed[p]:
            binding = ", ".join(sorted(missed[p]))
        elif s[p] <= max(1, math.floor(refs["offered_load"][p]) + 1):
            binding = "one window open" if s[p] == 1 else "offered load (fewer windows cannot keep up)"
        else:
            binding = "(not met with fewer when tried)"
        diffs = []
        for name, label in (("sipp", "SIPP"), ("lag_sipp", "Lag-SIPP"), ("mol", "MOL")):
            x = refs[name][p]
            if math.isfinite(x) and int(x) != s[p]:
                diffs.append(f"{label} {int(x) - s[p]:+d}")
        rows.append({
            "period_start": _clock(cuts[p], base.continuous),
            "period_end": _clock(cuts[p + 1], base.continuous),
            "arrivals_per_hour": refs["arrivals_per_hour"][p],
            "offered_load": refs["offered_load"][p],
            "required": s[p],
            "binding": binding,
            "sipp": refs["sipp"][p],
            "lag_sipp": refs["lag_sipp"][p],
            "mol": refs["mol"][p],
            "disagree": ", ".join(diffs),
            "verdict": verdicts[p],
            "capped": bool(missed[p]) and s[p] >= cap,
            **{k: figures[p].get(k, math.nan) for k in ("delay_prob", "wait_mean_min", "wait_p90_min",
                                                       "elderly_wait_p90_min", "abandonment_rate")},
        })
    return pd.DataFrame(rows, columns=list(REQUIREMENT_COLUMNS))
