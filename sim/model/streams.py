"""Named random streams: one numpy ``Generator`` per activity, spawned from one seed.

Stream ``name`` of replication ``r`` under seed ``s`` is seeded by
``SeedSequence(s, spawn_key=(r, crc32(name)))``. It depends on nothing else: not on the
other streams, not on the order they are first used, not on the scenario, and not on the
process (serial, pool or Dask) that runs the replication. Replication *r* of two
scenarios therefore draws the same numbers for the same activity (common random numbers),
and a new stream never shifts the old ones.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["Streams", "STREAM_NAMES"]

STREAM_NAMES = (
    "arrivals",
    "mix",
    "elderly",
    "documents",
    "kiosk_choice",
    "patience",
    "triage",
    "detection",
    "print_time",
    "repeat",
    "absences",
    "service_time:<service>",
    "kiosk_time:<service>",
    "failures:<device pool>",
    "booking",
    "punctuality",
    "no_show",
    "step_time:<service>:<k>",
    "home_visits",
    "home_trip",
    "help",
)
"""The streams the model uses (``<...>`` stands for one stream per service or pool)."""


class Streams:
    """The named streams of one replication."""

    def __init__(self, seed: int, replication: int):
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be >= 0 (got seed={seed}, replication={replication})")
        self.seed = int(seed)
        self.replication = int(replication)
        self._cache: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        """The generator of stream ``name`` (created on first use, then reused)."""
        rng = self._cache.get(name)
        if rng is None:
            key = zlib.crc32(name.encode("utf-8"))
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(self.replication, key))))
            self._cache[name] = rng
        return rng
