"""Roster benchmark (not a test): ``hallsim roster`` on the shipped county hall.

    python benchmarks/bench_roster.py [--reps 10] [--days 20] [--rounds 4]

Times :func:`sim.experiments.rostering.propose_roster` on ``scenarios/county_hall.yaml``
in one process (one core): the requirement per period by simulation (iterative staffing,
then one trial per period), the CP-SAT roster (one core) and each check-and-repair round's
simulation, at the scenario's 10 replications of 20 opening days (four weeks of the five
weekdays). Target: ≤ 60 s. Prints the phases' times, the rounds and the verdict.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from sim.experiments.rostering import RosterRules, propose_roster
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
    p = propose_roster(s, RosterRules(), reps=args.reps, days=args.days, max_rounds=args.rounds)
    total = time.perf_counter() - began
    req = p.requirement
    print(f"python {platform.python_version()} on {platform.machine()}; county hall, "
          f"{req.reps} replications x {p.scenario.run.days} days, seed 0")
    print(f"requirement: {req.seconds:.1f} s ({len(req.rounds)} simulations); windows per period "
          f"{','.join(map(str, req.required))}")
    print(p.rounds.to_string(index=False))
    print(f"proposed: {p.plan.staff_hours:g} staff-hours a day, {len(p.plan.people)} people "
          f"({int(p.plan.people['new'].sum())} new), solver {p.plan.status}")
    print(f"verdict: {p.verdict}")
    print(f"total {total:.1f} s (target <= {TARGET_S:g} s): {'met' if total <= TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
