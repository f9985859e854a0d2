"""Direction tests on common random numbers, determinism and stream independence.

Cross-cutting (several layers at once), so it stays at the tests/ top level rather than in one layer's folder.
"""

import numpy as np
import pandas as pd
import pytest

from builders import scenario
from sim import simulate


def hall(windows, **kw):
    wins = [{"id": f"W{i}", "services": ["consult"]} for i in range(windows)]
    base = dict(
        windows=wins,
        demand={"visitors_per_day": 100, "service_mix": {"consult": 1},
                "hourly_profile": {"09:00": 2.0, "10:00": 1.0}},
        services={"consult": {"window_time": {"dist": "lognormal", "mean": 4, "cv": 0.8}}},
        run={"days": 2},
    )
    base.update(kw)
    return scenario(**base)


def test_one_more_window_never_raises_the_mean_wait():
    """Under FCFS with common random numbers, adding a window lowers or keeps every replication's mean wait."""
    for c in (1, 2, 3):
        few = simulate(hall(c), seed=11, reps=8).kpis
        more = simulate(hall(c + 1), seed=11, reps=8).kpis
        pick = lambda k: k[(k.kpi == "wait_mean_min") & (k.group == "all")].set_index("replication")["value"]  # noqa: E731
        assert (pick(more) <= pick(few) + 1e-9).all(), c


def test_ample_windows_mean_no_waiting():
    """With far more windows than visitors in the hall at once, nobody waits."""
    res = simulate(hall(60), seed=3, reps=3)
    called = res.visits[res.visits.call_min.notna()]
    assert len(called) > 100 and (called.wait_min == 0).all()


def test_more_demand_raises_waits():
    """Doubling the daily visitors raises the mean wait on common random numbers (summed over reps)."""
    low = simulate(hall(2), seed=5, reps=6).kpi("wait_mean_min").mean
    s = hall(2)
    high_s = s.model_copy(update={"demand": s.demand.model_copy(update={"visitors_per_day": 200})})
    assert simulate(high_s, seed=5, reps=6).kpi("wait_mean_min").mean > low


def test_same_seed_same_tables():
    """The same scenario and seed give identical tables; another seed gives other arrivals."""
    a = simulate(hall(2), seed=7, reps=2)
    b = simulate(hall(2), seed=7, reps=2)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    pd.testing.assert_frame_equal(a.summary, b.summary)
    c = simulate(hall(2), seed=8, reps=2)
    assert not np.array_equal(a.visits.arrival_min.to_numpy(), c.visits.arrival_min.to_numpy())


def test_replication_streams_do_not_depend_on_the_number_of_replications():
    """Replication 1 is the same whether 2 or 4 replications run (streams are keyed by replication)."""
    a = simulate(hall(2), seed=9, reps=2).visits
    b = simulate(hall(2), seed=9, reps=4).visits
    pd.testing.assert_frame_equal(a[a.replication == 1].reset_index(drop=True),
                                  b[b.replication == 1].reset_index(drop=True))


def test_common_random_numbers_across_scenarios():
    """Two scenarios that differ only in windows meet the same visitors with the same service times."""
    a = simulate(hall(2), seed=4, reps=2).visits
    b = simulate(hall(3), seed=4, reps=2).visits
    cols = ["replication", "arrival_min", "service", "elderly"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    served = lambda v: (v.service_end_min - v.service_start_min).to_numpy()  # noqa: E731
    assert np.allclose(served(a), served(b), equal_nan=True)


def test_bad_reps_and_seed_are_refused():
    """reps < 1 and a negative seed raise ValueError naming the value."""
    with pytest.raises(ValueError, match="reps"):
        simulate(hall(1), reps=0)
    with pytest.raises(ValueError, match="seed"):
        simulate(hall(1), seed=-1, reps=1)
