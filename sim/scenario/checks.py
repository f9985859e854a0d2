"""Semantic checks: scenarios that are valid field by field but make no sense as a hall day.

Validation (the schema and :func:`sim.scenario.schema.cross_check`) says a scenario is
well formed. These checks read what it *means* — which windows are open when, who is on
shift, how much work the demand brings — from the plan of each simulated day
(:class:`sim.scenario.timeline.DayGrid`) and report :class:`Finding` objects, each naming
the field to change:

* a **refusal** is a scenario nothing sensible can come out of; validation
  (:func:`sim.scenario.loader.validate`) refuses it like an invalid field:

  - a service with demand that only green windows offer, under ``green_channel: dedicated``
    with ``green_takes_ordinary: false`` (those windows call elderly tickets only, so every
    younger visitor of that service could never be served);
  - no window capacity at all: no staff on shift while the hall is open, no window ever open
    while the doors are, or the two never at the same time;
  - demand far above capacity: the offered work of the simulated days is
    :data:`REFUSE_LOAD` or more times the attended window-minutes (ρ ≥ 10: at least nine
    visitors in ten would leave unserved, and the run takes long to say so).
  - a service whose every window is reserved for booked tickets
    (``appointments.reserved_windows``) with ``reserved_take_walk_ins: false`` while some
    of its visitors walk in (:func:`sim.scenario.visits.visit_findings`).

* a **warning** is shown above the KPIs of ``hallsim run``, by ``hallsim validate`` and on
  the dashboard; the run goes ahead:

  - a service in the demand mix that no open window serves at some opening hour;
  - a window never attended (no staff member on shift while it is open), or one that no
    staff member has as A post (attended only when someone else is free);
  - offered load above the attended windows' capacity in some hour, with ρ per hour.
  - a booked share for a service without demand (nobody books it).

**Offered load** ρ of a period = expected window work / attended window-minutes. The work
is the expected arrivals of each service times the window minutes each brings
(:func:`window_work`: visitors served at a kiosk or sent away at the guide desk bring none,
elderly ones take ``elderly_multiplier`` times as long, a visit lacking documents its
``rejection_fraction``; return visits are left out). Attended windows at a minute are the
open windows, at most the staff members on shift and not on a scheduled break (guide-desk
staff only when they may cover; random absences are left out; the green channel's split of
tickets is ignored), so ρ is an optimistic figure: above 1 the queue grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from sim.scenario.clock import format_minutes
from sim.scenario.days import day_plans
from sim.scenario.messages import Message
from sim.scenario.timeline import DayGrid, window_minutes
from sim.scenario.visits import visit_findings

__all__ = ["Finding", "HourLoad", "REFUSE_LOAD", "CHECK_MESSAGES", "check", "refusals", "warnings",
           "hourly_load", "window_work", "service_load"]

REFUSE_LOAD = 10.0
"""Offered load (work / attended window-minutes over the simulated days) from which a
scenario is refused."""

CHECK_MESSAGES: dict[str, tuple[str, str]] = {
    "green.only_elderly": (
        "{service!r} is offered only at green windows ({windows}), which under green_channel dedicated with "
        "green_takes_ordinary: false call elderly tickets only, so visitors under {age} could never be served; "
        "add {service!r} to a general window or set policies.green_channel.green_takes_ordinary: true",
        "业务 {service!r} 只在绿色通道窗口（{windows}）办理，而专窗模式（dedicated）下 green_takes_ordinary: false "
        "的绿色窗口只叫老年人的号，{age} 岁以下的办事群众永远办不了；请把 {service!r} 加到普通窗口，"
        "或设置 policies.green_channel.green_takes_ordinary: true"),
    "capacity.no_staff": (
        "no staff member is on shift while the hall is open (shifts {shifts}; opening hours {opening}): "
        "no window is ever attended and no visitor could be served at a window",
        "营业时间内没有任何工作人员在岗（班次 {shifts}；营业时间 {opening}）：没有窗口有人，"
        "没有人能在窗口办理业务"),
    "capacity.no_window": (
        "no window is ever open while the hall is (window hours {hours}; opening hours {opening}): "
        "no visitor could be served at a window",
        "营业时间内没有任何窗口开放（窗口时段 {hours}；营业时间 {opening}）：没有人能在窗口办理业务"),
    "capacity.never_together": (
        "no staff member is on shift while a window is open (shifts {shifts}; window hours {hours}): "
        "no visitor could be served at a window",
        "窗口开放时没有任何工作人员在岗（班次 {shifts}；窗口时段 {hours}）：没有人能在窗口办理业务"),
    "load.refused": (
        "the demand is {rho} times what the windows can serve: about {arrivals} expected arrivals bring "
        "{work} window-minutes of work, the attended windows give {capacity} window-minutes over the {days} "
        "simulated day(s) (offered load {rho}; {limit} or more is refused): nearly every visitor would leave "
        "unserved; lower the demand, or add windows and staff",
        "需求是窗口办理能力的 {rho} 倍：约 {arrivals} 人次预计到达，需要 {work} 窗口分钟的办理量，"
        "而 {days} 个模拟日内有人值守的窗口只有 {capacity} 窗口分钟（负荷 {rho}；≥ {limit} 不予运行）："
        "几乎所有人都办不成；请降低需求，或增加窗口和人员"),
    "service.uncovered": (
        "no open window serves {service!r} {when} (visitors arriving then wait until one opens, or leave)",
        "{when_zh}没有开放的窗口办理业务 {service!r}（这段时间到达的人只能等窗口开放，或离开）"),
    "window.never_attended": (
        "window {id!r} is never attended: no staff member is on shift while it is open ({hours}); "
        "it is an empty window (空窗) whenever it is open",
        "窗口 {id!r} 从来无人值守：它开放时（{hours}）没有工作人员在岗；开放期间一直是空窗"),
    "window.no_a_post": (
        "no staff member has window {id!r} as A post: it is attended only when someone else is free to cover it",
        "没有工作人员以窗口 {id!r} 为 A 岗：只有别人空闲时才会有人顶岗"),
    "load.over": (
        "offered load above the attended windows' capacity {hours} (ρ = expected arrivals × mean window time / "
        "attended windows; above 1 the queue grows through that hour)",
        "业务负荷超过有人值守窗口的办理能力：{hours_zh}（ρ = 预计到达人数 × 平均窗口办理时间 / 有人值守的窗口数；"
        "大于 1 时该小时内排队越来越长）"),
}
"""English and Chinese text of every finding (placeholders filled by :func:`_say`)."""


class CheckMessage(Message):
    """A :class:`~sim.scenario.messages.Message` whose text comes from :data:`CHECK_MESSAGES`."""

    def in_lang(self, lang: str) -> str:
        if lang != "zh" or self.key not in CHECK_MESSAGES:
            return str(self)
        try:
            return CHECK_MESSAGES[self.key][1].format(**self.values)
        except (KeyError, IndexError, ValueError):
            return str(self)

    def __reduce__(self):
        return (CheckMessage, (str(self), self.key, self.values, self.got))


def _say(key: str, /, **values) -> CheckMessage:
    return CheckMessage(CHECK_MESSAGES[key][0].format(**values), key, values)


@dataclass(frozen=True)
class Finding:
    """One semantic problem: ``level`` refusal or warning, the field ``path`` to change
    (``demand.service_mix.apply``), and the ``message`` (a str that can say itself in
    Chinese: ``message.in_lang("zh")``)."""

    level: Literal["refusal", "warning"]
    path: str
    message: Message


@dataclass(frozen=True)
class HourLoad:
    """Offered load in one clock hour (or part of one) of the days ``days``.

    ``days``: the weekdays (or dates) of the simulated days that share this plan, e.g.
    ``"mon, tue"``; ``start`` / ``end``: "HH:MM" (continuous runs: the horizon);
    ``arrivals``: expected arrivals; ``work_min``: expected window-minutes of work they
    bring; ``capacity_min``: attended window-minutes (doors open); ``rho``: work /
    capacity (inf when work meets no attended window, NaN when there is neither)."""

    days: str
    start: str
    end: str
    arrivals: float
    work_min: float
    capacity_min: float
    rho: float


# --------------------------------------------------------------------- offered work
def service_load(s, svc: str) -> tuple[float, float, float]:
    """What one arrival of service ``svc`` brings to the windows, in expectation: (the share
    that takes a ticket — not served at a kiosk, not sent away at the guide desk —, the
    minutes of its first window step, the minutes of its later steps). Window minutes are
    ``window_time`` (× ``elderly_multiplier`` for the elderly; × ``rejection_fraction`` for
    a visit that turns out to lack documents); later steps count for the visits not sent
    away. With ``helpers``, a share ``ask_share`` of the elderly comes with a helper (every
    asker counted as helped: the most a helper can change), using a kiosk with the helpers'
    ``kiosk_preference`` and taking ``window_time_factor`` times the minutes at every step.
    Shared by the semantic checks (:func:`window_work`) and the staffing search."""
    kiosk_services = set(s.devices.kiosks.services) if s.devices.kiosks.count > 0 else set()
    detect = s.policies.guide_desk.detect_missing_docs if s.policies.guide_desk.enabled else 0.0
    elderly = s.demand.elderly_share
    spec = s.services[svc]
    caught = spec.missing_docs_prob * detect
    at_window = spec.missing_docs_prob - caught
    lack = at_window / (1.0 - caught) if caught < 1 else 0.0
    hp = s.helpers
    helped = hp.ask_share if hp is not None else 0.0
    # (share of arrivals, kiosk preference, factor on window minutes) of each kind of visitor
    kinds = [(1.0 - elderly, s.demand.kiosk_preference, 1.0),
             (elderly * (1.0 - helped), s.demand.elderly_kiosk_preference, spec.elderly_multiplier)]
    if hp is not None:
        kinds.append((elderly * helped, hp.kiosk_preference, spec.elderly_multiplier * hp.window_time_factor))
    share = first = later = 0.0
    for p_group, pref, factor in kinds:
        p_ticket = p_group * (1.0 - caught) * (1.0 - (pref if svc in kiosk_services else 0.0))
        share += p_ticket
        first += p_ticket * float(spec.window_time.mean) * factor * (1.0 - lack * (1.0 - spec.rejection_fraction))
        later += p_ticket * (1.0 - lack) * sum(float(step.time.mean) for step in spec.steps) * factor
    return share, first, later


def window_work(s) -> dict[str, float]:
    """Expected window minutes that one arrival of each service brings, first step and
    later steps (:func:`service_load`)."""
    out = {}
    for svc in s.services:
        _share, first, later = service_load(s, svc)
        out[svc] = first + later
    return out


@dataclass(frozen=True)
class _Shape:
    """Simulated days that share one plan (hours, lunch, factor, mix): their labels
    (weekdays, or dates for ``demand.by_date`` days), how many they are, and one grid."""

    labels: tuple[str, ...]
    count: int
    grid: DayGrid


def _shapes(s) -> list[_Shape]:
    """The simulated days grouped by plan (not for continuous runs)."""
    groups: dict[tuple, list] = {}
    for day in day_plans(s):
        key = (day.open_min, day.close_min, day.lunch_closed, day.factor, day.mix)
        label = day.date.isoformat() if day.mix is not None and day.date else (day.weekday or "")
        group = groups.setdefault(key, [day, [], 0])
        if label not in group[1]:
            group[1].append(label)
        group[2] += 1
    return [_Shape(tuple(labels), count, DayGrid(s, day)) for day, labels, count in groups.values()]


def _work_per_minute(s, grid: DayGrid, work: dict[str, float]) -> np.ndarray:
    total = np.zeros(len(grid.minutes))
    for svc, arrivals in grid.arrivals.items():
        total += arrivals * work.get(svc, 0.0)
    return total


def hourly_load(s) -> list[HourLoad]:
    """Offered load per clock hour of each plan of the simulated days (the part of each
    hour in which the doors are open), or one row for a continuous run; see the module doc."""
    if s.continuous:
        return [row for _count, row in _continuous_load(s)]
    return [row for _count, row in _hour_rows(s, _shapes(s))]


def _continuous_load(s) -> list[tuple[int, HourLoad]]:
    """The one (count, row) of a continuous run: a flat rate over the horizon, every window attended."""
    work = window_work(s)
    rate = float(s.demand.arrival_rate_per_min or 0.0)
    mix = s.demand.service_mix
    total = sum(mix.values()) or 1.0
    horizon = float(s.run.horizon_min)
    offered = rate * horizon * sum(w / total * work.get(k, 0.0) for k, w in mix.items())
    cap = len(s.windows) * horizon
    return [(1, HourLoad("run", "00:00", f"{horizon:g} min", rate * horizon, offered, cap, _ratio(offered, cap)))]


def _hour_rows(s, shapes: list[_Shape]) -> list[tuple[int, HourLoad]]:
    """(days sharing the plan, row) per clock hour of each plan."""
    work = window_work(s)
    rows = []
    for shape in shapes:
        g = shape.grid
        w = _work_per_minute(s, g, work)
        arrivals = sum(g.arrivals.values()) if g.arrivals else np.zeros(len(g.minutes))
        hour = (g.minutes // 60).astype(int)
        for h in np.unique(hour[g.doors]):
            cells = (hour == h) & g.doors
            lo, hi = g.minutes[cells].min(), g.minutes[cells].max() + 1
            wk, cap = float(w[cells].sum()), float(g.attended[cells].sum())
            rows.append((shape.count, HourLoad(", ".join(shape.labels), format_minutes(lo), format_minutes(hi),
                                               float(arrivals[cells].sum()), wk, cap, _ratio(wk, cap))))
    return rows


def _ratio(work: float, capacity: float) -> float:
    if capacity > 0:
        return work / capacity
    return float("inf") if work > 1e-9 else float("nan")


# ------------------------------------------------------------------------ the checks
def check(s) -> list[Finding]:
    """Every semantic finding of a valid scenario ``s``, refusals first."""
    found = _green_only(s) + [Finding(level, path, msg) for level, path, msg in visit_findings(s)]
    if s.continuous:
        found += _load(s, _continuous_load(s))
    else:
        shapes = _shapes(s)
        found += _capacity(s, shapes)
        if not any(f.level == "refusal" for f in found):
            found += _uncovered(s, shapes) + _unattended(s, shapes) + _load(s, _hour_rows(s, shapes))
    found.sort(key=lambda f: f.level != "refusal")
    return found


def refusals(s) -> list[tuple[str, str]]:
    """(field path, message) of the findings that refuse ``s`` (what validation adds)."""
    return [(f.path, f.message) for f in check(s) if f.level == "refusal"]


def warnings(s) -> list[tuple[str, str]]:
    """(field path, message) of the warnings about ``s`` (shown above a run's KPIs)."""
    return [(f.path, f.message) for f in check(s) if f.level == "warning"]


def _demand_paths(s):
    """(path, service) of every service with demand: the mix, then ``by_date`` entries."""
    for svc, weight in s.demand.service_mix.items():
        if weight > 0:
            yield f"demand.service_mix.{svc}", svc
    for date, expected in s.demand.by_date.items():
        for svc, n in expected.items():
            if n > 0 and s.demand.service_mix.get(svc, 0) <= 0:
                yield f"demand.by_date.{date.isoformat()}.{svc}", svc


def _green_only(s) -> list[Finding]:
    green = s.policies.green_channel
    if green.mode != "dedicated" or green.green_takes_ordinary or s.demand.elderly_share >= 1:
        return []
    out = []
    for path, svc in _demand_paths(s):
        at = [w for w in s.windows if svc in w.services]
        if at and all(w.kind == "green" for w in at):
            out.append(Finding("refusal", path, _say("green.only_elderly", service=svc,
                                                     windows=", ".join(w.id for w in at),
                                                     age=s.demand.elderly_age)))
    return out


def _spans(minutes: np.ndarray, hit: np.ndarray) -> str:
    """"HH:MM–HH:MM, …" of the runs of ``hit`` on the minute grid."""
    out = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], hit.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):
        out.append(f"{format_minutes(minutes[a])}–{format_minutes(minutes[b - 1] + 1)}")
    return ", ".join(out)


