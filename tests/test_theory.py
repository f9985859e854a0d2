"""Theory tests: the textbook scenarios (scenarios/textbook/) against queueing formulas.

Cross-cutting (several layers at once), so it stays at the tests/ top level rather than in one layer's folder.

Each scenario is simulated once for this module with ``sim.simulate`` under ``SEED`` (the
four runs side by side on two processes), with its own run settings: a continuous
horizon of 20 000 minutes whose first 2 000 minutes of arrivals are left out, and 10
replications (40 for the M/G/1, see ``MG1_REPS``). A KPI passes when the formula's value
lies in the 99 % t-interval of its replication values.

Why no bias allowance: the runs start empty, but the warm-up is many relaxation times long
(for M/M/3 at rho = 0.83 about 1 / (c·mu·(1 - sqrt(rho))²) ≈ 45 minutes, for the M/G/1
about 70), so the start-up bias is far below the noise; every visitor who arrives before
the horizon is served or abandons (no censoring at the end); and the per-replication means
are over ~10⁴ visits, so their ratio-estimator bias (order 1/n) is negligible too.

Why the precision guard: an interval can contain the theory simply because it is wide.
Every comparison also asserts a half-width of at most ``PRECISION`` (10 %) of the
theoretical value. At rho = 0.83 the M/M/3 mean wait moves by 11-13 % when the arrival or
service rate moves by 1.5 %, so these tests resolve a model error of that size.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.analytic import erlang_a, erlang_c, mg1_wait, mmc_wait, mmc_wait_quantile, priority_waits
from sim.results.summary import t_interval

pytestmark = pytest.mark.slow

TEXTBOOK = Path(__file__).resolve().parent.parent / "scenarios" / "textbook"
SEED = 2026
CONFIDENCE = 0.99
PRECISION = 0.10
MG1_REPS = 40
"""Replications of the M/G/1: its waits (lognormal service, cv 1.5) vary 1.5 to 2 times as
much, relative to their mean, as the M/M/3 ones; 10 replications give a 99 % half-width
of 11-15 % of the P-K value, 40 give about 6-8 %, inside the precision guard."""

NAMES = ("mg1", "mmc_priority", "mmc_abandon", "mmc")
"""The textbook scenarios, longest run first (so two workers finish together)."""


@pytest.fixture(scope="module")
def runs():
    """``runs[name]``: the simulation of textbook scenario ``name`` by ``sim.simulate``.

    The four runs are independent, so they are started side by side on up to two
    processes when the module's first test asks for one; results are identical to
    running them one after another.
    """
    workers = max(1, min(2, os.cpu_count() or 1))
    with ProcessPoolExecutor(workers) as pool:
        futures = {}
        for name in NAMES:
            scenario = sim.load_scenario(TEXTBOOK / f"{name}.yaml")
            reps = MG1_REPS if name == "mg1" else scenario.run.replications
            futures[name] = pool.submit(sim.simulate, scenario, seed=SEED, reps=reps)
        yield _Results(futures)


class _Results:
    """Simulation results by scenario name, waited for on first use."""

    def __init__(self, futures):
        self._futures = futures

    def __getitem__(self, name: str) -> sim.SimulationResult:
        return self._futures[name].result()


def kpi_values(result: sim.SimulationResult, kpi: str, group: str = "all") -> np.ndarray:
    """One value of ``kpi`` per replication."""
    k = result.kpis
    values = k.loc[(k["kpi"] == kpi) & (k["group"] == group), "value"].to_numpy()
    assert len(values) == result.reps, f"{kpi}/{group}: {len(values)} values for {result.reps} replications"
    return values


def per_replication(result: sim.SimulationResult, fn) -> np.ndarray:
    """``fn(visits)`` for the visits of each replication that arrived after the warm-up."""
    v = result.tables["visits"]
    v = v[~v["in_warmup"].astype(bool)]
    return np.array([fn(sub) for _, sub in v.groupby("replication", sort=True)])


def assert_agrees(values, theory: float, label: str) -> None:
    """``theory`` lies in the 99 % t-interval of ``values``, which is narrower than ±10 % of it."""
    mean, _sd, hw = t_interval(values, CONFIDENCE)
    where = f"{label}: theory {theory:.5g}, simulation {mean:.5g} ± {hw:.3g} (99 %, n={len(values)})"
    assert hw <= PRECISION * abs(theory), f"{where}: interval too wide to test"
    assert mean - hw <= theory <= mean + hw, f"{where}: theory outside the interval"


def share_waiting(visits: pd.DataFrame) -> float:
    """Share of the visits called at a window that waited at all."""
    called = visits[visits["call_min"].notna()]
    return float((called["wait_min"] > 0).mean())


# ------------------------------------------------------------------ M/M/3 (FCFS)
def test_mmc_mean_wait_is_erlang_c(runs):
    """M/M/3 FCFS: the mean wait of called visits is C(3, 2.5) / (3·mu - lam)."""
    assert_agrees(kpi_values(runs["mmc"], "wait_mean_min"), mmc_wait(3, 2.5, 1.0), "M/M/3 wait_mean_min")


@pytest.mark.parametrize("name", ["mmc", "mmc_priority"])
def test_mmc_share_waiting_is_erlang_c(runs, name):
    """M/M/3 under any work-conserving order: the share of visitors who wait is Erlang C."""
    assert_agrees(per_replication(runs[name], share_waiting), erlang_c(3, 2.5, 1.0), f"{name} P(wait > 0)")


def test_mmc_p90_wait_is_the_erlang_c_quantile(runs):
    """M/M/3 FCFS: the 90th percentile wait is ln(10·C) / (3·mu - lam)."""
    assert_agrees(kpi_values(runs["mmc"], "wait_p90_min"), mmc_wait_quantile(3, 2.5, 1.0, 0.9), "M/M/3 wait_p90_min")


@pytest.mark.parametrize("group", ["elderly", "other"])
def test_fcfs_classes_wait_alike(runs, group):
    """M/M/3 FCFS: elderly and other visitors both wait the Erlang C mean."""
    assert_agrees(kpi_values(runs["mmc"], "wait_mean_min", group), mmc_wait(3, 2.5, 1.0), f"M/M/3 {group}")


# ------------------------------------------------------------- M/M/3 priority
@pytest.mark.parametrize("group, k", [("elderly", 0), ("other", 1)])
def test_priority_class_waits_follow_cobham(runs, group, k):
    """M/M/3 with elderly called first: each class waits Cobham's mean."""
    theory = priority_waits(3, [2.5 * 0.3, 2.5 * 0.7], 1.0)[k]
    assert_agrees(kpi_values(runs["mmc_priority"], "wait_mean_min", group), theory, f"priority {group}")


