"""Staffing search: the fewest open windows per block of the day that meet the SLA.

:func:`staffing_search` splits the opening day into blocks (default 60 minutes, aligned
to the clock: 08:30-09:00, 09:00-10:00, ...), takes each block's arrival rate from the
scenario's demand profile (:func:`sim.arrivals.rate_pieces`, averaged over the simulated
days), and puts the analytic figure beside it:

- **Erlang C**: the smallest number of windows *c* of an M/M/c queue with that block's
  load for which the mean wait is within ``sla.wait_mean_max_min`` and
  P(wait ≤ ``sla.wait_p90_max_min``) ≥ 90 %;
- **Erlang A** (only when ``policies.patience`` is set; its mean stands for an
  exponential patience): the smallest *c* of M/M/c+M whose abandonment is within
  ``sla.abandonment_rate_max`` and whose served visitors' mean wait is within
  ``sla.wait_mean_max_min``.

The load offered to the windows counts only visitors who take a ticket (not those served
at a kiosk or sent away by the guide desk) and their mean window time (elderly
multiplier, shortened visits that lack documents); return visits are left out. It is a
reference: the hall is not a steady-state queue.

The search itself is by simulation on common random numbers (every evaluation runs the
same seeds, so replication *r* always meets the same visitors): start from the analytic
figure minus one (at least one window), simulate, and add a window to every block whose
wait targets are not **met** with the SLA's confidence (``sla.confidence``; verdicts of
:func:`sim.summary.judge_sla`), until all are met; then try one window fewer in each
block with slack, keeping the change when every block is still met. A block is judged on
the visitors *arriving* in it: mean wait (``wait_mean_max_min``), 90th percentile wait
(``wait_p90_max_min``), elderly 90th percentile (``elderly_wait_p90_max_min``) and
abandonment (``abandonment_rate_max``); day-wide targets (issuance, empty windows) are
judged on the final variant (:attr:`StaffingPlan.result`).

The result is a scenario variant: windows open per block through ``windows[i].hours``
(green windows open second, after one general window; windows beyond the hall's are
copies of its first general window) and, for ``staffing: roster``, staff shifts that
follow the windows' hours (each window's A keeps name, B post, absences and the breaks
that fall in the new shift; a window that reopens later gets a second person
``<name>_2``; guide-desk staff and floaters are kept). A continuous (textbook) scenario
is one block: the variant has that many windows.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from sim.experiments import analytic
from sim.scenario.days import day_plans, rate_pieces
from sim.scenario.clock import format_minutes, to_minutes
from sim.experiments.simulation import SimulationResult, simulate
from sim.results.kpis import WAIT_KPIS, wait_stats
from sim.scenario.loader import scenario_to_dict, scenario_to_yaml, validate
from sim.results.files import now_iso
from sim.scenario.schema import Scenario
from sim.scenario.visits import HELPER_POST
from sim.results.summary import judge_sla, summarise
from sim.scenario.checks import service_load

__all__ = ["StaffingPlan", "staffing_search", "BLOCK_COLUMNS", "HISTORY_COLUMNS", "BLOCK_TARGETS", "block_rates", "block_cuts",
           "block_kpis", "block_means", "judge_blocks", "windows_variant", "opening_order",
           "erlang_c_windows", "erlang_a_windows", "window_load"]

BLOCK_COLUMNS = {
    "block_start": 'start of the block, "HH:MM" (continuous runs: hours:minutes since the start)',
    "block_end": 'end of the block, "HH:MM"',
    "arrivals_per_hour": "expected arrivals per hour in the block, from the demand profile (mean over the simulated days)",
    "offered_load": "load offered to the windows, in erlangs (ticketed arrivals per minute x mean window minutes)",
    "windows": "windows open in the block in the proposed variant",
    "staff": "staff on shift at the block's midpoint in the variant (always-staffed halls: the windows)",
    "erlang_c_windows": "smallest c meeting the mean-wait and 90 % wait targets in M/M/c (Erlang C)",
    "erlang_a_windows": "smallest c meeting the abandonment and served mean-wait targets in M/M/c+M (Erlang A); NaN without patience",
    "verdict": "met, not met, uncertain or no data: the block's wait targets in the variant's last simulation",
    "simulated_arrivals_per_hour": "arrivals per hour simulated in the block (return visits included)",
    "wait_mean_min": "simulated mean wait of visitors arriving in the block (minutes)",
    "wait_p90_min": "simulated 90th percentile wait of those visitors (minutes), mean over replications",
    "elderly_wait_p90_min": "the same for elderly visitors (minutes)",
    "abandonment_rate": "share of the block's arrivals that abandoned the queue",
}
"""Columns of :attr:`StaffingPlan.blocks`, one row per block."""

HISTORY_COLUMNS = {
    "step": "evaluation number (1-based)",
    "phase": "start, add (windows added to failing blocks) or remove (one window fewer in one block)",
    "windows": "windows per block tried, comma-separated",
    "all_met": "True when every block's wait targets were met",
    "kept": "True when the search kept this staffing",
}
"""Columns of :attr:`StaffingPlan.history`, one row per simulated staffing."""

BLOCK_TARGETS = ("wait_mean_max_min", "wait_p90_max_min", "elderly_wait_p90_max_min", "abandonment_rate_max")
"""SLA fields judged per block (the others are judged on the whole day)."""

P90_SHARE = 0.9
"""Share of visitors that must wait at most ``sla.wait_p90_max_min`` (the 90th percentile)."""

SIMULATED = ("simulated_arrivals_per_hour", "wait_mean_min", "wait_p90_min", "elderly_wait_p90_min",
             "abandonment_rate")
"""The columns of :data:`BLOCK_COLUMNS` measured in the variant's last simulation."""

