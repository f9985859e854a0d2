"""The scenario: an immutable, validated description of one hall and its demand.

A scenario knows nothing of SimPy. It is read from YAML by :mod:`sim.loader`, checked
field by field by pydantic (unknown keys are rejected), then checked across fields by
:func:`cross_check`, which names the path of every offending field (``windows.2.services``).
A what-if is a new value made with ``scenario.model_copy(update=...)`` or
:func:`sim.loader.with_overrides`; the model never changes a scenario.

Units: every time is in minutes (fields end in ``_min`` or hold a distribution of
minutes), clock times are quoted ``"HH:MM"`` strings, areas are in m², rates say their
unit in their name (``rate_per_hour``, ``arrival_rate_per_min``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.scenario.clock import Clock, to_minutes
from sim.scenario.distributions import Distribution, Exponential, Fixed, Triangular
from sim.scenario.issuance import IssuanceConfig, issuance_problems
from sim.scenario.limits import (MAX_ABSENCE_RATE_PER_HOUR, MAX_AGE, MAX_ARRIVAL_RATE_PER_MIN, MAX_AREA_M2,
                                 MAX_BREAKS, MAX_DATE, MAX_DATES, MAX_DAY_MIN, MAX_DAYS, MAX_DELAY_DAYS, MAX_DEVICES,
                                 MAX_FACTOR, MAX_HORIZON_MIN, MAX_MTBF_MIN, MAX_MULTIPLIER, MAX_NAME_CHARS,
                                 MAX_PERIODS, MAX_QUEUE, MAX_REPLICATIONS, MAX_SERVICES, MAX_STAFF, MAX_TARGET_MIN,
                                 MAX_TEXT_CHARS, MAX_VISITORS_PER_DAY, MAX_WEIGHT, MAX_WINDOWS, MIN_DATE,
                                 MIN_MTBF_MIN)
from sim.scenario.messages import say
from sim.scenario.visits import HELPER_POST, Appointments, Helpers, HomeVisits, Step, visit_problems

__all__ = [
    "WEEKDAYS",
    "LEVELS",
    "DEVICE_KINDS",
    "Scenario",
    "Hall",
    "Hours",
    "Lunch",
    "Window",
    "Period",
    "Staff",
    "StaffDay",
    "Shift",
    "Break",
    "Absences",
    "Devices",
    "InstantPrinters",
    "Kiosks",
    "Demand",
    "Service",
    "Policies",
    "GreenChannel",
    "GuideDesk",
    "RepeatVisits",
    "Sla",
    "Run",
    "IssuanceConfig",
    "Appointments",
    "HomeVisits",
    "Helpers",
    "Step",
    "cross_check",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEVELS = ("city", "county", "bank_outlet", "town", "agency")
DEVICE_KINDS = ("computer", "card_reader", "printer", "scanner")

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DeviceKind = Literal["computer", "card_reader", "printer", "scanner"]
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]+$", min_length=1, max_length=MAX_NAME_CHARS)]
"""A service code: ASCII letters, digits, ``_`` and ``-``."""
Label = Annotated[str, Field(pattern=r"^[\w\-]+$", min_length=1, max_length=MAX_NAME_CHARS)]
"""A window id, staff name or post: letters of any script (张伟, 窗口1), digits, ``_`` and
``-``; no spaces, dots, brackets or other signs, so it is safe in tables, paths and markup."""
Share = Annotated[float, Field(ge=0, le=1)]
Date = Annotated[_dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]
"""A calendar date between :data:`~sim.scenario.limits.MIN_DATE` and :data:`~sim.scenario.limits.MAX_DATE`."""
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT)]
Count = Annotated[int, Field(ge=0, le=MAX_DEVICES)]
Mtbf = Annotated[float, Field(ge=MIN_MTBF_MIN, le=MAX_MTBF_MIN)]
Target = Annotated[float, Field(ge=0, le=MAX_TARGET_MIN)]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --------------------------------------------------------------------------- hall
class Hours(_Value):
    """Opening hours of one weekday: doors open at ``open`` and close at ``close``."""

    open: Clock
    close: Clock

    @model_validator(mode="after")
    def _order(self):
        if to_minutes(self.close) <= to_minutes(self.open):
            raise ValueError(say("hours.order", close=self.close, open=self.open))
        return self


class Lunch(_Value):
    """The lunch arrangement: ``closed`` shuts the doors from ``start`` to ``end``
    (no arrivals; waiting visitors are still served); ``staggered`` keeps the hall open
    and staff take their lunch breaks in turn, covered by their B post."""

    mode: Literal["closed", "staggered"] = "staggered"
    start: Clock = "12:00"
    end: Clock = "13:30"

    @model_validator(mode="after")
    def _order(self):
        if to_minutes(self.end) <= to_minutes(self.start):
            raise ValueError(say("lunch.order", end=self.end, start=self.start))
        return self


_DEFAULT_HOURS = {d: Hours(open="09:00", close="17:00") for d in WEEKDAYS[:5]}


class Hall(_Value):
    """The service point: name, level of service point, floor area and opening hours."""

    name: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    level: Literal["city", "county", "bank_outlet", "town", "agency"]
    floor_area_m2: float = Field(gt=0, le=MAX_AREA_M2, description="floor area of the hall, m²")
    opening_hours: dict[Weekday, Hours | None] = Field(default_factory=lambda: dict(_DEFAULT_HOURS))
    lunch: Lunch = Lunch()


# ------------------------------------------------------------------------ windows
class Period(_Value):
    """A period of the day from ``start`` to ``end`` ("HH:MM")."""

    _what: ClassVar[str] = "period.order"  # the message key of the order error ("shift end (…) must be after …")

    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _order(self):
        if to_minutes(self.end) <= to_minutes(self.start):
            raise ValueError(say(self._what, end=self.end, start=self.start))
        return self


class Window(_Value):
    """A service window (窗口): which services it may serve and which devices sit at it.

    ``hours`` lists the periods in which the window is open for service (null: whenever
    the hall is open; ``[]``: closed all day). Outside them the window is *closed*, not
    empty (空窗): it calls no ticket, nobody is sent to it and its A staff may cover other
    windows. A period reaching the hall's closing time keeps the window open while
    visitors remain inside."""

    id: Label
    kind: Literal["general", "green", "bank"] = "general"
    services: list[Name] = Field(min_length=1, max_length=MAX_SERVICES)
    devices: list[DeviceKind] = Field(default_factory=lambda: ["computer"], max_length=len(DEVICE_KINDS) * 4)
    hours: list[Period] | None = Field(None, max_length=MAX_PERIODS)
    hours_by_weekday: dict[Weekday, Annotated[list[Period], Field(max_length=MAX_PERIODS)] | None] = Field(
        default_factory=dict)
    """Per-weekday hours replacing ``hours`` on the weekdays given (null: open all day)."""

    def hours_on(self, weekday: str | None) -> list[Period] | None:
        """The window's own hours on ``weekday`` (``hours`` unless ``hours_by_weekday`` says otherwise)."""
        if weekday is not None and weekday in self.hours_by_weekday:
            return self.hours_by_weekday[weekday]
        return self.hours


