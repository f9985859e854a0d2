"""The ``hallsim`` command line: run or compare scenarios, check them against the minimum
standards, validate scenario files, sweeps, staffing, issuance, reports and the dashboard.

Each command lives in its own module of :mod:`sim.cli` and attaches itself to the one
:data:`sim.cli.common.app` when imported; :mod:`sim.cli.common` holds the shared options.
"""

from __future__ import annotations

from sim.cli import (calibrate, compare, issuance, network, report, roster, run, staff, sweep,  # noqa: F401
                     ui)  # each registers its commands
from sim.cli.common import (app)
from sim.cli.help import apply

apply(app)

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``hallsim`` console script and of ``python -m sim``."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
