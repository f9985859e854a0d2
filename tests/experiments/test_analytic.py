"""Queueing formulas of sim.experiments.analytic on known values, identities and bad inputs."""

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import builders
import sim
from sim.experiments.analytic import (
    distribution_cv,
    erlang_a,
    erlang_b,
    erlang_c,
    mg1_priority_waits,
    mg1_wait,
    mmc_wait,
    mmc_wait_quantile,
    mmc_wait_tail,
    priority_waits,
    reference_for,
)
from sim.scenario.distributions import Empirical, Exponential, Fixed, Gamma, Lognormal, Triangular, Uniform
from sim.scenario.loader import with_overrides

TEXTBOOK = Path(__file__).resolve().parents[2] / "scenarios" / "textbook"


def textbook(name):
    return sim.load_scenario(TEXTBOOK / f"{name}.yaml")


# ------------------------------------------------------------------ Erlang B / C
def test_erlang_b_of_one_server_is_a_over_one_plus_a():
    """Erlang B with one server is a / (1 + a)."""
    assert erlang_b(1, 0.5) == pytest.approx(0.5 / 1.5)


def test_erlang_c_of_one_server_is_rho():
    """In M/M/1 the probability of waiting is the utilisation rho."""
    assert erlang_c(1, 0.7, 1.0) == pytest.approx(0.7)
    assert erlang_c(1, 1.2, 2.0) == pytest.approx(0.6)


