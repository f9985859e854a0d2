"""Where to open k new instant-issue outlets: the maximal covering location problem
(Church & ReVelle 1974), solved exactly with OR-Tools CP-SAT.

Demand nodes are the (zone, group, mode) triples of the circle (:mod:`sim.network.coverage`):
node *i* weighs its residents (others: population × (1 − elderly share) × mode share;
elderly: population × elderly share × mode share × ``elderly_weight``, so a weight above 1
puts the elderly first). A node is covered when some on-the-spot point — an existing one
or a chosen candidate — is within ``circle_min`` minutes by that mode. The model::

    maximise   Σ_i w_i z_i
    subject to z_i ≤ Σ_{j covers i} y_j      for each node not already covered
               Σ_j y_j = k                   (k new outlets; all candidates when fewer)
               y_j, z_i ∈ {0, 1}

Weights are rounded to hundredths of a resident (CP-SAT needs integers). The plan is then
checked by simulating the network with the chosen outlets (:func:`sim.network.whatif.compare_networks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.network.demand import GROUPS
from sim.network.loader import LoadedNetwork, file_problems, issues_on_the_spot
from sim.network.schema import Point
from sim.network.simulation import issuing_points
from sim.network.travel import travel_times
from sim.network.whatif import PointChange
from sim.scenario.loader import ScenarioError, load_scenario, read_mapping_yaml
from sim.scenario.messages import from_pydantic, say
from sim.scenario.schema import Scenario

__all__ = ["Candidates", "load_candidates", "maximal_covering", "CoveringSolution", "LocationPlan", "locate",
           "CANDIDATE_COLUMNS", "WEIGHT_SCALE"]

WEIGHT_SCALE = 100
"""Node weights are multiplied by this and rounded for CP-SAT (hundredths of a resident)."""

CANDIDATE_COLUMNS = {
    "candidate": "candidate site name",
    "x_km": "map x, km",
    "y_km": "map y, km",
    "chosen": "True when the plan opens it",
    "alone_gain": "residents it would bring into the circle if it were the only new outlet",
}


class _CandidateFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    candidates: list[Point] = Field(min_length=1, max_length=500)


@dataclass(frozen=True)
class Candidates:
    """Candidate sites (as points) and the hall scenario each would run."""

    points: list[Point]
    scenarios: dict[str, Scenario]
    sources: dict[str, str]

    def change(self, name: str) -> PointChange:
        """The what-if that opens candidate ``name``."""
        p = next(c for c in self.points if c.name == name)
        return PointChange(p.name, p.x_km, p.y_km, self.scenarios[name], self.sources[name])


def load_candidates(path: str | Path, loaded: LoadedNetwork | None = None) -> Candidates:
    """The candidate sites of a file ``candidates: [{name, scenario, x_km, y_km}, …]``
    (scenarios relative to the file); each must issue cards on the spot and, given the
    network, not share a name with one of its points."""
    p = Path(path)
    source = str(p)
    if not p.is_file():
        raise ScenarioError(source, [("", say("file.missing"))])
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(source, [("", say("file.unreadable", error=str(exc)))]) from None
    data = read_mapping_yaml(text, source)
    try:
        parsed = _CandidateFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(source, [(".".join(str(x) for x in e["loc"]), from_pydantic(e)) for e in exc.errors()]) from None
    problems: list[tuple[str, str]] = []
    scenarios: dict[str, Scenario] = {}
    sources: dict[str, str] = {}
    taken = {q.name for q in loaded.network.points} if loaded is not None else set()
    seen: set[str] = set()
    for i, c in enumerate(parsed.candidates):
        if c.name in seen or c.name in taken:
            problems.append((f"candidates.{i}.name", say("network.candidate_taken", name=c.name)))
        seen.add(c.name)
        try:
            scenarios[c.name] = load_scenario(p.parent / c.scenario)
            sources[c.name] = str(p.parent / c.scenario)
        except ScenarioError as exc:
            problems += file_problems(f"candidates.{i}.scenario", exc)
            continue
        if c.instant_issue is False or not issues_on_the_spot(scenarios[c.name]):
            problems.append((f"candidates.{i}.scenario", say("network.candidate_instant")))
    if problems:
        raise ScenarioError(source, problems)
    return Candidates(list(parsed.candidates), scenarios, sources)


@dataclass(frozen=True)
class CoveringSolution:
    """``chosen``: indices of the chosen candidates; ``objective``: the covered weight
    (in the units of the weights given, exact up to :data:`WEIGHT_SCALE`); ``status``:
    the solver's word (OPTIMAL when proven)."""

    chosen: list[int]
    objective: float
    status: str


