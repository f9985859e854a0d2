"""Arrivals: which days are simulated, when visitors come and what they come for.

Arrivals are a non-homogeneous Poisson process whose rate is piecewise constant: the
hourly profile (relative weights, each from its "HH:MM" key until the next one) scaled so
that the expected number of arrivals on a day is ``visitors_per_day`` times the weekday
factor, and zero while the hall is closed for lunch. Counts per piece are Poisson and
times within a piece uniform, which samples such a process exactly. Every attribute of a
visitor is drawn up front from its own named stream, so replication *r* of two scenarios
meets the same visitors (common random numbers).
"""

from __future__ import annotations


import numpy as np

from sim.model.streams import Streams
from sim.scenario.days import DayPlan, rate_pieces
from sim.scenario.schema import Scenario

__all__ = ["Visitor", "arrival_times", "draw_visitors"]


def arrival_times(pieces: list[tuple[float, float, float]], rng: np.random.Generator) -> np.ndarray:
    """Sorted arrival times of a Poisson process with the given piecewise-constant rate."""
    parts = []
    for lo, hi, rate in pieces:
        n = rng.poisson(rate * (hi - lo))
        if n:
            parts.append(rng.uniform(lo, hi, n))
    if not parts:
        return np.empty(0)
    return np.sort(np.concatenate(parts))


class Visitor:
    """One visit to the hall, with everything drawn for it on arrival and what happened."""

    __slots__ = (
        "vid", "day", "arrival", "service", "elderly", "repeat", "base_time", "kiosk_time",
        "patience", "doc_u", "kiosk_u", "triage_time", "detect_u", "print_time", "return_u",
        "delay_u", "lacks_docs", "ticket_time", "ticket", "key", "waiting", "window", "staff",
        "call", "start", "end", "card", "outcome", "stage", "covered",
    )

    def __init__(self):
        self.ticket_time = self.ticket = self.key = None
        self.window = self.staff = None
        self.call = self.start = self.end = self.card = None
        self.outcome = self.stage = None
        self.waiting = False
        self.covered = False
        self.lacks_docs = False


def draw_visitors(s: Scenario, day: DayPlan, streams: Streams, first_id: int, returning: list[Visitor]) -> list[Visitor]:
    """The visitors of ``day`` in order of arrival: new ones plus ``returning`` repeat visits."""
    d = s.demand
    times = arrival_times(rate_pieces(s, day), streams("arrivals"))
    n = len(times)
    mix = day.mix if day.mix is not None else tuple(d.service_mix.items())
    names = [k for k, _w in mix]
    weights = np.array([w for _k, w in mix], dtype=float)
    svc_idx = streams("mix").choice(len(names), size=n, p=weights / weights.sum()) if n else np.empty(0, int)
    elderly = streams("elderly").random(n) < d.elderly_share
    base = np.empty(n)
    kiosk = np.full(n, np.nan)
    for i, name in enumerate(names):
        mask = svc_idx == i
        k = int(mask.sum())
        spec = s.services[name]
        base[mask] = spec.window_time.sample(streams(f"service_time:{name}"), k) if k else []
        if spec.kiosk_time is not None and k:
            kiosk[mask] = spec.kiosk_time.sample(streams(f"kiosk_time:{name}"), k)
    pol = s.policies
    patience = pol.patience.sample(streams("patience"), n) if pol.patience is not None else np.full(n, np.inf)
    doc_u = streams("documents").random(n)
    kiosk_u = streams("kiosk_choice").random(n)
    triage = pol.guide_desk.triage_time.sample(streams("triage"), n)
    detect_u = streams("detection").random(n)
    printing = s.devices.instant_printers.print_time.sample(streams("print_time"), n)
    rep = streams("repeat").random((n, 2))

    out: list[Visitor] = []
    columns = zip(
        range(first_id, first_id + n), times.tolist(), svc_idx.tolist(), elderly.tolist(), base.tolist(),
        kiosk.tolist(), patience.tolist(), doc_u.tolist(), kiosk_u.tolist(), triage.tolist(),
        detect_u.tolist(), printing.tolist(), rep[:, 0].tolist(), rep[:, 1].tolist(),
    )
    index = day.index
    for vid, t, k, old, b, ks, pat, du, ku, tr, de, pr, ru, dl in columns:
        v = Visitor()
        v.vid, v.day, v.arrival, v.service, v.elderly, v.repeat = vid, index, t, names[k], old, False
        v.base_time, v.kiosk_time, v.patience, v.doc_u, v.kiosk_u = b, ks, pat, du, ku
        v.triage_time, v.detect_u, v.print_time, v.return_u, v.delay_u = tr, de, pr, ru, dl
        out.append(v)
    if returning:
        out.extend(_returning(s, day, streams, first_id + n, returning))
        out.sort(key=lambda v: v.arrival)
    for v in out:
        spec = s.services[v.service]
        p = spec.missing_docs_prob * (pol.repeat_visits.missing_docs_factor if v.repeat else 1.0)
        v.lacks_docs = v.doc_u < p
    return out


def _returning(s: Scenario, day: DayPlan, streams: Streams, first_id: int, returning: list[Visitor]) -> list[Visitor]:
    """Fresh visits on ``day`` for visitors who were sent away for missing documents."""
    rng = streams("repeat")
    pieces = rate_pieces(s, day)
    lengths = np.array([(hi - lo) * rate for lo, hi, rate in pieces])
    out = []
    for j, old in enumerate(returning):
        v = Visitor()
        v.vid = first_id + j
        v.day = day.index
        if lengths.sum() > 0:
            k = rng.choice(len(pieces), p=lengths / lengths.sum())
            v.arrival = float(rng.uniform(pieces[k][0], pieces[k][1]))
        else:
            v.arrival = float(rng.uniform(day.open_min, day.close_min))
        v.service = old.service
        v.elderly = old.elderly
        v.repeat = True
        spec = s.services[v.service]
        v.base_time = float(spec.window_time.sample(rng, 1)[0])
        v.kiosk_time = float(spec.kiosk_time.sample(rng, 1)[0]) if spec.kiosk_time is not None else float("nan")
        v.patience = float(s.policies.patience.sample(rng, 1)[0]) if s.policies.patience is not None else float("inf")
        v.doc_u, v.kiosk_u, v.detect_u, v.return_u, v.delay_u = (float(x) for x in rng.random(5))
        v.triage_time = float(s.policies.guide_desk.triage_time.sample(rng, 1)[0])
        v.print_time = float(s.devices.instant_printers.print_time.sample(rng, 1)[0])
        out.append(v)
    return out
