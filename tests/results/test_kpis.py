"""KPIs of replications computed from hand-made tables (sim.results.kpis.batch_kpis)."""

import pandas as pd
import pytest

from builders import scenario
from sim.scenario.days import DayPlan
from sim.results.kpis import batch_kpis
from sim.model.records import COLUMNS, ReplicationRecord


def frame(name, rows):
    cols = [c for c in COLUMNS[name] if c != "replication"]
    return pd.DataFrame.from_records(rows, columns=cols)


def visit(vid, arrival, ticket, call, end, outcome, elderly=False, card=None):
    wait = (call if call is not None else end) - ticket if ticket is not None else None
    dep = card if card is not None else end
    return (0, "", "mon", vid, False, "consult", elderly, arrival, vid, ticket, "W1", "A", False, call, wait,
            call, end if outcome == "served" else None, card, (card - arrival) if card else None, dep, dep - arrival,
            outcome, "window", False)


@pytest.fixture
def kpis():
    s = scenario()
    day = DayPlan(0, None, "mon", 540.0, 720.0, None, 1.0)
    tables = {
        "visits": frame("visits", [
            visit(0, 540, 540, 540, 550, "served"),
            visit(1, 541, 541, 550, 560, "served", elderly=True),
            visit(2, 542, 542, None, 562, "abandoned"),
            visit(3, 600, 600, 600, 610, "served", card=620.0),
        ]),
        "windows": frame("windows", [(0, "W1", "serving", "A", False, 540.0, 560.0),
                                     (0, "W1", "empty", None, False, 560.0, 590.0),
                                     (0, "W1", "idle", "A", False, 590.0, 720.0)]),
        "staff": frame("staff", []),
        "devices": frame("devices", []),
        "queue": frame("queue", [(0, 541.0, 1), (0, 542.0, 2), (0, 550.0, 1), (0, 562.0, 0)]),
    }
    k = batch_kpis(s, [day], [ReplicationRecord.from_tables(0, tables, [720.0], 0)])
    return {(r.kpi, r.group): r.value for r in k.itertuples()}


def test_waits_include_abandoners(kpis):
    """Wait KPIs cover every ticketed visit, abandoners with their time until leaving."""
    assert kpis[("wait_mean_min", "all")] == pytest.approx((0 + 9 + 20 + 0) / 4)
    assert kpis[("wait_max_min", "all")] == 20
    assert kpis[("wait_mean_min", "elderly")] == 9


def test_rates_are_shares_of_arrivals(kpis):
    """Abandonment is abandoned visits over all arrivals."""
    assert kpis[("abandonment_rate", "all")] == 0.25
    assert kpis[("served_per_day", "all")] == 3


def test_queue_mean_is_time_average_over_the_day(kpis):
    """The queue's time-average runs from opening to the end of the day, quiet minutes included."""
    area = 1 * 1 + 2 * 8 + 1 * 12
    assert kpis[("queue_mean", "all")] == pytest.approx(area / 180)
    assert kpis[("queue_max", "all")] == 2


def test_empty_minutes_and_utilisation(kpis):
    """Empty-window minutes and utilisation come from the window intervals."""
    assert kpis[("empty_window_min_per_day", "all")] == 30
    assert kpis[("window_utilisation", "all")] == pytest.approx(20 / 180)


def test_issuance_time(kpis):
    """Arrival to card in hand for on-the-spot issuance."""
    assert kpis[("issuance_mean_min", "all")] == 20


def test_a_batch_gives_each_replication_the_rows_it_gets_alone():
    """KPIs computed over a batch of replications equal, row for row, those of each
    replication computed alone (the batch only shares the arithmetic)."""
    from sim.model.replication import record_replication
    from sim.scenario.days import day_plans

    s = scenario()
    plans = day_plans(s)
    records = [record_replication(s, 5, r, plans) for r in range(4)]
    together = batch_kpis(s, plans, records)
    alone = pd.concat([batch_kpis(s, plans, [rec]) for rec in records], ignore_index=True)
    pd.testing.assert_frame_equal(together, alone, check_exact=False, rtol=1e-12)
    assert sorted(set(together["replication"])) == [0, 1, 2, 3]


def test_minutes_with_the_doors_open_and_no_window_open_count_as_empty():
    """W1 opens 09:00–10:00 and 11:00–12:00 in a hall open 09:00–12:00: for the hour between,
    visitors are inside and no window is open, which counts as one empty window (60 min a day,
    group all; the window itself was closed, not empty), so the no-empty-window target fails."""
    import sim

    s = scenario(windows=[{"id": "W1", "services": ["consult"],
                           "hours": [{"start": "09:00", "end": "10:00"}, {"start": "11:00", "end": "12:00"}]}])
    res = sim.simulate(s, seed=0, reps=2)
    assert res.kpi("empty_window_min_per_day").mean == pytest.approx(60.0)
    assert res.kpi("empty_window_min_per_day", "window:W1").mean == 0.0
    assert res.sla.set_index("target").loc["empty_window_max_min", "verdict"] == "not met"


def test_a_window_open_while_nobody_is_on_shift_counts_every_open_minute_as_empty():
    """W2 opens 10:00–11:00 but the only person works 09:00–09:30 (at W1): W2 is empty for its whole hour."""
    import sim

    s = scenario(policies={"staffing": "roster"},
                 staff=[{"name": "a", "a_post": "W1", "shift": {"start": "09:00", "end": "09:30"}}],
                 windows=[{"id": "W1", "services": ["consult"]},
                          {"id": "W2", "services": ["consult"], "hours": [{"start": "10:00", "end": "11:00"}]}])
    res = sim.simulate(s, seed=0, reps=1)
    assert res.kpi("empty_window_min_per_day", "window:W2").mean == pytest.approx(60.0)
    assert res.kpi("empty_window_min_per_day", "window:W1").mean == pytest.approx(150.0)
    assert res.kpi("empty_window_min_per_day").mean == pytest.approx(210.0)
