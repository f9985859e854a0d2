"""Real-browser tests of the dashboard: ``streamlit run app.py`` headless on a free
loopback port, driven by Debian's Chromium through Playwright.

One server serves every test of the module. The tests open the Compare page, run the
comparison of the county hall against the county hall without a green channel, check that
the SLA scorecard and the charts appear (saving a screenshot under ``reports/screenshots/``),
check on a 390 × 844 phone screen that every verdict of the scorecard is in view without
sideways scrolling, and open the deep link ``/scenario`` (title and ``<html lang>`` in
the URL's language, no Deploy button). It skips, saying why, where ``/usr/bin/chromium`` (the
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


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
def browser(server):
    """Debian's Chromium under Playwright, shared by the module's tests."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield chromium
        finally:
            chromium.close()


def _run_with(page, field: str, reps: int, button: str) -> None:
    """Type ``reps`` into the number field named ``field`` and press the button ``button``."""
    box = page.get_by_role("spinbutton", name=field, exact=True)
    box.fill(str(reps))
    box.press("Enter")
    page.wait_for_timeout(500)
    page.get_by_role("button", name=button).click()


def _run_comparison(browser, server: str, viewport=(1400, 1800)):
    """A new page (session) that runs the Compare page's default comparison at 3
    replications and waits for its scorecard."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.goto(f"{server}/compare", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Compare").wait_for(timeout=RUN_TIMEOUT_MS)
    _run_with(page, "Replications", 3, "Run the comparison")
    page.get_by_role("heading", name="SLA scorecard").wait_for(timeout=RUN_TIMEOUT_MS)
    return page


def test_compare_page_shows_the_scorecard_in_a_real_browser(server, browser):
    """In Chromium, the Compare page runs the county hall against its no-green-channel
    variant and shows the headline, the SLA scorecard and eight interactive charts; the
    chosen scenarios are in the URL; a screenshot is saved."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _run_comparison(browser, server)
    page.get_by_role("heading", name="Charts").wait_for(timeout=RUN_TIMEOUT_MS)
    page.locator("[data-testid='stVegaLiteChart']").nth(7).wait_for(timeout=RUN_TIMEOUT_MS)
    body = page.inner_text("body")
    assert "county_hall_no_green" in body and "3 replications" in body
    assert "county_hall meets" in body and "service targets" in body
    assert "pick=county_hall&pick=county_hall_no_green" in page.url
    page.screenshot(path=str(SCREENSHOTS / "compare.png"), full_page=True)
    # A second session asking for the same comparison gets it from the cache; the
    # cached progress-bar updates must not be replayed (CacheReplayClosureError).
    again = _run_comparison(browser, server)
    assert again.locator("[data-testid='stException']").count() == 0, again.inner_text("body")
    assert (SCREENSHOTS / "compare.png").stat().st_size > 10_000


def test_every_verdict_is_in_view_on_a_phone_screen(server, browser):
    """On a 390 × 844 screen the Compare page's scorecard shows every scenario's verdict for
    every target inside the screen's width: no cell is cut off and nothing scrolls sideways."""
    page = _run_comparison(browser, server, viewport=(390, 844))
    cells = page.locator("[data-testid='stTable']").first.locator("td")
    cells.first.wait_for(timeout=RUN_TIMEOUT_MS)
    verdicts = [i for i in range(cells.count()) if any(w in cells.nth(i).inner_text()
                                                        for w in ("met", "not met", "uncertain", "no data"))]
    assert len(verdicts) >= 2 * 6  # two scenarios, six targets
    for i in verdicts:
        box = cells.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (cells.nth(i).inner_text(), box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "compare_390.png"))


def test_deep_link_to_the_scenario_page_answers_in_its_language(server, browser):
    """/scenario?lang=zh opens the Scenario page (not "Page not found") in Chinese: the tab
    title and <html lang> follow the language, the URL keeps the picked scenario, and
    Streamlit's Deploy button is not shown."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/scenario?lang=zh", wait_until="domcontentloaded")
    page.get_by_role("heading", name="方案编辑").wait_for(timeout=RUN_TIMEOUT_MS)
    page.wait_for_function("document.documentElement.lang === 'zh-CN'", timeout=RUN_TIMEOUT_MS)
    assert "Page not found" not in page.inner_text("body")
    assert page.title().startswith("方案编辑")
    page.wait_for_url("**/scenario?*scenario=county_hall*", timeout=RUN_TIMEOUT_MS)
    assert "lang=zh" in page.url
    assert page.get_by_text("Deploy", exact=True).count() == 0
    root = browser.new_page(viewport={"width": 1280, "height": 900})
    root.goto(server, wait_until="domcontentloaded")
    root.get_by_role("heading", name="Scenario", exact=True).wait_for(timeout=RUN_TIMEOUT_MS)
    root.wait_for_url("**/scenario?**", timeout=RUN_TIMEOUT_MS)


def test_the_hall_s_day_animation_renders(server, browser):
    """On the Scenario page, after a run, the animation of a sample day renders in Chromium
    with its play button, and playing it moves the clock."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/scenario?scenario=bank_outlet", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Scenario", exact=True).wait_for(timeout=RUN_TIMEOUT_MS)
    _run_with(page, "Replications for this run", 1, "Run this scenario")
    page.get_by_role("button", name="Animate a sample day").click(timeout=RUN_TIMEOUT_MS)
    chart = page.locator("[data-testid='stPlotlyChart']")
    chart.wait_for(timeout=RUN_TIMEOUT_MS)
    play = chart.locator(".updatemenu-button").first
    play.wait_for(timeout=RUN_TIMEOUT_MS)
    frame = ("() => document.querySelector(\"[data-testid='stPlotlyChart'] .js-plotly-plot\")"
             "._fullLayout.sliders[0].active")
    before = page.evaluate(frame)
    play.click()
    page.wait_for_timeout(3000)
    assert page.evaluate(frame) > before  # playing moves the clock on
    page.screenshot(path=str(SCREENSHOTS / "animation.png"))
