"""Scenario sections for appointments and later steps: what validation refuses, field by field."""

import pytest

from builders import scenario
from sim import ScenarioError
from sim.scenario.checks import check


def problems(**overrides):
    with pytest.raises(ScenarioError) as info:
        scenario(**overrides)
    return {path: str(msg) for path, msg in info.value.problems}


def test_booked_unknown_service_and_window_are_named():
    """A booked share of an unknown service and an unknown reserved window name their fields."""
    found = problems(appointments={"booked_share": {"nope": 0.2}, "reserved_windows": ["X9"]})
    assert "unknown service 'nope'" in found["appointments.booked_share.nope"]
    assert "unknown window 'X9'" in found["appointments.reserved_windows.0"]


def test_booked_share_of_a_service_no_window_serves_is_refused():
    """Booking a service no window serves is refused, naming the service."""
    found = problems(services={"consult": {"window_time": {"dist": "fixed", "value": 5}},
                               "apply": {"window_time": {"dist": "fixed", "value": 5}}},
                     appointments={"booked_share": {"apply": 0.3}})
    assert "no window serves it" in found["appointments.booked_share.apply"]


def test_reserved_windows_that_shut_out_walk_ins_are_refused():
    """Every window of a service reserved for booked tickets, taking no walk-ins, while some
    visitors walk in: refused (they could never be served)."""
    found = problems(appointments={"booked_share": {"consult": 0.5}, "reserved_windows": ["W1"],
                                   "reserved_take_walk_ins": False})
    assert "could never be served" in found["appointments.reserved_take_walk_ins"]


def test_booked_share_without_demand_is_a_warning():
    """A booked share of a service nobody asks for is a warning, not a refusal."""
    s = scenario(services={"consult": {"window_time": {"dist": "fixed", "value": 5}},
                           "apply": {"window_time": {"dist": "fixed", "value": 5}}},
                 windows=[{"id": "W1", "services": ["consult", "apply"]}],
                 appointments={"booked_share": {"apply": 0.3}})
    found = [f for f in check(s) if f.path == "appointments.booked_share.apply"]
    assert [f.level for f in found] == ["warning"] and "nobody books" in found[0].message
    assert "无人预约" in found[0].message.in_lang("zh")


def test_appointments_in_a_continuous_run_are_refused():
    """A continuous horizon has no slots: appointments are refused there."""
    found = problems(run={"horizon_min": 600}, demand={"arrival_rate_per_min": 0.2, "service_mix": {"consult": 1}},
                     appointments={"booked_share": {"consult": 0.2}})
    assert "continuous" in found["appointments"]


@pytest.mark.parametrize("field,value", [("slot_min", 0), ("slot_min", 1e9), ("grace_min", -1), ("grace_min", 1e9),
                                         ("slot_capacity", 0), ("slot_capacity", 10**9), ("no_show_rate", 1.5)])
def test_appointment_numbers_are_bounded(field, value):
    """Slot length, grace, capacity and no-show rate have finite bounds on both sides."""
    found = problems(appointments={"booked_share": {"consult": 0.2}, field: value})
    assert f"appointments.{field}" in found


def _with_step(step, **extra):
    services = {"consult": {"window_time": {"dist": "fixed", "value": 5}, "steps": [step]}}
    return problems(services=services, **extra)


STEP = {"name": "bank", "time": {"dist": "fixed", "value": 3}}


def test_step_needs_exactly_one_of_windows_and_kind():
    """A step gives windows or window_kind, not both, not neither."""
    assert "exactly one" in _with_step(STEP)["services.consult.steps.0"]
    assert "exactly one" in _with_step({**STEP, "windows": ["W1"], "window_kind": "bank"})["services.consult.steps.0"]


def test_step_at_unknown_or_missing_windows_is_refused():
    """A step at an unknown window, or at a kind of window the hall lacks, is refused naming the step."""
    assert "unknown window 'Z1'" in _with_step({**STEP, "windows": ["Z1"]})["services.consult.steps.0.windows"]
    assert "no window serves step 'bank'" in _with_step({**STEP, "window_kind": "bank"})["services.consult.steps.0"]


def test_step_devices_printer_kiosk_and_cards_are_checked():
    """A step's device must be at its window (or shared); an issuing step needs a printer; a
    service with steps is not offered at kiosks; only one step issues a card."""
    found = _with_step({**STEP, "windows": ["W1"], "devices": ["scanner"], "instant_issue": True})
    assert "needs a scanner" in found["services.consult.steps.0.devices"]
    assert "instant_printers" in found["services.consult.steps.0.instant_issue"]
    with pytest.raises(ScenarioError) as info:
        scenario(services={"consult": {"window_time": {"dist": "fixed", "value": 5}, "instant_issue": True,
                                       "kiosk_time": {"dist": "fixed", "value": 3},
                                       "steps": [{**STEP, "windows": ["W1"], "instant_issue": True}]}},
                 devices={"instant_printers": {"count": 1}, "kiosks": {"count": 1, "services": ["consult"]}})
    said = [str(m) for p, m in info.value.problems if p == "services.consult.steps"]
    assert any("kiosk" in m for m in said) and any("at most one step" in m for m in said)


def test_at_most_five_steps():
    """A service has at most five later steps."""
    found = problems(services={"consult": {"window_time": {"dist": "fixed", "value": 5},
                                           "steps": [{**STEP, "name": f"s{i}", "windows": ["W1"]} for i in range(6)]}})
    assert "services.consult.steps" in found


