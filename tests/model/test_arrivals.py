"""Which days a hall run simulates: weekly opening hours, the Chinese public calendar
(holidays closed, adjusted working weekends open) and extra closed dates."""

from __future__ import annotations

import datetime as dt

import pytest

import sim
from builders import scenario
from sim.scenario.days import day_plans
from sim.scenario.loader import ScenarioError

D = dt.date
WEEK = {d: {"open": "09:00", "close": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")}


def hall(**run):
    """The tiny hall open Mon–Fri (Monday 08:30–12:00, other days 09:00–17:00)."""
    hours = {**WEEK, "mon": {"open": "08:30", "close": "12:00"}}
    return scenario(hall={"opening_hours": hours}, run={"days": 6, "start_date": "2025-09-26", **run})


def test_weekday_calendar_goes_by_the_weekly_hours_only():
    """The default calendar opens every weekday with hours, National Day included."""
    plans = day_plans(hall())
    assert [p.date for p in plans] == [D(2025, 9, 26), D(2025, 9, 29), D(2025, 9, 30), D(2025, 10, 1),
                                       D(2025, 10, 2), D(2025, 10, 3)]


def test_chinese_calendar_closes_holidays_and_opens_adjusted_weekends():
    """Around National Day 2025 (1–8 October closed; Sunday 28 September and Saturday 11
    October worked) the hall opens on the swapped weekend days with Monday's hours."""
    plans = day_plans(hall(calendar="chinese"))
    assert [(p.date, p.weekday) for p in plans] == [
        (D(2025, 9, 26), "fri"), (D(2025, 9, 28), "sun"), (D(2025, 9, 29), "mon"), (D(2025, 9, 30), "tue"),
        (D(2025, 10, 9), "thu"), (D(2025, 10, 10), "fri")]
    sunday = plans[1]
    assert (sunday.open_min, sunday.close_min) == (8 * 60 + 30, 12 * 60)  # adjusted_workday_as: mon
    plans = day_plans(hall(calendar="chinese", adjusted_workday_as="fri", days=7))
    saturday = plans[-1]
    assert saturday.date == D(2025, 10, 11) and (saturday.open_min, saturday.close_min) == (9 * 60, 17 * 60)


def test_an_adjusted_day_takes_the_weekday_factor_it_stands_for():
    """On a swapped-in Sunday the demand factor is that of adjusted_workday_as."""
    s = scenario(hall={"opening_hours": WEEK}, demand={"weekday_factors": {"mon": 1.4}},
                 run={"days": 2, "start_date": "2025-09-27", "calendar": "chinese"})
    assert [(p.date, p.factor) for p in day_plans(s)] == [(D(2025, 9, 28), 1.4), (D(2025, 9, 29), 1.4)]


@pytest.mark.parametrize("calendar", ["weekdays", "chinese"])
def test_closed_dates_are_skipped_under_either_calendar(calendar):
    plans = day_plans(hall(calendar=calendar, days=2, closed_dates=["2025-09-23", "2025-09-24"],
                           start_date="2025-09-22"))
    assert [p.date for p in plans] == [D(2025, 9, 22), D(2025, 9, 25)]


def test_a_run_past_the_known_years_is_refused_naming_the_start_date():
    with pytest.raises(ScenarioError) as err:
        hall(calendar="chinese", start_date="2026-12-01", days=40)
    (path, message), = err.value.problems
    assert path == "run.start_date" and "2004–2026" in message and "run.calendar: weekdays" in message


def test_adjusted_days_need_hours_on_the_weekday_they_stand_for():
    with pytest.raises(ScenarioError) as err:
        hall(calendar="chinese", adjusted_workday_as="sun")
    assert err.value.problems[0][0] == "run.adjusted_workday_as"


def test_a_simulated_holiday_week_has_no_visits_on_holidays_and_conserves_visitors():
    """A run over National Day under the Chinese calendar records visits only on opening
    days, and every visitor ends in one outcome (the run checks conservation)."""
    res = sim.simulate(hall(calendar="chinese"), reps=2)
    dates = set(res.visits["date"])
    assert dates <= {"2025-09-26", "2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10"}
    assert "2025-09-28" in dates and not any(d.startswith("2025-10-0") and d < "2025-10-09" for d in dates)


def test_by_date_sets_a_services_expected_arrivals_on_that_day_only():
    """demand.by_date replaces the named service's expected arrivals on its date; the
    other services keep theirs and other dates keep the scenario's mix."""
    s = scenario(services={"consult": {"window_time": {"dist": "fixed", "value": 5}},
                           "collect": {"window_time": {"dist": "fixed", "value": 2}}},
                 windows=[{"id": "W1", "services": ["consult", "collect"]}],
                 demand={"visitors_per_day": 10, "service_mix": {"consult": 3, "collect": 1}, "weekday_factors":
                         {"mon": 2.0}, "by_date": {"2026-03-02": {"collect": 15}}},
                 hall={"opening_hours": WEEK}, run={"days": 2, "start_date": "2026-03-02"})
    monday, tuesday = day_plans(s)
    assert monday.factor * 10 == pytest.approx(15 + 2.0 * 10 * 3 / 4)  # 15 collect + 15 consult
    assert dict(monday.mix) == pytest.approx({"consult": 0.5, "collect": 0.5})
    assert tuesday.mix is None and tuesday.factor == 1.0


def test_by_date_names_unknown_services_and_services_no_window_serves():
    with pytest.raises(ScenarioError) as err:
        scenario(demand={"by_date": {"2026-03-02": {"teleport": 3}}})
    assert err.value.problems[0][0] == "demand.by_date.2026-03-02.teleport"
