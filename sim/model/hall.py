"""The hall on one day, as a SimPy model: guide desk, tickets, windows, kiosks, printers.

:class:`DayModel` reads in the order a visitor travels:

1. **arrive** at their arrival time;
2. **guide desk** triage (when the desk is open): a detected lack of documents ends the visit there;
   then an elderly visitor may ask for a **helper** (陪办), who stays with them to the end of the visit;
3. a **kiosk**, or a **ticket** for their service (or they baulk at a long queue);
4. **wait** for a window to call the ticket, or **abandon** when their patience runs out;
5. **called** at a window: each window has ordered *tiers* of ticket queues (elderly first
   under ``priority``; green windows call elderly tickets first under ``dedicated``), and
   within a tier the lowest ticket number;
6. **served**: the service holds the window's attendant and any shared device the window lacks;
7. the **printer**, for services that issue a card on the spot;
8. **finish**: served, or sent away for missing documents (perhaps to come back another day).

Then the window's life (call, serve, repeat), the doors and each window's own hours, the
hooks the :class:`~sim.model.roster.Roster` calls, closing time, the conservation check and
the window records. Doors close at closing time; visitors inside are still served, and
anyone who cannot be served ends as ``unserved_at_close``. All times are in minutes since
midnight (or since the start of a continuous horizon).

The model reads a :class:`~sim.scenario.schema.Scenario` and never changes it.
"""

from __future__ import annotations

import math
from collections import deque

from sim.model.arrivals import Visitor
from sim.model.devices import DevicePool
from sim.model.roster import Person, Roster
from sim.model.timers import DayEnvironment, call_after, call_now, discard_pending, run_until
from sim.scenario.clock import to_minutes
from sim.scenario.days import DayPlan
from sim.scenario.visits import step_code, step_windows

__all__ = ["OUTCOMES", "ConservationError", "DayModel", "MAX_OVERTIME_MIN", "WindowLayout", "WindowState",
           "hall_layout"]

OUTCOMES = ("served", "served_kiosk", "missing_docs", "abandoned", "baulked", "unserved_at_close")
"""Every visit ends in exactly one of these."""

MAX_OVERTIME_MIN = 240.0
"""After closing time plus this many minutes, anyone still inside is sent home."""


class ConservationError(RuntimeError):
    """A visitor ended in no outcome or in more than one: a bug in the model."""


class WindowLayout:
    """What a window calls and borrows, the same on every day of a scenario: its ``spec``,
    its ordered ticket queues ``tiers`` (:func:`window_tiers`), their ``rank`` and the
    shared device kinds it ``borrows`` per service code."""

    __slots__ = ("spec", "tiers", "rank", "borrows")

    def __init__(self, scenario, spec):
        self.spec = spec
        self.tiers = window_tiers(scenario, spec)
        # (tier, tier size): a ticket goes to the idle window whose first tier holds it,
        # and among those to the one where it is most specific (the green window for elderly)
        self.rank = {key: (r, len(tier)) for r, tier in enumerate(self.tiers) for key in tier}
        self.borrows = {code: [d for d in _code_devices(scenario, code) if d not in spec.devices]
                        for code in window_codes(scenario, spec)}


def hall_layout(scenario) -> list[WindowLayout]:
    """The :class:`WindowLayout` of every window of ``scenario``, in order: worked out once
    for all the days of a replication."""
    return [WindowLayout(scenario, spec) for spec in scenario.windows]


class WindowState:
    """One service window during one day: who attends it, whether it is busy, its own hours."""

    __slots__ = ("id", "index", "kind", "tiers", "rank", "borrows", "attendant", "busy", "asleep", "tier_queues",
                 "handover", "a_staff", "recorded", "recorded_since", "hours", "open_now")

    def __init__(self, index: int, layout: WindowLayout, weekday: str | None = None):
        spec = layout.spec
        self.id, self.index, self.kind = spec.id, index, spec.kind
        self.tiers = layout.tiers  # ordered ticket queues (group, service) the window calls from
        self.tier_queues: list[list[deque]] = []  # the same, as the day's queues (set by DayModel)
        self.rank = layout.rank  # (tier, tier size) of each queue (WindowLayout)
        self.borrows = layout.borrows  # service -> shared device kinds the window must borrow
        self.attendant: Person | None = None  # who attends the window now (set by the roster)
        self.busy = False  # serving, or reserved for a visitor just handed to it
        self.asleep = False  # waiting to be woken (DayModel._wake) with a ticket or by a roster change
        self.handover: Person | None = None  # the A coming back, taking over after the current visitor
        self.a_staff: list[Person] = []  # the people whose A post this window is (set by the roster)
        self.recorded = None  # the (state, staff, covered) last written to the window records
        self.recorded_since = 0.0  # minutes: since when ``recorded`` holds
        # (start, end) minutes of the window's own hours; None: open whenever the hall is
        hours = spec.hours_on(weekday)  # the window's hours on the day's weekday (hours_by_weekday)
        self.hours = None if hours is None else [(to_minutes(h.start), to_minutes(h.end)) for h in hours]
        self.open_now = self.hours is None


