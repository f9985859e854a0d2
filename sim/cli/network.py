"""``hallsim network``: a county's service points, the zones' choices, every point's
KPIs and verdicts, and the 10-minute card circle; what-ifs and new outlets."""

from __future__ import annotations

import json
import shlex
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich import box
from rich.table import Table

from sim.cli.common import (DEFAULT_SEED, AsJson, Force, InputError, LazyProgress, Out, Reps, Scheduler, Seed, Workers,
                            app, check_options, check_out_file, executed, out_dir_ready, records, reported,
                            write_results)
from sim.network.display import circle_sentence, network_kpi_label, plan_sentence
from sim.network.loader import load_network
from sim.network.location import LocationPlan, load_candidates, locate
from sim.network.simulation import NetworkResult, simulate_network
from sim.network.whatif import NetworkComparison, compare_networks, parse_with, variant
from sim.results.files import OutputError, atomic_write, check_out_dir
from sim.results.labels import LANGS
from sim.results.formatting import format_interval, format_number, kind_of
from sim.results.verdict import headline
from sim.scenario.loader import scenario_to_yaml
from sim.version import __version__

__all__ = ["network_cmd"]

With = Annotated[Optional[list[str]], typer.Option(
    "--with", metavar="NAME=FILE@X,Y",
    help="Add a point NAME running the hall scenario FILE at X,Y km (replaces a point of that name); NAME@X,Y "
         "moves a point. Repeatable; the result is compared with the network as it is, on common random numbers.")]
Without = Annotated[Optional[list[str]], typer.Option(
    "--without", metavar="NAME", help="Close point NAME (repeatable); compared like --with.")]
Locate = Annotated[Optional[int], typer.Option(
    "--locate", metavar="K", help="Choose K new instant-issue outlets among --candidates (maximal covering, OR-Tools "
                                  "CP-SAT), then simulate the network with them against the network without.")]
CandidatesFile = Annotated[Optional[Path], typer.Option(
    "--candidates", metavar="FILE", help="Candidate sites: candidates: [{name, scenario, x_km, y_km}, …].")]
MapFile = Annotated[Optional[Path], typer.Option(
    "--map", metavar="FILE.png", help="Also draw the schematic map (zones coloured by the circle, points by level) "
                                      "into this PNG; with a what-if, the variant's map goes to FILE_whatif.png.")]
ElderlyWeight = Annotated[float, typer.Option(
    "--elderly-weight", help="With --locate: an elderly resident counts this many times (1: everyone alike).")]
ReportName = Annotated[Optional[str], typer.Option(
    "--report", metavar="NAME", help="Also write the network report to REPORTS_DIR/NAME/ (index.html, report.md, "
                                     "figures, tables, the network files; [A-Za-z0-9._-]).", show_default=False)]
ReportsDir = Annotated[Path, typer.Option("--reports-dir", help="Folder that holds the reports (with --report).")]
ReportLang = Annotated[str, typer.Option("--lang", metavar="en|zh", help="Language of the report (with --report); "
                                         "problem messages follow `hallsim --lang`.")]


def _whole_pct(x) -> str:
    """A share as a whole percentage ("94 %"), for narrow tables."""
    text = format_number(x, "share")
    return text if text == "–" else f"{float(x) * 100:.0f} %"


def _circle_line(result: NetworkResult) -> str:
    return circle_sentence(result, "en")


