"""The week of a scenario at a glance: who works where on each opening weekday, and the
hours of each window (``staff.*.by_weekday``, ``windows.*.hours_by_weekday``).

No Streamlit here: each function returns a frame whose first column names the person or
the window and whose other columns are the opening weekdays (named in ``lang``).
"""

from __future__ import annotations

import pandas as pd

from sim.scenario.schema import WEEKDAYS, Scenario
from sim.ui.text import code_label, t

__all__ = ["opening_weekdays", "staff_week", "windows_week", "varies_by_weekday"]


def opening_weekdays(s: Scenario) -> list[str]:
    """The weekdays the hall opens, in week order (``mon`` …)."""
    return [d for d in WEEKDAYS if s.hall.opening_hours.get(d) is not None]


def varies_by_weekday(s: Scenario) -> bool:
    """True when a person or a window has weekday-specific fields."""
    return any(p.by_weekday for p in s.staff) or any(w.hours_by_weekday for w in s.windows)


def _post(post: str, lang: str) -> str:
    return code_label("post", post, lang)


def _table(s: Scenario, first: str, items, name, cell, lang: str) -> pd.DataFrame:
    """A frame ``first`` × opening weekday: ``name(item)`` then ``cell(item, weekday)``."""
    days = opening_weekdays(s)
    heads = [code_label("weekday", d, lang) for d in days]
    rows = [[name(item)] + [cell(item, d) for d in days] for item in items]
    return pd.DataFrame(rows, columns=[first] + heads)


def staff_week(s: Scenario, lang: str = "en") -> pd.DataFrame:
    """Person × opening weekday: ``A post W1 · B post W2 · 08:15–17:15`` (A post, B post if
    any, shift), or "day off"."""
    def cell(person, d: str) -> str:
        p = person.on(d)
        if p is None:
            return t("wk.day_off", lang)
        parts = [f"{t('col.a_post', lang)} {_post(p.a_post, lang)}"]
        if p.b_post:
            parts.append(f"{t('col.b_post', lang)} {_post(p.b_post, lang)}")
        return " · ".join(parts + [f"{p.shift.start}–{p.shift.end}"])

    return _table(s, t("col.name", lang), s.staff, lambda p: p.name, cell, lang)


def windows_week(s: Scenario, lang: str = "en") -> pd.DataFrame:
    """Window × opening weekday: its periods (``09:00–12:00, 13:30–17:00``), the hall's
    hours when it has none of its own, or "closed"."""
    def cell(w, d: str) -> str:
        hours = w.hours_on(d)
        if hours is None:
            hall = s.hall.opening_hours[d]
            return t("wk.hall_hours", lang, hours=f"{hall.open}–{hall.close}")
        return ", ".join(f"{p.start}–{p.end}" for p in hours) if hours else t("wk.closed", lang)

    return _table(s, t("col.window", lang), s.windows, lambda w: w.id, cell, lang)