# -------------------------------------------------------------------------- staff
class Shift(Period):
    """Working hours of one staff member."""

    _what: ClassVar[str] = "shift.order"


class Break(_Value):
    """A scheduled break (lunch, rest): starts at ``start`` (or when the current visitor
    is done) and lasts ``duration_min`` minutes."""

    start: Clock
    duration_min: float = Field(gt=0, le=MAX_DAY_MIN)


class Absences(_Value):
    """Random short absences (errands, toilet): a Poisson stream at ``rate_per_hour``
    during the shift, each lasting a draw from ``duration`` (minutes)."""

    rate_per_hour: float = Field(0.0, ge=0, le=MAX_ABSENCE_RATE_PER_HOUR)
    duration: Distribution = Exponential(dist="exponential", mean=5.0)


class StaffDay(_Value):
    """One weekday of a person's ``by_weekday``: the fields given replace the person's own
    on that weekday (posts, shift, breaks)."""

    a_post: Label | None = None
    b_post: Label | None = None
    shift: Shift | None = None
    breaks: list[Break] | None = Field(None, max_length=MAX_BREAKS)


class Staff(_Value):
    """A named person. ``a_post`` is a window id, ``guide`` (the guide desk) or
    ``floater`` (no fixed post: covers wherever a window would be empty); ``b_post`` is
    the window (or ``guide``) this person covers when its A is away (AB岗).
    ``by_weekday`` changes a weekday: null is a day off, a :class:`StaffDay` replaces the
    fields it gives; weekdays not listed keep the person's own fields."""

    name: Label
    a_post: Label
    b_post: Label | None = None
    shift: Shift
    breaks: list[Break] = Field(default_factory=list, max_length=MAX_BREAKS)
    absences: Absences = Absences()
    by_weekday: dict[Weekday, StaffDay | None] = Field(default_factory=dict)

    def on(self, weekday: str | None) -> "Staff | None":
        """This person as they work on ``weekday`` (None: a day off)."""
        if weekday is None or weekday not in self.by_weekday:
            return self
        day = self.by_weekday[weekday]
        if day is None:
            return None
        return self.model_copy(update={k: v for k, v in day if v is not None})


