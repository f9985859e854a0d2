"""A roster for each opening weekday, when demand differs by weekday.

The opening weekdays are grouped by their opening hours and weekday factor
(:func:`weekday_groups`): Monday's peak is not Friday's. For each group,
:func:`sim.experiments.rostering.propose_roster` runs on the scenario with only that
group's weekdays open, over its share of the simulated days (``days`` x group size /
opening weekdays, at least one), so the whole week costs about as many simulated days as
one roster for every day. The rosters are then written into one scenario with
``staff.*.by_weekday`` (a day off is null) and ``windows.*.hours_by_weekday``
(:func:`week_scenario`); a person's name means the same person on every weekday (new
hires too: ``new_1`` on Monday and on Tuesday is one person), and their days at work are
checked against ``rules.days_per_week`` (said in the verdict; not a constraint across
weekdays).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sim.experiments.rostering import RosterProposal, RosterRules, propose_roster, roster_scenario
from sim.scenario.loader import scenario_to_dict, validate
from sim.scenario.schema import WEEKDAYS, Scenario

__all__ = ["WeekRoster", "weekday_groups", "propose_week", "week_scenario"]


@dataclass(frozen=True)
class WeekRoster:
    """Rosters for the opening weekdays: ``proposals`` maps each group of weekdays (a
    tuple, e.g. ("tue", "wed")) to its :class:`~sim.experiments.rostering.RosterProposal`;
    ``scenario`` holds them all (``by_weekday``); ``days_at_work`` maps each person to
    the weekdays they work; ``verdict`` one sentence per group; ``seconds`` run time."""

    proposals: dict[tuple[str, ...], RosterProposal]
    scenario: Scenario
    days_at_work: dict[str, tuple[str, ...]]
    verdict: str
    seconds: float

    @property
    def staff_hours(self) -> float:
        """Staff-hours a week."""
        return float(sum(p.plan.staff_hours * len(g) for g, p in self.proposals.items()))


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
    data["policies"]["staffing"] = "roster"
    return validate(data, "<week roster>")


def propose_week(scenario: Scenario, rules: RosterRules = RosterRules(), period_min: float = 30.0,
                 reps: int | None = None, seed: int = 0, days: int | None = None, allow_new_windows: bool = False,
                 max_rounds: int = 4, per_weekday: bool = True, progress=None) -> WeekRoster:
    """A roster per group of opening weekdays (:func:`weekday_groups`; one group of every
    opening weekday when ``per_weekday`` is False), each by
    :func:`~sim.experiments.rostering.propose_roster` on its share of ``days`` opening
    days (default ``run.days``), joined into one scenario (:func:`week_scenario`; with one
    group, that roster's scenario as it is)."""
    began = time.perf_counter()
    groups = weekday_groups(scenario)
    if not per_weekday:
        groups = [tuple(d for g in groups for d in g)]
    total = scenario.run.days if days is None else days
    n_open = sum(len(g) for g in groups)
    proposals = {}
    for k, group in enumerate(groups):
        share = max(1, round(total * len(group) / n_open))
        sub = scenario if len(groups) == 1 else _only(scenario, group, share)
        proposals[group] = propose_roster(sub, rules, period_min=period_min, reps=reps,
                                          seed=seed, days=days if len(groups) == 1 else None, allow_new_windows=allow_new_windows, max_rounds=max_rounds)
        if progress:
            progress(k + 1, len(groups))
    worked: dict[str, list[str]] = {}
    for group, prop in proposals.items():
        for name in prop.plan.people["name"]:
            worked.setdefault(name, []).extend(group)
    parts = [f"{'-'.join(g)}: {p.verdict}" for g, p in proposals.items()]
    over = sorted(n for n, ds in worked.items() if len(ds) > rules.days_per_week)
    if over:
        parts.append(f"{', '.join(over)} would work more than days_per_week {rules.days_per_week} days "
                     f"(the weekday rosters are solved one by one): give them a day off by hand or hire")
    joined = next(iter(proposals.values())).scenario if len(proposals) == 1 else week_scenario(scenario, proposals)
    return WeekRoster(proposals, joined,
                      {n: tuple(d for d in WEEKDAYS if d in ds) for n, ds in worked.items()}, "; ".join(parts),
                      time.perf_counter() - began)