def test_priority_keeps_the_fcfs_mean_wait(runs):
    """M/M/3 with priority classes: the mean wait over both classes stays the Erlang C wait (conservation)."""
    assert_agrees(kpi_values(runs["mmc_priority"], "wait_mean_min"), mmc_wait(3, 2.5, 1.0), "priority all")


# ----------------------------------------------------------- M/M/3+M (Erlang A)
ERLANG_A = erlang_a(3, 3.0, 1.0, 1 / 10.0)


def test_abandonment_rate_is_erlang_a(runs):
    """M/M/3+M: the share of arrivals who abandon is theta·E[Q] / lam."""
    assert_agrees(kpi_values(runs["mmc_abandon"], "abandonment_rate"), ERLANG_A["p_abandon"], "abandonment_rate")


def test_wait_of_all_arrivals_is_erlang_a(runs):
    """M/M/3+M: the mean time in queue of all arrivals, abandoners included, is E[Q] / lam."""
    waits = per_replication(runs["mmc_abandon"], lambda v: float(v["wait_min"].mean()))
    assert_agrees(waits, ERLANG_A["wait_mean"], "all-arrivals wait")


def test_wait_of_served_visits_is_erlang_a(runs):
    """M/M/3+M: the wait_mean_min KPI (called visits only) is Erlang A's mean wait of served visitors."""
    assert_agrees(kpi_values(runs["mmc_abandon"], "wait_mean_min"), ERLANG_A["wait_mean_served"], "served wait")


