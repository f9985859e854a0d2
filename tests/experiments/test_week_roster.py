"""A roster per opening weekday when demand differs by weekday (sim.experiments.week_roster)."""

from __future__ import annotations

from dataclasses import replace

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.experiments.rostering import RosterInfeasible, RosterRules, check_plan
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


def _week_hall(open_days, factors, visitors=40):
    doc = yaml.safe_load(yaml.safe_dump(HALL))
    doc["hall"]["opening_hours"] = {d: {"open": "09:00", "close": "13:00"} for d in open_days}
    doc["demand"]["weekday_factors"] = dict(zip(open_days, factors))
    doc["demand"]["visitors_per_day"] = visitors
    doc["run"]["days"] = len(open_days)
    return load_scenario_text(yaml.safe_dump(doc), "<tiny week>")


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_days=st.integers(3, 5), days_per_week=st.integers(1, 4),
       factors=st.lists(st.sampled_from([0.5, 1.0, 2.5]), min_size=5, max_size=5))
def test_every_proposed_week_keeps_days_per_week_for_every_person(n_days, days_per_week, factors):
    """Over generated weeks (3-5 opening days, weekday factors, days_per_week 1-4): nobody
    in the proposed week works more than days_per_week days (new hires and standbys
    included), each weekday's roster keeps every rule of its day, and the people given a
    day off are not on that day's roster."""
    open_days = ("mon", "tue", "wed", "thu", "fri")[:n_days]
    s = _week_hall(open_days, factors[:n_days])
    rules = replace(RULES, days_per_week=days_per_week)
    week = propose_week(s, rules, reps=2, max_rounds=1)
    assert week.days_at_work and all(len(d) <= days_per_week for d in week.days_at_work.values()), week.days_at_work
    for group, prop in week.proposals.items():
        assert check_plan(prop.plan, _only_days(s, group)) == []
        for d in group:
            assert not set((week.off or {}).get(d, ())) & {p.name for p in week.scenario.staff_on(d)}
    assert {p.name for d in open_days for p in week.scenario.staff_on(d)} == set(week.days_at_work)


def _only_days(s, days):
    hours = {d: (h if d in days else None) for d, h in s.hall.opening_hours.items()}
    return s.model_copy(update={"hall": s.hall.model_copy(update={"opening_hours": hours})})


def test_days_per_week_too_small_without_new_hires_names_the_rule():
    """Three busy weekdays that need at least two people at once each, three people, no new
    hires and one day a week each: 6 person-days needed, 3 possible; the message names
    days_per_week (and the people it lacks)."""
    s = _week_hall(("mon", "tue", "wed"), (2.5, 2.0, 1.0), visitors=60)
    rules = replace(RULES, days_per_week=1, max_new_staff=0)
    try:
        propose_week(s, rules, reps=2, max_rounds=1)
    except RosterInfeasible as exc:
        assert "days_per_week" in exc.rules and "days_per_week" in str(exc) and "person-days" in str(exc)
    else:
        raise AssertionError("a week with too few person-days was proposed")


def test_days_off_are_given_and_the_days_solved_again():
    """Four equal weekdays that need three people at once, three people and days_per_week
    3: each of today's people gets one day off (on different days), the days are solved
    again without them (a new hire, one person all week, fills in) and the verdict says
    who is off when."""
    s = _week_hall(("mon", "tue", "wed", "thu"), (1.0, 1.0, 1.0, 1.0), visitors=60)
    week = propose_week(s, replace(RULES, days_per_week=3), reps=2, max_rounds=1)
    assert all(len(d) <= 3 for d in week.days_at_work.values())
    assert sorted(n for names in week.off.values() for n in names) == ["ann", "bob", "cat"]
    assert len(week.off) == 3  # spread over the week
    assert all(len(week.days_at_work[n]) == 3 for n in ("ann", "bob", "cat"))
    assert "days off for days_per_week 3" in week.verdict
    for d, names in week.off.items():
        assert not set(names) & {p.name for p in week.scenario.staff_on(d)}


def test_days_off_are_chosen_together_so_that_no_day_falls_short():
    """days_per_week 2: four people working 2-4 of four days must take days off; chosen
    one person at a time (most days first, the roomiest days first) Monday would fall one
    person short, chosen together no day does, and everyone takes exactly their excess."""
    from sim.experiments.week_roster import days_off

    worked = {"p0": ["mon", "tue", "wed", "thu"], "p1": ["tue", "wed"], "p2": ["mon", "tue"],
              "p3": ["mon", "tue", "wed"]}
    room = {"mon": 0, "tue": 1, "wed": 1, "thu": 1}
    off = days_off(worked, {d: 0 for d in room}, room, 2)
    assert all(len(off.get(d, ())) <= room[d] for d in room)
    taken = {n: sum(n in names for names in off.values()) for n in worked}
    assert taken == {"p0": 2, "p1": 0, "p2": 0, "p3": 1}
    assert all(d in worked[n] for d, names in off.items() for n in names)


def test_the_week_is_the_same_proposed_in_two_processes():
    """The groups' first rosters proposed side by side in two processes give the same week
    (people, hours, days, verdict) as one after another."""
    s = _week_hall(("mon", "tue", "wed"), (1.3, 1.0, 1.0), visitors=40)
    one = propose_week(s, RULES, reps=2, max_rounds=1, workers=1)
    two = propose_week(s, RULES, reps=2, max_rounds=1, workers=2)
    assert len(one.proposals) == 2
    assert one.verdict == two.verdict and one.days_at_work == two.days_at_work
    assert one.staff_hours == two.staff_hours
    for g in one.proposals:
        assert one.proposals[g].plan.people.equals(two.proposals[g].plan.people)
