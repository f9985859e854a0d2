"""Textbook queueing formulas, and the values they give for a textbook-like scenario.

A scenario whose hall is a plain queue (always staffed windows that all serve the same
services, Poisson arrivals, no guide desk, kiosks, documents or baulking) can be checked
against theory. This module holds the formulas; :func:`reference_for` picks the ones
that apply to a scenario and returns the KPI values they predict. It knows nothing of
SimPy and only reads the scenario.

Units: rates (``lam``, ``mu``, ``theta``) are per unit of time and waits come back in
the same unit; with rates per minute, as in a scenario, waits are in minutes. Queue
lengths and probabilities have no unit.

References:

- A. K. Erlang (1917); any queueing text, e.g. Gross, Shortle, Thompson & Harris,
  *Fundamentals of Queueing Theory*, 4th ed. (2008), §2.3 (M/M/c, Erlang C and the
  waiting-time distribution).
- A. Cobham, "Priority assignment in waiting line problems", *Operations Research* 2
  (1954) 70–76 (non-preemptive priority classes; M/M/c with equal service rates as in
  Gross et al. §3.4.2).
- C. Palm (1943); O. Garnett, A. Mandelbaum & M. Reiman, "Designing a call center with
  impatient customers", *M&SOM* 4 (2002) 208–227 (Erlang A, M/M/c+M).
- F. Pollaczek (1930), A. Khinchine (1932); Gross et al. §5.1.1 (M/G/1 mean wait).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.scenario.distributions import Empirical, Exponential, Fixed, Gamma, Lognormal, Triangular, Uniform

__all__ = [
    "erlang_b",
    "erlang_c",
    "mmc_wait",
    "mmc_wait_tail",
    "mmc_wait_quantile",
    "priority_waits",
    "mg1_priority_waits",
    "erlang_a",
    "mg1_wait",
    "distribution_cv",
    "reference_for",
    "REFERENCE_COLUMNS",
]

REFERENCE_COLUMNS = {
    "kpi": "KPI key (see sim.kpis.KPIS)",
    "group": "KPI group (all, elderly, other)",
    "analytic": "the value theory gives, in the KPI's unit",
    "formula": "the formula that gave it",
}

_TAIL_LOG = 46.0
"""The birth-death chain of :func:`erlang_a` is cut where the log-probability of a state
has fallen this far below the largest (e^-46 ≈ 1e-20, below double precision)."""

_MAX_STATES = 1 << 24
"""Refuse chains longer than this (about 16 million states, a few hundred MB)."""


# ----------------------------------------------------------------------- checks
def _check_servers(c) -> int:
    if isinstance(c, bool) or not float(c).is_integer() or c < 1:
        raise ValueError(f"'c' (number of servers) must be an integer >= 1 (got {c!r})")
    return int(c)


def _check_rate(name: str, value) -> float:
    v = float(value)
    if not v > 0 or not math.isfinite(v):
        raise ValueError(f"{name!r} must be a finite rate > 0 (got {value!r})")
    return v


def _check_stable(c: int, lam: float, mu: float) -> float:
    rho = lam / (c * mu)
    if rho >= 1:
        raise ValueError(
            f"the queue is unstable: 'lam' / ('c' * 'mu') must be < 1 "
            f"(got rho = {lam:g} / ({c} * {mu:g}) = {rho:.6g})"
        )
    return rho


# ---------------------------------------------------------------------- M/M/c
def erlang_b(c, a) -> float:
    """Erlang B: the probability that all ``c`` servers are busy in M/M/c/c (blocking)
    with offered load ``a`` = lam / mu (erlangs), by the stable recursion
    B(k) = a·B(k-1) / (k + a·B(k-1))."""
    c = _check_servers(c)
    a = _check_rate("a", a)
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c, lam, mu) -> float:
    """Erlang C: the probability that an arrival to M/M/c has to wait (all ``c``
    servers busy), for arrival rate ``lam`` and service rate ``mu`` per server.
    Needs rho = lam / (c·mu) < 1. Gross et al. (2008) eq. 2.37."""
    c = _check_servers(c)
    lam, mu = _check_rate("lam", lam), _check_rate("mu", mu)
    rho = _check_stable(c, lam, mu)
    b = erlang_b(c, lam / mu)
    return b / (1.0 - rho * (1.0 - b))


def mmc_wait(c, lam, mu) -> float:
    """Mean wait in queue Wq of M/M/c, FCFS or any order that does not look at service
    times: C(c, a) / (c·mu - lam), in the time unit of the rates (minutes when they
    are per minute)."""
    return erlang_c(c, lam, mu) / (c * float(mu) - float(lam))


def mmc_wait_tail(c, lam, mu, t) -> float:
    """P(Wq > t) in M/M/c under FCFS: C(c, a) · exp(-(c·mu - lam)·t) for ``t`` >= 0
    (in the time unit of the rates)."""
    t = float(t)
    if not t >= 0:
        raise ValueError(f"'t' must be >= 0 (got {t!r})")
    return erlang_c(c, lam, mu) * math.exp(-(c * float(mu) - float(lam)) * t)


def mmc_wait_quantile(c, lam, mu, p) -> float:
    """The ``p``-quantile of the FCFS wait in queue of M/M/c (0 when at least a share
    ``p`` of arrivals does not wait), in the time unit of the rates."""
    p = float(p)
    if not 0 <= p < 1:
        raise ValueError(f"'p' must be a probability in [0, 1) (got {p!r})")
    pw = erlang_c(c, lam, mu)
    if 1 - p >= pw:
        return 0.0
    return math.log(pw / (1 - p)) / (c * float(mu) - float(lam))


def priority_waits(c, lams, mu) -> list[float]:
    """Mean waits in queue of each class of M/M/c with non-preemptive priority classes
    (``lams`` per class, highest priority first) and the same service rate ``mu``:
    W_k = C(c, a) / (c·mu·(1 - sigma_{k-1})·(1 - sigma_k)),
    sigma_k = sum_{i<=k} lam_i / (c·mu) (Cobham 1954). In the time unit of the rates."""
    c = _check_servers(c)
    mu = _check_rate("mu", mu)
    lams = _check_classes(lams)
    pw = erlang_c(c, sum(lams), mu)
    return _cobham(lams, c * mu, pw / (c * mu))


def mg1_priority_waits(lams, mean_s, cv_s) -> list[float]:
    """Mean waits in queue of each class of M/G/1 with non-preemptive priority classes
    (``lams`` per class, highest priority first) that share one service distribution of
    mean ``mean_s`` and coefficient of variation ``cv_s``:
    W_k = W0 / ((1 - sigma_{k-1})·(1 - sigma_k)), W0 = lam·E[S²] / 2 (Cobham 1954)."""
    lams = _check_classes(lams)
    mean_s, cv_s = _check_service(mean_s, cv_s)
    lam = sum(lams)
    _check_stable(1, lam, 1.0 / mean_s)
    w0 = lam * mean_s**2 * (1 + cv_s**2) / 2
    return _cobham(lams, 1.0 / mean_s, w0)


def _check_classes(lams) -> list[float]:
    lams = [float(x) for x in lams]
    if not lams:
        raise ValueError("'lams' must list the arrival rate of at least one class (got [])")
    for i, x in enumerate(lams):
        if not x > 0 or not math.isfinite(x):
            raise ValueError(f"'lams.{i}' must be a finite rate > 0 (got {x!r})")
    return lams


def _cobham(lams: list[float], capacity: float, w0: float) -> list[float]:
    out, before = [], 0.0
    for lam in lams:
        after = before + lam / capacity
        out.append(w0 / ((1 - before) * (1 - after)))
        before = after
    return out


# -------------------------------------------------------------------- Erlang A
def erlang_a(c, lam, mu, theta) -> dict[str, float]:
    """M/M/c+M (Erlang A): ``c`` servers of rate ``mu``, Poisson arrivals ``lam`` and
    exponential patience of rate ``theta`` (mean patience 1/theta), FCFS.

    Solved exactly on the birth-death chain of the number in system (birth rate lam,
    death rate min(n, c)·mu + max(n - c, 0)·theta), in logs, cut where the tail is
    below double precision. Stable for every load. Returns:

    - ``p_wait``: share of arrivals that find all servers busy (PASTA);
    - ``p_abandon``: share of arrivals that abandon, theta·E[Q] / lam;
    - ``wait_mean``: mean time in queue of all arrivals, abandoners included, E[Q] / lam;
    - ``wait_mean_served``: mean wait of the arrivals that are served (FCFS: a tagged
      arrival at queue position k moves up at rate c·mu + (k-1)·theta and abandons at
      rate theta);
    - ``queue_mean``: E[Q], the mean number waiting;
    - ``states``: the number of states kept.

    Waits are in the time unit of the rates.
    """
    c = _check_servers(c)
    lam, mu, theta = _check_rate("lam", lam), _check_rate("mu", mu), _check_rate("theta", theta)
    # The log-terms rise while lam exceeds the death rate, then fall ever faster.
    n = c + int(max(0.0, lam - c * mu) / theta) + 64
    while True:
        k = np.arange(1, n + 1, dtype=float)
        death = np.minimum(k, c) * mu + np.maximum(k - c, 0.0) * theta
        logp = np.concatenate(([0.0], np.cumsum(math.log(lam) - np.log(death))))
        top = logp.max()
        if logp[-1] < top - _TAIL_LOG and lam < death[-1]:
            break
        if n > _MAX_STATES:
            raise ValueError(
                f"'theta' is too small for this load: the chain needs more than {_MAX_STATES} "
                f"states (got theta={theta!r} with lam={lam!r}, c={c}, mu={mu!r})"
            )
        n *= 2
    p = np.exp(logp - top)
    p /= p.sum()
    states = np.arange(n + 1)
    queue = np.maximum(states - c, 0)
    eq = float(np.sum(queue * p))
    # served-wait of an arrival that finds n >= c in system: it joins at position j = n - c + 1
    j = np.arange(1, n - c + 2, dtype=float)
    rate = c * mu + j * theta
    s_j = np.cumprod((c * mu + (j - 1) * theta) / rate)  # P(served | joined at position j)
    t_j = np.cumsum(1.0 / rate)  # mean wait given served (competing exponentials)
    pq = p[c:]
    p_served = float(p[:c].sum() + np.sum(pq * s_j))
    return {
        "p_wait": float(pq.sum()),
        "p_abandon": theta * eq / lam,
        "wait_mean": eq / lam,
        "wait_mean_served": float(np.sum(pq * s_j * t_j)) / p_served,
        "queue_mean": eq,
        "states": n + 1,
    }


# ----------------------------------------------------------------------- M/G/1
def _check_service(mean_s, cv_s) -> tuple[float, float]:
    mean_s = float(mean_s)
    if not mean_s > 0 or not math.isfinite(mean_s):
        raise ValueError(f"'mean_s' (mean service time) must be > 0 (got {mean_s!r})")
    cv_s = float(cv_s)
    if not cv_s >= 0 or not math.isfinite(cv_s):
        raise ValueError(f"'cv_s' (coefficient of variation) must be >= 0 (got {cv_s!r})")
    return mean_s, cv_s


def mg1_wait(lam, mean_s, cv_s) -> float:
    """Pollaczek–Khinchine mean wait in queue of M/G/1:
    Wq = lam·E[S²] / (2·(1 - rho)), E[S²] = mean_s²·(1 + cv_s²), rho = lam·mean_s.
    ``mean_s`` is the mean service time (minutes when ``lam`` is per minute), ``cv_s``
    its coefficient of variation (sd / mean)."""
    lam = _check_rate("lam", lam)
    mean_s, cv_s = _check_service(mean_s, cv_s)
    rho = _check_stable(1, lam, 1.0 / mean_s)
    return lam * mean_s**2 * (1 + cv_s**2) / (2 * (1 - rho))


# --------------------------------------------------------------- distributions
def distribution_cv(dist) -> float:
    """The coefficient of variation (sd / mean) of a :mod:`sim.distributions` value,
    from its parameters; NaN when its mean is 0."""
    mean = float(dist.mean)
    if isinstance(dist, Exponential):
        return 1.0
    if isinstance(dist, Lognormal):
        return float(dist.cv)
    if isinstance(dist, Gamma):
        return 1.0 / math.sqrt(dist.shape)
    if mean <= 0:
        return math.nan
    if isinstance(dist, Fixed):
        return 0.0
    if isinstance(dist, Uniform):
        return (dist.high - dist.low) / math.sqrt(12) / mean
    if isinstance(dist, Triangular):
        a, m, b = dist.low, dist.mode, dist.high
        return math.sqrt((a * a + m * m + b * b - a * m - a * b - m * b) / 18) / mean
    if isinstance(dist, Empirical):
        return float(np.std(np.asarray(dist.values, dtype=float))) / mean  # resampling: ddof 0
    raise TypeError(f"no coefficient of variation known for {type(dist).__name__}")


# ------------------------------------------------------------------- scenarios
def _textbook_shape(s):
    """(c, lam, service distribution) when the scenario is a plain queue, else None."""
    if not s.continuous or s.policies.staffing != "always" or s.demand.arrival_rate_per_min is None:
        return None
    pol = s.policies
    if pol.guide_desk.enabled or pol.baulk_queue_length is not None or pol.green_channel.mode == "dedicated":
        return None
    if pol.patience is not None and not isinstance(pol.patience, Exponential):
        return None
    mix = [k for k, w in s.demand.service_mix.items() if w > 0]
    specs = [s.services[k] for k in mix]
    if not specs or any(
        sp.elderly_multiplier != 1 or sp.instant_issue or sp.missing_docs_prob > 0 for sp in specs
    ):
        return None
    if any(sp.window_time != specs[0].window_time for sp in specs):
        return None
    if s.devices.kiosks.count > 0 and set(mix) & set(s.devices.kiosks.services):
        return None
    for w in s.windows:
        if not set(mix) <= set(w.services):
            return None
        if any(d not in w.devices for sp in specs for d in sp.devices):
            return None  # the window would borrow a shared device: a second queue
    if not specs[0].window_time.mean > 0:
        return None
    return len(s.windows), float(s.demand.arrival_rate_per_min), specs[0].window_time


def reference_for(scenario) -> pd.DataFrame | None:
    """The KPI values queueing theory gives for ``scenario``, or None when it is not
    close enough to a textbook queue.

    A textbook scenario has a continuous horizon, ``staffing: always``, a flat
    ``arrival_rate_per_min``, windows that each serve every service in the mix (all with
    the same ``window_time``, ``elderly_multiplier`` 1, no instant issue, no missing
    documents, no shared devices to borrow), no guide desk, no kiosk use, no baulking,
    and patience None or exponential. Rows (columns :data:`REFERENCE_COLUMNS`):

    - M/M/c (exponential service, no patience): ``wait_mean_min`` by Erlang C for
      ``all``, and for ``elderly`` / ``other`` (Cobham under ``priority``, the same as
      ``all`` under ``none``); ``wait_p90_min`` when service is first come first served;
      ``queue_mean`` = lam·Wq (Little).
    - M/G/1 (one window, other service distributions, no patience): the same means by
      Pollaczek–Khinchine (and Cobham's M/G/1 form under ``priority``).
    - M/M/c+M (exponential patience and service): ``abandonment_rate`` and
      ``queue_mean`` by Erlang A (the same under any calling order); ``wait_mean_min``
      (served visits, the KPI's definition) when service is first come first served.

    Unstable queues without patience (rho >= 1) have no steady state: None.
    """
    shape = _textbook_shape(scenario)
    if shape is None:
        return None
    c, lam, dist = shape
    mu = 1.0 / float(dist.mean)
    exp_service = isinstance(dist, Exponential)
    mode = scenario.policies.green_channel.mode
    share = float(scenario.demand.elderly_share)
    classes = mode == "priority" and 0 < share < 1
    fcfs = not classes
    rows: list[tuple[str, str, float, str]] = []

    patience = scenario.policies.patience
    if patience is not None:
        if not exp_service:
            return None
        ea = erlang_a(c, lam, mu, 1.0 / float(patience.mean))
        rows.append(("abandonment_rate", "all", ea["p_abandon"], f"Erlang A (M/M/{c}+M)"))
        if fcfs:
            rows.append(("wait_mean_min", "all", ea["wait_mean_served"], f"Erlang A (M/M/{c}+M), served visits"))
        rows.append(("queue_mean", "all", ea["queue_mean"], f"Erlang A (M/M/{c}+M)"))
        return pd.DataFrame.from_records(rows, columns=list(REFERENCE_COLUMNS))

    if lam / (c * mu) >= 1:
        return None
    if exp_service:
        wq = mmc_wait(c, lam, mu)
        name = f"Erlang C (M/M/{c})"
        per_class = (lambda lams: priority_waits(c, lams, mu), f"Cobham (M/M/{c}, 2 priority classes)")
    elif c == 1:
        cv = distribution_cv(dist)
        wq = mg1_wait(lam, dist.mean, cv)
        name = "Pollaczek-Khinchine (M/G/1)"
        per_class = (lambda lams: mg1_priority_waits(lams, dist.mean, cv), "Cobham (M/G/1, 2 priority classes)")
    else:
        return None
    rows.append(("wait_mean_min", "all", wq, name))
    if classes:
        elderly, other = per_class[0]([lam * share, lam * (1 - share)])
        rows += [("wait_mean_min", "elderly", elderly, per_class[1]),
                 ("wait_mean_min", "other", other, per_class[1])]
    elif 0 < share < 1:
        rows += [("wait_mean_min", g, wq, f"{name}, first come first served") for g in ("elderly", "other")]
    if exp_service and fcfs:
        rows.append(("wait_p90_min", "all", mmc_wait_quantile(c, lam, mu, 0.9), name))
    rows.append(("queue_mean", "all", lam * wq, f"Little's law with {name}"))
    return pd.DataFrame.from_records(rows, columns=list(REFERENCE_COLUMNS))