def test_share_waiting_with_abandonment_is_erlang_a(runs):
    """M/M/3+M: the share of arrivals who find every window busy is Erlang A's P(wait)."""
    found_busy = per_replication(runs["mmc_abandon"], lambda v: float((v["wait_min"] > 0).mean()))
    assert_agrees(found_busy, ERLANG_A["p_wait"], "M/M/3+M P(wait > 0)")


# ------------------------------------------------------------------------- M/G/1
def test_mg1_mean_wait_is_pollaczek_khinchine(runs):
    """M/G/1 with lognormal service (mean 0.8, cv 1.5): the mean wait is lam·E[S²] / (2(1 - rho))."""
    assert_agrees(kpi_values(runs["mg1"], "wait_mean_min"), mg1_wait(1.0, 0.8, 1.5), "M/G/1 wait_mean_min")


# ------------------------------------------------------------------ Little's law
@pytest.mark.parametrize(
    "name, theory",
    [
        ("mmc", 2.5 * mmc_wait(3, 2.5, 1.0)),
        ("mmc_priority", 2.5 * mmc_wait(3, 2.5, 1.0)),
        ("mmc_abandon", ERLANG_A["queue_mean"]),
        ("mg1", 1.0 * mg1_wait(1.0, 0.8, 1.5)),
    ],
)
def test_queue_mean_is_lambda_times_wait(runs, name, theory):
    """The time-average queue is lam·Wq of theory (Little's law; E[Q] of Erlang A)."""
    assert_agrees(kpi_values(runs[name], "queue_mean"), theory, f"{name} queue_mean")


@pytest.mark.parametrize("name", ["mmc", "mmc_priority", "mmc_abandon", "mg1"])
def test_littles_law_holds_on_every_run(runs, name):
    """On each replication queue_mean equals arrival rate x mean wait of all arrivals, up to edge effects."""
    # The area under the waiting count is the sum of the waits inside the observation
    # window [a, b] (first to last change of the count after the warm-up, as sim.results.kpis
    # averages it). Against lam^ * W^ = (sum of post-warm-up waits) / (horizon - warm-up)
    # it differs only by visitors waiting across either end of the window (at most
    # queue_max of them, each for at most the longest wait) and by dividing by b - a
    # rather than horizon - warm-up. The allowance bounds both without assuming how
    # sim.results.kpis picks the window; it comes to 1-6 % of queue_mean (the gaps seen are near
    # 0.05 %), so a waiting count that misses abandonments or calls still fails.
    result = runs[name]
    s = result.scenario
    warm, horizon = s.run.warmup_min, s.run.horizon_min
    T = horizon - warm
    visits, queue = result.tables["visits"], result.tables["queue"]
    queue_mean = kpi_values(result, "queue_mean")
    for rep in range(result.reps):
        v = visits[visits["replication"] == rep]
        q = queue[queue["replication"] == rep]
        after = q[q["time_min"] >= warm]["time_min"]
        span = float(after.iloc[-1] - after.iloc[0])
        waits = v.loc[~v["in_warmup"].astype(bool), "wait_min"]
        total = float(waits.sum())
        little = len(waits) / T * float(waits.mean())
        edge = float(q["waiting"].max()) * float(v["wait_min"].max())
        allow = 2 * edge / min(span, T) + total * abs(1 / span - 1 / T)
        gap = queue_mean[rep] - little
        assert abs(gap) <= allow, (
            f"{name} replication {rep}: queue_mean {queue_mean[rep]:.6g} vs lam*W {little:.6g} "
            f"(gap {gap:.3g}, allowed {allow:.3g})"
        )
