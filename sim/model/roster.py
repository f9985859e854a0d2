"""Staff on A/B posts (AB岗): shifts, breaks, random absences and who covers whom.

Every post has an A. When A leaves (break, absence, end of shift) after finishing the
current visitor, the roster looks for cover in this order: a free person whose B post is
that window; a free floater; any other free person on shift; then, when the guide desk
may give way, guide-desk staff (B first). A person is *free* when on shift, not away and
not attending a post, so B never leaves a window of their own empty. When nobody is free
the window is empty (空窗), which during opening hours is a breach. When A comes back the
cover hands over at the end of their current visitor.

The roster knows nothing of tickets: it attaches people to posts and tells the hall
(``model``) through ``window_attended`` / ``window_unattended`` / ``staff_changed``.
"""

from __future__ import annotations

import numpy as np

from sim.scenario.clock import to_minutes

__all__ = ["Person", "Roster"]


class Person:
    """One staff member during one day. ``post`` is where they are now (a window id,
    ``"guide"`` or None); ``away`` is ``"break"``/``"absence"`` or None."""

    __slots__ = ("name", "a_post", "b_post", "start", "end", "present", "away", "post", "busy",
                 "pending", "shift_over", "auto", "state", "since")

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
        self.state = None
        self.since = 0.0

    @property
    def free(self) -> bool:
        return self.present and self.away is None and self.post is None and not self.shift_over


class Roster:
    """Who attends which post, for one day of a :class:`sim.hall.DayModel`."""

    def __init__(self, model, scenario, streams, log: list):
        self.model = model
        self.env = model.env
        self.log = log
        self.guide: list[Person] = []
        self.may_cover_from_guide = scenario.policies.guide_desk.staff_may_cover
        windows = model.windows
        if scenario.policies.staffing == "always":
            self.people = [Person(f"auto-{w.id}", w.id, None, -np.inf, np.inf, auto=True) for w in windows]
            if scenario.policies.guide_desk.enabled:
                self.people.append(Person("auto-guide", "guide", None, -np.inf, np.inf, auto=True))
        else:
            self.people = [Person(p.name, p.a_post, p.b_post, to_minutes(p.shift.start), to_minutes(p.shift.end))
                           for p in scenario.staff]
        self.specs = {p.name: p for p in scenario.staff}
        by_id = {w.id: w for w in windows}
        for w in windows:
            w.a_staff = [p for p in self.people if p.a_post == w.id]
        self.by_window = by_id
        self.guide_a = [p for p in self.people if p.a_post == "guide"]
        self.floaters = [p for p in self.people if p.a_post == "floater"]
        self.b_of = {w.id: [p for p in self.people if p.b_post == w.id] for w in windows}
        self._absences = self._draw_absences(streams) if scenario.policies.staffing == "roster" else {}

    # ------------------------------------------------------------------ set-up
    def _draw_absences(self, streams):
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
                self._changed(p)
                continue
            self.env.process(self._shift(p))
            for b in self.specs[p.name].breaks:
                self._at(to_minutes(b.start), self.request_leave, p, "break", b.duration_min)
            for t, d in self._absences[p.name]:
                self._at(t, self.request_leave, p, "absence", d)
        self.reassign()

    def _at(self, t, fn, *args):
        delay = max(0.0, t - self.env.now)
        self.env.timeout(delay).callbacks.append(lambda _ev: fn(*args))

    def _shift(self, p):
        yield self.env.timeout(max(0.0, p.start - self.env.now))
        p.present = True
        self._changed(p)
        self.reassign()
        yield self.env.timeout(max(0.0, p.end - self.env.now))
        self.request_leave(p, "shift_end", None)

    # ---------------------------------------------------------------- leaving
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
        self._leave(p, reason, duration)

    def _leave(self, p, reason, duration):
        self._detach(p)
        if reason == "shift_end":
            p.present = False
            p.pending.clear()
        else:
            p.away = reason
            self.env.timeout(duration).callbacks.append(lambda _ev: self._back(p))
        self._changed(p)
        self.reassign()
        self.model.staff_left()

    def _back(self, p):
        p.away = None
        self._changed(p)
        if p.pending:
            self.request_leave(p, *p.pending.pop(0))
        else:
            self.reassign()

    def after_service(self, w, p: Person) -> None:
        """``p`` finished a visitor at window ``w``: hand over, or leave if due."""
        if w.handover is not None:
            q, w.handover = w.handover, None
            self._detach(p)
            if q.free:
                self._attach(q, w)
            self._changed(p)
        if p.pending:
            self.request_leave(p, *p.pending.pop(0))
        elif w.attendant is not p:
            self.reassign()

    # ------------------------------------------------------------- assignment
    def _attach(self, p, w):
        if w.handover is p:
            w.handover = None
        p.post = w.id
        w.attendant = p
        self.model.window_attended(w)
        self._changed(p)

    def _detach(self, p):
        if p.post is None:
            return
        if p.post == "guide":
            self.guide.remove(p)
        else:
            w = self.by_window[p.post]
            w.attendant = None
            self.model.window_unattended(w)
        p.post = None
        self._changed(p)

    def reassign(self) -> None:
        """Send A staff to their posts and cover the windows that would be empty."""
        for w in self.model.windows:
            if not w.open_now:
                continue  # outside the window's own hours (Window.hours)
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
                self._changed(p)
        if not (self.model.is_open or self.model.n_waiting > 0):
            return
        for w in self.model.windows:
            if w.open_now and w.attendant is None and w.handover is None:
                c = self._cover_for(w)
                if c is not None:
                    self._detach(c)
                    self._attach(c, w)

    def release(self, w) -> None:
        """Window ``w`` has closed (its own hours): its attendant leaves the post and may
        cover another window."""
        if w.attendant is not None:
            self._detach(w.attendant)
        self.reassign()

    def _cover_for(self, w):
        for group in (self.b_of[w.id], self.floaters, self.people):
            for p in group:
                if p.free:
                    return p
        if self.may_cover_from_guide and self.guide:
            for p in sorted(self.guide, key=lambda q: q.b_post != w.id):
                if not p.busy:
                    return p
        return None

    # --------------------------------------------------------------- records
    def _changed(self, p: Person) -> None:
        if p.auto:
            return  # anonymous always-on staff: the windows table tells their story
        if not p.present:
            state = None
        elif p.away is not None:
            state = p.away
        elif p.busy:
            state = "serving"
        elif p.post == "guide":
            state = "guide"
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
        self._changed(p)

    def close(self) -> None:
        """Close every open interval at the end of the day."""
        for p in self.people:
            p.present = False
            self._changed(p)

    @property
    def guide_open(self) -> bool:
        return bool(self.guide)

    @property
    def anyone_present(self) -> bool:
        return any(p.present for p in self.people)
