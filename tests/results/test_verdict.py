"""Headlines, advice and meaningful differences (sim.results.verdict) on small hand-made tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.results import verdict
from sim.results.summary import SLA_COLUMNS


def _sla(*rows) -> pd.DataFrame:
    """SLA rows as (target, kpi, group, limit, mean, verdict)."""
    records = [(t, t, k, g, lim, m, m - 0.1, m + 0.1, v, True) for t, k, g, lim, m, v in rows]
    return pd.DataFrame.from_records(records, columns=list(SLA_COLUMNS))


COUNTY = _sla(
    ("wait_mean_max_min", "wait_mean_min", "all", 15, 0.8, "met"),
    ("wait_p90_max_min", "wait_p90_min", "all", 20, 2.8, "met"),
    ("elderly_wait_p90_max_min", "wait_p90_min", "elderly", 5, 2.5, "met"),
    ("issuance_p90_max_min", "issuance_p90_min", "all", 15, 15.83, "not met"),
    ("abandonment_rate_max", "abandonment_rate", "all", 0.05, 0.002, "met"),
    ("empty_window_max_min", "empty_window_min_per_day", "all", 0, 4.7, "not met"),
)


def _summary(**means) -> pd.DataFrame:
    rows = []
    for key, mean in means.items():
        kpi, _, group = key.partition("__")
        rows.append((kpi, (group or "all").replace("_", ":", 1) if group.startswith(("hour_", "device_")) else group or "all",
                     5, mean, 0.1, 0.1, mean - 0.1, mean + 0.1))
    return pd.DataFrame.from_records(rows, columns=["kpi", "group", "n", "mean", "sd", "half_width", "ci_low", "ci_high"])


def test_headline_counts_targets_met_and_names_each_missed_one_with_value_and_target():
    """The sentence of the issue: met of total, then each target not met with its value and limit."""
    line = verdict.headline("County hall", COUNTY)
    assert line == ("County hall meets 4 of 6 service targets. Not met: on-the-spot issuance p90 15.8 min "
                    "(target 15 min), empty-window minutes 4.7 min a day (target 0 min a day).")


def test_headline_in_chinese_and_when_everything_is_met():
    """Chinese headline uses Chinese words and punctuation; a hall meeting every target says so."""
    zh = verdict.headline("县大厅", COUNTY, "zh")
    assert zh.startswith("县大厅 的 6 项服务目标中 4 项达标。未达标：")
    assert "（目标 15 分钟）" in zh
    ok = COUNTY.assign(verdict="met")
    assert verdict.headline("Hall", ok) == "Hall meets all 6 of its service targets."


def test_headline_leaves_out_targets_without_data_and_lists_uncertain_ones():
    """'no data' rows are not counted; uncertain ones get their own clause asking for replications."""
    sla = COUNTY.copy()
    sla.loc[0, "verdict"] = "no data"
    sla.loc[1, "verdict"] = "uncertain"
    line = verdict.headline("H", sla)
    assert "of 5 service targets" in line
    assert "Uncertain (run more replications): wait p90 2.8 min (target 20 min)." in line
    assert verdict.headline("H", sla.assign(verdict="no data")) == "H has no service target with data to judge."


def test_shares_are_written_as_percentages():
    """Abandonment is a share: value and target in %."""
    row = COUNTY.iloc[4].copy()
    row["mean"] = 0.073
    assert verdict.target_value(row) == "abandonment 7.3 % (target 5 %)"


def test_issuance_miss_with_short_waits_points_at_printers_not_staff():
    """When the wait is a small part of issuance time, the advice is printers / repair time."""
    summary = _summary(wait_p90_min=2.8, device_utilisation__device_printer=0.14, covered_min_per_day=200.0)
    tips = {a.target: a for a in verdict.advice(COUNTY, summary)}
    assert set(tips) == {"issuance_p90_max_min", "empty_window_max_min"}
    assert "printer" in tips["issuance_p90_max_min"].action
    assert "more staff will not move it" in tips["issuance_p90_max_min"].why
    assert "hallsim roster" in tips["empty_window_max_min"].action


def test_issuance_miss_driven_by_waits_points_at_staffing_in_the_hours_that_miss():
    """When the wait dominates, the advice is staffing, in the hours whose p90 wait is over the limit."""
    summary = _summary(wait_p90_min=12.0, wait_p90_min__hour_09=20.0, wait_p90_min__hour_10=18.0,
                       wait_p90_min__hour_11=3.0, wait_p90_min__hour_15=16.0)
    (tip,) = [a for a in verdict.advice(COUNTY, summary) if a.target == "issuance_p90_max_min"]
    assert "09:00–11:00, 15:00–16:00" in tip.action
    assert "hallsim staff" in tip.action


def test_wait_advice_falls_back_to_the_busiest_hours_without_hourly_waits():
    """Without waits by hour, the hours serving at least 80 % of the peak are named."""
    sla = _sla(("wait_p90_max_min", "wait_p90_min", "all", 10, 14.0, "not met"))
    summary = _summary(throughput_per_hour__hour_09=30.0, throughput_per_hour__hour_10=26.0,
                       throughput_per_hour__hour_14=10.0)
    (tip,) = verdict.advice(sla, summary)
    assert "09:00–11:00" in tip.action and "14:00" not in tip.action


def test_uncertain_target_advice_asks_for_more_replications_and_met_targets_get_none():
    """Advice covers not met and uncertain targets only; an uncertain one says to run more."""
    sla = COUNTY.assign(verdict="met")
    assert verdict.advice(sla, _summary()) == []
    sla.loc[2, "verdict"] = "uncertain"
    (tip,) = verdict.advice(sla, _summary(wait_p90_min__other=2.0))
    assert tip.target == "elderly_wait_p90_max_min"
    assert "--reps auto" in tip.action and "green_channel" in tip.action
    (tip,) = verdict.advice(sla, _summary(wait_p90_min__other=3.0))  # the elderly already wait less
    assert "green_channel" not in tip.action and "Staff more windows" in tip.action


@pytest.mark.parametrize("kpi, d, low, high, expected", [
    ("wait_mean_min", 0.8, 0.5, 1.1, True),        # clear of noise and ≥ 0.5 min
    ("wait_mean_min", 0.3, 0.1, 0.5, False),       # clear of noise but below 0.5 min
    ("wait_mean_min", 0.9, -0.1, 1.9, False),      # large but within noise
    ("abandonment_rate", 0.012, 0.011, 0.013, True),  # 1.2 percentage points
    ("abandonment_rate", 0.004, 0.003, 0.005, False),
    ("window_utilisation", -0.0, -0.0, -0.0, False),
    ("visitors_per_day", math.nan, math.nan, math.nan, False),
])
def test_a_difference_is_meaningful_only_when_clear_of_noise_and_above_the_practical_threshold(kpi, d, low, high,
                                                                                               expected):
    """is_meaningful holds both conditions of the module docstring."""
    assert verdict.is_meaningful(kpi, d, low, high) is expected


def test_change_words_never_show_noise_and_use_percentage_points_for_shares():
    """No '−0.00 [−0.00, −0.00]': within noise reads 'no meaningful change'; shares in pp."""
    assert verdict.change_word("window_utilisation", -0.0, -0.0, -0.0) == "no meaningful change"
    assert verdict.change_word("window_utilisation", -0.052, -0.06, -0.04) == "−5.2 pp"
    assert verdict.change_word("wait_p90_min", 0.84, 0.6, 1.1) == "+0.8 min"


def _comparison(diff_p90_elderly, low, high):
    rows = [("base", "wait_p90_min", "elderly", 2.5, 0.0, 0.0, 0.0),
            ("no green", "wait_p90_min", "elderly", 2.5 + diff_p90_elderly, diff_p90_elderly, low, high),
            ("base", "wait_mean_min", "all", 0.8, 0.0, 0.0, 0.0),
            ("no green", "wait_mean_min", "all", 0.8, 0.0, -0.01, 0.01)]
    return pd.DataFrame([dict(scenario=s, kpi=k, group=g, n=10, mean=m, ci_low=m, ci_high=m, diff_mean=d,
                              diff_low=lo, diff_high=hi, unpaired_half_width=0.1) for s, k, g, m, d, lo, hi in rows])


ROWS = [("wait_p90_min", "elderly", "90th percentile wait, elderly (min)"), ("wait_mean_min", "all", "mean wait (min)")]


def test_comparison_headline_names_meaningful_differences_and_no_target_change():
    """'X against base: no target changes; <kpi> +0.8 min.'"""
    sla = pd.concat([COUNTY.assign(scenario="base"), COUNTY.assign(scenario="no green")])
    (line,) = verdict.comparison_headline(_comparison(0.8, 0.5, 1.1), sla, ROWS)
    assert line == "no green against base: no target changes; 90th percentile wait, elderly +0.8 min."


def test_a_verdict_that_flips_within_noise_is_not_reported_as_a_change():
    """Verdicts met / uncertain on values that differ only by noise: not a target change."""
    other = COUNTY.copy()
    other.loc[2, "verdict"] = "uncertain"
    sla = pd.concat([COUNTY.assign(scenario="base"), other.assign(scenario="no green")])
    (line,) = verdict.comparison_headline(_comparison(0.2, -0.1, 0.5), sla, ROWS)
    assert line == "no green against base: no target changes; no other meaningful difference."


def test_a_verdict_that_flips_with_a_meaningful_difference_is_named():
    """Met → not met with a clear, large difference is named with both verdicts."""
    other = COUNTY.copy()
    other.loc[2, ["verdict", "mean"]] = ["not met", 6.0]
    sla = pd.concat([COUNTY.assign(scenario="base"), other.assign(scenario="no green")])
    (line,) = verdict.comparison_headline(_comparison(3.5, 3.0, 4.0), sla, ROWS)
    assert line.startswith("no green against base: elderly wait p90 met → not met; ")


def test_verdicts_that_differ_by_noise_get_the_baseline_word_and_are_marked():
    """consistent_verdicts: 'uncertain' beside a baseline 'met' with a noise-sized difference
    shows 'met' (as_baseline True); a meaningful difference keeps its own verdict."""
    other = COUNTY.copy()
    other.loc[2, "verdict"] = "uncertain"
    sla = pd.concat([COUNTY.assign(scenario="base"), other.assign(scenario="no green")], ignore_index=True)
    noisy = verdict.consistent_verdicts(sla, _comparison(0.2, -0.1, 0.5))
    row = noisy[(noisy["scenario"] == "no green") & (noisy["target"] == "elderly_wait_p90_max_min")].iloc[0]
    assert (row["verdict"], row["shown"], row["as_baseline"]) == ("uncertain", "met", True)
    clear = verdict.consistent_verdicts(sla, _comparison(3.5, 3.0, 4.0))
    row = clear[(clear["scenario"] == "no green") & (clear["target"] == "elderly_wait_p90_max_min")].iloc[0]
    assert (row["shown"], row["as_baseline"]) == ("uncertain", False)
    assert not clear[clear["scenario"] == "base"]["as_baseline"].any()


def test_helper_wait_miss_points_at_the_helper_post():
    """A missed wait for a helper is advised as another person on the helper post (or going
    on alone sooner), with the helpers' utilisation, in both languages — not as window staffing."""
    sla = _sla(("helper_wait_p90_max_min", "helper_wait_p90_min", "all", 5, 9.0, "not met"))
    (tip,) = verdict.advice(sla, _summary(helper_utilisation=0.82))
    assert "9.0 min" in tip.why and "82 %" in tip.why
    assert "a_post: helper" in tip.action and "hallsim staff" not in tip.action
    (zh,) = verdict.advice(sla, _summary(helper_utilisation=0.82), "zh")
    assert "陪办" in zh.why and "陪办岗" in zh.action