def maximal_covering(weights: np.ndarray, covers: np.ndarray, already: np.ndarray, k: int,
                     time_limit_s: float = 30.0) -> CoveringSolution:
    """Solve the maximal covering problem: ``weights[i]`` of node *i*, ``covers[i, j]``
    True when candidate *j* covers node *i*, ``already[i]`` True when node *i* is covered
    anyway; open ``k`` candidates (all when there are fewer). One search worker, so the
    answer is the same on every run."""
    from ortools.sat.python import cp_model

    n_nodes, n_cand = covers.shape
    k = min(int(k), n_cand)
    model = cp_model.CpModel()
    y = [model.NewBoolVar(f"open_{j}") for j in range(n_cand)]
    model.Add(sum(y) == k)
    scaled = np.rint(np.asarray(weights, dtype=float) * WEIGHT_SCALE).astype(np.int64)
    terms = []
    for i in range(n_nodes):
        if already[i] or scaled[i] == 0:
            continue
        who = [y[j] for j in np.flatnonzero(covers[i])]
        if not who:
            continue
        z = model.NewBoolVar(f"covered_{i}")
        model.Add(z <= sum(who))
        terms.append(int(scaled[i]) * z)
    model.Maximize(sum(terms) if terms else 0)
    solver = cp_model.CpSolver()
    solver.parameters.num_search_workers = 1
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"the covering model has no solution ({solver.StatusName(status)})")
    chosen = [j for j in range(n_cand) if solver.Value(y[j])]
    base = float(np.asarray(weights, dtype=float)[np.asarray(already, dtype=bool)].sum())
    return CoveringSolution(chosen, base + solver.ObjectiveValue() / WEIGHT_SCALE, solver.StatusName(status))


@dataclass(frozen=True)
class LocationPlan:
    """The chosen outlets (``chosen``, names), the residents inside the circle before and
    after (``before``/``after``: shares of all residents and of the elderly, travel only),
    the ``candidates`` table (:data:`CANDIDATE_COLUMNS`), the solver ``status`` and the
    objective (weighted residents covered)."""

    k: int
    chosen: list[str]
    before: tuple[float, float]
    after: tuple[float, float]
    candidates: pd.DataFrame
    status: str
    objective: float
    elderly_weight: float


def _nodes(loaded: LoadedNetwork, points: Sequence[Point], elderly_weight: float):
    """Node weights (residents, elderly weighted), populations by group, and
    minutes[z, p, m] from each zone to ``points``."""
    net = loaded.network.model_copy(update={"points": list(points)})
    travel = travel_times(net)
    pop = np.array([z.population for z in net.zones], dtype=float)
    eld = np.array([z.elderly_share for z in net.zones], dtype=float)
    weights, residents, is_elderly = [], [], []
    for g in GROUPS:
        shares = travel.mode_shares(g == "elderly")
        group_pop = pop * eld if g == "elderly" else pop * (1 - eld)
        w = np.outer(group_pop, shares)  # z, m
        residents.append(w.ravel())
        weights.append(w.ravel() * (elderly_weight if g == "elderly" else 1.0))
        is_elderly.append(np.full(w.size, g == "elderly"))
    # node order: group, zone, mode — coverage of node (g, z, m) by point p: minutes[z, p, m] <= circle
    within = travel.minutes <= loaded.network.run.circle_min + 1e-9  # z, p, m
    cover = np.concatenate([within.transpose(0, 2, 1).reshape(-1, len(points))] * 2, axis=0)
    return np.concatenate(weights), np.concatenate(residents), np.concatenate(is_elderly), cover


def locate(loaded: LoadedNetwork, candidates: Candidates, k: int, elderly_weight: float = 1.0) -> LocationPlan:
    """The best ``k`` candidate sites for new instant-issue outlets (module docstring)."""
    if k < 1:
        raise ValueError(f"k must be >= 1 (got {k})")
    existing = [p for p, issuing in zip(loaded.network.points, issuing_points(loaded)) if issuing]
    allpoints = existing + list(candidates.points)
    weights, residents, elderly, cover = _nodes(loaded, allpoints, elderly_weight)
    already = cover[:, :len(existing)].any(axis=1) if existing else np.zeros(len(weights), dtype=bool)
    covers = cover[:, len(existing):]
    solution = maximal_covering(weights, covers, already, k)
    inside_after = already | covers[:, solution.chosen].any(axis=1)

    def shares(inside):
        return (float(residents[inside].sum() / residents.sum()) if residents.sum() else float("nan"),
                float(residents[inside & elderly].sum() / residents[elderly].sum()) if residents[elderly].sum() else float("nan"))

    gains = [float(residents[~already & covers[:, j]].sum()) for j in range(covers.shape[1])]
    table = pd.DataFrame({"candidate": [c.name for c in candidates.points], "x_km": [c.x_km for c in candidates.points],
                          "y_km": [c.y_km for c in candidates.points],
                          "chosen": [j in solution.chosen for j in range(covers.shape[1])], "alone_gain": gains},
                         columns=list(CANDIDATE_COLUMNS))
    return LocationPlan(min(k, len(candidates.points)), [candidates.points[j].name for j in solution.chosen],
                        shares(already), shares(inside_after), table, solution.status, solution.objective, elderly_weight)