# ------------------------------------------------------------------------ devices
class InstantPrinters(_Value):
    """Instant card printers (即时制卡机) shared by the hall. ``print_time`` is minutes per
    card; failures arrive after an exponential up-time with mean ``mtbf_min`` and take a
    draw of ``mttr`` minutes to repair (no failures when ``mtbf_min`` is null)."""

    count: Count = 0
    print_time: Distribution = Triangular(dist="triangular", low=4, mode=6, high=10)
    mtbf_min: Mtbf | None = None
    mttr: Distribution = Exponential(dist="exponential", mean=30.0)


class Kiosks(_Value):
    """Self-service terminals (自助终端) for the listed ``services``; failures as above."""

    count: Count = 0
    services: list[Name] = Field(default_factory=list, max_length=MAX_SERVICES)
    mtbf_min: Mtbf | None = None
    mttr: Distribution = Exponential(dist="exponential", mean=60.0)


class Devices(_Value):
    """Shared devices. ``shared`` counts spare devices any window may borrow when it lacks
    one (for example ``{card_reader: 1}``); ``atms`` counts self-service bank ATMs."""

    instant_printers: InstantPrinters = InstantPrinters()
    kiosks: Kiosks = Kiosks()
    shared: dict[DeviceKind, Count] = Field(default_factory=dict)
    atms: Count = 0


# ------------------------------------------------------------------------- demand
class Demand(_Value):
    """Who comes and when.

    ``visitors_per_day`` is the expected number of arrivals on a day with weekday factor 1,
    spread over the opening hours by ``hourly_profile`` (relative rates, each from its
    "HH:MM" key until the next key; flat when omitted). ``arrival_rate_per_min`` instead
    gives a flat rate (required for a continuous horizon). ``service_mix`` holds relative
    weights (normalised). ``elderly_share`` is the share of visitors aged ``elderly_age``
    or more. ``by_date`` sets, for given dates, the expected arrivals of some services
    (collection visits from the issuance model, say): on that date they replace those
    services' share of ``visitors_per_day`` × weekday factor; the other services keep theirs.
    """

    visitors_per_day: float | None = Field(None, gt=0, le=MAX_VISITORS_PER_DAY)
    arrival_rate_per_min: float | None = Field(None, gt=0, le=MAX_ARRIVAL_RATE_PER_MIN)
    hourly_profile: dict[Clock, Weight] | None = Field(None, max_length=24 * 60 + 1)
    weekday_factors: dict[Weekday, Annotated[float, Field(ge=0, le=MAX_FACTOR)]] = Field(default_factory=dict)
    service_mix: dict[Name, Weight] = Field(min_length=1, max_length=MAX_SERVICES)
    elderly_share: Share = 0.35
    elderly_age: int = Field(55, ge=0, le=MAX_AGE)
    kiosk_preference: Share = 0.3
    elderly_kiosk_preference: Share = 0.1
    by_date: dict[Date, dict[Name, Annotated[float, Field(ge=0, le=MAX_VISITORS_PER_DAY)]]] = Field(
        default_factory=dict, max_length=MAX_DATES)


