"""``hallsim report``: run one or more scenarios (or read a finished sweep) and write a
report folder a bureau leader opens offline (see :mod:`sim.report`).

Exit codes: 0 written; 1 the folder could not be written; 2 bad input (a scenario file,
an option, a report name that would leave the reports folder, an existing report without
``--force``, a sweep folder that is missing or unfinished).
"""

from __future__ import annotations

import shlex
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer

from sim.cli.common import (DEFAULT_SEED, InputError, LazyProgress, Reps, Scheduler, Seed, Workers, check_options, load_all, executed, reported, with_days, app)
from sim.experiments.compare import compare
from sim.experiments.simulation import simulate
from sim.results.labels import LANGS
from sim.scenario.loader import ScenarioError
from sim.results.files import OutputError, check_out_dir
from sim.report.build import ReportError, default_name, report_dir, results_report, sweep_report, write_report
from sim.scenario.messages import short_repr

__all__ = ["report_cmd"]

DEFAULT_REPORTS_DIR = Path("reports")
"""Where reports go unless ``--reports-dir`` says otherwise."""

NAME_MAX = 120
"""Most characters of a report name (the folder's name; file systems allow 255 bytes)."""

Scenarios = Annotated[Optional[list[Path]], typer.Argument(
    help="Scenario files; the first is the baseline of the differences.", show_default=False)]
FromDir = Annotated[Optional[Path], typer.Option("--from", help="A finished sweep folder (hallsim sweep --out) "
                                                 "to report on instead of scenario files.", show_default=False)]
Name = Annotated[Optional[str], typer.Option("--name", help="Report name: the folder under the reports folder "
                                             f"([A-Za-z0-9._-], at most {NAME_MAX} characters; default: made from "
                                             "the scenario file names).",
                                             show_default=False)]
ReportsDir = Annotated[Path, typer.Option("--reports-dir", help="Folder that holds the reports.")]
Lang = Annotated[str, typer.Option("--lang", help="Language of labels, headings and verdicts: en or zh.")]
ReportForce = Annotated[bool, typer.Option("--force", help="Replace an existing report of the same name.")]
WithRoster = Annotated[bool, typer.Option("--roster", help="Add a section with the roster hallsim roster proposes "
                                                           "(one scenario only).")]
ReportDays = Annotated[Optional[int], typer.Option("--days", help="Opening days per replication (overrides run.days).")]


def _command(scenarios, from_dir, name, lang, reps, seed, days) -> str:
    """The command line that makes this report (recorded in it)."""
    parts = ["hallsim", "report", *map(str, scenarios or [])]
    if from_dir is not None:
        parts += ["--from", str(from_dir)]
    if reps is not None:
        parts += ["--reps", str(reps)]
    if from_dir is None:
        parts += ["--seed", str(seed)]
    if days is not None:
        parts += ["--days", str(days)]
    return shlex.join([*parts, "--name", name, "--lang", lang])


def _sweep_report(from_dir: Path, lang: str, title: str, command: str):
    from sim.experiments.sweep import SweepError, load_sweep

    try:
        result = load_sweep(from_dir)
    except (SweepError, OSError, ScenarioError) as exc:
        raise InputError(f"--from {from_dir}: {exc}") from None
    if not result.complete:
        m = result.manifest["points"]
        raise InputError(f"--from {from_dir}: the sweep is not finished ({m['done']} of {m['total']} points); "
                         "run the same hallsim sweep command again to finish it")
    return sweep_report(result, lang=lang, title=title, command=command, source=str(from_dir))


def _issuance(named, seed: int, reps: int | None, workers, scheduler) -> dict:
    """Card issuance over working days of every scenario with an ``issuance`` section."""
    wanted = {n: r.scenario for n, r in named.items() if getattr(r.scenario, "issuance", None) is not None}
    if not wanted:
        return {}
    from sim.issuance.simulation import simulate_issuance
    from sim.scenario.workdays import CalendarError

    out = {}
    for name, scenario in wanted.items():
        try:
            out[name] = executed(simulate_issuance, scenario, seed, reps, workers=workers, scheduler=scheduler,
                                  capacity_search=False)
        except CalendarError as exc:
            raise InputError(f"{name}: issuance: {exc}") from None
    return out