def test_erlang_c_known_values():
    """C(2 servers, a = 1) = 1/3 and C(3, a = 2.5) = 0.70225 (tables)."""
    assert erlang_c(2, 1.0, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(3, 2.5, 1.0) == pytest.approx(0.702247, abs=1e-6)


def test_erlang_c_matches_the_textbook_sum():
    """The recursion agrees with the direct sum formula for many servers."""
    c, a = 12, 10.3
    top = a**c / math.factorial(c) * c / (c - a)
    direct = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    assert erlang_c(c, a, 1.0) == pytest.approx(direct, rel=1e-12)


def test_erlang_c_does_not_overflow_for_large_systems():
    """Thousands of servers give a probability, not an overflow."""
    p = erlang_c(2000, 1950.0, 1.0)
    assert 0 < p < 1


def test_mm1_wait_is_rho_over_mu_minus_lambda():
    """M/M/1 mean wait in queue is rho / (mu - lam)."""
    lam, mu = 0.8, 1.25
    assert mmc_wait(1, lam, mu) == pytest.approx((lam / mu) / (mu - lam))


def test_more_servers_never_wait_longer():
    """At the same arrival and service rates, adding servers lowers the mean wait."""
    waits = [mmc_wait(c, 2.5, 1.0) for c in range(3, 8)]
    assert all(a > b for a, b in zip(waits, waits[1:]))


def test_wait_tail_starts_at_erlang_c_and_integrates_to_the_mean():
    """P(W > 0) is C(c, a) and the tail integrates to the mean wait."""
    c, lam, mu = 3, 2.5, 1.0
    assert mmc_wait_tail(c, lam, mu, 0) == pytest.approx(erlang_c(c, lam, mu))
    t = np.linspace(0, 80, 80_001)
    tail = np.array([mmc_wait_tail(c, lam, mu, x) for x in t])
    area = float(np.sum((tail[1:] + tail[:-1]) / 2 * np.diff(t)))
    assert area == pytest.approx(mmc_wait(c, lam, mu), rel=1e-6)


def test_wait_quantile_inverts_the_tail():
    """The p-quantile q has P(W > q) = 1 - p, and is 0 when few enough wait."""
    c, lam, mu = 3, 2.5, 1.0
    q = mmc_wait_quantile(c, lam, mu, 0.9)
    assert q == pytest.approx(3.898231, abs=1e-6)
    assert mmc_wait_tail(c, lam, mu, q) == pytest.approx(0.1)
    assert mmc_wait_quantile(c, lam, mu, 0.2) == 0.0


# -------------------------------------------------------------------- priorities
def test_priority_waits_conserve_the_fcfs_mean():
    """The arrival-weighted mean of Cobham's class waits is the FCFS Erlang C wait."""
    c, mu, lams = 3, 1.0, [0.75, 1.0, 0.75]
    waits = priority_waits(c, lams, mu)
    weighted = sum(l * w for l, w in zip(lams, waits)) / sum(lams)
    assert weighted == pytest.approx(mmc_wait(c, sum(lams), mu), rel=1e-12)
    assert waits[0] < mmc_wait(c, sum(lams), mu) < waits[-1]


def test_one_priority_class_is_fcfs():
    """A single class waits the Erlang C mean."""
    assert priority_waits(3, [2.5], 1.0) == [pytest.approx(mmc_wait(3, 2.5, 1.0))]


def test_priority_waits_of_mm1_have_the_closed_form():
    """M/M/1 two classes: W1 = rho / (mu (1 - r1)), W2 = W1 / (1 - rho)."""
    lam1, lam2, mu = 0.3, 0.5, 1.0
    rho = (lam1 + lam2) / mu
    w1, w2 = priority_waits(1, [lam1, lam2], mu)
    assert w1 == pytest.approx(rho / (mu * (1 - lam1 / mu)))
    assert w2 == pytest.approx(w1 / (1 - rho))


def test_mg1_priority_with_exponential_service_is_mm1_priority():
    """Cobham's M/G/1 form with cv 1 equals the M/M/1 class waits."""
    assert mg1_priority_waits([0.3, 0.5], 1.0, 1.0) == pytest.approx(priority_waits(1, [0.3, 0.5], 1.0))


def test_mg1_priority_conserves_the_pk_mean():
    """The arrival-weighted mean of the M/G/1 class waits is the P-K wait."""
    lams = [0.3, 0.5]
    waits = mg1_priority_waits(lams, 0.8, 1.5)
    assert sum(l * w for l, w in zip(lams, waits)) / 0.8 == pytest.approx(mg1_wait(0.8, 0.8, 1.5))


# ------------------------------------------------------------------------- M/G/1
def test_pk_with_exponential_service_is_mm1():
    """Pollaczek-Khinchine with cv 1 is the M/M/1 wait."""
    assert mg1_wait(0.8, 1 / 1.25, 1.0) == pytest.approx(mmc_wait(1, 0.8, 1.25))


def test_pk_with_fixed_service_halves_the_mm1_wait():
    """M/D/1 waits half as long as M/M/1 at the same load."""
    assert mg1_wait(0.5, 1.0, 0.0) == pytest.approx(mmc_wait(1, 0.5, 1.0) / 2)


def test_pk_of_the_textbook_mg1():
    """Lognormal service mean 0.8, cv 1.5 at lam 1 waits 5.2 minutes on average."""
    assert mg1_wait(1.0, 0.8, 1.5) == pytest.approx(5.2)


# ---------------------------------------------------------------------- Erlang A
def test_erlang_a_with_theta_equal_mu_is_poisson():
    """With patience rate = service rate the number inside is Poisson(lam / mu), as in M/M/inf."""
    c, lam, mu = 3, 4.0, 1.0
    res = erlang_a(c, lam, mu, mu)
    n = stats.poisson(lam / mu)
    k = np.arange(c, 200)
    assert res["p_wait"] == pytest.approx(n.sf(c - 1), rel=1e-10)
    assert res["queue_mean"] == pytest.approx(float(np.sum((k - c) * n.pmf(k))), rel=1e-10)
    assert res["p_abandon"] == pytest.approx(mu * res["queue_mean"] / lam)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    """As theta -> 0 in a stable queue Erlang A approaches Erlang C and nobody abandons."""
    c, lam, mu = 3, 2.5, 1.0
    res = erlang_a(c, lam, mu, 1e-7)
    assert res["p_wait"] == pytest.approx(erlang_c(c, lam, mu), rel=1e-5)
    assert res["wait_mean"] == pytest.approx(mmc_wait(c, lam, mu), rel=1e-5)
    assert res["wait_mean_served"] == pytest.approx(mmc_wait(c, lam, mu), rel=1e-5)
    assert res["p_abandon"] < 1e-5


def test_erlang_a_is_stable_beyond_capacity():
    """Overload is fine with abandonment: the excess arrivals abandon."""
    c, lam, mu = 3, 6.0, 1.0
    res = erlang_a(c, lam, mu, 0.1)
    assert res["p_wait"] > 0.99
    # served throughput is at most c·mu, so at least 1 - c·mu/lam abandon
    assert res["p_abandon"] == pytest.approx(1 - c * mu / lam, abs=0.01)
    assert res["p_abandon"] >= 1 - c * mu / lam


def test_erlang_a_served_wait_is_bounded_by_the_wait_of_all():
    """E[W | served] <= E[W] / P(served), and E[W] = E[Q] / lam (Little)."""
    res = erlang_a(3, 3.0, 1.0, 0.1)
    assert 0 < res["wait_mean_served"] < res["wait_mean"] / (1 - res["p_abandon"])
    assert res["wait_mean"] == pytest.approx(res["queue_mean"] / 3.0)


def test_erlang_a_agrees_with_a_naive_product_form():
    """The log-space chain agrees with plain products of birth/death rates (small case)."""
    c, lam, mu, theta = 3, 3.0, 1.0, 0.1
    weights, w = [1.0], 1.0
    for n in range(1, 400):
        w *= lam / (min(n, c) * mu + max(n - c, 0) * theta)
        weights.append(w)
    total = sum(weights)
    eq = sum(max(n - c, 0) * x for n, x in enumerate(weights)) / total
    res = erlang_a(c, lam, mu, theta)
    assert res["queue_mean"] == pytest.approx(eq, rel=1e-12)
    assert res["p_abandon"] == pytest.approx(theta * eq / lam, rel=1e-12)
    assert res["p_wait"] == pytest.approx(sum(weights[c:]) / total, rel=1e-12)


def test_erlang_a_handles_large_systems_without_overflow():
    """Hundreds of servers and a long queue give finite probabilities."""
    res = erlang_a(500, 520.0, 1.0, 0.05)
    assert all(math.isfinite(v) for v in res.values())
    assert 0 < res["p_abandon"] < 1


# -------------------------------------------------------------- distributions cv
@pytest.mark.parametrize(
    "dist, cv",
    [
        (Exponential(dist="exponential", mean=3.0), 1.0),
        (Lognormal(dist="lognormal", mean=0.8, cv=1.5), 1.5),
        (Gamma(dist="gamma", shape=4.0, scale=2.0), 0.5),
        (Fixed(dist="fixed", value=2.0), 0.0),
        (Uniform(dist="uniform", low=0.0, high=2.0), 1 / math.sqrt(3)),
        (Triangular(dist="triangular", low=0.0, mode=0.0, high=1.0), math.sqrt(1 / 18) * 3),
        (Empirical(dist="empirical", values=[1.0, 3.0]), 0.5),
    ],
)
def test_distribution_cv_from_parameters(dist, cv):
    """Each distribution's coefficient of variation follows from its parameters."""
    assert distribution_cv(dist) == pytest.approx(cv)


def test_distribution_cv_agrees_with_samples():
    """The triangular cv formula agrees with a large sample."""
    d = Triangular(dist="triangular", low=2.0, mode=3.0, high=9.0)
    x = d.sample(np.random.default_rng(5), 400_000)
    assert distribution_cv(d) == pytest.approx(x.std() / x.mean(), rel=0.01)


# --------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: erlang_c(0, 1.0, 1.0), r"'c'.*got 0"),
        (lambda: erlang_c(2.5, 1.0, 1.0), r"'c'.*got 2.5"),
        (lambda: erlang_c(True, 0.5, 1.0), r"'c'.*got True"),
        (lambda: erlang_c(2, 0.0, 1.0), r"'lam'.*got 0.0"),
        (lambda: erlang_c(2, 1.0, -1.0), r"'mu'.*got -1.0"),
        (lambda: erlang_c(2, 2.0, 1.0), r"unstable.*rho = .* = 1"),
        (lambda: mmc_wait(3, 3.5, 1.0), r"unstable"),
        (lambda: mmc_wait_tail(3, 2.5, 1.0, -1), r"'t'.*got -1"),
        (lambda: mmc_wait_quantile(3, 2.5, 1.0, 1.0), r"'p'.*got 1.0"),
        (lambda: priority_waits(3, [], 1.0), r"'lams'"),
        (lambda: priority_waits(3, [1.0, -0.5], 1.0), r"'lams.1'.*got -0.5"),
        (lambda: priority_waits(3, [2.0, 1.0], 1.0), r"unstable"),
        (lambda: erlang_a(3, 3.0, 1.0, 0.0), r"'theta'.*got 0.0"),
        (lambda: erlang_a(0, 3.0, 1.0, 0.1), r"'c'.*got 0"),
        (lambda: mg1_wait(1.0, 0.0, 1.0), r"'mean_s'.*got 0.0"),
        (lambda: mg1_wait(1.0, 0.5, -1.0), r"'cv_s'.*got -1.0"),
        (lambda: mg1_wait(1.0, 1.0, 1.0), r"unstable"),
        (lambda: mg1_wait(float("nan"), 1.0, 1.0), r"'lam'.*got nan"),
    ],
)
def test_bad_inputs_raise_naming_the_argument(call, match):
    """Bad arguments raise ValueError naming the argument and the value given."""
    with pytest.raises(ValueError, match=match):
        call()


