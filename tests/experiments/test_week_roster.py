"""A roster per opening weekday when demand differs by weekday (sim.experiments.week_roster)."""

from __future__ import annotations

import yaml

from sim.experiments.rostering import RosterRules
from sim.experiments.simulation import simulate
from sim.experiments.week_roster import propose_week, weekday_groups
from sim.scenario.loader import load_scenario_text

HALL = {"hall": {"name": "Tiny", "level": "town", "floor_area_m2": 50,
                 "opening_hours": {"mon": {"open": "09:00", "close": "13:00"}, "tue": {"open": "09:00", "close": "13:00"},
                                   "wed": {"open": "09:00", "close": "13:00"}},
                 "lunch": {"mode": "staggered", "start": "11:00", "end": "13:00"}},
        "windows": [{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]},
                    {"id": "W3", "services": ["consult"]}],
        "demand": {"visitors_per_day": 40, "service_mix": {"consult": 1},
                   "weekday_factors": {"mon": 2.5, "tue": 0.5, "wed": 0.5}},
        "services": {"consult": {"window_time": {"dist": "exponential", "mean": 4}}},
        "policies": {"staffing": "roster", "green_channel": {"mode": "none"}},
        "devices": {"kiosks": {"count": 1, "services": []}},
        "staff": [{"name": n, "a_post": a, "b_post": b, "shift": {"start": "09:00", "end": "13:00"}}
                  for n, a, b in (("ann", "W1", "W2"), ("bob", "W2", "W1"), ("cat", "W3", "W1"))],
        "run": {"days": 6, "replications": 3}}
RULES = RosterRules(min_shift_min=120, lunch_min=30, lunch_after_min=240, lead_min=0, stay_min=0, time_limit_s=10)


def test_busy_monday_gets_its_own_roster_and_the_week_runs_as_planned():
    """Monday (2.5x) and Tuesday/Wednesday (0.5x) are two groups; Monday's roster has
    more staff-hours; the joined scenario gives each weekday its people (by_weekday, null
    for a day off) and window hours, and its simulation has no empty window (no absences)."""
    s = load_scenario_text(yaml.safe_dump(HALL), "<tiny>")
    assert weekday_groups(s) == [("mon",), ("tue", "wed")]
    week = propose_week(s, RULES, reps=3, max_rounds=1)
    mon, quiet = week.proposals[("mon",)], week.proposals[("tue", "wed")]
    assert mon.plan.staff_hours > quiet.plan.staff_hours
    assert week.staff_hours == mon.plan.staff_hours + 2 * quiet.plan.staff_hours
    j = week.scenario
    for d, prop in (("mon", mon), ("tue", quiet), ("wed", quiet)):
        assert {p.name for p in j.staff_on(d)} == set(prop.plan.people["name"])
        for w in j.windows:
            hours = prop.plan.windows_hours.get(w.id, [])
            got = w.hours_on(d)
            assert (got is None) == (hours is None) and len(got or []) == len(hours or [])
    assert simulate(j, reps=2).kpi("empty_window_min_per_day").mean == 0.0
    assert all(set(days) <= {"mon", "tue", "wed"} for days in week.days_at_work.values())


def test_same_every_day_gives_one_roster():
    """per_weekday=False: one roster serves every opening day, as the scenario format had it."""
    s = load_scenario_text(yaml.safe_dump(HALL), "<tiny>")
    week = propose_week(s, RULES, reps=2, days=3, max_rounds=1, per_weekday=False)
    assert list(week.proposals) == [("mon", "tue", "wed")]
    assert not any(p.by_weekday for p in week.scenario.staff)
