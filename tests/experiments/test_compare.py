"""Comparing scenarios: paired differences on common random numbers."""

import pytest

from builders import scenario
from sim.experiments.compare import compare


def hall(windows, mean=4.0):
    return scenario(
        windows=[{"id": f"W{i}", "services": ["consult"]} for i in range(windows)],
        demand={"visitors_per_day": 70, "service_mix": {"consult": 1}, "hourly_profile": {"09:00": 2, "10:00": 1}},
        services={"consult": {"window_time": {"dist": "lognormal", "mean": mean, "cv": 0.8}}},
        run={"days": 1},
    )


@pytest.fixture(scope="module")
def slower():
    """The same hall with service 10 % slower: a designed case where pairing pays."""
    return compare([hall(2), hall(2, mean=4.4)], names=["base", "slower"], seed=5, reps=12, workers=1)


def row(cmp, name, kpi="wait_mean_min", group="all"):
    t = cmp.table
    return t[(t.scenario == name) & (t.kpi == kpi) & (t.group == group)].iloc[0]


def test_paired_interval_is_narrower_than_unpaired(slower):
    """Common random numbers make the paired difference's interval narrower than the Welch one."""
    r = row(slower, "slower")
    paired = (r.diff_high - r.diff_low) / 2
    assert paired < 0.5 * r.unpaired_half_width
    assert r.diff_low > 0  # slower service: waits are longer, and the paired interval shows it


def test_baseline_difference_is_zero(slower):
    """The baseline's difference against itself is exactly 0."""
    r = row(slower, "base")
    assert (r.diff_mean, r.diff_low, r.diff_high) == (0.0, 0.0, 0.0)


def test_difference_equals_difference_of_means(slower):
    """The mean paired difference equals the difference of the two means."""
    assert row(slower, "slower").diff_mean == pytest.approx(row(slower, "slower")["mean"] - row(slower, "base")["mean"])


def test_sla_side_by_side(slower):
    """The SLA table has each target once per scenario."""
    counts = slower.sla.groupby("target")["scenario"].apply(list)
    assert all(v == ["base", "slower"] for v in counts)


def test_compare_needs_two_scenarios():
    """A single scenario is refused with a clear message."""
    with pytest.raises(ValueError, match="at least 2"):
        compare([hall(1)])


def test_compare_on_pool_equals_serial(slower):
    """The comparison table is the same on two worker processes."""
    import pandas as pd

    again = compare([hall(2), hall(2, mean=4.4)], names=["base", "slower"], seed=5, reps=12, workers=2, tables=False)
    pd.testing.assert_frame_equal(slower.table, again.table)
