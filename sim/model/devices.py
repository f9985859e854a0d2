"""Shared devices: instant card printers, self-service kiosks and spare window devices.

A pool is like the pumps of a petrol station: a visitor (or a window service) takes any
free unit, waits first-come-first-served while all are busy or broken, and gives it back.
A unit fails after an exponential up-time with mean ``mtbf_min``; a unit that fails while
in use finishes the current job first, then is repaired for a draw of ``mttr`` minutes.
"""

from __future__ import annotations

import numpy as np
import simpy

__all__ = ["DevicePool"]


class DevicePool:
    """``count`` interchangeable units named ``{name}-1`` … with optional failures.

    ``log`` receives (unit, state, start_min, end_min) for every busy or broken interval.
    """

    def __init__(self, env: simpy.Environment, name: str, count: int, log: list,
                 mtbf_min: float | None = None, mttr=None, rng: np.random.Generator | None = None):
        self.env = env
        self.name = name
        self.units = [f"{name}-{i + 1}" for i in range(count)]
        self.store = simpy.Store(env)
        self.store.items.extend(self.units)
        self._log = log
        self._mttr, self._rng = mttr, rng
        self._failing: dict[str, simpy.Event] = {}
        self._since: dict[str, float] = {}
        if mtbf_min is not None and count > 0:
            for unit in self.units:
                env.process(self._failures(unit, mtbf_min))

    def get(self):
        """An event whose value is a free unit (FIFO among waiters)."""
        return self.store.get()

    def taken(self, unit: str) -> None:
        """Note that ``unit`` went into use now."""
        self._since[unit] = self.env.now

    def put(self, unit: str) -> None:
        """Give ``unit`` back (to repair, if it failed while in use)."""
        self._log.append((unit, "busy", self._since.pop(unit), self.env.now))
        if unit in self._failing:
            self.env.process(self._repair(unit))
        else:
            self.store.put(unit)

    def _failures(self, unit, mtbf_min):
        while True:
            yield self.env.timeout(self._rng.exponential(mtbf_min))
            repaired = self._failing[unit] = self.env.event()
            if unit in self.store.items:
                self.store.items.remove(unit)
                self.env.process(self._repair(unit))
            yield repaired

    def _repair(self, unit):
        start = self.env.now
        yield self.env.timeout(float(self._mttr.sample(self._rng, 1)[0]))
        self._log.append((unit, "broken", start, self.env.now))
        self._failing.pop(unit).succeed()
        self.store.put(unit)
