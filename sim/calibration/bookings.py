"""Booked visits (预约) from a log with a booking flag: the ``appointments:`` section.

- **booked share per service** (``appointments.booked_share``): booked first tickets plus
  missed bookings ÷ first tickets plus missed bookings of the service (Wilson 95 %
  interval). In the model the demand includes the bookings that never come, so missed
  bookings count as demand too (:func:`sim.calibration.fit.fit_tickets` adds them).
- **no-show rate** (``appointments.no_show_rate``): missed bookings (status 爽约 / 预约未到 /
  未签到 / MISSED_APPOINTMENT) ÷ all bookings. A log that lists no missed booking gives 0,
  said so (many systems do not export them: set it by hand then).
- **punctuality** (``appointments.punctuality``), when the log has the slot time (预约时间 /
  appointment_time): arrival minus slot of booked tickets; ``early_share`` the share at or
  before the slot, ``early`` and ``late`` the minutes before / after, each fitted as window
  times are (:func:`sim.calibration.fit.fit_times`; at least
  :data:`~sim.calibration.fit.MIN_TIMES` each, else that part stays). ``slot_min`` is the
  most common step between the distinct slot times of a day. Without slot times,
  punctuality and slot length stay as in the hall file (or the defaults), said so.

``grace_min``, ``slot_capacity`` and ``reserved_windows`` are not fitted (the hall file's stay).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from sim.calibration.notes import Note
from sim.scenario.schema import Scenario

__all__ = ["BookingFit", "fit_bookings", "BOOKING_COLUMNS"]

BOOKING_COLUMNS = {"service": "service code", "booked": "booked first tickets", "missed": "bookings never redeemed",
                   "tickets": "first tickets plus missed bookings", "share": "booked share", "low": "95 % low",
                   "high": "95 % high"}
"""Columns of :attr:`BookingFit.shares`."""


@dataclass(frozen=True)
class BookingFit:
    """``shares`` (:data:`BOOKING_COLUMNS`), ``figures`` (figure, value, low, high, n: no-show
    rate, early share, mean minutes early / late, slot length), the ``appointments``
    section for the scenario (None when nothing was booked) and ``notes``."""

    shares: pd.DataFrame
    figures: pd.DataFrame
    appointments: dict[str, Any] | None
    notes: list[Note] = field(default_factory=list)


def _slot_step(booked: pd.DataFrame) -> float | None:
    steps = []
    for _d, day in booked.groupby("date"):
        s = np.unique(day["slot_min"].dropna().to_numpy(float))
        steps += list(np.round(np.diff(s), 3))
    steps = [x for x in steps if x > 0]
    if not steps:
        return None
    values, counts = np.unique(steps, return_counts=True)
    return float(values[np.argmax(counts)])


def fit_bookings(first: pd.DataFrame, missed: pd.DataFrame | None, hall: Scenario, slot_known: bool,
                 share: Callable, fit_times: Callable, min_times: int) -> BookingFit:
    """The booking figures of the first tickets ``first`` (with a booking flag) and the
    ``missed`` bookings; ``share(k, n)`` gives (value, low, high), ``fit_times(x)`` (spec,
    table) as in :mod:`sim.calibration.fit`."""
    notes: list[Note] = []
    missed = missed if missed is not None else pd.DataFrame(columns=["date", "service", "slot_min"])
    missed = missed[missed["service"].notna()]
    known = first[first["booked"].notna()]
    booked = known[known["booked"].astype(bool)]
    rows = []
    for svc in sorted(set(known["service"]) | set(missed["service"])):
        b = int((booked["service"] == svc).sum())
        m = int((missed["service"] == svc).sum())
        n = int((known["service"] == svc).sum()) + m
        rows.append({"service": svc, "booked": b, "missed": m, "tickets": n, **dict(zip(("share", "low", "high"),
                                                                                         share(b + m, n)))})
    shares = pd.DataFrame(rows, columns=list(BOOKING_COLUMNS))
    figs = []
    if len(booked) + len(missed) == 0:
        notes.append(Note("caln.no_booked"))
        return BookingFit(shares, pd.DataFrame(columns=["figure", "value", "low", "high", "n"]), None, notes)
    appt: dict[str, Any] = {"booked_share": {s: 0.0 for s in hall.demand.service_mix}
                            | {r.service: round(r.share, 4) for r in shares.itertuples()}}
    total = len(booked) + len(missed)
    rate = share(len(missed), total)
    figs.append({"figure": "no_show_rate", "value": rate[0], "low": rate[1], "high": rate[2], "n": total})
    appt["no_show_rate"] = round(rate[0], 4)
    if len(missed) == 0:
        notes.append(Note("caln.no_missed"))
    timed = booked[booked["slot_min"].notna()]
    if not slot_known or timed.empty:
        notes.append(Note("caln.no_slot"))
        return BookingFit(shares, pd.DataFrame(figs), appt, notes)
    d = (timed["issued_min"] - timed["slot_min"]).to_numpy(float)
    early = -d[d <= 0]
    late = d[d > 0]
    es = share(len(early), len(d))
    figs.append({"figure": "early_share", "value": es[0], "low": es[1], "high": es[2], "n": len(d)})
    punct: dict[str, Any] = {"early_share": round(es[0], 4)}
    for name, x in (("early", early), ("late", late)):
        if len(x) >= min_times:
            spec, _table = fit_times(x)
            punct[name] = spec
            figs.append({"figure": f"{name}_min", "value": float(x.mean()), "low": math.nan, "high": math.nan,
                         "n": len(x)})
        else:
            notes.append(Note("caln.few_early" if name == "early" else "caln.few_late", n=len(x)))
    appt["punctuality"] = punct
    step = _slot_step(timed)
    if step is not None:
        appt["slot_min"] = step
        figs.append({"figure": "slot_min", "value": step, "low": math.nan, "high": math.nan, "n": len(timed)})
    return BookingFit(shares, pd.DataFrame(figs, columns=["figure", "value", "low", "high", "n"]), appt, notes)