def _periods_text(periods) -> str:
    return ", ".join(f"{format_minutes(a)}–{format_minutes(b)}" for a, b in periods) or "none"


def _opening_text(s) -> str:
    hours = sorted({(h.open, h.close) for h in s.hall.opening_hours.values() if h is not None})
    return ", ".join(f"{a}–{b}" for a, b in hours)


def _shifts_text(s) -> str:
    return ", ".join(sorted({f"{p.shift.start}–{p.shift.end}" for p in s.staff})) or "none"


def _window_hours_text(s) -> str:
    return "; ".join(f"{w.id} {_periods_text(window_minutes(s, w)) if w.hours is not None else 'all day'}"
                     for w in s.windows)


def _capacity(s, shapes: list[_Shape]) -> list[Finding]:
    """Refuse a scenario in which no window is ever both open and attended while there is work."""
    work = window_work(s)
    demand = sum(float((_work_per_minute(s, sh.grid, work) * sh.grid.doors).sum()) * sh.count for sh in shapes)
    if demand <= 1e-9 or any(sh.grid.attended[sh.grid.doors].sum() > 0 for sh in shapes):
        return []
    staffed = any((sh.grid.staff_on[sh.grid.doors] > 0).any() for sh in shapes)
    windows_open = any(sh.grid.window_open.any() for sh in shapes)
    opening, shifts, hours = _opening_text(s), _shifts_text(s), _window_hours_text(s)
    if not windows_open:
        return [Finding("refusal", "windows", _say("capacity.no_window", hours=hours, opening=opening))]
    if not staffed:
        return [Finding("refusal", "staff", _say("capacity.no_staff", shifts=shifts, opening=opening))]
    return [Finding("refusal", "staff", _say("capacity.never_together", shifts=shifts, hours=hours))]


