"""Target benchmark (not a test): six figures, each printed beside its target.

    python benchmarks/bench_targets.py [--only NAME] [--repeat 3] [--json]

``overhead``      The county hall (``scenarios/county_hall.yaml``, ``run.days = 1``), 50
                  replications on one process: ``sim.simulate`` time per replication ÷
                  the engine alone per replication (target ≤ 1.5×). *Engine alone* draws
                  the visitors and runs the SimPy day model (:func:`_engine_day`): no
                  pandas tables, KPIs, summary or SLA verdicts. Unlike ``simulate`` it
                  carries no repeat visits over from day to day (a one-day run has none
                  to carry).
``time_varying``  The textbook time-varying day (``scenarios/textbook/time_varying_day.yaml``:
                  Poisson arrivals 1.8/min for 4 h then 3.0/min for 4 h, exponential
                  service with mean 2 min, 4 windows then 7, FCFS): days per second of
                  ``sim.simulate(scenario, seed=s, reps=1, workers=1)``, one call per day
                  as a user makes it, ÷ days per second of Ciw 3.x on the same model
                  (target ≥ 2×). Ciw: one node, ``PoissonIntervals`` arrivals (drawn when
                  the network is built, so building it is timed), ``Exponential(0.5)``
                  service, a server ``Schedule`` of 4 then 7 servers; 7 serve until the
                  run ends 240 min after the doors close, as hallsim's windows stay open
                  while visitors remain (and its day ends at the latest 240 min after
                  closing); Ciw's records are collected. The engine alone is shown for
                  information, and the mean wait of each (mean over the days of each
                  day's mean wait, ± the 95 % half-width) as a check that both simulate
                  the same queue: they should agree within that noise. ``simulate`` runs
                  in this process, so it computes its KPIs only when they are read (the
                  call reads the visits table, like Ciw's records); the days per second
                  when each day's summary and SLA verdicts are read as well are shown
                  for information (``with summary``).
``mmc_priority``  The textbook M/M/3 queue with two non-preemptive priority classes
                  (λ = 2.5/min, μ = 1/min, 30 % priority, 20,000 min; the model and Ciw
                  code of ``benchmarks/bench_speed.py``): visitors per second of
                  ``sim.simulate(scenario, reps=1, workers=1)`` end to end ÷ those of
                  Ciw (target ≥ 2×). ``bench_speed.py`` compares the engine alone; it is
                  shown here for information.
``compare_page``  The dashboard's Compare page, as ``benchmarks/bench_dashboard.py`` times
                  it: ``sim.ui.runs.run_comparison`` of ``county_hall.yaml`` against
                  ``county_hall_no_green.yaml``, 10 replications × 20 opening days on
                  every core, then the headlines, the scorecard, the differences and
                  the page's eight Altair charts (their data and Vega-Lite specs;
                  target ≤ 1.0 s for all of it). ``bench_compare_page.py`` times the
                  whole page under Streamlit's AppTest.
``staff``         Wall time of ``hallsim staff scenarios/county_hall.yaml`` (its default
                  replications, days and workers) run as a subprocess
                  (``python -m sim staff … --out <temporary file>``; target ≤ 15 s).
``memory``        Peak resident memory (max RSS) of ``python -m sim run
                  scenarios/county_hall.yaml --reps 100 --days 20 --json --workers 1``
                  in a subprocess, from ``os.wait4`` on that one child (target ≤ 150 MB).
                  One run (not a timing); MB here are 2**20 bytes.

Each timing figure is the best of ``--repeat`` runs (default 3); the runs of competitors
alternate so that a change in the machine's load does not favour one of them. Prints the
machine (platform, cores, Python, load average before and after) and the command line;
``--json`` prints one JSON document instead of the table. Subprocesses run this checkout's
``sim`` (its root first on ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import sim

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCENARIOS = ROOT / "scenarios"
FIGURES = ("overhead", "time_varying", "mmc_priority", "compare_page", "staff", "memory")


def _engine_day(scenario, seed: int, replication: int) -> int:
    """The engine alone: replication ``replication`` of ``scenario`` under ``seed`` —
    draw each day's visitors and run its SimPy day model, nothing else (no tables, no
    KPIs, no repeat visits carried between days). Returns the number of visitors.

    Every import of the engine's internal modules in this script is here; each name is
    looked up where the sub-package layout puts it, then in the flat layout."""
    def find(name, *modules):
        for module in modules:
            try:
                return getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                continue
        raise ImportError(f"{name} is in none of {', '.join(modules)}")

    day_plans = find("day_plans", "sim.scenario.days", "sim.arrivals")
    draw_visitors = find("draw_visitors", "sim.model.arrivals", "sim.arrivals")
    DayModel = find("DayModel", "sim.model.hall", "sim.hall")
    Recorder = find("Recorder", "sim.model.records", "sim.records")
    Streams = find("Streams", "sim.model.streams", "sim.streams")

    streams = Streams(seed, replication)
    n = 0
    for day in day_plans(scenario):
        visitors = draw_visitors(scenario, day, streams, n, [])
        n += len(visitors)
        DayModel(scenario, day, visitors, streams, Recorder()).run()
    return n


# ------------------------------------------------------------------------- timing
def _alternate(fns: dict, repeat: int) -> dict:
    """Best wall time of each callable over ``repeat`` rounds, with the return value of
    that best run: ``{name: (seconds, value)}``. Each round runs every callable once, in
    turn, so that a change in the machine's load does not favour one of them."""
    best = {name: (float("inf"), None) for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            value = fn()
            took = time.perf_counter() - start
            if took < best[name][0]:
                best[name] = (took, value)
    return best


def _mean_hw(values) -> tuple[float, float]:
    """Mean and 95 % half-width (normal) of a sample."""
    a = np.asarray(values, dtype=float)
    return float(a.mean()), float(1.96 * a.std(ddof=1) / np.sqrt(len(a))) if len(a) > 1 else float("nan")


def _figure(name, label, value, unit, target, better, details=None, note="") -> dict:
    met = value <= target if better == "<=" else value >= target
    return {"name": name, "label": label, "value": value, "unit": unit, "target": target, "better": better,
            "met": bool(met), "details": details or {}, "note": note}


# ------------------------------------------------------------------------ figures
def fig_overhead(repeat: int) -> dict:
    reps = 50
    s = sim.with_overrides(sim.load_scenario(SCENARIOS / "county_hall.yaml"), {"run.days": 1})
    sim.simulate(s, seed=0, reps=2, workers=1)  # warm up imports and caches
    _engine_day(s, 0, 0)
    best = _alternate({
        "simulate": lambda: len(sim.simulate(s, seed=0, reps=reps, workers=1).visits),
        "engine": lambda: sum(_engine_day(s, 0, r) for r in range(reps)),
    }, repeat)
    t_sim, t_eng = best["simulate"][0] / reps, best["engine"][0] / reps
    return _figure("overhead", f"county hall 1 day x {reps} reps, simulate / engine alone", t_sim / t_eng, "x",
                   1.5, "<=", {"simulate_ms_per_rep": 1000 * t_sim, "engine_ms_per_rep": 1000 * t_eng,
                               "visits_simulate": best["simulate"][1], "visits_engine": best["engine"][1]},
                   f"{1000 * t_sim:.1f} ms vs {1000 * t_eng:.1f} ms per replication")


TV_DAYS = 30          # days per timed batch of the time-varying day
TV_END = 480.0 + 240.0  # Ciw runs until 240 min after the doors close


def _ciw_time_varying(seed: int) -> tuple[int, float]:
    """One time-varying day in Ciw: (visitors, mean wait)."""
    import ciw

    ciw.seed(seed)
    net = ciw.create_network(
        arrival_distributions=[ciw.dists.PoissonIntervals(rates=[1.8, 3.0], endpoints=[240.0, 480.0],
                                                          max_sample_date=480.0)],
        service_distributions=[ciw.dists.Exponential(0.5)],
        number_of_servers=[ciw.Schedule(numbers_of_servers=[4, 7], shift_end_dates=[240.0, TV_END])],
    )
    q = ciw.Simulation(net)
    q.simulate_until_max_time(TV_END)
    recs = q.get_all_records()
    return len(recs), float(np.mean([r.waiting_time for r in recs])) if recs else float("nan")


def fig_time_varying(repeat: int) -> dict:
    s = sim.load_scenario(SCENARIOS / "textbook" / "time_varying_day.yaml")
    seeds = range(TV_DAYS)

    def hallsim():
        out = []
        for seed in seeds:
            v = sim.simulate(s, seed=seed, reps=1, workers=1).visits
            out.append((len(v), float(v["wait_min"].mean())))
        return out

    def with_summary():
        for seed in seeds:
            r = sim.simulate(s, seed=seed, reps=1, workers=1)
            r.visits, r.summary, r.sla

    sim.simulate(s, seed=0, reps=1, workers=1)
    _engine_day(s, 0, 0)
    _ciw_time_varying(0)
    best = _alternate({
        "simulate": hallsim,
        "ciw": lambda: [_ciw_time_varying(seed) for seed in seeds],
        "engine": lambda: [_engine_day(s, seed, 0) for seed in seeds],
        "with_summary": with_summary,
    }, repeat)
    dps = {k: TV_DAYS / t for k, (t, _v) in best.items()}
    w_h, hw_h = _mean_hw([w for _n, w in best["simulate"][1]])
    w_c, hw_c = _mean_hw([w for _n, w in best["ciw"][1]])
    agree = abs(w_h - w_c) <= np.hypot(hw_h, hw_c)  # the difference's 95 % half-width
    return _figure("time_varying", "time-varying day, simulate / Ciw (days/s)", dps["simulate"] / dps["ciw"], "x",
                   2.0, ">=", {"simulate_days_per_s": dps["simulate"], "ciw_days_per_s": dps["ciw"],
                               "engine_days_per_s": dps["engine"],
                               "with_summary_days_per_s": dps["with_summary"],
                               "visitors_per_day_simulate": float(np.mean([n for n, _w in best["simulate"][1]])),
                               "visitors_per_day_ciw": float(np.mean([n for n, _w in best["ciw"][1]])),
                               "mean_wait_simulate_min": w_h, "mean_wait_simulate_hw": hw_h,
                               "mean_wait_ciw_min": w_c, "mean_wait_ciw_hw": hw_c, "waits_agree": bool(agree)},
                   f"{dps['simulate']:.1f} vs {dps['ciw']:.1f} days/s (engine {dps['engine']:.1f}, with summary "
                   f"{dps['with_summary']:.1f}); mean wait "
                   f"{w_h:.2f} ± {hw_h:.2f} vs {w_c:.2f} ± {hw_c:.2f} min ({TV_DAYS} days)"
                   + ("" if agree else " DISAGREE"))


def fig_mmc_priority(repeat: int) -> dict:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from bench_speed import _mmc_priority, ciw_mmc_priority

    s = _mmc_priority()
    sim.simulate(s, seed=1, reps=1, workers=1)
    best = _alternate({
        "simulate": lambda: len(sim.simulate(s, seed=1, reps=1, workers=1).visits),
        "ciw": lambda: ciw_mmc_priority()[0],  # network, seed, run and records, timed whole
        "engine": lambda: _engine_day(s, 1, 0),
    }, repeat)
    vps_sim = best["simulate"][1] / best["simulate"][0]
    vps_eng = best["engine"][1] / best["engine"][0]
    vps_ciw = best["ciw"][1] / best["ciw"][0]
    return _figure("mmc_priority", "M/M/3 priority 20,000 min, simulate / Ciw (visitors/s)", vps_sim / vps_ciw, "x",
                   2.0, ">=", {"simulate_visitors_per_s": vps_sim, "ciw_visitors_per_s": vps_ciw,
                               "engine_visitors_per_s": vps_eng, "engine_over_ciw": vps_eng / vps_ciw},
                   f"{vps_sim:,.0f} vs {vps_ciw:,.0f} visitors/s (engine {vps_eng:,.0f}, {vps_eng / vps_ciw:.2f}x)")


def fig_compare_page(repeat: int) -> dict:
    from sim.ui import runs, scorecards
    from sim.ui.glance import comparison_lines, headline_lines
    from sim.ui.pages.compare import charts_of

    files, reps = ("county_hall.yaml", "county_hall_no_green.yaml"), 10
    scenarios = [sim.load_scenario(SCENARIOS / f) for f in files]
    yamls = [sim.scenario_to_yaml(x) for x in scenarios]
    names = [f[: -len(".yaml")] for f in files]

    def page():
        t = time.perf_counter()
        cmp = runs.run_comparison(yamls, names, 0, reps)  # workers=None: every core, as the page
        call = time.perf_counter() - t
        for name, res in zip(cmp.names, cmp.results):
            headline_lines(name, cmp.sla[cmp.sla["scenario"] == name], res.summary, "en")
        comparison_lines(cmp, "en")
        scorecards.scorecard(cmp)
        scorecards.differences(cmp)
        for chart in charts_of(cmp, "en"):  # the page's eight charts: their data and Vega-Lite specs
            chart.to_dict(validate=False)
        return call

    page()  # warm up imports, the process pool's first start and Altair
    best = _alternate({"page": page}, repeat)["page"]
    return _figure("compare_page", f"Compare page: 2 scenarios x {reps} reps x {scenarios[0].run.days} days, "
                   "call + headlines + scorecard + 8 charts", best[0], "s", 1.0, "<=",
                   {"call_s": best[1], "draw_s": best[0] - best[1]},
                   f"run_comparison {best[1]:.2f} s, then headlines, scorecard and charts {best[0] - best[1]:.2f} s "
                   "(the whole page under AppTest: benchmarks/bench_compare_page.py)")


def _child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def fig_staff(repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        def run():
            out = Path(tmp) / f"staffed_{time.monotonic_ns()}.yaml"
            p = subprocess.run([sys.executable, "-m", "sim", "staff", "scenarios/county_hall.yaml", "--out", str(out)],
                               cwd=ROOT, env=_child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
            if p.returncode != 0 or not out.exists():
                raise RuntimeError(f"hallsim staff failed ({p.returncode}): {p.stderr[-2000:]}")
            return p.returncode

        t = _alternate({"staff": run}, repeat)["staff"][0]
    return _figure("staff", "hallsim staff scenarios/county_hall.yaml (subprocess)", t, "s", 15.0, "<=",
                   note="defaults: the scenario's replications and days, every core")


def fig_memory(_repeat: int) -> dict:
    cmd = [sys.executable, "-m", "sim", "run", "scenarios/county_hall.yaml", "--reps", "100", "--days", "20",
           "--json", "--workers", "1"]
    # A child forked from this (large) process counts this process's pages in its maximum
    # RSS until it execs; a small wrapper process starts the run instead, and reports the
    # maximum RSS of its own child.
    wrapper = ("import resource, subprocess, sys; "
               "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", wrapper, *cmd], cwd=ROOT, env=_child_env(), capture_output=True,
                       text=True, check=False)
    took = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[1:])} failed ({p.returncode})")
    maxrss = int(p.stdout.strip())
    mb = maxrss / 1024 if sys.platform != "darwin" else maxrss / 2**20  # Linux: KiB
    return _figure("memory", "max RSS of run county_hall --reps 100 --days 20 --json --workers 1", mb, "MB",
                   150.0, "<=", {"wall_s": took}, f"one run, {took:.1f} s")


