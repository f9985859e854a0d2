"""Home visits (上门服务): a named staff member leaves the hall for a trip; requests wait across days."""

from builders import scenario, visitor
from sim import OUTCOMES, simulate
from sim.model.hall import DayModel
from sim.model.records import Recorder
from sim.model.streams import Streams
from sim.scenario.days import DayPlan

DAY = DayPlan(0, None, "mon", 540.0, 720.0, None, 1.0)
TRIP = {"dist": "fixed", "value": 60}


def hall(rule="covered", staff=("lead",), floater=True, **home):
    people = [{"name": "anna", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"}}]
    if floater:
        people.append({"name": "lead", "a_post": "floater", "b_post": "W1", "shift": {"start": "09:00", "end": "12:00"}})
    return scenario(staff=people, policies={"staffing": "roster", "green_channel": {"mode": "none"}},
                    devices={"instant_printers": {"count": 1}},
                    home_visits={"requests_per_week": 3, "staff": list(staff), "at": ["10:00"], "trip": TRIP,
                                 "rule": rule, **home})


def day(s, requests, visitors=()):
    rec = Recorder()
    model = DayModel(s, DAY, list(visitors), Streams(0, 0), rec, requests)
    model.run()
    return model, rec


def test_trip_takes_the_staff_member_out_for_its_length():
    """At 10:00 the lead takes the oldest request and is away on a home visit from 10:00 to 11:00."""
    model, rec = day(hall(), [0, 0])
    assert model.home_done == [0] and model.home_requests == [0]
    assert ("lead", "home_visit", None, "floater", 600.0, 660.0) in rec.staff


def test_covered_rule_keeps_the_only_attendant_in_the_hall():
    """Under rule covered, the only person at W1 is not sent (nobody could cover); under
    fixed they go and W1 stands empty for the trip."""
    kept, _ = day(hall(staff=("anna",), floater=False), [0])
    assert kept.home_done == [] and kept.home_requests == [0]
    sent, rec = day(hall(rule="fixed", staff=("anna",), floater=False), [0])
    assert sent.home_done == [0]
    assert ("W1", "empty", None, False, 600.0, 660.0) in rec.windows


def test_busy_staff_finish_their_visitor_first():
    """A staff member serving at dispatch time leaves when the visitor is done."""
    v = visitor(0, 598.0, base=5.0)
    model, rec = day(hall(rule="fixed", staff=("anna",), floater=False), [0], [v])
    assert v.outcome == "served" and model.home_done == [0]
    assert ("anna", "home_visit", None, "W1", 603.0, 663.0) in rec.staff


def test_portable_kit_takes_a_printer():
    """With takes_printer one instant printer is busy for the trip."""
    _, rec = day(hall(takes_printer=True), [0])
    assert ("printer-1", "busy", 600.0, 660.0) in rec.devices


def _county(**home):
    return scenario(
        windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
        staff=[{"name": "anna", "a_post": "W1", "b_post": "W2", "shift": {"start": "09:00", "end": "12:00"}},
               {"name": "bo", "a_post": "W2", "b_post": "W1", "shift": {"start": "09:00", "end": "12:00"}},
               {"name": "lead", "a_post": "floater", "shift": {"start": "09:00", "end": "12:00"},
                "absences": {"rate_per_hour": 0.5}}],
        demand={"visitors_per_day": 50, "service_mix": {"consult": 1}},
        services={"consult": {"window_time": {"dist": "lognormal", "mean": 5, "cv": 0.5}}},
        policies={"staffing": "roster", "green_channel": {"mode": "none"}},
        hall={"opening_hours": {d: {"open": "09:00", "close": "12:00"} for d in ("mon", "tue", "wed", "thu", "fri")}},
        run={"days": 10}, **({"home_visits": home} if home else {}))


def test_requests_wait_across_days_and_are_counted():
    """Requests beyond one trip a day (one staff member, one dispatch time; none while they
    are absent) wait for later days: visits done, days waited and the pending ones are
    reported, and every visitor still ends once."""
    res = simulate(_county(requests_per_week=10, staff=["lead"], at=["10:00"], trip=TRIP), seed=2, reps=2)
    assert res.visits["outcome"].isin(OUTCOMES).all()
    assert 0.5 < res.kpi("home_visits_per_day").mean <= 1.0
    assert res.kpi("home_visit_wait_days_mean").mean > 0
    assert res.kpi("home_visits_pending").mean >= 1


def test_trips_by_window_staff_empty_windows_and_lengthen_waits():
    """Direction, common random numbers: sending a window's A on trips under rule fixed
    raises the empty-window minutes and the mean wait against no home visits."""
    none = simulate(_county(), seed=6, reps=4)
    trips = simulate(_county(requests_per_week=10, staff=["anna", "bo"], at=["09:30"], trip=TRIP, rule="fixed"),
                     seed=6, reps=4)
    assert trips.kpi("empty_window_min_per_day").mean > none.kpi("empty_window_min_per_day").mean
    assert trips.kpi("wait_mean_min").mean > none.kpi("wait_mean_min").mean
