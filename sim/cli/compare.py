"""``hallsim compare``: scenarios side by side on common random numbers."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich import box
from rich.table import Table

from sim.cli.common import (AUTO, DEFAULT_SEED, VERDICT_STYLE, AsJson, Force, InputError, LazyProgress,
                            MaxReps, Out, Precision, RepsOrAuto, Scheduler, Seed, Workers, app, auto_note,
                            check_options, executed, load_all, out_dir_ready, parse_reps, records, reported, write_results)
from sim.experiments.compare import Comparison, compare
from sim.experiments.replications import compare_until
from sim.results.formatting import COMPARE_KPIS, format_interval, is_number, kind_of
from sim.results.verdict import comparison_headline, consistent_verdicts, headline, is_meaningful
from sim.scenario.loader import scenario_to_yaml
from sim.version import __version__


# ------------------------------------------------------------------ compare


def _headlines(cmp: Comparison) -> list[str]:
    """The baseline's verdict headline, then what changes in each other scenario."""
    base = headline(cmp.names[0], cmp.sla[cmp.sla["scenario"] == cmp.names[0]])
    return [base, *comparison_headline(cmp.table, cmp.sla, COMPARE_KPIS)]


WIDE_KPI_COLUMN = 20
"""Characters of the KPI column of the wide layout; each scenario column takes about 23."""


def _cells(cmp: Comparison) -> tuple[list[tuple[str, list[tuple[str, str]]]], list[tuple[str, list[tuple[str, str]]]]]:
    """The formatted cells: per KPI row (label, [(value, Δ) per scenario]) and per SLA target
    (label, [(value, verdict markup) per scenario]); "–" where a scenario has no value.
    A Δ is bold when the difference is meaningful (sim.results.verdict.is_meaningful), dim
    otherwise."""
    index = {(r.scenario, r.kpi, r.group): r for r in cmp.table.itertuples(index=False)}
    kpi_rows = []
    for kpi, group, label in COMPARE_KPIS:
        cells = []
        for i, name in enumerate(cmp.names):
            r = index.get((name, kpi, group))
            if r is None:
                cells.append(("–", ""))
                continue
            kind = kind_of(kpi)
            diff = ""
            if i > 0 and is_number(r.diff_mean):
                diff = f"Δ {format_interval(r.diff_mean, r.diff_low, r.diff_high, kind)}"
                diff = f"[bold]{diff}[/]" if is_meaningful(kpi, r.diff_mean, r.diff_low, r.diff_high) else f"[dim]{diff}[/]"
            cells.append((format_interval(r.mean, r.ci_low, r.ci_high, kind), diff))
        if any(c[0] != "–" for c in cells):
            kpi_rows.append((label, cells))
    sla_rows = []
    judged = consistent_verdicts(cmp.sla, cmp.table)
    for target in judged["target"].drop_duplicates():
        rows = judged[judged["target"] == target]
        cells = []
        for name in cmp.names:
            hit = rows[rows["scenario"] == name]
            if hit.empty:
                cells.append(("–", ""))
                continue
            r = hit.iloc[0]
            style = VERDICT_STYLE.get(r["shown"], "")
            verdict = escape(r["shown"]) + (" ≈A" if r["as_baseline"] else "")
            verdict = f"[{style}]{verdict}[/]" if style else verdict
            cells.append((format_interval(r["mean"], r["ci_low"], r["ci_high"], kind_of(r["kpi"])), verdict))
        sla_rows.append((escape(rows["label"].iloc[0]), cells))
    return kpi_rows, sla_rows