def _points_table(result: NetworkResult) -> Table:
    table = Table(title="Service points, simulated with the demand the zones assign them (card: makes cards on the "
                        "spot; SLA: targets met of judged; std: minimum standards of its level passed)",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    longest = max((len(p) for p in result.points["point"]), default=5)
    for col in ("point", "level", "card", "/day", "mean wait [95 %]", "p90", "SLA", "std"):
        table.add_column(col, justify="left" if col in ("point", "level", "card") else "right",
                         min_width=min(longest, 20) if col == "point" else None,
                         no_wrap=col == "mean wait [95 %]")
    for r in result.points.itertuples(index=False):
        table.add_row(escape(r.point), r.level.replace("bank_outlet", "bank"), "yes" if r.instant_issue else "no",
                      format_number(r.visitors_per_day, "count"),
                      format_interval(r.wait_mean_min, r.wait_mean_low, r.wait_mean_high, "min"),
                      format_number(r.wait_p90_min, "min"), f"{r.targets_met}/{r.targets_judged}",
                      f"{r.standards_passed}/{r.standards_total}")
    return table


def _zones_table(result: NetworkResult) -> Table:
    table = Table(title="Zones: travel and wait (min) to the points chosen; served: visitors with travel + wait "
                        "within the circle; circle: residents within it (travel only); door: counting the wait",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    longest = max((len(z) for z in result.zones["zone"]), default=4)
    for col in ("zone", "residents", "travel", "wait", "served", "circle", "elderly", "door"):
        table.add_column(col, justify="left" if col == "zone" else "right",
                         min_width=min(longest, 20) if col == "zone" else None)
    for r in result.zones.itertuples(index=False):
        table.add_row(escape(r.zone), f"{r.population:,}", format_number(r.travel_mean_min, "count"), format_number(r.wait_mean_min, "count"),
                      _whole_pct(r.served_in_circle_share), _whole_pct(r.circle_share),
                      _whole_pct(r.circle_elderly_share), _whole_pct(r.door_to_card_share))
    return table


def _comparison_tables(cmp: NetworkComparison) -> tuple[Table, Table]:
    """The network's KPIs, then each point's visits and mean wait: as it is, what-if, and
    the paired difference with its interval."""
    net = Table(title="What-if against the network as it is (Δ: paired difference, common random numbers)",
                title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    pts = Table(title="Points: visits per day and mean wait (min), as it is → what-if", title_justify="left",
                box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("network", "as it is", "what-if", "Δ [95 %]"):
        net.add_column(col, justify="left" if col == "network" else "right")
    for col in ("point", "visits/day", "mean wait", "Δ wait [95 %]"):
        pts.add_column(col, justify="left" if col == "point" else "right")
    rows = cmp.table
    for r in rows[rows["point"] == ""].itertuples(index=False):
        kind = kind_of(r.kpi)
        net.add_row(network_kpi_label(r.kpi, r.group, "en"), format_number(r.base_mean, kind),
                    format_number(r.variant_mean, kind), format_interval(r.diff_mean, r.diff_low, r.diff_high, kind))
    index = rows.set_index(["point", "kpi", "group"])
    for point in dict.fromkeys(rows.loc[rows["point"] != "", "point"]):
        visits, wait = index.loc[(point, "visitors_per_day", "all")], index.loc[(point, "wait_mean_min", "all")]
        pts.add_row(escape(point), f"{format_number(visits.base_mean, 'count')} → {format_number(visits.variant_mean, 'count')}",
                    f"{format_number(wait.base_mean, 'min')} → {format_number(wait.variant_mean, 'min')}",
                    format_interval(wait.diff_mean, wait.diff_low, wait.diff_high, "min"))
    return net, pts


def _plan_lines(plan: LocationPlan) -> list[str]:
    return [plan_sentence(plan, "en")]


def _print_result(console: Console, result: NetworkResult, title: str, zones: bool = True) -> None:
    net = result.loaded.network
    people = sum(z.population for z in net.zones)
    console.print(f"[bold]{escape(title)}[/bold]: {len(net.points)} points, {len(net.zones)} zones, {people:,} residents; "
                  f"{result.reps} replications × {net.run.days} day(s), seed {result.seed}, run time {result.seconds:.1f} s")
    console.print(escape(_circle_line(result)))
    for name, res in result.results.items():
        console.print("• " + escape(headline(name, res.sla)))
    console.print(_points_table(result))
    if zones:
        console.print(_zones_table(result))
    for name, res in result.results.items():
        for r in res.standards[~res.standards["passed"].astype(bool)].itertuples(index=False):
            console.print(f"[bold red]{escape(name)}: minimum standard not met: {escape(r.label)} "
                          f"({r.actual:g} < {r.required:g})[/]")


def _frames(result: NetworkResult, prefix: str = "") -> dict[str, pd.DataFrame]:
    def stacked(attr):
        parts = [getattr(res, attr).assign(point=name) for name, res in result.results.items()]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        return frame[["point", *[c for c in frame.columns if c != "point"]]] if len(frame) else frame

    frames = {"points": result.points, "zones": result.zones, "circle": result.circle, "network_kpis": result.kpis,
              "assignment": result.assignment.table(), "history": result.history, "point_summary": stacked("summary"),
              "point_sla": stacked("sla"), "point_standards": stacked("standards"), "point_kpis": stacked("kpis")}
    return {prefix + k: v for k, v in frames.items()}


def _doc(result: NetworkResult) -> dict:
    return {"network": result.loaded.network.name, "seed": result.seed, "reps": result.reps,
            "seconds": round(result.seconds, 3), "circle_line": _circle_line(result),
            "circle": records(result.circle), "points": records(result.points), "zones": records(result.zones),
            "point_results": {name: {"headline": headline(name, res.sla), "summary": records(res.summary),
                                     "sla": records(res.sla), "standards": records(res.standards)}
                              for name, res in result.results.items()},
            "assignment_rounds": result.meta.get("rounds"), "assignment_change_min": result.meta.get("change_min")}


def _command(network, reps, seed, with_, without, locate_k, candidates, elderly_weight, report, lang) -> str:
    """The command line that makes this report (recorded in it)."""
    parts = ["hallsim", "network", str(network), *(["--reps", str(reps)] if reps is not None else []), "--seed", str(seed)]
    parts += [x for text in with_ or [] for x in ("--with", text)] + [x for n in without or [] for x in ("--without", n)]
    if locate_k is not None:
        parts += ["--locate", str(locate_k), "--candidates", str(candidates), "--elderly-weight", f"{elderly_weight:g}"]
    return shlex.join([*parts, "--report", report, "--lang", lang])


def _report_target(name: str, reports_dir: Path, force: bool) -> Path:
    """The report's folder, checked before the run (a bad name or an existing report
    without --force is bad input)."""
    from sim.report.build import ReportError, report_dir

    try:
        target = report_dir(name, reports_dir)
        check_out_dir(target, force)
    except (ReportError, OutputError) as exc:
        raise InputError(f"--report: {str(exc).removeprefix('--name: ')}") from None
    return target


def _write_report(target: Path, name: str, result, cmp, plan, changes, without, sites, lang: str, force: bool,
                  to_stderr: bool, command: str | None) -> None:
    """Build and write the network report (sim.report.network); exit 1 when it cannot be written."""
    from sim.report.build import ReportError, write_report
    from sim.report.network import network_report

    doc = network_report(result, cmp, plan, changes=changes, without=without, candidates=sites, lang=lang,
                         title=name, command=command)
    try:
        files = write_report(doc, target, force)
    except (OSError, ReportError) as exc:
        typer.echo(f"--report {target}: cannot write the report ({exc})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {len(files)} files to {target}/ (open {target / 'index.html'})", err=to_stderr)


def _write_maps(path: Path, result: NetworkResult, cmp: NetworkComparison | None, to_stderr: bool) -> None:
    """Draw the circle map of ``result`` (and of the what-if) into PNG files, atomically."""
    from sim.plots.network import network_map

    targets = [(path, result)]
    if cmp is not None:
        targets.append((path.with_name(f"{path.stem}_whatif{path.suffix or '.png'}"), cmp.variant))
    for target, res in targets:
        fig = network_map(res, "circle")
        try:
            atomic_write(target, lambda tmp: fig.savefig(tmp, format="png"))
        except OSError as exc:
            typer.echo(f"--map {target}: cannot write the map ({exc})", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"wrote {target}", err=to_stderr)


@app.command(name="network")
def network_cmd(network: Annotated[Path, typer.Argument(help="Network YAML file.", show_default=False)],
                reps: Reps = None, seed: Seed = DEFAULT_SEED, with_: With = None, without: Without = None,
                locate_k: Locate = None, candidates: CandidatesFile = None, elderly_weight: ElderlyWeight = 1.0,
                out: Out = None, force: Force = False, as_json: AsJson = False, workers: Workers = None,
                scheduler: Scheduler = None, map_file: MapFile = None, report: ReportName = None,
                reports_dir: ReportsDir = Path("reports"), lang: ReportLang = "en") -> None:
    """Simulate a network of service points: zones choose points, every point's KPIs and SLA verdicts, the
    10-minute card circle; --with/--without what-ifs and --locate new outlets, on common random numbers."""
    plan = sites = target = None
    with reported():
        check_options(reps, seed, None, workers)
        if lang not in LANGS:
            raise InputError(f"--lang: must be one of {', '.join(LANGS)} (got {lang!r})")
        if report is not None:
            target = _report_target(report, reports_dir, force)
        if locate_k is not None and locate_k < 1:
            raise InputError(f"--locate: must be >= 1 (got {locate_k})")
        if (locate_k is None) != (candidates is None):
            raise InputError("--locate and --candidates go together (give both or neither)")
        if not 0.1 <= elderly_weight <= 10:
            raise InputError(f"--elderly-weight: must be between 0.1 and 10 (got {elderly_weight:g})")
        base = load_network(network)
        changes = [parse_with(text) for text in with_ or []]
        other = variant(base, changes, without or []) if (changes or without) else None
        if locate_k is not None:
            sites = load_candidates(candidates, other or base)
            plan = locate(other or base, sites, locate_k, elderly_weight)
            other = variant(other or base, [sites.change(name) for name in plan.chosen])
        if out is not None:
            out_dir_ready(out, force)
        if map_file is not None:
            check_out_file(map_file, force, "--map")
            if not map_file.parent.is_dir():
                raise InputError(f"--map {map_file}: no folder {map_file.parent}")
        total = (reps or base.network.run.replications) * (len(base.network.points) +
                                                          (len(other.network.points) if other else 0))
        with nullcontext() if as_json else LazyProgress(total) as progress:
            if other is None:
                result, cmp = executed(simulate_network, base, seed, reps, workers, scheduler, progress), None
            else:
                cmp = executed(compare_networks, base, other, seed, reps, workers, scheduler, progress)
                result = cmp.base
    if out is not None:
        frames = _frames(result)
        texts = {f"point_{n}.yaml": scenario_to_yaml(s) for n, s in result.scenarios.items()}
        if cmp is not None:
            frames.update(_frames(cmp.variant, "whatif_"))
            frames["comparison"] = cmp.table
            texts.update({f"whatif_point_{n}.yaml": scenario_to_yaml(s) for n, s in cmp.variant.scenarios.items()})
        if plan is not None:
            frames["location"] = plan.candidates
        meta = {"hallsim": __version__, "command": "network", "network": str(network), "seed": seed,
                "reps": result.reps, "with": list(with_ or []), "without": list(without or []),
                "locate": locate_k, "chosen": plan.chosen if plan else None,
                "seconds": round(result.seconds + (cmp.variant.seconds if cmp else 0.0), 3)}
        write_results(out, frames, texts, meta, force, to_stderr=as_json)
    if map_file is not None:
        _write_maps(map_file, result, cmp, to_stderr=as_json)
    if target is not None:
        _write_report(target, report, result, cmp, plan, changes, without or [], sites, lang, force, as_json,
                      _command(network, reps, seed, with_, without, locate_k, candidates, elderly_weight, report, lang))
    if as_json:
        doc = {"hallsim": __version__, "source": str(network), **_doc(result)}
        if cmp is not None:
            doc["whatif"] = _doc(cmp.variant)
            doc["comparison"] = records(cmp.table)
        if plan is not None:
            doc["location"] = {"k": plan.k, "chosen": plan.chosen, "status": plan.status,
                               "circle_before": list(plan.before), "circle_after": list(plan.after),
                               "candidates": records(plan.candidates)}
        typer.echo(json.dumps(doc, indent=2, allow_nan=False))
        return
    console = Console(highlight=False)
    if plan is not None:
        for line in _plan_lines(plan):
            console.print(f"[bold]{escape(line)}[/bold]")
    _print_result(console, result, base.network.name)
    if cmp is not None:
        what = [*(f"with {t}" for t in with_ or []), *(f"without {t}" for t in without or []),
                *(f"with new outlet {n}" for n in (plan.chosen if plan else []))]
        console.print()
        _print_result(console, cmp.variant, f"What-if: {'; '.join(what)}", zones=False)
        for table in _comparison_tables(cmp):
            console.print(table)
