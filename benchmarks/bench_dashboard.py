"""Dashboard benchmark (not a test): the Compare page's run of two county-hall scenarios.

    python benchmarks/bench_dashboard.py [--reps 10] [--repeat 3] [--workers N]

Times :func:`sim.ui.runs.run_comparison` — the very call the Compare page makes (through
its cache) — on ``scenarios/county_hall.yaml`` against ``county_hall_no_green.yaml`` at 10
replications of 20 opening days each, on every core (target: ≤ 5 s). Then, to show where
the time goes, the same comparison on one process, and without the per-visit tables
(``tables=False``, which the page cannot use: its charts need them); and the time the page
then spends building the scorecard and its eight Altair charts (first draw; the page
caches them). Each figure is the best of ``--repeat`` runs. ``bench_compare_page.py`` times
the whole page under Streamlit's AppTest.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import sim
from sim.experiments.executors import default_workers
from sim.ui import runs, scorecards

ROOT = Path(__file__).resolve().parent.parent
FILES = ("county_hall.yaml", "county_hall_no_green.yaml")
TARGET_S = 5.0


def _best_of(fns: dict, repeat: int) -> dict:
    """Best wall time of each callable over ``repeat`` rounds; the rounds interleave the
    callables so that a change in the machine's load does not favour one of them."""
    best = {name: float("inf") for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: every core)")
    args = parser.parse_args()
    scenarios = [sim.load_scenario(ROOT / "scenarios" / f) for f in FILES]
    yamls = [sim.scenario_to_yaml(s) for s in scenarios]
    names = [f[: -len(".yaml")] for f in FILES]
    days = scenarios[0].run.days
    cores = default_workers() if args.workers is None else args.workers
    print(f"hallsim {sim.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{default_workers()} cores; {len(FILES)} scenarios x {args.reps} replications x {days} opening days")
    print(f"load average before: {os.getloadavg()[0]:.2f} (figures need an otherwise idle machine)")

    cmp = runs.run_comparison(yamls, names, 0, args.reps, workers=args.workers)
    best = _best_of({
        "page": lambda: runs.run_comparison(yamls, names, 0, args.reps, workers=args.workers),
        "serial": lambda: runs.run_comparison(yamls, names, 0, args.reps, workers=1),
        "kpis_only": lambda: sim.compare(scenarios, names, 0, args.reps, workers=args.workers, tables=False),
    }, args.repeat)
    verdict = "OK" if best["page"] <= TARGET_S else "MISSED"
    print(f"Compare page call (run_comparison, {cores} processes, tables): {best['page']:6.2f} s  "
          f"target <= {TARGET_S:g} s: {verdict}")
    print(f"  the same on 1 process:                                {best['serial']:6.2f} s")
    print(f"  without per-visit tables (tables=False), {cores} processes: {best['kpis_only']:6.2f} s")

    def draw() -> None:
        from sim.ui.pages.compare import charts_of

        scorecards.scorecard(cmp)
        scorecards.differences(cmp)
        for chart in charts_of(cmp, "en"):
            chart.to_dict(validate=False)

    drawing = _best_of({"draw": draw}, args.repeat)["draw"]
    print(f"  then the scorecard and eight Altair charts (first draw): {drawing:6.2f} s")


if __name__ == "__main__":
    main()
