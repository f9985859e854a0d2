"""Staff on A/B posts (AB岗): shifts, breaks, random absences and who covers whom.

Every post has an A. When A leaves (break, absence, end of shift) after finishing the
current visitor, the roster looks for cover in this order: a free person whose B post is
that window; a free floater; any other free person on shift; then, when the guide desk
may give way, guide-desk staff (B first). A person is *free* when on shift, not away and
not attending a post, so B never leaves a window of their own empty. When nobody is free
the window is empty (空窗), which during opening hours is a breach. When A comes back the
cover hands over at the end of their current visitor.

The roster knows nothing of tickets: it attaches people to posts (the hall's
:class:`~sim.model.hall.WindowState` objects, or the guide desk) and tells the hall
(``model``, a :class:`~sim.model.hall.DayModel`) through ``window_attended`` /
``window_unattended`` / ``staff_left``; the hall tells the roster when someone starts or
ends a service (``staff_changed``, ``after_service``). All times are in minutes.
"""

from __future__ import annotations

import numpy as np

from sim.model.timers import call_after
from sim.scenario.clock import to_minutes
from sim.scenario.visits import HELPER_POST

__all__ = ["BREAK_RETRY_MIN", "Person", "Roster"]

BREAK_RETRY_MIN = 1.0
"""Minutes between the looks of someone whose break waits for cover
(``policies.breaks_wait_for_cover``)."""


class Person:
    """One staff member during one day. ``post`` is where they are now (a window id,
    ``"guide"``, ``"helper"`` or None); ``away`` is ``"break"``/``"absence"``/``"home_visit"`` or None; ``start`` and
    ``end`` are the shift's minutes. ``pending`` holds the (reason, duration) leaves
    waiting for the current visitor or absence to end; ``shift_over`` marks a shift that
    ended while visitors were still inside (overtime: present, but no longer free).
    ``stretch`` is the minute their present stretch at windows began (None when not at a
    window; see ``policies.rests``), ``off_window`` the minute they last left a window;
    ``resting`` marks a rest (recorded as a break) from which they may be called back, and
    ``leave`` counts their leaves (a return due for an earlier one is ignored).
    ``auto`` is an anonymous always-on attendant (``staffing: always``)."""

    __slots__ = ("name", "a_post", "b_post", "start", "end", "present", "away", "post", "busy",
                 "pending", "shift_over", "auto", "state", "since", "stretch", "off_window",
                 "resting", "leave")

    def __init__(self, name, a_post, b_post, start, end, auto=False):
        self.name, self.a_post, self.b_post = name, a_post, b_post
        self.start, self.end = start, end
        self.present = auto
        self.away = None
        self.post = None
        self.busy = False
        self.pending: list = []
        self.shift_over = False
        self.auto = auto
        self.state = None  # the (state, post) last written to the staff records
        self.since = 0.0  # minutes: since when ``state`` holds
        self.stretch: float | None = None
        self.off_window: float | None = None
        self.resting = False
        self.leave = 0

    @property
    def free(self) -> bool:
        """On shift, not away and not attending a post: may be sent anywhere."""
        return self.present and self.away is None and self.post is None and not self.shift_over


