"""The tidy ticket table: one row per window ticket, whatever system logged it.

Every log reader (:mod:`sim.calibration.logs`) returns this table, and
:func:`tickets_from_visits` makes the same table from a simulated run, so that the
fitting (:mod:`sim.calibration.fit`) and the observed-against-simulated figures
(:mod:`sim.calibration.validate`) treat the hall's log and the model alike.

Times are minutes since midnight of the ticket's ``date`` (as in the model's records).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario.schema import WEEKDAYS

__all__ = ["TICKET_COLUMNS", "OUTCOMES", "LEFT", "MISSED", "empty_tickets", "tickets_from_visits", "finish_tickets"]

OUTCOMES = ("served", "no_show", "abandoned", "transferred", "unserved")
"""What became of a ticket: ``served`` (已办结, NORMAL), ``no_show`` (过号: called but the
visitor was gone, NO_SHOW), ``abandoned`` (弃号: the visitor gave the ticket up, REMOVE),
``transferred`` (sent on to another service; the next ticket of the visit follows),
``unserved`` (still waiting when the hall closed, never called)."""

MISSED = "missed_booking"
"""Status of a booking that was never redeemed (爽约 / 预约未到): not a ticket (nobody came),
kept apart by the log readers (:attr:`sim.calibration.logs.ReadLog.missed`) for the no-show
rate of bookings."""

LEFT = ("no_show", "abandoned")
"""Outcomes of visitors who left before being served: each reveals a patience."""

TICKET_COLUMNS: dict[str, str] = {
    "line": "line of the row in the log file (counting the header and comment lines; XLSX: the sheet row); -1 for simulated tickets",
    "ticket": "ticket number as logged (票号; Qmatic: visit id and transaction)",
    "visit": "the visit the ticket belongs to (transfers make several tickets per visit)",
    "first": "True for the first ticket of a visit (an arrival); False for a transfer's next ticket",
    "date": "date the ticket was issued (datetime.date)",
    "weekday": "mon … sun of date",
    "business": "business name as logged (业务名称)",
    "service": "the hall file's service code (None when the business name matches none)",
    "issued_min": "ticket issued (取号时间), minutes since midnight of date",
    "called_min": "ticket called (叫号时间), minutes; for a left ticket the time it was marked left; NaN if never",
    "start_min": "service started (开始服务时间), minutes; NaN when not served",
    "end_min": "service finished (完成时间), minutes; NaN when not served",
    "wait_min": "called_min - issued_min: the wait (for a left ticket: until it was marked left)",
    "service_min": "end_min - start_min, or 办理时长(秒) / 60 when the log gives only that; NaN when not served",
    "window": "window name as logged (窗口名称, counter); empty when none",
    "staff": "operator (操作人员); empty when none",
    "outcome": "one of OUTCOMES",
    "elderly": "True when aged at or above the hall's elderly age (from 年龄 or the ID's birth date); NA if unknown",
    "booked": "True for a booked ticket (预约); NA if the log has no booking flag",
    "slot_min": "start of the booked slot (预约时间), minutes since midnight of date; NaN when not booked or not logged",
}
"""The columns of the ticket table, in order, with their meaning and unit."""


def empty_tickets() -> pd.DataFrame:
    """A ticket table with no rows."""
    return finish_tickets(pd.DataFrame({c: [] for c in TICKET_COLUMNS}))


def finish_tickets(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the derived columns (weekday, wait, service time when absent), typed
    and in the order of :data:`TICKET_COLUMNS`."""
    out = frame.copy()
    dates = pd.to_datetime(pd.Series(out["date"], dtype=object), errors="coerce")
    out["weekday"] = [WEEKDAYS[d.weekday()] if not pd.isna(d) else "" for d in dates]
    for c in ("issued_min", "called_min", "start_min", "end_min"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    out["wait_min"] = out["called_min"] - out["issued_min"]
    for c in ("service_min", "slot_min"):
        if c not in out:
            out[c] = np.nan
    for c in ("service_min", "slot_min"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    span = out["end_min"] - out["start_min"]
    out["service_min"] = span.where(span.notna(), out["service_min"])
    for c in ("window", "staff", "business", "ticket", "visit"):
        out[c] = out[c].fillna("").astype(str)
    out["first"] = out["first"].astype(bool)
    out["line"] = out["line"].astype(np.int64)
    for c in ("elderly", "booked"):
        out[c] = out[c].astype("boolean")
    return out[list(TICKET_COLUMNS)].reset_index(drop=True)


_KIOSK_OR_NO_TICKET = ("served_kiosk", "baulked")


def tickets_from_visits(visits: pd.DataFrame) -> pd.DataFrame:
    """The ticket table of a simulated run's ``visits`` table (one replication): every
    visit that took a window ticket. Served and missing-documents visits are ``served``;
    abandoned visits are ``no_show`` (过号) marked when they left; visitors still waiting at
    closing are ``unserved``. Kiosk visits and baulked visitors took no window ticket."""
    v = visits[visits["ticket"].notna() & ~visits["outcome"].isin(_KIOSK_OR_NO_TICKET)]
    if v.empty:
        return empty_tickets()
    outcome = v["outcome"].map({"served": "served", "missing_docs": "served", "abandoned": "no_show",
                                "unserved_at_close": "unserved"}).fillna("unserved")
    left = outcome.isin(LEFT)
    served = outcome.eq("served")
    # a booked visit's wait counts from its slot (appointments): the queue began at the later of the two
    queued = v["ticket_min"].where(~v["booked"], v[["ticket_min", "slot_min"]].max(axis=1)) if "booked" in v \
        else v["ticket_min"]
    called = v["call_min"].where(~left, queued + v["wait_min"])
    ticket = v["ticket"].astype(int).astype(str).str.zfill(3)
    frame = pd.DataFrame({
        "line": -1,
        "ticket": ticket.values,
        "visit": (v["date"].astype(str) + "/" + ticket).values,
        "first": True,
        "date": pd.to_datetime(v["date"]).dt.date.values,
        "business": v["service"].values,
        "service": v["service"].values,
        "issued_min": v["ticket_min"].values,
        "called_min": called.values,
        "start_min": v["service_start_min"].where(served).values,
        "end_min": v["service_end_min"].where(served).values,
        "window": v["window"].where(served, "").fillna("").values,
        "staff": v["staff"].where(served, "").fillna("").values,
        "outcome": outcome.values,
        "elderly": v["elderly"].astype(bool).values,
        "booked": (pd.array(v["booked"].astype(bool).values, dtype="boolean") if "booked" in v
                   else pd.array([pd.NA] * len(v), dtype="boolean")),
        "slot_min": v["slot_min"].where(v["booked"].astype(bool)).values if "booked" in v else np.nan,
    })
    return finish_tickets(frame.sort_values(["date", "issued_min"], kind="stable"))
