"""``hallsim sweep``: run a scenario over a grid of field values (see :mod:`sim.sweep`).

Exit codes: 0 done; 2 bad input (scenario, grid file, option, an ``--out`` folder holding
another sweep, or a folder another running sweep has locked); 1 the folder could not be
written; 130 interrupted by Ctrl-C, 143 stopped by SIGTERM — in both cases the finished
points are on disk and running the same command again resumes.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich import box
from rich.table import Table

from sim.version import __version__
from sim.cli.common import (AUTO, DEFAULT_SEED, AsJson, InputError, LazyProgress, MaxReps, Precision, RepsOrAuto, ScenarioFile, Scheduler, Seed, Workers, check_options, executed, parse_reps, records, reported, app)
from sim.results.formatting import format_interval, kind_of
from sim.experiments.executors import interrupt_signal
from sim.experiments.grid import load_grid
from sim.scenario.loader import load_scenario
from sim.experiments.sweep import MAIN_KPIS, SweepError, SweepInterrupted, SweepResult, sweep

__all__ = ["sweep_cmd"]

INTERRUPTED_EXIT = 130
"""Exit code after Ctrl-C (128 + SIGINT), as shells use; SIGTERM gives 143 (128 + SIGTERM)."""

GridFile = Annotated[Path, typer.Option("--grid", "-g", help="Grid YAML file: dotted paths of scenario fields "
                                        "and the values each takes; every combination is run.", show_default=False)]
SweepOut = Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for the point files, summary and "
                                                  "manifest; the same command again resumes there.")]
SweepForce = Annotated[bool, typer.Option("--force", help="With --out: start over in a folder that holds another "
                                          "sweep (or other files), deleting it.")]


KPI_HEADERS = {
    "wait_mean_min": "mean wait\n(min)",
    "wait_p90_min": "p90 wait\n(min)",
    "abandonment_rate": "abandoned",
    "empty_window_min_per_day": "empty window\n(min/day)",
}
"""Short column headers of the sweep table, per KPI of :data:`sim.sweep.MAIN_KPIS`."""


def _label(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _overview_table(result: SweepResult) -> tuple[Table, int]:
    """One row per point: its swept labels, the main KPIs with intervals, SLA targets
    met; and the width (characters) the table needs to show every cell unsqueezed."""
    m = result.manifest
    how_many = (f"replications until ±{m['reps_auto']['precision'] * 100:g} % (at most {m['reps_auto']['max_reps']})"
                if result.auto else f"{m['reps']} replications")
    table = Table(title=f"Sweep: {m['points']['total']} points x {how_many}, seed {m['seed']} "
                        "(mean [95 % interval])", title_justify="left")
    headers = ["point", *(p.replace(".", ".\n") for p in result.parameters),
               *(KPI_HEADERS.get(k, k) for k, _g in MAIN_KPIS), *(["reps"] if result.auto else []), "SLA\nmet"]
    rows = []
    for row in result.overview().to_dict("records"):
        cells = [row["point"], *(_label(row[p]) for p in result.parameters)]
        for kpi, _group in MAIN_KPIS:
            cells.append(format_interval(row[kpi], row[f"{kpi}_low"], row[f"{kpi}_high"], kind_of(kpi)).replace(" [", "\n["))
        if result.auto:
            cells.append(str(row["reps"]))
        cells.append(f"{row['sla_met']}/{row['sla_judged']}")
        rows.append(cells)
    widths = [max(len(line) for text in (h, *(r[i] for r in rows)) for line in text.split("\n"))
              for i, h in enumerate(headers)]
    n_params = len(result.parameters)
    for i, (header, width) in enumerate(zip(headers, widths)):
        is_param = 1 <= i <= n_params
        width = min(width, 24) if is_param else width
        widths[i] = width
        table.add_column(escape(header), justify="left" if i <= n_params else "right", min_width=width,
                         overflow="fold" if is_param else "ellipsis", no_wrap=not is_param)
    for cells, row in zip(rows, result.overview().itertuples(index=False)):
        met, judged = row.sla_met, row.sla_judged
        style = "bold green" if met == judged else "bold red" if met == 0 else "bold yellow"
        table.add_row(*(escape(c) for c in cells[:-1]), f"[{style}]{escape(cells[-1])}[/]")
    return table, sum(widths) + 3 * len(widths) + 1


def _stacked_table(result: SweepResult) -> Table:
    """The overview for a terminal too narrow for one row per point: a block of rows per
    point, its settings beside its main KPIs (mean [interval]) and SLA targets met."""
    m = result.manifest
    table = Table(title=f"Sweep: {m['points']['total']} points, seed {m['seed']} (mean [95 % interval])",
                  title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("point", no_wrap=True)
    table.add_column("settings", overflow="fold", ratio=3)
    table.add_column("KPI", ratio=1)
    table.add_column("mean [interval]", justify="right", no_wrap=True)
    for row in result.overview().to_dict("records"):
        settings = [f"{p} = {_label(row[p])}" for p in result.parameters]
        met, judged = row["sla_met"], row["sla_judged"]
        style = "bold green" if met == judged else "bold red" if met == 0 else "bold yellow"
        kpis = [(KPI_HEADERS.get(k, k).replace("\n", " "),
                 escape(format_interval(row[k], row[f"{k}_low"], row[f"{k}_high"], kind_of(k)))) for k, _g in MAIN_KPIS]
        kpis += [("replications", str(row["reps"]))] if result.auto else []
        kpis.append(("SLA targets met", f"[{style}]{met}/{judged}[/]"))
        lines = max(len(settings), len(kpis))
        for i in range(lines):
            kpi, value = kpis[i] if i < len(kpis) else ("", "")
            table.add_row(row["point"] if i == 0 else "", escape(settings[i]) if i < len(settings) else "",
                          escape(kpi), value, end_section=i == lines - 1)
    return table


def _doc(result: SweepResult, source: str, grid: Path) -> dict[str, Any]:
    m = result.manifest
    run = m["runs"][-1]
    return {"hallsim": __version__, "scenario": m["scenario"]["name"], "source": source, "grid": str(grid),
            "parameters": result.parameters, "seed": m["seed"], "reps": m["reps"],
            **({"reps_auto": m["reps_auto"]} if result.auto else {}),
            "out": None if result.out is None else str(result.out), "complete": result.complete,
            "points_total": m["points"]["total"], "points_run": run["points_run"],
            "points_reused": run["points_reused"], "seconds": run.get("seconds"),
            "main_kpis": [f"{k}:{g}" for k, g in MAIN_KPIS],
            "overview": records(result.overview()), "summary": records(result.summary), "sla": records(result.sla)}


@app.command(name="sweep")
def sweep_cmd(scenario: ScenarioFile, grid: GridFile, reps: RepsOrAuto = None, seed: Seed = DEFAULT_SEED,
              out: SweepOut = None, force: SweepForce = False, as_json: AsJson = False, workers: Workers = None,
              scheduler: Scheduler = None, precision: Precision = None, max_reps: MaxReps = None) -> None:
    """Run a scenario at every combination of a grid's values; with --out, resumable."""
    with reported():
        reps, precision, max_reps = parse_reps(reps, precision, max_reps)
        check_options(None if reps == AUTO else reps, seed, None, workers)
        base = load_scenario(scenario)
        design = load_grid(grid)
        total = len(design) * (max_reps if reps == AUTO else base.run.replications if reps is None else reps)
        options = {"precision": precision, "max_reps": max_reps, "note": lambda text: typer.echo(f"note: {text}", err=True)}
        try:
            if as_json:
                result = executed(sweep, base, design, reps, seed, out, workers, scheduler, force=force,
                                   source=str(scenario), **options)
            else:
                with LazyProgress(total) as progress:
                    result = executed(sweep, base, design, reps, seed, out, workers, scheduler, progress,
                                       force=force, source=str(scenario), **options)
        except SweepError as exc:
            raise InputError(f"--out {exc}") from None
        except SweepInterrupted as exc:
            where = (f" in {exc.out}; run the same command again to resume" if exc.out is not None
                     else "; nothing was kept (give --out to make a sweep resumable)")
            _stopped(exc.signum, f": {exc.done} of {exc.total} points done{where}")
        except KeyboardInterrupt as exc:  # before any point ran
            _stopped(interrupt_signal(exc), " before any point was run")
        except OSError as exc:
            typer.echo(f"--out {out}: cannot write the sweep ({exc})", err=True)
            raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(_doc(result, str(scenario), grid), indent=2, allow_nan=False, ensure_ascii=False))
        return
    console = Console(highlight=False)
    run = result.manifest["runs"][-1]
    console.print(f"[bold]{escape(base.hall.name)}[/bold]  ({escape(str(scenario))}, grid {escape(str(grid))})")
    table, wide = _overview_table(result)
    console.print(table if wide <= console.width else _stacked_table(result))
    reused = f", {run['points_reused']} reused from an earlier run" if run["points_reused"] else ""
    saved = f"; wrote {escape(str(out))}" if out is not None else ""
    console.print(f"{run['points_run']} points run in {run.get('seconds', 0):.1f} s{reused}{saved}")
    if result.auto:
        console.print(f"[dim]{auto_note(result)}[/]")


def _stopped(signum: int, what: str) -> None:
    """Say the sweep stopped (Ctrl-C or SIGTERM) and exit 128 + the signal's number."""
    how = "terminated (SIGTERM)" if signum == signal.SIGTERM else "interrupted"
    typer.echo(f"{how}{what}", err=True)
    raise typer.Exit(128 + signum) from None


def auto_note(result: SweepResult) -> str:
    """How many replications the points of an automatic sweep used."""
    auto = result.manifest["reps_auto"]
    used = list(auto["reps_used"].values())
    capped = sum(n >= auto["max_reps"] for n in used)
    span = f"{min(used)}–{max(used)}" if used and min(used) != max(used) else f"{used[0] if used else 0}"
    note = (f"--reps auto: {span} replications per point for ±{auto['precision'] * 100:g} % precision of the main "
            f"KPIs (Hoad, Robinson & Davies 2010)")
    return note + (f"; {capped} point{'s' if capped != 1 else ''} stopped at --max-reps {auto['max_reps']} "
                   "without reaching it" if capped else "")
