"""Simulating a network: assign the zones' demand to the points, then run every point's
hall with its assigned demand on the existing executors, and measure the circle.

Point ``name`` runs under its own seed, derived from the network seed and its name
(:func:`point_seed`), so points do not share random numbers with each other, while the
same point in two variants of a network (a what-if) does: common random numbers.
Every job is (point scenario, point seed, replication), so the results are identical
serially, in a process pool and on Dask.
"""

from __future__ import annotations

import math
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from sim.experiments.executors import Job, run_jobs
from sim.experiments.simulation import SimulationResult, combine
from sim.network.choice import Assignment, assign
from sim.network.coverage import door_to_card, inside_circle, population_shares, wait_cdf
from sim.network.demand import GROUPS, PointLoad, ZoneDemand, point_loads, point_scenario, zone_demand
from sim.network.loader import LoadedNetwork, issues_on_the_spot
from sim.network.travel import TravelTimes, travel_times
from sim.network.waits import erlang_waits
from sim.results.summary import summarise
from sim.scenario.schema import Scenario
from sim.scenario.standards import check_standards

__all__ = ["NetworkResult", "simulate_network", "point_seed", "POINT_COLUMNS", "ZONE_COLUMNS", "NETWORK_KPIS",
           "issuing_points"]

POINT_COLUMNS = {
    "point": "point name",
    "level": "level of the point's hall (decides its minimum standards)",
    "x_km": "map x, km",
    "y_km": "map y, km",
    "instant_issue": "True when the point makes cards on the spot",
    "visitors_per_day": "visits per opening day assigned to the point (weekday factor 1)",
    "elderly_share": "share of them by the elderly",
    "expected_wait_min": "expected wait the choice rule used (others)",
    "wait_mean_min": "simulated mean wait (ticket to call), mean over replications",
    "wait_mean_low": "lower end of its interval",
    "wait_mean_high": "upper end of its interval",
    "wait_p90_min": "simulated 90th percentile wait",
    "elderly_wait_p90_min": "simulated 90th percentile wait of the elderly",
    "abandonment_rate": "simulated share who left the queue",
    "targets_met": "SLA targets met",
    "targets_judged": "SLA targets judged (with data)",
    "standards_passed": "minimum standards of its level passed",
    "standards_total": "minimum standards of its level",
    "seed": "the point's own seed (hallsim run on its assigned scenario with this seed gives its results)",
}

ZONE_COLUMNS = {
    "zone": "zone name",
    "population": "residents",
    "elderly_share": "share of residents who are elderly",
    "visits_per_day": "visits per opening day the zone makes",
    "channel_share": "share of them taken by channels (app, kiosk, home service)",
    "unserved_share": "share that no point can serve",
    "travel_mean_min": "mean travel minutes of the zone's visitors to the points they chose",
    "wait_mean_min": "mean simulated wait there (by group, weighted by the choices)",
    "time_mean_min": "travel + wait",
    "served_in_circle_share": "share of the zone's point visitors whose travel + wait was within the circle",
    "circle_share": "share of residents within the circle of an on-the-spot issuing point (travel only)",
    "circle_elderly_share": "the same for the elderly residents",
    "door_to_card_share": "share of residents within the circle counting the wait at that point (stricter)",
    "door_to_card_elderly_share": "the same for the elderly residents",
}

NETWORK_KPIS = {
    "circle_share": "share of residents within the circle of an on-the-spot issuing point (groups all, elderly)",
    "door_to_card_share": "share of residents for whom travel + wait there is within the circle",
    "travel_mean_min": "mean travel minutes of point visitors (groups all, other, elderly)",
    "wait_mean_min": "mean simulated wait of point visitors, weighted by each point's assigned visits",
    "abandonment_rate": "share of point visitors who left the queue, weighted likewise",
}
"""The network's own KPIs, one row per replication like a hall's (``sim.results.kpis``)."""


def point_seed(seed: int, name: str) -> int:
    """The seed point ``name`` runs under when the network runs under ``seed``."""
    state = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(f"point:{name}".encode("utf-8")),)).generate_state(1)
    return int(state[0])


def issuing_points(loaded: LoadedNetwork) -> np.ndarray:
    """``[p]`` True for the points that make cards on the spot (``instant_issue``, else
    derived from the scenario)."""
    return np.array([p.instant_issue if p.instant_issue is not None else issues_on_the_spot(loaded.scenarios[p.name])
                     for p in loaded.network.points], dtype=bool)


