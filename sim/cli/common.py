"""The ``hallsim`` command line: run or compare scenarios, check them against the minimum
standards, validate scenario files.

The CLI only calls the library (:func:`sim.simulate`, :func:`sim.load_scenario`,
:func:`sim.check_standards`) and shows what it returns: tables for a person, one JSON
document with ``--json`` for a program, and Parquet + CSV files with ``--out``.

Exit codes: 0 success; 1 ``check --strict`` found a failing standard (or output could
not be written); 2 bad input (a missing or invalid scenario file, a bad option), reported
on stderr one line per field as ``FILE: field.path: message``, without a traceback.
"""

from __future__ import annotations

import json
import math
import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated, Any, Iterator, Optional

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.version import __version__
from sim.experiments.executors import ExecutorError
from sim.experiments.simulation import MemoryLimitError, SimulationResult, check_memory, simulate
from sim.scenario.checks import warnings as scenario_warnings
from sim.scenario.loader import ScenarioError, load_scenario, scenario_to_yaml
from sim.scenario.messages import localise
from sim.scenario.schema import Scenario
from sim.results.files import OutputError, ResultDir, check_out_dir, write_dir
from sim.experiments.replications import AUTO, CAP_DEFAULT, PRECISION_DEFAULT, replicate_until
from sim.results.formatting import KPI_ROWS, format_interval, format_number, kind_of
from sim.results.verdict import advice, headline
from sim.scenario.messages import short

__all__ = ["app"]

PROGRESS_DELAY_S = 1.0
"""Seconds a run must have taken before the progress bar appears (on stderr)."""

DEMO_REPS = 10
"""Replications of ``hallsim demo`` unless ``--reps`` says otherwise."""

DEFAULT_SEED = 0
"""Seed of ``run`` and ``demo`` unless ``--seed`` says otherwise (as :func:`sim.simulate`)."""

VERDICT_STYLE = {"met": "bold green", "not met": "bold red", "uncertain": "bold yellow", "no data": "dim"}

