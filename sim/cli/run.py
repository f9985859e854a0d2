"""``hallsim run``, ``demo``, ``check`` and ``validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from sim.cli.common import (AUTO, DEFAULT_SEED, DEMO_REPS, AsJson, Days, Force, MaxReps, Out, Precision, RepsOrAuto,
                            ScenarioFile, Scheduler, Seed, Workers, app, check_options, parse_reps, reported,
                            run_scenario, scenario_language, scenario_lines, standards_table, warning_lines)
from sim.scenario.loader import DEFAULT_SCENARIO_NAME, ScenarioError, default_scenario, load_scenario, read_scenario
from sim.scenario.standards import check_standards


@app.command()
def run(scenario: ScenarioFile, reps: RepsOrAuto = None, seed: Seed = DEFAULT_SEED, out: Out = None,
        as_json: AsJson = False, days: Days = None, force: Force = False, workers: Workers = None,
        scheduler: Scheduler = None, precision: Precision = None, max_reps: MaxReps = None,
        stream: Annotated[bool, typer.Option("--stream", help="With --out: write each replication's tables (Parquet, "
                                             "TABLE/replication-R.parquet) as soon as it is done instead of holding "
                                             "every table in memory.")] = False) -> None:
    """Run a scenario file and print its KPIs, SLA verdicts and minimum standards."""
    with reported():
        n, precision, max_reps = parse_reps(reps, precision, max_reps)
        check_options(None if n == AUTO else n, seed, days, workers)
        run_scenario(load_scenario(scenario), str(scenario), n, seed, days, out, force, as_json, workers, scheduler,
                     precision, max_reps, stream)


@app.command()
def demo(reps: Annotated[str, typer.Option("--reps", "-n", metavar="N|auto", help="Replications, or 'auto' (see run --help).")] = str(DEMO_REPS),
         seed: Seed = DEFAULT_SEED, as_json: AsJson = False, out: Out = None, days: Days = None,
         force: Force = False, workers: Workers = None, scheduler: Scheduler = None,
         precision: Precision = None, max_reps: MaxReps = None) -> None:
    """Run the embedded default hall (a county hall); needs no file."""
    with reported():
        n, precision, max_reps = parse_reps(reps, precision, max_reps)
        check_options(None if n == AUTO else n, seed, days, workers)
        run_scenario(default_scenario(), f"<embedded {DEFAULT_SCENARIO_NAME}>", n, seed, days, out, force, as_json,
             workers, scheduler, precision, max_reps)


@app.command()
def check(scenario: ScenarioFile,
          strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any standard fails.")] = False) -> None:
    """Print the minimum-standards table of the hall's level."""
    with reported():
        s = load_scenario(scenario)
    standards = check_standards(s)
    console = Console(highlight=False)
    console.print(f"[bold]{escape(s.hall.name)}[/bold]  ({escape(str(scenario))})")
    console.print(standards_table(standards, s.hall.level))
    failed = int((~standards["passed"].astype(bool)).sum())
    if failed:
        console.print(f"[bold red]{failed} of {len(standards)} standards fail[/]")
    else:
        console.print(f"[bold green]all {len(standards)} standards pass[/]")
    if strict and failed:
        raise typer.Exit(1)


@app.command()
def validate(scenarios: Annotated[list[Path], typer.Argument(
        help="Scenario YAML files, or folders: every *.yaml / *.yml file directly in a folder (subfolders are "
             "not entered).", show_default=False)]) -> None:
    """Validate scenario files: "OK <file>" for each valid one (with the encoding when it is
    not UTF-8), errors and warnings on stderr; exit 2 when any file fails."""
    bad = False
    for path in scenario_files(scenarios):
        if path.is_dir():
            typer.echo(f"{path}: no *.yaml or *.yml file in this folder", err=True)
            bad = True
            continue
        try:
            loaded = read_scenario(path)
        except ScenarioError as exc:
            bad = True
            for line in scenario_lines(exc):
                typer.echo(line, err=True)
        else:
            read_as = "" if loaded.encoding == "UTF-8" else f" (read as {loaded.encoding})"
            typer.echo(f"OK {path}{read_as}")
            for line in loaded.note_lines(scenario_language()):
                typer.echo(f"note: {line}", err=True)
            for line in warning_lines(loaded.scenario, str(path)):
                typer.echo(line, err=True)
    if bad:
        raise typer.Exit(2)


def scenario_files(paths: list[Path]) -> list[Path]:
    """``paths`` with each folder replaced by its ``*.yaml`` and ``*.yml`` files, sorted (a
    folder without any stays, so that it is reported)."""
    out: list[Path] = []
    for path in paths:
        try:
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file()) \
                if path.is_dir() else None
        except OSError:
            found = None
        out.extend(found if found else [path])
    return out
