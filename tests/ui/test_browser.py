"""One real-browser test of the dashboard: ``streamlit run app.py`` headless on a free
loopback port, driven by Debian's Chromium through Playwright.

It opens the Compare page, runs the comparison of the county hall against the county hall
without a green channel, checks that the SLA scorecard appears, and saves a screenshot
under ``reports/screenshots/``. It skips, saying why, where ``/usr/bin/chromium`` (the
``chromium`` package, which ``.ci/run`` installs) or Playwright is missing; it never
downloads a browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "reports" / "screenshots"
START_TIMEOUT_S = 30
RUN_TIMEOUT_MS = 40_000

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: install Debian's chromium "
                       "(apt-get install chromium; .ci/run does this) to run the browser test"),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {START_TIMEOUT_S} s")


@pytest.fixture
def server():
    """``streamlit run app.py`` on a free loopback port; killed at the end."""
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    env = {**os.environ, "HALLSIM_SCENARIOS": str(ROOT / "scenarios")}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _run_comparison(browser, server: str):
    """A new page (session) that runs the Compare page's default comparison at 3
    replications and waits for its scorecard."""
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{server}/compare", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Compare").wait_for(timeout=RUN_TIMEOUT_MS)
    reps = page.get_by_role("spinbutton", name="Replications", exact=True)
    reps.fill("3")
    reps.press("Enter")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Run the comparison").click()
    page.get_by_role("heading", name="SLA scorecard").wait_for(timeout=RUN_TIMEOUT_MS)
    return page


def test_compare_page_shows_the_scorecard_in_a_real_browser(server):
    """In Chromium, the Compare page runs the county hall against its no-green-channel
    variant and shows the SLA scorecard and charts; a screenshot is saved."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = _run_comparison(browser, server)
            page.get_by_role("heading", name="Charts").wait_for(timeout=RUN_TIMEOUT_MS)
            page.locator("[data-testid='stImage']").nth(5).wait_for(timeout=RUN_TIMEOUT_MS)
            body = page.inner_text("body")
            assert "county_hall_no_green" in body and "3 replications" in body
            page.screenshot(path=str(SCREENSHOTS / "compare.png"), full_page=True)
            # A second session asking for the same comparison gets it from the cache; the
            # cached progress-bar updates must not be replayed (CacheReplayClosureError).
            again = _run_comparison(browser, server)
            assert again.locator("[data-testid='stException']").count() == 0, again.inner_text("body")
        finally:
            browser.close()
    assert (SCREENSHOTS / "compare.png").stat().st_size > 10_000
