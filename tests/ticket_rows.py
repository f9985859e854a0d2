"""Hand-made ticket tables for the calibration tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sim.calibration.tickets import finish_tickets


def ticket(date: dt.date, issued: float, service: str = "apply", called: float | None = None,
           start: float | None = None, end: float | None = None, window: str = "", staff: str = "",
           outcome: str = "served", booked=None, slot: float | None = None) -> dict:
    """One ticket row (times in minutes since midnight; called and start default to issued)."""
    called = issued if called is None else called
    start = called if start is None and outcome == "served" else start
    return {"line": -1, "ticket": f"{issued:.0f}", "visit": f"{date}/{issued:.3f}/{window}", "first": True,
            "date": date, "business": service, "service": service, "issued_min": issued, "called_min": called,
            "start_min": start, "end_min": end, "window": window, "staff": staff, "outcome": outcome,
            "elderly": pd.NA, "booked": booked, "slot_min": slot}


def table(rows: list[dict]) -> pd.DataFrame:
    """The ticket table of ``rows``."""
    return finish_tickets(pd.DataFrame(rows))
