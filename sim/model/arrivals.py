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


from itertools import repeat

import numpy as np

from sim.model.streams import Streams
from sim.scenario.days import DayPlan, rate_pieces
from sim.scenario.schema import Scenario

__all__ = ["Visitor", "arrival_times", "book", "draw_visitors"]


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
        # appointments: the slot (minutes) of a booking, None for a walk-in; ``booked`` while
        # the booking holds (False once the visitor came later than the grace window)
        "slot", "booked",
        # later steps (transfers): the step being done (0: the service's own window step), the
        # drawn base minutes of each later step, when the visitor joined the step's queue, and
        # the later steps' total wait and service minutes, end and last window
        "step", "step_times", "step_queued", "later_wait", "later_service", "later_end", "last_window",
        # accompanied service (helpers): the draws deciding whether an elderly visitor asks for
        # a helper and how long they wait for one; when they asked (None: never), the helper's
        # name (None: alone), minutes waited for a helper, and whether they wait for one now
        "help_u", "help_patience", "help_asked", "helper", "help_wait", "help_waiting",
    )

    def __init__(self, vid=None, day=None, arrival=None, service=None, elderly=False, repeat=False,
                 base_time=None, kiosk_time=None, patience=None, doc_u=None, kiosk_u=None, triage_time=None,
                 detect_u=None, print_time=None, return_u=None, delay_u=None, lacks_docs=False):
        """A visit with the drawn values given (all None when set one by one afterwards)."""
        self.vid = vid
        self.day = day
        self.arrival = arrival
        self.service = service
        self.elderly = elderly
        self.repeat = repeat
        self.base_time = base_time
        self.kiosk_time = kiosk_time
        self.patience = patience
        self.doc_u = doc_u
        self.kiosk_u = kiosk_u
        self.triage_time = triage_time
        self.detect_u = detect_u
        self.print_time = print_time
        self.return_u = return_u
        self.delay_u = delay_u
        self.lacks_docs = lacks_docs
        self.ticket_time = self.ticket = self.key = None
        self.window = self.staff = None
        self.call = self.start = self.end = self.card = None
        self.outcome = self.stage = None
        self.waiting = False
        self.covered = False
        self.slot = None
        self.booked = False
        self.step = 0
        self.step_times = ()
        self.step_queued = self.later_wait = self.later_service = self.later_end = self.last_window = None
        self.help_u = 1.0
        self.help_patience = 0.0
        self.help_asked = self.helper = self.help_wait = None
        self.help_waiting = False


def draw_visitors(s: Scenario, day: DayPlan, streams: Streams, first_id: int, returning: list[Visitor],
                  no_shows: list[Visitor] | None = None) -> list[Visitor]:
    """The visitors of ``day`` in order of arrival: new ones plus ``returning`` repeat visits.

    With appointments, booked visitors come around their slot (:func:`book`); the bookings
    that never come are left out and appended to ``no_shows`` when it is given."""
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
        if spec.kiosk_time is not None and k and s.devices.kiosks.count > 0:
            kiosk[mask] = spec.kiosk_time.sample(streams(f"kiosk_time:{name}"), k)
    pol = s.policies
    patience = pol.patience.sample(streams("patience"), n) if pol.patience is not None else np.full(n, np.inf)
    doc_u = streams("documents").random(n)
    # draws only a hall with the guide desk, kiosks or printing reads (None otherwise: each
    # stream is its own, so leaving one out changes no other number)
    unused = repeat(None)
    desk = pol.guide_desk.enabled
    kiosk_u = streams("kiosk_choice").random(n).tolist() if s.devices.kiosks.count > 0 else unused
    triage = pol.guide_desk.triage_time.sample(streams("triage"), n).tolist() if desk else unused
    detect_u = streams("detection").random(n).tolist() if desk else unused
    printing = s.devices.instant_printers.print_time.sample(streams("print_time"), n).tolist() \
        if _prints_cards(s) else unused
    rep = streams("repeat").random((n, 2))

    # a new visit lacks documents with its service's probability (return visits: below)
    lacks = doc_u < np.array([s.services[name].missing_docs_prob for name in names], dtype=float)[svc_idx] \
        if n else np.empty(0, bool)
    index = day.index
    out = list(map(Visitor, range(first_id, first_id + n), repeat(index), times.tolist(),
                   [names[k] for k in svc_idx.tolist()], elderly.tolist(), repeat(False), base.tolist(),
                   kiosk.tolist(), patience.tolist(), doc_u.tolist(), kiosk_u, triage,
                   detect_u, printing, rep[:, 0].tolist(), rep[:, 1].tolist(), lacks.tolist()))
    _draw_steps(s, out, streams)
    _draw_help(s, out, streams)
    if s.appointments is not None and s.appointments.on and out:
        out, missed = book(s, day, streams, out)
        for i, v in enumerate(out):
            v.vid = first_id + i
        if no_shows is not None:
            no_shows.extend(missed)
        n = len(out)
    if returning:
        back = _returning(s, day, streams, first_id + n, returning)
        for v in back:
            v.lacks_docs = v.doc_u < s.services[v.service].missing_docs_prob * pol.repeat_visits.missing_docs_factor
        _draw_help(s, back, streams)
        out.extend(back)
        out.sort(key=lambda v: v.arrival)
    return out


