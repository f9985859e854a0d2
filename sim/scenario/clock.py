"""Clock times of day written as quoted "HH:MM" strings, and minutes since midnight."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

from sim.scenario.messages import say

__all__ = ["Clock", "to_minutes", "format_minutes"]

_HHMM = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def _check_clock(value: object) -> str:
    if isinstance(value, bool) or isinstance(value, (int, float)):
        raise ValueError(say("clock.number", value=value))
    if not isinstance(value, str) or not _HHMM.match(value.strip()):
        raise ValueError(say("clock.format", value=value))
    minutes = to_minutes(value)
    if minutes > 24 * 60:
        raise ValueError(say("clock.after_24", value=value))
    return value.strip()


Clock = Annotated[str, BeforeValidator(_check_clock)]
"""A time of day as a quoted "HH:MM" string; see :func:`to_minutes`."""


def to_minutes(clock: str) -> int:
    """Minutes since midnight of an "HH:MM" string ("09:30" -> 570)."""
    hours, minutes = clock.strip().split(":")
    return int(hours) * 60 + int(minutes)


def format_minutes(minutes: float) -> str:
    """"HH:MM" for minutes since midnight (570 -> "09:30")."""
    whole = int(round(minutes))
    return f"{whole // 60:02d}:{whole % 60:02d}"
