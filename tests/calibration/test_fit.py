"""Fitting pieces: Kaplan–Meier, distribution choice, a log with nobody leaving."""

from __future__ import annotations

import numpy as np
import pytest

from sim.calibration.fit import fit_patience, fit_tickets, fit_times, kaplan_meier
from sim.calibration.synthetic import simulated_tickets
from sim.scenario.loader import with_overrides
from builders import scenario


def test_kaplan_meier_by_hand():
    """Times 1, 2+, 3, 4+ (+: censored): S(1) = 3/4, S(3) = 3/4 · 1/2."""
    km = kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), np.array([True, False, True, False]))
    assert list(km["time_min"]) == [0.0, 1.0, 3.0]
    assert km["survival"].tolist() == pytest.approx([1.0, 0.75, 0.375])


def test_exponential_patience_is_departures_over_total_wait():
    """The exponential patience's mean is total wait ÷ departures (here 60 / 3 = 20)."""
    spec, table, _km = fit_patience(np.array([10.0, 10, 10, 10, 10, 10]), np.array([True, True, True, False, False, False]))
    exp = table.set_index("dist").loc["exponential"]
    assert exp["mean"] == pytest.approx(20.0) and exp["low"] < 20 < exp["high"]
    assert spec == {"dist": "exponential", "mean": 20.0}


def test_lognormal_times_choose_lognormal_and_bimodal_times_the_empirical():
    """2,000 lognormal draws: lognormal wins on AIC with mean and cv near the truth; a
    two-humped sample fits no candidate (KS p < 0.01) and gets the empirical distribution."""
    rng = np.random.default_rng(3)
    sigma2 = np.log1p(0.5**2)
    x = rng.lognormal(np.log(6) - sigma2 / 2, np.sqrt(sigma2), 2000)
    spec, table = fit_times(x)
    assert spec["dist"] == "lognormal"
    assert spec["mean"] == pytest.approx(6, rel=0.05) and spec["cv"] == pytest.approx(0.5, rel=0.1)
    bimodal = np.concatenate([rng.normal(2, 0.2, 500), rng.normal(10, 0.5, 500)])
    spec, table = fit_times(bimodal)
    assert spec["dist"] == "empirical" and table["chosen"].sum() == 1


def test_a_log_with_no_departures_leaves_patience_out_and_says_so():
    """Nobody leaves (no patience in the hall): patience is not fitted, the overrides keep
    the hall's (no policies.patience) and a note says why."""
    s = scenario(run={"days": 3}, demand={"visitors_per_day": 30})
    tickets = simulated_tickets(s)
    fit = fit_tickets(tickets, s)
    assert fit.patience.empty and "policies" not in fit.overrides
    assert any(n.startswith("patience: no visitor left") for n in fit.notes)


def test_opening_days_without_tickets_become_closed_dates():
    """A working day missing from the log is simulated as closed, so the calibrated run
    covers exactly the log's days."""
    s = scenario(hall={"opening_hours": {d: {"open": "09:00", "close": "12:00"} for d in ("mon", "tue", "wed")}},
                 run={"days": 3, "start_date": "2026-03-02"}, demand={"visitors_per_day": 30})
    tickets = simulated_tickets(with_overrides(s, {}))
    tickets = tickets[tickets["weekday"] != "tue"]
    fit = fit_tickets(tickets, s)
    assert fit.overrides["run"]["closed_dates"] == ["2026-03-03"]
    assert fit.overrides["run"]["days"] == 2


def test_a_log_without_service_times_fits_with_the_windows_hours_unknown():
    """A log that names the window of each served ticket but gives no call, start or end
    time (only 办理时长) fits; each window's first and last service show as unknown."""
    s = scenario(run={"days": 2}, demand={"visitors_per_day": 30})
    tickets = simulated_tickets(s)
    tickets = tickets.assign(service_min=tickets["end_min"] - tickets["start_min"], called_min=np.nan,
                             start_min=np.nan, end_min=np.nan)
    fit = fit_tickets(tickets, s)
    assert list(fit.windows["window"]) == ["W1"]
    assert fit.windows.loc[0, "first"] == "–" and fit.windows.loc[0, "last"] == "–"


def _weekday_log(tuesday_late: bool):
    """Four Mondays and four Tuesdays of 40 tickets each, 09:00-17:00: Mondays spread evenly,
    Tuesdays the same or (``tuesday_late``) all after 13:00."""
    import datetime as dt

    from ticket_rows import ticket, table

    rows = []
    for week in range(4):
        mon = dt.date(2026, 3, 2) + dt.timedelta(weeks=week)
        for k in range(40):
            rows.append(ticket(mon, 540 + k * 12, "consult", end=540 + k * 12 + 2))
            t = (780 + k * 6) if tuesday_late else 540 + k * 12
            rows.append(ticket(mon + dt.timedelta(days=1), t, "consult", end=t + 2))
    return table(rows)


def _two_day_hall():
    hours = {"mon": {"open": "09:00", "close": "17:00"}, "tue": {"open": "09:00", "close": "17:00"}}
    return scenario(hall={"opening_hours": hours})


def test_weekday_profiles_that_differ_are_told_apart_and_the_pooled_profile_is_said():
    """Tuesdays all in the afternoon: the chi-square test says the profiles differ (p < 0.01);
    Tuesday's 13:00 rate is its own (10 an hour, interval around it); a note says the
    scenario uses the pooled profile and why."""
    fit = fit_tickets(_weekday_log(True), _two_day_hall())
    assert fit.profile_test["differ"] is True and fit.profile_test["p"] < 0.01
    tue = fit.weekday_hours[(fit.weekday_hours["weekday"] == "tue") & (fit.weekday_hours["hour"] == "13:00")].iloc[0]
    assert tue["profile"] == "own" and tue["rate_per_hour"] == 10 and tue["low"] < 10 < tue["high"]
    assert any("one hourly profile" in n and "differ" in n for n in fit.notes)


def test_weekday_profiles_alike_are_not_said_to_differ():
    """Mondays and Tuesdays with the same spread: the test does not reject."""
    fit = fit_tickets(_weekday_log(False), _two_day_hall())
    assert fit.profile_test["differ"] is False


def test_window_times_run_from_the_call_when_the_log_has_a_walk_to_the_window():
    """Every ticket called a minute before its 4-minute service: the call-to-start time
    (1 min) is reported and the fitted window time is the 5 minutes the window is held."""
    import datetime as dt

    from ticket_rows import ticket, table

    day = dt.date(2026, 3, 2)
    rows = [ticket(day, 540 + 10 * k, "consult", called=541 + 10 * k, start=542 + 10 * k, end=546 + 10 * k)
            for k in range(30)]
    fit = fit_tickets(table(rows), scenario())
    assert fit.call_to_start.mean() == pytest.approx(1.0)
    assert fit.overrides["services"]["consult"]["window_time"] == {"dist": "fixed", "value": 5.0}
    assert any("call to service start" in n for n in fit.notes)
