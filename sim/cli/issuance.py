"""``hallsim issuance``: card production and issuance over working days (see
:mod:`sim.issuance`). Prints the KPIs per route with intervals, the SLA verdicts and the
daily capacity needed; ``--json`` prints one JSON document; ``--out`` writes every table
as Parquet and CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.version import __version__
from sim.cli.common import (AUTO, AsJson, Force, InputError, LazyProgress, MaxReps, Out, Precision, ScenarioFile, Scheduler, Seed, auto_note, check_options, out_dir_ready, executed, parse_reps, records, reported, sla_table, app, check_out_file, write_results)
from sim.results.formatting import format_interval
from sim.issuance.simulation import IssuanceResult, collection_overrides, simulate_issuance
from sim.scenario.loader import load_scenario, load_file_text, scenario_to_yaml, with_overrides
from sim.results.files import atomic_write_text
from sim.scenario.workdays import CalendarError

__all__ = ["issuance_cmd", "ISSUANCE_ROWS"]

ISSUANCE_ROWS: list[tuple[str, str, str]] = [
    ("applications_per_day", "applications per working day", "count"),
    ("cycle_mean_days", "mean cycle, application → card ready (working days)", "days"),
    ("cycle_p90_days", "90th percentile cycle (working days)", "days"),
    ("cycle_max_days", "longest cycle (working days)", "days"),
    ("within_target_share", "share ready within target", "share"),
    ("late_for_collection_share", "not ready when the holder comes", "share"),
    ("backlog_peak", "peak backlog at the card centre (cards)", "count"),
    ("backlog_mean", "mean backlog at the card centre (cards)", "count"),
    ("uncollected_after_year_share", "uncollected after a year", "share"),
]
"""(kpi, label, kind) of the per-route table, in this order."""

OVERALL_ROWS: list[tuple[str, str, str]] = [
    ("applications_per_day", "applications per working day, all routes", "count"),
    ("backlog_peak", "peak backlog at the card centre (cards)", "count"),
    ("capacity_utilisation", "capacity utilisation", "share"),
    ("breakdown_days", "working days lost to failures", "count"),
    ("not_ready_at_end", "cards not ready at the end of the run", "count"),
    ("collect_visits_per_day", "collection visits to halls per working day", "count"),
    ("wasted_visit_share", "collection visits that found no card", "share"),
]

ROUTE_NAMES = {"batch": "batch", "sporadic": "sporadic", "on_the_spot": "on the spot"}

IssuanceDays = Annotated[Optional[int], typer.Option("--days", help="Working days with applications (overrides issuance.days).")]
IssuanceReps = Annotated[Optional[str], typer.Option(
    "--reps", "-n", metavar="N|auto",
    help="Replications (default: issuance.replications, else run.replications), or 'auto': add replications until "
         "the mean cycle per route and the judged shares are within --precision of their means.")]
IssuanceWorkers = Annotated[Optional[int], typer.Option("--workers", "-w", help="Processes to use (default 1: a replication takes milliseconds, a pool pays off only for many).")]
NoSearch = Annotated[bool, typer.Option("--no-capacity", help="Skip the search for the capacity needed (faster).")]
HallVariant = Annotated[Optional[Path], typer.Option(
    "--hall-variant", help="Also write a hall scenario that runs the hall's opening days over the issuance period, "
                           "each with its mean collection visits as collect demand (run it with hallsim run).")]
HallDays = Annotated[Optional[int], typer.Option(
    "--hall-days", help="With --hall-variant: this many opening days from the start (default: the whole period).")]


def _fmt_kind(kind: str) -> str:
    """The sim.cli number format of a row kind: shares as %, working days with 2 decimals
    (sim.cli's "min" format), counts with 1 decimal."""
    return {"share": "share", "days": "min", "count": "count"}[kind]


def _route_table(result: IssuanceResult) -> Table:
    pct = f"{result.scenario.sla.confidence:.0%}".replace("%", " %")
    routes = [r for r in ROUTE_NAMES if getattr(result.scenario.issuance, r) is not None]
    table = Table(title=f"Issuance by route: mean [{pct} interval]", title_justify="left")
    table.add_column("KPI")
    for r in routes:
        table.add_column(ROUTE_NAMES[r], justify="right")
    index = {(k, g): row for k, g, row in zip(result.summary["kpi"], result.summary["group"],
                                                result.summary.itertuples(index=False))}
    for kpi, label, kind in ISSUANCE_ROWS:
        cells = []
        for r in routes:
            row = index.get((kpi, f"route:{r}"))
            cells.append("–" if row is None else format_interval(row.mean, row.ci_low, row.ci_high, _fmt_kind(kind)))
        if any(c != "–" for c in cells):
            table.add_row(label, *cells)
    overall = Table(title="Production and collection, all routes", title_justify="left")
    overall.add_column("KPI")
    overall.add_column(f"mean [{pct} interval]", justify="right")
    for kpi, label, kind in OVERALL_ROWS:
        row = index.get((kpi, "all"))
        if row is not None:
            overall.add_row(label, format_interval(row.mean, row.ci_low, row.ci_high, _fmt_kind(kind)))
    return table, overall


def _capacity_table(result: IssuanceResult) -> Table:
    table = Table(title=f"Capacity needed (cards per working day; now {result.scenario.issuance.production.cards_per_day})",
                  title_justify="left")
    table.add_column("target")
    table.add_column("smallest capacity meeting it", justify="right")
    for r in result.capacity.itertuples(index=False):
        value = f"{r.cards_per_day:.0f}" if r.cards_per_day == r.cards_per_day else escape(r.note)
        table.add_row(escape(r.label), value)
    return table


def _write(result: IssuanceResult, out: Path, force: bool, source: str, as_json: bool) -> None:
    frames = {"applications": result.applications, "daily": result.daily, "kpis": result.kpis,
              "summary": result.summary, "sla": result.sla}
    if result.capacity is not None:
        frames["capacity"] = result.capacity
    meta = {"hallsim": __version__, "command": "issuance", "source": source, "seed": result.seed,
            "reps": result.reps, "days": result.days, "seconds": round(result.seconds, 3), **result.meta}
    write_results(out, frames, {"scenario.yaml": scenario_to_yaml(result.scenario)}, meta, force, to_stderr=as_json)


@app.command(name="issuance")
def issuance_cmd(scenario: ScenarioFile, days: IssuanceDays = None, reps: IssuanceReps = None, seed: Seed = 0,
                 out: Out = None, as_json: AsJson = False, force: Force = False, workers: IssuanceWorkers = None,
                 scheduler: Scheduler = None, no_capacity: NoSearch = False, precision: Precision = None,
                 max_reps: MaxReps = None, hall_variant: HallVariant = None, hall_days: HallDays = None) -> None:
    """Simulate card production and issuance over working days: cycle times per route,
    share within target, backlog, SLA verdicts and the daily capacity needed."""
    with reported():
        reps, precision, max_reps = parse_reps(reps, precision, max_reps)
        check_options(None if reps == AUTO else reps, seed, days, workers)
        s = load_scenario(scenario)
        if s.issuance is None:
            raise InputError(f"{scenario}: issuance: the scenario has no 'issuance' section "
                             f"(add one; see the README, 'Card issuance over working days')")
        if out is not None:
            out_dir_ready(out, force)
        if hall_days is not None and (hall_variant is None or hall_days < 1):
            raise InputError(f"--hall-days: {'must be >= 1' if hall_variant is not None else 'only used with --hall-variant'}"
                             f" (got {hall_days})")
        if hall_variant is not None:
            check_out_file(hall_variant, force, "--hall-variant")
        kwargs = dict(seed=seed, reps=reps, days=days, workers=1 if workers is None else workers,
                      scheduler=scheduler, capacity_search=not no_capacity, precision=precision, max_reps=max_reps)
        try:
            if as_json:
                result = executed(simulate_issuance, s, **kwargs)
            else:
                total = max_reps if reps == AUTO else reps or s.issuance.replications or s.run.replications
                with LazyProgress(total) as progress:
                    result = executed(simulate_issuance, s, progress=progress, **kwargs)
        except CalendarError as exc:
            raise InputError(f"{scenario}: {exc.field}: {exc.message}") from None
        if hall_variant is not None:
            try:
                hall = with_overrides(s, collection_overrides(s, result, days=hall_days), source=str(hall_variant))
            except ValueError as exc:
                raise InputError(f"--hall-{'days' if hall_days is not None else 'variant'}: {exc}") from None
            text = (f"# {s.hall.name}: the hall's opening days over the issuance period of {scenario}, each with its\n"
                    f"# mean collection visits (hallsim issuance, seed {result.seed}, {result.reps} replications)\n"
                    + scenario_to_yaml(hall))
            load_file_text(text, hall_variant)  # it must load: check before writing
    if out is not None:
        _write(result, out, force, str(scenario), as_json)
    if hall_variant is not None:
        try:
            hall_variant.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(hall_variant, text)
        except OSError as exc:
            typer.echo(f"--hall-variant {hall_variant}: cannot write the variant ({exc})", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"wrote {hall_variant}: {hall.run.days} opening days of the hall from {hall.run.start_date} with "
                   f"their collection visits (hallsim run {hall_variant})", err=as_json)
    if as_json:
        doc = {"hallsim": __version__, "scenario": s.hall.name, "source": str(scenario), "seed": result.seed,
               "reps": result.reps, "days": result.days, "seconds": round(result.seconds, 3), **result.meta,
               "summary": records(result.summary), "sla": records(result.sla),
               "capacity": records(result.capacity)}
        typer.echo(json.dumps(doc, indent=2, allow_nan=False, default=str))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{escape(s.hall.name)}[/bold]: card issuance  ({escape(str(scenario))})")
    console.print(f"{result.reps} replication{'s' if result.reps != 1 else ''} x {result.days} working days of "
                  f"applications from {result.meta['first_date']} (+{result.meta['drain_days']} to drain, until "
                  f"{result.meta['last_date']}), seed {result.seed}, run time {result.seconds:.1f} s")
    if "reps_auto" in result.meta:
        console.print(auto_note(result.meta["reps_auto"]).replace("the main KPIs", "the tracked KPIs"))
    if result.reps < 2:
        console.print("[dim]one replication: no confidence intervals; verdicts judged on the value alone[/dim]")
    routes, overall = _route_table(result)
    console.print(routes)
    console.print(overall)
    console.print(sla_table(result))
    if result.capacity is not None and len(result.capacity):
        console.print(_capacity_table(result))