MAX_STEPS = 60
"""At most this many simulated staffings in one search."""


@dataclass(frozen=True)
class StaffingPlan:
    """What :func:`staffing_search` found.

    ``blocks`` has one row per block (columns :data:`BLOCK_COLUMNS`); ``scenario`` is the
    variant (a validated :class:`Scenario`) and ``yaml`` its file text with a header
    comment; ``result`` the variant's last simulation (day-wide KPIs, SLA verdicts);
    ``history`` every staffing tried (:data:`HISTORY_COLUMNS`)."""

    blocks: pd.DataFrame
    scenario: Scenario
    yaml: str
    base: Scenario
    result: SimulationResult
    history: pd.DataFrame
    seed: int
    reps: int
    block_min: float
    seconds: float

    @property
    def met(self) -> bool:
        """True when every block's wait targets are met (or have no data)."""
        return bool(self.blocks["verdict"].isin(["met", "no data"]).all())


# ----------------------------------------------------------------- blocks and load
def block_cuts(scenario: Scenario, block_min: float) -> list[float]:
    """Block boundaries in minutes: clock-aligned multiples of ``block_min`` between the
    earliest opening and the latest closing of the simulated days (continuous: one block
    from the end of the warm-up to the horizon)."""
    if scenario.continuous:
        return [float(scenario.run.warmup_min), float(scenario.run.horizon_min)]
    plans = day_plans(scenario)
    lo, hi = min(d.open_min for d in plans), max(d.close_min for d in plans)
    cuts = [lo]
    t = (math.floor(lo / block_min) + 1) * block_min
    while t < hi - 1e-9:
        cuts.append(float(t))
        t += block_min
    return cuts + [hi]


def block_rates(scenario: Scenario, cuts: list[float]) -> np.ndarray:
    """Expected arrivals per minute in each block ``[cuts[i], cuts[i+1])``: the demand
    profile's piecewise rate (:func:`sim.arrivals.rate_pieces`) averaged over the
    simulated days (weekday factors and closed lunch included)."""
    plans = day_plans(scenario)
    rates = np.zeros(len(cuts) - 1)
    for day in plans:
        for lo, hi, rate in rate_pieces(scenario, day):
            for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
                overlap = min(hi, b) - max(lo, a)
                if overlap > 0:
                    rates[i] += rate * overlap / (b - a)
    return rates / len(plans)