def _when(shapes: list[_Shape], spans_of) -> tuple[str, str] | None:
    """("on mon 12:00–13:30; tue …", its Chinese) for the plans where ``spans_of(shape)``
    is not empty — "on every opening day 12:00–13:30" when it is the same for all — or None."""
    found = {", ".join(sh.labels): text for sh in shapes if (text := spans_of(sh))}
    if not found:
        return None
    if len(found) == len(shapes) and len(set(found.values())) == 1:
        span = next(iter(found.values()))
        return f"on every opening day {span}", f"每个营业日 {span} "
    parts = [f"{labels} {span}" for labels, span in found.items()]
    return "on " + "; ".join(parts), "；".join(parts) + " "


def _uncovered(s, shapes: list[_Shape]) -> list[Finding]:
    """Warn of each service with demand that no open window serves at some opening minute."""
    green = s.policies.green_channel
    ordinary_only_general = (green.mode == "dedicated" and not green.green_takes_ordinary
                             and s.demand.elderly_share < 1)
    out = []
    for path, svc in _demand_paths(s):
        rows = [i for i, w in enumerate(s.windows) if svc in w.services
                and not (ordinary_only_general and w.kind == "green")]

        def spans_of(sh: _Shape, svc=svc, rows=rows) -> str:
            g = sh.grid
            served = g.window_open[rows].any(axis=0) if rows else np.zeros(len(g.minutes), dtype=bool)
            wanted = g.arrivals.get(svc, np.zeros(len(g.minutes))) > 0
            return _spans(g.minutes, g.doors & wanted & ~served)

        said = _when(shapes, spans_of)
        if said:
            when, when_zh = said
            out.append(Finding("warning", path, _say("service.uncovered", service=svc, when=when, when_zh=when_zh)))
    return out


