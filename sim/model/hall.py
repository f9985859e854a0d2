"""The hall on one day, as a SimPy model: guide desk, tickets, windows, kiosks, printers.

A visitor arrives, may be triaged at the guide desk, then either uses a kiosk or takes a
ticket for their service. Windows call the next ticket they may serve: each window has
ordered *tiers* of ticket queues (elderly first under ``priority``; green windows call
elderly tickets first under ``dedicated``), and within a tier the lowest ticket number.
A window service holds the window's attendant and any shared device the window lacks;
services that issue a card on the spot continue on an instant printer. Waiting visitors
abandon when their patience runs out. Doors close at closing time; visitors inside are
still served, and anyone who cannot be served ends as ``unserved_at_close``.

The model reads a :class:`~sim.scenario.Scenario` and never changes it.
"""

from __future__ import annotations

import math
from collections import deque

import simpy

from sim.scenario.days import DayPlan
from sim.model.arrivals import Visitor
from sim.scenario.clock import to_minutes
from sim.model.devices import DevicePool
from sim.model.roster import Roster

__all__ = ["OUTCOMES", "ConservationError", "DayModel", "MAX_OVERTIME_MIN"]

OUTCOMES = ("served", "served_kiosk", "missing_docs", "abandoned", "baulked", "unserved_at_close")
"""Every visit ends in exactly one of these."""

MAX_OVERTIME_MIN = 240.0
"""After closing time plus this many minutes, anyone still inside is sent home."""


class ConservationError(RuntimeError):
    """A visitor ended in no outcome or in more than one: a bug in the model."""


class Win:
    """A window during one day."""

    __slots__ = ("id", "index", "kind", "tiers", "rank", "extra", "attendant", "busy", "wake",
                 "handover", "a_staff", "state", "since", "hours", "open_now")

    def __init__(self, index, spec, tiers, extra):
        self.id, self.index, self.kind = spec.id, index, spec.kind
        self.tiers = tiers
        # (tier, tier size): a ticket goes to the idle window whose first tier holds it,
        # and among those to the one where it is most specific (the green window for elderly)
        self.rank = {key: (r, len(tier)) for r, tier in enumerate(tiers) for key in tier}
        self.extra = extra  # service -> shared device kinds the window must borrow
        self.attendant = None
        self.busy = False
        self.wake = None
        self.handover = None
        self.a_staff = []
        self.state = None
        self.since = 0.0
        # (start, end) minutes of the window's own hours; None: open whenever the hall is
        self.hours = None if spec.hours is None else [(to_minutes(h.start), to_minutes(h.end)) for h in spec.hours]
        self.open_now = self.hours is None


def window_tiers(scenario, window) -> list[list[tuple[str, str]]]:
    """The ordered ticket queues (group, service) a window calls from; group E = elderly.

    Within a tier the lowest ticket number is called. Under ``dedicated`` the green
    window calls elderly tickets first while general windows call everyone in ticket
    order, so the green channel only ever shortens an elderly visitor's wait.
    """
    mode = scenario.policies.green_channel.mode
    elderly = [("E", s) for s in window.services]
    ordinary = [("O", s) for s in window.services]
    if mode == "none":
        return [ordinary]
    if mode == "priority":
        return [elderly, ordinary]
    if window.kind == "green":
        return [elderly, ordinary] if scenario.policies.green_channel.green_takes_ordinary else [elderly]
    return [ordinary + elderly]


