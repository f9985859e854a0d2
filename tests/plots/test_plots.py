"""Figures of sim.plots: Figure objects without pyplot state, non-blank in both languages,
correct numbers behind the drawings, a CJK font or a warning naming the package."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from types import SimpleNamespace

import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import builders
import sim
from sim import plots
from sim.plots import hall as hall_plots
from sim.plots import style

ROSTER = Path(__file__).resolve().parents[1] / "backtest" / "small_roster.yaml"


@pytest.fixture(scope="module")
def results():
    """Two small roster halls (A/B posts, breaks, guide desk, instant printer), compared on
    common random numbers: 2 replications of one day."""
    base = sim.with_overrides(sim.load_scenario(ROSTER), {"run.days": 1})
    other = sim.with_overrides(base, {"policies.green_channel.mode": "none"})
    cmp = sim.compare([base, other], names=["green", "no green"], reps=2, tables=True)
    return dict(zip(cmp.names, cmp.results))


def _variance(fig: Figure) -> float:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    buf.seek(0)
    return float(matplotlib.image.imread(buf, format="png")[..., :3].mean(axis=2).var())


def _all_figures(results, lang):
    one = results["green"]
    return {
        "queue_through_day": plots.queue_through_day(results, lang=lang),
        "wait_cdf": plots.wait_cdf(results, 20, lang=lang),
        "waits_by_hour": plots.waits_by_hour(results, 20, lang=lang),
        "elderly_vs_others": plots.elderly_vs_others(results, lang=lang),
        "utilisation": plots.utilisation(results, lang=lang),
        "utilisation_heatmap": plots.utilisation_heatmap(one, lang=lang),
        "day_timeline": plots.day_timeline(one, 1, 0, lang=lang),
        "issuance_times": plots.issuance_times(results, 15, lang=lang),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_figure_is_a_nonblank_figure_without_pyplot_state(results, lang):
    """Each figure function returns a matplotlib Figure that draws to a PNG with pixel
    variance, and none of them opens a pyplot figure."""
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    figures = _all_figures(results, lang)
    assert plt.get_fignums() == before
    for name, fig in figures.items():
        assert isinstance(fig, Figure), name
        assert _variance(fig) > 0.005, name


def test_chinese_figures_use_chinese_labels_and_a_cjk_font(results):
    """With lang="zh" titles and axis labels are the Chinese texts and every text falls
    back to the installed CJK font."""
    fig = plots.queue_through_day(results, lang="zh")
    ax = fig.axes[0]
    assert ax.get_title() == sim.results.labels.text("fig.queue.title", "zh")
    assert ax.get_ylabel() == sim.results.labels.text("fig.queue.y", "zh")
    cjk = style.cjk_font("zh")
    if cjk is None:
        pytest.skip("no CJK font installed")
    assert cjk in ax.title.get_fontfamily()
    assert all(cjk in t.get_fontfamily() for t in ax.get_xticklabels())


def test_a_cjk_font_installed_after_the_font_cache_is_found(monkeypatch):
    """A font cache built before the CJK font was installed (a stale cache) does not hide it:
    the system's font list is consulted and the font added."""
    from matplotlib import font_manager

    on_system = [p for p in font_manager.findSystemFonts() if "CJK" in p or "WenQuanYi" in p]
    if not on_system:
        pytest.skip("no CJK font file on this system")
    stale = [f for f in font_manager.fontManager.ttflist if f.fname not in on_system]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    style._installed_cjk.cache_clear()
    try:
        assert style._installed_cjk() in style.CJK_FONTS
    finally:
        style._installed_cjk.cache_clear()


def test_missing_cjk_font_warns_with_the_install_command(monkeypatch):
    """Without any CJK font, a Chinese figure still draws and warns once, naming the fonts
    looked for and `apt-get install fonts-noto-cjk`."""
    monkeypatch.setattr(style, "_installed_cjk", lambda: None)
    style._warn_missing.cache_clear()
    with pytest.warns(RuntimeWarning, match="fonts-noto-cjk") as caught:
        style.font_families("zh")
    assert "Noto Sans CJK SC" in str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert style.font_families("en") == ["DejaVu Sans"]  # English needs no warning
    style._warn_missing.cache_clear()


