"""The ``hallsim`` command line: run or compare scenarios, check them against the minimum
standards, validate scenario files, sweeps, staffing, issuance, reports and the dashboard.

Each command lives in its own module of :mod:`sim.cli` and attaches itself to the one
:data:`sim.cli.common.app` when imported; :mod:`sim.cli.common` holds the shared options.

SIGTERM (``kill PID``, a job scheduler's stop) stops a command the way Ctrl-C does — the
pool workers are ended, a sweep keeps its finished points, nothing half-written stays —
and the exit code is 143 (128 + SIGTERM) instead of Ctrl-C's 130 (128 + SIGINT).
"""

from __future__ import annotations

import os
import signal
import sys

from sim.cli import (calibrate, compare, issuance, network, report, roster, run, staff, sweep,  # noqa: F401
                     ui)  # each registers its commands
from sim.cli.common import (app)
from sim.cli.help import apply
from sim.experiments.executors import Terminated
from sim.scenario.messages import short

apply(app)

__all__ = ["app", "main", "INTERRUPTED_EXIT", "TERMINATED_EXIT"]

INTERRUPTED_EXIT = 128 + int(signal.SIGINT)
"""Exit code after Ctrl-C (130)."""

TERMINATED_EXIT = 128 + int(signal.SIGTERM)
"""Exit code after SIGTERM (143)."""

_received: list[int] = []


def _on_sigterm(signum, frame) -> None:
    """Raise :class:`Terminated` in the main thread, once: a second SIGTERM while the
    first one is being handled (workers ended, files cleaned up) is ignored."""
    if not _received:
        _received.append(signum)
        raise Terminated()


def _leave(code: int) -> None:
    """Exit at once after an interrupt, once the command has cleaned up (its files are in
    place or removed, its workers told to stop): the interpreter's own exit would join the
    process pool's threads, which can wait for ever on a worker stopped halfway through
    sending a result; the workers end with this process (``PR_SET_PDEATHSIG``)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _small_arrow_pool() -> None:
    """Arrow's buffers (pandas' text columns) from the system allocator: the default
    (mimalloc) reserves arenas of about 12 MB that a command's small tables never need,
    which was most of the peak memory a run adds to its imports. Skipped when the user
    chose a pool (``ARROW_DEFAULT_MEMORY_POOL``) or pyarrow is missing."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - pandas without pyarrow
        return
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


def main() -> None:
    """Entry point of the ``hallsim`` console script and of ``python -m sim``."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    _small_arrow_pool()
    try:
        app()
    except SystemExit as exc:
        code = exc.code
        if _received and code == INTERRUPTED_EXIT:  # a command that treats every interrupt as Ctrl-C
            print("terminated (SIGTERM)", file=sys.stderr)
            code = TERMINATED_EXIT
        if code in (INTERRUPTED_EXIT, TERMINATED_EXIT):
            _leave(code)
        raise
    except OSError as exc:  # a path the system refused that no command expected: one line, exit 1
        where = short(str(exc.filename)) + ": " if exc.filename else ""
        print(f"{where}{exc.strerror or exc} (could not read or write this path)", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":  # pragma: no cover
    main()
