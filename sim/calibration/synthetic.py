"""The other direction: a simulated run written as a queue-ticket log.

:func:`simulated_log` simulates a scenario and writes its window tickets in the layout of
a Chinese queue-system export (``zh``: 票号, 业务名称, 取号时间 …) or of Qmatic-style
transactions (``qmatic``: visit_id, service, created, called …). The tests calibrate
from such logs (a round trip from a known scenario), and the example log shipped under
``scenarios/logs/`` is one. Business names are the scenario's service codes and window
names its window ids, so the log calibrates against the same hall file without a
mapping. ID numbers (证件号码) are made up, with a birth date that gives an age at or
above ``demand.elderly_age`` exactly for elderly visitors, and a valid check digit.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.calibration.tickets import tickets_from_visits
from sim.model.streams import Streams
from sim.scenario.loader import with_overrides
from sim.scenario.schema import Scenario

__all__ = ["LOG_FORMATS", "ZH_STATUS_OUT", "QMATIC_STATUS_OUT", "simulated_tickets", "simulated_log",
           "tickets_to_log", "id_number"]

LOG_FORMATS = ("zh", "qmatic")
"""The layouts :func:`tickets_to_log` writes (and :mod:`sim.calibration.logs` reads)."""

ZH_STATUS_OUT = {"served": "已办结", "no_show": "过号", "abandoned": "弃号", "transferred": "已转移",
                 "unserved": "未叫号"}
"""状态 written for each outcome in the Chinese layout."""

QMATIC_STATUS_OUT = {"served": "NORMAL", "no_show": "NO_SHOW", "abandoned": "REMOVE", "transferred": "TRANSFER",
                     "unserved": "END_OF_DAY"}
"""outcome written for each of ours in the Qmatic layout."""

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number(region: str, birth: dt.date, sequence: int) -> str:
    """An 18-digit resident ID number (GB 11643): 6-digit region, birth date YYYYMMDD,
    3-digit sequence and the ISO 7064 MOD 11-2 check character."""
    body = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + _ID_CHECK[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS)) % 11]


def simulated_tickets(scenario: Scenario, days: int | None = None, seed: int = 0) -> pd.DataFrame:
    """The ticket table (:data:`sim.calibration.tickets.TICKET_COLUMNS`) of one
    replication of ``scenario`` over ``days`` opening days (default ``run.days``)."""
    from sim.experiments.simulation import simulate

    if days is not None:
        scenario = with_overrides(scenario, {"run.days": days})
    result = simulate(scenario, seed=seed, reps=1)
    return tickets_from_visits(result.visits)


def _stamp(dates: pd.Series, minutes: pd.Series) -> list[str]:
    """"YYYY-MM-DD HH:MM:SS" of minutes since midnight of each date ("" where NaN)."""
    base = pd.to_datetime(pd.Series(dates, dtype=object).astype(str))
    secs = pd.Series(minutes, dtype=float).mul(60).round()
    stamps = base + pd.to_timedelta(secs, unit="s")
    return [s.strftime("%Y-%m-%d %H:%M:%S") if not pd.isna(s) else "" for s in stamps]


def _ages(tickets: pd.DataFrame, elderly_age: int, rng: np.random.Generator) -> np.ndarray:
    """Made-up ages: elderly_age…85 for elderly visitors, 18…elderly_age-1 for the others."""
    old = tickets["elderly"].fillna(False).to_numpy(bool)
    return np.where(old, rng.integers(elderly_age, 86, len(tickets)), rng.integers(18, max(elderly_age, 19), len(tickets)))


def _ids(tickets: pd.DataFrame, ages: np.ndarray, rng: np.random.Generator) -> list[str]:
    out = []
    for date, age, seq, day_shift in zip(tickets["date"], ages, rng.integers(0, 1000, len(tickets)),
                                         rng.integers(1, 365, len(tickets))):
        birth = dt.date(date.year - int(age) - 1, 1, 1) + dt.timedelta(days=int(day_shift))  # age = int(age) on date
        out.append(id_number("330102", birth, int(seq)))
    return out


def tickets_to_log(tickets: pd.DataFrame, fmt: str = "zh", elderly_age: int = 55, seed: int = 0) -> pd.DataFrame:
    """The log rows of a ticket table in layout ``fmt`` (``zh`` or ``qmatic``), times
    written to the second. The Chinese layout carries 证件号码 (made-up IDs whose birth
    date gives the elderly flag back); the Qmatic layout has no age. A run with
    appointments adds the booking flag and the slot time (预约, 预约时间; booked,
    appointment_time); bookings that never came are not written (the model keeps only
    their count)."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)} (got {fmt!r})")
    t = tickets.reset_index(drop=True)
    stamp = {c: _stamp(t["date"], t[c]) for c in ("issued_min", "called_min", "start_min", "end_min")}
    booked = t["booked"].notna().any()
    if fmt == "qmatic":
        frame = pd.DataFrame({
            "visit_id": t["visit"], "ticket": t["ticket"], "service": t["business"],
            "created": stamp["issued_min"], "called": stamp["called_min"], "service_start": stamp["start_min"],
            "service_end": stamp["end_min"], "counter": t["window"], "staff": t["staff"],
            "outcome": t["outcome"].map(QMATIC_STATUS_OUT),
        })
        if booked:
            frame["booked"] = np.where(t["booked"].fillna(False).astype(bool), "yes", "no")
            frame["appointment_time"] = _stamp(t["date"], t["slot_min"])
        return frame
    rng = Streams(seed, 0)("log_ids")
    ages = _ages(t, elderly_age, rng)
    seconds = t["service_min"].mul(60).round()
    frame = pd.DataFrame({
        "票号": "A" + t["ticket"], "业务名称": t["business"], "取号时间": stamp["issued_min"],
        "叫号时间": stamp["called_min"], "开始服务时间": stamp["start_min"], "完成时间": stamp["end_min"],
        "办理时长(秒)": [str(int(s)) if not pd.isna(s) else "" for s in seconds],
        "窗口名称": t["window"], "操作人员": t["staff"], "状态": t["outcome"].map(ZH_STATUS_OUT),
        "过号来源": np.where(t["outcome"].eq("no_show"), "系统", ""),
        "证件号码": _ids(t, ages, rng),
    })
    if booked:
        frame["预约"] = np.where(t["booked"].fillna(False).astype(bool), "是", "否")
        frame["预约时间"] = _stamp(t["date"], t["slot_min"])
    return frame


def simulated_log(scenario: Scenario, days: int | None = None, fmt: str = "zh", seed: int = 0) -> pd.DataFrame:
    """One replication of ``scenario`` written as a log in layout ``fmt``."""
    tickets = simulated_tickets(scenario, days, seed)
    return tickets_to_log(tickets, fmt, scenario.demand.elderly_age, seed)