def test_english_figures_leave_chinese_out_when_no_cjk_font_is_installed(results, monkeypatch):
    """Without a CJK font an English figure has no Chinese glyph to miss: "empty (空窗)" in a
    legend becomes "empty"; with the font the label is kept whole."""
    import re

    from matplotlib.text import Text

    monkeypatch.setattr(style, "_installed_cjk", lambda: None)
    fig = plots.utilisation(results, lang="en")
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert not any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), texts
    assert "empty-window minutes per day" in texts
    assert style.without_cjk("covered (AB岗)") == "covered"
    assert style.without_cjk("空窗") == "空窗"


def test_unknown_language_is_refused(results):
    """lang must be en or zh."""
    with pytest.raises(ValueError, match="'de'"):
        plots.wait_cdf(results, 20, lang="de")


def test_queue_profiles_are_time_averages_of_the_step_function():
    """Each bin holds the time-average of the waiting count (0 before the first change),
    per replication and day: 1 ticket for 10 min then 2 for 10 min in [600, 620) gives 1.5."""
    q = pd.DataFrame({"replication": [0, 0, 0, 1], "day": [0, 0, 0, 0],
                      "time_min": [600.0, 610.0, 620.0, 605.0], "waiting": [1, 2, 0, 3]})
    edges = np.array([590.0, 600.0, 620.0, 630.0])
    prof = hall_plots._queue_profiles(q, edges)
    assert prof.tolist() == [[0.0, 1.5, 0.0], [0.0, 2.25, 3.0]]


def test_queue_band_counts_days_without_queue_as_zero(results):
    """The mean line averages over every simulated day, including days with no queue."""
    res = results["green"]
    fig = plots.queue_through_day({"g": res})
    line = fig.axes[0].lines[0]
    q = res.tables["queue"]
    centres = np.asarray(line.get_xdata())
    edges = np.r_[centres - hall_plots.QUEUE_STEP_MIN / 2, centres[-1] + hall_plots.QUEUE_STEP_MIN / 2]
    expected = hall_plots._queue_profiles(q, edges).sum(axis=0) / (res.reps * res.scenario.run.days)
    assert np.allclose(line.get_ydata(), expected)


def test_hour_overlap_splits_intervals_at_clock_hours():
    """An interval 09:50–11:10 spends 10, 60 and 10 minutes in hours 9, 10 and 11."""
    ov = hall_plots._bin_overlap(np.array([590.0]), np.array([670.0]), np.array([9, 10, 11, 12]))
    assert ov.tolist() == [[10.0, 60.0, 10.0, 0.0]]
    assert hall_plots._bin_overlap(np.array([590.0]), np.array([670.0]), np.array([0, 1]), 600.0).tolist() == [[10.0, 70.0]]


def test_heatmap_is_the_share_of_open_minutes_serving(results):
    """A window serving 09:00–10:00 and idle 10:00–10:30 shows 100 % then 0 %; a window
    empty for half of 09:00–10:00 and serving the other half shows 50 %."""
    base = results["green"].scenario
    windows = pd.DataFrame({
        "replication": 0, "day": 0,
        "window": ["W1", "W1", "W2", "W2", "G1"],
        "state": ["serving", "idle", "empty", "serving", "closed"],
        "staff": "", "covered": False,
        "start_min": [540.0, 600.0, 540.0, 570.0, 540.0], "end_min": [600.0, 630.0, 570.0, 600.0, 600.0]})
    fake = SimpleNamespace(scenario=base, tables={"windows": windows})
    image = plots.utilisation_heatmap(fake).axes[0].images[0].get_array()
    grid = np.ma.filled(np.ma.asarray(image, dtype=float), np.nan)
    assert grid[0].tolist() == [1.0, 0.0]
    assert grid[1][0] == 0.5 and np.isnan(grid[1][1])  # W2 was not open from 10:00
    assert np.isnan(grid[2]).all()  # G1 only closed: no open minutes