app = typer.Typer(
    name="hallsim",
    help="Simulate social security card service halls (社保卡服务大厅) for capacity planning.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


_MESSAGES = {"lang": "en"}
"""The language of validation messages (set by ``hallsim --lang`` or $HALLSIM_LANG)."""


@app.callback()
def _options(lang: Annotated[str, typer.Option(
        "--lang", envvar="HALLSIM_LANG", metavar="en|zh",
        help="Language of scenario and grid validation messages: en or zh (中文). Report content has its own "
             "`report --lang`.")] = "en") -> None:
    """Simulate social security card service halls (社保卡服务大厅) for capacity planning."""
    if lang not in ("en", "zh"):
        typer.echo(f"--lang: expected en or zh (got {lang!r})", err=True)
        raise typer.Exit(2)
    _MESSAGES["lang"] = lang


def scenario_language() -> str:
    """The language chosen with ``hallsim --lang`` ("en" or "zh")."""
    return _MESSAGES["lang"]


def scenario_lines(exc: ScenarioError) -> list[str]:
    """The lines of ``exc`` in the language chosen with ``hallsim --lang``."""
    return exc.lines(_MESSAGES["lang"])


def warning_lines(scenario: Scenario, source: str) -> list[str]:
    """``source: field: warning: message`` for each semantic warning about ``scenario``
    (:func:`sim.scenario.checks.warnings`), in the language of ``hallsim --lang``."""
    return [f"{source}: {path}: warning: {localise(msg, _MESSAGES['lang'])}"
            for path, msg in scenario_warnings(scenario)]


class InputError(Exception):
    """Bad input that is not a scenario field (an option, the output directory);
    ``lines`` are printed to stderr one per line."""

    def __init__(self, *lines: str):
        self.lines = list(lines)
        super().__init__("\n".join(lines))


@contextmanager
def reported(code: int = 2) -> Iterator[None]:
    """Turn ScenarioError and InputError into lines on stderr and exit ``code``."""
    try:
        yield
    except ScenarioError as exc:
        for line in scenario_lines(exc):
            typer.echo(line, err=True)
        raise typer.Exit(code) from None
    except InputError as exc:
        for line in exc.lines:
            typer.echo(line, err=True)
        raise typer.Exit(code) from None


# ------------------------------------------------------------------ formatting
def plain(value: Any) -> Any:
    """A JSON-ready value: numpy scalars unwrapped, NaN and infinities as None."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    if frame is None:
        return None
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


# ------------------------------------------------------------------ progress
class LazyProgress:
    """A ``progress(done, total)`` callback for :func:`sim.simulate` that shows a rich
    progress bar on stderr, but only once the run has lasted ``delay_s`` seconds (default
    :data:`PROGRESS_DELAY_S`), so short runs print nothing. Use it as a context manager around the run."""

    def __init__(self, total: int, delay_s: float | None = None, console: Console | None = None):
        self.total = total
        self.done = 0
        self._console = console
        self._lock = threading.Lock()
        self._bar = None
        self._task = None
        self._closed = False
        self._timer = threading.Timer(PROGRESS_DELAY_S if delay_s is None else delay_s, self._show)
        self._timer.daemon = True

    def __enter__(self) -> "LazyProgress":
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._bar is not None:
                self._bar.stop()

    @property
    def shown(self) -> bool:
        """True once the bar has appeared."""
        return self._bar is not None

    def _show(self) -> None:
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        with self._lock:
            if self._closed or self._bar is not None:
                return
            self._bar = Progress(
                SpinnerColumn(), TextColumn("replications"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TextColumn("elapsed"), TimeRemainingColumn(), TextColumn("left"),
                console=self._console or Console(stderr=True), transient=True,
            )
            self._task = self._bar.add_task("replications", total=self.total, completed=self.done)
            self._bar.start()

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            self.done, self.total = done, total
            if self._bar is not None:
                self._bar.update(self._task, completed=done, total=total)


# ------------------------------------------------------------------ analytic reference
def analytic_reference(scenario: Scenario) -> pd.DataFrame | None:
    """``sim.analytic.reference_for(scenario)``, or None when that module is not there."""
    try:
        from sim.experiments import analytic
    except ModuleNotFoundError as exc:
        if exc.name == f"{__package__}.analytic":
            return None
        raise
    return analytic.reference_for(scenario)


# ------------------------------------------------------------------ output directory
def out_dir_ready(out: Path, force: bool) -> None:
    """Raise InputError when ``out`` may not receive the results."""
    try:
        check_out_dir(out, force)
    except OutputError as exc:
        raise InputError(f"--out {exc}") from None


def check_out_file(out: Path, force: bool, option: str = "--out") -> None:
    """Raise InputError when the file ``out`` (given with ``option``) may not be written."""
    try:
        if out.is_dir():
            raise InputError(f"{option} {out}: is a directory; give a file name such as {out / 'variant.yaml'}")
        if out.exists() and not force:
            raise InputError(f"{option} {out}: file exists (use --force to replace it)")
    except OSError as exc:  # a name too long, a folder that may not be read
        raise InputError(f"{option} {short(str(out))}: cannot be used ({exc.strerror or exc})") from None


def result_frames(result: SimulationResult, analytic: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    frames = dict(result.tables)
    frames.update(kpis=result.kpis, summary=result.summary, sla=result.sla, standards=result.standards)
    if analytic is not None:
        frames["analytic"] = analytic
    return frames


def write_results(out: Path, frames: dict[str, pd.DataFrame], texts: dict[str, str], meta: dict, force: bool,
                  to_stderr: bool = False, folder: ResultDir | None = None) -> None:
    """Write ``frames`` (Parquet and CSV), ``texts`` and ``meta.json`` into ``out``
    atomically (:func:`sim.results.files.write_dir`, or into ``folder`` when the run
    already streamed tables there) and say so (on stderr when ``to_stderr``, e.g. beside
    ``--json``); a failure exits 1 naming ``--out``."""
    try:
        files = write_dir(out, frames, texts, meta, force) if folder is None else folder.write_all(frames, texts, meta)
    except OSError as exc:
        typer.echo(f"--out {out}: cannot write the results ({exc})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {len(files)} files to {out}", err=to_stderr)


def write_out(result: SimulationResult, out: Path, force: bool, source: str,
              analytic: pd.DataFrame | None = None, to_stderr: bool = False, folder: ResultDir | None = None) -> None:
    """Write every table as Parquet and CSV, ``scenario.yaml`` and ``meta.json`` into
    ``out`` (see :func:`write_results`; ``folder``: the run streamed its tables there)."""
    if folder is None:
        out_dir_ready(out, force)
    meta = {
        "hallsim": __version__,
        "scenario": result.scenario.hall.name,
        "source": source,
        "seed": result.seed,
        "reps": result.reps,
        "days": None if result.scenario.continuous else result.scenario.run.days,
        "horizon_min": result.scenario.run.horizon_min,
        "seconds": round(result.seconds, 3),
        "reps_auto": auto_meta(result.meta),
        "tables_streamed": folder is not None,
    }
    write_results(out, result_frames(result, analytic), {"scenario.yaml": scenario_to_yaml(result.scenario)},
                  meta, force, to_stderr, folder)


# ------------------------------------------------------------------ tables
def summary_index(result: SimulationResult) -> dict[tuple[str, str], Any]:
    s = result.summary
    return {(k, g): r for k, g, r in zip(s["kpi"], s["group"], s.itertuples(index=False))}


def header(console: Console, result: SimulationResult, source: str) -> None:
    s = result.scenario
    span = f"{s.run.horizon_min:g} min horizon" if s.continuous else f"{s.run.days} day(s)"
    reps = f"{result.reps} replication" + ("s" if result.reps != 1 else "")
    console.print(f"[bold]{escape(s.hall.name)}[/bold]  ({escape(s.hall.level)} level, {escape(source)})")
    console.print(f"{reps} x {span}, seed {result.seed}, run time {result.seconds:.1f} s")
    if auto_meta(result.meta):
        console.print(auto_note(result.meta))
    if result.reps < 2:
        console.print("[dim]one replication: no confidence intervals; verdicts judged on the value alone[/dim]")


def kpi_table(result: SimulationResult) -> Table:
    pct = f"{result.scenario.sla.confidence:.0%}".replace("%", " %")
    table = Table(title="Key performance indicators", title_justify="left")
    table.add_column("KPI")
    table.add_column(f"mean [{pct} interval]", justify="right")
    index = summary_index(result)
    for kpi, group, label in KPI_ROWS:
        r = index.get((kpi, group))
        if r is not None:
            if result.scenario.continuous:  # a continuous run counts "per day" over the whole run
                label = label.replace("per day", "per run")
            table.add_row(label, format_interval(r.mean, r.ci_low, r.ci_high, kind_of(kpi)))
    return table


def sla_table(result: SimulationResult) -> Table:
    table = Table(title="Service targets (SLA)", title_justify="left")
    table.add_column("target")
    table.add_column("mean [interval]", justify="right")
    table.add_column("verdict")
    for r in result.sla.itertuples(index=False):
        style = VERDICT_STYLE.get(r.verdict, "")
        table.add_row(escape(r.label), format_interval(r.mean, r.ci_low, r.ci_high, kind_of(r.kpi)),
                      f"[{style}]{escape(r.verdict)}[/]" if style else escape(r.verdict))
    return table


def standards_table(standards: pd.DataFrame, level: str) -> Table:
    table = Table(title=f"Minimum standards ({level} level)", title_justify="left")
    table.add_column("standard")
    table.add_column("required", justify="right")
    table.add_column("actual", justify="right")
    table.add_column("result")
    for r in standards.itertuples(index=False):
        result = "[bold green]pass[/]" if r.passed else "[bold red]fail[/]"
        table.add_row(escape(r.label), f"{r.required:g}", f"{r.actual:g}", result)
    return table


def analytic_table(result: SimulationResult, reference: pd.DataFrame) -> Table:
    table = Table(title="Analytic reference (queueing theory)", title_justify="left")
    table.add_column("KPI")
    table.add_column("group")
    table.add_column("simulated [interval]", justify="right")
    table.add_column("analytic", justify="right")
    table.add_column("formula")
    index = summary_index(result)
    for r in reference.itertuples(index=False):
        kind = kind_of(str(r.kpi))
        sim_row = index.get((r.kpi, r.group))
        simulated = format_interval(sim_row.mean, sim_row.ci_low, sim_row.ci_high, kind) if sim_row is not None else "–"
        table.add_row(escape(str(r.kpi)), escape(str(r.group)), simulated, format_number(plain(r.analytic), kind),
                      escape(str(r.formula)))
    return table


# ------------------------------------------------------------------ run / demo
def check_options(reps: int | None, seed: int, days: int | None, workers: int | None = None) -> None:
    problems = []
    if workers is not None and workers < 1:
        problems.append(f"--workers: must be >= 1 (got {workers})")
    if reps is not None and reps < 1:
        problems.append(f"--reps: must be >= 1 (got {reps})")
    if seed < 0:
        problems.append(f"--seed: must be >= 0 (got {seed})")
    if days is not None and days < 1:
        problems.append(f"--days: must be >= 1 (got {days})")
    if problems:
        raise InputError(*problems)


def load_all(paths: list[Path]) -> list[Scenario]:
    """Load every scenario file; the problems of all files together raise one InputError."""
    problems: list[str] = []
    loaded = []
    for path in paths:
        try:
            loaded.append(load_scenario(path))
        except ScenarioError as exc:
            problems += scenario_lines(exc)
    if problems:
        raise InputError(*problems)
    return loaded


def with_days(scenario: Scenario, days: int | None) -> Scenario:
    if days is None:
        return scenario
    if scenario.continuous:
        typer.echo("--days ignored: the scenario runs one continuous horizon (run.horizon_min)", err=True)
        return scenario
    return scenario.model_copy(update={"run": scenario.run.model_copy(update={"days": days})})


def run_scenario(scenario: Scenario, source: str, reps: int | str | None, seed: int, days: int | None,
         out: Path | None, force: bool, as_json: bool, workers: int | None = None, scheduler: str | None = None,
         precision: float = PRECISION_DEFAULT, max_reps: int = CAP_DEFAULT, stream: bool = False) -> None:
    """Simulate, then print tables or JSON and write ``--out``; bad input raises.
    ``reps`` "auto" runs :func:`sim.experiments.replications.replicate_until`
    (``precision``, ``max_reps``); ``stream`` writes each replication's tables into
    ``out`` as soon as it is done instead of holding them."""
    scenario = with_days(scenario, days)
    if stream and out is None:
        raise InputError("--stream: give --out DIR (the tables are written there replication by replication)")
    if stream and reps == AUTO:
        raise InputError("--stream: not with --reps auto (give a number of replications)")
    if out is not None:
        out_dir_ready(out, force)  # fail before a long run, not after
    total = scenario.run.replications if reps is None else (max_reps if reps == AUTO else reps)
    try:  # before the run: the memory the tables it keeps would need
        check_memory(scenario, total, tables=out is not None and not stream, workers=workers, scheduler=scheduler,
                     streamed=stream)
    except MemoryLimitError as exc:
        raise InputError(f"{source}: {exc}" + ("" if out is None or stream else " (here: add --stream)")) from None
    warnings = warning_lines(scenario, source)
    with ResultDir(out, force) if stream else nullcontext() as folder:
        def sink(res) -> None:
            for name, frame in res.tables.items():
                folder.part(name, res.replication, frame)

        # only --out needs the per-visit tables; without it memory stays flat
        options = dict(workers=workers, scheduler=scheduler, tables=out is not None and not stream)
        if stream:
            options["sink"] = sink
        with nullcontext() if as_json else LazyProgress(total) as progress:
            result = executed(simulate_or_auto, scenario, seed, reps, precision, max_reps, progress=progress,
                              **options)
        reference = analytic_reference(scenario)
        if out is not None:
            write_out(result, out, force, source, reference, to_stderr=as_json, folder=folder)

    if as_json:
        doc = {
            "hallsim": __version__,
            "scenario": scenario.hall.name,
            "level": scenario.hall.level,
            "source": source,
            "seed": result.seed,
            "reps": result.reps,
            "reps_auto": auto_meta(result.meta),
            "days": None if scenario.continuous else scenario.run.days,
            "seconds": round(result.seconds, 3),
            "headline": headline(scenario.hall.name, result.sla),
            "advice": [{"target": a.target, "why": a.why, "action": a.action}
                       for a in advice(result.sla, result.summary)],
            "summary": records(result.summary),
            "sla": records(result.sla),
            "standards": records(result.standards),
            "analytic": records(reference),
            "warnings": warnings,
        }
        typer.echo(json.dumps(doc, indent=2, allow_nan=False))
        return

    console = Console(highlight=False)
    console.print(f"[bold]{escape(headline(scenario.hall.name, result.sla))}[/bold]")
    for tip in advice(result.sla, result.summary):
        console.print("→ " + escape(tip.sentence()))
    header(console, result, source)
    for line in warnings:  # the semantic warnings again, where the KPIs are read
        console.print(f"[bold yellow]{escape(line)}[/]")
    console.print(kpi_table(result))
    console.print(sla_table(result))
    console.print(standards_table(result.standards, scenario.hall.level))
    if reference is not None and len(reference):
        console.print(analytic_table(result, reference))


def executed(fn, *args, **kwargs):
    """Call a library function that runs replications; executor problems and a run too big
    for memory become InputError."""
    try:
        return fn(*args, **kwargs)
    except ExecutorError as exc:
        raise InputError(f"--scheduler: {exc}") from None
    except MemoryLimitError as exc:
        raise InputError(f"--reps: {exc}") from None


Workers = Annotated[Optional[int], typer.Option("--workers", "-w", help="Processes to use (default: every core).")]
Scheduler = Annotated[Optional[str], typer.Option("--scheduler", help="Run on a dask.distributed scheduler at this address (tcp://host:port).")]
Reps = Annotated[Optional[int], typer.Option("--reps", "-n", help="Replications (default: the scenario's run.replications).")]
RepsOrAuto = Annotated[Optional[str], typer.Option(
    "--reps", "-n", metavar="N|auto",
    help="Replications (default: the scenario's run.replications), or 'auto': add replications until the main "
         "KPIs' intervals are within --precision of their means (Hoad, Robinson & Davies 2010).")]
Precision = Annotated[Optional[float], typer.Option("--precision", show_default=False, help=f"With --reps auto: largest relative half-width of the main KPIs' intervals (0.05 = 5 %; default {PRECISION_DEFAULT:g}).")]
MaxReps = Annotated[Optional[int], typer.Option("--max-reps", show_default=False, help=f"With --reps auto: most replications to run (default {CAP_DEFAULT}).")]



def parse_reps(value: str | None, precision: float | None,
                max_reps: int | None) -> tuple[int | str | None, float, int]:
    """``--reps`` as a number, "auto" or None, with the precision and cap that apply
    (their defaults when not given); a bad value, a bad --precision / --max-reps with auto,
    or either of them without auto raises InputError."""
    text = value.strip().lower() if value is not None else None
    if text != AUTO:
        given = [name for name, v in (("--precision", precision), ("--max-reps", max_reps)) if v is not None]
        if given:
            raise InputError(f"{' and '.join(given)}: only used with --reps auto (got --reps "
                             f"{value if value is not None else 'not given'})")
    precision = PRECISION_DEFAULT if precision is None else precision
    max_reps = CAP_DEFAULT if max_reps is None else max_reps
    if text is None:
        return None, precision, max_reps
    if text == AUTO:
        problems = []
        if not 0 < precision < 1:
            problems.append(f"--precision: must be between 0 and 1, e.g. 0.05 for 5 % (got {precision:g})")
        if max_reps < 3:
            problems.append(f"--max-reps: must be >= 3 (got {max_reps})")
        if problems:
            raise InputError(*problems)
        return AUTO, precision, max_reps
    try:
        return int(text), precision, max_reps
    except ValueError:
        raise InputError(f"--reps: expected a whole number >= 1 or 'auto' (got {value!r})") from None


def simulate_or_auto(scenario: Scenario, seed: int, reps: int | str | None, precision: float, max_reps: int,
                      **kwargs) -> SimulationResult:
    if reps == AUTO:
        return replicate_until(scenario, seed, precision=precision, cap=max_reps, **kwargs)
    return simulate(scenario, seed, reps, **kwargs)


def auto_meta(meta: dict) -> dict | None:
    """What ``--reps auto`` decided (None for a fixed number of replications)."""
    return dict(meta) if meta.get("reps") == AUTO else None


def auto_note(meta: dict) -> str:
    if meta["cap_reached"]:
        return (f"[bold yellow]--reps auto: stopped at the cap of {meta['cap']} replications before the main KPIs "
                f"reached ±{meta['precision'] * 100:g} % (worst relative half-width {pct(meta['achieved'])})[/]")
    return (f"[dim]--reps auto: {meta['reps_used']} replications for ±{meta['precision'] * 100:g} % precision of the main "
            f"KPIs (reached at {meta['reps_solution']}, confirmed over {meta['reps_used'] - meta['reps_solution']} more; "
            f"worst relative half-width {pct(meta['achieved'])})[/]")


def pct(x) -> str:
    return "–" if x is None else f"{x:.1%}".replace("%", " %")
Seed = Annotated[int, typer.Option("--seed", "-s", help="Seed; the same seed gives the same random numbers.")]
Days = Annotated[Optional[int], typer.Option("--days", help="Opening days per replication (overrides run.days).")]
Out = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write every table as Parquet and CSV into this directory.")]
Force = Annotated[bool, typer.Option("--force", help="With --out: replace a directory that is not empty.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of tables.")]
ScenarioFile = Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)]

