"""Upper bounds on scenario input: every number, list, date and file a scenario may hold.

One place for every limit the schema and the loader enforce, so that the README's table
("Input limits") and the checks cannot drift apart. The bounds are far above any real
card hall (the biggest city halls see a few thousand visitors a day) and far below what
would exhaust a machine; a value beyond one is refused with a message naming the field,
the value and the bound (``demand.visitors_per_day: must be at most 50000 (got 1e+12)``).
Infinity and NaN never pass: every float field has a finite upper bound and a lower bound.

Units are those of the fields: minutes for times and distributions of times, working
days for the issuance section's ``_days`` fields, counts for counts.
"""

from __future__ import annotations

import datetime as _dt

__all__ = [
    "MAX_FILE_BYTES", "MAX_DEPTH", "MAX_VALUES", "MAX_NUMBER_CHARS", "MAX_EXTENDS", "MAX_PROBLEMS", "QUOTE_CHARS",
    "MIN_DATE", "MAX_DATE", "MAX_NAME_CHARS", "MAX_TEXT_CHARS", "MAX_VISITORS_PER_DAY", "MAX_ARRIVAL_RATE_PER_MIN",
    "MAX_WEIGHT", "MAX_FACTOR", "MAX_MULTIPLIER", "MAX_DIST_VALUE", "MAX_CV", "MAX_EMPIRICAL_VALUES",
    "MAX_AREA_M2", "MAX_DEVICES", "MIN_MTBF_MIN", "MAX_MTBF_MIN", "MAX_WINDOWS", "MAX_STAFF", "MAX_SERVICES",
    "MAX_PERIODS", "MAX_BREAKS", "MAX_ABSENCE_RATE_PER_HOUR", "MAX_DAY_MIN", "MAX_TARGET_MIN", "MAX_QUEUE",
    "MAX_DAYS", "MAX_DATES", "MAX_REPLICATIONS", "MAX_HORIZON_MIN", "MAX_DELAY_DAYS", "MAX_AGE",
    "MAX_ISSUANCE_DAYS", "MAX_DRAIN_DAYS", "MAX_SEAL_DAYS", "MAX_TARGET_DAYS", "MAX_CARDS_PER_DAY",
    "MAX_APPLICATIONS_PER_DAY", "MAX_BATCHES_PER_DAY", "MAX_BATCH_SIZE", "MAX_ORDERS", "MAX_STEP_DAYS",
]

# ------------------------------------------------------------------ files (the loader)
MAX_FILE_BYTES = 1_048_576
"""A scenario file or upload is at most 1 MB (1,048,576 bytes; the dashboard's
``server.maxUploadSize`` is 1 MB too)."""

MAX_DEPTH = 32
"""Mappings and lists nest at most this deep (a scenario needs 6)."""

MAX_VALUES = 50_000
"""At most this many values (scalars, mappings, lists) in a file, counted after expanding
YAML aliases (``*name``), so that an alias bomb ("billion laughs") is refused unbuilt."""

MAX_NUMBER_CHARS = 40
"""A number is written with at most this many characters (longer ones are refused before
Python converts them: a 5,000-digit integer)."""

MAX_EXTENDS = 10
"""At most this many files in an ``extends`` chain."""

MAX_PROBLEMS = 50
"""At most this many problems are listed for one file; a last line says how many more."""

QUOTE_CHARS = 80
"""A value quoted in a message is cut to this many characters, ending in "…"."""

# ------------------------------------------------------------------ dates and text
MIN_DATE = _dt.date(1970, 1, 1)
MAX_DATE = _dt.date(2100, 12, 31)
"""Every date of a scenario lies in [MIN_DATE, MAX_DATE]."""

MAX_NAME_CHARS = 40
"""Window ids, staff names, posts and service codes."""

MAX_TEXT_CHARS = 10_000
"""Free text: ``description`` and ``hall.name``."""