class Roster:
    """Who attends which post, for one day of a :class:`sim.model.hall.DayModel`.

    ``people`` is everyone; ``guide`` who attends the guide desk now; ``guide_a`` /
    ``floaters`` the people whose A post is the guide desk / who float; ``b_of`` maps a
    window id to the people whose B post it is; ``by_window`` maps a window id to its
    :class:`~sim.model.hall.WindowState`; ``specs`` maps a name to its scenario entry.
    """

    def __init__(self, model, scenario, streams, log: list):
        self.model = model
        self.env = model.env
        self.log = log
        self.guide: list[Person] = []
        self.may_cover_from_guide = scenario.policies.guide_desk.staff_may_cover
        self.helpers: list[Person] = []  # at the helper post now (helpers, 陪办), helping or free
        self.may_cover_from_helpers = scenario.helpers is not None and scenario.helpers.staff_may_cover
        self.breaks_wait = scenario.policies.breaks_wait_for_cover
        self.rests = scenario.policies.rests  # None: no rests
        windows = model.windows
        if scenario.policies.staffing == "always":
            self.people = [Person(f"auto-{w.id}", w.id, None, -np.inf, np.inf, auto=True) for w in windows]
            if scenario.policies.guide_desk.enabled:
                self.people.append(Person("auto-guide", "guide", None, -np.inf, np.inf, auto=True))
            if scenario.helpers is not None:  # one per helper-post entry of the staff list, at least one
                n = max(1, sum(p.a_post == HELPER_POST for p in scenario.staff))
                self.people += [Person(f"auto-helper-{k + 1}", HELPER_POST, None, -np.inf, np.inf, auto=True)
                                for k in range(n)]
        else:
            staff = scenario.staff_on(model.day.weekday)  # the day's people (staff.*.by_weekday)
            self.people = [Person(p.name, p.a_post, p.b_post, to_minutes(p.shift.start), to_minutes(p.shift.end))
                           for p in staff]
        self.specs = {p.name: p for p in scenario.staff_on(model.day.weekday)}
        for w in windows:
            w.a_staff = [p for p in self.people if p.a_post == w.id]
        self.by_window = {w.id: w for w in windows}
        self.by_name = {p.name: p for p in self.people}
        self.guide_a = [p for p in self.people if p.a_post == "guide"]
        self.floaters = [p for p in self.people if p.a_post == "floater"]
        self.helper_a = [p for p in self.people if p.a_post == HELPER_POST]
        self.b_of = {w.id: [p for p in self.people if p.b_post == w.id] for w in windows}
        self._absences = self._draw_absences(streams) if scenario.policies.staffing == "roster" else {}

    # ----------------------------------------------------------- set-up and the day
    def _draw_absences(self, streams) -> dict[str, list[tuple[float, float]]]:
        """Each person's random absences during their shift: (start minute, duration in minutes)."""
        rng = streams("absences")
        out = {}
        for p in self.people:
            spec = self.specs[p.name].absences
            hours = (p.end - p.start) / 60.0
            n = rng.poisson(spec.rate_per_hour * hours) if spec.rate_per_hour > 0 else 0
            times = np.sort(rng.uniform(p.start, p.end, n)) if n else np.empty(0)
            durations = spec.duration.sample(rng, n) if n else np.empty(0)
            out[p.name] = list(zip(times.tolist(), durations.tolist()))
        return out

    def start(self) -> None:
        """Start every person's day (shift, breaks, absences)."""
        for p in self.people:
            if p.auto:
                self._record(p)
                continue
            self.env.process(self._shift(p))
            for b in self.specs[p.name].breaks:
                self._at(to_minutes(b.start), self.request_leave, p, "break", b.duration_min)
            for t, d in self._absences[p.name]:
                self._at(t, self.request_leave, p, "absence", d)
        self.reassign()

    def _shift(self, p: Person):
        """Come in at the shift's start; ask to leave at its end."""
        yield self.env.timeout(max(0.0, p.start - self.env.now))
        p.present = True
        self._record(p)
        self.reassign()
        yield self.env.timeout(max(0.0, p.end - self.env.now))
        self.request_leave(p, "shift_end", None)

    def _at(self, t: float, fn, *args) -> None:
        """Call ``fn(*args)`` at minute ``t`` (at once if ``t`` has passed)."""
        self._after(max(0.0, t - self.env.now), fn, *args)

    def _after(self, delay: float, fn, *args) -> None:
        """Call ``fn(*args)`` after ``delay`` minutes: a bare timed event, no process."""
        call_after(self.env, delay, fn, *args)

    # ------------------------------------------------- leaving and coming back
    def request_leave(self, p: Person, reason: str, duration: float | None) -> None:
        """``p`` wants to leave for ``reason``; they go once the current visitor is done."""
        if not p.present:
            return
        if reason == "shift_end" and self.env.now >= self.model.day.close_min and self.model.in_system > 0:
            p.shift_over = True  # overtime: nobody leaves while visitors are inside
            return
        if p.busy or p.away is not None:
            p.pending.append((reason, duration))
            return
        if reason in ("break", "rest") and self._break_waits(p, reason):
            self._after(0.0, self._look_for_cover, p, reason, duration)  # after what else happens this minute
            return
        self._leave(p, reason, duration)

    def _look_for_cover(self, p: Person, reason: str, duration: float) -> None:
        """``p``'s break or rest waits for cover: go now if the window may be left (the
        doors closed this minute, someone came free), else look again in a minute."""
        if self._break_waits(p, reason):
            self._after(BREAK_RETRY_MIN, self.request_leave, p, reason, duration)
        else:
            self.request_leave(p, reason, duration)

    def _break_waits(self, p: Person, reason: str = "break") -> bool:
        """A rest, or a break under ``policies.breaks_wait_for_cover``: ``p`` attends a
        window that must stay attended now (open, while the doors are open or tickets
        wait) and nobody else could cover it."""
        w = self.by_window.get(p.post) if self.breaks_wait or reason == "rest" else None
        if w is None or not w.open_now or not (self.model.is_open or self.model.n_waiting > 0):
            return False
        return not self.can_spare(p)

    def _leave(self, p: Person, reason: str, duration: float | None) -> None:
        """``p`` leaves the post now: home at the end of the shift, else away for ``duration`` minutes."""
        self._detach(p)
        if reason == "shift_end":
            p.present = False
            p.pending.clear()
        else:
            p.away = "break" if reason == "rest" else reason  # a rest is recorded as a (short) break
            p.resting = reason == "rest"
            p.leave += 1
            self._after(duration, self._come_back, p, p.leave)
        p.stretch = None  # away: the stretch at the windows is over
        self._record(p)
        self.reassign()
        self.model.staff_left()

    def _rest_due(self, p: Person, stretch: float) -> None:
        """``policies.rests``: ``p``'s stretch at the windows that began at ``stretch`` has
        lasted ``after_min`` minutes: rest (once the visitor is done and cover is there)."""
        if p.stretch == stretch and p.post in self.by_window and not any(reason == "rest" for reason, _ in p.pending):
            self.request_leave(p, "rest", self.rests.length_min)

    def _come_back(self, p: Person, leave: int) -> None:
        """``p`` is back from leave number ``leave`` (a break, absence or rest): take the
        next pending leave, or a post (nothing when called back from that rest already)."""
        if leave != p.leave or p.away is None:
            return
        p.away = None
        p.resting = False
        self._record(p)
        if p.pending:
            self.request_leave(p, *p.pending.pop(0))
        else:
            self.reassign()

    def after_service(self, w, p: Person) -> None:
        """``p`` finished a visitor at window ``w``: hand over, or leave if due."""
        if w.handover is not None:
            successor, w.handover = w.handover, None
            self._detach(p)
            if successor.free:
                self._attach(successor, w)
            self._record(p)
        if p.pending:
            self.request_leave(p, *p.pending.pop(0))
        elif w.attendant is not p:
            self.reassign()

    # ------------------------------------------------------------- assignment
    def reassign(self) -> None:
        """Send A staff to their posts and cover the windows that would be empty."""
        for w in self.model.windows:
            if not w.open_now:
                continue  # outside the window's own hours (WindowState.hours)
            for p in w.a_staff:
                ready = p.present and p.away is None and not p.shift_over and not p.busy
                if w.attendant is p:
                    break
                if not ready or p.post == "guide":
                    continue
                if w.attendant is None:
                    self._detach(p)
                    self._attach(p, w)
                    break
                cover = w.attendant
                if cover in w.a_staff:
                    continue  # another A of this window is there; p stays where they are
                if not cover.busy:
                    self._detach(cover)
                    self._detach(p)
                    self._attach(p, w)
                elif p.post is None:
                    w.handover = p
                break
        for p in self.guide_a:
            if p.free:
                p.post = "guide"
                self.guide.append(p)
                self._record(p)
        self._staff_helper_post()
        if not (self.model.is_open or self.model.n_waiting > 0):
            return
        for w in self.model.windows:
            if w.open_now and w.attendant is None and w.handover is None:
                cover = self._cover_for(w) or self._call_back_from_rest()
                if cover is not None:
                    self._detach(cover)
                    self._attach(cover, w)

    def _call_back_from_rest(self) -> Person | None:
        """A window would stand empty and nobody else can cover it: call back whoever has
        rested longest (``policies.rests``: a rest gives way to an empty window); None if
        nobody rests."""
        resting = [p for p in self.people if p.resting and p.away is not None]
        if not resting:
            return None
        p = min(resting, key=lambda q: q.since)  # the rest began when their state last changed
        p.away = None
        p.resting = False
        p.leave += 1  # the return due for this rest no longer applies
        self._record(p)
        return p

    def _cover_for(self, w) -> Person | None:
        """Who covers the empty window ``w``: its B staff, a floater, anyone free, then
        (when allowed) guide-desk staff not busy, B of ``w`` first; None if nobody."""
        for group in (self.b_of[w.id], self.floaters, self.people):
            for p in group:
                if p.free:
                    return p
        if self.may_cover_from_guide and self.guide:
            for p in sorted(self.guide, key=lambda q: q.b_post != w.id):
                if not p.busy:
                    return p
        if self.may_cover_from_helpers and self.helpers:
            for p in sorted(self.helpers, key=lambda q: q.b_post != w.id):
                if not p.busy:
                    return p
        return None

    def can_spare(self, p: Person) -> bool:
        """Someone else could cover ``p``'s post if ``p`` left now (always true off a window)."""
        w = self.by_window.get(p.post)  # None off a window: the guide desk, the helper post, no post
        return w is None or self._cover_for(w) is not None

    def release(self, w) -> None:
        """Window ``w`` has closed (its own hours): its attendant leaves the post and may
        cover another window."""
        if w.attendant is not None:
            self._detach(w.attendant)
        self.reassign()

    def _attach(self, p: Person, w) -> None:
        """Put ``p`` (not attending any post) at window ``w``."""
        if w.handover is p:
            w.handover = None
        p.post = w.id
        w.attendant = p
        if p.stretch is None or (p.off_window is not None and p.off_window < self.env.now):
            p.stretch = self.env.now  # a new stretch at the windows (not a move between two at once)
            if self.rests is not None and not p.auto:
                self._after(self.rests.after_min, self._rest_due, p, p.stretch)
        self.model.window_attended(w)
        self._record(p)

    def _detach(self, p: Person) -> None:
        """Take ``p`` off their post, if any."""
        if p.post is None:
            return
        if p.post == "guide":
            self.guide.remove(p)
        elif p.post == HELPER_POST:
            self.helpers.remove(p)
        else:
            w = self.by_window[p.post]
            w.attendant = None
            p.off_window = self.env.now
            self.model.window_unattended(w)
        p.post = None
        self._record(p)

    # --------------------------------------------------------------- records
    def _record(self, p: Person) -> None:
        """When ``p``'s (state, post) changed: close their interval in the staff records (if it lasted), start the next."""
        if p.auto:
            return  # anonymous always-on staff: the windows table tells their story
        if not p.present:
            state = None
        elif p.away is not None:
            state = p.away
        elif p.busy:
            state = "helping" if p.post == HELPER_POST else "serving"
        elif p.post in ("guide", HELPER_POST):
            state = p.post
        elif p.post is None:
            state = "available"
        else:
            state = "idle"
        key = (state, p.post)
        if key == p.state:
            return
        now = self.env.now
        if p.state is not None and p.state[0] is not None and now > p.since:
            self.log.append((p.name, p.state[0], p.state[1], p.a_post, p.since, now))
        p.state, p.since = key, now

    def staff_changed(self, p: Person) -> None:
        """Record a change of ``p``'s state (serving / idle) made by the hall."""
        self._record(p)

    def close(self) -> None:
        """Close every open interval at the end of the day."""
        for p in self.people:
            p.present = False
            self._record(p)

    # --------------------------------------------------------------- helpers
    def _staff_helper_post(self) -> None:
        """Send free helper-post staff (``a_post: helper``) to the post; tell the hall when
        someone came, so a waiting elderly visitor may be joined."""
        came = False
        for p in self.helper_a:
            if p.free:
                p.post = HELPER_POST
                self.helpers.append(p)
                self._record(p)
                came = True
        if came:
            self.model.helper_ready()

    def free_helper(self) -> Person | None:
        """A helper at the post who accompanies nobody and is not due to leave, or None."""
        for p in self.helpers:
            if not p.busy and not p.shift_over and not p.pending:
                return p
        return None

    def start_helping(self, p: Person) -> None:
        """``p`` (at the helper post) now accompanies a visitor, one to one."""
        p.busy = True
        self._record(p)

    def stop_helping(self, p: Person) -> None:
        """``p``'s visitor has left: back to the post, or away if a leave is due."""
        p.busy = False
        self._record(p)
        if p.pending:
            self.request_leave(p, *p.pending.pop(0))
        else:
            self.model.helper_ready()

    @property
    def guide_open(self) -> bool:
        """Someone attends the guide desk."""
        return bool(self.guide)

    @property
    def anyone_present(self) -> bool:
        """Someone is on shift (or in overtime)."""
        return any(p.present for p in self.people)