def window_codes(scenario, window) -> list[str]:
    """What ``window`` serves: its services, then the later steps of any service it serves
    (:func:`sim.scenario.visits.step_code`, ``"apply>1"``)."""
    steps = [step_code(svc, k + 1) for svc, spec in scenario.services.items()
             for k, step in enumerate(spec.steps) if window.id in step_windows(step, scenario.windows)]
    return list(window.services) + steps


def window_tiers(scenario, window) -> list[list[tuple[str, str]]]:
    """The ordered ticket queues (group, service) a window calls from; group E = elderly,
    B = booked tickets whose slot has come.

    Within a tier the lowest ticket number is called. Under ``dedicated`` the green
    window calls elderly tickets first while general windows call everyone in ticket
    order, so the green channel only ever shortens an elderly visitor's wait. Booked
    tickets come first at every window serving their service; a window reserved for them
    calls nothing else, or, with ``reserved_take_walk_ins``, the others when none is due.
    A later step's queue (``"apply>1"``) sits in the tiers beside the services.
    """
    tiers = _walk_in_tiers(scenario, window, window_codes(scenario, window))
    appt = scenario.appointments
    if appt is None or not appt.on:
        return tiers
    booked = [("B", s) for s in window.services if appt.booked_share.get(s, 0) > 0]
    if window.id in appt.reserved_windows:
        return [booked, *tiers] if appt.reserved_take_walk_ins else [booked]
    return [booked, *tiers] if booked else tiers


def _walk_in_tiers(scenario, window, codes: list[str]) -> list[list[tuple[str, str]]]:
    mode = scenario.policies.green_channel.mode
    elderly = [("E", s) for s in codes]
    ordinary = [("O", s) for s in codes]
    if mode == "none":
        return [ordinary]
    if mode == "priority":
        return [elderly, ordinary]
    if window.kind == "green":
        return [elderly, ordinary] if scenario.policies.green_channel.green_takes_ordinary else [elderly]
    return [ordinary + elderly]


def _is_cover(person: Person, w: WindowState) -> bool:
    """``person`` attends ``w`` without it being their A post (always-on staff never cover)."""
    return person.a_post != w.id and not person.auto