class Service(_Value):
    """One kind of matter (service type). ``window_time`` is minutes at the window;
    elderly visitors take ``elderly_multiplier`` times as long. ``kiosk_time`` (minutes)
    makes the service kiosk-eligible. ``devices`` are held during the window step.
    ``instant_issue`` ends the visit with on-the-spot card making on an instant printer.
    ``missing_docs_prob`` is the probability that a first visit lacks documents; such a
    visit ends after ``rejection_fraction`` of the window time."""

    window_time: Distribution
    elderly_multiplier: float = Field(1.0, gt=0, le=MAX_MULTIPLIER)
    kiosk_time: Distribution | None = None
    devices: list[DeviceKind] = Field(default_factory=list, max_length=len(DEVICE_KINDS) * 4)
    instant_issue: bool = False
    missing_docs_prob: Share = 0.0
    rejection_fraction: float = Field(0.3, gt=0, le=1)
    steps: list[Step] = Field(default_factory=list, max_length=5)
    """Later steps at other windows (transfers), in order; empty: one window step."""


# ----------------------------------------------------------------------- policies
class GreenChannel(_Value):
    """Elderly service (绿色通道). ``dedicated``: elderly are called by green windows
    first; general windows call them only when no ordinary ticket waits. ``priority``:
    every window calls elderly tickets first (non-preemptive). ``none``: first come,
    first served. ``green_takes_ordinary`` lets an idle green window call ordinary tickets."""

    mode: Literal["dedicated", "priority", "none"] = "priority"
    green_takes_ordinary: bool = True

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data):
        """``green_channel: priority`` is short for ``green_channel: {mode: priority}``."""
        return {"mode": data} if isinstance(data, str) else data


class GuideDesk(_Value):
    """The guide desk (引导台). When enabled and staffed, each visitor spends
    ``triage_time`` minutes there first; with one-time notification (一次性告知) a share
    ``detect_missing_docs`` of visitors lacking documents is told there and leaves without
    taking a ticket. ``staff_may_cover`` lets guide-desk staff cover an empty window."""

    enabled: bool = False
    triage_time: Distribution = Fixed(dist="fixed", value=0.5)
    detect_missing_docs: Share = 0.6
    staff_may_cover: bool = True


class RepeatVisits(_Value):
    """Visitors sent away for missing documents come back with probability
    ``return_prob`` after a whole number of opening days drawn uniformly from
    ``delay_days`` [min, max]; a returning visit lacks documents with probability
    ``missing_docs_factor`` times the service's ``missing_docs_prob``."""

    return_prob: Share = 0.8
    delay_days: tuple[Annotated[int, Field(ge=1, le=MAX_DELAY_DAYS)], Annotated[int, Field(ge=1, le=MAX_DELAY_DAYS)]] = (1, 5)
    missing_docs_factor: Share = 0.3

    @model_validator(mode="after")
    def _order(self):
        if self.delay_days[1] < self.delay_days[0]:
            raise ValueError(say("returns.delay_order", value=list(self.delay_days)))
        return self


class Rests(_Value):
    """Rests at the windows (labour rules: 连续工作时长): someone who has been at windows
    for ``after_min`` minutes in a row (serving or waiting, across windows) rests for
    ``length_min`` minutes once the current visitor is done and someone else could cover
    the window — a rest never leaves a window empty (as ``breaks_wait_for_cover``): with
    nobody to cover it they go on and look again every minute. A break, an absence or
    time off the windows ends the stretch."""

    after_min: float = Field(240.0, gt=0, le=MAX_DAY_MIN)
    length_min: float = Field(15.0, gt=0, le=MAX_DAY_MIN)


