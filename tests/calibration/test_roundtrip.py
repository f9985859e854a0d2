"""Round trip: a log generated from a known scenario calibrates back to that scenario's
parameters (within their 95 % intervals), and the calibrated scenario reproduces the log
while a deliberately wrong one (a third of the windows) does not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.calibration.calibrate import calibrate
from sim.calibration.synthetic import simulated_log
from sim.calibration.validate import validate
from sim.scenario.loader import load_scenario, with_overrides

KNOWN = Path(__file__).with_name("known_hall.yaml")


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    truth = load_scenario(KNOWN)
    simulated_log(truth, fmt="zh", seed=5).to_csv(folder / "log.csv", index=False)
    return truth, calibrate(folder / "log.csv", KNOWN, folder / "calibrated.yaml", reps=10, seed=1)


def _within(row, truth: float) -> bool:
    return row["low"] <= truth <= row["high"]


def test_arrival_rates_are_recovered_within_their_intervals(calibrated):
    """Tickets per day and Monday's factor: the known values (150 × mean weekday factor
    1.02; 1.2 / 1.02) lie in the fitted 95 % intervals."""
    truth, cal = calibrated
    v = cal.fit.volume
    factors = truth.demand.weekday_factors
    mean_factor = sum(factors.get(d, 1.0) for d in ("mon", "tue", "wed", "thu", "fri")) / 5
    assert v["low"] <= truth.demand.visitors_per_day * mean_factor <= v["high"]
    mon = cal.fit.weekdays.set_index("weekday").loc["mon"]
    assert _within(mon, factors["mon"] / mean_factor)


def test_service_time_means_are_recovered_within_their_intervals(calibrated):
    """Each service's fitted mean window time (elderly times scaled back) brackets the
    known mean, and the known distribution family wins on AIC."""
    truth, cal = calibrated
    means = cal.fit.time_means.set_index("service")
    for svc, spec in truth.services.items():
        assert _within(means.loc[svc], spec.window_time.mean), svc
    assert means.loc["apply", "chosen"] == "lognormal"
    assert abs(cal.fit.shares.set_index("figure").loc["elderly_multiplier", "value"] - 1.5) < 0.1


def test_patience_mean_is_recovered_from_censored_waits(calibrated):
    """The exponential patience fitted from the 过号 rows and the censored waits brackets
    the known mean of 20 minutes."""
    _truth, cal = calibrated
    exp = cal.fit.patience.set_index("dist").loc["exponential"]
    assert exp["low"] <= 20.0 <= exp["high"]


def test_elderly_share_is_recovered_from_the_id_numbers(calibrated):
    """The elderly share read from the made-up ID numbers' birth dates brackets 0.4."""
    _truth, cal = calibrated
    assert _within(cal.fit.shares.set_index("figure").loc["elderly_share"], 0.4)


def test_calibrated_scenario_extends_the_hall_file_and_runs_the_log_dates(calibrated):
    """The scenario text extends the hall file and simulates the log's 30 days from its first date."""
    _truth, cal = calibrated
    extends = yaml.safe_load(cal.text)["extends"]
    assert (Path(cal.out_path).parent / extends).resolve() == KNOWN.resolve()
    assert cal.scenario.run.days == 30 and str(cal.scenario.run.start_date) == "2026-03-02"


def test_calibrated_scenario_reproduces_its_own_log(calibrated):
    """At least 90 % of the judged figures are reproduced, every overall one included."""
    _truth, cal = calibrated
    assert cal.validation.share_reproduced() >= 0.9
    overall = cal.validation.table[cal.validation.table["hour"] == "all"]
    assert set(overall["verdict"]) == {"reproduced"}


def test_a_hall_with_a_third_of_the_windows_does_not_reproduce_the_log(calibrated):
    """The same calibrated demand run with one window instead of three: the served count and
    the waits are not reproduced."""
    _truth, cal = calibrated
    wrong = with_overrides(cal.scenario, {"windows": [cal.scenario.windows[0].model_dump(mode="json")]})
    val = validate(wrong, cal.log.tickets, reps=5, seed=1)
    t = val.table.set_index(["figure", "hour"])
    assert t.loc[("wait_mean_min", "all"), "verdict"] == "not reproduced"
    assert t.loc[("served_per_day", "all"), "verdict"] == "not reproduced"
    assert val.share_reproduced() < 0.5


SCENARIOS = Path(__file__).parents[2] / "scenarios"


def test_the_roster_of_the_shipped_log_is_the_county_halls(tmp_path):
    """The shipped log (simulated from the county hall) gives each window the county hall's
    A post, their B posts, shifts from door to door, a lunch break for each A person
    starting within 15 minutes of the true one, and windows open all day."""
    truth = load_scenario(SCENARIOS / "county_hall.yaml")
    cal = calibrate(SCENARIOS / "logs" / "county_hall_10days.csv", SCENARIOS / "county_hall.yaml",
                    tmp_path / "hall.yaml", run_validation=False)
    people = {p.name: p for p in cal.scenario.staff}
    for p in truth.staff:
        got = people[p.name]
        assert got.a_post == p.a_post, p.name
        if p.a_post.startswith("W"):
            assert got.b_post == p.b_post and (got.shift.start, got.shift.end) == ("08:30", "17:00")
            assert abs(_minutes(got.breaks[0].start) - _minutes(p.breaks[0].start)) <= 15, p.name
    assert all(w.hours is None for w in cal.scenario.windows)


def _minutes(clock: str) -> int:
    h, m = clock.split(":")
    return int(h) * 60 + int(m)


def test_appointments_round_trip_and_booked_and_walk_in_waits_are_reproduced(tmp_path):
    """A log of the county hall with appointments (10 days), calibrated against the hall
    file without them: an appointments section with the booked services only, early share
    within its interval of the truth (0.7), 15-minute slots; the booked and walk-in mean
    waits and the booked share are reproduced."""
    truth = with_overrides(load_scenario(SCENARIOS / "county_hall_appointments.yaml"), {"run.days": 10})
    simulated_log(truth, fmt="zh", seed=3).to_csv(tmp_path / "log.csv", index=False)
    cal = calibrate(tmp_path / "log.csv", SCENARIOS / "county_hall.yaml", tmp_path / "hall.yaml", reps=5, seed=1)
    appt = cal.scenario.appointments
    assert {s for s, x in appt.booked_share.items() if x > 0} == {"apply", "instant_issue", "replace"}
    early = cal.fit.bookings.figures.set_index("figure").loc["early_share"]
    assert early["low"] <= 0.7 <= early["high"] and appt.slot_min == 15
    t = cal.validation.table.set_index(["figure", "hour"])
    for fig in ("booked_wait_mean_min", "walk_in_wait_mean_min", "booked_share"):
        assert t.loc[(fig, "all"), "verdict"] == "reproduced", fig