@dataclass(frozen=True)
class NetworkResult:
    """What :func:`simulate_network` returns.

    ``points`` (columns :data:`POINT_COLUMNS`), ``zones`` (:data:`ZONE_COLUMNS`),
    ``circle`` (the network KPIs summarised: kpi, group, mean, interval), ``kpis`` (the
    network KPIs per replication: replication, kpi, group, value), ``assignment``
    (:data:`sim.network.choice.ASSIGNMENT_COLUMNS`), ``history`` (the fixed-point rounds),
    ``results[point]`` each simulated point's :class:`SimulationResult` (KPIs, SLA,
    standards as ``hallsim run`` gives them), ``scenarios[point]`` the scenario it ran."""

    loaded: LoadedNetwork
    seed: int
    reps: int
    assignment: Assignment
    points: pd.DataFrame
    zones: pd.DataFrame
    kpis: pd.DataFrame
    circle: pd.DataFrame
    results: Mapping[str, SimulationResult]
    scenarios: Mapping[str, Scenario]
    seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    @property
    def history(self) -> pd.DataFrame:
        return self.assignment.history

    def kpi(self, kpi: str, group: str = "all") -> float:
        """The mean over replications of one network KPI."""
        hit = self.circle[(self.circle["kpi"] == kpi) & (self.circle["group"] == group)]
        if hit.empty:
            raise KeyError(f"no network KPI {kpi!r} for group {group!r}")
        return float(hit["mean"].iloc[0])


def _simulation_estimator(loaded, demand, seed, workers, scheduler) -> Callable[[np.ndarray], np.ndarray]:
    """``estimate(flow)``: the simulated mean waits [p, g] of a short run at that load."""
    net = loaded.network
    choice = net.choice

    def estimate(flow: np.ndarray) -> np.ndarray:
        loads = point_loads(demand, flow)
        scns = {p.name: point_scenario(loaded.scenarios[p.name], load, net.run.days, choice.simulation_reps)
                for p, load in zip(net.points, loads)}
        jobs = [Job(s, point_seed(seed, name), r, False) for name, s in scns.items() if s is not None
                for r in range(choice.simulation_reps)]
        done = run_jobs(jobs, workers=workers, scheduler=scheduler)
        out = np.zeros((len(net.points), 2))
        i = 0
        for p, point in enumerate(net.points):
            if scns[point.name] is None:
                continue
            kpis = pd.concat([d.kpis for d in done[i:i + choice.simulation_reps]], ignore_index=True)
            i += choice.simulation_reps
            waits = kpis[kpis["kpi"] == "wait_mean_min"].groupby("group")["value"].mean()
            overall = float(waits.get("all", 0.0))
            for g, group in enumerate(GROUPS):
                value = float(waits.get(group, overall))
                out[p, g] = overall if math.isnan(value) else value
        return np.nan_to_num(out, nan=0.0)

    return estimate


def _wait_cdfs(result: SimulationResult | None, scenario: Scenario, reps: int, cards_only: bool):
    """``[r][g]`` wait distributions of a point's ticketed visits (card-making services
    only when ``cards_only`` and the point has any)."""
    if result is None:
        empty = wait_cdf(np.array([]))
        return [[empty, empty] for _ in range(reps)]
    v = result.tables["visits"]
    v = v[v["ticket"].notna()]
    if cards_only:
        cards = [s for s, spec in scenario.services.items() if spec.instant_issue]
        carded = v[v["service"].isin(cards)]
        if len(carded):
            v = carded
    out = []
    for r in range(reps):
        vr = v[v["replication"] == r]
        out.append([wait_cdf(vr.loc[vr["elderly"].astype(bool) == (g == "elderly"), "wait_min"].to_numpy(dtype=float))
                    for g in GROUPS])
    return out


def _kpi_value(result: SimulationResult | None, kpi: str, group: str, reps: int) -> np.ndarray:
    """``[r]`` a point KPI per replication (0 for a point without visitors; the group
    ``all`` where the group has no value)."""
    if result is None:
        return np.zeros(reps)
    k = result.kpis
    def values(g):
        rows = k[(k["kpi"] == kpi) & (k["group"] == g)].set_index("replication")["value"]
        return rows.reindex(range(reps)).to_numpy(dtype=float)
    out = values(group)
    if group != "all":
        out = np.where(np.isnan(out), values("all"), out)
    return np.nan_to_num(out, nan=0.0)


