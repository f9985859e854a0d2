"""``hallsim calibrate`` (a hall's scenario from its queue-ticket log, with a validation
report) and ``hallsim log`` (a simulated run written as a ticket log).

Exit codes: 0 written; 1 a file could not be written; 2 bad input (the log, the mapping
file, the hall file, an option, an existing output without ``--force``), reported on
stderr naming the file, row and column, without a traceback, nothing half-written.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from sim.calibration.logs import LogError
from sim.calibration.notes import note_text
from sim.calibration.validate import DEFAULT_REPS
from sim.calibration.synthetic import LOG_FORMATS, simulated_log
from sim.cli.common import (
    DEFAULT_SEED,
    InputError,
    LazyProgress,
    Seed,
    Workers,
    app,
    check_out_file,
    reported,
)
from sim.results.files import (
    OutputError,
    atomic_write,
    atomic_write_text,
    check_out_dir,
)
from sim.results.labels import LANGS
from sim.scenario.loader import load_scenario, with_overrides

__all__ = ["calibrate_cmd", "log_cmd"]

LogFile = Annotated[Path, typer.Argument(help="The ticket log: CSV (UTF-8, UTF-8 with BOM, GBK or GB18030) or XLSX.",
                                         show_default=False)]
Hall = Annotated[Path, typer.Option("--hall", help="The hall file: a scenario with the hall's fixed facts (level, "
                                    "area, windows and their services, devices, staff); the calibrated scenario "
                                    "extends it.", show_default=False)]
Out = Annotated[Path, typer.Option("--out", help="Where to write the calibrated scenario (YAML).", show_default=False)]
Columns = Annotated[Optional[Path], typer.Option("--columns", help="Mapping file (YAML) for another vendor's log: "
                                                 "layout, columns, status, services, windows.", show_default=False)]
Layout = Annotated[Optional[str], typer.Option("--layout", metavar="zh|qmatic",
                                               help="Layout of the log (default: recognised from its header).")]
CalReps = Annotated[int, typer.Option("--reps", "-n", help="Replications of the validation (0: no validation).")]
ReportName = Annotated[Optional[str], typer.Option("--report", help="Write the calibration report to "
                                                   "REPORTS_DIR/NAME/ ([A-Za-z0-9._-]).", show_default=False)]
ReportsDir = Annotated[Path, typer.Option("--reports-dir", help="Folder that holds the reports.")]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing scenario file or report.")]
Lang = Annotated[str, typer.Option("--lang", help="Language of the report's text and figures, and of the notes "
                                    "printed: en or zh.")]


def _fail_lines(exc: LogError) -> InputError:
    return InputError(*exc.lines)


@app.command(name="calibrate")
def calibrate_cmd(log: LogFile, hall: Hall, out: Out, columns: Columns = None, layout: Layout = None,
                  reps: CalReps = DEFAULT_REPS, seed: Seed = DEFAULT_SEED, report: ReportName = None,
                  reports_dir: ReportsDir = Path("reports"), force: Force = False, workers: Workers = 1,
                  lang: Lang = "en") -> None:
    """Fit a hall's demand and service parts from its queue-ticket log, write a scenario that
    extends the hall file, and validate it: observed beside simulated, a verdict per figure."""
    from sim.calibration.calibrate import calibrate  # scipy: imported only by this command
    from sim.report.build import ReportError, report_dir, write_report
    from sim.report.calibration import calibration_report

    with reported():
        if layout is not None and layout not in LOG_FORMATS:
            raise InputError(f"--layout: must be one of {', '.join(LOG_FORMATS)} (got {layout!r})")
        if lang not in LANGS:
            raise InputError(f"--lang: must be one of {', '.join(LANGS)} (got {lang!r})")
        if reps < 0:
            raise InputError(f"--reps: must be >= 0 (got {reps})")
        if report is not None and reps == 0:
            raise InputError("--report: needs the validation (--reps > 0)")
        check_out_file(out, force)
        target = None
        if report is not None:
            try:
                target = report_dir(report, reports_dir)
                check_out_dir(target, force)
            except (ReportError, OutputError) as exc:
                raise InputError(f"--report: {exc}") from None
        if not out.parent.exists():
            raise InputError(f"--out {out}: the folder {out.parent} does not exist")
        try:
            with LazyProgress(max(reps, 1)) as progress:
                cal = calibrate(log, hall, out, columns, layout, reps, seed, workers, reps > 0, progress)
        except LogError as exc:
            raise _fail_lines(exc) from None
        console = Console(highlight=False, soft_wrap=False)
        for line in _summary(cal, lang):  # wrapped at the terminal's width
            console.print(escape(line))
    command = shlex.join(["hallsim", "calibrate", str(log), "--hall", str(hall), "--out", str(out),
                          *(["--columns", str(columns)] if columns else []), "--reps", str(reps), "--seed", str(seed),
                          *(["--report", report] if report else []), *(["--lang", lang] if lang != "en" else [])])
    try:
        atomic_write_text(out, cal.text)
        typer.echo(f"wrote {out}")
        if target is not None:
            files = write_report(calibration_report(cal, report, command, lang), target, force)
            typer.echo(f"wrote {len(files)} files to {target}/ (open {target / 'index.html'})")
    except (OSError, ReportError) as exc:
        typer.echo(f"cannot write the results ({exc})", err=True)
        raise typer.Exit(1) from None


def _summary(cal, lang: str = "en") -> list[str]:
    """The lines printed after a calibration (English; the notes in ``lang``)."""
    log, fit = cal.log, cal.fit
    lines = [f"{log.path}: {log.rows} rows, layout {log.layout}, encoding {log.encoding_name}; "
             f"{len(log.tickets)} tickets over {len(fit.days)} days ({fit.days[0]} to {fit.days[-1]})"]
    if len(log.bad):
        lines.append(f"bad rows left out: {log.bad['line'].nunique()}")
        lines += [f"  {s}" for s in log.bad_summary()]
    for name, n in log.unmatched.items():
        lines.append(f"business name {name!r} matches no service of the hall file: {n} tickets left out "
                     "(map it with --columns: services: {NAME: CODE})")
    v = fit.volume
    lines.append(f"tickets per day: {v['visitors_per_day']:.1f} (95 % interval {v['low']:.1f}-{v['high']:.1f})")
    lines += [f"note: {note_text(n, lang)}" for n in fit.notes]
    if cal.validation is not None:
        c = cal.validation.counts()
        lines.append(f"validation ({cal.validation.reps} replications): {c['reproduced']} of "
                     f"{c['reproduced'] + c['not reproduced']} figures reproduced"
                     + (f" ({c['too few']} not judged: too few tickets)" if c["too few"] else ""))
        bad = cal.validation.table[cal.validation.table["verdict"] == "not reproduced"]
        for r in bad.itertuples():
            lines.append(f"  not reproduced: {r.figure} {r.hour}: observed {r.observed:.2f}, simulated "
                         f"{r.sim_mean:.2f} [{r.sim_low:.2f}, {r.sim_high:.2f}], by {r.difference:+.2f}")
    return lines


@app.command(name="log")
def log_cmd(scenario: Annotated[Path, typer.Argument(help="Scenario file to simulate.", show_default=False)],
            out: Annotated[Path, typer.Option("--out", help="The log file to write (.csv or .xlsx).", show_default=False)],
            days: Annotated[Optional[int], typer.Option("--days", help="Opening days (default: run.days).")] = None,
            fmt: Annotated[str, typer.Option("--format", metavar="zh|qmatic", help="Layout of the log.")] = "zh",
            encoding: Annotated[str, typer.Option("--encoding", metavar="utf-8|utf-8-sig|gbk|gb18030",
                                                  help="Encoding of a CSV log.")] = "utf-8-sig",
            seed: Seed = DEFAULT_SEED, force: Force = False) -> None:
    """Write one simulated run of a scenario as a queue-ticket log (Chinese export or Qmatic);
    a CSV starts with a comment line saying it is simulated and how it was made."""
    with reported():
        if fmt not in LOG_FORMATS:
            raise InputError(f"--format: must be one of {', '.join(LOG_FORMATS)} (got {fmt!r})")
        if encoding not in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
            raise InputError(f"--encoding: must be utf-8, utf-8-sig, gbk or gb18030 (got {encoding!r})")
        if days is not None and days < 1:
            raise InputError(f"--days: must be >= 1 (got {days})")
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise InputError(f"--out {out}: give a .csv or .xlsx file name")
        check_out_file(out, force)
        s = load_scenario(scenario)
        if days is not None:
            s = with_overrides(s, {"run.days": days})
        frame = simulated_log(s, None, fmt, seed)
    try:
        if out.suffix.lower() == ".xlsx":
            atomic_write(out, lambda tmp: frame.to_excel(tmp, index=False, engine="openpyxl"))
        else:
            note = (f"# Simulated ticket log, not real data: hallsim log {scenario.name} --days {s.run.days} "
                    f"--format {fmt} --seed {seed}\n")

            def write(tmp: Path) -> None:
                with open(tmp, "w", encoding=encoding, newline="") as fh:
                    fh.write(note)
                    frame.to_csv(fh, index=False)
            atomic_write(out, write)
    except (OSError, UnicodeEncodeError) as exc:
        typer.echo(f"--out {out}: cannot write the log ({exc})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {len(frame)} tickets to {out}")
