"""``hallsim ui``: start the dashboard (``streamlit run`` on :mod:`sim.ui.app_main`).

The dashboard is the same as ``streamlit run app.py`` from a source checkout; this command
also works from an installed package, where ``app.py`` is not present.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from sim.cli.common import (InputError, reported, app)

__all__ = ["ui", "streamlit_command", "APP_MAIN"]

APP_MAIN = Path(__file__).resolve().parent.parent / "ui" / "app_main.py"
"""The dashboard's entry script."""


def streamlit_command(port: int | None = None, headless: bool = False, address: str | None = None) -> list[str]:
    """The ``python -m streamlit run …`` command line that starts the dashboard."""
    from sim.ui.calibration import LOG_MAX_MB  # the dashboard's modules (matplotlib, scipy): only here

    cmd = [sys.executable, "-m", "streamlit", "run", str(APP_MAIN), "--browser.gatherUsageStats", "false",
           "--client.toolbarMode", "minimal", "--server.maxUploadSize", str(LOG_MAX_MB)]
    if port is not None:
        cmd += ["--server.port", str(port)]
    if address is not None:
        cmd += ["--server.address", address]
    if headless:
        cmd += ["--server.headless", "true"]
    return cmd


@app.command(name="ui")
def ui(port: Annotated[Optional[int], typer.Option("--port", "-p", help="Port to serve on (default: Streamlit's, 8501).")] = None,
       address: Annotated[Optional[str], typer.Option("--address", help="Address to listen on (default: Streamlit's).")] = None,
       headless: Annotated[bool, typer.Option("--headless", help="Do not open a browser.")] = False,
       scenarios: Annotated[Optional[Path], typer.Option("--scenarios", help="Folder of scenario files to offer (default: ./scenarios).")] = None) -> None:
    """Open the dashboard: edit, run and compare scenarios in a browser (English / 中文)."""
    with reported():
        if port is not None and not 1 <= port <= 65535:
            raise InputError(f"--port: must be between 1 and 65535 (got {port})")
        if scenarios is not None and not scenarios.is_dir():
            raise InputError(f"--scenarios: no such folder {str(scenarios)!r}")
    env = dict(os.environ)
    if scenarios is not None:
        from sim.ui.state import SCENARIO_DIR_ENV

        env[SCENARIO_DIR_ENV] = str(scenarios.resolve())
    try:
        code = subprocess.call(streamlit_command(port, headless, address), env=env)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)
