"""Property: random variations of the shipped halls are either refused by validation with
every problem naming a field, or run with conservation holding and no exception.

Cross-cutting (scenario checks, model and results at once), so it sits at the tests/ top
level like tests/test_properties.py. Each variation runs one replication of one day.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sim import OUTCOMES, ScenarioError, load_scenario, simulate, with_overrides
from sim.scenario.clock import format_minutes

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
HALLS = ("county_hall", "city_hall", "bank_outlet")


@lru_cache(maxsize=None)
def shipped(name: str):
    return load_scenario(SCENARIOS / f"{name}.yaml")


def clock(minute: int) -> str:
    return format_minutes(min(max(minute, 0), 24 * 60))


@st.composite
def variations(draw):
    """(hall name, overrides) for a shipped hall: demand scaled from almost nobody to 60
    times the usual, a weekday factor of 0, a closed lunch of any length, a window's hours
    moved or emptied, shifts moved, the green channel's mode and rule, the elderly share."""
    name = draw(st.sampled_from(HALLS))
    s = shipped(name)
    over = {"run.days": 1, "run.start_date": "2026-03-02"}  # a Monday
    over["demand.visitors_per_day"] = draw(st.sampled_from([1.0, 3.0, s.demand.visitors_per_day])) \
        * draw(st.sampled_from([0.01, 0.5, 1, 2, 5, 20, 60]))
    if draw(st.booleans()):
        over["demand.weekday_factors"] = {"mon": draw(st.sampled_from([0.0, 0.2, 3.0]))}
    if draw(st.booleans()):
        start = draw(st.integers(6 * 60, 16 * 60))
        over["hall.lunch"] = {"mode": "closed", "start": clock(start),
                              "end": clock(start + draw(st.integers(1, 12 * 60)))}
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(s.windows) - 1))
        if draw(st.booleans()):
            over[f"windows.{i}.hours"] = []
        else:
            start = draw(st.integers(5 * 60, 20 * 60))
            over[f"windows.{i}.hours"] = [{"start": clock(start), "end": clock(start + draw(st.integers(15, 600)))}]
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(s.staff) - 1))
        start = draw(st.integers(5 * 60, 20 * 60))
        over[f"staff.{i}.shift"] = {"start": clock(start), "end": clock(start + draw(st.integers(30, 600)))}
        over[f"staff.{i}.breaks"] = []
    if draw(st.booleans()):
        over["policies.green_channel"] = {"mode": draw(st.sampled_from(["dedicated", "priority", "none"])),
                                          "green_takes_ordinary": draw(st.booleans())}
    if draw(st.booleans()):
        over["demand.elderly_share"] = draw(st.sampled_from([0.0, 0.35, 1.0]))
    if draw(st.booleans()):
        over["policies.patience"] = None
    if draw(st.booleans()):  # one service taken off every general window that has others
        svc = draw(st.sampled_from(sorted(s.demand.service_mix)))
        for i, w in enumerate(s.windows):
            if w.kind != "green" and svc in w.services and len(w.services) > 1:
                over[f"windows.{i}.services"] = [x for x in w.services if x != svc]
    return name, over


def _general_without(name: str, svc: str) -> dict:
    return {f"windows.{i}.services": [x for x in w.services if x != svc]
            for i, w in enumerate(shipped(name).windows) if w.kind != "green"}


GREEN_ONLY = ("county_hall", {"run.days": 1, **_general_without("county_hall", "consult"),
                              "policies.green_channel": {"mode": "dedicated", "green_takes_ordinary": False}})
"""'consult' only at the green window, which calls elderly only (a KeyError in the model once)."""

STRANDED = ("county_hall", {"run.days": 1, "run.start_date": "2026-03-02", "demand.visitors_per_day": 700,
                            "policies.patience": None,
                            **{f"staff.{i}.shift": {"start": "08:15", "end": "13:00"} for i in range(6)},
                            **{f"staff.{i}.breaks": [] for i in range(6)}})
"""Five times the demand, nobody abandons, everyone leaves at 13:00: hundreds wait at closing
(a RecursionError when they were sent home once)."""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variation=variations())
@example(variation=GREEN_ONLY)
@example(variation=STRANDED)
def test_variations_of_the_shipped_halls_are_refused_by_field_or_run_conserving_visitors(variation):
    """Refused: every problem names a field. Otherwise one replication runs (the model checks
    conservation every day), every visit has exactly one outcome, and the KPIs count them."""
    name, over = variation
    try:
        s = with_overrides(shipped(name), over, source=f"{name}+variation")
    except ScenarioError as exc:
        assert exc.problems and all(path and message for path, message in exc.problems), exc.problems
        return
    res = simulate(s, seed=1, reps=1)
    visits = res.tables["visits"]
    assert visits["outcome"].isin(OUTCOMES).all()
    assert visits["visitor"].is_unique
    assert res.kpi("visitors_per_day").mean == len(visits)
