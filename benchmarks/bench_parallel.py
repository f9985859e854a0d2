"""Parallel benchmark (not a test): a 200-replication batch of one county hall-day each.

    python benchmarks/bench_parallel.py [--reps 200] [--repeat 2] [--no-dask]

1. The batch on 1 worker against 2 workers (process pool) through ``sim.simulate`` (every
   table comes back) and through KPI rows only (``Job(tables=False)``, as ``compare`` and
   sweeps run); prints seconds and the speed-up (target >= 1.8x on 2 workers).
2. The same batch on a Dask ``LocalCluster`` (2 worker processes, 1 thread each) against
   the process pool: seconds and the overhead of the Dask path (cluster start-up apart).

The scenario is the embedded default hall (``sim/data/default_hall.yaml``, the county
hall) with ``run.days = 1``. Each figure is the best of ``--repeat`` runs. Prints the
machine (platform, cores, Python, load average) and the command, so that the figures in
the README can be reproduced.

Other processes on the machine slow the parallel runs most, so the script also prints
the CPU seconds each path spends per replication (this process and its worker
processes, from ``getrusage``) and the CPU seconds other processes used while it ran
(from ``/proc/stat``, Linux). ``2 x serial CPU / pool CPU`` bounds the speed-up an idle
2-core machine would show; the gap between pool and serial CPU is the cost of the pool
(pickling jobs and results, process start).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time

import sim
from sim.experiments.executors import Job, default_workers, run_jobs


def _scenario():
    return sim.with_overrides(sim.default_scenario(), {"run.days": 1})


def _own_cpu() -> float:
    """CPU seconds of this process and its finished children."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def _machine_cpu() -> float:
    """CPU seconds every process on the machine has used since boot (Linux), else NaN."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return float("nan")
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def _best(fn, repeat: int) -> tuple[float, float]:
    """(best wall seconds, CPU seconds of that run: this process and its workers)."""
    best = (float("inf"), float("nan"))
    for _ in range(repeat):
        c = _own_cpu()
        t = time.perf_counter()
        fn()
        wall = time.perf_counter() - t
        if wall < best[0]:
            best = (wall, _own_cpu() - c)
    return best


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200, help="replications in the batch (default 200)")
    ap.add_argument("--repeat", type=int, default=2, help="runs per figure; the best is kept (default 2)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    args = ap.parse_args(argv)
    s = _scenario()
    reps, repeat = args.reps, args.repeat

    print(f"command : {' '.join([os.path.basename(sys.executable)] + sys.argv)}")
    print(f"machine : {platform.platform()}; {platform.processor() or platform.machine()}; "
          f"{os.cpu_count()} cores ({default_workers()} usable); Python {platform.python_version()}")
    print(f"load    : {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) before")
    print(f"batch   : {reps} replications x 1 day of {s.hall.name!r}, best of {repeat}\n")

    sim.simulate(s, seed=0, reps=2, workers=1)  # warm up imports and caches
    machine0, own0 = _machine_cpu(), _own_cpu()
    rows = []
    for label, fn in (
        ("simulate (all tables)", lambda w: sim.simulate(s, seed=0, reps=reps, workers=w)),
        ("KPI rows only", lambda w: run_jobs([Job(s, 0, r, False) for r in range(reps)], workers=w)),
    ):
        (one, cpu1), (two, cpu2) = _best(lambda: fn(1), repeat), _best(lambda: fn(2), repeat)
        rows.append((label, one, two))
        print(f"{label:24s} 1 worker {one:7.2f} s   2 workers {two:7.2f} s   speed-up {one / two:4.2f}x"
              f"   ({reps / two:6.1f} hall-days/s)")
        print(f"{'':24s} CPU per replication: serial {1000 * cpu1 / reps:5.1f} ms, pool {1000 * cpu2 / reps:5.1f} ms"
              f"   (idle-machine bound {2 * cpu1 / cpu2:4.2f}x)")

    if not args.no_dask:
        from dask.distributed import Client, LocalCluster

        t = time.perf_counter()
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        startup = time.perf_counter() - t
        try:
            jobs = [Job(s, 0, r, False) for r in range(reps)]
            run_jobs(jobs[:4], scheduler=client)  # warm the workers' imports
            dask_s = _best(lambda: run_jobs(jobs, scheduler=client), repeat)[0]
            dask_tables = _best(lambda: sim.simulate(s, seed=0, reps=reps, scheduler=client), repeat)[0]
        finally:
            client.close()
            cluster.close()
        pool_kpis, pool_tables = rows[1][2], rows[0][2]
        print(f"\nDask LocalCluster (2 processes), start-up {startup:.1f} s (not counted):")
        print(f"{'KPI rows only':24s} Dask {dask_s:7.2f} s   pool {pool_kpis:7.2f} s   "
              f"overhead {100 * (dask_s / pool_kpis - 1):+5.1f} %")
        print(f"{'simulate (all tables)':24s} Dask {dask_tables:7.2f} s   pool {pool_tables:7.2f} s   "
              f"overhead {100 * (dask_tables / pool_tables - 1):+5.1f} %")
    others = (_machine_cpu() - machine0) - (_own_cpu() - own0)
    print(f"\nload    : {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) after; other processes "
          f"used {others:.0f} CPU s while this ran (Dask workers included)")


if __name__ == "__main__":
    main()
