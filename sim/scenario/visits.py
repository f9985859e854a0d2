"""Kinds of visit beyond "one ticket, one window": appointments, multi-step services,
home visits and accompanied service for the elderly.

Optional parts of a scenario, all off by default so that a scenario without them runs
exactly as before:

* ``appointments`` (:class:`Appointments`, 预约): per service a share of the demand books
  a slot; booked visitors come around their slot (:class:`Punctuality`), some not at all
  (``no_show_rate``); a booked ticket is called first once its slot has come, unless the
  visitor came later than the slot plus ``grace_min`` (then it is an ordinary ticket);
  ``reserved_windows`` call booked tickets only (and walk-ins when no booked ticket is due,
  if ``reserved_take_walk_ins``).
* ``services.<code>.steps`` (:class:`Step`): later steps of a visit at other windows (a
  transfer: the card made at the social-security window, then 金融功能启用 at the bank
  window). A later step is queued with the visitor's original ticket number, so a
  transfer is not sent to the back of the queue.
* ``home_visits`` (:class:`HomeVisits`, 上门服务): named staff leave the hall for trips.
* ``helpers`` (:class:`Helpers`, 陪办 / 帮办): staff on the helper post accompany an
  elderly visitor, one to one, from the ticket machine to the end of the visit.

:func:`visit_problems` names the fields of what cannot fit together (an unknown window, a
step no window serves, a booking in a continuous run). Times are minutes; shares 0–1.
Every number has a finite upper bound (``le=``), far above any real hall.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.scenario.clock import Clock, to_minutes
from sim.scenario.distributions import Distribution, Exponential, Fixed, Lognormal, Triangular
from sim.scenario.messages import Message

__all__ = ["Appointments", "HELPER_POST", "Helpers", "HomeVisits", "MAX_HELP_FACTOR", "Punctuality", "Step", "VISIT_MESSAGES", "step_code", "step_windows", "visit_findings", "visit_problems"]

Share = Annotated[float, Field(ge=0, le=1)]
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]+$", min_length=1, max_length=40)]
DeviceKind = Literal["computer", "card_reader", "printer", "scanner"]

MAX_SLOT_MIN = 480.0
"""Longest slot (and grace window), minutes: a working day."""

HELPER_POST = "helper"
"""The ``a_post`` of the staff who accompany elderly visitors (:class:`Helpers`)."""

MAX_HELP_FACTOR = 5.0
"""Largest ``helpers.window_time_factor``: a helped visit at most five times as long."""


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# ------------------------------------------------------------------- messages
VISIT_MESSAGES: dict[str, tuple[str, str]] = {
    "appt.unknown_service": ("unknown service {service!r}", "未知业务 {service!r}"),
    "appt.unknown_window": ("unknown window {window!r}", "未知窗口 {window!r}"),
    "appt.continuous": ("appointments need opening hours and slots; a continuous run (run.horizon_min) has none",
                        "预约需要营业时间和时段；连续运行（run.horizon_min）没有"),
    "appt.no_window": ("{service!r} is booked but no window serves it", "业务 {service!r} 可预约，但没有窗口办理"),
    "appt.reserved_only": ("every window serving {service!r} is reserved for booked tickets and "
                           "reserved_take_walk_ins is false, so its walk-in visitors could never be served",
                           "办理业务 {service!r} 的窗口全部是预约专窗且 reserved_take_walk_ins 为 false，"
                           "现场取号的群众永远办不了"),
    "appt.no_demand": ("{service!r} has a booked share but no demand in demand.service_mix: nobody books it",
                       "业务 {service!r} 设置了预约比例，但 demand.service_mix 中没有需求：无人预约"),
    "home.unknown_staff": ("unknown staff member {name!r}", "未知工作人员 {name!r}"),
    "home.no_printer": ("takes_printer needs devices.instant_printers.count >= 1",
                        "takes_printer 需要即时制卡设备：devices.instant_printers.count ≥ 1"),
    "home.continuous": ("home visits need opening days; a continuous run (run.horizon_min) has none",
                        "上门服务需要营业日；连续运行（run.horizon_min）没有"),
    "help.no_post": ("no staff member has a_post 'helper': nobody could accompany the elderly",
                     "没有工作人员的A岗是陪办岗（helper）：无人能陪同老年人办理"),
    "help.post_unused": ("a_post 'helper' needs the helpers section (helpers: {{ask_share: …}})",
                         "A岗 helper（陪办岗）需要 helpers 配置段（helpers: {{ask_share: …}}）"),
    "help.off_shift": ("no staff member with a_post 'helper' is on shift while the hall is open "
                       "(their shifts {shifts}; opening hours {opening}): nobody is ever helped",
                       "营业时间内没有A岗为 helper 的工作人员在岗（班次 {shifts}；营业时间 {opening}）：无人获得陪办"),
    "help.off_day": ("on {days} nobody with a_post 'helper' is on shift while the hall is open (staff.*.by_weekday): "
                     "the elderly who ask for a helper those days are not helped",
                     "{days} 营业时间内没有A岗为 helper 的工作人员在岗（staff.*.by_weekday）：这些天申请陪办的老年人得不到陪办"),
    "help.b_post_idle": ("{name} is on the helper post and B of window {window!r}, but helpers.staff_may_cover is "
                         "false: {name} never leaves the helper post to cover {window!r}",
                         "{name} 在陪办岗，同时是窗口 {window!r} 的B岗，但 helpers.staff_may_cover 为 false："
                         "{name} 不会离开陪办岗去顶 {window!r}"),
    "help.no_elderly": ("helpers.ask_share is above 0 but demand.elderly_share is 0: nobody asks for a helper",
                        "helpers.ask_share 大于 0，但 demand.elderly_share 为 0：没有人申请陪办"),
    "step.window_choice": ("give either windows or window_kind (exactly one)", "windows 与 window_kind 须且只能给一个"),
    "step.unknown_window": ("unknown window {window!r}", "未知窗口 {window!r}"),
    "step.no_window": ("no window serves step {step!r} of {service!r}", "没有窗口办理业务 {service!r} 的步骤 {step!r}"),
    "step.lacks_device": ("step {step!r} needs a {device}, which window {window!r} lacks and devices.shared has none of",
                          "步骤 {step!r} 需要设备 {device}，窗口 {window!r} 没有配备，devices.shared 中也没有共用的"),
    "step.kiosk": ("a service with later steps is not offered at kiosks (remove it from devices.kiosks.services)",
                   "含后续步骤的业务不能在自助终端办理（请从 devices.kiosks.services 中删除）"),
    "step.two_cards": ("at most one step of a service issues a card on the spot (instant_issue)",
                       "一项业务至多一个步骤立等可取制卡（instant_issue）"),
    "step.no_printer": ("needs devices.instant_printers.count >= 1", "立等可取需要即时制卡设备：devices.instant_printers.count ≥ 1"),
    "step.duplicate": ("duplicate step name {step!r}", "步骤名 {step!r} 重复"),
}
"""English and Chinese text of the problems :func:`visit_problems` names."""


class VisitMessage(Message):
    """A :class:`~sim.scenario.messages.Message` whose text comes from :data:`VISIT_MESSAGES`."""

    def in_lang(self, lang: str) -> str:
        if lang != "zh" or self.key not in VISIT_MESSAGES:
            return str(self)
        return VISIT_MESSAGES[self.key][1].format(**self.values)

    def __reduce__(self):
        return (VisitMessage, (str(self), self.key, self.values, self.got))


def _say(key: str, /, **values) -> VisitMessage:
    return VisitMessage(VISIT_MESSAGES[key][0].format(**values), key, values)


# --------------------------------------------------------------- appointments
class Punctuality(_Value):
    """When booked visitors come: a share ``early_share`` comes ``early`` minutes before
    the slot, the others ``late`` minutes after it (each a distribution of minutes)."""

    early_share: Share = 0.7
    early: Distribution = Triangular(dist="triangular", low=0, mode=5, high=15)
    late: Distribution = Exponential(dist="exponential", mean=5.0)


class Appointments(_Value):
    """Booked visits (预约, e.g. through 一网通办 or the card apps).

    ``booked_share`` maps a service to the share of its demand that books (the same total
    demand: a visitor who would have come at time t books the slot holding t). Slots are
    ``slot_min`` minutes long from opening; ``slot_capacity`` caps the bookings per slot
    over all services (those who find the slot full come as walk-ins; null: no cap).
    A booked ticket is called first, at any window serving the service, once its slot has
    come (early visitors wait for it; their wait counts from the slot). A visitor who
    comes more than ``grace_min`` minutes after the slot takes an ordinary ticket.
    ``no_show_rate`` of bookings never come. ``reserved_windows`` call booked tickets only,
    and ordinary ones when no booked ticket is due if ``reserved_take_walk_ins``."""

    booked_share: dict[Name, Share] = Field(default_factory=dict, max_length=200)
    slot_min: float = Field(15.0, gt=0, le=MAX_SLOT_MIN)
    slot_capacity: int | None = Field(None, ge=1, le=10_000)
    punctuality: Punctuality = Punctuality()
    no_show_rate: Share = 0.0
    grace_min: float = Field(10.0, ge=0, le=MAX_SLOT_MIN)
    reserved_windows: list[Name] = Field(default_factory=list, max_length=200)
    reserved_take_walk_ins: bool = True

    @property
    def on(self) -> bool:
        """Some service has a booked share above 0."""
        return any(x > 0 for x in self.booked_share.values())


# ---------------------------------------------------------------------- steps
class Step(_Value):
    """A later step of a service at another window (a transfer). The step is served at
    ``windows`` (ids) or at every window of ``window_kind`` (give exactly one) for ``time``
    minutes (× the service's ``elderly_multiplier`` for the elderly), holding ``devices``;
    ``instant_issue`` ends the step with on-the-spot card making on an instant printer."""

    name: Name
    windows: list[Name] | None = Field(None, min_length=1, max_length=200)
    window_kind: Literal["general", "green", "bank"] | None = None
    time: Distribution
    devices: list[DeviceKind] = Field(default_factory=list)
    instant_issue: bool = False

    @model_validator(mode="after")
    def _one_choice(self):
        if (self.windows is None) == (self.window_kind is None):
            raise ValueError(_say("step.window_choice"))
        return self


def step_code(service: str, k: int) -> str:
    """The queue code of step ``k`` (1-based; step 0 is the service itself) of ``service``:
    ``"apply>1"`` (``>`` cannot occur in a service code)."""
    return f"{service}>{k}"


def step_windows(step: Step, windows) -> list[str]:
    """Ids of the scenario ``windows`` that serve ``step``."""
    if step.windows is not None:
        return [w.id for w in windows if w.id in step.windows]
    return [w.id for w in windows if w.kind == step.window_kind]


# ----------------------------------------------------------------- home visits
class HomeVisits(_Value):
    """Home service (上门服务) for people with limited mobility (忻州 notice; 温州 rules art. 15).

    Requests come at ``requests_per_week`` (Poisson, spread evenly over the opening days)
    and wait, oldest first, for a trip. At each clock time of ``at`` every member of
    ``staff`` who is on shift and not away takes the oldest waiting request: after their
    current visitor they leave the hall for a ``trip`` (minutes: travel and service),
    taking one instant printer with them when ``takes_printer`` (the portable card kit).
    ``rule: covered`` sends someone only when another person is free to cover their
    window; ``fixed`` sends them whatever the hall's state."""

    requests_per_week: float = Field(gt=0, le=10_000)
    staff: list[Name] = Field(min_length=1, max_length=50)
    at: list[Clock] = Field(default_factory=lambda: ["10:00", "14:30"], min_length=1, max_length=24)
    trip: Distribution = Lognormal(dist="lognormal", mean=90.0, cv=0.3)
    rule: Literal["fixed", "covered"] = "covered"
    takes_printer: bool = False


# --------------------------------------------------------------------- helpers
class Helpers(_Value):
    """Accompanied service for the elderly (陪办 / 帮办; 温州 rules art. 8 and 13).

    The staff with ``a_post: helper`` attend the helper post (like the guide desk). An
    elderly visitor asks for a helper with probability ``ask_share`` when they reach the
    ticket machine (after the guide desk, when it is open). A helper free at the post joins
    them and stays with them, one to one, until the visit ends (kiosk or window, printing,
    later steps; also when it ends early). When no helper is free, ``when_busy: wait``
    queues the visitor (first come, first served) for the next free helper for at most
    ``patience`` minutes, then they go on alone; ``alone`` sends them on alone at once.
    Under ``policies.staffing: always`` anonymous helpers attend the post all the time: as
    many as the staff list has on the helper post, at least one.

    A helped visitor whose service a kiosk offers uses the kiosk with probability
    ``kiosk_preference`` (the helper takes them through it) instead of
    ``demand.elderly_kiosk_preference``, from the same draw, so a visitor who would use
    the kiosk alone also uses it with a helper when ``kiosk_preference`` is the larger. At a
    window every step of a helped visit takes ``window_time_factor`` times its minutes.
    ``staff_may_cover`` lets a helper who accompanies nobody leave the post to cover an
    empty window (after the guide desk's staff)."""

    ask_share: Share = 0.3
    when_busy: Literal["wait", "alone"] = "wait"
    patience: Distribution = Fixed(dist="fixed", value=10.0)
    kiosk_preference: Share = 0.5
    window_time_factor: float = Field(1.0, gt=0, le=MAX_HELP_FACTOR)
    staff_may_cover: bool = False


# ------------------------------------------------------------------- problems
def visit_problems(s) -> list[tuple[str, str]]:
    """(field path, message) problems of the appointments and the services' steps."""
    problems: list[tuple[str, str]] = []
    ids = {w.id for w in s.windows}
    shared = {k for k, n in s.devices.shared.items() if n > 0}
    appt = s.appointments
    if appt is not None:
        for svc, share in appt.booked_share.items():
            path = f"appointments.booked_share.{svc}"
            if svc not in s.services:
                problems.append((path, _say("appt.unknown_service", service=svc)))
            elif share > 0 and not any(svc in w.services for w in s.windows):
                problems.append((path, _say("appt.no_window", service=svc)))
        for i, wid in enumerate(appt.reserved_windows):
            if wid not in ids:
                problems.append((f"appointments.reserved_windows.{i}", _say("appt.unknown_window", window=wid)))
        if appt.on and s.continuous:
            problems.append(("appointments", _say("appt.continuous")))
    home = s.home_visits
    if home is not None:
        known = {p.name for p in s.staff}
        for i, name in enumerate(home.staff):
            if name not in known:
                problems.append((f"home_visits.staff.{i}", _say("home.unknown_staff", name=name)))
        if home.takes_printer and s.devices.instant_printers.count == 0:
            problems.append(("home_visits.takes_printer", _say("home.no_printer")))
        if s.continuous:
            problems.append(("home_visits", _say("home.continuous")))
    problems += _helper_problems(s)
    for svc, spec in s.services.items():
        names: set[str] = set()
        for k, step in enumerate(spec.steps):
            path = f"services.{svc}.steps.{k}"
            if step.name in names:
                problems.append((f"{path}.name", _say("step.duplicate", step=step.name)))
            names.add(step.name)
            for wid in step.windows or []:
                if wid not in ids:
                    problems.append((f"{path}.windows", _say("step.unknown_window", window=wid)))
            serving = [w for w in s.windows if w.id in step_windows(step, s.windows)]
            if not serving:
                problems.append((path, _say("step.no_window", step=step.name, service=svc)))
            for w in serving:
                for dev in step.devices:
                    if dev not in w.devices and dev not in shared:
                        problems.append((f"{path}.devices", _say("step.lacks_device", step=step.name, device=dev,
                                                                  window=w.id)))
            if step.instant_issue and s.devices.instant_printers.count == 0:
                problems.append((f"{path}.instant_issue", _say("step.no_printer")))
        if spec.steps:
            if svc in s.devices.kiosks.services and s.devices.kiosks.count > 0:
                problems.append((f"services.{svc}.steps", _say("step.kiosk")))
            if spec.instant_issue + sum(step.instant_issue for step in spec.steps) > 1:
                problems.append((f"services.{svc}.steps", _say("step.two_cards")))
    return problems


def _helper_problems(s) -> list[tuple[str, str]]:
    """The helper post without the ``helpers`` section, or a rostered hall's section
    without anyone on the post (``staffing: always`` has anonymous helpers)."""
    out = []
    on_post = [f"staff.{i}{where}.a_post" for i, p in enumerate(s.staff)
               for where, day in [("", p)] + [(f".by_weekday.{d}", x) for d, x in p.by_weekday.items() if x]
               if day.a_post == HELPER_POST]
    if s.helpers is None:
        out += [(path, _say("help.post_unused")) for path in on_post]
    elif s.policies.staffing == "roster" and not on_post:
        out.append(("helpers", _say("help.no_post")))
    return out


def _helper_findings(s) -> list[tuple[str, str, str]]:
    """Warnings about the helpers: nobody on the helper post is on shift while the hall is
    open; a helper who is some window's B but may not leave the post; nobody elderly."""
    hp = s.helpers
    if hp is None or s.policies.staffing != "roster":
        return []
    out = []
    # each opening weekday with the staff as they work that day (staff.*.by_weekday)
    days = {wd: h for wd, h in s.hall.opening_hours.items() if h is not None}
    helped_on = {wd: any(p.a_post == HELPER_POST and to_minutes(p.shift.start) < to_minutes(h.close)
                         and to_minutes(h.open) < to_minutes(p.shift.end) for p in s.staff_on(wd))
                 for wd, h in days.items()}
    on_post = [q for p in s.staff for q in [p, *(p.on(wd) for wd in p.by_weekday)]
               if q is not None and q.a_post == HELPER_POST]
    if on_post and days and not any(helped_on.values()):
        shifts = ", ".join(sorted({f"{p.shift.start}-{p.shift.end}" for p in on_post}))
        opening = ", ".join(sorted({f"{h.open}-{h.close}" for h in days.values()}))
        out.append(("warning", "helpers", _say("help.off_shift", shifts=shifts, opening=opening)))
    elif on_post and not all(helped_on.values()):
        out.append(("warning", "helpers", _say("help.off_day", days=", ".join(wd for wd, ok in helped_on.items()
                                                                                if not ok))))
    if not hp.staff_may_cover:
        windows = {w.id for w in s.windows}
        for i, p in enumerate(s.staff):
            for where, q in [("", p), *((f".by_weekday.{wd}", p.on(wd)) for wd in p.by_weekday)]:
                if q is not None and q.a_post == HELPER_POST and q.b_post in windows and \
                        (not where or (q.a_post, q.b_post) != (p.a_post, p.b_post)):
                    out.append(("warning", f"staff.{i}{where}.b_post",
                                _say("help.b_post_idle", name=q.name, window=q.b_post)))
    if hp.ask_share > 0 and s.demand.elderly_share <= 0:
        out.append(("warning", "helpers.ask_share", _say("help.no_elderly")))
    return out


def visit_findings(s) -> list[tuple[str, str, str]]:
    """Semantic findings (level ``refusal`` or ``warning``, field path, message) of a valid
    scenario's appointments, for :func:`sim.scenario.checks.check`: walk-in visitors of a
    service whose every window is reserved for booked tickets and takes no walk-ins
    (refused: they could never be served); a booked share of a service without demand
    (warned: nobody books it); and the helpers' warnings (:func:`_helper_findings`)."""
    appt = s.appointments
    out = _helper_findings(s)
    if appt is None or not appt.on:
        return out
    reserved = set(appt.reserved_windows)
    for svc, share in appt.booked_share.items():
        path = f"appointments.booked_share.{svc}"
        weight = s.demand.service_mix.get(svc, 0)
        if share > 0 and weight <= 0:
            out.append(("warning", path, _say("appt.no_demand", service=svc)))
    if not appt.reserved_take_walk_ins:
        for svc, weight in s.demand.service_mix.items():
            at = [w.id for w in s.windows if svc in w.services]
            if weight > 0 and appt.booked_share.get(svc, 0) < 1 and at and set(at) <= reserved:
                out.append(("refusal", "appointments.reserved_take_walk_ins", _say("appt.reserved_only", service=svc)))
    return out
