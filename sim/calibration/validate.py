"""Validation: the calibrated scenario simulated over the log's dates, observed beside simulated.

The same function (:func:`log_figures`) computes every figure from the log's ticket table
and from each replication's simulated tickets (:func:`sim.calibration.tickets.tickets_from_visits`):

- ``wait_mean_min`` and ``wait_p90_min`` by hour of issue (served tickets; minutes);
- ``served_per_hour``: served tickets per opening day by hour of service start;
- ``windows_open``: windows that served at least one ticket in the hour, per day;
- overall: ``wait_mean_min``, ``wait_p90_min``, ``served_per_day`` and ``left_share``
  (share of tickets whose visitor left unserved: 过号 + 弃号; the model's abandonments);
- with a booking flag (预约): ``booked_share`` (of first tickets) and the mean wait of booked
  and of walk-in visitors served (``booked_wait_mean_min`` counts from the slot when the
  visitor came early — as the model does — else from the ticket; ``walk_in_wait_mean_min``).

Each replication simulates the whole log period, so a figure of one replication is what the
hall could have logged. The **simulated interval** is the central 95 % of the figure across
replications (2.5 % and 97.5 % quantiles: where one log would fall, not the interval of the
mean). A figure is **reproduced** when the observed value lies in that interval or within
the practical tolerance of :data:`TOLERANCES` from the simulated mean; otherwise **not
reproduced**, by ``observed − simulated mean`` (and relatively). Hours with fewer than
:data:`MIN_TICKETS` observed tickets get no verdict (``too few``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibration.tickets import LEFT, tickets_from_visits
from sim.scenario.schema import Scenario

__all__ = ["DEFAULT_REPS", "Validation", "log_figures", "validate", "compare_figures", "TOLERANCES", "MIN_TICKETS", "FIGURE_UNITS",
           "VERDICTS"]

TOLERANCES: dict[str, tuple[float, float]] = {
    "wait_mean_min": (2.0, 0.20),
    "wait_p90_min": (3.0, 0.20),
    "served_per_hour": (1.0, 0.15),
    "served_per_day": (3.0, 0.05),
    "windows_open": (0.5, 0.0),
    "left_share": (0.02, 0.0),
    "booked_wait_mean_min": (2.0, 0.20),
    "walk_in_wait_mean_min": (2.0, 0.20),
    "booked_share": (0.03, 0.0),
}
"""Practical tolerance of each figure: (absolute, relative to the simulated mean); the
larger applies. Waits: 2 min or 20 % (3 min for the 90th percentile); served: one visitor
an hour or 15 %; windows: half a window; left share: 2 percentage points."""

FIGURE_UNITS = {"wait_mean_min": "min", "wait_p90_min": "min", "served_per_hour": "visitors/h",
                "served_per_day": "visitors/day", "windows_open": "windows", "left_share": "share",
                "booked_wait_mean_min": "min", "walk_in_wait_mean_min": "min", "booked_share": "share"}

MIN_TICKETS = 10
"""Fewest observed tickets an hour needs for a verdict on its waits."""

VERDICTS = ("reproduced", "not reproduced", "too few")

DEFAULT_REPS = 20
"""Replications of the validation unless told otherwise (the 95 % band across 20
replications lies between the extreme values)."""


def _hour_label(h: int) -> str:
    return f"{h:02d}:00"


def log_figures(tickets: pd.DataFrame, days: int) -> pd.DataFrame:
    """The figures of a ticket table over ``days`` opening days: columns figure, hour
    (``HH:00`` or ``all``), value, n (tickets behind the value)."""
    rows = []
    served = tickets[tickets["outcome"].isin(["served", "transferred"])]
    waits = served[served["wait_min"].notna()]
    hour = np.floor(waits["issued_min"].to_numpy(float) / 60).astype(int)
    for h in np.unique(hour):
        w = waits["wait_min"].to_numpy(float)[hour == h]
        rows.append(("wait_mean_min", _hour_label(h), float(w.mean()), len(w)))
        rows.append(("wait_p90_min", _hour_label(h), float(np.quantile(w, 0.9)), len(w)))
    if len(waits):
        w = waits["wait_min"].to_numpy(float)
        rows += [("wait_mean_min", "all", float(w.mean()), len(w)), ("wait_p90_min", "all", float(np.quantile(w, 0.9)), len(w))]
    starts = served["start_min"].dropna().to_numpy(float)
    sh = np.floor(starts / 60).astype(int)
    for h in np.unique(sh):
        rows.append(("served_per_hour", _hour_label(h), float((sh == h).sum()) / days, int((sh == h).sum())))
    rows.append(("served_per_day", "all", len(served) / days, len(served)))
    rows.append(("left_share", "all", float(tickets["outcome"].isin(LEFT).mean()) if len(tickets) else math.nan,
                 len(tickets)))
    rows += _booking_figures(tickets, waits)
    win = served[served["window"].ne("") & served["start_min"].notna()]
    if len(win):
        s = win["start_min"].to_numpy(float)
        e = win["end_min"].fillna(win["start_min"]).to_numpy(float)
        h0, h1 = np.floor(s / 60).astype(int), np.floor(np.maximum(e - 1e-9, s) / 60).astype(int)
        pairs = set()
        for d, w, a, b in zip(win["date"], win["window"], h0, h1):
            for h in range(a, b + 1):
                pairs.add((d, w, h))
        per_hour = pd.Series([h for _d, _w, h in pairs]).value_counts()
        for h, k in sorted(per_hour.items()):
            rows.append(("windows_open", _hour_label(int(h)), k / days, int(k)))
    return pd.DataFrame(rows, columns=["figure", "hour", "value", "n"])


def _booking_figures(tickets: pd.DataFrame, waits: pd.DataFrame) -> list[tuple]:
    """Booked share and the mean waits of booked and walk-in visitors (none without a booking flag)."""
    first = tickets[tickets["first"] & tickets["booked"].notna()]
    if first.empty:
        return []
    rows = [("booked_share", "all", float(first["booked"].astype(bool).mean()), len(first))]
    known = waits[waits["booked"].notna()]
    booked = known["booked"].astype(bool)
    b = known[booked]
    from_slot = b["called_min"] - b[["issued_min", "slot_min"]].max(axis=1)
    if len(b):
        rows.append(("booked_wait_mean_min", "all", float(from_slot.mean()), len(b)))
    if (~booked).any():
        rows.append(("walk_in_wait_mean_min", "all", float(known.loc[~booked, "wait_min"].mean()), int((~booked).sum())))
    return rows


@dataclass(frozen=True)
class Validation:
    """Observed beside simulated: ``table`` has one row per (figure, hour) with observed,
    n_observed, sim_mean, sim_low, sim_high, tolerance, verdict, difference, relative;
    ``simulated`` every replication's figures; ``reps`` and ``seed`` of the run."""

    table: pd.DataFrame
    simulated: pd.DataFrame
    reps: int
    seed: int

    def counts(self) -> dict[str, int]:
        """How many figures got each verdict."""
        return {v: int((self.table["verdict"] == v).sum()) for v in VERDICTS}

    def share_reproduced(self) -> float:
        judged = self.table[self.table["verdict"] != "too few"]
        return float((judged["verdict"] == "reproduced").mean()) if len(judged) else math.nan


