"""Tiny deterministic days of the hall model: exact calls, waits and outcomes."""

import math

import pytest

from builders import run_day, scenario, visitor
from sim.model.hall import ConservationError

T0 = 540.0  # 09:00


def calls(visitors):
    return [(v.vid, v.window, v.call) for v in visitors]


def test_one_window_serves_first_come_first_served():
    """One window with 5-minute services calls three early arrivals at 0, 5 and 10 minutes."""
    vs = [visitor(i, T0 + i) for i in range(3)]
    run_day(scenario(), vs)
    assert calls(vs) == [(0, "W1", T0), (1, "W1", T0 + 5), (2, "W1", T0 + 10)]
    assert [v.outcome for v in vs] == ["served"] * 3


def test_two_windows_share_the_queue():
    """Two windows call the lowest ticket each time one becomes free."""
    s = scenario(windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}])
    vs = [visitor(i, T0 + i * 0.1) for i in range(4)]
    run_day(s, vs)
    assert [(v.window, round(v.call, 6)) for v in vs] == [("W1", T0), ("W2", T0 + 0.1), ("W1", T0 + 5), ("W2", T0 + 5.1)]


def test_priority_calls_elderly_first():
    """Under the priority policy a waiting elderly visitor is called before an earlier ordinary one."""
    s = scenario(policies={"green_channel": {"mode": "priority"}})
    vs = [visitor(0, T0), visitor(1, T0 + 1), visitor(2, T0 + 2, elderly=True)]
    run_day(s, vs)
    assert vs[2].call == T0 + 5 and vs[1].call == T0 + 10


def test_no_green_channel_is_first_come_first_served():
    """Without a green channel the elderly visitor waits for their turn."""
    vs = [visitor(0, T0), visitor(1, T0 + 1), visitor(2, T0 + 2, elderly=True)]
    run_day(scenario(), vs)
    assert vs[1].call == T0 + 5 and vs[2].call == T0 + 10


def test_dedicated_green_window_takes_the_elderly():
    """Under a dedicated green channel an elderly visitor goes to the green window even when a general one is free."""
    s = scenario(
        windows=[{"id": "W1", "services": ["consult"]}, {"id": "G1", "kind": "green", "services": ["consult"]}],
        policies={"green_channel": {"mode": "dedicated", "green_takes_ordinary": False}},
    )
    vs = [visitor(0, T0, elderly=True), visitor(1, T0 + 1), visitor(2, T0 + 2)]
    run_day(s, vs)
    assert vs[0].window == "G1"
    assert vs[1].window == "W1" and vs[2].window == "W1" and vs[2].call == T0 + 6


def test_patience_runs_out():
    """A visitor whose patience (3 min) runs out while the window is busy abandons at ticket time + 3."""
    s = scenario(policies={"patience": {"dist": "fixed", "value": 3}})
    vs = [visitor(0, T0), visitor(1, T0 + 1, patience=3.0)]
    run_day(s, vs)
    assert vs[1].outcome == "abandoned" and vs[1].end == T0 + 4 and vs[1].call is None


def test_baulking_at_long_queue():
    """With baulk_queue_length 1, a visitor who finds one ticket waiting leaves at once."""
    s = scenario(policies={"baulk_queue_length": 1})
    vs = [visitor(0, T0), visitor(1, T0 + 1), visitor(2, T0 + 2)]
    run_day(s, vs)
    assert [v.outcome for v in vs] == ["served", "served", "baulked"]


def test_instant_issue_card_in_hand():
    """On-the-spot issuance: the card comes out print_time after the window step, on the printer."""
    s = scenario(services={"consult": {"window_time": {"dist": "fixed", "value": 5}, "instant_issue": True}},
                 devices={"instant_printers": {"count": 1}})
    vs = [visitor(0, T0, print_time=6), visitor(1, T0, print_time=6)]
    run_day(s, vs)
    assert vs[0].card == T0 + 11
    assert vs[1].card == T0 + 17  # window done at +10, printer free at +11, card at +17
    assert all(v.outcome == "served" for v in vs)


