"""Speed benchmark (not a test): hallsim against Ciw, and a county hall-year.

    pip install -e '.[bench]' && python benchmarks/bench_speed.py

1. The textbook M/M/3 queue with two non-preemptive priority classes (λ = 2.5/min,
   μ = 1/min, 30 % priority, 20,000 min), run in hallsim and in Ciw 3.x in the same
   process; prints visitors simulated per second of each and their ratio (target ≥ 2×).
   Like for like: hallsim draws its visitors and runs the SimPy model (its per-visitor
   records are the Visitor objects); Ciw runs its simulation and collects its records.
   hallsim end to end additionally builds the pandas tables and KPIs, reported apart.
2. The county hall (scenarios/county_hall.yaml) over 250 opening days, one replication on
   one core (target ≤ 5 s).
Each figure is the best of ``--repeat`` runs (default 3).
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import sim
from sim.experiments.executors import run_replication

ROOT = Path(__file__).resolve().parent.parent
LAM, MU, C, PRIO, HORIZON = 2.5, 1.0, 3, 0.3, 20_000.0


def _mmc_priority():
    s = sim.load_scenario(ROOT / "scenarios" / "textbook" / "mmc_priority.yaml")
    run = s.run.model_copy(update={"horizon_min": HORIZON, "warmup_min": 0.0})
    demand = s.demand.model_copy(update={"arrival_rate_per_min": LAM, "elderly_share": PRIO})
    return s.model_copy(update={"run": run, "demand": demand})


def hallsim_mmc_priority():
    from sim.scenario.days import day_plans
    from sim.model.arrivals import draw_visitors
    from sim.model.hall import DayModel
    from sim.model.records import Recorder
    from sim.model.streams import Streams

    s = _mmc_priority()
    t = time.perf_counter()
    streams = Streams(1, 0)
    day = day_plans(s)[0]
    visitors = draw_visitors(s, day, streams, 0, [])
    DayModel(s, day, visitors, streams, Recorder()).run()
    return len(visitors), time.perf_counter() - t


def hallsim_mmc_priority_end_to_end():
    s = _mmc_priority()
    t = time.perf_counter()
    res = run_replication(s, seed=1, replication=0)
    return len(res.tables["visits"]), time.perf_counter() - t


def ciw_mmc_priority():
    import ciw

    net = ciw.create_network(
        arrival_distributions={"prio": [ciw.dists.Exponential(LAM * PRIO)],
                               "other": [ciw.dists.Exponential(LAM * (1 - PRIO))]},
        service_distributions={"prio": [ciw.dists.Exponential(MU)], "other": [ciw.dists.Exponential(MU)]},
        number_of_servers=[C],
        priority_classes={"prio": 0, "other": 1},
    )
    ciw.seed(1)
    t = time.perf_counter()
    q = ciw.Simulation(net)
    q.simulate_until_max_time(HORIZON)
    recs = q.get_all_records()
    return len(recs), time.perf_counter() - t


def county_year():
    s = sim.load_scenario(ROOT / "scenarios" / "county_hall.yaml")
    s = s.model_copy(update={"run": s.run.model_copy(update={"days": 250})})
    t = time.perf_counter()
    res = run_replication(s, seed=1, replication=0)
    return len(res.tables["visits"]), time.perf_counter() - t


def best(fn, repeat):
    runs = [fn() for _ in range(repeat)]
    return min(runs, key=lambda r: r[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {platform.processor() or '?'}; python {platform.python_version()}; "
          f"hallsim {sim.__version__}")
    n_h, t_h = best(hallsim_mmc_priority, args.repeat)
    print(f"hallsim M/M/3 priority: {n_h} visitors in {t_h:.2f} s = {n_h / t_h:,.0f} visitors/s")
    n_e, t_e = best(hallsim_mmc_priority_end_to_end, args.repeat)
    print(f"hallsim end to end (with pandas tables and KPIs): {n_e} visitors in {t_e:.2f} s = {n_e / t_e:,.0f} visitors/s")
    try:
        n_c, t_c = best(ciw_mmc_priority, args.repeat)
        print(f"ciw     M/M/3 priority: {n_c} visitors in {t_c:.2f} s = {n_c / t_c:,.0f} visitors/s")
        print(f"ratio hallsim / ciw: {(n_h / t_h) / (n_c / t_c):.2f}x (target >= 2x)")
    except ImportError:
        print("ciw not installed: pip install -e '.[bench]'")
    n_y, t_y = best(county_year, args.repeat)
    print(f"county hall, 250 opening days: {n_y} visitors in {t_y:.2f} s (target <= 5 s)")


if __name__ == "__main__":
    main()