def _unattended(s, shapes: list[_Shape]) -> list[Finding]:
    """Warn of windows open while nobody is on shift, and of windows nobody has as A post."""
    if s.policies.staffing != "roster":
        return []
    out = []
    a_posts = {p.a_post for p in s.staff}
    for i, w in enumerate(s.windows):
        open_ever = any(sh.grid.window_open[i].any() for sh in shapes)
        if not open_ever:
            continue
        if not any((sh.grid.window_open[i] & (sh.grid.staff_on > 0)).any() for sh in shapes):
            hours = "; ".join(f"{', '.join(sh.labels)} {_spans(sh.grid.minutes, sh.grid.window_open[i])}"
                              for sh in shapes if sh.grid.window_open[i].any())
            out.append(Finding("warning", f"windows.{i}", _say("window.never_attended", id=w.id, hours=hours)))
        elif w.id not in a_posts:
            out.append(Finding("warning", f"windows.{i}", _say("window.no_a_post", id=w.id)))
    return out


def _demand_path(s) -> str:
    d = s.demand
    return "demand.visitors_per_day" if d.visitors_per_day is not None and not s.continuous \
        else "demand.arrival_rate_per_min"


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:.2g}"


def _rho_text(rho: float, lang: str = "en") -> str:
    if np.isinf(rho):
        return "∞（无人值守）" if lang == "zh" else "∞ (no window attended)"
    return f"{rho:.2f}"