def simulate_network(loaded: LoadedNetwork, seed: int = 0, reps: int | None = None, workers: int | None = 1,
                     scheduler=None, progress: Callable[[int, int], None] | None = None) -> NetworkResult:
    """Assign the demand, simulate every point ``reps`` replications (default the
    network's ``run.replications``) and measure the circle. ``workers`` / ``scheduler`` as
    in :func:`sim.simulate`; the result is the same on every executor."""
    net = loaded.network
    reps = net.run.replications if reps is None else reps
    if reps < 1:
        raise ValueError(f"reps must be >= 1 (got {reps})")
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    start = time.perf_counter()
    travel = travel_times(net)
    demand = zone_demand(loaded)
    scenarios = [loaded.scenarios[p.name] for p in net.points]
    if net.choice.expected_wait == "simulation":
        estimate = _simulation_estimator(loaded, demand, seed, workers, scheduler)
    else:
        estimate = lambda flow: erlang_waits(scenarios, point_loads(demand, flow), net.choice.wait_cap_min)  # noqa: E731
    assignment = assign(demand, travel, net.choice, estimate)
    loads = point_loads(demand, assignment.flow)
    scns = {p.name: point_scenario(loaded.scenarios[p.name], load, net.run.days, reps) for p, load in zip(net.points, loads)}
    names = [n for n, s in scns.items() if s is not None]
    jobs = [Job(scns[n], point_seed(seed, n), r, True) for n in names for r in range(reps)]
    done = run_jobs(jobs, workers=workers, scheduler=scheduler, progress=progress)
    results = {n: combine(scns[n], point_seed(seed, n), list(done[i * reps:(i + 1) * reps])) for i, n in enumerate(names)}
    points = _points_table(loaded, loads, assignment, results, seed)
    zones, kpis = _zones_and_kpis(loaded, travel, demand, assignment, loads, results, reps)
    circle = summarise(kpis)[["kpi", "group", "n", "mean", "half_width", "ci_low", "ci_high"]]
    return NetworkResult(loaded, seed, reps, assignment, points, zones, kpis, circle, results,
                         {n: s for n, s in scns.items() if s is not None}, time.perf_counter() - start,
                         {"rounds": int(assignment.history["round"].max()) if len(assignment.history) else 0,
                          "change_min": assignment.change_min})


def _points_table(loaded: LoadedNetwork, loads: list[PointLoad], assignment: Assignment,
                  results: Mapping[str, SimulationResult], seed: int) -> pd.DataFrame:
    issuing = issuing_points(loaded)
    rows = []
    for p, (point, load) in enumerate(zip(loaded.network.points, loads)):
        s = loaded.scenarios[point.name]
        res = results.get(point.name)
        row = {"point": point.name, "level": s.hall.level, "x_km": point.x_km, "y_km": point.y_km,
               "instant_issue": bool(issuing[p]), "visitors_per_day": load.visitors_per_day,
               "elderly_share": load.elderly_share, "expected_wait_min": float(assignment.waits[p, 0])}
        if res is None:
            row.update(wait_mean_min=math.nan, wait_mean_low=math.nan, wait_mean_high=math.nan, wait_p90_min=math.nan,
                       elderly_wait_p90_min=math.nan, abandonment_rate=math.nan, targets_met=0, targets_judged=0)
            standards = check_standards(s)
        else:
            def mean(kpi, group="all"):
                try:
                    return res.kpi(kpi, group)
                except KeyError:
                    return None
            wait = mean("wait_mean_min")
            row.update(wait_mean_min=wait.mean if wait else math.nan, wait_mean_low=wait.ci_low if wait else math.nan,
                       wait_mean_high=wait.ci_high if wait else math.nan)
            for col, kpi, group in (("wait_p90_min", "wait_p90_min", "all"), ("elderly_wait_p90_min", "wait_p90_min", "elderly"),
                                    ("abandonment_rate", "abandonment_rate", "all")):
                est = mean(kpi, group)
                row[col] = est.mean if est else math.nan
            row.update(targets_met=int((res.sla["verdict"] == "met").sum()),
                       targets_judged=int((res.sla["verdict"] != "no data").sum()))
            standards = res.standards
        row.update(standards_passed=int(standards["passed"].astype(bool).sum()), standards_total=int(len(standards)),
                   seed=point_seed(seed, point.name))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(POINT_COLUMNS))


