"""The hall's day, animated (sim.plots.animation): the vidigi event log follows every visit
of the sample day from the entrance to the exit, the floor plan places every step, and the
window-state strip reads the model's window records."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim
from sim.plots import animation

ROSTER = Path(__file__).resolve().parents[1] / "backtest" / "small_roster.yaml"


@pytest.fixture(scope="module")
def result():
    """The small roster hall (green channel, A/B posts, instant printer), 1 replication of 1 day."""
    return sim.simulate(sim.with_overrides(sim.load_scenario(ROSTER), {"run.days": 1}), reps=1, workers=1)


def test_every_visit_enters_and_leaves_once_in_time_order(result):
    """Each visit of the day has one arrival and one departure, and its events never go
    back in time."""
    log = animation.event_log(result)
    assert list(log.columns) == list(animation.EVENT_COLUMNS)
    visits = result.tables["visits"]
    visits = visits[(visits["replication"] == 0) & (visits["day"] == 0)]
    counts = log[log["event_type"] == "arrival_departure"].groupby(["entity_id", "event"]).size().unstack()
    assert len(counts) == len(visits) and (counts["arrival"] == 1).all() and (counts["depart"] == 1).all()
    for _, events in log.groupby("entity_id"):
        assert np.all(np.diff(events["time"].to_numpy()) >= -1e-9)
        assert events["event"].iloc[0] == "arrival" and events["event"].iloc[-1] == "depart"


def test_windows_are_resources_used_by_the_visits_they_served(result):
    """A served visit sits at the window that served it (1-based in the scenario's order)
    from its call to the end of its service; elderly visitors queue in the green lane."""
    log = animation.event_log(result)
    visits = result.tables["visits"].set_index("visitor")
    ids = [w.id for w in result.scenario.windows]
    use = log[log["event_type"] == "resource_use"]
    assert len(use) == len(log[log["event_type"] == "resource_use_end"]) > 0
    for row in use.itertuples(index=False):
        assert ids[int(row.resource_id) - 1] == visits.loc[row.entity_id, "window"]
    lanes = log[log["event"].str.startswith("queue:")]
    elderly = lanes[lanes["group"] == "elderly"]
    assert result.scenario.policies.green_channel.mode == "dedicated"
    assert len(elderly) and (elderly["event"] == "queue:green").all()


def test_the_floor_plan_places_every_step_of_the_log(result):
    """Every event of the log has a place on the floor plan, the windows as a resource."""
    log = animation.event_log(result)
    lanes = sorted({e.split(":", 1)[1] for e in log["event"] if e.startswith("queue:")})
    plan = animation.floor_plan(result, lanes, "zh")
    assert list(plan.columns) == list(animation.PLAN_COLUMNS)
    assert set(log["event"]) <= set(plan["event"])
    assert plan.set_index("event").loc["window", "resource"] == "n_windows"
    assert plan.set_index("event").loc["queue:green", "label"] == "绿色通道排队"


def test_window_states_read_the_window_records(result):
    """The strip's state of a window at a frame is the state of its record at that time
    (covered when a B post serves)."""
    visits = result.tables["visits"]
    origin = 60.0 * np.floor(visits.loc[visits["day"] == 0, "arrival_min"].min() / 60)
    states = animation.window_states(result, 0, 0, np.array([90.0]))
    spans = result.tables["windows"]
    for row in states.itertuples(index=False):
        hit = spans[(spans["window"] == row.window) & (spans["day"] == 0) & (spans["start_min"] <= origin + 90)
                    & (origin + 90 < spans["end_min"])]
        expected = "closed" if hit.empty else hit["state"].iloc[0]
        if not hit.empty and bool(hit["covered"].iloc[0]) and expected in ("serving", "idle"):
            expected = "covered"
        assert row.state == expected


def test_the_animation_has_a_frame_every_five_minutes_and_the_window_strip(result):
    """The Plotly figure has one frame per 5 minutes of the day, each with the window-state
    strip, and its self-contained HTML carries Plotly's script."""
    pytest.importorskip("vidigi")
    fig = animation.hall_day_animation(result, lang="en")
    log = animation.event_log(result)
    assert len(fig.frames) >= int(log["time"].max() // animation.FRAME_MIN)
    ids = [w.id for w in result.scenario.windows]
    texts = [list(tr.text) for tr in fig.frames[0].data if getattr(tr, "text", None) is not None]
    strip = [tx for tx in texts if len(tx) == len(ids) and all(str(x).startswith(f"{w}: ") for x, w in zip(tx, ids))]
    assert strip, "no window-state strip in the first frame"
    assert any(tx and str(tx[0]).endswith("tickets waiting") for tx in texts)
    assert "one day in the hall" in fig.layout.title.text
    html = animation.animation_html(fig)
    assert html.startswith("<html") and "plotly" in html.lower()