class Policies(_Value):
    """Rules of service. ``patience`` (minutes) makes waiting visitors abandon when not
    called in time (none: nobody abandons); a visitor baulks (leaves on arrival) when
    ``baulk_queue_length`` or more tickets wait. ``staffing: always`` attends every window
    at all times with anonymous staff (textbook queues); ``roster`` uses ``staff``.
    ``breaks_wait_for_cover`` (AB岗: no window left empty for a break): someone at an open
    window starts a scheduled break only when someone else could cover the window (its B,
    a floater, anyone free); until then they go on serving and look again every
    :data:`sim.model.roster.BREAK_RETRY_MIN` minutes, and the break keeps its length.
    Random absences and the end of a shift never wait. ``rests`` (:class:`Rests`; none by
    default) rests people after a long stretch at the windows."""

    green_channel: GreenChannel = GreenChannel()
    guide_desk: GuideDesk = GuideDesk()
    patience: Distribution | None = None
    baulk_queue_length: int | None = Field(None, ge=1, le=MAX_QUEUE)
    repeat_visits: RepeatVisits = RepeatVisits()
    staffing: Literal["roster", "always"] = "roster"
    breaks_wait_for_cover: bool = False
    rests: Rests | None = None


class Sla(_Value):
    """Service targets, judged on the 95 % interval of the KPI across replications.
    A null target is not judged. Defaults are the project's (the sources number none)."""

    wait_mean_max_min: Target | None = 15.0
    wait_p90_max_min: Target | None = 20.0
    elderly_wait_p90_max_min: Target | None = 5.0
    issuance_p90_max_min: Target | None = 15.0
    abandonment_rate_max: float | None = Field(0.05, ge=0, le=1)
    empty_window_max_min: Target | None = 0.0
    booked_wait_p90_max_min: Target | None = 5.0
    """Judged only when the scenario has appointments: booked visitors' p90 wait from their slot."""
    helper_wait_p90_max_min: Target | None = 5.0
    """Judged only when the scenario has helpers: p90 of the minutes an elderly visitor who
    asked for a helper waited for one (or until going on alone)."""
    confidence: float = Field(0.95, gt=0, lt=1)


class Run(_Value):
    """What one replication simulates: ``days`` opening days from ``start_date`` (days
    whose weekday has no opening hours are skipped), or, when ``horizon_min`` is set, one
    continuous run of that many minutes (no opening hours, no lunch) whose first
    ``warmup_min`` minutes of arrivals are left out of the KPIs.

    ``calendar: chinese`` follows the public calendar (``chinesecalendar``): the hall is
    closed on statutory holidays (法定节假日) and open on the weekend days swapped in as
    working days (调休上班), with the opening hours and weekday factor of
    ``adjusted_workday_as``; ``weekdays`` (the default) goes by the weekly opening hours
    only. ``closed_dates`` are closed under either calendar."""

    days: int = Field(5, ge=1, le=MAX_DAYS)
    start_date: Date = _dt.date(2026, 3, 2)
    calendar: Literal["weekdays", "chinese"] = "weekdays"
    adjusted_workday_as: Weekday = "mon"
    closed_dates: list[Date] = Field(default_factory=list, max_length=MAX_DATES)
    replications: int = Field(10, ge=1, le=MAX_REPLICATIONS)
    horizon_min: float | None = Field(None, gt=0, le=MAX_HORIZON_MIN)
    warmup_min: float = Field(0.0, ge=0, le=MAX_HORIZON_MIN)