def test_shared_card_reader_is_waited_for():
    """Two windows without card readers share one spare; the second service waits for it."""
    s = scenario(
        windows=[{"id": "W1", "services": ["collect"]}, {"id": "W2", "services": ["collect"]}],
        demand={"service_mix": {"collect": 1, "consult": 0}},
        services={"collect": {"window_time": {"dist": "fixed", "value": 4}, "devices": ["card_reader"]}},
        devices={"shared": {"card_reader": 1}},
    )
    vs = [visitor(0, T0, service="collect", base=4), visitor(1, T0, service="collect", base=4)]
    run_day(s, vs)
    assert vs[1].call == T0 and vs[1].start == T0 + 4 and vs[1].end == T0 + 8


def test_guide_desk_sends_away_missing_documents():
    """With the guide desk on, a visitor lacking documents who is detected leaves there without a ticket."""
    s = scenario(policies={"guide_desk": {"enabled": True, "detect_missing_docs": 0.5}})
    vs = [visitor(0, T0, lacks_docs=True, detect_u=0.1), visitor(1, T0 + 1, lacks_docs=True, detect_u=0.9)]
    model, _ = run_day(s, vs)
    assert vs[0].outcome == "missing_docs" and vs[0].stage == "guide" and vs[0].ticket is None
    assert vs[1].outcome == "missing_docs" and vs[1].stage == "window"
    assert vs[1].end - vs[1].start == pytest.approx(5 * 0.3)
    assert len(model.returns) == 0  # return_u = 1.0 never returns


def test_doors_close_but_visitors_inside_are_served():
    """A visitor who arrives just before closing is still served; the day ends after closing."""
    vs = [visitor(0, 719.0, base=20)]
    model, _ = run_day(scenario(), vs)
    assert vs[0].outcome == "served" and vs[0].end == 739.0
    assert model.last_departure == 739.0


def test_finishing_twice_is_a_conservation_error():
    """Giving a visitor a second outcome raises ConservationError."""
    vs = [visitor(0, T0)]
    model, _ = run_day(scenario(), vs)
    with pytest.raises(ConservationError):
        model._finish(vs[0], "abandoned", "queue")


def test_unserved_when_nobody_can_serve_after_closing():
    """A ticket for a service whose only window has no staff ends as unserved_at_close, not lost."""
    s = scenario(
        policies={"staffing": "roster"},
        staff=[{"name": "A", "a_post": "W1", "shift": {"start": "09:00", "end": "10:00"}}],
    )
    vs = [visitor(0, 700.0)]
    run_day(s, vs)
    assert vs[0].outcome == "unserved_at_close"
    assert math.isclose(vs[0].end, 720.0)


def test_a_thousand_visitors_stranded_at_closing_are_sent_home():
    """1,200 visitors waiting at closing with nobody left to call them all end as
    unserved_at_close (no RecursionError through the send-home chain), and conservation holds."""
    s = scenario(policies={"staffing": "roster"},
                 staff=[{"name": "a", "a_post": "W1", "shift": {"start": "09:00", "end": "09:30"}}])
    vs = [visitor(i, T0 + 40 + i * 0.1) for i in range(1200)]
    model, _rec = run_day(s, vs)
    assert [v.outcome for v in vs] == ["unserved_at_close"] * 1200
    assert model.in_system == 0 and model.n_waiting == 0


def test_ordinary_visitor_whom_no_window_may_call_is_sent_home_not_lost():
    """A scenario that bypassed validation (a service only at a green window that calls
    elderly tickets only) does not crash the model: the ordinary visitor waits, nobody
    may call them, and they end as unserved_at_close while the elderly one is served."""
    s = scenario(windows=[{"id": "W1", "services": ["consult"]},
                          {"id": "G1", "kind": "green", "services": ["consult", "apply"]}],
                 services={"consult": {"window_time": {"dist": "fixed", "value": 5}},
                           "apply": {"window_time": {"dist": "fixed", "value": 5}}},
                 policies={"green_channel": {"mode": "dedicated", "green_takes_ordinary": True}})
    s = s.model_copy(update={"policies": s.policies.model_copy(update={
        "green_channel": s.policies.green_channel.model_copy(update={"green_takes_ordinary": False})})})
    vs = [visitor(0, T0, service="apply"), visitor(1, T0 + 1, service="apply", elderly=True)]
    run_day(s, vs)
    assert vs[0].outcome == "unserved_at_close" and vs[0].window is None
    assert vs[1].outcome == "served" and vs[1].window == "G1"
