"""Cheap calls at a later minute on a SimPy environment, and a tight event loop.

The day model schedules most of its work as plain function calls (a visitor arrives, a
window's service ends) rather than SimPy processes: a process costs a generator, an
``Initialize`` event and a resume per step. :func:`call_after` and :func:`call_now` put
the pair ``(fn, args)`` on the environment's own queue in the place of an event, with the
same (time, priority, event id) key SimPy's ``Timeout`` and ``Process`` start would get,
so the order in which everything happens, ties included, is exactly SimPy's.
:func:`run_until` is ``env.run(until=event)`` without the per-step method call, and it
calls those pairs (SimPy's own ``env.step`` would not know them: the day runs only with
:func:`run_until`).

This module is the only place that touches the environment's internals (its ``_now``,
``_queue`` and ``_eid``, stable since SimPy 3); these functions take a
:class:`DayEnvironment`.
"""

from __future__ import annotations

from heapq import heappop, heappush

import simpy

__all__ = ["DayEnvironment", "call_after", "call_now", "discard_pending", "run_until"]

_URGENT, _NORMAL = 0, 1  # simpy.events.URGENT, NORMAL


class DayEnvironment(simpy.Environment):
    """SimPy's environment whose clock ``now`` is a plain attribute (a slot) rather than a
    property: the day model reads the time several times per visit, and the property cost
    about a tenth of a busy day. SimPy's own code keeps reading and writing ``_now``, which
    here stands for the same slot."""

    __slots__ = ("now",)

    @property
    def _now(self) -> float:
        return self.now

    @_now.setter
    def _now(self, t: float) -> None:
        self.now = t


def call_after(env: DayEnvironment, delay: float, fn, *args) -> None:
    """Call ``fn(*args)`` ``delay`` minutes from now, ordered as ``env.timeout(delay)``
    made now would be."""
    if delay < 0:
        raise ValueError(f"Negative delay {delay}")
    heappush(env._queue, (env.now + delay, _NORMAL, next(env._eid), (fn, args)))


def call_now(env: DayEnvironment, fn, *args) -> None:
    """Call ``fn(*args)`` now, ordered as the first step of ``env.process(...)`` started
    now would be (an urgent event: before the ordinary events of this minute)."""
    heappush(env._queue, (env.now, _URGENT, next(env._eid), (fn, args)))


def run_until(env: DayEnvironment, until: simpy.Event) -> None:
    """Process events until ``until`` has been processed: ``env.run(until=until)``,
    event for event."""
    queue = env._queue
    while until.callbacks is not None:
        try:
            env.now, _, _, event = heappop(queue)
        except IndexError:
            raise RuntimeError(f'No scheduled events left but "until" event was not triggered: {until}') from None
        if type(event) is tuple:  # a call (fn, args): see call_after
            event[0](*event[1])
            continue
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc


def discard_pending(env: DayEnvironment) -> None:
    """Drop the events still scheduled on ``env`` (those after the moment a day ended,
    which never run): they hold processes and calls that refer back to the day model, and
    once dropped the day's objects are freed as soon as the model is, without waiting for
    Python's cycle collector."""
    env._queue.clear()
