"""A roster for each opening weekday, when demand differs by weekday.

The opening weekdays are grouped by their opening hours and weekday factor
(:func:`weekday_groups`): Monday's peak is not Friday's. For each group,
:func:`sim.experiments.rostering.propose_roster` runs on the scenario with only that
group's weekdays open, over its share of the simulated days (``days`` x group size /
opening weekdays, at least one), so the whole week costs about as many simulated days as
one roster for every day. The rosters are then written into one scenario with
``staff.*.by_weekday`` (a day off is null) and ``windows.*.hours_by_weekday``
(:func:`week_scenario`); a person's name means the same person on every weekday (new
hires too: ``new_1`` on Monday and on Tuesday is one person).

``rules.days_per_week`` holds across the week: the weekday rosters are solved first
without it; whoever would work more days is given days off (:func:`days_off`: chosen
together by CP-SAT, fewest days short of their need, then spread over the week), a group of
weekdays whose days now differ in who is off is split, and the rosters of the days with
new days off are solved again with those people left out (``off``; the requirement and
its repairs are kept, the roster is checked by simulation again), until nobody works more
than ``days_per_week`` days. A week that needs more person-days than the people allowed
can give (the scenario's staff plus ``max_new_staff``) is named before that
(:class:`~sim.experiments.rostering.RosterInfeasible` with the rule ``days_per_week``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from sim.experiments.rostering import RosterInfeasible, RosterProposal, RosterRules, propose_roster, roster_scenario
from sim.results.notes import Note, Term, said_in
from sim.results.labels import TEXTS
from sim.scenario.loader import scenario_to_dict, validate
from sim.scenario.schema import WEEKDAYS, Scenario
from sim.scenario.visits import HELPER_POST

__all__ = ["WeekRoster", "weekday_groups", "propose_week", "week_scenario", "days_off", "people_needed"]


@dataclass(frozen=True)
class WeekRoster:
    """Rosters for the opening weekdays: ``proposals`` maps each group of weekdays (a
    tuple, e.g. ("tue", "wed")) to its :class:`~sim.experiments.rostering.RosterProposal`;
    ``scenario`` holds them all (``by_weekday``); ``days_at_work`` maps each person to
    the weekdays they work (at most ``rules.days_per_week`` each); ``off`` each weekday's
    people given that day off for ``days_per_week`` (the rule's value); ``verdict`` one
    sentence per group, then the days off; ``seconds`` run time."""

    proposals: dict[tuple[str, ...], RosterProposal]
    scenario: Scenario
    days_at_work: dict[str, tuple[str, ...]]
    verdict: str
    seconds: float
    off: dict[str, tuple[str, ...]] | None = None
    days_per_week: int = 5

    @property
    def days_off_sentence(self) -> str:
        """Who was given which days off for ``days_per_week`` ("" when nobody)."""
        return self.days_off_in("en")

    def _days_off_notes(self) -> list[Note]:
        """Who was given which days off, as a sentence (none when nobody was)."""
        if not self.off:
            return []
        return [Note("rosv.days_off", limit=self.days_per_week,
                     items=tuple(Note("rosv.day_off", day=Term(d, f"weekday.{d}") if f"weekday.{d}" in TEXTS else d,
                                      names=" ".join(n)) for d, n in self.off.items()))]

    def days_off_in(self, lang: str = "en") -> str:
        """:attr:`days_off_sentence` in ``lang`` ("en" or "zh")."""
        return said_in(self._days_off_notes(), lang)

    def verdict_in(self, lang: str = "en") -> str:
        """The verdict in ``lang``: each group's (:meth:`RosterProposal.verdict_in`), then the days off."""
        groups = [Note("rosv.group", days="-".join(g), verdict=_Said(p)) for g, p in self.proposals.items()]
        return said_in(groups + self._days_off_notes(), lang)

    @property
    def staff_hours(self) -> float:
        """Staff-hours a week."""
        return float(sum(p.plan.staff_hours * len(g) for g, p in self.proposals.items()))


class _Said:
    """A proposal's verdict as a value of a :class:`Note`: said in the note's language."""

    def __init__(self, proposal: RosterProposal):
        self.proposal = proposal

    def __str__(self) -> str:
        return self.proposal.verdict

    def in_lang(self, lang: str) -> str:
        return self.proposal.verdict_in(lang)


def weekday_groups(scenario: Scenario) -> list[tuple[str, ...]]:
    """The opening weekdays, grouped by equal opening hours and weekday factor, in week order."""
    groups: dict[tuple, list[str]] = {}
    for d in WEEKDAYS:
        hours = scenario.hall.opening_hours.get(d)
        if hours is not None:
            key = (hours.open, hours.close, scenario.demand.weekday_factors.get(d, 1.0))
            groups.setdefault(key, []).append(d)
    return [tuple(g) for g in groups.values()]


def _only(scenario: Scenario, days: tuple[str, ...], n_days: int) -> Scenario:
    hours = {d: (h if d in days else None) for d, h in scenario.hall.opening_hours.items()}
    return scenario.model_copy(update={"hall": scenario.hall.model_copy(update={"opening_hours": hours}),
                                       "run": scenario.run.model_copy(update={"days": n_days})})


def week_scenario(scenario: Scenario, proposals: dict[tuple[str, ...], RosterProposal]) -> Scenario:
    """``scenario`` with each group's roster on its weekdays: window hours in
    ``hours_by_weekday``, people with ``by_weekday`` (null on the opening weekdays they
    do not work); a person's own fields are those of the first weekday they work."""
    data = scenario_to_dict(scenario)
    opening = [d for d in WEEKDAYS if scenario.hall.opening_hours.get(d) is not None]
    windows = {w["id"]: w for w in data["windows"]}
    people: dict[str, dict] = {}
    for group, prop in proposals.items():
        day = scenario_to_dict(roster_scenario(scenario, prop.plan))
        for w in day["windows"]:
            if w["id"] not in windows:
                windows[w["id"]] = {**w, "hours_by_weekday": {}}
            for d in group:
                windows[w["id"]]["hours_by_weekday"][d] = w["hours"]
        for p in day["staff"]:
            entry = people.setdefault(p["name"], {**p, "by_weekday": {}})
            for d in group:
                entry["by_weekday"][d] = {k: p[k] for k in ("a_post", "b_post", "shift", "breaks")}
    for w in windows.values():
        for d in opening:
            w["hours_by_weekday"].setdefault(d, [])  # a window no roster of that weekday opens
    for p in people.values():
        for d in opening:
            p["by_weekday"].setdefault(d, None)
    data["windows"] = list(windows.values())
    data["staff"] = list(people.values())
    if proposals:  # the rosters' policies (staffing, breaks waiting for cover, rests): the same for every group
        data["policies"] = day["policies"]
    return validate(data, "<week roster>")


def people_needed(plan) -> int:
    """People at once at the plan's busiest slot: open windows, free people kept for
    absences and the guide desk (a lower bound of the people who work that day)."""
    guide = int((plan.people["a_post"] == "guide").any())
    return max(sum(f[t] for f in plan.open.values()) + plan.spare[t] for t in range(len(plan.slots))) + guide


def days_off(worked: dict[str, list[str]], need: dict[str, int], present: dict[str, int],
             days_per_week: int) -> dict[str, set[str]]:
    """Days off for whoever works more than ``days_per_week`` of the weekdays in ``worked``
    (name -> weekdays): each such person takes exactly the excess off, among the days they
    work, chosen together by a small CP-SAT model so that as few days as possible fall
    short of their ``need`` (a day's ``present`` people less those off; each person short
    is a new hire that day), then the days off spread (fewest off on any one day), then on
    the days with the most people beyond their need. Returns weekday -> names off."""
    from ortools.sat.python import cp_model  # imported on use: the solver loads a large library

    over = {n: ds for n, ds in worked.items() if len(ds) > days_per_week}
    if not over:
        return {}
    m = cp_model.CpModel()
    off = {(n, d): m.new_bool_var(f"off_{n}_{d}") for n, ds in over.items() for d in ds}
    for n, ds in over.items():
        m.add(sum(off[n, d] for d in ds) == len(ds) - days_per_week)
    days = sorted({d for ds in over.values() for d in ds}, key=WEEKDAYS.index)
    slack = {d: present[d] - need[d] for d in days}
    most = m.new_int_var(0, len(over), "most")
    short = []
    for d in days:
        on_d = sum(v for (n, e), v in off.items() if e == d)
        s_d = m.new_int_var(0, len(over), f"short_{d}")
        m.add(s_d >= on_d - max(0, slack[d]))
        m.add(most >= on_d)
        short.append(s_d)
    top = max(slack.values())
    # days short first, then the spread, then the days with less room (and later in the week) last
    prefer = sum(((top - slack[e]) * 8 + WEEKDAYS.index(e)) * v for (n, e), v in off.items())
    m.minimize(sum(short) * 1_000_000 + most * 10_000 + prefer)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # a dozen variables: never in practice
        raise RosterInfeasible("days_per_week: no choice of days off found", ["days_per_week"])
    out: dict[str, set[str]] = {}
    for (n, d), v in off.items():
        if solver.value(v):
            out.setdefault(d, set()).add(n)
    return out


def _worked(proposals: dict[tuple[str, ...], RosterProposal]) -> dict[str, list[str]]:
    worked: dict[str, list[str]] = {}
    for group, prop in proposals.items():
        for name in prop.plan.people["name"]:
            worked.setdefault(name, []).extend(group)
    return worked


def _check_person_days(scenario: Scenario, proposals: dict[tuple[str, ...], RosterProposal], rules: RosterRules):
    """Raise :class:`RosterInfeasible` (``days_per_week``, ``people``) when the week needs
    more person-days than the people allowed can work."""
    if rules.max_new_staff is None:
        return
    need = {d: people_needed(p.plan) for g, p in proposals.items() for d in g}
    n_staff = sum(1 for p in scenario.staff if p.a_post != HELPER_POST)
    people = n_staff + rules.max_new_staff
    if sum(need.values()) > people * rules.days_per_week:
        days = ", ".join(f"{d} {need[d]}" for d in WEEKDAYS if d in need)
        raise RosterInfeasible(
            f"days_per_week: the week needs at least {sum(need.values())} person-days (people at once at the "
            f"busiest slot: {days}) but {people} people (the scenario's {n_staff} + max_new_staff "
            f"{rules.max_new_staff}) working at most days_per_week {rules.days_per_week} days give "
            f"{people * rules.days_per_week}", ["days_per_week", "people"])


HIRES = ("new_", "standby_")
"""Name prefixes of new hires and standbys: interchangeable people, named across the week
by :func:`hire_names`."""


def _number(name: str) -> int:
    tail = name.rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def hire_names(proposals: dict[tuple[str, ...], RosterProposal], days_per_week: int) -> dict[tuple[str, ...], dict]:
    """Week names for each group's new hires and standbys (their per-day names are
    arbitrary): in week order, each hire takes the name of that kind that has worked the
    fewest days so far and can still work the group's days within ``days_per_week`` (its
    own name first among equals), else the next unused one. Returns group -> {day name:
    week name}."""
    days_of: dict[str, int] = {}
    out = {}
    for group, prop in proposals.items():
        mapping: dict[str, str] = {}
        for prefix in HIRES:
            used: set[str] = set()
            for h in sorted((n for n in prop.plan.people["name"] if n.startswith(prefix)), key=_number):
                ok = [n for n in days_of if n.startswith(prefix) and n not in used
                      and days_of[n] + len(group) <= days_per_week]
                if ok:
                    name = min(ok, key=lambda n: (days_of[n], n != h, _number(n)))
                else:
                    name = next(f"{prefix}{k}" for k in range(1, len(days_of) + len(used) + 2)
                                if f"{prefix}{k}" not in days_of and f"{prefix}{k}" not in used)
                used.add(name)
                days_of[name] = days_of.get(name, 0) + len(group)
                mapping[h] = name
        out[group] = mapping
    return out


def _renamed(prop: RosterProposal, mapping: dict[str, str]) -> RosterProposal:
    """``prop`` with people renamed (``mapping``: old -> new) in its plan and scenario."""
    if all(k == v for k, v in mapping.items()):
        return prop
    name = lambda n: mapping.get(n, n)  # noqa: E731
    plan = prop.plan
    plan = replace(plan, people=plan.people.assign(name=[name(n) for n in plan.people["name"]]),
                   attendance={name(n): r for n, r in plan.attendance.items()},
                   simulated=None if plan.simulated is None else {name(n): r for n, r in plan.simulated.items()})
    staff = [p.model_copy(update={"name": name(p.name)}) for p in prop.scenario.staff]
    return replace(prop, plan=plan, scenario=prop.scenario.model_copy(update={"staff": staff}))


def _keep_days_per_week(scenario: Scenario, groups: list[tuple[str, ...]], first: dict, rules: RosterRules,
                        propose) -> dict[tuple[str, ...], RosterProposal]:
    """The week's rosters with nobody above ``rules.days_per_week`` days (module
    docstring): groups longer than ``days_per_week`` are split into days, hires named
    across the week (:func:`hire_names`), the scenario's people who would work too many
    days given days off (:func:`days_off`) and their days solved again (``propose(days,
    off, reuse)``), until none is left."""
    dpw = rules.days_per_week
    solved = {(g, frozenset()): p for g, p in first.items()}
    off_on: dict[str, set[str]] = {d: set() for g in groups for d in g}
    hires = lambda n: n.startswith(HIRES)  # noqa: E731
    for attempt in range(len(off_on) + 1):
        proposals = {}
        for g in groups:
            parts: dict[tuple, list[str]] = {}
            for d in g:
                parts.setdefault((frozenset(off_on[d]), d if len(g) > dpw else ""), []).append(d)
            for (off, _), ds in parts.items():
                if (g, off) not in solved:
                    solved[g, off] = propose(tuple(ds), off, first[g])
                proposals[tuple(ds)] = solved[g, off]
        proposals = dict(sorted(proposals.items(), key=lambda kv: WEEKDAYS.index(kv[0][0])))
        names = hire_names(proposals, dpw)
        proposals = {g: _renamed(p, names[g]) for g, p in proposals.items()}
        worked = _worked(proposals)
        over = {n: ds for n, ds in worked.items() if len(ds) > dpw and not hires(n)}
        if not over:
            break
        if attempt == 0:
            _check_person_days(scenario, proposals, rules)
        if attempt == len(off_on):
            raise RosterInfeasible(f"days_per_week: {', '.join(sorted(over))} would still work more than "
                                   f"days_per_week {dpw} days after {attempt} rounds of days off", ["days_per_week"])
        present = {d: len(p.plan.people) for g, p in proposals.items() for d in g}
        need = {d: people_needed(p.plan) for g, p in proposals.items() for d in g}
        for d, names_off in days_off(over, need, present, dpw).items():
            off_on[d] |= names_off
    n_hires = sum(1 for n in worked if hires(n))
    if rules.max_new_staff is not None and n_hires > rules.max_new_staff:
        raise RosterInfeasible(f"days_per_week: the week's rosters need {n_hires} new hires working at most "
                               f"days_per_week {dpw} days each, more than max_new_staff {rules.max_new_staff}",
                               ["days_per_week", "people"])
    return proposals


@dataclass(frozen=True)
class _GroupTask:
    """One group's roster to propose (picklable, for a worker process): the scenario with
    only its weekdays open, the rules to solve with and those to report, and the keyword
    arguments of :func:`~sim.experiments.rostering.propose_roster`."""

    scenario: Scenario
    solve_rules: RosterRules
    rules: RosterRules
    options: dict


def _propose_group(task: _GroupTask) -> RosterProposal:
    prop = propose_roster(task.scenario, task.solve_rules, **task.options)
    return replace(prop, plan=replace(prop.plan, rules=task.rules))


def propose_week(scenario: Scenario, rules: RosterRules = RosterRules(), period_min: float = 30.0,
                 reps: int | None = None, seed: int = 0, days: int | None = None, allow_new_windows: bool = False,
                 max_rounds: int = 4, per_weekday: bool = True, progress=None, workers: int | None = 1) -> WeekRoster:
    """A roster per group of opening weekdays (:func:`weekday_groups`; one group of every
    opening weekday when ``per_weekday`` is False), each by
    :func:`~sim.experiments.rostering.propose_roster` on its share of ``days`` opening
    days (default ``run.days``), with days off so that nobody works more than
    ``rules.days_per_week`` days (module docstring), joined into one scenario
    (:func:`week_scenario`; with one group, that roster's scenario as it is). ``workers``
    processes (None: every core) propose the groups' first rosters side by side (each is
    the same as alone: one solver thread each, the same seeds); the days-off rounds run in
    this process."""
    began = time.perf_counter()
    groups = weekday_groups(scenario)
    if not per_weekday:
        groups = [tuple(d for g in groups for d in g)]
    total = scenario.run.days if days is None else days
    n_open = sum(len(g) for g in groups)
    # per weekday, days_per_week is kept across the week here, not by each group's roster
    solve_rules = replace(rules, days_per_week=7) if per_weekday else rules

    def task(group, off=frozenset(), reuse=None) -> _GroupTask:
        whole = len(groups) == 1 and group == groups[0]
        sub = scenario if whole else _only(scenario, group, max(1, round(total * len(group) / n_open)))
        return _GroupTask(sub, solve_rules, rules, dict(period_min=period_min, reps=reps, seed=seed,
                                                       days=days if whole else None,
                                                       allow_new_windows=allow_new_windows, max_rounds=max_rounds,
                                                       off=off, reuse=reuse))

    def propose(group, off=frozenset(), reuse=None):
        return _propose_group(task(group, off, reuse))

    from sim.experiments.executors import run_jobs

    done = run_jobs([task(g) for g in groups], workers=workers, progress=progress, fn=_propose_group)
    first = dict(zip(groups, done))
    proposals = first
    if per_weekday:
        proposals = _keep_days_per_week(scenario, groups, first, rules, propose)
    off_on = {d: p.off for g, p in proposals.items() for d in g}
    worked = _worked(proposals)
    given = {d: tuple(sorted(n)) for d, n in off_on.items() if n}
    joined = next(iter(proposals.values())).scenario if len(proposals) == 1 else week_scenario(scenario, proposals)
    week = WeekRoster(proposals, joined, {n: tuple(d for d in WEEKDAYS if d in ds) for n, ds in worked.items()}, "",
                      time.perf_counter() - began, given, rules.days_per_week)
    return replace(week, verdict=week.verdict_in("en"))
