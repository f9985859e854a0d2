"""The service circle (10分钟办卡服务圈): who lives within ``circle_min`` minutes of a point
that makes cards on the spot.

Every resident of a zone lives at the zone's coordinates and travels by one of the modes
(in the group's mode shares). A resident is **inside the circle** when the travel time by
their mode to the nearest point that issues on the spot is at most ``circle_min``. The
stricter reading, **door to card**, also counts the wait there: the resident is inside
when travel + the wait for a window (ticket → call) is at most ``circle_min``, and
counts with the probability of that — the share of the simulated visitors of that point
(their group, card-making services) whose wait was short enough. (The card making itself,
5–15 minutes for 立等可取, is not counted: with it hardly anybody would be inside.)

Shares are of residents: the others weigh ``population × (1 − elderly_share)``, the
elderly ``population × elderly_share``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["inside_circle", "nearest_issuing", "door_to_card", "population_shares", "wait_cdf"]


def nearest_issuing(minutes: np.ndarray, issuing: np.ndarray) -> np.ndarray:
    """``[z, m]`` index of the nearest issuing point by mode (−1 when none issues).
    ``minutes[z, p, m]``; ``issuing[p]`` bool."""
    if not issuing.any():
        return np.full(minutes.shape[::2], -1)
    masked = np.where(issuing[None, :, None], minutes, np.inf)
    return masked.argmin(axis=1)


def inside_circle(minutes: np.ndarray, issuing: np.ndarray, mode_shares: np.ndarray, circle_min: float) -> np.ndarray:
    """``[z]`` share of a zone's residents (with these mode shares) within ``circle_min``
    minutes of an issuing point."""
    if not issuing.any():
        return np.zeros(minutes.shape[0])
    best = np.where(issuing[None, :, None], minutes, np.inf).min(axis=1)
    return (best <= circle_min + 1e-9).astype(float) @ mode_shares


def wait_cdf(waits: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """P(wait ≤ x) of the observed ``waits`` (minutes), a function of ``x`` (an array);
    no observation: every wait is 0 (nobody queues at an empty point)."""
    ordered = np.sort(np.asarray(waits, dtype=float))
    if len(ordered) == 0:
        return lambda x: (np.asarray(x) >= -1e-9).astype(float)
    return lambda x: np.searchsorted(ordered, np.asarray(x) + 1e-9, side="right") / len(ordered)


def door_to_card(minutes: np.ndarray, issuing: np.ndarray, mode_shares: np.ndarray, circle_min: float,
                 cdfs: dict[int, Callable[[np.ndarray], np.ndarray]]) -> np.ndarray:
    """``[z]`` expected share of a zone's residents for whom travel to the nearest issuing
    point plus the wait there is within ``circle_min``; ``cdfs[p]`` is point ``p``'s wait
    distribution for the group."""
    Z = minutes.shape[0]
    if not issuing.any():
        return np.zeros(Z)
    nearest = nearest_issuing(minutes, issuing)
    out = np.zeros(Z)
    for m, share in enumerate(mode_shares):
        if share == 0:
            continue
        p = nearest[:, m]
        t = minutes[np.arange(Z), p, m]
        left = circle_min - t
        prob = np.zeros(Z)
        for q in np.unique(p):
            sel = p == q
            prob[sel] = np.where(left[sel] >= -1e-9, cdfs[int(q)](left[sel]), 0.0)
        out += share * prob
    return out


def population_shares(population: np.ndarray, elderly_share: np.ndarray, other: np.ndarray,
                      elderly: np.ndarray) -> tuple[float, float]:
    """(share of all residents, share of the elderly) from per-zone shares of the others
    (``other[z]``) and of the elderly (``elderly[z]``)."""
    pop_e = population * elderly_share
    pop_o = population - pop_e
    total = population.sum()
    all_share = float((pop_o @ other + pop_e @ elderly) / total) if total > 0 else float("nan")
    eld_share = float(pop_e @ elderly / pop_e.sum()) if pop_e.sum() > 0 else float("nan")
    return all_share, eld_share