class DayModel:
    """One day (or one continuous horizon) of one replication.

    ``log`` is a :class:`sim.records.Recorder`; visitors come from
    :func:`sim.arrivals.draw_visitors`. After :meth:`run`, ``returns`` holds
    (day index, visitor) pairs of visitors who will come back for missing documents.
    """

    def __init__(self, scenario, day: DayPlan, visitors: list[Visitor], streams, log):
        self.s = scenario
        self.day = day
        self.visitors = visitors
        self.log = log
        self.env = env = simpy.Environment(initial_time=min(day.open_min, _earliest_shift(scenario, day)))
        self.services = scenario.services
        self.mode = scenario.policies.green_channel.mode
        self.patience_on = scenario.policies.patience is not None
        self.baulk = scenario.policies.baulk_queue_length
        self.guide_on = scenario.policies.guide_desk.enabled
        self.detect = scenario.policies.guide_desk.detect_missing_docs
        rv = scenario.policies.repeat_visits
        self.return_prob, self.delay_days = rv.return_prob, rv.delay_days
        kiosks = scenario.devices.kiosks
        self.kiosk_services = set(kiosks.services) if kiosks.count > 0 else set()
        self.pref = (scenario.demand.kiosk_preference, scenario.demand.elderly_kiosk_preference)

        dev_log = log.devices
        p = scenario.devices.instant_printers
        self.printers = DevicePool(env, "printer", p.count, dev_log, p.mtbf_min, p.mttr, streams("failures:printer"))
        self.kiosks = DevicePool(env, "kiosk", kiosks.count, dev_log, kiosks.mtbf_min, kiosks.mttr, streams("failures:kiosk"))
        self.shared = {kind: DevicePool(env, kind, n, dev_log) for kind, n in scenario.devices.shared.items() if n > 0}

        self.windows: list[Win] = []
        for i, w in enumerate(scenario.windows):
            extra = {svc: [d for d in scenario.services[svc].devices if d not in w.devices] for svc in w.services}
            self.windows.append(Win(i, w, window_tiers(scenario, w), extra))
        self.queues: dict[tuple[str, str], deque] = {
            key: deque() for w in self.windows for tier in w.tiers for key in tier
        }
        self.idle: dict[int, Win] = {}
        self.n_waiting = 0
        self.n_ticket = 0
        self.in_system = 0
        self.is_open = False
        self.past_close = False
        self.arrivals_done = False
        self.last_departure = day.close_min
        self.returns: list[tuple[int, Visitor]] = []
        self.done = env.event()
        self.guide_desks: list[float] = []  # when each guide desk finishes its current triage
        self.roster = Roster(self, scenario, streams, log.staff)

    # ------------------------------------------------------------------ running
    def run(self) -> None:
        """Simulate the day to its end; every visitor then has exactly one outcome."""
        env = self.env
        env.process(self._doors())
        for w in self.windows:
            env.process(self._window(w))
            if w.hours is not None:
                env.process(self._window_hours(w))
        self.roster.start()
        self._arrivals()
        if not self.s.continuous:
            env.process(self._guard())
        env.run(until=self.done)
        for w in self.windows:
            self._state(w, None)
        self.roster.close()
        self._check_conservation()

    def _doors(self):
        env = self.env
        for start, end in self.day.open_periods():
            yield env.timeout(max(0.0, start - env.now))
            self._set_open(True)
            yield env.timeout(max(0.0, end - env.now))
            self._set_open(False)
        self.past_close = True
        self._check_finish()

    def _set_open(self, is_open: bool) -> None:
        self.is_open = is_open
        self.roster.reassign()
        for w in self.windows:
            self._refresh(w)

    def _window_hours(self, w: Win):
        """Open and close a window at its own hours; a period reaching closing time keeps
        the window open while visitors remain. Closing lets the attendant finish the
        current visitor, then leave the post."""
        env = self.env
        for start, end in w.hours:
            yield env.timeout(max(0.0, start - env.now))
            w.open_now = True
            self.roster.reassign()
            self._refresh(w)
            if end >= self.day.close_min:
                return
            yield env.timeout(max(0.0, end - env.now))
            w.open_now = False
            w.handover = None
            if w.attendant is not None and not w.busy:
                self.roster.release(w)
            self._refresh(w)

    def _guard(self):
        yield self.env.timeout(max(0.0, self.day.close_min + MAX_OVERTIME_MIN - self.env.now))
        self._send_home(everyone=True)

    def _arrivals(self):
        """Let each visitor in at their arrival time (a chain of timeouts, no process)."""
        visitors = iter(self.visitors)
        env = self.env

        def arrive(_ev=None, v=None):
            if v is not None:
                self.in_system += 1
                if self.guide_on and self.roster.guide_open:
                    self._triage(v)
                else:
                    self._after_triage(v)
            nxt = next(visitors, None)
            if nxt is None:
                self.arrivals_done = True
                self._check_finish()
                return
            env.timeout(max(0.0, nxt.arrival - env.now)).callbacks.append(lambda ev, nxt=nxt: arrive(ev, nxt))

        arrive()

    def _check_finish(self) -> None:
        if self.done.triggered or not (self.past_close and self.arrivals_done):
            return
        if self.in_system == 0:
            self.done.succeed()
        elif self._stuck():
            self._send_home(everyone=False)

    def _stuck(self) -> bool:
        """After closing: everyone left inside waits for a ticket no one present can call."""
        if self.n_waiting != self.in_system:
            return False
        if any(p.present and p.away is not None for p in self.roster.people):
            return False
        for w in self.windows:
            if w.attendant is not None and any(
                any(v.waiting for v in self.queues[key]) for key in w.rank
            ):
                return False
        return True

    def _send_home(self, everyone: bool) -> None:
        """End every waiting visit (and, when ``everyone``, every other open visit)."""
        for q in self.queues.values():
            for v in q:
                if v.waiting:
                    v.waiting = False
                    self.n_waiting -= 1
                    v.end = self.env.now
                    self._finish(v, "unserved_at_close", "queue")
            q.clear()
        if everyone:
            for v in self.visitors:
                if v.outcome is None and v.arrival <= self.env.now:
                    self._finish(v, "unserved_at_close", v.stage or "inside")
        self.log.queue.append((self.env.now, self.n_waiting))
        if not self.done.triggered and (everyone or self.in_system == 0):
            self.done.succeed()

    # ------------------------------------------------------------- visitor flow
    def _triage(self, v) -> None:
        """Queue at the guide desk (one desk, first come first served), then move on."""
        now = self.env.now
        v.stage = "guide"
        desks = self.guide_desks
        staffed = max(1, len(self.roster.guide))
        while len(desks) < staffed:
            desks.append(-math.inf)
        i = min(range(staffed), key=desks.__getitem__)
        start = now if desks[i] < now else desks[i]
        desks[i] = start + v.triage_time
        self.env.timeout(desks[i] - now).callbacks.append(lambda _ev, v=v: self._triaged(v))

    def _triaged(self, v) -> None:
        if v.lacks_docs and v.detect_u < self.detect:
            v.end = self.env.now
            self._sent_away(v, "guide")
        else:
            self._after_triage(v)

    def _after_triage(self, v) -> None:
        if v.service in self.kiosk_services and v.kiosk_u < self.pref[1 if v.elderly else 0]:
            self.env.process(self._kiosk(v))
        else:
            self._take_ticket(v)

    def _kiosk(self, v):
        v.stage = "kiosk"
        unit = yield self.kiosks.get()
        self.kiosks.taken(unit)
        v.start = self.env.now
        v.window = unit
        yield self.env.timeout(v.kiosk_time)
        self.kiosks.put(unit)
        v.end = self.env.now
        self._finish(v, "served_kiosk", "kiosk")

    def _take_ticket(self, v) -> None:
        now = self.env.now
        v.stage = "queue"
        if self.baulk is not None and self.n_waiting >= self.baulk:
            v.end = now
            self._finish(v, "baulked", "queue")
            return
        self.n_ticket += 1
        v.ticket = self.n_ticket
        v.ticket_time = now
        v.key = ("E" if v.elderly and self.mode != "none" else "O", v.service)
        best = None
        if self.idle:  # in the order the windows became idle: the longest idle wins a tie
            for w in self.idle.values():
                r = w.rank.get(v.key)
                if r is not None and (best is None or r < best[0]):
                    best = (r, w)
        if best is not None:
            w = best[1]
            del self.idle[w.index]
            w.busy = w.attendant.busy = True  # reserved: the attendant may not leave now
            w.wake.succeed(v)
            return
        v.waiting = True
        self.queues[v.key].append(v)
        self.n_waiting += 1
        self.log.queue.append((now, self.n_waiting))
        if self.patience_on and math.isfinite(v.patience):
            self.env.timeout(v.patience).callbacks.append(lambda _ev, v=v: self._abandon(v))

    def _abandon(self, v) -> None:
        if not v.waiting:
            return
        v.waiting = False
        self.n_waiting -= 1
        self.log.queue.append((self.env.now, self.n_waiting))
        v.end = self.env.now
        self._finish(v, "abandoned", "queue")

    def _next_ticket(self, w: Win):
        for tier in w.tiers:
            best = None
            for key in tier:
                q = self.queues[key]
                while q and not q[0].waiting:
                    q.popleft()
                if q and (best is None or q[0].ticket < best[0].ticket):
                    best = q
            if best is not None:
                v = best.popleft()
                v.waiting = False
                self.n_waiting -= 1
                self.log.queue.append((self.env.now, self.n_waiting))
                return v
        return None

    # ------------------------------------------------------------------ windows
    def _window(self, w: Win):
        """The window's life: call the next ticket it may serve, serve it, repeat.

        Consecutive visitors make one ``serving`` interval; the window records ``idle``
        only when it finds no ticket.
        """
        env = self.env
        services = self.services
        while True:
            v = None
            p = w.attendant
            if p is not None and not w.open_now:  # the window closed while p was serving
                self.roster.release(w)
                p = None
            if p is not None:
                v = self._next_ticket(w)
            if v is None:
                if w.attendant is not None:
                    self.idle[w.index] = w
                    self._refresh(w)
                w.wake = env.event()
                v = yield w.wake
                w.wake = None
                if v is None:
                    self.idle.pop(w.index, None)
                    continue
            # serve v: hold the attendant and any shared device the window lacks
            p = w.attendant
            p.busy = w.busy = True
            v.call = env.now
            v.window, v.staff = w.id, p.name
            v.covered = p.a_post != w.id and not p.auto
            v.stage = "window"
            self._refresh(w)
            borrowed = None
            extra = w.extra[v.service]
            if extra:
                borrowed = []
                for kind in extra:
                    pool = self.shared[kind]
                    unit = yield pool.get()
                    pool.taken(unit)
                    borrowed.append((pool, unit))
            v.start = env.now
            spec = services[v.service]
            duration = v.base_time * spec.elderly_multiplier if v.elderly else v.base_time
            if v.lacks_docs:
                duration *= spec.rejection_fraction
            if not p.auto:
                self.roster.staff_changed(p)
            yield env.timeout(duration)
            if borrowed:
                for pool, unit in borrowed:
                    pool.put(unit)
            v.end = env.now
            p.busy = w.busy = False
            if v.lacks_docs:
                self._sent_away(v, "window")
            elif spec.instant_issue:
                env.process(self._issue(v))
            else:
                self._finish(v, "served", "window")
            if not p.auto:
                self.roster.staff_changed(p)
                self.roster.after_service(w, p)

    def _issue(self, v):
        v.stage = "printer"
        unit = yield self.printers.get()
        self.printers.taken(unit)
        yield self.env.timeout(v.print_time)
        self.printers.put(unit)
        v.card = self.env.now
        self._finish(v, "served", "printer")

    # ------------------------------------------------------------- roster hooks
    def window_attended(self, w: Win) -> None:
        """The roster put someone at ``w``: let the window look for a ticket."""
        if w.wake is not None and not w.wake.triggered:
            w.wake.succeed(None)
        self._refresh(w)

    def window_unattended(self, w: Win) -> None:
        """The roster took the attendant away from ``w``."""
        self.idle.pop(w.index, None)
        if w.wake is not None and not w.wake.triggered:
            w.wake.succeed(None)
        self._refresh(w)

    def staff_left(self) -> None:
        """Someone left; after closing this may end the day."""
        if self.past_close:
            self._check_finish()

    # ----------------------------------------------------------------- outcomes
    def _sent_away(self, v, stage: str) -> None:
        self._finish(v, "missing_docs", stage)
        if v.return_u < self.return_prob:
            lo, hi = self.delay_days
            delay = lo + min(int(v.delay_u * (hi - lo + 1)), hi - lo)
            self.returns.append((self.day.index + delay, v))

    def _finish(self, v, outcome: str, stage: str) -> None:
        if v.outcome is not None:
            raise ConservationError(f"visitor {v.vid} ended twice ({v.outcome!r}, then {outcome!r})")
        now = self.env.now
        v.outcome, v.stage = outcome, stage
        if v.end is None:
            v.end = now
        self.in_system -= 1
        if now > self.last_departure:
            self.last_departure = now
        if self.past_close:
            self._check_finish()

    def _check_conservation(self) -> None:
        arrived = sum(1 for v in self.visitors)
        ended = sum(1 for v in self.visitors if v.outcome in OUTCOMES)
        if ended != arrived or self.in_system != 0:
            missing = [v.vid for v in self.visitors if v.outcome is None][:5]
            raise ConservationError(
                f"day {self.day.index}: {arrived} arrivals but {ended} outcomes "
                f"(in system {self.in_system}; without outcome e.g. {missing})"
            )

    # ------------------------------------------------------------------ records
    def _refresh(self, w: Win) -> None:
        p = w.attendant
        if p is None:
            state = "empty" if self.is_open and w.open_now else "closed"
        elif w.busy:
            state = "serving"
        else:
            state = "idle" if self.is_open else "closed"
        self._state(w, (state, p.name if p else None, bool(p and p.a_post != w.id and not p.auto)))

    def _state(self, w: Win, key) -> None:
        if key == w.state:
            return
        now = self.env.now
        if w.state is not None and now > w.since:
            self.log.windows.append((w.id, *w.state, w.since, now))
        w.state, w.since = key, now


def _earliest_shift(scenario, day: DayPlan) -> float:
    from sim.scenario.clock import to_minutes

    if scenario.policies.staffing != "roster" or not scenario.staff:
        return day.open_min
    return min(day.open_min, min(to_minutes(p.shift.start) for p in scenario.staff))