def window_load(scenario: Scenario) -> tuple[float, float]:
    """(share of arrivals that take a ticket, mean window minutes of a ticketed visit's first
    step), over the service mix (:func:`sim.scenario.checks.service_load`: visitors served
    at a kiosk and those the guide desk sends away leave out; a visit that lacks documents
    at the window lasts its ``rejection_fraction``)."""
    mix = {k: w for k, w in scenario.demand.service_mix.items() if w > 0}
    total = sum(mix.values())
    share = work = 0.0
    for svc, weight in mix.items():
        ticket, first, _later = service_load(scenario, svc)
        share += weight / total * ticket
        work += weight / total * first
    return share, (work / share if share > 0 else 0.0)


def _smallest(c0: int, ok: Callable[[int], bool], limit: int = 10_000) -> float:
    for c in range(max(1, c0), limit):
        if ok(c):
            return float(c)
    return math.nan


def erlang_c_windows(lam: float, mean_service_min: float, wait_mean_max_min: float | None,
                     wait_p90_max_min: float | None) -> float:
    """Smallest *c* of M/M/c (arrival rate ``lam`` per minute, exponential service of mean
    ``mean_service_min`` minutes) with mean wait ≤ ``wait_mean_max_min`` and
    P(wait > ``wait_p90_max_min``) ≤ 10 % (Erlang C); 0 without demand, NaN without targets."""
    if wait_mean_max_min is None and wait_p90_max_min is None:
        return math.nan
    if lam <= 0 or mean_service_min <= 0:
        return 0.0
    mu = 1.0 / mean_service_min

    def ok(c: int) -> bool:
        if lam >= c * mu:
            return False
        if wait_mean_max_min is not None and analytic.mmc_wait(c, lam, mu) > wait_mean_max_min + 1e-12:
            return False
        if wait_p90_max_min is not None and analytic.mmc_wait_tail(c, lam, mu, wait_p90_max_min) > 1 - P90_SHARE + 1e-12:
            return False
        return True

    return _smallest(int(lam / mu), ok)


def erlang_a_windows(lam: float, mean_service_min: float, mean_patience_min: float | None,
                     abandonment_rate_max: float | None, wait_mean_max_min: float | None) -> float:
    """Smallest *c* of M/M/c+M (patience exponential with mean ``mean_patience_min``) with
    abandonment ≤ ``abandonment_rate_max`` and the served visitors' mean wait ≤
    ``wait_mean_max_min`` (Erlang A); NaN without patience or targets, 0 without demand."""
    if mean_patience_min is None or (abandonment_rate_max is None and wait_mean_max_min is None):
        return math.nan
    if lam <= 0 or mean_service_min <= 0:
        return 0.0
    mu, theta = 1.0 / mean_service_min, 1.0 / mean_patience_min

    def ok(c: int) -> bool:
        ea = analytic.erlang_a(c, lam, mu, theta)
        if abandonment_rate_max is not None and ea["p_abandon"] > abandonment_rate_max + 1e-12:
            return False
        return wait_mean_max_min is None or ea["wait_mean_served"] <= wait_mean_max_min + 1e-12

    return _smallest(1, ok)


