"""Appointments (预约): tiny deterministic days, booking draws, KPIs, conservation and direction."""

import math

import numpy as np
import pytest

from builders import run_day, scenario, visitor
from sim import OUTCOMES, simulate
from sim.model.arrivals import book
from sim.model.records import visit_columns
from sim.model.streams import Streams
from sim.scenario.days import DayPlan

T0 = 540.0  # 09:00
APPT = {"booked_share": {"consult": 0.5}, "grace_min": 10}


def booked(vid, arrival, slot, **kw):
    """A hand-made visitor holding a booking for ``slot``."""
    v = visitor(vid, arrival, **kw)
    v.slot, v.booked = float(slot), True
    return v


def test_booked_ticket_waits_for_its_slot_then_goes_first():
    """An early booked visitor is not called before the slot; once it has come, the ticket
    is called before earlier walk-ins, and the recorded wait counts from the slot."""
    s = scenario(appointments=APPT)
    vs = [visitor(0, T0), visitor(1, T0 + 1), visitor(2, T0 + 2), booked(3, T0 + 3, slot=T0 + 4)]
    run_day(s, vs)
    assert [v.call for v in vs] == [T0, T0 + 10, T0 + 15, T0 + 5]
    cols = visit_columns(vs, "", "mon", 0.0, ("booked", "slot_min"))
    assert cols["wait_min"].tolist() == [0.0, 9.0, 13.0, 1.0]
    assert cols["booked"].tolist() == [False, False, False, True]


def test_idle_window_still_waits_for_the_slot():
    """A booked visitor who comes 6 minutes early to an idle hall is called at the slot, not at once."""
    s = scenario(appointments=APPT)
    v = booked(0, T0 + 4, slot=T0 + 10)
    run_day(s, [v])
    assert v.call == T0 + 10 and v.outcome == "served"


def test_late_beyond_grace_is_an_ordinary_ticket():
    """A booked visitor who comes later than slot + grace takes an ordinary ticket behind earlier walk-ins."""
    s = scenario(appointments=APPT)
    vs = [visitor(0, T0), visitor(1, T0 + 12), booked(2, T0 + 13, slot=T0)]
    run_day(s, vs)
    assert not vs[2].booked
    assert vs[1].call == T0 + 12 and vs[2].call == T0 + 17


def test_late_within_grace_keeps_the_booking():
    """A booked visitor 9 minutes late (grace 10) is still called first."""
    s = scenario(appointments=APPT)
    vs = [visitor(0, T0), visitor(1, T0 + 1), visitor(2, T0 + 2), booked(3, T0 + 9, slot=T0)]
    run_day(s, vs)
    assert vs[3].booked and vs[3].call == T0 + 10 and vs[2].call == T0 + 15


def test_reserved_window_calls_only_booked_tickets():
    """A window reserved for booked tickets without walk-ins stays idle while walk-ins wait at the other."""
    s = scenario(windows=[{"id": "W1", "services": ["consult"]}, {"id": "R1", "services": ["consult"]}],
                 appointments={**APPT, "reserved_windows": ["R1"], "reserved_take_walk_ins": False})
    vs = [visitor(0, T0), visitor(1, T0 + 1), booked(2, T0 + 20, slot=T0 + 20)]
    run_day(s, vs)
    assert [v.window for v in vs] == ["W1", "W1", "R1"]
    assert vs[1].call == T0 + 5 and vs[2].call == T0 + 20


def test_reserved_window_takes_walk_ins_when_allowed():
    """With reserved_take_walk_ins an idle reserved window calls a walk-in."""
    s = scenario(windows=[{"id": "W1", "services": ["consult"]}, {"id": "R1", "services": ["consult"]}],
                 appointments={**APPT, "reserved_windows": ["R1"]})
    vs = [visitor(0, T0), visitor(1, T0 + 1)]
    run_day(s, vs)
    assert [v.window for v in vs] == ["W1", "R1"] and vs[1].call == T0 + 1


def test_booking_draws_slots_capacity_and_no_shows():
    """book: every visitor of a fully booked service gets the slot holding their time; the
    slot capacity sends the rest of a full slot in as walk-ins; no-shows are left out;
    arrivals stay within the opening hours."""
    s = scenario(appointments={"booked_share": {"consult": 1.0}, "slot_min": 30, "slot_capacity": 2,
                               "no_show_rate": 0.0})
    day = DayPlan(0, None, "mon", 540.0, 720.0, None, 1.0)
    vs = [visitor(i, t) for i, t in enumerate([541.0, 545.0, 550.0, 600.0, 719.0])]
    come, missed = book(s, day, Streams(1, 0), vs)
    assert missed == [] and len(come) == 5
    by_id = {v.vid: v for v in come}
    assert [by_id[i].slot for i in range(5)] == [540.0, 540.0, None, 600.0, 690.0]
    assert all(540.0 <= v.arrival < 720.0 for v in come)
    assert by_id[2].arrival == 550.0 and not by_id[2].booked
    gone = scenario(appointments={"booked_share": {"consult": 1.0}, "no_show_rate": 1.0})
    come, missed = book(gone, day, Streams(1, 0), [visitor(i, 541.0 + i) for i in range(3)])
    assert come == [] and len(missed) == 3