def test_heatmap_leaves_overtime_minutes_blank(results):
    """Five minutes of service after closing (17:00–17:05) would read as a 100 % hour: the
    cell is blank, because the window was open for under a quarter of that hour."""
    base = results["green"].scenario
    windows = pd.DataFrame({
        "replication": 0, "day": 0, "window": ["W1", "W1"], "state": ["idle", "serving"],
        "staff": "", "covered": False, "start_min": [960.0, 1020.0], "end_min": [1020.0, 1025.0]})
    fake = SimpleNamespace(scenario=base, tables={"windows": windows})
    image = plots.utilisation_heatmap(fake).axes[0].images[0].get_array()
    grid = np.ma.filled(np.ma.asarray(image, dtype=float), np.nan)
    assert grid[0][0] == 0.0 and np.isnan(grid[0][1])


def test_wait_cdf_rises_to_one_and_shows_the_target(results):
    """Each scenario's curve ends at 100 % and a vertical target line stands at the target."""
    ax = plots.wait_cdf(results, 7.5).axes[0]
    curves = [ln for ln in ax.lines if ln.get_label() in results]
    assert len(curves) == 2 and all(ln.get_ydata()[-1] == 1.0 for ln in curves)
    assert any(list(ln.get_xdata()) == [7.5, 7.5] for ln in ax.lines)


def test_elderly_bars_are_the_summary_means(results):
    """The elderly and other bars are the KPI means of the summary, per scenario."""
    fig = plots.elderly_vs_others(results)
    bars = [p.get_height() for p in fig.axes[0].patches]
    expected = [results[n].kpi("wait_mean_min", g).mean for g in ("elderly", "other") for n in results]
    assert np.allclose(bars, expected)


def test_day_timeline_refuses_a_day_that_was_not_run(results):
    """Asking for a replication that does not exist names it."""
    with pytest.raises(ValueError, match="replication 7"):
        plots.day_timeline(results["green"], 7, 0)


def test_day_timeline_draws_every_window_and_person(results):
    """The sample day has one row per window and per staff member."""
    res = results["green"]
    ax = plots.day_timeline(res, 0, 0).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert set(labels) == {w.id for w in res.scenario.windows} | {s.name for s in res.scenario.staff}


def test_figures_of_a_hall_without_issuance_say_no_data():
    """A hall without on-the-spot issuance gets a 'no data' issuance figure, not an error."""
    res = sim.simulate(builders.scenario(), reps=1)
    ax = plots.issuance_times(res, 15).axes[0]
    assert "no data" in [t.get_text() for t in ax.texts]
    assert _variance(plots.wait_cdf(res, 20)) > 0.005  # a single result is accepted too


def _sweep_summary() -> pd.DataFrame:
    rows = []
    for w in (2, 3, 4):
        for mode in ("none", "priority"):
            m = 30.0 / w + (mode == "none")
            rows.append({"point": f"p{w}{mode}", "staff.count": w, "policies.green_channel.mode": mode,
                         "kpi": "wait_mean_min", "group": "all", "n": 3, "mean": m, "ci_low": m - 1,
                         "ci_high": m + 1, "half_width": 1.0, "sd": 0.5})
    return pd.DataFrame(rows)


def test_sweep_kpi_draws_one_line_per_other_setting_with_intervals():
    """A KPI against one parameter: a line per value of the other parameter, the means at
    the swept values, error bars of the interval, and the target line."""
    fig = plots.sweep_kpi(_sweep_summary(), "staff.count", "wait_mean_min", target=12, lang="zh")
    ax = fig.axes[0]
    data = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert len(data) == 2
    assert list(data[0].get_xdata()) == [2, 3, 4]
    assert np.allclose(data[0].get_ydata(), [16.0, 11.0, 8.5])  # the "none" line
    assert any(list(ln.get_ydata()) == [12, 12] for ln in ax.lines)
    assert _variance(fig) > 0.005


def test_sweep_kpi_over_named_values_keeps_their_order():
    """A parameter with named values is drawn as categories in grid order."""
    ax = plots.sweep_kpi(_sweep_summary(), "policies.green_channel.mode", "wait_mean_min").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["none", "priority"]