class Scenario(_Value):
    """A whole hall scenario; see the README for every field and its unit."""

    description: str = Field("", max_length=MAX_TEXT_CHARS)
    hall: Hall
    windows: list[Window] = Field(min_length=1, max_length=MAX_WINDOWS)
    staff: list[Staff] = Field(default_factory=list, max_length=MAX_STAFF)
    devices: Devices = Devices()
    demand: Demand
    services: dict[Name, Service] = Field(min_length=1, max_length=MAX_SERVICES)
    policies: Policies = Policies()
    sla: Sla = Sla()
    run: Run = Run()
    issuance: IssuanceConfig | None = None
    appointments: Appointments | None = None
    home_visits: HomeVisits | None = None
    helpers: Helpers | None = None

    @property
    def continuous(self) -> bool:
        """True for a continuous-horizon (textbook) scenario."""
        return self.run.horizon_min is not None

    def window_ids(self) -> list[str]:
        return [w.id for w in self.windows]

    def staff_on(self, weekday: str | None) -> list[Staff]:
        """The people working on ``weekday`` as they work that day (``staff.*.by_weekday``)."""
        return [q for q in (p.on(weekday) for p in self.staff) if q is not None]


# ------------------------------------------------------------------ cross checks
def cross_check(s: Scenario) -> list[tuple[str, str]]:
    """Problems that span fields, as (field path, message) pairs; empty when consistent."""
    problems: list[tuple[str, str]] = []
    add = lambda path, msg: problems.append((path, msg))  # noqa: E731
    services = set(s.services)
    ids = [w.id for w in s.windows]
    shared = {k for k, n in s.devices.shared.items() if n > 0}

    seen: set[str] = set()
    for i, w in enumerate(s.windows):
        if w.id in seen:
            add(f"windows.{i}.id", say("window.duplicate", id=w.id))
        seen.add(w.id)
        if w.id in ("guide", "floater", HELPER_POST):
            add(f"windows.{i}.id", say("window.reserved", id=w.id))
        if w.hours and s.continuous:
            add(f"windows.{i}.hours", say("window.hours_continuous"))
        if w.hours_by_weekday and s.continuous:
            add(f"windows.{i}.hours_by_weekday", say("window.hours_continuous"))
        for path, hours in [(f"windows.{i}.hours", w.hours)] + [
                (f"windows.{i}.hours_by_weekday.{d}", h) for d, h in w.hours_by_weekday.items()]:
            for j, (a, b) in enumerate(zip(hours or [], (hours or [])[1:])):
                if to_minutes(b.start) < to_minutes(a.end):
                    add(f"{path}.{j + 1}.start",
                        say("window.hours_overlap", start=b.start, before=f"{a.start}-{a.end}"))
        for svc in w.services:
            if svc not in services:
                add(f"windows.{i}.services", say("service.unknown_of", service=svc, known=", ".join(sorted(services))))
                continue
            for dev in s.services[svc].devices:
                if dev not in w.devices and dev not in shared:
                    add(
                        f"windows.{i}.services",
                        say("window.lacks_device", service=svc, device=dev, window=w.id),
                    )

    for svc, weight in s.demand.service_mix.items():
        if svc not in services:
            add(f"demand.service_mix.{svc}", say("service.unknown", service=svc))
        elif weight > 0 and not any(svc in w.services for w in s.windows):
            add(f"demand.service_mix.{svc}", say("mix.no_window", service=svc))
    if sum(s.demand.service_mix.values()) <= 0:
        add("demand.service_mix", say("weights.zero"))

    for svc, spec in s.services.items():
        if spec.instant_issue and s.devices.instant_printers.count == 0 and s.demand.service_mix.get(svc, 0) > 0:
            add(f"services.{svc}.instant_issue", say("instant.no_printer"))
    for svc in s.devices.kiosks.services:
        if svc not in services:
            add("devices.kiosks.services", say("service.unknown", service=svc))
        elif s.services[svc].kiosk_time is None:
            add("devices.kiosks.services", say("kiosk.no_time", service=svc))

    if s.continuous:
        if s.demand.arrival_rate_per_min is None:
            add("demand.arrival_rate_per_min", say("continuous.rate"))
        if s.policies.staffing != "always":
            add("policies.staffing", say("continuous.staffing"))
        if s.run.warmup_min >= s.run.horizon_min:
            add("run.warmup_min", say("continuous.warmup", horizon=s.run.horizon_min, warmup=s.run.warmup_min))
    else:
        if s.demand.visitors_per_day is None and s.demand.arrival_rate_per_min is None:
            add("demand.visitors_per_day", say("demand.volume"))
        if not any(h is not None for h in s.hall.opening_hours.values()):
            add("hall.opening_hours", say("hall.never_open"))

    if s.policies.green_channel.mode == "dedicated" and not any(w.kind == "green" for w in s.windows):
        add("policies.green_channel.mode", say("green.no_window"))

    posts = set(ids) | {"guide"}
    names: set[str] = set()
    for i, person in enumerate(s.staff):
        if person.name in names:
            add(f"staff.{i}.name", say("staff.duplicate", name=person.name))
        names.add(person.name)
        days = [("", person)] + [(f".by_weekday.{d}", person.on(d)) for d, x in person.by_weekday.items() if x]
        for where, p in days:
            _check_person(add, f"staff.{i}", where, p, posts)
    if s.policies.staffing == "roster" and not s.staff:
        add("staff", say("staff.none"))
    if (
        s.policies.guide_desk.enabled
        and s.policies.staffing == "roster"
        and not any(p.a_post == "guide" for p in s.staff)
    ):
        add("policies.guide_desk.enabled", say("guide.nobody"))
    elif s.policies.guide_desk.enabled and s.policies.staffing == "roster" and any(p.by_weekday for p in s.staff):
        for d, hours in s.hall.opening_hours.items():
            if hours is not None and not any(p.a_post == "guide" for p in s.staff_on(d)):
                add("policies.guide_desk.enabled", say("guide.nobody") + f" ({d})")

    if s.demand.hourly_profile is not None and sum(s.demand.hourly_profile.values()) <= 0:
        add("demand.hourly_profile", say("weights.zero"))
    for date, expected in s.demand.by_date.items():
        path = f"demand.by_date.{date.isoformat()}"
        if s.demand.visitors_per_day is None:
            add(path, say("by_date.needs_volume"))
        for svc, n in expected.items():
            if svc not in services:
                add(f"{path}.{svc}", say("service.unknown", service=svc))
            elif n > 0 and not any(svc in w.services for w in s.windows):
                add(f"{path}.{svc}", say("mix.no_window", service=svc))
    problems += issuance_problems(s)
    problems += visit_problems(s)
    return problems


