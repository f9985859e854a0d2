"""``hallsim roster``: a roster of named people the hall can work, checked by simulation.

Calls :func:`sim.experiments.rostering.propose_roster`: the requirement per period (with
the target that binds and the SIPP / Lag-SIPP / MOL references), the roster by CP-SAT,
its simulation and repair rounds; prints them with staff-hours and every target's
verdict today and proposed, and what the hall lacks; writes a scenario file that
``extends:`` the input and carries the roster (``hallsim run`` runs it), and a Gantt chart
(PNG) beside it.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.cli.common import (DEFAULT_SEED, VERDICT_STYLE, Days, Force, InputError, Reps, ScenarioFile, Seed, Workers,
                            app, check_options, check_out_file, reported)
from sim.experiments.rostering import RosterInfeasible, rules_from_text
from sim.experiments.week_roster import propose_week
from sim.results.files import atomic_write_text
from sim.results.formatting import format_interval, kind_of
from sim.scenario.loader import load_scenario, load_scenario_text, scenario_to_dict
from sim.scenario.messages import short_repr

__all__ = ["roster_cmd", "roster_yaml"]

RosterOut = Annotated[Path, typer.Option("--out", "-o", help="Write the roster scenario here (it extends the input).")]
Period = Annotated[float, typer.Option("--period", help="Length of a period of the requirement, minutes.")]
NewWindows = Annotated[bool, typer.Option("--allow-new-windows",
                                          help="Let the roster open up to 2 windows the hall does not have.")]
Rounds = Annotated[int, typer.Option("--rounds", help="Most solve-and-simulate rounds.")]
Rule = Annotated[list[str] | None, typer.Option(
    "--rule", metavar="NAME=VALUE",
    help="A roster rule (repeatable): min_shift_min, max_shift_min, lunch_min, lunch_after_min, "
         "lunch_window (HH:MM-HH:MM or hall), max_continuous_min, days_per_week, max_new_staff (or none), "
         "lead_min, stay_min, break_buffer_min, start_grid_min, slot_min, time_limit_s; e.g. --rule days_per_week=4.")]
SameEveryDay = Annotated[bool, typer.Option("--same-every-day",
                                            help="One roster for every opening day, even when demand differs by weekday.")]


def roster_yaml(week, source: Path, out: Path) -> str:
    """The roster file: a header, ``extends:`` the input (relative to ``out``), the
    windows (their hours, per weekday when the weekdays differ), the staff and the
    policies the roster was checked under (staffing, breaks waiting for cover, rests)."""
    data = scenario_to_dict(week.scenario)
    rel = os.path.relpath(source.resolve(), out.resolve().parent)
    first = next(iter(week.proposals.values()))
    lines = [f"# Roster proposed by `hallsim roster` for {week.scenario.hall.name!r}",
             f"# {first.requirement.period_min:g}-minute periods, {first.requirement.reps} replications, "
             f"seed {first.requirement.seed}; staff-hours {week.staff_hours:g} a week "
             f"({', '.join(f'{chr(45).join(g)} {p.plan.staff_hours:g} a day' for g, p in week.proposals.items())})",
             *(f"# verdict {'-'.join(g)}: " + p.verdict[:2000] for g, p in week.proposals.items())]
    body = {"extends": rel.replace(os.sep, "/"), "windows": data["windows"], "staff": data["staff"],
            "policies": {k: data["policies"][k] for k in ("staffing", "breaks_wait_for_cover", "rests")}}
    return "\n".join(lines) + "\n" + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def _requirement_table(req) -> Table:
    table = Table(title="Requirement per period (windows attended; references: Erlang C)", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("period", "arrivals/h", "load", "required", "binds", "SIPP", "Lag-SIPP", "MOL", "verdict"):
        table.add_column(name, justify="left" if name in ("period", "binds", "verdict") else "right")
    for r in req.table.itertuples(index=False):
        style = VERDICT_STYLE.get(r.verdict, "")
        fmt = lambda x: "–" if not math.isfinite(x) else f"{x:g}"  # noqa: E731
        verdict = r.verdict + (" (capped)" if r.capped else "")
        table.add_row(f"{r.period_start}-{r.period_end}", f"{r.arrivals_per_hour:.1f}", f"{r.offered_load:.2f}",
                      str(r.required), escape(r.binding), fmt(r.sipp), fmt(r.lag_sipp), fmt(r.mol),
                      f"[{style}]{escape(verdict)}[/]" if style else escape(verdict))
    return table


def _people_table(plan) -> Table:
    table = Table(title="Roster", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("person", "A post", "B post", "shift", "lunch", "hours", "changes"):
        table.add_column(name)
    for r in plan.people.itertuples(index=False):
        who = r.name + (" (new hire)" if r.new else "")
        lunch = f"{r.lunch_start} ({r.lunch_min} min)" if r.lunch_start else "–"
        table.add_row(escape(who), r.a_post, r.b_post or "–", f"{r.shift_start}-{r.shift_end}", lunch, f"{r.hours:g}",
                      str(r.changes))
    return table


def _verdicts_table(proposal) -> Table:
    table = Table(title="Service targets: today, every window attended all day, proposed", title_justify="left")
    table.add_column("target")
    cols = [("today", proposal.today), ("every window", proposal.bound), ("proposed", proposal.result)]
    for name, _ in cols:
        table.add_column(name, justify="right")
    for _, row in proposal.bound.sla.iterrows():
        cells = []
        for _, res in cols:
            if res is None:
                cells.append("–")
                continue
            r = res.sla[res.sla["target"] == row["target"]].iloc[0]
            style = VERDICT_STYLE.get(r["verdict"], "")
            cells.append(f"{format_interval(r['mean'], r['ci_low'], r['ci_high'], kind_of(r['kpi']))} "
                         f"[{style}]{escape(r['verdict'])}[/]")
        table.add_row(escape(row["label"]), *cells)
    return table


@app.command(name="roster")
def roster_cmd(scenario: ScenarioFile, out: RosterOut, reps: Reps = None, seed: Seed = DEFAULT_SEED,
               days: Days = None, period: Period = 30.0, allow_new_windows: NewWindows = False,
               rounds: Rounds = 4, same_every_day: SameEveryDay = False, rule: Rule = None,
               workers: Workers = None, force: Force = False) -> None:
    """Propose a roster of named people (A/B posts, shifts, staggered lunches) that meets
    the targets a roster can meet, checked by simulation; write it as a scenario that
    extends SCENARIO, with a Gantt chart beside it."""
    with reported():
        check_options(reps, seed, days, workers)
        problems = []
        if not period > 0 or not math.isfinite(period):
            problems.append(f"--period: must be > 0 minutes (got {period:g})")
        if rounds < 1:
            problems.append(f"--rounds: must be >= 1 (got {rounds})")
        items: dict[str, str] = {}
        for text in rule or []:
            name, eq, value = text.partition("=")
            if not eq or not name.strip():
                problems.append(f"--rule: expected NAME=VALUE, e.g. days_per_week=4 (got {short_repr(text)})")
            elif name.strip() in items:
                problems.append(f"--rule: {short_repr(name.strip())} given twice")
            else:
                items[name.strip()] = value
        try:
            rules = rules_from_text(items)
        except ValueError as exc:
            problems.append(f"--rule: {exc}")
        if problems:
            raise InputError(*problems)
        base = load_scenario(scenario)
        if base.continuous:
            raise InputError(f"{scenario}: run.horizon_min: a roster needs opening hours (not a continuous run)")
        check_out_file(out, force)
        try:
            week = propose_week(base, rules, period_min=period, reps=reps, seed=seed, days=days,
                                allow_new_windows=allow_new_windows, max_rounds=rounds,
                                per_weekday=not same_every_day, workers=workers)
        except RosterInfeasible as exc:
            raise InputError(f"{scenario}: {exc}") from None
        text = roster_yaml(week, scenario, out)
        # the file must load: check before writing (beside the input, as out's folder may not exist yet)
        load_scenario_text(roster_yaml(week, scenario, scenario), str(out), scenario.parent)
        check_out_file(out, force)
    from sim.plots.roster import roster_gantt

    charts = {g: out.with_suffix(".png") if len(week.proposals) == 1 else out.with_name(f"{out.stem}_{'-'.join(g)}.png")
              for g in week.proposals}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, text)
        for g, p in week.proposals.items():
            roster_gantt(p.plan).savefig(charts[g], dpi=110)
    except OSError as exc:
        typer.echo(f"--out {out}: cannot write the roster ({exc})", err=True)
        raise typer.Exit(1) from None
    console = Console(highlight=False, width=160)
    first = next(iter(week.proposals.values()))
    console.print(f"[bold]{escape(base.hall.name)}[/bold]  ({escape(str(scenario))}): {first.requirement.reps} "
                  f"replications, seed {seed}, run time {week.seconds:.1f} s; "
                  + ("one roster for every opening day" if len(week.proposals) == 1 else
                     f"a roster for each of {len(week.proposals)} groups of weekdays (demand or hours differ)"))
    for g, proposal in week.proposals.items():
        if len(week.proposals) > 1:
            console.rule(f"[bold]{'-'.join(g)}[/bold]")
        _show(console, base, proposal)
    if len(week.proposals) > 1:
        console.print(f"staff-hours a week: proposed {week.staff_hours:g}; days at work: "
                      + ", ".join(f"{n} {len(d)}" for n, d in week.days_at_work.items()))
        if week.days_off_sentence:
            console.print(escape(week.days_off_sentence))
    console.print(f"wrote {escape(str(out))} (hallsim run {escape(str(out))} simulates it) and "
                  + ", ".join(escape(str(c)) for c in charts.values()))


def _show(console, base, proposal) -> None:
    """One roster's tables: requirement, people, staff-hours, rounds, verdicts, verdict."""
    console.print(_requirement_table(proposal.requirement))
    console.print(_people_table(proposal.plan))
    today_hours = sum((_minutes(p.shift.end) - _minutes(p.shift.start)) / 60 for p in base.staff)
    console.print(f"staff-hours a day: today {today_hours:g} ({len(base.staff)} people), proposed "
                  f"{proposal.plan.staff_hours:g} ({len(proposal.plan.people)} people, "
                  f"{int(proposal.plan.people['new'].sum())} new hires); changes from today {proposal.plan.changes}")
    rounds_text = "; ".join(f"round {r.round}: {r.staff_hours:g} h, missed {r.missed or 'nothing'}"
                            + (f", then {r.raised}" if r.raised else "") for r in proposal.rounds.itertuples())
    console.print(f"check by simulation: {escape(rounds_text)}")
    console.print(_verdicts_table(proposal))
    console.print(f"[bold]verdict:[/bold] {escape(proposal.verdict)}")


def _minutes(clock: str) -> float:
    from sim.scenario.clock import to_minutes

    return to_minutes(clock)
