"""sim.results.summary: t intervals over replications, clipping to a KPI's range, SLA verdicts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.scenario.schema import Sla
from sim.results.summary import judge_sla, summarise, t_interval


def kpis(kpi: str, values: list[float], group: str = "all") -> pd.DataFrame:
    return pd.DataFrame({"replication": range(len(values)), "kpi": kpi, "group": group, "value": values})


def test_t_interval_matches_the_textbook_formula():
    """Half-width = t(0.975, n-1) * sd / sqrt(n): for 1, 2, 3 it is 4.303 * 1 / sqrt(3)."""
    mean, sd, hw = t_interval([1.0, 2.0, 3.0])
    assert (mean, sd) == (2.0, 1.0)
    assert hw == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6)


def test_one_replication_has_no_interval():
    """With one replication the interval is unknown (NaN), not clipped to [0, 1]."""
    row = summarise(kpis("abandonment_rate", [0.02])).iloc[0]
    assert row["mean"] == 0.02
    assert math.isnan(row["half_width"]) and math.isnan(row["ci_low"]) and math.isnan(row["ci_high"])


def test_intervals_are_clipped_to_the_kpi_range():
    """A share's interval stays inside [0, 1] and a wait's lower end is not negative;
    the half-width is the unclipped one."""
    share = summarise(kpis("abandonment_rate", [0.0, 0.0, 0.9])).iloc[0]
    assert share["ci_low"] == 0.0 and share["ci_high"] == 1.0
    assert share["half_width"] > 1.0
    wait = summarise(kpis("wait_mean_min", [0.0, 0.1, 30.0])).iloc[0]
    assert wait["ci_low"] == 0.0 and wait["ci_high"] == pytest.approx(wait["mean"] + wait["half_width"])


def test_verdicts_use_the_interval():
    """met when the whole interval is within the limit, not met when it is all beyond,
    uncertain when it straddles; one replication is judged on its mean, not confident."""
    sla = Sla(wait_mean_max_min=10, wait_p90_max_min=None, elderly_wait_p90_max_min=None,
              issuance_p90_max_min=None, abandonment_rate_max=None, empty_window_max_min=None)
    for values, verdict in (([4.0, 5.0, 6.0], "met"), ([14.0, 15.0, 16.0], "not met"),
                            ([5.0, 10.0, 15.0], "uncertain")):
        row = judge_sla(sla, summarise(kpis("wait_mean_min", values))).iloc[0]
        assert row["verdict"] == verdict, values
        assert bool(row["confident"])
    single = judge_sla(sla, summarise(kpis("wait_mean_min", [4.0]))).iloc[0]
    assert single["verdict"] == "met" and not bool(single["confident"])
