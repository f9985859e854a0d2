"""Timed calls on SimPy's queue (sim.model.timers): the same order as SimPy's own events."""

from __future__ import annotations

import pytest
import simpy

from sim.model.timers import DayEnvironment, call_after, call_now, discard_pending, run_until


def _log_process(env, log, name, delay):
    yield env.timeout(delay)
    log.append((env.now, name))


def _schedule(env, log, after, now, done):
    """The same day either way: ``after(delay, fn)`` and ``now(fn)`` schedule the calls."""
    after(5.0, lambda: log.append((env.now, "call 5 first")))
    env.process(_log_process(env, log, "process 5", 5.0))
    after(5.0, lambda: log.append((env.now, "call 5 second")))
    after(2.0, lambda: log.append((env.now, "call 2")))
    now(lambda: log.append((env.now, "call now")))
    after(0.0, lambda: log.append((env.now, "call after 0")))
    after(9.0, done.succeed)


def test_calls_and_simpy_events_run_in_simpys_order_ties_included():
    """Timed calls interleave with SimPy timeouts and processes exactly as SimPy's own
    events would (a Timeout for call_after, a process's first step for call_now): by time,
    then urgent before ordinary, then in the order scheduled — ties at one minute included."""
    env = DayEnvironment(initial_time=0.0)
    log, done = [], env.event()
    _schedule(env, log, lambda d, fn: call_after(env, d, fn), lambda fn: call_now(env, fn), done)
    run_until(env, done)

    ref_env = simpy.Environment(initial_time=0.0)
    ref, ref_done = [], ref_env.event()

    def first_step(fn):
        fn()
        yield from ()

    _schedule(ref_env, ref, lambda d, fn: ref_env.timeout(d).callbacks.append(lambda _e: fn()),
              lambda fn: ref_env.process(first_step(fn)), ref_done)
    ref_env.run(until=ref_done)
    assert log == ref and env.now == ref_env.now == 9.0
    assert [name for _t, name in log] == ["call now", "call after 0", "call 2", "call 5 first", "call 5 second",
                                          "process 5"]


def test_run_until_stops_at_the_event_and_leaves_later_ones():
    """run_until returns once its event is processed; later calls stay queued until
    discard_pending drops them."""
    env = DayEnvironment(initial_time=0.0)
    log = []
    done = env.event()
    call_after(env, 1.0, done.succeed)
    call_after(env, 3.0, log.append, "late")
    run_until(env, done)
    assert env.now == 1.0 and log == [] and len(env._queue) == 1
    discard_pending(env)
    assert not env._queue


def test_a_negative_delay_and_a_day_without_its_end_are_errors():
    """A call in the past is refused naming the delay; a queue that runs dry before the
    awaited event says so."""
    env = DayEnvironment(initial_time=0.0)
    with pytest.raises(ValueError, match="Negative delay -1"):
        call_after(env, -1.0, print)
    with pytest.raises(RuntimeError, match="No scheduled events left"):
        run_until(env, env.event())


def test_a_failed_simpy_event_raises_in_run_until():
    """An event that fails and that nobody defused raises its error from run_until, as
    SimPy's own run does."""
    env = DayEnvironment(initial_time=0.0)
    ev = env.event()
    ev.fail(KeyError("boom"))
    with pytest.raises(KeyError, match="boom"):
        run_until(env, env.event())
