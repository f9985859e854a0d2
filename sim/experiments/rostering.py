"""A roster a hall can work: named people on shifts with A/B posts, by constraint programming.

:func:`solve_roster` builds one day's roster (the scenario format has one roster for every
opening day) with OR-Tools CP-SAT on a grid of ``rules.slot_min`` minutes over the opening
hours. Decisions: which person works which shift (start on a ``start_grid_min`` grid,
length a multiple of it), when each takes lunch, each person's A post (a window or the
guide desk) and B post (a window), which windows are open in each slot and who attends
them. People are the scenario's staff first, then new hires ``new_1``, ``new_2``, …
used only when needed.

Constraints (each *rule* can be named in an infeasibility message, :data:`RULES`):

- ``requirement``: in every slot the first ``required`` windows in opening order
  (:func:`sim.experiments.staffing.opening_order`) are open, so the windows attended are at
  least the requirement (:mod:`sim.experiments.requirement`);
- every open window is attended by its A or its B, by someone on shift and not at lunch,
  one place at a time, and nobody covers another window while their own A window is open
  (so empty-window minutes are 0 by construction; a break only when its cover is there);
- every window ever open has an A and a B; every person working has a B post;
- ``shift_min`` / ``shift_max``: shift length (lunch included) within the bounds;
- ``lunch``: a shift longer than ``lunch_after_min`` holds a lunch of ``lunch_min``
  (+ ``break_buffer_min`` kept free for late returns) inside the shift;
- ``lunch_window``: lunch within ``lunch_window`` (default: the hall's ``lunch`` period);
- ``max_continuous``: nobody attends windows more than ``max_continuous_min`` in a row;
- ``guide_desk``: while the guide desk is enabled, a person whose A post is the guide desk
  attends it in every slot, except during that person's lunch (the simulation has no
  cover for the guide desk: :mod:`sim.model.roster`);
- ``cover_for_absences``: in every slot at least ``spare[t]`` people on shift are free
  (not at a window; guide-desk staff count when they may cover), for random absences;
- ``staff_standard``: people working ≥ the staff standard of the hall's level
  (:mod:`sim.scenario.standards`);
- ``days_per_week``: checked before the model: one roster for every opening day makes
  everybody work as many days as the hall opens; a roster for some weekdays takes the
  days off the week gave (``off``: people who may not work that day,
  :mod:`sim.experiments.week_roster`).

Objective, in this order: staff-hours (written shifts, with ``lead_min`` before opening
and ``stay_min`` after closing), then changes from today's roster (for each of today's
people: not working, another A post, B post, start, end or lunch; a new hire counts as
all six), then the fairness of lunch times (the latest lunch start furthest from the
middle of the lunch window, made as small as possible).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from sim.experiments.staffing import opening_order
from sim.results.notes import Note, said_in
from sim.scenario.clock import format_minutes, to_minutes
from sim.scenario.days import day_plans
from sim.scenario.loader import scenario_to_dict, validate
from sim.scenario.messages import short_repr
from sim.scenario.schema import Scenario
from sim.scenario.standards import STANDARDS
from sim.scenario.visits import HELPER_POST

__all__ = ["RosterRules", "RosterPlan", "RosterInfeasible", "RosterProposal", "solve_roster", "roster_scenario",
           "continuous_at_windows",
           "propose_roster", "AbsenceBound", "without_absences", "with_standby", "simulated_attendance", "new_names",
           "STANDBY_POST", "RULES", "RULE_LIMITS", "rules_from_text", "REMEDIES", "ROUND_COLUMNS",
           "PEOPLE_COLUMNS", "slot_requirement", "check_plan"]

RULES = {
    "requirement": "attended windows >= the requirement in every period",
    "shift_min": "shift length >= min_shift_min",
    "shift_max": "shift length <= max_shift_min",
    "lunch": "a lunch of lunch_min (+ break_buffer_min) in every shift longer than lunch_after_min",
    "lunch_window": "lunch inside lunch_window",
    "max_continuous": "at most max_continuous_min in a row at a window",
    "guide_desk": "the guide desk attended while enabled (but for its staff's lunch)",
    "cover_for_absences": "enough free people on shift to cover random absences",
    "staff_standard": "staff >= the standard of the hall's level",
    "people": "at most the scenario's staff plus max_new_staff new hires",
    "days_per_week": "nobody works more than days_per_week days a week (the days off the week gave)",
}
"""Rules a roster keeps, by the name an infeasibility message uses."""

PEOPLE_COLUMNS = {
    "name": "person (the scenario's staff, or new_<n> for a new hire)",
    "new": "True for a new hire",
    "a_post": "A post: window id or guide",
    "b_post": "B post: the window this person covers",
    "shift_start": '"HH:MM" written shift start (lead before opening included)',
    "shift_end": '"HH:MM" written shift end (stay after closing included)',
    "lunch_start": '"HH:MM" lunch start (empty without lunch)',
    "lunch_min": "lunch length, minutes (0 without lunch)",
    "hours": "written shift length, hours",
    "changes": "changes from today's roster (post, B post, start, end, lunch; 6 for a new hire)",
}
"""Columns of :attr:`RosterPlan.people`."""


@dataclass(frozen=True)
class RosterRules:
    """The rules of a roster. Minutes throughout; clock times "HH:MM". ``lunch_window``
    None takes the hall's ``lunch`` period. ``max_new_staff`` None allows as many new
    hires as the requirement could use. ``time_limit_s`` bounds the solver (one core).
    The roster scenario keeps ``max_continuous_min`` in the simulation too
    (``policies.rests``, :func:`roster_scenario`). On a day shorter than
    ``min_shift_min`` (a Saturday morning) the shortest shift is the whole day
    (:meth:`shortest_shift`)."""

    slot_min: int = 15
    start_grid_min: int = 30
    min_shift_min: int = 240
    max_shift_min: int = 540
    lunch_min: int = 45
    break_buffer_min: int = 15
    lunch_after_min: int = 360
    lunch_window: tuple[str, str] | None = None
    max_continuous_min: int = 240
    days_per_week: int = 5
    lead_min: int = 15
    stay_min: int = 15
    max_new_staff: int | None = None
    time_limit_s: float = 20.0

    def shortest_shift(self, day_min: float) -> float:
        """The shortest shift (minutes) on a day of ``day_min`` minutes from the first to the
        last slot: ``min_shift_min``, or the whole day when that is shorter."""
        return min(float(self.min_shift_min), float(day_min))

    def problems(self) -> list[str]:
        """Rules that cannot hold whatever the hall (each names the rule and its value)."""
        out = []
        for name in ("slot_min", "start_grid_min", "min_shift_min", "max_shift_min", "lunch_min", "max_continuous_min"):
            if getattr(self, name) <= 0:
                out.append(f"{name}: must be > 0 (got {getattr(self, name)})")
        if self.slot_min > 0 and self.start_grid_min % self.slot_min:
            out.append(f"start_grid_min: must be a multiple of slot_min {self.slot_min} (got {self.start_grid_min})")
        if self.min_shift_min > self.max_shift_min:
            out.append(f"min_shift_min: {self.min_shift_min} is more than max_shift_min {self.max_shift_min}")
        if not 1 <= self.days_per_week <= 7:
            out.append(f"days_per_week: must be 1..7 (got {self.days_per_week})")
        return out


class RosterInfeasible(ValueError):
    """No roster keeps the rules; ``rules`` names the ones that conflict (keys of :data:`RULES`)."""

    def __init__(self, message: str, rules: list[str]):
        self.rules = list(rules)
        super().__init__(message)


@dataclass(frozen=True)
class RosterPlan:
    """A proposed day roster. ``people`` (:data:`PEOPLE_COLUMNS`), ``windows_hours``
    (window id -> [(start, end) minutes] open periods; None: all day), ``slots`` (slot
    start minutes), ``attendance`` (person -> post or "lunch"/"free"/"" per slot),
    ``open`` (window id -> 0/1 per slot), ``staff_hours``, ``changes``, ``status``
    (OPTIMAL or FEASIBLE) and the ``required`` windows and ``spare`` people per slot;
    ``simulated`` (set by :func:`propose_roster`) the attendance of one simulated day of
    the roster (:func:`simulated_attendance`: who covers whom by the simulation's rules),
    which the Gantt chart draws when present."""

    people: pd.DataFrame
    windows_hours: dict[str, list[tuple[float, float]] | None]
    slots: tuple[float, ...]
    attendance: dict[str, list[str]]
    open: dict[str, list[int]]
    staff_hours: float
    changes: int
    status: str
    required: tuple[int, ...]
    spare: tuple[int, ...]
    rules: RosterRules = field(default_factory=RosterRules)
    new_windows: tuple[str, ...] = ()
    simulated: dict[str, list[str]] | None = None


# ------------------------------------------------------------------ helpers
def _day(scenario: Scenario) -> tuple[float, float]:
    plans = day_plans(scenario)
    return min(d.open_min for d in plans), max(d.close_min for d in plans)


def slot_requirement(cuts: list[float], required: list[int], slots: list[float]) -> list[int]:
    """The requirement of the period holding each slot start."""
    idx = np.clip(np.searchsorted(np.asarray(cuts), slots, side="right") - 1, 0, len(required) - 1)
    return [int(required[i]) for i in idx]


def _staff_standard(scenario: Scenario) -> int:
    return max([int(req) for key, _, req in STANDARDS[scenario.hall.level] if key == "staff"
                and isinstance(req, int)] or [0])


def _today(scenario: Scenario, lo: float, hi: float, rules: RosterRules) -> dict[str, dict]:
    """Today's people in model terms: A, B, start, end (clipped to the opening hours), lunch.
    Helpers (``a_post: helper``) are left out: the roster keeps them as they are."""
    out = {}
    for p in scenario.staff:
        if p.a_post == HELPER_POST:
            continue
        start, end = max(lo, to_minutes(p.shift.start)), min(hi, to_minutes(p.shift.end))
        lunch = min((to_minutes(b.start) for b in p.breaks if b.duration_min >= rules.lunch_min / 2), default=None)
        out[p.name] = {"a": p.a_post, "b": p.b_post, "start": start, "end": end, "lunch": lunch}
    return out


def _periods_of(flags: list[int], slots: list[float], slot_min: float) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for t, f in zip(slots, flags):
        if f:
            if out and out[-1][1] == t:
                out[-1][1] = t + slot_min
            else:
                out.append([t, t + slot_min])
    return [(a, b) for a, b in out]


# ------------------------------------------------------------------ the model
def solve_roster(scenario: Scenario, cuts: list[float], required: list[int], rules: RosterRules = RosterRules(),
                 spare: list[int] | None = None, windows: list[str] | None = None,
                 off: frozenset[str] = frozenset(), explain: bool = True) -> RosterPlan:
    """The roster of least staff-hours (then fewest changes, fairest lunches) that keeps
    ``rules`` and gives ``required[p]`` windows in period ``[cuts[p], cuts[p+1])``;
    ``spare`` is the free people needed per slot (default 1 when anyone has random
    absences, else 0); ``windows`` the window ids in opening order (default: the hall's,
    :func:`sim.experiments.staffing.opening_order`; more ids than the hall has are new
    windows). Without ``rules.max_new_staff`` it first allows one new hire more than the
    peak of people needed at once asks (a small model, solved fast), and allows up to twice
    that peak only when the people run short. ``off`` names people who may not work this
    day (days off for ``days_per_week``; a new hire's name in it is skipped). Raises
    :class:`RosterInfeasible` naming the conflicting rules: with ``explain``, no more of
    them than needed (:func:`_smallest_core`; the small model's check for people running
    short skips that)."""
    from ortools.sat.python import cp_model  # imported on use: the solver loads a large library

    problems = rules.problems()
    if problems:
        raise RosterInfeasible("; ".join(problems), [p.split(":")[0] for p in problems])
    open_days = sum(1 for h in scenario.hall.opening_hours.values() if h is not None)
    if open_days > rules.days_per_week:
        raise RosterInfeasible(
            f"days_per_week: the hall opens {open_days} days a week and one roster serves every opening day, so "
            f"everybody would work {open_days} days > days_per_week {rules.days_per_week} (per-weekday rosters are "
            f"not in the scenario format yet)", ["days_per_week"])
    lo, hi = _day(scenario)
    S = rules.slot_min
    slots = [float(t) for t in np.arange(lo, hi - 1e-9, S)]
    T = len(slots)
    req = slot_requirement(cuts, required, slots)
    order = windows or [scenario.windows[i].id for i in opening_order(scenario)]
    if max(req) > len(order):
        raise RosterInfeasible(f"requirement: {max(req)} windows needed but only {len(order)} exist",
                               ["requirement"])
    has_absences = any(p.absences.rate_per_hour > 0 for p in scenario.staff)
    spare = list(spare) if spare is not None else [1 if has_absences else 0] * T
    guide_on = scenario.policies.guide_desk.enabled
    guide_covers = scenario.policies.guide_desk.staff_may_cover
    lw = rules.lunch_window or (scenario.hall.lunch.start, scenario.hall.lunch.end)
    lw_lo, lw_hi = to_minutes(lw[0]), to_minutes(lw[1])
    today = _today(scenario, lo, hi, rules)
    standard = _staff_standard(scenario)
    cap_new = rules.max_new_staff
    if cap_new is None:
        peak = max(r + s for r, s in zip(req, spare)) + (1 if guide_on else 0)  # people at posts or free at once
        tight = max(1, peak - sum(1 for nm in today if nm not in off) + 1)
        try:  # a small model first (fast); the wide one only when the people run short
            plan = solve_roster(scenario, cuts, required, replace(rules, max_new_staff=tight), spare, windows, off,
                                explain=False)
            return replace(plan, rules=rules)
        except RosterInfeasible as exc:
            if "people" not in exc.rules:
                raise
        cap_new = max(tight + 1, 2 * peak - len(today))
    names = list(today) + new_names(cap_new, off)
    J = len(order)
    # A posts: a window or the guide desk; in a one-window hall, where a window's A can have
    # no B post elsewhere, those who float today (its lobby manager) keep floater (no window
    # of their own; they cover as B). With two or more windows everyone has a window A post
    # and a B post at another window.
    floats = {nm for nm, p in today.items() if p["a"] == STANDBY_POST} if J == 1 else set()
    posts = order + (["guide"] if guide_on else []) + ([STANDBY_POST] if floats else [])

    m = cp_model.CpModel()
    lit = {r: m.new_bool_var(r) for r in RULES if r != "days_per_week" or off & set(names)}

    grid = max(1, rules.start_grid_min // S)
    shift_opts = [(a, L) for a in range(0, T, grid) for L in range(grid, T - a + 1, grid)]
    lunch_slots = math.ceil((rules.lunch_min + rules.break_buffer_min) / S)
    y, on, away, work, A, B, at, g, lunch_b = {}, {}, {}, {}, {}, {}, {}, {}, {}
    hours_terms, change_terms = [], []
    mid = ((lw_lo + lw_hi) / 2 - lo) / S
    maxdev = m.new_int_var(0, T, "maxdev")
    for i, name in enumerate(names):
        ys = {}
        for a, L in shift_opts:
            v = m.new_bool_var(f"y{i}_{a}_{L}")
            ys[(a, L)] = v
            if L * S < rules.shortest_shift(T * S):
                m.add(v == 0).only_enforce_if(lit["shift_min"])
            if L * S > rules.max_shift_min:
                m.add(v == 0).only_enforce_if(lit["shift_max"])
            minutes = L * S + (rules.lead_min if a == 0 else 0) + (rules.stay_min if a + L == T else 0)
            hours_terms.append(minutes * v)
        y[i] = ys
        work[i] = m.new_bool_var(f"work{i}")
        if name in off:
            m.add(work[i] == 0).only_enforce_if(lit["days_per_week"])
        m.add(sum(ys.values()) == work[i])
        long_shift = sum(v for (a, L), v in ys.items() if L * S > rules.lunch_after_min)
        lb = {k: m.new_bool_var(f"l{i}_{k}") for k in range(0, T - lunch_slots + 1)}
        lunch_b[i] = lb
        for k, v in lb.items():
            t0 = lo + k * S
            if t0 < lw_lo or t0 + rules.lunch_min > lw_hi:
                m.add(v == 0).only_enforce_if(lit["lunch_window"])
        m.add(sum(lb.values()) <= work[i])
        m.add(sum(lb.values()) >= long_shift).only_enforce_if(lit["lunch"])
        d = m.new_int_var(0, 2 * T, f"dev{i}")
        m.add(d >= sum(v * int(abs(k - mid)) for k, v in lb.items()))
        m.add(maxdev >= d)
        for t in range(T):
            on[i, t] = sum(v for (a, L), v in ys.items() if a <= t < a + L)
            away[i, t] = sum(v for k, v in lb.items() if k <= t < k + lunch_slots)
            m.add(away[i, t] <= on[i, t])
        for j, post in enumerate(posts):
            A[i, j] = m.new_bool_var(f"A{i}_{post}")
        for j in range(J):
            B[i, j] = m.new_bool_var(f"B{i}_{j}")
            m.add(A[i, j] + B[i, j] <= 1)
        m.add(sum(A[i, j] for j in range(len(posts))) == work[i])
        if floats and name not in floats:
            m.add(A[i, len(posts) - 1] == 0)
        # a B post at another window than one's A window: with one window, its A has none
        m.add(sum(B[i, j] for j in range(J)) == (work[i] if J > 1 else work[i] - A[i, 0]))
        for t in range(T):
            for j in range(J):
                at[i, j, t] = m.new_bool_var(f"at{i}_{j}_{t}")
                m.add(at[i, j, t] <= A[i, j] + B[i, j])
            g[i, t] = m.new_bool_var(f"g{i}_{t}")
            if guide_on:
                m.add(g[i, t] <= A[i, J])
            else:
                m.add(g[i, t] == 0)
            m.add(sum(at[i, j, t] for j in range(J)) + g[i, t] <= on[i, t] - away[i, t])
        if name in today:
            was = today[name]
            changed = [1 - work[i]]
            changed.append(1 - A[i, posts.index(was["a"])] if was["a"] in posts else 1)
            changed.append(1 - B[i, order.index(was["b"])] if was["b"] in order else 1)
            changed.append(1 - sum(v for (a, L), v in ys.items() if lo + a * S == was["start"]))
            changed.append(1 - sum(v for (a, L), v in ys.items() if lo + (a + L) * S == was["end"]))
            k0 = None if was["lunch"] is None else (was["lunch"] - lo) / S
            changed.append(1 - lb[int(k0)] if k0 is not None and float(k0).is_integer() and int(k0) in lb else 1)
            change_terms += changed
        else:
            change_terms.append(6 * work[i])
    n = len(names)
    new_ids = [i for i, nm in enumerate(names) if nm not in today]
    for a, b in zip(new_ids, new_ids[1:]):
        m.add(work[a] >= work[b])  # new_1 before new_2: no symmetric solutions
    opened = {}
    for j in range(J):
        used = m.new_bool_var(f"used{j}")
        for t in range(T):
            opened[j, t] = sum(at[i, j, t] for i in range(n))
            m.add(opened[j, t] <= 1)
            m.add(used >= opened[j, t])
        m.add(sum(A[i, j] for i in range(n)) >= used)
        m.add(sum(B[i, j] for i in range(n)) >= used)
        for i in range(n):  # nobody covers elsewhere while their own A window is open
            for t in range(T):
                others = sum(at[i, k, t] for k in range(J) if k != j)
                m.add(others + opened[j, t] <= 1).only_enforce_if(A[i, j])
    for t in range(T):
        for k in range(req[t]):
            m.add(opened[k, t] == 1).only_enforce_if(lit["requirement"])
        free = sum(on[i, t] - away[i, t] for i in range(n)) - sum(opened[j, t] for j in range(J))
        if guide_on and not guide_covers:
            free -= sum(g[i, t] for i in range(n))
        m.add(free >= spare[t]).only_enforce_if(lit["cover_for_absences"])
        if guide_on:
            lunch_guide = []
            for i in range(n):
                v = m.new_bool_var(f"gl{i}_{t}")
                m.add(v <= A[i, J])
                m.add(v <= away[i, t])
                lunch_guide.append(v)
            m.add(sum(g[i, t] for i in range(n)) + sum(lunch_guide) >= 1).only_enforce_if(lit["guide_desk"])
    W = rules.max_continuous_min // S + 1
    if W <= T:
        for i in range(n):
            for t0 in range(0, T - W + 1):
                m.add(sum(at[i, j, t] for j in range(J) for t in range(t0, t0 + W)) <= W - 1) \
                    .only_enforce_if(lit["max_continuous"])
    m.add(sum(work.values()) >= standard).only_enforce_if(lit["staff_standard"])
    m.add(sum(work[i] for i in new_ids) <= cap_new).only_enforce_if(lit["people"])

    m.minimize(sum(hours_terms) * 10_000 + sum(change_terms) * 100 + maxdev)
    m.add_assumptions(list(lit.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = rules.time_limit_s
    status = solver.solve(m)
    if status == cp_model.INFEASIBLE:
        core = [r for r, v in lit.items() if v.index in set(solver.sufficient_assumptions_for_infeasibility())]
        if explain:  # the people allowed are also the names the model has: "people" cannot be left out then
            core = _smallest_core(m, lit, core, rules.time_limit_s,
                                  keep=("people",) if rules.max_new_staff is not None else ())
        detail = "; ".join(f"{r} ({RULES[r]})" for r in core) or "the rules together"
        raise RosterInfeasible(f"no roster keeps these rules together: {detail}", core)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RosterInfeasible(f"the solver found no roster within {rules.time_limit_s:g} s "
                               f"(status {solver.status_name(status)}); raise time_limit_s", [])

    val = solver.value
    rows, attendance = [], {}
    open_flags = {order[j]: [int(val(opened[j, t])) for t in range(T)] for j in range(J)}
    for i, name in enumerate(names):
        if not val(work[i]):
            continue
        (a, L), = [k for k, v in y[i].items() if val(v)]
        start, end = lo + a * S, lo + (a + L) * S
        w_start = start - (rules.lead_min if a == 0 else 0)
        w_end = end + (rules.stay_min if a + L == T else 0)
        ks = [k for k, v in lunch_b[i].items() if val(v)]
        a_post = next(posts[j] for j in range(len(posts)) if val(A[i, j]))
        b_post = next((order[j] for j in range(J) if val(B[i, j])), "")
        changes = 6 if name not in today else sum(_changes_of(today[name], a_post, b_post, start, end, ks, lo, S))
        rows.append({"name": name, "new": name not in today, "a_post": a_post, "b_post": b_post,
                     "shift_start": format_minutes(w_start), "shift_end": format_minutes(w_end),
                     "lunch_start": format_minutes(lo + ks[0] * S) if ks else "",
                     "lunch_min": rules.lunch_min if ks else 0, "hours": (w_end - w_start) / 60.0,
                     "changes": changes})
        row = []
        for t in range(T):
            if not (on[i, t] if isinstance(on[i, t], int) else val(on[i, t])):
                row.append("")
            elif ks and ks[0] <= t < ks[0] + lunch_slots:
                row.append("lunch")
            elif val(g[i, t]):
                row.append("guide")
            else:
                row.append(next((order[j] for j in range(J) if val(at[i, j, t])), "free"))
        attendance[name] = row
    hours = {}
    for j, wid in enumerate(order):
        flags = open_flags[wid]
        hours[wid] = None if all(flags) else _periods_of(flags, slots, S)
    people = pd.DataFrame(rows, columns=list(PEOPLE_COLUMNS))
    hall_ids = {w.id for w in scenario.windows}
    idle_today = sum(1 for nm in today if nm not in set(people["name"]))  # each: one change (not working)
    return RosterPlan(people, hours, tuple(slots), attendance, open_flags, float(people["hours"].sum()),
                      int(people["changes"].sum()) + idle_today, solver.status_name(status), tuple(req), tuple(spare),
                      rules, tuple(w for w in order if w not in hall_ids))


def new_names(n: int, taken=frozenset()) -> list[str]:
    """``n`` new hires' names ``new_1``, ``new_2``, … skipping those in ``taken``."""
    out, k = [], 0
    while len(out) < n:
        k += 1
        if f"new_{k}" not in taken:
            out.append(f"new_{k}")
    return out


def _changes_of(was: dict, a_post: str, b_post: str, start: float, end: float, ks: list[int], lo: float,
                S: float) -> list[int]:
    lunch = lo + ks[0] * S if ks else None
    return [int(was["a"] != a_post), int(was["b"] != b_post), int(was["start"] != start), int(was["end"] != end),
            int(was["lunch"] != lunch)]


# ------------------------------------------------------------------ checks and output
def check_plan(plan: RosterPlan, scenario: Scenario) -> list[str]:
    """Every rule of ``plan.rules`` the plan breaks, in words (empty when it keeps them all):
    what a test asks of every proposed roster."""
    r = plan.rules
    S = r.slot_min
    out = []
    people = {row.name: row for row in plan.people.itertuples(index=False)}
    for t, need in enumerate(plan.required):
        opened = [w for w, f in plan.open.items() if f[t]]
        if len(opened) < need:
            out.append(f"slot {t}: {len(opened)} windows open < {need}")
        for w in opened:
            who = [n for n, row in plan.attendance.items() if row[t] == w]
            if len(who) != 1 or (people[who[0]].a_post != w and people[who[0]].b_post != w):
                out.append(f"slot {t}: window {w} attended by {who}, not by one of its A or B")
        free = sum(1 for row in plan.attendance.values() if row[t] == "free" or
                   (row[t] == "guide" and scenario.policies.guide_desk.staff_may_cover))
        if free < plan.spare[t]:
            out.append(f"slot {t}: {free} free people < {plan.spare[t]}")
        if scenario.policies.guide_desk.enabled and not any(row[t] == "guide" for row in plan.attendance.values()):
            if not any(plan.attendance[n][t] == "lunch" for n, p in people.items() if p.a_post == "guide"):
                out.append(f"slot {t}: guide desk unattended")
    lw = r.lunch_window or (scenario.hall.lunch.start, scenario.hall.lunch.end)
    for name, p in people.items():
        start = to_minutes(p.shift_start) + (r.lead_min if plan.attendance[name][0] else 0)
        end = to_minutes(p.shift_end) - (r.stay_min if plan.attendance[name][-1] else 0)
        shortest = r.shortest_shift(len(plan.slots) * r.slot_min)
        if not shortest <= end - start <= r.max_shift_min:
            out.append(f"{name}: shift of {end - start:g} min outside [{shortest:g}, {r.max_shift_min}]")
        if end - start > r.lunch_after_min and not p.lunch_start:
            out.append(f"{name}: no lunch in a shift of {end - start:g} min")
        if p.lunch_start and not (to_minutes(lw[0]) <= to_minutes(p.lunch_start)
                                  and to_minutes(p.lunch_start) + r.lunch_min <= to_minutes(lw[1])):
            out.append(f"{name}: lunch at {p.lunch_start} outside {lw[0]}-{lw[1]}")
        if p.a_post == p.b_post:
            out.append(f"{name}: B post is the A post")
        if continuous_at_windows(plan.attendance[name], S) > r.max_continuous_min:
            out.append(f"{name}: more than {r.max_continuous_min} min in a row at a window")
    if len(people) < _staff_standard(scenario):
        out.append(f"{len(people)} people < the staff standard {_staff_standard(scenario)}")
    return out


def continuous_at_windows(row: list[str], slot_min: float) -> float:
    """The longest time in a row (minutes) at windows in an attendance ``row`` (a window id
    per slot; "", "lunch", "rest", "free" and "guide" are not at a window)."""
    run = best = 0
    for post in row:
        run = run + 1 if post not in ("", "lunch", "rest", "free", "guide") else 0
        best = max(best, run)
    return best * slot_min


def roster_scenario(scenario: Scenario, plan: RosterPlan, note: str = "") -> Scenario:
    """The scenario with the plan's windows (hours; new windows copied from the first
    general window) and staff (today's absences kept; new hires get the first person's):
    each person's lunch as a break. The plan's rules go with it into the simulation:
    breaks wait for cover (``policies.breaks_wait_for_cover``: the plan lets nobody leave
    a window for a break while no one covers it), and whoever has been ``max_continuous_min``
    in a row at windows rests for one slot once someone covers (``policies.rests``; a rest
    gives way to a window that would stand empty), so that with random absences the
    simulated days keep to both."""
    data = scenario_to_dict(scenario)
    windows = data["windows"]
    ids = [w["id"] for w in windows]
    template = next((w for w in windows if w.get("kind", "general") == "general"), windows[0])
    for wid in plan.new_windows:
        windows.append({**template, "id": wid, "kind": "general"})
        ids.append(wid)
    for w in windows:
        h = plan.windows_hours.get(w["id"], [])
        w["hours"] = None if h is None else [{"start": format_minutes(a), "end": format_minutes(b)} for a, b in h]
    specs = {p["name"]: p for p in data.get("staff", [])}
    absences = next(iter(specs.values()))["absences"] if specs else None
    staff = []
    for row in plan.people.itertuples(index=False):
        breaks = [(to_minutes(row.lunch_start), row.lunch_min)] if row.lunch_start else []
        person = {"name": row.name, "a_post": row.a_post, "b_post": row.b_post or None,
                  "shift": {"start": row.shift_start, "end": row.shift_end},
                  "breaks": [{"start": format_minutes(a), "duration_min": d} for a, d in breaks]}
        was = specs.get(row.name)
        if was is not None:
            person["absences"] = was["absences"]
        elif absences is not None:
            person["absences"] = absences
        staff.append(person)
    staff += [p for p in data.get("staff", []) if p["a_post"] == HELPER_POST]  # helpers are kept as they are
    data["staff"] = staff
    data["policies"]["staffing"] = "roster"
    data["policies"]["breaks_wait_for_cover"] = True  # as planned: a break only when its cover is there
    # as planned: nobody longer than max_continuous_min in a row at windows, rests covered
    data["policies"]["rests"] = {"after_min": plan.rules.max_continuous_min, "length_min": plan.rules.slot_min}
    if note:
        data["description"] = (data.get("description", "") + " " + note).strip()
    return validate(data, "<roster>")


def _smallest_core(m, lit: dict, core: list[str], time_limit_s: float, keep: tuple[str, ...] = ()) -> list[str]:
    """The rules of ``core`` (an infeasible set the solver named, not always the smallest)
    that are needed for it to stay infeasible: each rule in turn (but those in ``keep``) is
    left out, and stays out when the others are still infeasible without it (a deletion
    filter; feasibility only, a few seconds each; a rule whose trial times out is kept)."""
    from ortools.sat.python import cp_model

    m.clear_objective()
    needed = list(core)
    for rule in core:
        trial = [r for r in needed if r != rule]
        if rule in keep or not trial:
            continue
        m.clear_assumptions()
        m.add_assumptions([lit[r] for r in trial])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = min(5.0, time_limit_s)
        if solver.solve(m) == cp_model.INFEASIBLE:
            needed = trial
    return needed


RULE_LIMITS = {"slot_min": (5, 60), "start_grid_min": (5, 240), "min_shift_min": (15, 1440),
               "max_shift_min": (15, 1440), "lunch_min": (5, 240), "break_buffer_min": (0, 120),
               "lunch_after_min": (0, 1440), "max_continuous_min": (15, 1440), "days_per_week": (1, 7),
               "lead_min": (0, 120), "stay_min": (0, 120), "max_new_staff": (0, 50), "time_limit_s": (1, 600)}
"""Bounds of each rule a user may set (:func:`rules_from_text`), inclusive."""


def rules_from_text(items: dict[str, str], base: RosterRules = RosterRules()) -> RosterRules:
    """``base`` with the rules ``items`` (rule name -> its value as text, e.g. from
    ``hallsim roster --rule min_shift_min=180``) set: whole minutes (``time_limit_s`` in
    seconds), ``max_new_staff`` a number or ``none`` (as many as needed), ``lunch_window``
    ``HH:MM-HH:MM`` or ``hall`` (the hall's lunch period). ValueError lists every problem,
    each naming the rule and the value."""
    problems, changes = [], {}
    names = [f.name for f in fields(RosterRules)]
    for name, raw in items.items():
        value = str(raw).strip()
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            problems.append(f"{short_repr(name)}: no such rule" + (f" (did you mean {close[0]!r}?)" if close else "")
                            + f"; the rules: {', '.join(names)}")
        elif name == "lunch_window":
            if value.lower() == "hall":
                changes[name] = None
                continue
            try:
                lo, hi = (to_minutes(part.strip()) for part in value.split("-"))
            except ValueError:  # not two parts, or a part that is no clock time
                lo = hi = 0.0
            if hi <= lo:
                problems.append(f"lunch_window: expected HH:MM-HH:MM, the start before the end, or 'hall' "
                                f"(got {short_repr(value)})")
            else:
                changes[name] = (format_minutes(lo), format_minutes(hi))
        elif name == "max_new_staff" and value.lower() == "none":
            changes[name] = None
        else:
            kind = float if name == "time_limit_s" else int
            try:
                number = kind(value)
            except ValueError:
                problems.append(f"{name}: expected {'a number' if kind is float else 'a whole number'} "
                                f"(got {short_repr(value)})")
                continue
            lo, hi = RULE_LIMITS[name]
            if not (math.isfinite(number) and lo <= number <= hi):
                problems.append(f"{name}: must be {lo}..{hi} (got {value})")
            else:
                changes[name] = number
    if not problems:
        problems = replace(base, **changes).problems()
    if problems:
        raise ValueError("; ".join(problems))
    return replace(base, **changes)


# ------------------------------------------------------------------ check by simulation and repair
ROUND_COLUMNS = {
    "round": "round number (1-based)",
    "staff_hours": "staff-hours of the round's roster",
    "people": "people working",
    "missed": "targets missed (not met or uncertain) by the roster's simulation, comma-separated",
    "raised": "what the next round raises: windows in periods, or free people in slots",
}
"""Columns of :attr:`RosterProposal.rounds`."""

REMEDIES = {
    "issuance_p90_max_min": "a further instant card printer (devices.instant_printers.count) or faster repair "
                            "(devices.instant_printers.mttr)",
    "wait_mean_max_min": "more windows (--allow-new-windows) or shorter window times",
    "wait_p90_max_min": "more windows (--allow-new-windows) or shorter window times",
    "elderly_wait_p90_max_min": "more green windows or windows (--allow-new-windows), or shorter elderly window times",
    "abandonment_rate_max": "more windows (--allow-new-windows)",
    "empty_window_max_min": "staff who cover (floaters)",
}
"""What would move a target that no staffing of the hall's windows meets."""


@dataclass(frozen=True)
class AbsenceBound:
    """Empty-window minutes that come only from random absences (the roster covers every
    planned leave: its simulation with absences off has none). ``empty`` the roster's
    empty minutes a day with absences before any standby (a
    :class:`~sim.experiments.simulation.KpiEstimate`), ``intervals`` how many times a
    window was empty in all replications, ``free`` the fewest free people the roster keeps
    on shift in any slot; ``standby`` the same estimate with the last standby tried
    (``count`` people, ``a_post: floater``, each on shift ``shift`` "HH:MM"-"HH:MM",
    ``standby_hours`` staff-hours a day in all; None when no standby may be hired:
    ``max_new_staff``), ``kept`` True when that standby meets the empty-window target and
    is in the proposed roster."""

    empty: object
    intervals: int
    free: int
    standby: object
    standby_hours: float
    shift: tuple[str, str] = ("", "")
    kept: bool = False
    count: int = 1

    def sentence(self) -> Note:
        """What the absences left and what a standby does about it (a :class:`Note`:
        English, and Chinese with ``in_lang``)."""
        e, sb = self.empty, self.standby
        head = Note("rosv.absences", mean=e.mean, low=e.ci_low, high=e.ci_high, spells=self.intervals, free=self.free)
        if sb is None:
            return Note("rosv.standby_hire", head=head)
        kind = "kept" if self.kept else "bound"
        return Note(f"rosv.standby_{kind}" if self.count == 1 else f"rosv.standby2_{kind}", head=head,
                    start=self.shift[0], end=self.shift[1], hours=self.standby_hours, mean=sb.mean, low=sb.ci_low,
                    high=sb.ci_high)


@dataclass(frozen=True)
class RosterProposal:
    """What :func:`propose_roster` found: the ``requirement``, the final ``plan`` and its
    ``scenario`` and simulation ``result``; ``today`` (the scenario as it is) and ``bound``
    (every window attended all day) simulated on the same seeds; ``unmeetable`` the SLA
    fields the bound misses (no roster of these windows can meet them); ``absences`` an
    :class:`AbsenceBound` when the roster's only empty-window minutes come from random
    absences (else None); ``rounds`` (:data:`ROUND_COLUMNS`); ``verdict`` a sentence;
    ``required`` the windows per period of the requirement after the repairs; ``off`` the
    people given this day off (``days_per_week``); ``verdict_notes`` the verdict's
    sentences (:class:`~sim.results.notes.Note`), said in a language by :meth:`verdict_in`."""

    requirement: object
    plan: RosterPlan
    scenario: Scenario
    result: object
    today: object
    bound: object
    unmeetable: tuple[str, ...]
    rounds: pd.DataFrame
    verdict: str
    seconds: float
    absences: AbsenceBound | None = None
    required: tuple[int, ...] = ()
    off: frozenset[str] = frozenset()
    verdict_notes: tuple = ()

    def verdict_in(self, lang: str = "en") -> str:
        """The verdict in ``lang`` ("en" or "zh")."""
        return said_in(self.verdict_notes, lang) if self.verdict_notes else self.verdict


def _missed(sla: pd.DataFrame) -> set[str]:
    return set(sla.loc[sla["verdict"].isin(["not met", "uncertain"]), "target"])


def _empty_slots(result, slots: tuple[float, ...], slot_min: float) -> set[int]:
    """Slots in which some window was empty in some replication."""
    w = result.tables.columns("windows")
    empty = (w["state"] == "empty") & (w["end_min"] > w["start_min"])
    out = set()
    for a, b in zip(w["start_min"][empty], w["end_min"][empty]):
        for k, t in enumerate(slots):
            if t < b and a < t + slot_min:
                out.add(k)
    return out


def _empty_spells(result) -> int:
    w = result.tables.columns("windows")
    return int(((w["state"] == "empty") & (w["end_min"] > w["start_min"])).sum())


def without_absences(scenario: Scenario) -> Scenario:
    """The scenario with nobody's random absences (rate 0): what a roster plans for."""
    staff = [p.model_copy(update={"absences": p.absences.model_copy(update={"rate_per_hour": 0.0})})
             for p in scenario.staff]
    return scenario.model_copy(update={"staff": staff})


STANDBY_POST = "floater"
"""A standby person's A post: no fixed window, covers wherever one would be empty (:mod:`sim.model.roster`)."""


def with_standby(plan: RosterPlan, scenario: Scenario, first: int, last: int, name: str = "standby_1") -> RosterPlan:
    """``plan`` with a standby person ``name`` (A post ``floater``, no B post; a new hire)
    on shift over slots ``first`` … ``last - 1``, on the start grid, stretched to
    ``min_shift_min`` and cut to ``max_shift_min``; with a lunch when the shift is longer
    than ``lunch_after_min``, in the lunch slot (inside the shift and the lunch window)
    with the most free people. Its written hours are added to ``staff_hours``."""
    r = plan.rules
    S, T = r.slot_min, len(plan.slots)
    grid = max(1, r.start_grid_min // S)
    lo = (first // grid) * grid
    hi = min(T, -(-last // grid) * grid)
    shortest, longest = -(-r.min_shift_min // (grid * S)) * grid, max(grid, r.max_shift_min // (grid * S) * grid)
    if hi - lo < shortest:
        hi = min(T, lo + shortest)
        lo = max(0, min(lo, hi - shortest))
    hi = min(hi, lo + longest)
    row = [""] * T
    for k in range(lo, hi):
        row[k] = "free"
    lunch = ""
    n = math.ceil((r.lunch_min + r.break_buffer_min) / S)
    if (hi - lo) * S > r.lunch_after_min:
        lw = r.lunch_window or (scenario.hall.lunch.start, scenario.hall.lunch.end)
        lw_lo, lw_hi = to_minutes(lw[0]), to_minutes(lw[1])
        options = [k for k in range(lo, hi - n + 1) if lw_lo <= plan.slots[k] and plan.slots[k] + r.lunch_min <= lw_hi]
        if options:
            free = lambda k: sum(row_[q] == "free" for row_ in plan.attendance.values() for q in range(k, k + n))  # noqa: E731
            k = max(options, key=free)
            lunch = format_minutes(plan.slots[k])
            for q in range(k, k + n):
                row[q] = "lunch"
    start = plan.slots[lo] - (r.lead_min if lo == 0 else 0)
    end = plan.slots[hi - 1] + S + (r.stay_min if hi == T else 0)
    person = {"name": name, "new": True, "a_post": STANDBY_POST, "b_post": "", "shift_start": format_minutes(start),
              "shift_end": format_minutes(end), "lunch_start": lunch, "lunch_min": r.lunch_min if lunch else 0,
              "hours": (end - start) / 60.0, "changes": 6}
    people = pd.concat([plan.people, pd.DataFrame([person], columns=list(PEOPLE_COLUMNS))], ignore_index=True)
    return replace(plan, people=people, attendance={**plan.attendance, name: row},
                   staff_hours=plan.staff_hours + person["hours"], changes=plan.changes + 6)


def simulated_attendance(variant: Scenario, plan: RosterPlan, seed: int = 0) -> dict[str, list[str]]:
    """Where each of ``plan``'s people is in each slot on one simulated day of the roster
    scenario ``variant`` with absences off (replication 0, day 0), in the format of
    :attr:`RosterPlan.attendance`: the post the person spent most of the slot at (a window
    id or "guide"), "lunch" or "rest" for a break (lunch where the plan has lunch), "free"
    on shift without a post, "" off shift.
    This is the cover the simulation picks by its own rules (:mod:`sim.model.roster`: A at
    its own window first, then the window's B, floaters, anyone free), which the Gantt
    chart shows; the CP-SAT model only counts it."""
    from sim.experiments.simulation import simulate

    one = without_absences(variant)
    one = one.model_copy(update={"run": one.run.model_copy(update={"days": 1})})
    staff = simulate(one, seed=seed, reps=1).tables.columns("staff")
    S = plan.rules.slot_min
    out = {}
    for name in plan.attendance:
        mine = (staff["staff"] == name) & (staff["replication"] == staff["replication"].min()) \
            & (staff["day"] == staff["day"].min())
        spans = list(zip(staff["state"][mine], staff["post"][mine], staff["start_min"][mine], staff["end_min"][mine]))
        row = []
        for k, t in enumerate(plan.slots):
            time_at: dict[str, float] = {}
            for state, post, a, b in spans:
                overlap = min(b, t + S) - max(a, t)
                if overlap <= 0:
                    continue
                pause = "lunch" if plan.attendance[name][k] == "lunch" else "rest"
                label = (pause if state == "break" else "free" if state == "available"
                         else post if state in ("serving", "idle", "guide") and post else "")
                if label:
                    time_at[label] = time_at.get(label, 0.0) + overlap
            row.append(max(time_at, key=time_at.get) if time_at else "")
        out[name] = row
    return out


def _standby(scenario: Scenario, plan: RosterPlan, result, off: frozenset[str], seed: int, reps: int,
             note: str) -> tuple[AbsenceBound, tuple | None]:
    """Absence-only empty minutes: try the shortest standby shift over the slots where
    windows were empty, then one all day, then two all day (when ``max_new_staff``
    allows); the first whose simulation meets the empty-window target and misses no target
    the roster met is kept. Returns the :class:`AbsenceBound` and, when kept, the (plan,
    scenario, result) with the standby."""
    from sim.experiments.simulation import simulate

    empty = result.kpi("empty_window_min_per_day")
    spells, free = _empty_spells(result), int(min(plan.spare))
    cap = plan.rules.max_new_staff
    if cap is not None and int(plan.people["new"].sum()) >= cap:
        return AbsenceBound(empty, spells, free, None, 0.0), None
    taken = set(plan.people["name"]) | set(off)
    names = [f"standby_{k}" for k in range(1, len(taken) + 3) if f"standby_{k}" not in taken][:2]
    room = 2 if cap is None else min(2, cap - int(plan.people["new"].sum()))
    where = sorted(_empty_slots(result, plan.slots, plan.rules.slot_min))
    tried, bound = set(), None
    for first, last, count in ((where[0], where[-1] + 1, 1), (0, len(plan.slots), 1), (0, len(plan.slots), 2)):
        if count > room:
            break
        cand = plan
        for name in names[:count]:
            cand = with_standby(cand, scenario, first, last, name)
        rows = cand.people.iloc[-count:]
        shift = (rows["shift_start"].iloc[0], rows["shift_end"].iloc[0])
        if (shift, count) in tried:
            continue
        tried.add((shift, count))
        variant = roster_scenario(scenario, cand, note=note)
        res = simulate(variant, seed=seed, reps=reps)
        kept = not _missed(res.sla) - (_missed(result.sla) - {"empty_window_max_min"})
        bound = AbsenceBound(empty, spells, free, res.kpi("empty_window_min_per_day"), float(rows["hours"].sum()),
                             shift, kept, count)
        if kept:
            return bound, (cand, variant, res)
    return bound, None


def propose_roster(scenario: Scenario, rules: RosterRules = RosterRules(), period_min: float = 30.0,
                   reps: int | None = None, seed: int = 0, days: int | None = None, allow_new_windows: bool = False,
                   max_rounds: int = 4, progress=None, off: frozenset[str] = frozenset(),
                   reuse: RosterProposal | None = None) -> RosterProposal:
    """Requirement per period, roster, then check by simulation and repair (see the README
    section "Rosters"): simulate the roster with ``reps`` replications of ``days`` opening
    days; when a target that the hall meets with every window attended all day is missed,
    raise the requirement (+1 window) in the periods whose own targets miss and solve
    again; at most ``max_rounds`` rounds. Targets missed with every window attended are
    ``unmeetable``. Empty-window minutes are looked into with absences off (same seeds):
    empty minutes there (a planned leave not covered) add a free person (+1) in their
    slots; none there means they come only from random absences, which no roster of
    people at posts removes: a standby person (``a_post: floater``) is added, the shortest
    shift over the slots where windows were empty first, then one all day, when its
    simulation meets the target; else they are named with their figure and the standby's
    (:class:`AbsenceBound`). ``off``: people who may not work (days off for
    ``days_per_week``). ``reuse``: a proposal for the same hours and demand whose
    requirement, references and repaired requirement are taken as they are (only the
    roster is solved and checked again)."""
    import time

    from sim.experiments.requirement import always_staffed, judge_periods, period_kpis, period_requirement, sla_targets
    from sim.experiments.simulation import simulate

    began = time.perf_counter()
    if days is not None and not scenario.continuous:
        scenario = scenario.model_copy(update={"run": scenario.run.model_copy(update={"days": days})})
    reps = scenario.run.replications if reps is None else reps
    extra = 2 if allow_new_windows else 0
    cap = len(scenario.windows) + extra
    if reuse is None:
        req = period_requirement(scenario, period_min=period_min, reps=reps, seed=seed, max_windows=cap)
        bound = simulate(always_staffed(scenario), seed=seed, reps=reps, tables=False)
        today = simulate(scenario, seed=seed, reps=reps, tables=False) if scenario.staff else None
        required, spare = list(req.required), None
    else:
        req, bound, today = reuse.requirement, reuse.bound, reuse.today
        required, spare = list(reuse.required or req.required), list(reuse.plan.spare)
    ids = [scenario.windows[i].id for i in opening_order(scenario)]
    k = len(ids) + 1
    while len(ids) < cap:
        while f"W{k}" in ids:
            k += 1
        ids.append(f"W{k}")
    unmeetable = tuple(sorted(_missed(bound.sla)))
    cuts = list(req.cuts)
    rounds = []
    targets = sla_targets(scenario)
    has_absences = any(p.absences.rate_per_hour > 0 for p in scenario.staff)
    note = f"Roster proposed by hallsim roster (seed {seed})."
    plan = variant = result = None
    absence_only = False
    for r in range(max_rounds):
        plan = solve_roster(scenario, cuts, required, rules, spare=spare,
                            windows=ids[:max(max(required), len(scenario.windows))], off=off)
        variant = roster_scenario(scenario, plan, note=note)
        result = simulate(variant, seed=seed, reps=reps)
        if progress:
            progress(r + 1, max_rounds)
        missed = _missed(result.sla) - set(unmeetable)
        raised = []
        if missed & set(targets):
            _, per, figures = judge_periods(period_kpis(result, cuts), targets, len(required), scenario.sla.confidence)
            for p, bad in enumerate(per):
                if bad and required[p] < cap:
                    required[p] += 1
                    raised.append(f"+1 window {req.table.loc[p, 'period_start']}")
            if not raised:  # a day-wide wait target missed in no period alone: +1 window where it is worst
                column = {"elderly_wait_p90_max_min": "elderly_wait_p90_min", "wait_p90_max_min": "wait_p90_min",
                          "wait_mean_max_min": "wait_mean_min", "abandonment_rate_max": "abandonment_rate"}
                for name in sorted(missed & set(targets)):
                    worst = [(figures[p].get(column.get(name, ""), math.nan), p) for p in range(len(required))
                             if required[p] < cap]
                    worst = [(v, p) for v, p in worst if math.isfinite(v)]
                    if worst:
                        p = max(worst)[1]
                        required[p] += 1
                        raised.append(f"+1 window {req.table.loc[p, 'period_start']} ({name} worst there)")
        absence_only = False
        if "empty_window_max_min" in missed:
            check = simulate(without_absences(variant), seed=seed, reps=reps) if has_absences else result
            if has_absences and _empty_spells(check) == 0:
                absence_only = True
            else:
                spare = list(plan.spare)
                for t in sorted(_empty_slots(check, plan.slots, rules.slot_min)):
                    spare[t] += 1
                    raised.append(f"+1 free {format_minutes(plan.slots[t])}")
        shown = sorted(m + (" (random absences only)" if absence_only and m == "empty_window_max_min" else "")
                       for m in missed)
        rounds.append([r + 1, plan.staff_hours, len(plan.people), ", ".join(shown), "; ".join(raised)])
        if not raised:
            break
    missed = _missed(result.sla) - set(unmeetable)
    absences = None
    if absence_only:
        absences, kept = _standby(scenario, plan, result, off, seed, reps, note)
        if kept is not None:
            plan, variant, result = kept
            missed = _missed(result.sla) - set(unmeetable)
            rounds[-1][-1] = (f"+{'standby floater' if absences.count == 1 else f'{absences.count} standby floaters'}"
                              f" {absences.shift[0]}-{absences.shift[1]}")
            rounds.append([len(rounds) + 1, plan.staff_hours, len(plan.people), ", ".join(sorted(missed)), ""])
        else:
            missed.discard("empty_window_max_min")
    plan = replace(plan, simulated=simulated_attendance(variant, plan, seed))
    long_runs = {n: continuous_at_windows(row, rules.slot_min) for n, row in plan.simulated.items()}
    long_runs = {n: v for n, v in long_runs.items() if v > rules.max_continuous_min}
    parts = []
    if not missed:
        parts.append(Note("rosv.meets_but_absences" if absences is not None and not absences.kept else "rosv.meets"))
    else:
        parts.append(Note("rosv.missed", targets=", ".join(sorted(missed)), rounds=len(rounds)))
    if absences is not None:
        parts.append(absences.sentence())
    for t in unmeetable:
        row = bound.sla[bound.sla["target"] == t].iloc[0]
        remedy = Note(f"rosv.remedy.{t}" if t in REMEDIES else "rosv.remedy.other")
        parts.append(Note("rosv.unmeetable", label=Note(f"sla.{t}", v=row["limit"]), mean=row["mean"],
                          low=row["ci_low"], high=row["ci_high"], limit=row["limit"], remedy=remedy))
    if long_runs:
        parts.append(Note("rosv.long_runs", runs=tuple(Note("rosv.run", name=n, minutes=v) for n, v in long_runs.items()),
                          limit=rules.max_continuous_min))
    if plan.status != "OPTIMAL":
        parts.append(Note("rosv.not_proven", limit=rules.time_limit_s))
    capped = req.table[req.table["capped"]]
    if len(capped):
        spans = ", ".join(f"{a}-{b}" for a, b in zip(capped["period_start"], capped["period_end"]))
        parts.append(Note("rosv.lacks_windows_allowed" if allow_new_windows else "rosv.lacks_windows", cap=cap,
                          spans=spans))
    frame = pd.DataFrame.from_records([tuple(r) for r in rounds], columns=list(ROUND_COLUMNS))
    return RosterProposal(req, plan, variant, result, today, bound, unmeetable, frame, said_in(parts, "en"),
                          time.perf_counter() - began, absences, tuple(required), frozenset(off), tuple(parts))
