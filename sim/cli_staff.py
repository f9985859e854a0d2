"""The ``hallsim`` commands of one feature; imported by :mod:`sim.cli`, which they extend."""

from __future__ import annotations

from .cli import app  # noqa: F401