@app.command(name="report")
def report_cmd(scenarios: Scenarios = None, from_dir: FromDir = None, name: Name = None,
               reports_dir: ReportsDir = DEFAULT_REPORTS_DIR, lang: Lang = "en", reps: Reps = None,
               seed: Seed = DEFAULT_SEED, days: ReportDays = None, force: ReportForce = False,
               workers: Workers = None, scheduler: Scheduler = None, roster: WithRoster = False) -> None:
    """Write reports/NAME/ (index.html, report.md, figures/*.png, meta.json) for scenarios
    or a finished sweep: verdicts, SLA scorecard, differences, standards, figures. (A network's
    report: hallsim network NETWORK --report NAME.)"""
    with reported():
        check_options(reps, seed, days, workers)
        if lang not in LANGS:
            raise InputError(f"--lang: must be one of {', '.join(LANGS)} (got {lang!r})")
        if bool(scenarios) == (from_dir is not None):
            raise InputError("report: give scenario files or --from SWEEP_FOLDER (one of the two)")
        if roster and (from_dir is not None or len(scenarios) != 1):
            raise InputError("--roster: give exactly one scenario file")
        stems = [p.stem for p in scenarios] if scenarios else [from_dir.resolve().name]
        name = name if name is not None else default_name(stems)
        if len(name) > NAME_MAX:
            raise InputError(f"--name: a report name has at most {NAME_MAX} characters (got {len(name)}: "
                             f"{short_repr(name)})")
        try:
            out = report_dir(name, reports_dir)
            check_out_dir(out, force)  # fail before a long run, not after
        except (ReportError, OutputError) as exc:
            raise InputError(f"--name: {exc}" if isinstance(exc, OutputError) else str(exc)) from None
        command = _command(scenarios, from_dir, name, lang, reps, seed, days)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            if from_dir is not None:
                report = _sweep_report(from_dir, lang, name, command)
            else:
                loaded = [with_days(s, days) for s in load_all(scenarios)]
                total = (reps or loaded[0].run.replications) * len(loaded)
                with LazyProgress(total) as progress:
                    if len(loaded) == 1:
                        result = executed(simulate, loaded[0], seed, reps, progress=progress, workers=workers,
                                           scheduler=scheduler)
                        named, cmp = {stems[0]: result}, None
                    else:
                        cmp = executed(compare, loaded, stems, seed, reps, workers=workers, scheduler=scheduler,
                                        progress=progress, tables=True)
                        named = dict(zip(cmp.names, cmp.results))
                issuance = _issuance(named, seed, reps, workers, scheduler)
                week = None
                if roster:
                    from sim.experiments.rostering import RosterInfeasible, RosterRules
                    from sim.experiments.week_roster import propose_week

                    if loaded[0].continuous:
                        raise InputError(f"{scenarios[0]}: run.horizon_min: a roster needs opening hours")
                    try:
                        week = propose_week(loaded[0], RosterRules(), reps=reps, seed=seed)
                    except RosterInfeasible as exc:
                        raise InputError(f"{scenarios[0]}: {exc}") from None
                report = results_report(None if cmp is not None else named, comparison=cmp, lang=lang, title=name,
                                        sources=dict(zip(named, map(str, scenarios))), command=command,
                                        issuance=issuance, roster=week)
        for w in caught:
            typer.echo(f"warning: {w.message}", err=True)
    try:
        files = write_report(report, out, force)
    except ReportError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        typer.echo(f"{out}: cannot write the report ({exc})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {len(files)} files to {out}/ (open {out / 'index.html'})")
