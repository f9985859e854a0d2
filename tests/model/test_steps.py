"""Later steps at other windows (transfers): tiny deterministic days, columns, KPIs, direction."""

import pytest

from builders import run_day, scenario, visitor
from sim import OUTCOMES, simulate
from sim.model.records import visit_columns

T0 = 540.0  # 09:00
STEP_COLS = ("transfers", "transfer_wait_min", "transfer_service_min", "last_window")


def two_windows(**services):
    """A hall with a general window W1 (consult, apply) and a bank window B1 (consult), all 5-minute services."""
    return scenario(
        windows=[{"id": "W1", "services": ["apply"]}, {"id": "B1", "kind": "bank", "services": ["consult"]}],
        demand={"visitors_per_day": 10, "service_mix": {"consult": 1, "apply": 1}},
        devices={"instant_printers": {"count": 1}},
        services={"consult": {"window_time": {"dist": "fixed", "value": 5}}, **services},
    )


BANK_STEP = {"name": "bank", "window_kind": "bank", "time": {"dist": "fixed", "value": 3}}


def applicant(vid, arrival, steps=(3.0,), **kw):
    v = visitor(vid, arrival, service="apply", **kw)
    v.step_times = tuple(steps)
    return v


def test_transfer_keeps_the_original_ticket_number():
    """A visitor sent on to the bank window is called there before a later walk-in ticket
    (ticket 1 before ticket 3); time in the hall counts both steps."""
    s = two_windows(apply={"window_time": {"dist": "fixed", "value": 5}, "steps": [BANK_STEP]})
    vs = [applicant(0, T0), visitor(1, T0 + 1), visitor(2, T0 + 2)]
    run_day(s, vs)
    a = vs[0]
    assert (a.call, a.end, a.later_end, a.last_window) == (T0, T0 + 5, T0 + 9, "B1")
    assert a.later_wait == 1.0 and a.later_service == 3.0 and a.outcome == "served"
    assert vs[1].call == T0 + 1 and vs[2].call == T0 + 9
    cols = visit_columns(vs, "", "mon", 0.0, STEP_COLS)
    assert cols["departure_min"][0] == T0 + 9 and cols["time_in_system_min"][0] == 9.0
    assert cols["wait_min"][0] == 0.0 and cols["transfer_wait_min"][0] == 1.0 and cols["transfers"].tolist() == [1, 0, 0]


def test_card_made_first_then_bank_step():
    """Card made on the spot at the first window, then the bank step: issuance ends with the
    card in hand, the visit after the bank step."""
    s = two_windows(apply={"window_time": {"dist": "fixed", "value": 5}, "instant_issue": True, "steps": [BANK_STEP]})
    a = applicant(0, T0, print_time=6.0)
    run_day(s, [a])
    cols = visit_columns([a], "", "mon", 0.0, STEP_COLS)
    assert cols["card_min"][0] == T0 + 11 and cols["issuance_min"][0] == 11.0
    assert cols["departure_min"][0] == T0 + 14 and a.outcome == "served"


def test_card_made_at_a_later_step():
    """When the card is made at the later step, issuance runs from arrival to the printer after that step."""
    step = {**BANK_STEP, "instant_issue": True}
    s = two_windows(apply={"window_time": {"dist": "fixed", "value": 5}, "steps": [step]})
    a = applicant(0, T0, print_time=6.0)
    run_day(s, [a])
    cols = visit_columns([a], "", "mon", 0.0, STEP_COLS)
    assert cols["card_min"][0] == T0 + 14 and cols["issuance_min"][0] == 14.0 and cols["departure_min"][0] == T0 + 14


def test_missing_documents_end_the_visit_at_the_first_step():
    """A visit lacking documents is sent away at its first window and never transferred."""
    s = two_windows(apply={"window_time": {"dist": "fixed", "value": 5}, "steps": [BANK_STEP]})
    a = applicant(0, T0, lacks_docs=True)
    run_day(s, [a])
    assert a.outcome == "missing_docs" and a.step == 0 and a.later_end is None


def test_transfer_stranded_at_closing_counts_its_wait():
    """A transferred visitor whom no window serves after closing ends unserved, with the wait so far recorded."""
    s = scenario(
        windows=[{"id": "W1", "services": ["apply"], "hours": [{"start": "09:00", "end": "12:00"}]},
                 {"id": "B1", "kind": "bank", "services": ["consult"], "hours": [{"start": "09:00", "end": "09:02"}]}],
        demand={"visitors_per_day": 10, "service_mix": {"apply": 1}},
        services={"consult": {"window_time": {"dist": "fixed", "value": 5}},
                  "apply": {"window_time": {"dist": "fixed", "value": 5}, "steps": [BANK_STEP]}})
    a = applicant(0, T0)
    run_day(s, [a])
    assert a.outcome == "unserved_at_close" and a.step == 1 and a.later_wait > 0


def _bank_hall(**apply):
    return scenario(
        windows=[{"id": "W1", "services": ["apply", "consult"]}, {"id": "W2", "services": ["apply", "consult"]},
                 {"id": "B1", "kind": "bank", "services": ["consult"]}],
        demand={"visitors_per_day": 60, "service_mix": {"apply": 1, "consult": 1}},
        services={"consult": {"window_time": {"dist": "exponential", "mean": 3}},
                  "apply": {"window_time": {"dist": "lognormal", "mean": 5, "cv": 0.5}, **apply}},
        policies={"green_channel": {"mode": "priority"}}, run={"days": 2})


def test_run_with_steps_conserves_and_reports_transfers():
    """Every visit of a run with a bank step ends once; transfers and their waits are reported."""
    res = simulate(_bank_hall(steps=[{"name": "bank", "windows": ["B1"], "time": {"dist": "fixed", "value": 3}}]),
                   seed=5, reps=2)
    v = res.visits
    assert v["outcome"].isin(OUTCOMES).all() and not v.duplicated(["replication", "visitor"]).any()
    served = v[(v["service"] == "apply") & (v["outcome"] == "served")]
    assert len(served) > 0 and (served["transfers"] == 1).all() and (served["last_window"] == "B1").all()
    assert (served["departure_min"] >= served["service_end_min"] + 3 - 1e-9).all()
    assert res.kpi("transfers_per_day").mean > 0 and res.kpi("transfer_wait_mean_min").mean >= 0


@pytest.mark.parametrize("minutes", [2.0, 6.0])
def test_a_longer_bank_step_lengthens_time_in_the_hall(minutes):
    """Direction, common random numbers: adding a bank step of m minutes lengthens the
    applicants' mean time in the hall by more than m/2, and a longer step lengthens it further."""
    base = simulate(_bank_hall(), seed=8, reps=4)
    step = simulate(_bank_hall(steps=[{"name": "bank", "windows": ["B1"], "time": {"dist": "fixed", "value": minutes}}]),
                    seed=8, reps=4)
    longer = simulate(_bank_hall(steps=[{"name": "bank", "windows": ["B1"],
                                         "time": {"dist": "fixed", "value": minutes + 4}}]), seed=8, reps=4)
    tis = lambda r: r.visits[r.visits.service == "apply"]["time_in_system_min"].mean()  # noqa: E731
    assert tis(base) + minutes * 0.5 < tis(step) <= tis(longer)
