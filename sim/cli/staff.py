"""``hallsim staff``: the fewest open windows per block of the day that meet the SLA.

Calls :func:`sim.staffing_search.staffing_search`, prints the per-block table (arrivals
per hour, windows proposed, staff, the Erlang C / Erlang A reference, verdict) and the
day-wide SLA verdicts of the variant, and writes the variant scenario file atomically.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.version import __version__
from sim.cli.common import (DEFAULT_SEED, VERDICT_STYLE, AsJson, Days, Force, InputError, LazyProgress, Reps, ScenarioFile, Scheduler, Seed, Workers, check_options, executed, records, reported, sla_table, app, check_out_file)
from sim.scenario.loader import load_scenario, load_file_text
from sim.results.files import atomic_write_text
from sim.experiments.staffing import StaffingPlan, staffing_search

__all__ = ["staff_cmd"]

VariantOut = Annotated[Optional[Path], typer.Option(
    "--out", "-o", help="Write the variant scenario here (default: <scenario>_staffed.yaml in the current folder).")]
BlockMin = Annotated[float, typer.Option("--block-min", help="Length of a block of the day, minutes.")]
MaxWindows = Annotated[Optional[int], typer.Option(
    "--max-windows", help="Most windows a block may get (default: the hall's windows or the largest analytic figure, plus 2).")]


def format_number(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{x:g}"


def _blocks_table(plan: StaffingPlan) -> Table:
    pct = f"{plan.base.sla.confidence:.0%}".replace("%", " %")
    table = Table(title=f"Windows per block (wait targets judged at {pct} confidence; waits in minutes)",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("block", "arrivals/h", "windows", "staff", "Erlang C", "Erlang A", "mean wait", "p90 wait",
                 "elderly p90", "verdict"):
        table.add_column(name, justify="left" if name in ("block", "verdict") else "right",
                         no_wrap=name in ("block", "verdict"))
    for r in plan.blocks.itertuples(index=False):
        style = VERDICT_STYLE.get(r.verdict, "")
        table.add_row(f"{r.block_start}-{r.block_end}", f"{r.arrivals_per_hour:.1f}", str(r.windows), str(r.staff),
                      format_number(r.erlang_c_windows), format_number(r.erlang_a_windows),
                      *(("–" if not math.isfinite(x) else f"{x:.2f}") for x in
                        (r.wait_mean_min, r.wait_p90_min, r.elderly_wait_p90_min)),
                      f"[{style}]{escape(r.verdict)}[/]" if style else escape(r.verdict))
    return table


ROSTER_NOTE = ("note: this is the quick answer: open windows per block found greedily on the wait targets alone, "
               "with the hall's staff stretched over them (it may add windows and split people). `hallsim roster` "
               "answers the planning question: windows per 30-minute period by iterative staffing (capped at the "
               "hall's windows), a roster of named people on legal shifts with A/B posts and lunches, per weekday, "
               "checked on every day-wide target; its window counts differ where the methods and block lengths do.")
"""Printed after the staffing table: how ``staff`` and ``roster`` answer differently."""


@app.command(name="staff")
def staff_cmd(scenario: ScenarioFile, block_min: BlockMin = 60.0, reps: Reps = None, seed: Seed = DEFAULT_SEED,
              days: Days = None, out: VariantOut = None, force: Force = False, as_json: AsJson = False,
              workers: Workers = None, scheduler: Scheduler = None, max_windows: MaxWindows = None) -> None:
    """Find the fewest open windows (and staff) per block of the day that meet the SLA
    wait targets, beside the Erlang C / Erlang A figure, and write the roster as a
    scenario variant file."""
    with reported():
        check_options(reps, seed, days, workers)
        problems = []
        if not block_min > 0 or not math.isfinite(block_min):
            problems.append(f"--block-min: must be > 0 minutes (got {block_min:g})")
        if max_windows is not None and max_windows < 1:
            problems.append(f"--max-windows: must be >= 1 (got {max_windows})")
        if problems:
            raise InputError(*problems)
        base = load_scenario(scenario)
        out = out if out is not None else Path(f"{scenario.stem}_staffed.yaml")
        check_out_file(out, force)
        kwargs = dict(block_min=block_min, reps=reps, seed=seed, days=days, max_windows=max_windows,
                      workers=workers, scheduler=scheduler, source=str(scenario))
        if as_json:
            plan = executed(staffing_search, base, **kwargs)
        else:
            with LazyProgress(reps or base.run.replications) as progress:
                plan = executed(staffing_search, base, progress=progress, **kwargs)
        load_file_text(plan.yaml, out)  # the file must load: check before writing
        check_out_file(out, force)  # again: something may have appeared during the run
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, plan.yaml)
    except OSError as exc:
        typer.echo(f"--out {out}: cannot write the variant ({exc})", err=True)
        raise typer.Exit(1) from None
    if as_json:
        doc = {"hallsim": __version__, "scenario": base.hall.name, "source": str(scenario), "out": str(out),
               "seed": plan.seed, "reps": plan.reps, "days": None if base.continuous else plan.base.run.days,
               "block_min": plan.block_min, "seconds": round(plan.seconds, 3), "met": plan.met,
               "blocks": records(plan.blocks), "history": records(plan.history), "sla": records(plan.result.sla)}
        typer.echo(json.dumps(doc, indent=2, allow_nan=False))
        return
    console = Console(highlight=False)
    span = "continuous horizon" if base.continuous else f"{plan.base.run.days} day(s)"
    console.print(f"[bold]{escape(base.hall.name)}[/bold]  ({escape(str(scenario))})")
    console.print(f"staffing search: {plan.block_min:g}-minute blocks, {plan.reps} replications x {span}, "
                  f"seed {plan.seed}, {len(plan.history)} staffings simulated, run time {plan.seconds:.1f} s")
    console.print(_blocks_table(plan))
    if not plan.met:
        console.print("[bold red]some blocks miss their wait targets even at --max-windows[/]")
    console.print("Day-wide targets of the variant:")
    console.print(sla_table(plan.result))
    console.print(f"wrote the variant to {escape(str(out))} (hallsim run {escape(str(out))} simulates it)")
    console.print(ROSTER_NOTE)