def test_sweep_kpi_names_an_unknown_parameter():
    """A parameter that was not swept is named with the swept ones."""
    with pytest.raises(ValueError, match="'hall.name'.*staff.count"):
        plots.sweep_kpi(_sweep_summary(), "hall.name", "wait_mean_min")


def test_continuous_runs_are_binned_over_the_horizon():
    """A textbook (continuous) run is shown in at most 24 bins of round width over its
    horizon, and its timeline shows the first hours after the warm-up."""
    s = sim.load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "textbook" / "mmc.yaml")
    s = sim.with_overrides(s, {"run.horizon_min": 3000, "run.warmup_min": 100})
    res = sim.simulate(s, reps=1)
    assert hall_plots.bin_width(res) == 240
    assert plots.utilisation_heatmap(res).axes[0].images[0].get_array().shape[1] <= 24
    ax = plots.waits_by_hour({"mmc": res}, 20).axes[0]
    assert 1 < len(ax.lines[0].get_xdata()) <= 24
    assert plots.day_timeline(res).axes[0].get_xlim() == (100.0, 580.0)


# ------------------------------------------------------------------ data behind the figures
def test_every_data_function_returns_its_documented_columns(results):
    """Each *_data function returns a tidy frame with exactly the columns its *_COLUMNS
    mapping documents, with a row for each scenario."""
    one = results["green"]
    cases = [(hall_plots.queue_data(results), hall_plots.QUEUE_COLUMNS),
             (hall_plots.wait_cdf_data(results), hall_plots.CDF_COLUMNS),
             (hall_plots.waits_by_hour_data(results), hall_plots.HOURLY_COLUMNS),
             (hall_plots.elderly_data(results), hall_plots.BARS_COLUMNS),
             (hall_plots.utilisation_data(results), hall_plots.BARS_COLUMNS),
             (hall_plots.issuance_data(results, 15), hall_plots.ISSUANCE_COLUMNS)]
    for frame, columns in cases:
        assert list(frame.columns) == list(columns)
        assert set(frame["scenario"]) == set(results)
    assert list(hall_plots.utilisation_heatmap_data(one).columns) == list(hall_plots.HEATMAP_COLUMNS)
    assert list(hall_plots.day_timeline_data(one, 1, 0).columns) == list(hall_plots.TIMELINE_COLUMNS)


def test_data_functions_hold_the_numbers_the_figures_draw(results):
    """The queue curve drawn is queue_data's mean; the CDF ends at 1; the elderly bars are
    the summary means with their intervals; issuance shares sum to 1 per scenario."""
    line = plots.queue_through_day(results).axes[0].lines[0]
    q = hall_plots.queue_data(results)
    assert np.allclose(line.get_ydata(), q.loc[q["scenario"] == "green", "mean"])
    cdf = hall_plots.wait_cdf_data(results)
    assert (cdf.groupby("scenario")["share"].max() == 1.0).all()
    bars = hall_plots.elderly_data(results)
    row = bars[(bars["scenario"] == "green") & (bars["panel"] == "mean") & (bars["group"] == "elderly")].iloc[0]
    est = results["green"].kpi("wait_mean_min", "elderly")
    assert np.isclose(row["mean"], est.mean) and row["ci_low"] <= row["mean"] <= row["ci_high"]
    shares = hall_plots.issuance_data(results, 15).groupby("scenario")["share"].sum()
    assert np.allclose(shares, 1.0)


def test_data_functions_of_empty_tables_are_empty_frames_with_their_columns():
    """A result without visits or queue changes gives empty frames with the documented
    columns (the charts then say no data) instead of failing."""
    empty = pd.DataFrame(columns=["replication", "day", "time_min", "waiting", "ticket_min", "wait_min",
                                  "in_warmup", "issuance_min"])
    fake = SimpleNamespace(scenario=sim.load_scenario(ROSTER), reps=1, tables={"queue": empty, "visits": empty})
    assert hall_plots.queue_data({"x": fake}).columns.tolist() == list(hall_plots.QUEUE_COLUMNS)
    assert hall_plots.wait_cdf_data({"x": fake}).empty
    assert hall_plots.issuance_data({"x": fake}).empty
