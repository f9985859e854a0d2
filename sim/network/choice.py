"""Which point each zone's visitors choose, and the expected waits that settle it.

For each zone, service and group (others, elderly), the visitors left after the channels
split over the points that have a window serving the service:

- ``logit``: share of point ``p`` ∝ exp(−(β_travel × travel[z, p] + β_wait × wait[p])),
  with the group's mean travel minutes over its modes and β_travel the elderly's own
  (larger: they weigh travel more);
- ``nearest``: all go to the nearest such point (ties split evenly).

Expected waits depend on the choices and the choices on the waits, so :func:`assign`
iterates: start with no wait, assign, estimate each point's mean wait at that load
(``estimate(flow)``, by group), move the expected waits ``damping`` of the way towards the
estimate, and repeat ``choice.rounds`` times; the final assignment uses the last expected
waits. ``history`` keeps every round, ``change_min`` the largest move of the last round
(how far from a fixed point it stopped). With ``nearest`` or ``wait_per_min = 0`` waits do
not matter and no round is run.

Visitors of a service no point serves (after a what-if closes it) are counted
``unserved``; every visitor is counted exactly once (:meth:`Assignment.check`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from sim.network.demand import GROUPS, ZoneDemand
from sim.network.schema import Choice
from sim.network.travel import TravelTimes

__all__ = ["Assignment", "ASSIGNMENT_COLUMNS", "HISTORY_COLUMNS", "choice_shares", "assign", "ConservationError",
           "TIE_MIN"]

TIE_MIN = 1e-9
"""Travel times closer than this many minutes are a tie for the ``nearest`` rule."""

ASSIGNMENT_COLUMNS = {
    "zone": "zone name",
    "service": "service code",
    "group": "other or elderly",
    "target": "point or channel name (empty when unserved)",
    "kind": "point, channel or unserved",
    "visits_per_day": "visits per opening day (weekday factor 1) from the zone to the target",
}

HISTORY_COLUMNS = {
    "round": "round of the fixed-point iteration (1, 2, …)",
    "point": "point name",
    "visits_per_day": "visits per day assigned in this round",
    "estimate_other_min": "mean wait of others the estimator gave at that load",
    "estimate_elderly_min": "mean wait of the elderly the estimator gave at that load",
    "expected_other_min": "expected wait of others after the round's damped step",
    "expected_elderly_min": "expected wait of the elderly after the round's damped step",
}


class ConservationError(RuntimeError):
    """The assignment lost or doubled visitors (a bug, never bad input)."""


def choice_shares(demand: ZoneDemand, travel: TravelTimes, choice: Choice, waits: np.ndarray) -> np.ndarray:
    """``shares[z, s, g, p]``: the share of zone ``z``'s point-going visitors for service
    ``s`` of group ``g`` who choose point ``p`` (0 for points that cannot serve ``s``; all
    0 when none can). ``waits[p, g]``: expected waits in minutes."""
    Z, S, P = len(demand.zones), len(demand.services), len(demand.points)
    shares = np.zeros((Z, S, 2, P))
    for g, group in enumerate(GROUPS):
        elderly = group == "elderly"
        minutes = travel.mean(elderly)
        beta = choice.elderly_travel_per_min if elderly else choice.travel_per_min
        for s in range(S):
            mask = demand.capable[:, s]
            if not mask.any():
                continue
            if choice.rule == "logit":
                utility = -(beta * minutes + choice.wait_per_min * waits[None, :, g])
                utility = np.where(mask[None, :], utility, -np.inf)
                utility -= utility.max(axis=1, keepdims=True)
                weight = np.exp(utility)
            else:
                masked = np.where(mask[None, :], minutes, np.inf)
                weight = (masked <= masked.min(axis=1, keepdims=True) + TIE_MIN).astype(float)
            shares[:, s, g, :] = weight / weight.sum(axis=1, keepdims=True)
    return shares


@dataclass(frozen=True)
class Assignment:
    """Where every zone's visitors go. ``flow[z, s, g, p]`` to points,
    ``channel_flow[k, z, s, g]`` to channels, ``unserved[z, s, g]`` nowhere (visits per
    opening day); ``waits[p, g]`` the expected waits the final choice used; ``history``
    the rounds (columns :data:`HISTORY_COLUMNS`); ``change_min`` the largest change of an
    expected wait in the last round."""

    demand: ZoneDemand
    flow: np.ndarray
    channel_flow: np.ndarray
    unserved: np.ndarray
    waits: np.ndarray
    history: pd.DataFrame
    change_min: float

    def check(self, rel_tol: float = 1e-9) -> None:
        """Raise :class:`ConservationError` unless every zone visitor is assigned exactly
        once: points + channels + unserved = demand for every zone, service and group."""
        total = self.flow.sum(axis=-1) + self.channel_flow.sum(axis=0) + self.unserved
        scale = max(1.0, float(self.demand.visits.sum()))
        gap = float(np.abs(total - self.demand.visits).max(initial=0.0))
        if gap > rel_tol * scale or (self.flow < 0).any() or (self.unserved < -rel_tol * scale).any():
            raise ConservationError(f"the assignment does not conserve visitors (largest gap {gap:g} visits per day)")

    def table(self) -> pd.DataFrame:
        """The tidy assignment (columns :data:`ASSIGNMENT_COLUMNS`), rows with visits only."""
        d = self.demand
        rows = []
        for z, zone in enumerate(d.zones):
            for s, svc in enumerate(d.services):
                for g, group in enumerate(GROUPS):
                    rows += [(zone, svc, group, point, "point", float(self.flow[z, s, g, p]))
                             for p, point in enumerate(d.points) if self.flow[z, s, g, p] > 0]
                    rows += [(zone, svc, group, ch, "channel", float(self.channel_flow[k, z, s, g]))
                             for k, ch in enumerate(d.channels) if self.channel_flow[k, z, s, g] > 0]
                    if self.unserved[z, s, g] > 0:
                        rows.append((zone, svc, group, "", "unserved", float(self.unserved[z, s, g])))
        return pd.DataFrame.from_records(rows, columns=list(ASSIGNMENT_COLUMNS))


def _flows(demand: ZoneDemand, travel: TravelTimes, choice: Choice, waits: np.ndarray):
    shares = choice_shares(demand, travel, choice, waits)
    going = demand.visits * demand.to_points[None, :, :]
    flow = going[..., None] * shares
    unserved = going * (1.0 - shares.sum(axis=-1))
    unserved[np.abs(unserved) < 1e-12 * max(1.0, float(demand.visits.max(initial=0)))] = 0.0
    channel_flow = demand.visits[None, ...] * demand.channel[:, None, :, :]
    return flow, channel_flow, unserved


def assign(demand: ZoneDemand, travel: TravelTimes, choice: Choice,
           estimate: Callable[[np.ndarray], np.ndarray]) -> Assignment:
    """The damped fixed-point assignment (see the module docstring). ``estimate(flow)``
    returns the mean waits ``[p, g]`` (minutes) at the load ``flow[z, s, g, p]``."""
    P = len(demand.points)
    waits = np.zeros((P, 2))
    rows = []
    change = 0.0
    rounds = 0 if choice.rule == "nearest" or choice.wait_per_min == 0 else choice.rounds
    for k in range(1, rounds + 1):
        flow, _, _ = _flows(demand, travel, choice, waits)
        new = np.minimum(np.asarray(estimate(flow), dtype=float), choice.wait_cap_min)
        step = choice.damping * (new - waits)
        waits = waits + step
        change = float(np.abs(step).max(initial=0.0))
        load = flow.sum(axis=(0, 1, 2))
        rows += [(k, name, float(load[p]), float(new[p, 0]), float(new[p, 1]), float(waits[p, 0]), float(waits[p, 1]))
                 for p, name in enumerate(demand.points)]
    flow, channel_flow, unserved = _flows(demand, travel, choice, waits)
    result = Assignment(demand, flow, channel_flow, unserved, waits,
                        pd.DataFrame.from_records(rows, columns=list(HISTORY_COLUMNS)), change)
    result.check()
    return result