class DayModel:
    """One day (or one continuous horizon) of one replication.

    ``log`` is a :class:`sim.model.records.Recorder`; visitors come from
    :func:`sim.model.arrivals.draw_visitors`. After :meth:`run`, ``returns`` holds
    (day index, visitor) pairs of visitors who will come back for missing documents,
    and ``last_departure`` the minute the last visitor left (at least closing time).
    ``layout`` (default :func:`hall_layout`) may be passed by a caller that simulates many
    days of one scenario.
    """

    def __init__(self, scenario, day: DayPlan, visitors: list[Visitor], streams, log, home_requests=None,
                 layout: list[WindowLayout] | None = None):
        self.scenario = scenario
        self.day = day
        self.visitors = visitors
        self.log = log
        self.env = env = DayEnvironment(initial_time=min(day.open_min, _earliest_shift(scenario, day)))
        policies = scenario.policies
        self.green_mode = policies.green_channel.mode
        self.elderly_group = "O" if self.green_mode == "none" else "E"  # ticket group of elderly walk-ins
        self.patience_on = policies.patience is not None
        self.baulk_queue_length = policies.baulk_queue_length  # None: nobody baulks
        self.guide_desk_on = policies.guide_desk.enabled
        self.detect_missing_docs = policies.guide_desk.detect_missing_docs  # probability
        self.return_prob = policies.repeat_visits.return_prob
        self.return_delay_days = policies.repeat_visits.delay_days  # (fewest, most) days later
        kiosks = scenario.devices.kiosks
        self.kiosk_services = set(kiosks.services) if kiosks.count > 0 else set()
        # share of (ordinary, elderly) visitors who use a kiosk for a kiosk service
        self.kiosk_preference = (scenario.demand.kiosk_preference, scenario.demand.elderly_kiosk_preference)

        device_log = log.devices
        printers = scenario.devices.instant_printers
        self.printers = DevicePool(env, "printer", printers.count, device_log, printers.mtbf_min, printers.mttr,
                                   _failure_stream(streams, "printer", printers))
        self.kiosks = DevicePool(env, "kiosk", kiosks.count, device_log, kiosks.mtbf_min, kiosks.mttr,
                                 _failure_stream(streams, "kiosk", kiosks))
        self.shared_devices = {kind: DevicePool(env, kind, n, device_log)
                               for kind, n in scenario.devices.shared.items() if n > 0}

        self.windows: list[WindowState] = []
        self.services = scenario.services  # code -> ServiceSpec
        self.steps = {svc: spec.steps for svc, spec in scenario.services.items() if spec.steps}  # service -> later steps
        for i, window in enumerate(hall_layout(scenario) if layout is None else layout):
            self.windows.append(WindowState(i, window, day.weekday))
        # one ticket queue per (group, service) a window calls, and one for every other
        # (group, service) a visitor may draw: a ticket no window may call waits there
        # until the visitor abandons or is sent home at closing (validation refuses the
        # scenarios that would do this: sim.scenario.checks)
        self.queues: dict[tuple[str, str], deque] = {
            key: deque() for w in self.windows for tier in w.tiers for key in tier
        }
        for svc in scenario.services:
            for group in ("E", "O", "B"):
                self.queues.setdefault((group, svc), deque())
        for w in self.windows:  # each window's tiers as the queues themselves
            w.tier_queues = [[self.queues[key] for key in tier] for tier in w.tiers]
        appt = scenario.appointments
        self.grace_min = appt.grace_min if appt is not None else math.inf
        self.idle_windows: dict[int, WindowState] = {}  # attended windows waiting for a ticket, longest idle first
        self.n_waiting = 0  # visitors holding a ticket, not yet called
        self.last_ticket = 0  # the number of the last ticket drawn
        self.in_system = 0  # visitors inside the hall
        self.is_open = False  # the doors are open
        self.past_close = False  # the last opening period is over
        self.arrivals_done = False
        self.last_departure = day.close_min
        self.returns: list[tuple[int, Visitor]] = []
        self.done = env.event()
        self.guide_desks: list[float] = []  # minute at which each guide desk finishes its current triage
        self.sending_home = False  # _send_home is ending visits: no re-entrant end-of-day check
        self.roster = Roster(self, scenario, streams, log.staff)
        # home visits (上门服务): the day indices of the requests still waiting, oldest first,
        # and those a trip took today
        self.home_requests: list[int] = list(home_requests or [])
        self.home_done: list[int] = []
        self.home_rng = streams("home_trip") if scenario.home_visits is not None else None
        # accompanied service (helpers, 陪办): elderly visitors waiting for a helper, first come
        # first served; the helper accompanying each visitor (by visitor id)
        hp = scenario.helpers
        self.helpers_on = hp is not None
        self.help_share = hp.ask_share if hp is not None else 0.0
        self.help_waits = hp is not None and hp.when_busy == "wait"
        self.help_kiosk_preference = hp.kiosk_preference if hp is not None else 0.0
        self.help_time_factor = hp.window_time_factor if hp is not None else 1.0
        self.help_queue: deque = deque()
        self.n_help_waiting = 0
        self.help_call_due = False
        self.helping: dict[int, Person] = {}

    # ------------------------------------------------------------------ running
    def run(self) -> None:
        """Simulate the day to its end; every visitor then has exactly one outcome."""
        env = self.env
        env.process(self._doors())
        for w in self.windows:
            call_now(env, self._window_next, w)  # ordered as a process started here would be
            if w.hours is not None:
                env.process(self._window_hours(w))
        self.roster.start()
        if self.scenario.home_visits is not None and not self.scenario.continuous:
            for t in self.scenario.home_visits.at:
                self._after(max(0.0, to_minutes(t) - env.now), self._home_round)
        self._arrivals()
        if not self.scenario.continuous:
            env.process(self._overtime_limit())
        run_until(env, self.done)
        for w in self.windows:
            self._record_window(w, None)
        self.roster.close()
        self._check_conservation()

    def release(self) -> None:
        """After :meth:`run`, when only ``returns``, ``last_departure`` and the records are
        still wanted: drop the references that tie the day's objects in cycles (events
        that will never run, the roster's and each window's way back to the model), so
        that they are freed at once rather than by Python's cycle collector."""
        discard_pending(self.env)
        self.roster.model = None

    def _after(self, delay: float, fn, *args) -> None:
        """Call ``fn(*args)`` after ``delay`` minutes: a bare timed event, no process."""
        call_after(self.env, delay, fn, *args)

    # ---------------------------------------------------------------- 1. arrive
    def _arrivals(self) -> None:
        """Let each visitor in at their arrival time (a chain of timeouts, no process)."""
        self._let_in_next(iter(self.visitors))

    def _let_in_next(self, coming) -> None:
        """Wait for the next visitor of ``coming`` to arrive; after the last one, note that arrivals are over."""
        v = next(coming, None)
        if v is None:
            self.arrivals_done = True
            self._check_finish()
            return
        env = self.env
        call_after(env, max(0.0, v.arrival - env.now), self._arrive, v, coming)

    def _arrive(self, v: Visitor, coming) -> None:
        self.in_system += 1
        if self.guide_desk_on and self.roster.guide_open:
            self._triage(v)
        elif self.kiosk_services or self.helpers_on:
            self._kiosk_or_ticket(v)
        else:  # no kiosk, no helper to ask for: straight to a ticket
            self._take_ticket(v)
        self._let_in_next(coming)

    # ------------------------------------------------------ 2. guide desk triage
    def _triage(self, v: Visitor) -> None:
        """Queue at the guide desk (first come first served at the desk free first), then move on."""
        now = self.env.now
        v.stage = "guide"
        desks = self.guide_desks
        staffed = max(1, len(self.roster.guide))
        while len(desks) < staffed:
            desks.append(-math.inf)
        i = 0 if staffed == 1 else min(range(staffed), key=desks.__getitem__)
        start = now if desks[i] < now else desks[i]
        desks[i] = start + v.triage_time
        self._after(desks[i] - now, self._triage_done, v)

    def _triage_done(self, v: Visitor) -> None:
        """The guide desk sends away a visitor it finds lacking documents; the others move on."""
        if v.lacks_docs and v.detect_u < self.detect_missing_docs:
            v.end = self.env.now
            self._missing_docs(v, "guide")
        else:
            self._kiosk_or_ticket(v)

    # --------------------------------------------------------- 3. kiosk or ticket
    def _kiosk_or_ticket(self, v: Visitor) -> None:
        if self.helpers_on and v.help_asked is None and v.elderly and v.help_u < self.help_share:
            self._ask_helper(v)
            return
        pref = self.kiosk_preference[1 if v.elderly else 0] if v.helper is None else self.help_kiosk_preference
        if v.service in self.kiosk_services and v.kiosk_u < pref and not v.booked:
            call_now(self.env, self._kiosk, v)  # ordered as a process started here
        else:
            self._take_ticket(v)

    def _kiosk(self, v: Visitor) -> None:
        """Wait for a free kiosk, use it for ``v.kiosk_time`` minutes, leave served."""
        v.stage = "kiosk"
        self.kiosks.get().callbacks.append(lambda event: self._use_kiosk(v, event.value))

    def _use_kiosk(self, v: Visitor, unit: str) -> None:
        self.kiosks.taken(unit)
        v.start = self.env.now
        v.window = unit
        call_after(self.env, v.kiosk_time, self._kiosk_done, v, unit)

    def _kiosk_done(self, v: Visitor, unit: str) -> None:
        self.kiosks.put(unit)
        v.end = self.env.now
        self._finish(v, "served_kiosk", "kiosk")

    def _take_ticket(self, v: Visitor) -> None:
        """Baulk at a long queue, or draw a ticket: an idle window that may serve it calls
        it at once, otherwise the visitor waits (and may run out of patience). A booked
        visitor within the grace window never baulks and holds a booked ticket, due at the
        slot; one who came later than the grace window has lost the booking."""
        now = self.env.now
        v.stage = "queue"
        if v.booked and now > v.slot + self.grace_min:
            v.booked = False
        if not v.booked and self.baulk_queue_length is not None and self.n_waiting >= self.baulk_queue_length:
            v.end = now
            self._finish(v, "baulked", "queue")
            return
        self.last_ticket += 1
        v.ticket = self.last_ticket
        v.ticket_time = now
        if v.booked:
            v.key = ("B", v.service)
            if now < v.slot:
                self._after(v.slot - now, self._slot_due, v)
                return
        else:
            v.key = (self.elderly_group if v.elderly else "O", v.service)
        self._enqueue(v, patience=True)

    def _group(self, v: Visitor) -> str:
        """The walk-in ticket group of ``v``: E (elderly, when the green channel sorts them) or O."""
        return self.elderly_group if v.elderly else "O"

    def _slot_due(self, v: Visitor) -> None:
        """An early booked visitor's slot has come: the ticket joins the booked queue."""
        if v.outcome is None:
            self._enqueue(v, patience=True)

    def _enqueue(self, v: Visitor, patience: bool) -> None:
        """``v``'s ticket (queue ``v.key``) goes to an idle window that may call it, or waits;
        with ``patience`` the visitor abandons when it runs out."""
        now = self.env.now
        w = self._idle_window_for(v.key) if self.idle_windows else None
        if w is not None:
            del self.idle_windows[w.index]
            w.busy = w.attendant.busy = True  # reserved: the attendant may not leave now
            self._wake(w, v)
            return
        v.waiting = True
        self.queues[v.key].append(v)
        self.n_waiting += 1
        self.log.queue.append((now, self.n_waiting))
        if patience and self.patience_on and math.isfinite(v.patience):
            self._after(v.patience, self._abandon, v)

    def _idle_window_for(self, key: tuple[str, str]) -> WindowState | None:
        """The idle window that calls a new ticket of queue ``key`` at once: the best rank
        (see :attr:`WindowState.rank`), and among equals the one idle longest; None if none may."""
        best, best_rank = None, None
        for w in self.idle_windows.values():  # in the order the windows became idle
            rank = w.rank.get(key)
            if rank is not None and (best is None or rank < best_rank):
                best, best_rank = w, rank
        return best

    # ---------------------------------------------------------- 4. wait / abandon
    def _abandon(self, v: Visitor) -> None:
        """``v``'s patience ran out: leave unless already called."""
        if not v.waiting:
            return
        v.waiting = False
        self.n_waiting -= 1
        self.log.queue.append((self.env.now, self.n_waiting))
        v.end = self.env.now
        self._finish(v, "abandoned", "queue")

    # ---------------------------------------------------- 5. called at a window
    def _next_ticket(self, w: WindowState) -> Visitor | None:
        """Call the next waiting visitor ``w`` may serve: its first tier holding anyone,
        within the tier the lowest ticket number; None when nobody waits for ``w``."""
        for tier in w.tier_queues:
            best = None
            for q in tier:
                while q and not q[0].waiting:  # drop those who abandoned or were sent home
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

    # ------------------------------------------------------------- 6. served
    def _serve(self, w: WindowState, staff: Person, v: Visitor) -> None:
        """``staff`` starts serving ``v`` at ``w``: borrow the shared devices the window
        lacks (waiting for each), then hold the window for the service time
        (:meth:`_served` follows)."""
        staff.busy = w.busy = True
        now = self.env.now
        if v.step == 0:
            v.call = now
            v.window, v.staff = w.id, staff.name
            v.covered = _is_cover(staff, w)
        else:  # a later step: its wait counts from joining the step's queue
            v.later_wait += now - v.step_queued
            v.last_window = w.id
        v.stage = "window"
        self._window_changed(w)
        kinds = w.borrows[v.key[1]]
        if kinds:
            self._borrow(w, staff, v, kinds, [])
        else:
            self._hold(w, staff, v, ())

    def _borrow(self, w: WindowState, staff: Person, v: Visitor, kinds: list[str], borrowed: list) -> None:
        """Take one unit of each shared device kind of ``kinds``, in order, waiting for each;
        then hold the window with the (pool, unit) pairs ``borrowed``."""
        k = len(borrowed)
        if k == len(kinds):
            self._hold(w, staff, v, borrowed)
            return
        pool = self.shared_devices[kinds[k]]

        def got(event):
            pool.taken(event.value)
            borrowed.append((pool, event.value))
            self._borrow(w, staff, v, kinds, borrowed)

        pool.get().callbacks.append(got)

    def _hold(self, w: WindowState, staff: Person, v: Visitor, borrowed) -> None:
        """The service itself: ``w`` (and ``borrowed``) held for the visitor's window time."""
        if not staff.auto:
            self.roster.staff_changed(staff)
        spec = self.services[v.service]
        step = v.step
        if step == 0:
            v.start = self.env.now
            duration = _window_time(v, spec)
        else:
            duration = v.step_times[step - 1] * (spec.elderly_multiplier if v.elderly else 1.0)
        if v.helper is not None:
            duration *= self.help_time_factor
        call_after(self.env, duration, self._served, w, staff, v, borrowed, spec, self.env.now)

    def _served(self, w: WindowState, staff: Person, v: Visitor, borrowed, spec, begin: float) -> None:
        """The service of ``v`` at ``w`` is over: give the devices back, then send ``v`` on
        to the printer or finish the visit, and let the window call the next ticket."""
        now = self.env.now
        for pool, unit in borrowed:
            pool.put(unit)
        step = v.step
        if step == 0:
            v.end = now
            issues = spec.instant_issue
        else:
            v.later_service += now - begin
            v.later_end = now
            issues = spec.steps[step - 1].instant_issue
        staff.busy = w.busy = False
        if step == 0 and v.lacks_docs:
            self._missing_docs(v, "window")
        elif issues:
            call_now(self.env, self._print_card, v)  # ordered as a process started here
        else:
            self._step_done(v, "window")
        if not staff.auto:
            self.roster.staff_changed(staff)
            self.roster.after_service(w, staff)
        self._window_next(w)

    # ----------------------------------------------------------- 7. printer
    def _print_card(self, v: Visitor) -> None:
        """On-the-spot issuance: wait for a free printer, print for ``v.print_time`` minutes."""
        v.stage = "printer"
        self.printers.get().callbacks.append(lambda event: self._print(v, event.value))

    def _print(self, v: Visitor, unit: str) -> None:
        self.printers.taken(unit)
        call_after(self.env, v.print_time, self._printed, v, unit)

    def _printed(self, v: Visitor, unit: str) -> None:
        self.printers.put(unit)
        v.card = self.env.now
        self._step_done(v, "printer")

    def _step_done(self, v: Visitor, stage: str) -> None:
        """``v`` finished a window step (and its printing) at ``stage``: on to the next step's
        queue, with the original ticket number, or the visit is served."""
        steps = self.steps.get(v.service, ())
        if v.step >= len(steps):
            self._finish(v, "served", stage)
            return
        v.step += 1
        if v.step == 1:
            v.later_wait = v.later_service = 0.0
        v.key = (self._group(v), step_code(v.service, v.step))
        v.step_queued = self.env.now
        v.stage = "queue"
        self._enqueue(v, patience=False)

    # ------------------------------------------------------------- helpers
    def _ask_helper(self, v: Visitor) -> None:
        """``v`` (elderly) asks for a helper: a free one joins at once (unless others wait
        before them); otherwise ``v`` goes on alone (``when_busy: alone``) or waits for one
        for at most ``v.help_patience`` minutes."""
        now = self.env.now
        v.help_asked = now
        p = self.roster.free_helper() if self.n_help_waiting == 0 else None
        if p is not None:
            self._join_helper(v, p)
        elif not self.help_waits:
            v.help_wait = 0.0
            self._kiosk_or_ticket(v)
        else:
            v.stage = "helper"
            v.help_waiting = True
            self.n_help_waiting += 1
            self.help_queue.append(v)
            self._after(v.help_patience, self._go_alone, v)

    def _join_helper(self, v: Visitor, p: Person) -> None:
        """Helper ``p`` accompanies ``v`` from now to the end of the visit."""
        v.helper = p.name
        v.help_wait = self.env.now - v.help_asked
        self.helping[v.vid] = p
        self.roster.start_helping(p)
        self._kiosk_or_ticket(v)

    def _stop_waiting_for_helper(self, v: Visitor) -> None:
        v.help_waiting = False
        self.n_help_waiting -= 1
        v.help_wait = self.env.now - v.help_asked

    def _go_alone(self, v: Visitor) -> None:
        """``v``'s patience for a helper ran out: on alone, unless a helper came first."""
        if not v.help_waiting:
            return
        self._stop_waiting_for_helper(v)
        self._kiosk_or_ticket(v)
        if self.past_close:
            self._check_finish()

    def helper_ready(self) -> None:
        """Roster hook: a helper may be free (came to the post, or their visitor left). The
        longest-waiting visitor is joined a moment later (a zero-delay callback, so that no
        visit starts while the hall is ending others)."""
        if self.n_help_waiting and not self.help_call_due:
            self.help_call_due = True
            self._after(0.0, self._call_helpers)

    def _call_helpers(self) -> None:
        """Free helpers join the visitors waiting for one, longest-waiting first."""
        self.help_call_due = False
        q = self.help_queue
        while q:
            if not q[0].help_waiting:
                q.popleft()
                continue
            p = self.roster.free_helper()
            if p is None:
                return
            v = q.popleft()
            self._stop_waiting_for_helper(v)
            self._join_helper(v, p)

    def _help_ends(self, v: Visitor) -> None:
        """``v``'s visit ended: stop waiting for a helper, or free the one accompanying them."""
        if v.help_waiting:
            self._stop_waiting_for_helper(v)
        p = self.helping.pop(v.vid, None)
        if p is not None:
            self.roster.stop_helping(p)

    # ----------------------------------------------------------- home visits
    def _home_round(self) -> None:
        """A dispatch time of ``home_visits.at``: each listed staff member on shift and not
        away takes the oldest waiting request (under ``rule: covered`` only when someone
        else could cover their window) and leaves for the trip after the current visitor."""
        hv = self.scenario.home_visits
        for name in hv.staff:
            if not self.home_requests:
                return
            p = self.roster.by_name.get(name)
            if p is None or not p.present or p.away is not None or p.shift_over or \
                    any(reason == "home_visit" for reason, _ in p.pending):
                continue
            if hv.rule == "covered" and not self.roster.can_spare(p):
                continue
            self.home_done.append(self.home_requests.pop(0))
            trip = float(hv.trip.sample(self.home_rng, 1)[0])
            self.roster.request_leave(p, "home_visit", trip)
            if hv.takes_printer:
                self.env.process(self._portable_printer(trip))

    def _portable_printer(self, trip: float):
        """One instant printer goes on the trip (the portable card kit): busy for its length."""
        unit = yield self.printers.get()
        self.printers.taken(unit)
        yield self.env.timeout(trip)
        self.printers.put(unit)

    # ------------------------------------------------------------- 8. finish
    def _missing_docs(self, v: Visitor, stage: str) -> None:
        """``v`` is sent away at ``stage`` for missing documents and may come back some days later."""
        self._finish(v, "missing_docs", stage)
        if v.return_u < self.return_prob:
            lo, hi = self.return_delay_days
            delay = lo + min(int(v.delay_u * (hi - lo + 1)), hi - lo)
            self.returns.append((self.day.index + delay, v))

    def _finish(self, v: Visitor, outcome: str, stage: str) -> None:
        """End ``v``'s visit with ``outcome`` at ``stage``; a second outcome is a ConservationError."""
        if v.outcome is not None:
            raise ConservationError(f"visitor {v.vid} ended twice ({v.outcome!r}, then {outcome!r})")
        now = self.env.now
        v.outcome, v.stage = outcome, stage
        if v.end is None:
            v.end = now
        self.in_system -= 1
        if now > self.last_departure:
            self.last_departure = now
        if v.help_asked is not None:
            self._help_ends(v)
        if self.past_close:
            self._check_finish()

    # ------------------------------------------------------- the window's life
    def _window_next(self, w: WindowState) -> None:
        """The window's life: call the next ticket it may serve and serve it
        (:meth:`_serve`, which comes back here when done), or wait to be woken.

        Consecutive visitors make one ``serving`` interval; the window records ``idle``
        only when it finds no ticket.
        """
        v = None
        staff = w.attendant
        if staff is not None and not w.open_now:  # the window closed while staff was serving
            self.roster.release(w)
            staff = None
        if staff is not None:
            v = self._next_ticket(w)
        if v is None:
            if w.attendant is not None:
                self.idle_windows[w.index] = w
                self._window_changed(w)
            w.asleep = True  # until _enqueue brings a visitor, or a roster change
            return
        self._serve(w, w.attendant, v)

    def _wake(self, w: WindowState, v: Visitor | None) -> None:
        """Wake the waiting window ``w`` with visitor ``v`` (or None: a roster change):
        :meth:`_woken` follows at this minute, after what is already due now (as a SimPy
        event succeeded now would be processed)."""
        w.asleep = False
        self._after(0.0, self._woken, w, v)

    def _woken(self, w: WindowState, v: Visitor | None) -> None:
        """``w`` was woken while waiting: serve ``v``, or look again after a roster change."""
        if v is None:
            self.idle_windows.pop(w.index, None)
            self._window_next(w)
        else:
            self._serve(w, w.attendant, v)

    # ------------------------------------------------- doors and window hours
    def _doors(self):
        """Open and close the doors at each opening period; after the last, the day may end."""
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
            self._window_changed(w)

    def _window_hours(self, w: WindowState):
        """Open and close a window at its own hours; a period reaching closing time keeps
        the window open while visitors remain. Closing lets the attendant finish the
        current visitor, then leave the post."""
        env = self.env
        for start, end in w.hours:
            yield env.timeout(max(0.0, start - env.now))
            w.open_now = True
            self.roster.reassign()
            self._window_changed(w)
            if end >= self.day.close_min:
                return
            yield env.timeout(max(0.0, end - env.now))
            w.open_now = False
            w.handover = None
            if w.attendant is not None and not w.busy:
                self.roster.release(w)
            self._window_changed(w)

    # ----------------------------------------------------------- roster hooks
    def window_attended(self, w: WindowState) -> None:
        """The roster put someone at ``w``: let the window look for a ticket."""
        if w.asleep:
            self._wake(w, None)
        self._window_changed(w)

    def window_unattended(self, w: WindowState) -> None:
        """The roster took the attendant away from ``w``."""
        self.idle_windows.pop(w.index, None)
        if w.asleep:
            self._wake(w, None)
        self._window_changed(w)

    def staff_left(self) -> None:
        """Someone left; after closing this may end the day."""
        if self.past_close:
            self._check_finish()

    # ------------------------------------------------ closing, stuck, send home
    def _overtime_limit(self):
        """At closing time plus :data:`MAX_OVERTIME_MIN` minutes, send everyone home."""
        yield self.env.timeout(max(0.0, self.day.close_min + MAX_OVERTIME_MIN - self.env.now))
        self._send_home(everyone=True)

    def _check_finish(self) -> None:
        """After closing and the last arrival: end the day when the hall is empty, or send
        home the waiting visitors nobody can serve."""
        if self.sending_home or self.done.triggered or not (self.past_close and self.arrivals_done):
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
        """End every waiting visit (and, when ``everyone``, every other open visit).

        One loop, not a chain of calls: while it runs, :meth:`_finish` does not ask
        :meth:`_check_finish` again (``sending_home``), so thousands of stranded visitors
        cost no stack depth; the day ends once, below."""
        self.sending_home = True
        try:
            for q in self.queues.values():
                for v in q:
                    if v.waiting:
                        v.waiting = False
                        self.n_waiting -= 1
                        if v.step:  # stranded in a later step's queue: that wait counts
                            v.later_wait += self.env.now - v.step_queued
                        v.end = self.env.now
                        self._finish(v, "unserved_at_close", "queue")
                q.clear()
            if everyone:
                for v in self.visitors:
                    if v.outcome is None and v.arrival <= self.env.now:
                        self._finish(v, "unserved_at_close", v.stage or "inside")
        finally:
            self.sending_home = False
        self.log.queue.append((self.env.now, self.n_waiting))
        if not self.done.triggered and (everyone or self.in_system == 0):
            self.done.succeed()

    # ----------------------------------------------------------- conservation
    def _check_conservation(self) -> None:
        arrived = len(self.visitors)
        ended = sum(1 for v in self.visitors if v.outcome in OUTCOMES)
        if self.helping or self.n_help_waiting:
            raise ConservationError(f"day {self.day.index}: helpers still accompany {sorted(self.helping)} "
                                    f"({self.n_help_waiting} visitors still waiting for one) at the end of the day")
        if ended != arrived or self.in_system != 0:
            missing = [v.vid for v in self.visitors if v.outcome is None][:5]
            raise ConservationError(
                f"day {self.day.index}: {arrived} arrivals but {ended} outcomes "
                f"(in system {self.in_system}; without outcome e.g. {missing})"
            )

    # ---------------------------------------------------------------- records
    def _window_changed(self, w: WindowState) -> None:
        """Record ``w``'s state (empty / closed / serving / idle, who, covering) if it changed."""
        p = w.attendant
        if p is None:
            recorded = ("empty" if self.is_open and w.open_now else "closed", None, False)
        else:
            state = "serving" if w.busy else "idle" if self.is_open else "closed"
            recorded = (state, p.name, _is_cover(p, w))
        if recorded != w.recorded:
            self._record_window(w, recorded)

    def _record_window(self, w: WindowState, recorded) -> None:
        """Close ``w``'s current interval in the window records (if it lasted) and start ``recorded``."""
        if recorded == w.recorded:
            return
        now = self.env.now
        if w.recorded is not None and now > w.recorded_since:
            self.log.windows.append((w.id, *w.recorded, w.recorded_since, now))
        w.recorded, w.recorded_since = recorded, now


def _window_time(v: Visitor, spec) -> float:
    """Minutes ``v`` holds the window: the base time, longer for the elderly, a fraction of
    it when the visitor turns out to lack documents."""
    duration = v.base_time * spec.elderly_multiplier if v.elderly else v.base_time
    if v.lacks_docs:
        duration *= spec.rejection_fraction
    return duration


def _code_devices(scenario, code: str) -> list[str]:
    """Device kinds held while serving ``code``: a service's ``devices``, or a later step's."""
    svc, _, k = code.partition(">")
    spec = scenario.services[svc]
    return spec.devices if not k else spec.steps[int(k) - 1].devices


def _failure_stream(streams, pool: str, spec):
    """Stream ``failures:<pool>`` when the pool's units can fail (None otherwise)."""
    return streams(f"failures:{pool}") if spec.count > 0 and spec.mtbf_min is not None else None


def _earliest_shift(scenario, day: DayPlan) -> float:
    """Minute the day's simulation starts: opening time, or the first shift if earlier."""
    staff = scenario.staff_on(day.weekday) if scenario.policies.staffing == "roster" else []
    return min([day.open_min] + [to_minutes(p.shift.start) for p in staff])