# ------------------------------------------------------------------- scenarios
def test_textbook_scenarios_load():
    """Every textbook scenario loads and is a continuous, always-staffed run."""
    for name in ("mmc", "mmc_priority", "mmc_abandon", "mg1"):
        s = textbook(name)
        assert s.continuous and s.policies.staffing == "always"


def _row(ref, kpi, group="all"):
    hit = ref[(ref["kpi"] == kpi) & (ref["group"] == group)]
    assert len(hit) == 1, f"expected one row for {kpi}/{group}"
    return float(hit["analytic"].iloc[0])


def test_reference_for_mmc_gives_erlang_c():
    """M/M/3 FCFS: mean wait, p90 and queue length from Erlang C and Little."""
    ref = reference_for(textbook("mmc"))
    assert list(ref.columns) == ["kpi", "group", "analytic", "formula"]
    assert _row(ref, "wait_mean_min") == pytest.approx(mmc_wait(3, 2.5, 1.0))
    assert _row(ref, "wait_mean_min", "elderly") == pytest.approx(mmc_wait(3, 2.5, 1.0))
    assert _row(ref, "wait_p90_min") == pytest.approx(mmc_wait_quantile(3, 2.5, 1.0, 0.9))
    assert _row(ref, "queue_mean") == pytest.approx(2.5 * mmc_wait(3, 2.5, 1.0))


