"""Roster benchmark (not a test): ``hallsim roster`` on the shipped county hall.

    python benchmarks/bench_roster.py [--reps 10] [--days 20] [--rounds 4]

Times :func:`sim.experiments.week_roster.propose_week` on ``scenarios/county_hall.yaml``
in one process (one core): a roster for each of the five weekdays (their weekday factors
differ), each with the requirement per period by simulation (iterative staffing, then
one trial per period), the CP-SAT roster (one core) and each check-and-repair round's
simulation, at the scenario's 10 replications of 20 opening days in all (four of each
weekday). Target: ≤ 60 s. Prints each weekday's times, rounds and verdict.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from sim.experiments.rostering import RosterRules
from sim.experiments.week_roster import propose_week
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 60.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--days", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    s = load_scenario(ROOT / "scenarios" / "county_hall.yaml")
    began = time.perf_counter()
    cpu = time.process_time()
    week = propose_week(s, RosterRules(), reps=args.reps, days=args.days, max_rounds=args.rounds)
    total, cpu = time.perf_counter() - began, time.process_time() - cpu
    first = next(iter(week.proposals.values()))
    print(f"python {platform.python_version()} on {platform.machine()}; county hall, "
          f"{first.requirement.reps} replications, {args.days or s.run.days} days in all, seed 0")
    for group, p in week.proposals.items():
        req = p.requirement
        print(f"{'-'.join(group)}: {p.seconds:.1f} s (requirement {req.seconds:.1f} s, {len(req.rounds)} simulations); "
              f"windows per period {','.join(map(str, req.required))}; {p.plan.staff_hours:g} staff-hours, "
              f"{len(p.plan.people)} people ({int(p.plan.people['new'].sum())} new), solver {p.plan.status}")
        print(p.rounds.to_string(index=False))
    print(f"verdict: {week.verdict}")
    print(f"staff-hours a week {week.staff_hours:g}; CPU {cpu:.1f} s")
    print(f"total {total:.1f} s (target <= {TARGET_S:g} s): {'met' if total <= TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
