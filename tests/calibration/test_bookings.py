"""Booked visits from a log with a booking flag: shares, missed bookings, punctuality."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.calibration.logs import read_log
from builders import scenario

MON = dt.date(2026, 3, 2)
HEADER = "票号,业务名称,取号时间,叫号时间,开始服务时间,完成时间,窗口名称,操作人员,状态,预约,预约时间\n"


def _log(tmp_path, with_slot: bool = True) -> str:
    """Day 2026-03-02: 20 walk-ins of consult; 10 booked consult tickets for slots every 15
    minutes from 09:00, coming 5 minutes early (5 of them) or 3 minutes late (5); 2 missed
    bookings (爽约, no issue time)."""
    rows = []
    for k in range(20):
        t = f"2026-03-02 10:{k:02d}:00"
        rows.append(f"A{k:03d},consult,{t},{t},{t},2026-03-02 10:{k:02d}:30,W1,ann,已办结,否,")
    for k in range(10):
        slot_min = 540 + 15 * k
        came = slot_min - 5 if k < 5 else slot_min + 3
        stamp = lambda m: f"2026-03-02 {int(m // 60):02d}:{int(m % 60):02d}:00"  # noqa: E731
        slot = f"{int(slot_min // 60):02d}:{int(slot_min % 60):02d}" if with_slot else ""
        rows.append(f"B{k:03d},consult,{stamp(came)},{stamp(max(came, slot_min))},{stamp(max(came, slot_min))},"
                    f"{stamp(max(came, slot_min) + 1)},W1,ann,已办结,是,{slot}")
    rows.append("B100,consult,,,,,,,爽约,是,2026-03-02 11:30")
    rows.append("B101,consult,,,,,,,爽约,是,2026-03-02 11:45")
    path = tmp_path / "log.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_missed_bookings_are_kept_apart_from_the_tickets(tmp_path):
    """The two 爽约 rows are no tickets and no bad rows: they are the missed bookings, at their slot."""
    log = read_log(_log(tmp_path), ["consult"])
    assert len(log.tickets) == 30 and len(log.bad) == 0
    assert list(log.missed["slot_min"]) == [690.0, 705.0]
    assert log.slot_known and log.tickets["slot_min"].notna().sum() == 10


def test_booked_share_no_show_rate_punctuality_and_slot_length(tmp_path):
    """Booked share (10 + 2) / (30 + 2); no-show rate 2 / 12; early share 5 / 10 with a
    fixed 5 minutes early and 3 late; slots of 15 minutes; the missed bookings count as demand."""
    from sim.calibration.fit import fit_tickets

    hall = scenario(windows=[{"id": "W1", "services": ["consult"]}])
    log = read_log(_log(tmp_path), ["consult"])
    fit = fit_tickets(log.tickets, hall, missed=log.missed, slot_known=log.slot_known)
    appt = fit.overrides["appointments"]
    assert appt["booked_share"]["consult"] == pytest.approx(12 / 32, abs=1e-4)
    assert appt["no_show_rate"] == pytest.approx(2 / 12, abs=1e-4)
    assert appt["punctuality"]["early_share"] == pytest.approx(0.5)
    assert appt["punctuality"]["early"] == {"dist": "fixed", "value": 5.0}
    assert appt["punctuality"]["late"] == {"dist": "fixed", "value": 3.0}
    assert appt["slot_min"] == 15.0
    assert fit.volume["visitors_per_day"] == 32


def test_without_slot_times_punctuality_stays_and_is_said(tmp_path):
    """No 预约时间 for the booked tickets: no punctuality or slot length is written, a note says why."""
    from sim.calibration.fit import fit_tickets

    hall = scenario(windows=[{"id": "W1", "services": ["consult"]}])
    log = read_log(_log(tmp_path, with_slot=False), ["consult"])
    fit = fit_tickets(log.tickets, hall, missed=log.missed, slot_known=log.slot_known)
    appt = fit.overrides["appointments"]
    assert "punctuality" not in appt and "slot_min" not in appt
    assert any("no slot time" in n for n in fit.notes)