def test_reference_for_priority_gives_cobham_per_class():
    """Priority: elderly and other waits by Cobham, and no FCFS p90."""
    ref = reference_for(textbook("mmc_priority"))
    elderly, other = priority_waits(3, [0.75, 1.75], 1.0)
    assert _row(ref, "wait_mean_min", "elderly") == pytest.approx(elderly)
    assert _row(ref, "wait_mean_min", "other") == pytest.approx(other)
    assert "wait_p90_min" not in set(ref["kpi"])


def test_reference_for_abandonment_gives_erlang_a():
    """Exponential patience: abandonment, served wait and queue length by Erlang A."""
    ref = reference_for(textbook("mmc_abandon"))
    ea = erlang_a(3, 3.0, 1.0, 0.1)
    assert _row(ref, "abandonment_rate") == pytest.approx(ea["p_abandon"])
    assert _row(ref, "wait_mean_min") == pytest.approx(ea["wait_mean_served"])
    assert _row(ref, "queue_mean") == pytest.approx(ea["queue_mean"])


def test_reference_for_mg1_gives_pollaczek_khinchine():
    """One window with lognormal service: the P-K mean wait."""
    ref = reference_for(textbook("mg1"))
    assert _row(ref, "wait_mean_min") == pytest.approx(5.2)
    assert _row(ref, "queue_mean") == pytest.approx(5.2)


@pytest.mark.parametrize(
    "name, overrides",
    [
        ("mmc", {"policies.guide_desk": {"enabled": True}}),
        ("mmc", {"policies.baulk_queue_length": 10}),
        ("mmc", {"policies.patience": {"dist": "fixed", "value": 5}}),
        ("mmc", {"services.consult.elderly_multiplier": 1.5}),
        ("mmc", {"services.consult.missing_docs_prob": 0.1}),
        ("mmc", {"services.consult.window_time": {"dist": "lognormal", "mean": 1.0, "cv": 0.5}}),
        ("mmc", {"demand.arrival_rate_per_min": 3.5}),
        ("mmc", {"windows.2.services": ["other"], "services.other": {"window_time": {"dist": "fixed", "value": 1}}}),
        ("mmc", {"services.consult.devices": ["card_reader"], "devices.shared": {"card_reader": 1}}),
        ("mmc", {"devices.kiosks": {"count": 1, "services": ["consult"]},
                 "services.consult.kiosk_time": {"dist": "fixed", "value": 2}}),
        ("mmc_abandon", {"services.consult.window_time": {"dist": "fixed", "value": 1.0}}),
    ],
)
def test_reference_for_refuses_non_textbook_scenarios(name, overrides):
    """A scenario with any non-textbook feature has no analytic reference."""
    assert reference_for(with_overrides(textbook(name), overrides)) is None


def test_reference_for_refuses_a_day_based_scenario():
    """A scenario of opening days (no continuous horizon) is not a textbook queue."""
    assert reference_for(builders.scenario()) is None