def _references(scenario: Scenario, rates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(offered load in erlangs, Erlang C windows, Erlang A windows) per block."""
    share, minutes = window_load(scenario)
    sla, patience = scenario.sla, scenario.policies.patience
    mean_patience = None if patience is None else float(patience.mean)
    lams = rates * share
    c = [erlang_c_windows(lam, minutes, sla.wait_mean_max_min, sla.wait_p90_max_min) for lam in lams]
    a = [erlang_a_windows(lam, minutes, mean_patience, sla.abandonment_rate_max, sla.wait_mean_max_min) for lam in lams]
    return lams * minutes, np.array(c, dtype=float), np.array(a, dtype=float)


# ------------------------------------------------------------------ the variant
def opening_order(scenario: Scenario) -> list[int]:
    """Indices of the windows in the order they open: one general window, then green
    windows, then the rest in file order."""
    idx = list(range(len(scenario.windows)))
    general = [i for i in idx if scenario.windows[i].kind == "general"]
    first = general[:1] or idx[:1]
    green = [i for i in idx if scenario.windows[i].kind == "green" and i not in first]
    return first + green + [i for i in idx if i not in first and i not in green]


def _periods(cuts: list[float], counts: list[int], k: int) -> list[tuple[float, float]]:
    """Merged periods in which window number ``k`` (0-based, opening order) is open."""
    out: list[list[float]] = []
    for (a, b), n in zip(zip(cuts, cuts[1:]), counts):
        if n > k:
            if out and out[-1][1] == a:
                out[-1][1] = b
            else:
                out.append([a, b])
    return [(a, b) for a, b in out]


def _clock(minutes: float) -> str:
    return format_minutes(min(max(minutes, 0.0), 24 * 60))


def _shift_for(template: dict, start: float, end: float, day_open: float, day_close: float) -> dict:
    """A staff entry for ``template``'s post from ``start`` to ``end`` (minutes): the
    template's lead before opening and stay after closing are kept at the day's edges,
    and so are its breaks that fit in the new shift."""
    t_start, t_end = to_minutes(template["shift"]["start"]), to_minutes(template["shift"]["end"])
    s = start - max(0.0, day_open - t_start) if start <= day_open else start
    e = end + max(0.0, t_end - day_close) if end >= day_close else end
    breaks = [b for b in template.get("breaks", [])
              if s <= to_minutes(b["start"]) and to_minutes(b["start"]) + b["duration_min"] <= e]
    return {**template, "shift": {"start": _clock(s), "end": _clock(e)}, "breaks": breaks}


def windows_variant(base: Scenario, cuts: list[float], counts: list[int], note: str = "") -> Scenario:
    """The scenario with ``counts[b]`` windows open in block ``b`` (see the module doc)."""
    data = scenario_to_dict(base)
    windows = data["windows"]
    if base.continuous:
        template = windows[opening_order(base)[0]]
        while len(windows) < counts[0]:
            windows.append(_copy_window(template, windows))
        data["windows"] = windows[:counts[0]]
        return validate(data, "<staffing search>")
    order = opening_order(base)
    template_i = order[0]
    while len(order) < max(counts):
        windows.append(_copy_window(windows[template_i], windows))
        order.append(len(windows) - 1)
    plans = day_plans(base)
    day_open, day_close = min(d.open_min for d in plans), max(d.close_min for d in plans)
    staff = data.get("staff", [])
    roster = base.policies.staffing == "roster"
    kept_staff = [p for p in staff if p["a_post"] in ("guide", "floater", HELPER_POST)]
    by_window = {}
    for p in staff:
        by_window.setdefault(p["a_post"], []).append(p)
    generic = next((p for p in staff if p["a_post"] not in ("guide", "floater", HELPER_POST)), None)
    window_staff = []
    for k, i in enumerate(order):
        w = windows[i]
        periods = _periods(cuts, counts, k)
        all_day = len(periods) == 1 and periods[0][0] <= cuts[0] and periods[0][1] >= cuts[-1]
        w["hours"] = None if all_day else [{"start": _clock(a), "end": _clock(b)} for a, b in periods]
        if not roster:
            continue
        own = by_window.get(w["id"], [])
        if all_day and own:
            window_staff += own
            continue
        template = dict(own[0]) if own else _new_person(generic, w["id"], day_open, day_close)
        for j, (a, b) in enumerate(periods):
            person = _shift_for(template, a, b, day_open, day_close)
            person["a_post"] = w["id"]
            if j:
                person["name"] = f"{template['name']}_{j + 1}"
            window_staff.append(person)
    if roster:
        data["staff"] = window_staff + kept_staff
    if note:
        data["description"] = (data.get("description", "") + " " + note).strip()
    return validate(data, "<staffing search>")


def _copy_window(template: dict, windows: list[dict]) -> dict:
    """A general window like ``template`` with a new id ``W<n>``."""
    taken = {w["id"] for w in windows}
    n = len(windows) + 1
    while f"W{n}" in taken:
        n += 1
    return {**template, "id": f"W{n}", "kind": "general", "hours": None}


def _new_person(generic: dict | None, window_id: str, day_open: float, day_close: float) -> dict:
    """A staff entry for a window the hall did not staff: like ``generic`` (another
    window's A: absences, breaks, lead) without its B post, or a plain full-day shift."""
    name = f"staff_{window_id}"
    if generic is None:
        return {"name": name, "a_post": window_id, "b_post": None,
                "shift": {"start": _clock(day_open), "end": _clock(day_close)}, "breaks": []}
    return {**generic, "name": name, "a_post": window_id, "b_post": None}


def _staff_on_shift(s: Scenario, cuts: list[float], counts: list[int]) -> list[int]:
    if s.policies.staffing != "roster":
        return list(counts)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        mid = (a + b) / 2
        out.append(sum(1 for p in s.staff if to_minutes(p.shift.start) <= mid < to_minutes(p.shift.end)))
    return out


# ------------------------------------------------------------------ evaluation
def block_kpis(result: SimulationResult, cuts: list[float]) -> pd.DataFrame:
    """KPI rows per (block, replication, kpi, group) of the visitors arriving in each block
    (``wait_*`` as :mod:`sim.results.kpis`, ``abandonment_rate``, ``arrivals_per_hour``),
    computed at once for every block and replication."""
    cols = result.tables.columns("visits")  # numpy columns: no pandas table is built
    keep = ~cols["in_warmup"]
    v = {c: cols[c][keep] for c in ("arrival_min", "replication", "wait_min", "ticket_min", "elderly", "outcome")}
    n_blocks = len(cuts) - 1
    block = np.clip(np.searchsorted(np.asarray(cuts), v["arrival_min"], side="right") - 1, 0, n_blocks - 1)
    reps, rep_pos = np.unique(v["replication"], return_inverse=True)
    n_reps = len(reps)
    n_keys = n_blocks * n_reps
    key = block * n_reps + rep_pos
    n = np.bincount(key, minlength=n_keys)
    wait = v["wait_min"]
    called = ~np.isnan(v["ticket_min"]) & ~np.isnan(wait)
    elderly = v["elderly"][called]
    c_all, s_all = wait_stats(key[called], wait[called], n_keys)
    c_old, s_old = wait_stats(key[called][elderly], wait[called][elderly], n_keys)
    abandoned = np.bincount(key, weights=v["outcome"] == "abandoned", minlength=n_keys)
    days = 1 if result.scenario.continuous else result.scenario.run.days
    rows = []
    for k in np.flatnonzero(n > 0):
        b, r = divmod(int(k), n_reps)
        hours = (cuts[b + 1] - cuts[b]) / 60.0
        rep = int(reps[r])
        for group, count, stats in (("all", c_all, s_all), ("elderly", c_old, s_old)):
            if count[k]:
                rows += [(b, rep, kpi, group, float(stat[k])) for kpi, stat in zip(WAIT_KPIS, stats)]
        rows.append((b, rep, "abandonment_rate", "all", float(abandoned[k] / n[k])))
        rows.append((b, rep, "arrivals_per_hour", "all", float(n[k]) / days / hours))
    return pd.DataFrame.from_records(rows, columns=["block", "replication", "kpi", "group", "value"])


def judge_blocks(scenario: Scenario, kpis: pd.DataFrame, n_blocks: int) -> tuple[list[str], list[dict]]:
    """Verdict per block (worst of its targets) and the simulated means shown in the table."""
    sla = scenario.sla.model_copy(update={f: None for f in type(scenario.sla).model_fields
                                          if f not in BLOCK_TARGETS and f != "confidence"})
    verdicts, figures = [], []
    for b in range(n_blocks):
        sub = kpis[kpis["block"] == b]
        if sub.empty:
            verdicts.append("no data")
            figures.append({})
            continue
        summary = summarise(sub, scenario.sla.confidence)
        judged = set(judge_sla(sla, summary)["verdict"])
        verdict = next((v for v in ("not met", "uncertain", "met") if v in judged), "no data")
        verdicts.append(verdict)
        figures.append(block_means(summary))
    return verdicts, figures


BLOCK_MEANS = {"simulated_arrivals_per_hour": ("arrivals_per_hour", "all"), "wait_mean_min": ("wait_mean_min", "all"),
               "wait_p90_min": ("wait_p90_min", "all"), "elderly_wait_p90_min": ("wait_p90_min", "elderly"),
               "abandonment_rate": ("abandonment_rate", "all"), "delay_prob": ("delay_prob", "all")}
"""Column of a block's table -> the (kpi, group) of the summary it shows."""


def block_means(summary: pd.DataFrame) -> dict[str, float]:
    """The simulated means a block's table shows (:data:`BLOCK_MEANS`; NaN when absent)."""
    means = {(k, g): m for k, g, m in zip(summary["kpi"], summary["group"], summary["mean"])}
    return {col: means.get(key, math.nan) for col, key in BLOCK_MEANS.items()}


def staffing_search(scenario: Scenario, block_min: float = 60.0, reps: int | None = None, seed: int = 0,
                    days: int | None = None, max_windows: int | None = None, workers: int | None = 1,
                    scheduler=None, progress: Callable[[int, int], None] | None = None,
                    source: str | None = None) -> StaffingPlan:
    """Find the fewest open windows per block that meet the scenario's wait targets.

    ``block_min`` is the block length in minutes; ``reps`` replications (default
    ``scenario.run.replications``) of ``days`` opening days (default ``run.days``) under
    ``seed`` judge each staffing tried; ``max_windows`` caps the windows of a block
    (default: the hall's windows or the largest analytic figure, whichever is more, plus
    2). ``workers``/``scheduler`` run the replications (see :mod:`sim.executors`);
    ``progress(done, total)`` counts replications over the whole search; ``source`` names
    the scenario in the variant's header. See the module doc for the method.
    """
    if not block_min > 0:
        raise ValueError(f"block_min must be > 0 minutes (got {block_min!r})")
    reps = scenario.run.replications if reps is None else reps
    if reps < 1:
        raise ValueError(f"reps must be >= 1 (got {reps})")
    if days is not None:
        if days < 1:
            raise ValueError(f"days must be >= 1 (got {days})")
        if not scenario.continuous:
            scenario = scenario.model_copy(update={"run": scenario.run.model_copy(update={"days": days})})
    start_time = time.perf_counter()
    cuts = block_cuts(scenario, block_min)
    n_blocks = len(cuts) - 1
    rates = block_rates(scenario, cuts)
    load, erl_c, erl_a = _references(scenario, rates)
    analytic_n = np.where(np.isnan(erl_a), erl_c, erl_a)
    finite = analytic_n[np.isfinite(analytic_n)]
    if max_windows is None:
        max_windows = max(len(scenario.windows), int(finite.max()) if len(finite) else 1) + 2
    if max_windows < 1:
        raise ValueError(f"max_windows must be >= 1 (got {max_windows})")
    start = [int(min(max_windows, max(1, n - 1))) if math.isfinite(n) else 1 for n in analytic_n]

    done_reps = [0]
    cache: dict[tuple[int, ...], tuple[Scenario, SimulationResult, list[str], list[dict]]] = {}
    history: list[tuple] = []

    def evaluate(counts: list[int], phase: str):
        key = tuple(counts)
        if key not in cache:
            variant = windows_variant(scenario, cuts, counts)
            base_done = done_reps[0]

            def tick(done: int, total: int) -> None:
                done_reps[0] = base_done + done
                if progress:
                    progress(done_reps[0], base_done + total + reps)

            res = simulate(variant, seed=seed, reps=reps, workers=workers, scheduler=scheduler, progress=tick)
            done_reps[0] = base_done + reps
            verdicts, figures = judge_blocks(scenario, block_kpis(res, cuts), n_blocks)
            cache[key] = (variant, res, verdicts, figures)
            history.append([len(history) + 1, phase, ",".join(map(str, counts)), _all_met(verdicts), False])
        return cache[key]

    counts = list(start)
    phase = "start"
    while True:
        _, _, verdicts, _ = evaluate(counts, phase)
        failing = [b for b, v in enumerate(verdicts) if v in ("not met", "uncertain") and counts[b] < max_windows]
        if _all_met(verdicts) or not failing or len(history) >= MAX_STEPS:
            break
        counts = [n + 1 if b in failing else n for b, n in enumerate(counts)]
        phase = "add"
    if _all_met(verdicts):
        slack = _slack_order(cache[tuple(counts)][3], scenario)
        for b in slack:
            if counts[b] <= 1 or len(history) >= MAX_STEPS:
                continue
            trial = [n - 1 if i == b else n for i, n in enumerate(counts)]
            _, _, v_trial, _ = evaluate(trial, "remove")
            if _all_met(v_trial):
                counts = trial
    variant, result, verdicts, figures = cache[tuple(counts)]
    for row in history:
        row[4] = row[2] == ",".join(map(str, counts))
    staff = _staff_on_shift(variant, cuts, counts)
    blocks = pd.DataFrame({
        "block_start": [_label(t) for t in cuts[:-1]],
        "block_end": [_label(t) for t in cuts[1:]],
        "arrivals_per_hour": rates * 60.0,
        "offered_load": load,
        "windows": counts,
        "staff": staff,
        "erlang_c_windows": erl_c,
        "erlang_a_windows": erl_a,
        "verdict": verdicts,
        **{k: [f.get(k, math.nan) for f in figures] for k in SIMULATED},
    })[list(BLOCK_COLUMNS)]
    seconds = time.perf_counter() - start_time
    days_run = None if scenario.continuous else scenario.run.days
    header = _header(scenario, blocks, source, block_min, reps, days_run, seed, len(history))
    note = f"Staffing variant found by hallsim staff ({block_min:g}-minute blocks, seed {seed})."
    variant = windows_variant(scenario, cuts, counts, note)
    text = header + scenario_to_yaml(variant)
    history_frame = pd.DataFrame.from_records(history, columns=list(HISTORY_COLUMNS))
    return StaffingPlan(blocks, variant, text, scenario, result, history_frame, seed, reps, float(block_min), seconds)


def _all_met(verdicts: list[str]) -> bool:
    return all(v in ("met", "no data") for v in verdicts)


def _slack_order(figures: list[dict], scenario: Scenario) -> list[int]:
    """Blocks in order of decreasing slack (the smallest ratio of a target's limit to the
    simulated value, so the block furthest inside its targets is tried first)."""
    sla = scenario.sla
    pairs = [("wait_mean_min", sla.wait_mean_max_min), ("wait_p90_min", sla.wait_p90_max_min),
             ("elderly_wait_p90_min", sla.elderly_wait_p90_max_min), ("abandonment_rate", sla.abandonment_rate_max)]

    def slack(b: int) -> float:
        ratios = [limit / max(figures[b].get(k, 0.0), 1e-9) for k, limit in pairs
                  if limit is not None and math.isfinite(figures[b].get(k, math.nan))]
        return min(ratios) if ratios else math.inf

    return sorted(range(len(figures)), key=lambda b: -slack(b))


def _label(minutes: float) -> str:
    """"HH:MM" for minutes (hours may pass 24 in a continuous run)."""
    whole = int(round(minutes))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _fmt_n(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{x:g}"


def _header(scenario: Scenario, blocks: pd.DataFrame, source: str | None, block_min: float, reps: int,
            days: int | None, seed: int, steps: int) -> str:
    """The comment at the top of the variant file: how it was made, and the blocks."""
    span = "one continuous horizon" if days is None else f"{days} opening day(s)"
    lines = [
        f"# Staffing variant of {scenario.hall.name!r}" + (f" ({source})" if source else ""),
        f"# generated by `hallsim staff` (sim.staffing_search) on {now_iso()}:",
        f"# {block_min:g}-minute blocks; {reps} replications x {span}, seed {seed}; {steps} staffings simulated;",
        f"# wait targets judged per block at {scenario.sla.confidence:.0%} confidence.".replace("%", " %"),
        "# block        arrivals/h  windows  staff  Erlang C  Erlang A  verdict",
    ]
    for r in blocks.itertuples(index=False):
        lines.append(f"# {r.block_start}-{r.block_end}  {r.arrivals_per_hour:10.1f}  {r.windows:7d}  {r.staff:5d}  "
                     f"{_fmt_n(r.erlang_c_windows):>8}  {_fmt_n(r.erlang_a_windows):>8}  {r.verdict}")
    return "\n".join(lines) + "\n"