def _zones_and_kpis(loaded: LoadedNetwork, travel: TravelTimes, demand: ZoneDemand, assignment: Assignment,
                    loads: list[PointLoad], results: Mapping[str, SimulationResult], reps: int):
    net = loaded.network
    circle_min = net.run.circle_min
    points = net.points
    issuing = issuing_points(loaded)
    population = np.array([z.population for z in net.zones], dtype=float)
    elderly = np.array([z.elderly_share for z in net.zones], dtype=float)
    flow = assignment.flow  # z, s, g, p
    by_group = flow.sum(axis=1)  # z, g, p
    # per point, replication and group: the simulated mean wait, abandonment and wait distributions
    wait = np.stack([np.stack([_kpi_value(results.get(p.name), "wait_mean_min", g, reps) for g in GROUPS], axis=1)
                     for p in points], axis=0)  # p, r, g
    abandon = np.stack([_kpi_value(results.get(p.name), "abandonment_rate", "all", reps) for p in points], axis=0)
    cdf_all = [_wait_cdfs(results.get(p.name), loaded.scenarios[p.name], reps, False) for p in points]
    cdf_card = [_wait_cdfs(results.get(p.name), loaded.scenarios[p.name], reps, True) for p in points]
    circle = {g: inside_circle(travel.minutes, issuing, travel.mode_shares(g == "elderly"), circle_min) for g in GROUPS}
    door = {g: np.stack([door_to_card(travel.minutes, issuing, travel.mode_shares(g == "elderly"), circle_min,
                                      {p: cdf_card[p][r][gi] for p in range(len(points))}) for r in range(reps)])
            for gi, g in enumerate(GROUPS)}  # g -> [r, z]
    mean_travel = np.stack([travel.mean(g == "elderly") for g in GROUPS], axis=1)  # z, g, p
    going = by_group.sum(axis=-1)  # z, g
    travel_sum = (by_group * mean_travel).sum(axis=-1)  # z, g
    wait_sum = np.einsum("zgp,prg->rzg", by_group, wait)  # r, z, g
    # share of point visitors with travel + wait within the circle, per replication
    served_in = np.zeros((reps, len(net.zones)))
    for r in range(reps):
        for gi, g in enumerate(GROUPS):
            shares = travel.mode_shares(g == "elderly")
            for p in range(len(points)):
                f = by_group[:, gi, p]
                if not f.any():
                    continue
                left = circle_min - travel.minutes[:, p, :]  # z, m
                prob = np.where(left >= -1e-9, cdf_all[p][r][gi](left), 0.0) @ shares
                served_in[r] += f * prob
    with np.errstate(invalid="ignore", divide="ignore"):
        visits = demand.visits.sum(axis=1)  # z, g
        zones = pd.DataFrame({
            "zone": [z.name for z in net.zones], "population": population.astype(int), "elderly_share": elderly,
            "visits_per_day": visits.sum(axis=1),
            "channel_share": assignment.channel_flow.sum(axis=(0, 2, 3)) / visits.sum(axis=1),
            "unserved_share": assignment.unserved.sum(axis=(1, 2)) / visits.sum(axis=1),
            "travel_mean_min": travel_sum.sum(axis=1) / going.sum(axis=1),
            "wait_mean_min": wait_sum.sum(axis=2).mean(axis=0) / going.sum(axis=1),
        })
        zones["time_mean_min"] = zones["travel_mean_min"] + zones["wait_mean_min"]
        zones["served_in_circle_share"] = served_in.mean(axis=0) / going.sum(axis=1)
        zones["circle_share"] = (1 - elderly) * circle["other"] + elderly * circle["elderly"]
        zones["circle_elderly_share"] = circle["elderly"]
        zones["door_to_card_share"] = (1 - elderly) * door["other"].mean(axis=0) + elderly * door["elderly"].mean(axis=0)
        zones["door_to_card_elderly_share"] = door["elderly"].mean(axis=0)
    zones = zones[list(ZONE_COLUMNS)]
    # network KPIs per replication
    rows = []
    circ = population_shares(population, elderly, circle["other"], circle["elderly"])
    load_p = np.array([load.visitors_per_day for load in loads])
    for r in range(reps):
        d = population_shares(population, elderly, door["other"][r], door["elderly"][r])
        rows += [(r, "circle_share", "all", circ[0]), (r, "circle_share", "elderly", circ[1]),
                 (r, "door_to_card_share", "all", d[0]), (r, "door_to_card_share", "elderly", d[1])]
        for gi, g in (("all", "all"), (0, "other"), (1, "elderly")):
            t_num = travel_sum.sum() if g == "all" else travel_sum[:, gi].sum()
            n = going.sum() if g == "all" else going[:, gi].sum()
            w_num = wait_sum[r].sum() if g == "all" else wait_sum[r][:, gi].sum()
            rows += [(r, "travel_mean_min", g, t_num / n if n > 0 else math.nan),
                     (r, "wait_mean_min", g, w_num / n if n > 0 else math.nan)]
        total = load_p.sum()
        rows.append((r, "abandonment_rate", "all", float(load_p @ abandon[:, r] / total) if total > 0 else math.nan))
    kpis = pd.DataFrame.from_records(rows, columns=["replication", "kpi", "group", "value"])
    return zones, kpis
