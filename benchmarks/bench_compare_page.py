"""Compare page benchmark (not a test): the whole page under Streamlit's AppTest.

    python benchmarks/bench_compare_page.py [--reps 10] [--repeat 3] [--workers N]

Opens the dashboard (``app.py``) in AppTest, goes to the Compare page with its default
choice (``scenarios/county_hall.yaml`` against ``county_hall_no_green.yaml``), and times
the script run that a click on *Run the comparison* starts: the library call
(:func:`sim.ui.runs.run_comparison`), the headlines, the scorecard and differences, and
every chart the page draws (their data computed and serialised for the browser). Each round
uses another seed, so that nothing comes from the page's cache; a first round warms up the
imports and the process pool. The browser's own drawing is not included. Target (issue
11): ≤ 1.0 s. Prints the best and the median of ``--repeat`` rounds, and the library
call alone for the same seeds.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: every core)")
    args = parser.parse_args()
    os.environ.setdefault("HALLSIM_SCENARIOS", str(ROOT / "scenarios"))
    from streamlit.testing.v1 import AppTest

    import sim
    from sim.experiments.executors import default_workers
    from sim.ui import runs

    workers = args.workers or default_workers()
    print(f"hallsim {sim.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{default_workers()} cores, {workers} processes; load average {os.getloadavg()[0]:.2f}")
    calls: list[float] = []
    real = runs.run_comparison

    def timed(*a, **k):  # the page's library call, timed where the page makes it
        start = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            calls.append(time.perf_counter() - start)

    runs.run_comparison = timed
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["keep.workers"] = workers
    at.run()
    at.switch_page("sim/ui/pages/compare.py").run()
    at.number_input(key="keep.cmp.reps").set_value(args.reps).run()
    page, call = [], []
    for seed in range(args.repeat + 1):  # round 0 warms up
        at.sidebar.number_input(key="keep.seed").set_value(1000 + seed).run()
        calls.clear()
        start = time.perf_counter()
        at.button(key="cmp.run").click().run()
        took = time.perf_counter() - start
        if at.exception:
            raise SystemExit(f"the page failed: {[e.message for e in at.exception]}")
        if seed:
            page.append(took)
            call.append(sum(calls))
    own = [p - c for p, c in zip(page, call)]
    best = min(page)
    verdict = "OK" if best <= TARGET_S else "MISSED"
    print(f"Compare page (AppTest, click to rendered, {args.reps} reps): best {best:.2f} s, median "
          f"{statistics.median(page):.2f} s  target <= {TARGET_S:g} s: {verdict}")
    print(f"  the library call (run_comparison) in it: best {min(call):.2f} s; the page's own work "
          f"(headlines, tables, charts): best {min(own):.2f} s, median {statistics.median(own):.2f} s")


if __name__ == "__main__":
    main()