def _compare_tables(cmp: Comparison, width: int = 200) -> tuple[Table, Table]:
    """The KPI table (Δ against the baseline) and the SLA table. Where the terminal is wide
    enough (``width`` characters) each scenario has a column; else the tables are stacked:
    one row per KPI and scenario, scenarios named by letter with a legend in the title, so
    that every cell reads in full at 80 columns."""
    pct = f"{cmp.results[0].scenario.sla.confidence:.0%}".replace("%", " %")
    kpi_rows, sla_rows = _cells(cmp)
    title = f"KPIs: mean [{pct} interval]; Δ = paired difference against {escape(cmp.names[0])}"
    if width >= WIDE_KPI_COLUMN + 23 * len(cmp.names):
        kpis = Table(title=title, title_justify="left")
        sla = Table(title="Service targets (SLA), side by side; ≈A: differs from the baseline by noise only, so "
                          "the baseline's word", title_justify="left")
        for table, first in ((kpis, "KPI"), (sla, "target")):
            table.add_column(first)
            for name in cmp.names:
                table.add_column(escape(name), justify="right")
        for label, cells in kpi_rows:
            kpis.add_row(label, *(v + ("\n" + d if d else "") for v, d in cells))
        for label, cells in sla_rows:
            sla.add_row(label, *(v + ("\n" + d if d else "") for v, d in cells))
        return kpis, sla
    letters = [chr(ord("A") + i) for i in range(len(cmp.names))]
    legend = "; ".join(f"{letter} = {escape(name)}" for letter, name in zip(letters, cmp.names))
    note = "≈A: differs from A by noise only, so A's word"
    kpis = Table(title=f"{title}\n{legend}", title_justify="left", box=box.SIMPLE_HEAD)
    sla = Table(title=f"Service targets (SLA)\n{legend}\n{note}", title_justify="left", box=box.SIMPLE_HEAD)
    for table, first, last in ((kpis, "KPI", "Δ"), (sla, "target", "verdict")):
        table.add_column(first, ratio=3)
        table.add_column("", width=1)
        table.add_column("mean [interval]", justify="right", ratio=2, min_width=20)
        table.add_column(last, justify="right", ratio=2, min_width=11)
    for table, rows in ((kpis, kpi_rows), (sla, sla_rows)):
        for label, cells in rows:
            for i, (letter, (value, extra)) in enumerate(zip(letters, cells)):
                table.add_row(label if i == 0 else "", letter, value, extra, end_section=i == len(cells) - 1)
    return kpis, sla


@app.command(name="compare")
def compare_cmd(scenarios: Annotated[list[Path], typer.Argument(help="Two or more scenario files; the first is the baseline.", show_default=False)],
                reps: RepsOrAuto = None, seed: Seed = DEFAULT_SEED, out: Out = None, as_json: AsJson = False,
                force: Force = False, workers: Workers = None, scheduler: Scheduler = None,
                precision: Precision = None, max_reps: MaxReps = None) -> None:
    """Compare scenarios on common random numbers: KPIs, paired differences, SLA side by side."""
    auto = None
    with reported():
        reps, precision, max_reps = parse_reps(reps, precision, max_reps)
        check_options(None if reps == AUTO else reps, seed, None, workers)
        if len(scenarios) < 2:
            raise InputError(f"compare: give at least 2 scenario files (got {len(scenarios)})")
        loaded = load_all(scenarios)
        if out is not None:
            out_dir_ready(out, force)
        names = [p.stem for p in scenarios]
        with (nullcontext() if as_json else LazyProgress(max_reps if reps == AUTO else
                                                        (reps or loaded[0].run.replications) * len(loaded))) as progress:
            if reps == AUTO:  # the replications that decide the number are the ones compared
                cmp, auto = executed(compare_until, loaded, names, seed, precision, cap=max_reps, workers=workers,
                                      scheduler=scheduler, progress=progress)
            else:
                cmp = executed(compare, loaded, names, seed, reps, workers=workers, scheduler=scheduler,
                                progress=progress, tables=False)
    if out is not None:
        frames = {"comparison": cmp.table, "sla": cmp.sla, "standards": cmp.standards,
                  "kpis": pd.concat([r.kpis.assign(scenario=n) for n, r in zip(cmp.names, cmp.results)], ignore_index=True)}
        texts = {f"scenario_{n}.yaml": scenario_to_yaml(r.scenario) for n, r in zip(cmp.names, cmp.results)}
        meta = {"hallsim": __version__, "command": "compare", "scenarios": [str(p) for p in scenarios],
                "seed": cmp.seed, "reps": cmp.reps, "reps_auto": auto, "seconds": round(cmp.seconds, 3)}
        write_results(out, frames, texts, meta, force, to_stderr=as_json)
    if as_json:
        doc = {"hallsim": __version__, "scenarios": cmp.names, "sources": [str(p) for p in scenarios],
               "seed": cmp.seed, "reps": cmp.reps, "reps_auto": auto, "seconds": round(cmp.seconds, 3),
               "headlines": _headlines(cmp), "comparison": records(cmp.table), "sla": records(cmp.sla)}
        typer.echo(json.dumps(doc, indent=2, allow_nan=False))
        return
    console = Console(highlight=False)
    for line in _headlines(cmp):
        console.print(f"[bold]{escape(line)}[/bold]")
    console.print(f"[bold]Comparison[/bold] of {len(cmp.names)} scenarios, {cmp.reps} replications each on "
                  f"common random numbers, seed {cmp.seed}, run time {cmp.seconds:.1f} s")
    if auto is not None:
        console.print(auto_note(auto))
    kpi_table, sla_table = _compare_tables(cmp, console.width)
    console.print(kpi_table)
    console.print(sla_table)
    failed = cmp.standards[~cmp.standards["passed"].astype(bool)]
    for r in failed.itertuples(index=False):
        console.print(f"[bold red]{escape(r.scenario)}: minimum standard not met: {escape(r.label)} "
                      f"({r.actual:g} < {r.required:g})[/]")