def test_run_with_appointments_records_kpis_and_conserves():
    """A run with bookings and no-shows: every visit ends once, nobody booked is called
    before the slot, and the booked / walk-in KPIs and the booked SLA target are there."""
    s = scenario(demand={"visitors_per_day": 60, "service_mix": {"consult": 1}},
                 appointments={"booked_share": {"consult": 0.4}, "no_show_rate": 0.1},
                 policies={"patience": {"dist": "exponential", "mean": 20}}, run={"days": 2})
    res = simulate(s, seed=3, reps=3)
    v = res.visits
    assert v["outcome"].isin(OUTCOMES).all() and not v.duplicated(["replication", "visitor"]).any()
    b = v[v["booked"] & v["call_min"].notna()]
    assert len(b) > 0 and (b["call_min"] >= b["slot_min"] - 1e-9).all() and (b["wait_min"] >= -1e-9).all()
    groups = set(zip(res.kpis["kpi"], res.kpis["group"]))
    assert {("wait_p90_min", "booked"), ("wait_p90_min", "walk_in"), ("no_show_rate", "booked"),
            ("booked_share", "booked"), ("booking_lapsed_rate", "booked")} <= groups
    assert "booked_wait_p90_max_min" in set(res.sla["target"])
    assert 0 < res.kpi("no_show_rate", "booked").mean < 0.3


def test_without_appointments_no_booked_rows_or_target():
    """A scenario without appointments has no booked columns, groups or SLA row."""
    res = simulate(scenario(), seed=1, reps=2)
    assert "booked" not in res.visits.columns
    assert "booked" not in set(res.kpis["group"])
    assert "booked_wait_p90_max_min" not in set(res.sla["target"])


def _hall(share):
    return scenario(
        windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
        demand={"visitors_per_day": 70, "service_mix": {"consult": 1}, "hourly_profile": {"09:00": 2.0, "10:00": 1.0}},
        services={"consult": {"window_time": {"dist": "lognormal", "mean": 4.5, "cv": 0.8}}},
        appointments={"booked_share": {"consult": share}}, run={"days": 3})


@pytest.mark.parametrize("share", [0.3, 0.6])
def test_booking_lowers_booked_waits_not_walk_ins(share):
    """Same total demand and staff, common random numbers: booked visitors wait less (from
    their slot) than everybody did without booking, and walk-ins wait no less than that."""
    none = simulate(_hall(0.0), seed=4, reps=8).kpi("wait_mean_min").mean
    res = simulate(_hall(share), seed=4, reps=8)
    assert res.kpi("wait_mean_min", "booked").mean < none
    assert res.kpi("wait_mean_min", "walk_in").mean >= none
    assert math.isclose(res.kpi("visitors_per_day").mean, simulate(_hall(0.0), seed=4, reps=8).kpi(
        "visitors_per_day").mean)


def test_zero_share_runs_exactly_as_without_appointments():
    """An appointments section with no booked share changes no number (stream independence)."""
    a = simulate(scenario(run={"days": 2}), seed=9, reps=2).summary
    b = simulate(scenario(run={"days": 2}, appointments={"booked_share": {"consult": 0.0}}), seed=9, reps=2).summary
    assert a.equals(b)
    assert np.isfinite(a["mean"]).any()


def test_ticket_log_of_a_booked_run_carries_the_booking_flag():
    """The ticket log made from a run with appointments says which tickets were booked
    (the calibration log's booking flag), and a booked abandoner left at slot + wait."""
    from sim.calibration.tickets import tickets_from_visits

    s = scenario(demand={"visitors_per_day": 60, "service_mix": {"consult": 1}},
                 appointments={"booked_share": {"consult": 0.5}}, run={"days": 1})
    v = simulate(s, seed=2, reps=1).visits
    tickets = tickets_from_visits(v)
    assert tickets["booked"].notna().all()
    assert int(tickets["booked"].sum()) == int(v.loc[v["ticket"].notna(), "booked"].sum()) > 0