def _load(s, rows: list[tuple[int, HourLoad]]) -> list[Finding]:
    """Refuse demand :data:`REFUSE_LOAD` or more times the capacity; warn of hours above 1."""
    work = sum(n * r.work_min for n, r in rows)
    cap = sum(n * r.capacity_min for n, r in rows)
    path = _demand_path(s)
    if cap > 0 and work / cap >= REFUSE_LOAD:
        rho = work / cap
        return [Finding("refusal", path, _say(
            "load.refused", rho=_number(rho), arrivals=_number(sum(n * r.arrivals for n, r in rows)),
            work=_number(work), capacity=_number(cap), days=1 if s.continuous else s.run.days,
            limit=f"{REFUSE_LOAD:g}"))]
    over: dict[str, list[HourLoad]] = {}
    for _n, r in rows:
        if r.rho > 1 and r.work_min > 1e-9:
            over.setdefault(r.days, []).append(r)
    if not over:
        return []
    plans = {r.days for _n, r in rows}
    texts = {lang: {day: ", ".join(f"{r.start}–{r.end} ρ {_rho_text(r.rho, lang)}" for r in hit)
                    for day, hit in over.items()} for lang in ("en", "zh")}
    if s.continuous:
        hours, hours_zh = f"over the run: {texts['en']['run']}", f"整个运行期间 {texts['zh']['run']}"
    elif len(over) == len(plans) and len(set(texts["en"].values())) == 1:
        hours = f"on every opening day: {next(iter(texts['en'].values()))}"
        hours_zh = f"每个营业日 {next(iter(texts['zh'].values()))}"
    else:
        hours = "on " + "; ".join(f"{day} {text}" for day, text in texts["en"].items())
        hours_zh = "；".join(f"{day} {text}" for day, text in texts["zh"].items())
    return [Finding("warning", path, _say("load.over", hours=hours, hours_zh=hours_zh))]
