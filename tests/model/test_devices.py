"""Shared device pools (sim.model.devices): FIFO hand-out, failures and repairs, on tiny SimPy runs."""

import numpy as np
import simpy
from pydantic import TypeAdapter

from sim.model.devices import DevicePool
from sim.scenario.distributions import Distribution


def fixed(value):
    return TypeAdapter(Distribution).validate_python({"dist": "fixed", "value": value})


def use(env, pool, who, arrive, minutes, got):
    """A job that arrives at ``arrive``, takes any unit, holds it ``minutes`` and gives it back."""
    yield env.timeout(arrive)
    unit = yield pool.get()
    pool.taken(unit)
    got.append((who, unit, env.now))
    yield env.timeout(minutes)
    pool.put(unit)


def test_units_are_named_after_the_pool():
    """A pool of three printers holds units printer-1, printer-2 and printer-3, all free at the start."""
    pool = DevicePool(simpy.Environment(), "printer", 3, [])
    assert pool.units == ["printer-1", "printer-2", "printer-3"]
    assert pool.store.items == ["printer-1", "printer-2", "printer-3"]


def test_waiters_get_a_unit_first_come_first_served():
    """With one unit, jobs arriving at 0, 1 and 2 get it in arrival order, each when the previous one gives it back."""
    env, log, got = simpy.Environment(), [], []
    pool = DevicePool(env, "kiosk", 1, log)
    for who, arrive in (("a", 0), ("b", 1), ("c", 2)):
        env.process(use(env, pool, who, arrive, 4, got))
    env.run()
    assert got == [("a", "kiosk-1", 0), ("b", "kiosk-1", 4), ("c", "kiosk-1", 8)]
    assert log == [("kiosk-1", "busy", 0, 4), ("kiosk-1", "busy", 4, 8), ("kiosk-1", "busy", 8, 12)]


def test_two_units_serve_two_jobs_at_once():
    """With two units, two simultaneous jobs start together on different units; a third waits for the first one back."""
    env, log, got = simpy.Environment(), [], []
    pool = DevicePool(env, "reader", 2, log)
    for who, minutes in (("a", 3), ("b", 5), ("c", 1)):
        env.process(use(env, pool, who, 0, minutes, got))
    env.run()
    assert got == [("a", "reader-1", 0), ("b", "reader-2", 0), ("c", "reader-1", 3)]


def test_without_mtbf_nothing_ever_breaks():
    """A pool without mtbf_min logs only busy intervals, however long it runs."""
    env, log, got = simpy.Environment(), [], []
    pool = DevicePool(env, "printer", 1, log)
    for i in range(5):
        env.process(use(env, pool, i, i * 100, 10, got))
    env.run(until=10_000)
    assert {state for _, state, _, _ in log} == {"busy"}


def test_an_idle_unit_that_fails_is_repaired_and_comes_back():
    """A free unit that fails leaves the pool for the repair time (mttr), is logged broken, then is free again."""
    env, log = simpy.Environment(), []
    DevicePool(env, "printer", 1, log, mtbf_min=50.0, mttr=fixed(20), rng=np.random.default_rng(1))
    env.run(until=1_000)
    broken = [(s, e) for unit, state, s, e in log if state == "broken"]
    assert broken, "an exponential up-time with mean 50 fails within 1 000 minutes"
    assert all(e - s == 20 for s, e in broken)
    assert all(b_end <= a_start for (_, b_end), (a_start, _) in zip(broken, broken[1:]))  # one failure at a time


def test_a_unit_that_fails_in_use_finishes_the_job_then_goes_to_repair():
    """A failure during a job does not cut it short: the unit is repaired after it is given back, and a waiter gets it only after the repair."""
    env, log, got = simpy.Environment(), [], []
    # the first up-time (exponential, mean 1) ends long before the first job's 100 minutes are up
    pool = DevicePool(env, "printer", 1, log, mtbf_min=1.0, mttr=fixed(30), rng=np.random.default_rng(0))
    env.process(use(env, pool, "a", 0, 100, got))
    env.process(use(env, pool, "b", 0, 10, got))
    env.run(until=200)
    assert got[0] == ("a", "printer-1", 0)
    assert log[0] == ("printer-1", "busy", 0, 100)
    assert log[1] == ("printer-1", "broken", 100, 130)
    assert got[1] == ("b", "printer-1", 130)


def test_failures_are_the_same_for_the_same_generator_seed():
    """Two pools with equally seeded generators fail and recover at the same times."""
    def broken_log(seed):
        env, log = simpy.Environment(), []
        DevicePool(env, "printer", 2, log, mtbf_min=40.0, mttr=fixed(5), rng=np.random.default_rng(seed))
        env.run(until=500)
        return log
    assert broken_log(3) == broken_log(3)
    assert broken_log(3) != broken_log(4)