def _prints_cards(s: Scenario) -> bool:
    """Whether any visit of ``s`` may print a card on the spot (printers, and a service or
    later step with ``instant_issue``)."""
    return s.devices.instant_printers.count > 0 and any(
        spec.instant_issue or any(st.instant_issue for st in spec.steps) for spec in s.services.values())


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
        steps = spec.steps
        if steps:
            v.step_times = tuple(float(st.time.sample(rng, 1)[0]) for st in steps)
        out.append(v)
    return out


def _draw_steps(s: Scenario, visitors: list[Visitor], streams: Streams) -> None:
    """Draw the base minutes of every later step (``services.<code>.steps``) of each visitor
    whose service has some, from stream ``step_time:<service>:<k>`` (only such services
    draw, so scenarios without steps keep every other stream's numbers)."""
    for name, spec in s.services.items():
        if not spec.steps:
            continue
        mine = [v for v in visitors if v.service == name]
        if not mine:
            continue
        draws = [st.time.sample(streams(f"step_time:{name}:{k + 1}"), len(mine)).tolist()
                 for k, st in enumerate(spec.steps)]
        for v, times in zip(mine, zip(*draws)):
            v.step_times = tuple(times)


def _draw_help(s: Scenario, visitors: list[Visitor], streams: Streams) -> None:
    """Draw, for every visitor in order, the uniform deciding whether they ask for a helper
    (an elderly visitor asks when it is below ``helpers.ask_share``) and their patience for
    one (minutes), from stream ``help`` (only with ``helpers``, so scenarios without them
    keep every stream's numbers; drawn for everyone, so scenarios that differ in the share
    meet the same visitors)."""
    hp = s.helpers
    if hp is None or not visitors:
        return
    rng = streams("help")
    u = rng.random(len(visitors)).tolist()
    patience = hp.patience.sample(rng, len(visitors)).tolist()
    for v, a, b in zip(visitors, u, patience):
        v.help_u, v.help_patience = a, b


def book(s: Scenario, day: DayPlan, streams: Streams, visitors: list[Visitor]) -> tuple[list[Visitor], list[Visitor]]:
    """(visitors who come, bookings that never come) of ``day``'s new visitors under
    ``s.appointments``, in order of arrival.

    A visitor of a service with booked share b books with probability b (stream
    ``booking``), for the slot holding the time they would have come (slots of
    ``slot_min`` from the start of the open period; the first ``slot_capacity`` bookings
    of a slot, over all services, get it and the rest walk in). A booked visitor comes
    ``early`` minutes before the slot (share ``early_share``) or ``late`` minutes after it
    (stream ``punctuality``), kept inside the opening hours, or not at all with
    probability ``no_show_rate`` (stream ``no_show``). Every draw is made for every
    visitor, so two scenarios that differ in booked shares meet the same visitors."""
    appt = s.appointments
    n = len(visitors)
    share = np.array([appt.booked_share.get(v.service, 0.0) for v in visitors])
    books = streams("booking").random(n) < share
    rng = streams("punctuality")
    p = appt.punctuality
    early = rng.random(n) < p.early_share
    offset = np.where(early, -p.early.sample(rng, n), p.late.sample(rng, n))
    absent = streams("no_show").random(n) < appt.no_show_rate
    periods = day.open_periods()
    taken: dict[float, int] = {}
    come, missed = [], []
    for v, b, off, gone in zip(visitors, books.tolist(), offset.tolist(), absent.tolist()):
        if b:
            slot = _slot_of(v.arrival, periods, appt.slot_min)
            if appt.slot_capacity is not None:
                if taken.get(slot, 0) >= appt.slot_capacity:
                    come.append(v)
                    continue
                taken[slot] = taken.get(slot, 0) + 1
            v.slot, v.booked = slot, True
            if gone:
                missed.append(v)
                continue
            v.arrival = _inside(slot + off, periods)
        come.append(v)
    come.sort(key=lambda v: v.arrival)
    return come, missed


def _slot_of(t: float, periods: list[tuple[float, float]], slot_min: float) -> float:
    """Start of the slot holding minute ``t``: slots of ``slot_min`` from the start of the
    open period holding ``t``."""
    for lo, hi in periods:
        if lo <= t < hi:
            return lo + np.floor((t - lo) / slot_min) * slot_min
    return periods[-1][0]


def _inside(t: float, periods: list[tuple[float, float]]) -> float:
    """``t`` moved into the opening hours: before opening or in a closed lunch to the next
    opening, after closing to just before it (a visitor cannot come while the doors are shut)."""
    for lo, hi in periods:
        if t < lo:
            return lo
        if t < hi:
            return t
    return periods[-1][1] - 1e-6
