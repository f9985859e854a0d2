"""Window hours and the roster from the served intervals per window and operator."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.calibration.roster import infer_roster
from builders import scenario
from ticket_rows import ticket, table

MON = dt.date(2026, 3, 2)
DAYS = [MON + dt.timedelta(days=k) for k in range(3)]
HOURS = {"mon": {"open": "09:00", "close": "17:00"}, "tue": {"open": "09:00", "close": "17:00"},
         "wed": {"open": "09:00", "close": "17:00"}}


def _hall(**extra):
    return scenario(hall={"opening_hours": HOURS, "lunch": {"mode": "staggered", "start": "12:00", "end": "13:30"}},
                    windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]},
                             {"id": "W3", "services": ["consult"]}],
                    staff=[{"name": "ann", "a_post": "W1", "shift": {"start": "08:00", "end": "18:00"},
                            "absences": {"rate_per_hour": 0.2}}],
                    policies={"staffing": "roster"}, **extra)


def _day(date):
    """ann serves W1 09:00-17:00 every 10 minutes except 12:00-12:45 (bob covers W1 then);
    bob serves W2 09:00-15:00 every 10 minutes."""
    rows = []
    for t in range(540, 1020, 10):
        if 720 <= t < 765:
            rows.append(ticket(date, t, "consult", end=t + 8, window="W1", staff="bob"))
        else:
            rows.append(ticket(date, t, "consult", end=t + 8, window="W1", staff="ann"))
        if t < 900 and not 720 <= t < 765:
            rows.append(ticket(date, t + 1, "consult", end=t + 9, window="W2", staff="bob"))
    return rows


@pytest.fixture(scope="module")
def fitted():
    return infer_roster(table([r for d in DAYS for r in _day(d)]), _hall())


def test_the_operator_serving_most_at_a_window_is_its_a_post_and_their_second_window_their_b(fitted):
    """ann is A at W1; bob, who served most at W2 and covered W1, is A at W2 with B post W1."""
    staff = {p["name"]: p for p in fitted.scenario_staff}
    assert staff["ann"]["a_post"] == "W1" and staff["bob"]["a_post"] == "W2"
    assert staff["bob"]["b_post"] == "W1"


def test_a_lunch_gap_seen_every_day_is_a_break_and_shifts_follow_the_first_and_last_service(fitted):
    """ann's gap 11:58-12:50, bounded by bob's last cover service (ends 12:48), is a break at
    about 12:00 of about 50 minutes; her shift runs door to door; bob's ends at 15:00."""
    staff = {p["name"]: p for p in fitted.scenario_staff}
    ann = staff["ann"]
    assert ann["shift"] == {"start": "09:00", "end": "17:00"}
    assert len(ann["breaks"]) == 1
    assert ann["breaks"][0]["start"] == "12:00" and 45 <= ann["breaks"][0]["duration_min"] <= 50
    assert staff["bob"]["shift"] == {"start": "09:00", "end": "15:00"}


def test_absences_come_from_the_hall_files_person_of_the_same_name(fitted):
    """ann's random absences (0.2 an hour) are the hall file's; bob, not in the hall file, has none."""
    staff = {p["name"]: p for p in fitted.scenario_staff}
    assert staff["ann"]["absences"]["rate_per_hour"] == 0.2
    assert "absences" not in staff["bob"]


def test_window_hours_whole_day_narrower_or_closed_when_unseen(fitted):
    """W1 serves door to door (hours null); W2 stops at 15:00 (09:00-15:00); W3 never
    serves in the log (closed, said so)."""
    hours = {w["id"]: w["hours"] for w in fitted.scenario_windows}
    assert hours["W1"] is None
    assert hours["W2"] == [{"start": "09:00", "end": "15:00"}]
    assert hours["W3"] == []
    assert any("W3" in n and "closed" in n for n in fitted.notes)


def test_a_log_without_operators_keeps_the_hall_files_roster():
    """No 操作人员: window hours are still fitted, the roster is not, and a note says so."""
    rows = [dict(r, staff="") for d in DAYS for r in _day(d)]
    fit = infer_roster(table(rows), _hall())
    assert fit.scenario_staff is None and fit.scenario_windows is not None
    assert any("no operator column" in n and "roster stays" in n for n in fit.notes)


def test_a_hall_attended_always_gets_the_roster_reported_not_written():
    """With policies.staffing: always the roster found is a table only."""
    hall = scenario(hall={"opening_hours": HOURS}, windows=[{"id": "W1", "services": ["consult"]},
                                                            {"id": "W2", "services": ["consult"]},
                                                            {"id": "W3", "services": ["consult"]}])
    fit = infer_roster(table([r for d in DAYS for r in _day(d)]), hall)
    assert fit.scenario_staff is None and len(fit.staff) == 2
    assert any("staffing: always" in n for n in fit.notes)