# ------------------------------------------------------------------ demand
MAX_VISITORS_PER_DAY = 50_000
"""``demand.visitors_per_day`` and each ``demand.by_date`` figure."""

MAX_ARRIVAL_RATE_PER_MIN = 100.0
"""``demand.arrival_rate_per_min`` (6,000 an hour)."""

MAX_WEIGHT = 1_000_000.0
"""Relative weights: ``demand.hourly_profile`` and ``demand.service_mix`` values."""

MAX_FACTOR = 10.0
"""``demand.weekday_factors`` values."""

MAX_MULTIPLIER = 10.0
"""``services.*.elderly_multiplier``."""

MAX_AGE = 120
"""``demand.elderly_age``."""

# ------------------------------------------------------------------ distributions
MAX_DIST_VALUE = 100_000.0
"""Every parameter of a distribution in its field's unit (minutes for times: about 69
days; applications for a batch size): ``mean``, ``low``, ``mode``, ``high``, ``value``,
``scale``, ``shape`` and each ``empirical`` value."""

MAX_CV = 10.0
"""A lognormal's coefficient of variation (sd / mean)."""

MAX_EMPIRICAL_VALUES = 10_000
"""Values of one ``empirical`` distribution."""

# ------------------------------------------------------------------ hall, windows, staff, devices
MAX_AREA_M2 = 100_000.0
"""``hall.floor_area_m2``."""

MAX_DEVICES = 1_000
"""Each device count: instant printers, kiosks, each shared device kind, ATMs."""

MIN_MTBF_MIN = 1.0
MAX_MTBF_MIN = 10_000_000.0
"""``mtbf_min`` of printers and kiosks (a failure every minute at most often)."""

MAX_WINDOWS = 500
MAX_STAFF = 2_000
MAX_SERVICES = 200
"""Windows, staff members, service codes (and services per window or kiosk)."""

MAX_PERIODS = 48
"""Opening periods of one window (``windows.*.hours``)."""

MAX_BREAKS = 24
"""Breaks of one staff member."""

MAX_ABSENCE_RATE_PER_HOUR = 30.0
"""``staff.*.absences.rate_per_hour``."""

MAX_DAY_MIN = 1_440.0
"""A break's ``duration_min`` (a day)."""

MAX_TARGET_MIN = 10_080.0
"""SLA targets in minutes (a week)."""

MAX_QUEUE = 100_000
"""``policies.baulk_queue_length``."""

# ------------------------------------------------------------------ run
MAX_DAYS = 3_660
"""``run.days`` (ten years of opening days)."""

MAX_DATES = 3_660
"""Entries of a list or mapping of dates: ``run.closed_dates``, ``demand.by_date``,
``issuance.extra_closed``."""

MAX_REPLICATIONS = 100_000
"""``run.replications`` and ``issuance.replications``."""

MAX_HORIZON_MIN = 525_600.0
"""``run.horizon_min`` and ``run.warmup_min`` (a year of minutes)."""

MAX_DELAY_DAYS = 250
"""``policies.repeat_visits.delay_days`` (opening days)."""

# ------------------------------------------------------------------ issuance (working days)
MAX_ISSUANCE_DAYS = 3_000
MAX_DRAIN_DAYS = 1_000
MAX_SEAL_DAYS = 10_000
MAX_TARGET_DAYS = 1_000
MAX_STEP_DAYS = 250
"""``issuance.days``, ``drain_days``, ``seal_after_days``, the ``sla`` day targets, and the
steps of a route (``intake_days``, ``distribution_days``, ``retry_days``)."""

MAX_CARDS_PER_DAY = 1_000_000
MAX_APPLICATIONS_PER_DAY = 100_000.0
MAX_BATCHES_PER_DAY = 1_000.0
MAX_BATCH_SIZE = 1_000_000
MAX_ORDERS = 10_000
"""Card production per working day, applications per working day, batch orders per
working day, applications of one fixed order, fixed orders (and capacity cuts)."""