def test_home_visits_name_unknown_staff_and_need_a_printer_to_take_one():
    """Home visits by an unknown staff member, taking a printer the hall lacks, or in a
    continuous run are refused naming the field; the trip numbers are bounded."""
    found = problems(home_visits={"requests_per_week": 2, "staff": ["nobody"], "takes_printer": True})
    assert "unknown staff member 'nobody'" in found["home_visits.staff.0"]
    assert "instant_printers" in found["home_visits.takes_printer"]
    assert "home_visits.requests_per_week" in problems(home_visits={"requests_per_week": 1e9, "staff": ["x"]})
    assert "home_visits.at.0" in problems(home_visits={"requests_per_week": 1, "staff": ["x"], "at": ["25:00"]})


HELPER = {"name": "hu", "a_post": "helper", "shift": {"start": "09:00", "end": "12:00"}}
ANNA = {"name": "anna", "a_post": "W1", "shift": {"start": "09:00", "end": "12:00"}}
ROSTER = {"staffing": "roster", "green_channel": {"mode": "none"}}


def test_helper_post_and_section_need_each_other():
    """The helper post without a helpers section, and a rostered hall's section without
    anyone on the post, are refused naming the field, in English and Chinese."""
    found = problems(staff=[ANNA, HELPER], policies=ROSTER)
    assert "needs the helpers section" in found["staff.1.a_post"]
    with pytest.raises(ScenarioError) as info:
        scenario(staff=[ANNA], policies=ROSTER, helpers={"ask_share": 0.3})
    [(path, msg)] = info.value.problems
    assert path == "helpers" and "no staff member has a_post 'helper'" in msg and "陪办岗" in msg.in_lang("zh")
    assert scenario(helpers={"ask_share": 0.3}).helpers.ask_share == 0.3  # staffing always: anonymous helpers


def test_helper_is_a_reserved_post_name():
    """A window may not be called 'helper' (it is the helper post)."""
    assert "reserved" in problems(windows=[{"id": "helper", "services": ["consult"]}])["windows.0.id"]


@pytest.mark.parametrize("field,value", [("ask_share", -0.1), ("ask_share", 1.5), ("kiosk_preference", 2),
                                         ("window_time_factor", 0), ("window_time_factor", 6),
                                         ("when_busy", "queue")])
def test_helper_numbers_are_bounded(field, value):
    """Shares lie in 0-1, the window-time factor in (0, 5], when_busy is wait or alone."""
    found = problems(staff=[ANNA, HELPER], policies=ROSTER, helpers={field: value})
    assert f"helpers.{field}" in found


def _helper_warnings(**overrides):
    s = scenario(**{"staff": [ANNA, HELPER], "policies": ROSTER, "helpers": {"ask_share": 0.3}, **overrides})
    return {f.path: f.message for f in check(s) if f.level == "warning" and ("help" in f.path or "b_post" in f.path)}


def test_helpers_never_on_shift_unused_b_post_and_no_elderly_are_warnings():
    """Warned (the run goes ahead): nobody on the helper post is on shift while the hall is
    open; a helper who is some window's B but may not leave the post; helpers asked for in a
    hall without elderly visitors. Each says itself in Chinese."""
    late = {**HELPER, "shift": {"start": "13:00", "end": "17:00"}}
    found = _helper_warnings(staff=[ANNA, late])
    assert "nobody is ever helped" in found["helpers"] and "无人获得陪办" in found["helpers"].in_lang("zh")
    found = _helper_warnings(staff=[ANNA, {**HELPER, "b_post": "W1"}])
    assert "never leaves the helper post to cover 'W1'" in found["staff.1.b_post"]
    assert "不会离开陪办岗" in found["staff.1.b_post"].in_lang("zh")
    assert _helper_warnings(staff=[ANNA, {**HELPER, "b_post": "W1"}],
                            helpers={"ask_share": 0.3, "staff_may_cover": True}) == {}
    found = _helper_warnings(demand={"visitors_per_day": 10, "service_mix": {"consult": 1}, "elderly_share": 0})
    assert "nobody asks" in found["helpers.ask_share"]


def test_helper_post_on_one_weekday_also_needs_the_section():
    """A person on the helper post only on some weekday (staff.*.by_weekday) needs the
    helpers section too: refused naming that weekday's field."""
    found = problems(staff=[{**ANNA, "by_weekday": {"tue": {"a_post": "helper"}}}], policies=ROSTER)
    assert "needs the helpers section" in found["staff.0.by_weekday.tue.a_post"]


def test_helper_warnings_read_each_weekday_as_staffed():
    """The helper warnings read the staff as they work each opening weekday
    (staff.*.by_weekday): the only helper off on Tuesday is warned naming Tuesday (in
    Chinese too); a helper who is a window's B on one weekday only is warned at that
    weekday's field."""
    two_days = {"name": "Hall", "level": "county", "floor_area_m2": 100,
                "opening_hours": {"mon": {"open": "09:00", "close": "12:00"}, "tue": {"open": "09:00", "close": "12:00"}}}
    off_tue = {**HELPER, "by_weekday": {"tue": None}}
    found = _helper_warnings(staff=[ANNA, off_tue], hall=two_days)
    assert "on tue nobody with a_post 'helper' is on shift" in found["helpers"]
    assert "得不到陪办" in found["helpers"].in_lang("zh")
    b_on_wed = {**HELPER, "by_weekday": {"wed": {"b_post": "W1"}}}
    found = _helper_warnings(staff=[ANNA, b_on_wed])
    assert "never leaves the helper post to cover 'W1'" in found["staff.1.by_weekday.wed.b_post"]
    assert "staff.1.b_post" not in found and "helpers" not in found
