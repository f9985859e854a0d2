"""Small scenarios and hand-made visitors for deterministic tests."""

from __future__ import annotations

import math

import yaml

from sim.scenario.days import DayPlan
from sim.model.arrivals import Visitor
from sim.model.hall import DayModel
from sim.scenario.loader import load_scenario_text, merge
from sim.model.records import Recorder
from sim.model.streams import Streams

BASE = {
    "hall": {"name": "Tiny", "level": "county", "floor_area_m2": 50,
             "opening_hours": {"mon": {"open": "09:00", "close": "12:00"}}},
    "windows": [{"id": "W1", "services": ["consult"]}],
    "demand": {"visitors_per_day": 10, "service_mix": {"consult": 1}},
    "services": {"consult": {"window_time": {"dist": "fixed", "value": 5}}},
    "policies": {"staffing": "always", "green_channel": {"mode": "none"}},
    "run": {"days": 1, "replications": 2},
}


def scenario(**overrides):
    """The tiny base scenario with nested overrides merged in."""
    return load_scenario_text(yaml.safe_dump(merge(BASE, overrides)), "<test>")


def visitor(vid, arrival, service="consult", elderly=False, base=5.0, patience=math.inf,
            lacks_docs=False, detect_u=1.0, print_time=6.0, kiosk_u=1.0, kiosk_time=3.0):
    """A visitor with every draw fixed by hand (times in minutes since midnight)."""
    v = Visitor()
    v.vid, v.day, v.arrival, v.service, v.elderly, v.repeat = vid, 0, float(arrival), service, elderly, False
    v.base_time, v.kiosk_time, v.patience = base, kiosk_time, patience
    v.doc_u, v.kiosk_u, v.triage_time, v.detect_u = 0.0, kiosk_u, 0.5, detect_u
    v.print_time, v.return_u, v.delay_u = print_time, 1.0, 0.0
    v.lacks_docs = lacks_docs
    return v


def run_day(s, visitors, seed=0):
    """Run one day of ``s`` with the given visitors; returns (model, recorder)."""
    day = DayPlan(0, None, "mon", 540.0, 720.0, None, 1.0)
    rec = Recorder()
    model = DayModel(s, day, visitors, Streams(seed, 0), rec)
    model.run()
    return model, rec
