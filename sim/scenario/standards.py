"""Minimum standards for each level of service point (from the sources; see DOMAIN.md).

:func:`check_standards` returns one row per standard of the hall's level with the
required value, the scenario's value and whether it passes. Device counts add the devices
at windows (a kind listed twice at one window counts twice, so a one-window hall may hold
two card readers) and the shared spares in ``devices.shared``. Staff counts the roster;
under ``staffing: always`` it is one attendant per window plus one at an enabled guide
desk. Self-service terminals are the kiosks (``devices.kiosks.count``).

The table follows seed 002 (商洛市社会保障卡综合服务窗口规范), articles 7, 9, 10 and 11:
city and county windows (area, devices, staff), every cooperating bank outlet (one card
window), town seats above 3,000 people (an ATM, or a self-service terminal where an ATM
is not feasible) and every handling agency (an ATM or a self-service terminal).
"""

from __future__ import annotations

import pandas as pd

from sim.scenario.schema import Scenario

__all__ = ["STANDARDS", "check_standards", "STANDARD_COLUMNS"]

STANDARD_COLUMNS = {
    "standard": "key of the standard",
    "label": "the standard in words",
    "required": "the minimum required",
    "actual": "the scenario's value",
    "passed": "True when actual >= required",
}

# level -> list of (key, label, required); required "staff" means one per staff member
STANDARDS: dict[str, list[tuple[str, str, object]]] = {
    "city": [
        ("windows", "service windows", 1),
        ("floor_area_m2", "floor area (m²)", 10),
        ("computers", "computers (one per staff member)", "staff"),
        ("printers", "printers", 1),
        ("scanners", "scanners", 1),
        ("card_readers", "card readers", 2),
        ("staff", "staff", 2),
    ],
    "county": [
        ("windows", "service windows", 1),
        ("floor_area_m2", "floor area (m²)", 10),
        ("computers", "computers", 2),
        ("printers", "printers", 1),
        ("scanners", "scanners", 1),
        ("card_readers", "card readers", 2),
        ("staff", "staff", 3),
    ],
    "bank_outlet": [("windows", "social-security-card windows in the outlet", 1)],
    "town": [("atm_or_kiosk", "self-service ATMs, or self-service terminals where an ATM is not feasible", 1)],
    "agency": [("atm_or_kiosk", "ATMs or self-service terminals", 1)],
}


def _device_count(s: Scenario, kind: str) -> int:
    return sum(w.devices.count(kind) for w in s.windows) + s.devices.shared.get(kind, 0)


def _staff_count(s: Scenario) -> int:
    if s.policies.staffing == "roster":
        return len(s.staff)
    return len(s.windows) + (1 if s.policies.guide_desk.enabled else 0)


def scenario_counts(s: Scenario) -> dict[str, float]:
    """The scenario's value of every quantity a standard names."""
    staff = _staff_count(s)
    return {
        "windows": len(s.windows),
        "floor_area_m2": s.hall.floor_area_m2,
        "computers": _device_count(s, "computer"),
        "printers": _device_count(s, "printer"),
        "scanners": _device_count(s, "scanner"),
        "card_readers": _device_count(s, "card_reader"),
        "staff": staff,
        "atm_or_kiosk": s.devices.atms + s.devices.kiosks.count,
    }


def check_standards(s: Scenario) -> pd.DataFrame:
    """The minimum-standards table of the scenario's level (columns: STANDARD_COLUMNS)."""
    counts = scenario_counts(s)
    rows = []
    for key, label, required in STANDARDS[s.hall.level]:
        need = counts["staff"] if required == "staff" else required
        rows.append((key, label, need, counts[key], counts[key] >= need))
    return pd.DataFrame.from_records(rows, columns=list(STANDARD_COLUMNS))
