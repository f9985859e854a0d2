"""Per-weekday rosters and window hours (``staff.*.by_weekday``, ``windows.*.hours_by_weekday``):
the model works each weekday with that weekday's people, shifts and window hours, and the
loader names the field of a bad weekday entry."""

from __future__ import annotations

import pytest
from builders import scenario

from sim.experiments.simulation import simulate
from sim.scenario.loader import ScenarioError

WEEK = {"mon": {"open": "09:00", "close": "12:00"}, "tue": {"open": "09:00", "close": "12:00"}}


def _hall(staff, windows=None):
    return scenario(hall={"opening_hours": WEEK},
                    windows=windows or [{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
                    policies={"staffing": "roster"}, staff=staff, run={"days": 2, "replications": 1})


def _person(name, a_post, **more):
    return {"name": name, "a_post": a_post, "shift": {"start": "09:00", "end": "12:00"}, **more}


def test_a_day_off_and_a_weekday_shift_are_worked_as_written():
    """bob is off on Tuesdays and works 10:00-12:00 on Mondays: he has staff records on
    Monday (day 0) from 10:00 only, none on Tuesday (day 1); ann works both days."""
    s = _hall([_person("ann", "W1"),
               _person("bob", "W2", by_weekday={"tue": None, "mon": {"shift": {"start": "10:00", "end": "12:00"}}})])
    staff = simulate(s, reps=1).tables["staff"]
    bob = staff[staff["staff"] == "bob"]
    assert set(bob["day"]) == {0} and bob["start_min"].min() == 600.0
    assert set(staff[staff["staff"] == "ann"]["day"]) == {0, 1}


def test_window_hours_by_weekday_replace_the_hours_on_that_weekday():
    """W2 is closed all Tuesday ([]) and open all Monday: nobody is served at W2 on
    Tuesday, some are on Monday; W2 is never empty (closed is not empty)."""
    windows = [{"id": "W1", "services": ["consult"]},
               {"id": "W2", "services": ["consult"], "hours_by_weekday": {"tue": []}}]
    s = _hall([_person("ann", "W1"), _person("bob", "W2")], windows)
    s = s.model_copy(update={"demand": s.demand.model_copy(update={"visitors_per_day": 60})})
    res = simulate(s, reps=1)
    v = res.tables["visits"]
    assert (v[(v["day"] == 1)]["window"] != "W2").all()
    assert (v[(v["day"] == 0)]["window"] == "W2").any()
    assert res.kpi("empty_window_min_per_day").mean == 0.0


@pytest.mark.parametrize("entry, path", [
    ({"by_weekday": {"mon": {"a_post": "W9"}}}, "staff.0.by_weekday.mon.a_post"),
    ({"by_weekday": {"mon": {"b_post": "W1"}}}, "staff.0.by_weekday.mon.b_post"),
    ({"by_weekday": {"mon": {"breaks": [{"start": "13:00", "duration_min": 30}]}}}, "staff.0.by_weekday.mon.breaks.0.start"),
    ({"by_weekday": {"someday": None}}, "staff.0.by_weekday"),
])
def test_a_bad_weekday_entry_names_its_field(entry, path):
    """A weekday's unknown post, a B post equal to the A post, a break outside the
    weekday's shift, an unknown weekday: refused, naming the field."""
    with pytest.raises(ScenarioError) as err:
        _hall([_person("ann", "W1", **entry)])
    assert path in str(err.value)


def test_overlapping_weekday_window_hours_name_the_field():
    """Window hours of a weekday in the wrong order are refused, naming the weekday's entry."""
    windows = [{"id": "W1", "services": ["consult"],
                "hours_by_weekday": {"mon": [{"start": "10:00", "end": "11:00"}, {"start": "09:30", "end": "10:30"}]}}]
    with pytest.raises(ScenarioError) as err:
        _hall([_person("ann", "W1")], windows)
    assert "windows.0.hours_by_weekday.mon.1.start" in str(err.value)