def _check_person(add, at: str, where: str, p: Staff, posts: set[str]) -> None:
    """Posts and breaks of one person; ``where`` "" for the person's own fields, or
    ".by_weekday.<day>" for a weekday, whose checks cover only the fields it sets."""
    day = p.by_weekday.get(where.rsplit(".", 1)[-1]) if where else None
    own = lambda name: not where or getattr(day, name) is not None  # noqa: E731
    path = lambda name: f"{at}{where if own(name) and where else ''}.{name}"  # noqa: E731
    if own("a_post") and p.a_post not in posts | {"floater", HELPER_POST}:
        add(path("a_post"), say("staff.unknown_a_post", post=p.a_post))
    if p.b_post is not None and (own("a_post") or own("b_post")):
        if p.b_post not in posts:
            add(path("b_post"), say("staff.unknown_b_post", post=p.b_post))
        elif p.b_post == p.a_post:
            add(path("b_post"), say("staff.b_is_a", post=p.a_post))
    if own("shift") or own("breaks"):
        start, end = to_minutes(p.shift.start), to_minutes(p.shift.end)
        for j, b in enumerate(p.breaks):
            t = to_minutes(b.start)
            if not start <= t < end:
                add(f"{path('breaks')}.{j}.start",
                    say("staff.break_outside", start=b.start, shift=f"{p.shift.start}-{p.shift.end}"))
