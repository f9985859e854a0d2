"""The requirement per period by simulation (iterative staffing) against its references."""

from __future__ import annotations

import math

import yaml

from sim.experiments.analytic import erlang_c
from sim.experiments.requirement import (REQUIREMENT_COLUMNS, erlang_requirement, judge_periods, period_kpis,
                                         period_requirement)
from sim.experiments.simulation import simulate
from sim.experiments.staffing import windows_variant
from sim.scenario.loader import load_scenario_text


def _mmc(rate=1.0, mean=4.0, windows=10):
    doc = {"hall": {"name": "MMc", "level": "county", "floor_area_m2": 100},
           "windows": [{"id": f"W{i}", "services": ["consult"]} for i in range(1, windows + 1)],
           "demand": {"arrival_rate_per_min": rate, "service_mix": {"consult": 1}},
           "services": {"consult": {"window_time": {"dist": "exponential", "mean": mean}}},
           "policies": {"staffing": "always", "green_channel": {"mode": "none"}},
           "run": {"horizon_min": 4000, "warmup_min": 400, "replications": 5}}
    return load_scenario_text(yaml.safe_dump(doc), "<mmc>")


def _sinusoid():
    """An 8-hour day whose arrival rate follows 1 + sin(2 pi t / 2 h) (Green, Kolesar &
    Soares 2001: relative amplitude 1), mean 240 a day, exponential service of 30 minutes:
    a quarter of the cycle, long enough that the queue lags the rate by a whole period."""
    profile = {}
    for k in range(0, 480, 10):
        t = 480 + k
        profile[f"{t // 60:02d}:{t % 60:02d}"] = round(1 + math.sin(2 * math.pi * (k + 5) / 120), 4)
    doc = {"hall": {"name": "Sine", "level": "county", "floor_area_m2": 100,
                    "opening_hours": {"mon": {"open": "08:00", "close": "16:00"}}},
           "windows": [{"id": f"W{i}", "services": ["consult"]} for i in range(1, 41)],
           "demand": {"visitors_per_day": 240, "hourly_profile": profile, "service_mix": {"consult": 1}},
           "services": {"consult": {"window_time": {"dist": "exponential", "mean": 30.0}}},
           "policies": {"staffing": "always", "green_channel": {"mode": "none"}},
           "run": {"days": 20, "replications": 10}}
    return load_scenario_text(yaml.safe_dump(doc), "<sinusoid>")


def test_erlang_requirement_is_the_smallest_c_meeting_the_delay_probability():
    """SIPP's building block: C(c) <= alpha at the answer and > alpha one below."""
    c = erlang_requirement(1.0, 4.0, {"delay_prob_max": 0.2})
    assert c == 7
    assert erlang_c(7, 1.0, 0.25) <= 0.2 < erlang_c(6, 1.0, 0.25)


def test_stationary_mmc_requirement_equals_the_erlang_c_answer_from_any_start():
    """M/M/c with a delay-probability target: the iterative requirement is Erlang C's c,
    whether the rounds start below or above it."""
    s = _mmc()
    expected = erlang_requirement(1.0, 4.0, {"delay_prob_max": 0.2})
    for start in ([5], [10]):
        req = period_requirement(s, delay_prob_max=0.2, use_sla=False, start=start, trim=False)
        assert req.required == [expected], (start, req.rounds)
        assert req.met
        assert list(req.table.columns) == list(REQUIREMENT_COLUMNS)
        assert req.table.loc[0, "sipp"] == expected


def test_sinusoidal_arrivals_iterative_requirement_meets_every_period_where_sipp_misses_some():
    """Green, Kolesar & Soares' setting: with the iterative requirement every period's
    delay probability is within its target at the 95 % interval; SIPP staffing simulated on
    the same seeds misses it cleanly ("not met": the whole 95 % interval above the target)
    in the periods after the peaks (SIPP ignores the lag of the queue behind the rate)."""
    s = _sinusoid()
    alpha = 0.2
    req = period_requirement(s, delay_prob_max=alpha, use_sla=False, trim=False)
    assert req.met, req.table[["period_start", "required", "verdict", "delay_prob"]]
    assert (req.table["delay_prob"] <= alpha).all()
    sipp = [int(x) for x in req.table["sipp"]]
    res = simulate(windows_variant(req.result.scenario, list(req.cuts), sipp), seed=req.seed, reps=req.reps)
    verdicts, _, figures = judge_periods(period_kpis(res, list(req.cuts)), req.targets, len(sipp), 0.95)
    missed = [p for p, (v, f) in enumerate(zip(verdicts, figures)) if v == "not met" and f["delay_prob"] > alpha]
    assert missed, list(zip(verdicts, [f["delay_prob"] for f in figures]))
    assert all(sipp[p] < req.required[p] for p in missed)
    # and SIPP's misses come after the peaks, where the references disagree with simulation
    assert any(req.table.loc[p, "disagree"] for p in missed)


def test_county_like_requirement_names_its_binding_target_and_caps_at_the_halls_windows():
    """A tiny hall whose opening rush exceeds its two windows: the rush and the backlog it
    leaves are capped (the hall lacks windows), the quiet end is not, and every period
    names the target or reason that sets it."""
    doc = {"hall": {"name": "Tiny", "level": "county", "floor_area_m2": 50,
                    "opening_hours": {"mon": {"open": "09:00", "close": "11:30"}}},
           "windows": [{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
           "demand": {"visitors_per_day": 60, "hourly_profile": {"09:00": 6, "09:30": 0.5},
                      "service_mix": {"consult": 1}},
           "services": {"consult": {"window_time": {"dist": "exponential", "mean": 3}}},
           "policies": {"staffing": "always", "green_channel": {"mode": "none"}},
           "sla": {"wait_mean_max_min": 2, "wait_p90_max_min": 5, "elderly_wait_p90_max_min": None},
           "run": {"days": 3, "replications": 5}}
    s = load_scenario_text(yaml.safe_dump(doc), "<tiny>")
    req = period_requirement(s)
    assert req.table.loc[0, "capped"] and req.required[0] == 2
    assert not req.table["capped"].iloc[-1] and req.required[-1] == 1
    assert req.table["binding"].str.len().gt(0).all()