def compare_figures(observed: pd.DataFrame, simulated: pd.DataFrame) -> pd.DataFrame:
    """Observed figures beside the replications' (``simulated`` has a ``replication``
    column; a figure missing from a replication counts as 0 for counts, as absent for
    waits), with the verdict of each."""
    reps = simulated["replication"].nunique() if len(simulated) else 0
    keys = pd.concat([observed[["figure", "hour"]], simulated[["figure", "hour"]]]).drop_duplicates()
    rows = []
    for fig, hour in keys.itertuples(index=False):
        obs = observed[(observed["figure"] == fig) & (observed["hour"] == hour)]
        sim = simulated[(simulated["figure"] == fig) & (simulated["hour"] == hour)]["value"].to_numpy(float)
        if fig in ("served_per_hour", "windows_open") and len(sim) < reps:
            sim = np.concatenate([sim, np.zeros(reps - len(sim))])
        o = float(obs["value"].iloc[0]) if len(obs) else (0.0 if fig in ("served_per_hour", "windows_open") else math.nan)
        n = int(obs["n"].iloc[0]) if len(obs) else 0
        if len(sim):
            mean, low, high = float(sim.mean()), float(np.quantile(sim, 0.025)), float(np.quantile(sim, 0.975))
        else:
            mean = low = high = math.nan
        a, r = TOLERANCES[fig]
        tol = max(a, r * abs(mean)) if math.isfinite(mean) else a
        diff = o - mean
        if fig.startswith("wait") and hour != "all" and n < MIN_TICKETS:
            verdict = "too few"
        elif not (math.isfinite(o) and math.isfinite(mean)):
            verdict = "not reproduced" if math.isfinite(o) != math.isfinite(mean) else "too few"
        else:
            verdict = "reproduced" if (low <= o <= high or abs(diff) <= tol) else "not reproduced"
        rows.append({"figure": fig, "hour": hour, "observed": o, "n_observed": n, "sim_mean": mean, "sim_low": low,
                     "sim_high": high, "tolerance": tol, "verdict": verdict, "difference": diff,
                     "relative": diff / mean if math.isfinite(mean) and mean else math.nan})
    order = {f: i for i, f in enumerate(TOLERANCES)}
    out = pd.DataFrame(rows)
    out["_o"] = out["figure"].map(order)
    out["_h"] = out["hour"].map(lambda h: "" if h == "all" else h)
    return out.sort_values(["_o", "_h"]).drop(columns=["_o", "_h"]).reset_index(drop=True)


def validate(scenario: Scenario, tickets: pd.DataFrame, reps: int = 20, seed: int = 0, workers: int | None = 1,
             progress=None) -> Validation:
    """Simulate ``scenario`` (already set to the log's dates) ``reps`` times and compare
    each figure with the log's ``tickets`` (only those naming a hall service)."""
    from sim.experiments.simulation import simulate

    known = tickets[tickets["service"].notna()]
    days = max(int(known["date"].nunique()), 1)
    observed = log_figures(known, days)
    parts = []

    def collect(res) -> None:
        t = tickets_from_visits(res.tables["visits"])
        parts.append(log_figures(t, scenario.run.days).assign(replication=res.replication))

    simulate(scenario, seed=seed, reps=reps, workers=workers, progress=progress, sink=collect)
    simulated = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["figure", "hour", "value", "n", "replication"])
    return Validation(compare_figures(observed, simulated), simulated, reps, seed)