RUN = {"overhead": fig_overhead, "time_varying": fig_time_varying, "mmc_priority": fig_mmc_priority,
       "compare_page": fig_compare_page, "staff": fig_staff, "memory": fig_memory}


# ------------------------------------------------------------------------ output
def _machine() -> dict:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count()
    return {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
            "cores": os.cpu_count(), "usable_cores": usable, "python": platform.python_version(),
            "hallsim": sim.__version__, "load_before": list(os.getloadavg())}


def _fmt(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:.0f} {unit}"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=FIGURES, action="append", help="run only this figure (may repeat)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing figure; the best is kept (default 3)")
    ap.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    command = " ".join([os.path.basename(sys.executable)] + sys.argv)
    machine = _machine()
    figures = []
    for name in args.only or FIGURES:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        figures.append(RUN[name](args.repeat))
    machine["load_after"] = list(os.getloadavg())

    if args.json:
        print(json.dumps({"command": command, "machine": machine, "repeat": args.repeat, "figures": figures}, indent=2))
        return
    m = machine
    print(f"command : {command}")
    print(f"machine : {m['platform']}; {m['processor']}; {m['cores']} cores ({m['usable_cores']} usable); "
          f"Python {m['python']}; hallsim {m['hallsim']}")
    print(f"load    : {' '.join(f'{x:.2f}' for x in m['load_before'])} before, "
          f"{' '.join(f'{x:.2f}' for x in m['load_after'])} after (1, 5, 15 min); best of {args.repeat}\n")
    width = max(len(f["label"]) for f in figures)
    print(f"{'figure':{width}s}  {'measured':>10s}  {'target':>10s}  verdict")
    for f in figures:
        print(f"{f['label']:{width}s}  {_fmt(f['value'], f['unit']):>10s}  "
              f"{f['better'] + ' ' + _fmt(f['target'], f['unit']):>10s}  {'OK' if f['met'] else 'MISSED'}")
        if f["note"]:
            print(f"{'':{width}s}    {f['note']}")


if __name__ == "__main__":
    main()
