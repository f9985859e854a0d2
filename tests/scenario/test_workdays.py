"""Working-day arithmetic on the Chinese public calendar (sim.scenario.workdays)."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.scenario.workdays import DAY_COLUMNS, CalendarError, WorkCalendar, supported_years

D = dt.date
CAL = WorkCalendar()


def test_national_day_2025_holiday_and_adjusted_weekends():
    """Oct 1-8 2025 are holidays; Sunday Sep 28 and Saturday Oct 11 are adjusted working days."""
    assert CAL.is_working_day(D(2025, 9, 28)) and D(2025, 9, 28).weekday() == 6
    assert CAL.is_working_day(D(2025, 10, 11)) and D(2025, 10, 11).weekday() == 5
    assert not any(CAL.is_working_day(D(2025, 10, d)) for d in range(1, 9))
    assert not CAL.is_working_day(D(2025, 9, 27))  # an ordinary Saturday
    assert CAL.is_working_day(D(2025, 10, 9))


def test_add_working_days_crosses_the_holiday():
    """The day after Sep 30 is Oct 9; the day after Fri Sep 26 is the adjusted Sunday Sep 28."""
    assert CAL.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert CAL.add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert CAL.add_working_days(D(2025, 9, 26), 6) == D(2025, 10, 11)
    assert CAL.add_working_days(D(2025, 10, 3), 0) == D(2025, 10, 3)
    with pytest.raises(ValueError, match="got -1"):
        CAL.add_working_days(D(2025, 9, 26), -1)


def test_working_days_between_counts_only_working_days():
    """Sep 26 -> Oct 11 2025 spans 6 working days: 28, 29, 30, Oct 9, 10, 11; the count is antisymmetric."""
    assert CAL.working_days_between(D(2025, 9, 26), D(2025, 10, 11)) == 6
    assert CAL.working_days_between(D(2025, 10, 11), D(2025, 9, 26)) == -6
    assert CAL.working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0


@pytest.mark.parametrize("n", [0, 1, 3, 7, 15, 40])
def test_between_inverts_add(n):
    """working_days_between(d, add_working_days(d, n)) == n, starting on a holiday too."""
    for start in (D(2025, 9, 25), D(2025, 10, 2)):
        assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


def test_extra_closed_days_are_not_working_days():
    """A scenario's extra closed day is skipped like a holiday."""
    cal = WorkCalendar(extra_closed=[D(2025, 9, 29)])
    assert not cal.is_working_day(D(2025, 9, 29))
    assert cal.add_working_days(D(2025, 9, 28), 1) == D(2025, 9, 30)
    assert cal.working_days_between(D(2025, 9, 26), D(2025, 10, 11)) == 5


def test_day_table_marks_adjusted_days_and_closed_gaps():
    """The day table lists working days with the weekend days worked and the closed days before each."""
    t = CAL.day_table(D(2025, 9, 27), 6)
    assert list(t.columns) == list(DAY_COLUMNS)
    assert list(t["date"]) == [D(2025, 9, 28), D(2025, 9, 29), D(2025, 9, 30), D(2025, 10, 9), D(2025, 10, 10),
                               D(2025, 10, 11)]
    assert list(t["adjusted"]) == [True, False, False, False, False, True]
    assert list(t["closed_before"]) == [1, 0, 0, 8, 0, 0]
    assert list(t["weekday"]) == ["sun", "mon", "tue", "thu", "fri", "sat"]
    assert list(t["day"]) == list(range(6))


def test_years_outside_the_package_raise_a_named_error():
    """A date the package does not know raises CalendarError naming the field and the supported years."""
    first, last = supported_years()
    cal = WorkCalendar(field="issuance.start_date")
    with pytest.raises(CalendarError) as err:
        cal.is_working_day(D(last + 1, 1, 5))
    assert err.value.field == "issuance.start_date"
    assert f"{first}–{last}" in str(err.value) and str(last + 1) in str(err.value)


@pytest.mark.parametrize("date, kind", [
    (dt.date(2025, 9, 26), "workday"),
    (dt.date(2025, 9, 27), "weekend"),
    (dt.date(2025, 9, 28), "adjusted"),   # Sunday worked before National Day
    (dt.date(2025, 10, 1), "holiday"),
    (dt.date(2025, 10, 4), "holiday"),    # a Saturday inside the holiday
    (dt.date(2025, 10, 11), "adjusted"),  # Saturday worked after it
    (dt.date(2025, 6, 30), "closed"),     # an extra closed day
])
def test_day_kind_tells_workdays_adjusted_weekends_holidays_and_closed_days(date, kind):
    assert WorkCalendar(extra_closed=[dt.date(2025, 6, 30)]).day_kind(date) == kind
