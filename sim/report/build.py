"""Reports a bureau leader reads without running anything: ``reports/<name>/`` with
``index.html`` (self-contained: CSS inline, figures as data URIs), ``report.md`` (the same
content, figures linked), every figure as a PNG under ``figures/``, the scenario files
under ``scenarios/``, the tables under ``tables/`` and ``meta.json``.

:func:`results_report` builds a report of one scenario or of a comparison (a verdict
paragraph per scenario against its SLA targets, the SLA scorecard with intervals, the
paired differences against the baseline, the minimum standards, the figures of
:mod:`sim.plots` and the metadata needed to rebuild it); :func:`sweep_report` does the same
for a finished sweep (:func:`sim.sweep.load_sweep`). :func:`write_report` writes a report
atomically under a checked name (:func:`report_dir`).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from sim.results.labels import TEXTS, check_lang, group_label, kpi_label, sla_label, standard_label, text, verdict_label
from sim.scenario.loader import scenario_to_yaml
from sim.results.files import ResultDir, check_out_dir, now_iso
from sim.report.document import Code, Cell, Figure, Heading, Para, Table, to_html, to_markdown
from sim.results.formatting import COMPARE_KPIS, fmt_interval, fmt_value
from sim.results.verdict import advice, comparison_headline, headline

__all__ = ["Report", "ReportError", "results_report", "sweep_report", "write_report", "report_dir",
           "REPORT_NAME_PATTERN", "REPORT_KPIS", "REPORT_FILES", "FIGURE_DPI", "figure_png", "verdict_paragraph"]

REPORT_NAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]+$")
"""A report name: letters, digits, ``.``, ``_`` and ``-`` only (and never ``..``)."""

FIGURE_DPI = 110
"""Resolution of the PNG figures (a 7.5 × 4 inch figure is 825 × 440 pixels)."""

REPORT_FILES = {
    "index.html": "the report, self-contained (figures embedded as data URIs, CSS inline); opens offline",
    "report.md": "the same content as Markdown; figures link to figures/*.png",
    "figures/<name>.png": "every figure as a PNG",
    "scenarios/<name>.yaml": "each scenario as run (extends resolved); loads back to the same scenario",
    "tables/<name>.csv": "the scorecard, KPI / comparison table and standards as CSV",
    "meta.json": "hallsim version, date, command, seed, replications, days, run time, scenario hashes, verdicts",
}
"""Every file of a report folder and what it holds."""

REPORT_KPIS: list[tuple[str, str]] = [
    ("visitors_per_day", "all"), ("served_per_day", "all"),
    ("wait_mean_min", "all"), ("wait_p90_min", "all"),
    ("wait_mean_min", "elderly"), ("wait_p90_min", "elderly"),
    ("wait_mean_min", "other"), ("wait_p90_min", "other"),
    ("time_in_system_mean_min", "all"), ("issuance_mean_min", "all"), ("issuance_p90_min", "all"),
    ("abandonment_rate", "all"), ("missing_docs_rate", "all"), ("kiosk_share", "all"),
    ("queue_mean", "all"), ("window_utilisation", "all"), ("staff_utilisation", "all"),
    ("empty_window_min_per_day", "all"), ("covered_min_per_day", "all"), ("overtime_min_per_day", "all"),
]
"""The (kpi, group) rows of the differences table, in order."""


class ReportError(ValueError):
    """A report that cannot be written: a bad name, or an existing report without ``force``."""


@dataclass(frozen=True)
class Report:
    """A built report: its ``blocks`` (see :mod:`sim.report_doc`), ``title``, ``lang``,
    extra files (``files``: relative path → text, e.g. scenario YAML and CSV tables) and
    ``meta`` (what ``meta.json`` records)."""

    title: str
    lang: str
    blocks: list
    files: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def markdown(self) -> str:
        """The report as Markdown (figures link to their PNG files)."""
        return to_markdown(self.blocks)

    @property
    def html(self) -> str:
        """The report as one self-contained HTML page."""
        return to_html(self.blocks, self.title, self.lang)

    @property
    def figures(self) -> list[Figure]:
        """The figure blocks, in order."""
        return [b for b in self.blocks if isinstance(b, Figure)]


# ------------------------------------------------------------------ names and folders
def report_dir(name: str, root: str | Path = "reports") -> Path:
    """The folder of report ``name`` under ``root``; ReportError when the name has other
    characters than ``[A-Za-z0-9._-]``, contains ``..`` or would resolve outside ``root``."""
    if not isinstance(name, str) or not REPORT_NAME_PATTERN.fullmatch(name) or ".." in name or name.startswith("."):
        raise ReportError(f"--name: report name {name!r} may only use letters, digits, '.', '_' and '-', "
                          f"may not start with '.' and may not contain '..'")
    root = Path(root)
    out = root / name
    base = root.resolve()
    if out.resolve().parent != base:
        raise ReportError(f"--name: report {name!r} would be written outside {root}")
    return out


def default_name(stems) -> str:
    """A report name made from scenario file stems (``a-vs-b``), reduced to allowed characters."""
    name = "-vs-".join(re.sub(r"[^A-Za-z0-9._-]+", "_", s).strip("._") or "scenario" for s in stems)
    return name[:120] or "report"


def write_report(report: Report, out: str | Path, force: bool = False) -> list[str]:
    """Write ``report`` into folder ``out`` atomically (a temporary folder beside it,
    renamed at the end; an existing non-empty folder is replaced only with ``force``).
    Returns the relative paths written."""
    out = Path(out)
    try:
        check_out_dir(out, force)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    files: dict[str, bytes] = {"index.html": report.html.encode("utf-8"),
                               "report.md": report.markdown.encode("utf-8")}
    files.update({f.path: f.png for f in report.figures})
    files.update({p: t.encode("utf-8") for p, t in report.files.items()})
    meta = {**report.meta, "files": sorted([*files, "meta.json"])}
    files["meta.json"] = (json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    with ResultDir(out, force) as folder:
        for rel, data in files.items():
            folder.bytes(rel, data)
        folder.place()
    return meta["files"]


# ------------------------------------------------------------------ formatting
def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _conf(confidence: float) -> str:
    return f"{confidence * 100:g} %"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "scenario"


def _verdict_cell(verdict: str, lang: str) -> Cell:
    return Cell(verdict_label(verdict, lang), "verdict-" + verdict.replace(" ", "-"))


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=FIGURE_DPI)
    return buf.getvalue()


def figure_png(fig) -> bytes:
    """A figure as PNG bytes at :data:`FIGURE_DPI`, as every report draws them."""
    return _png(fig)


def _kpi_name(kpi: str, group: str, lang: str) -> str:
    return kpi_label(kpi, lang) + ("" if group == "all" else f" — {group_label(group, lang)}")


# ------------------------------------------------------------------ sections
def _hall_target(row, lang: str) -> str:
    """The words of a hall SLA target row in ``lang``."""
    return sla_label(row["target"], row["limit"], lang)


def verdict_paragraph(name: str, sla: pd.DataFrame, standards: pd.DataFrame | None, lang: str,
                      one_rep: bool = False, label=_hall_target) -> str:
    """One paragraph: how many SLA targets ``name`` meets, which are not met, uncertain or
    without data (with value and interval), and whether its minimum standards pass.
    ``label(row, lang)`` gives a target's words."""
    def items(verdict: str) -> str:
        rows = sla[sla["verdict"] == verdict]
        return ", ".join(f"{label(r, lang)} ({fmt_interval(r['kpi'], r['mean'], r['ci_low'], r['ci_high'])})"
                         for _, r in rows.iterrows())

    judged = sla[sla["verdict"] != "no data"]
    detail = ""
    for verdict, key in (("not met", "report.verdict_not_met"), ("uncertain", "report.verdict_uncertain"),
                         ("no data", "report.verdict_no_data")):
        if (sla["verdict"] == verdict).any():
            detail += text(key, lang, items=items(verdict))
    para = text("report.verdict_para", lang, name=name, met=int((judged["verdict"] == "met").sum()),
                total=len(judged), detail=detail)
    if standards is not None and len(standards):
        failed = standards[~standards["passed"].astype(bool)]
        if failed.empty:
            para += text("report.verdict_standards_ok", lang)
        else:
            para += text("report.verdict_standards_bad", lang, items=", ".join(
                f"{standard_label(r.standard, r.label, lang)} ({r.actual:g} < {r.required:g})"
                for r in failed.itertuples(index=False)))
    if one_rep:
        para += text("report.verdict_one_rep", lang)
    return para


def _scorecard(slas: Mapping[str, pd.DataFrame], lang: str, conf: str, label=_hall_target) -> Table:
    """Targets as rows; per scenario its mean [interval] and verdict."""
    names = list(slas)
    header = [text("report.target", lang)]
    for n in names:
        header += [f"{n}: {text('report.value', lang, conf=conf)}", f"{n}: {text('report.verdict', lang)}"]
    targets = list(dict.fromkeys(t for s in slas.values() for t in s["target"]))
    rows = []
    for target in targets:
        first = next(s[s["target"] == target].iloc[0] for s in slas.values() if (s["target"] == target).any())
        row = [label(first, lang)]
        for n in names:
            hit = slas[n][slas[n]["target"] == target]
            if hit.empty:
                row += ["–", "–"]
                continue
            r = hit.iloc[0]
            value = fmt_interval(r["kpi"], r["mean"], r["ci_low"], r["ci_high"])
            if r["limit"] != first["limit"]:
                value += f" (≤ {r['limit']:g})"
            row += [Cell(value, "num"), _verdict_cell(r["verdict"], lang)]
        rows.append(row)
    return Table(header, rows, "scorecard")


def _differences(table: pd.DataFrame, names: list[str], lang: str, conf: str) -> Table:
    """Paired difference of each other scenario against the baseline, per KPI."""
    header = [text("report.kpi", lang)]
    for n in names[1:]:
        header += [f"{n} − {names[0]}: {text('report.difference', lang, conf=conf)}", ""]
    index = {(r.scenario, r.kpi, r.group): r for r in table.itertuples(index=False)}
    rows = []
    for kpi, group in REPORT_KPIS:
        cells = []
        for n in names[1:]:
            r = index.get((n, kpi, group))
            if r is None or not _finite(r.diff_mean):
                cells += ["–", ""]
                continue
            shown = fmt_interval(kpi, r.diff_mean, r.diff_low, r.diff_high)
            sign = "+" if float(fmt_value(kpi, r.diff_mean).rstrip(" %")) > 0 else ""
            cells.append(Cell(sign + shown, "num"))
            clear = _finite(r.diff_low) and _finite(r.diff_high) and not (r.diff_low <= 0 <= r.diff_high)
            cells.append(Cell(text("report.significant" if clear else "report.not_significant", lang),
                              "diff-clear" if clear else "diff-noise"))
        if any(c != "–" for c in cells[::2]):
            rows.append([_kpi_name(kpi, group, lang), *cells])
    return Table(header, rows, "differences")


def _standards(standards: Mapping[str, pd.DataFrame], levels: Mapping[str, str], lang: str) -> Table:
    header = [text(k, lang) for k in ("report.scenario", "report.standard", "report.required", "report.actual",
                                      "report.result")]
    rows = []
    for name, frame in standards.items():
        for r in frame.itertuples(index=False):
            ok = bool(r.passed)
            level = text(f"level.{levels[name]}", lang) if f"level.{levels[name]}" in TEXTS else levels[name]
            rows.append([f"{name} ({text('report.level', lang, level=level)})",
                         standard_label(r.standard, r.label, lang), f"{r.required:g}", f"{r.actual:g}",
                         Cell(text("standard.pass" if ok else "standard.fail", lang), "pass" if ok else "fail")])
    return Table(header, rows, "standards")


def _meta_table(meta: Mapping[str, Any], lang: str) -> Table:
    keys = [("hallsim", "report.meta.version"), ("created", "report.meta.date"), ("seed", "report.meta.seed"),
            ("reps", "report.meta.reps"), ("days", "report.meta.days"), ("seconds", "report.meta.seconds"),
            ("command", "report.meta.command")]
    rows = [[text(label, lang), str(meta[k])] for k, label in keys if meta.get(k) is not None]
    return Table(["", ""], rows, "meta")


def _figure(blocks: list, key: str, caption: str, fig) -> None:
    blocks.append(Figure(f"figures/{key}.png", caption, _png(fig)))


# ------------------------------------------------------------------ reports
def _as_named(results, comparison) -> dict:
    from sim.plots.hall import as_results

    if comparison is not None:
        return dict(zip(comparison.names, comparison.results))
    return as_results(results)


def _glance(named: Mapping[str, Any], comparison, lang: str) -> list:
    """The answer first: each scenario's headline with what to try for its missed targets,
    and for a comparison what changes against the baseline (sim.results.verdict)."""
    blocks: list = [Heading(2, text("report.glance", lang), "glance")]
    for name, res in named.items():
        blocks.append(Para(headline(name, res.sla, lang), "headline", name))
        blocks += [Para("→ " + tip.sentence(lang), "advice", name) for tip in advice(res.sla, res.summary, lang)]
    if comparison is not None and len(named) > 1:
        blocks += [Para(line, "headline") for line in comparison_headline(comparison.table, comparison.sla,
                                                                          COMPARE_KPIS, lang)]
    return blocks


def _animations(named: Mapping[str, Any], timeline: tuple[int, int], lang: str) -> dict[str, tuple[str, str]]:
    """The sample day of each scenario animated (sim.plots.animation, needs vidigi) as a
    self-contained HTML file: relative path -> (scenario name, HTML)."""
    from sim.plots.animation import animation_html, hall_day_animation

    rep, day = timeline
    return {f"animation/hall_day_{i + 1}_{_slug(name)}.html":
            (name, animation_html(hall_day_animation(res, rep, day, lang)))
            for i, (name, res) in enumerate(named.items())}


def results_report(results=None, comparison=None, lang: str = "en", title: str | None = None,
                   sources: Mapping[str, str] | None = None, command: str | None = None,
                   timeline: tuple[int, int] = (0, 0), issuance: Mapping[str, Any] | None = None,
                   roster=None, animation: bool = False) -> Report:
    """The report of one or more scenario runs.

    Give either ``comparison`` (a :class:`sim.Comparison`, run with ``tables=True``: the
    figures need the visits, queue, windows and staff tables) or ``results`` (one
    :class:`sim.SimulationResult` or a mapping name → result; no differences section).
    ``sources`` maps scenario names to the files they came from; ``command`` is recorded;
    ``timeline`` is the (replication, day) of the sample-day figure; ``issuance`` maps
    scenario names to :class:`sim.issuance.IssuanceResult` for a section on card issuance
    over working days (verdicts, scorecard, backlog and cycle-time figures); ``roster`` a
    :class:`sim.experiments.week_roster.WeekRoster` for a section on the proposed roster.
    """
    from sim import plots  # matplotlib: imported only when a report is built

    start = time.perf_counter()
    check_lang(lang)
    named = _as_named(results, comparison)
    for name, res in named.items():
        if not res.tables or "visits" not in res.tables:
            raise ValueError(f"results_report: {name!r} has no tables (run compare(..., tables=True))")
    names = list(named)
    base = named[names[0]]
    conf = _conf(base.scenario.sla.confidence)
    question = (text("report.question_one", lang, name=names[0]) if len(names) == 1 else
                text("report.question_many", lang, name=names[0], others=text("list.sep", lang).join(names[1:])))
    title = title or " / ".join(names)
    reps = base.reps
    blocks: list = [Heading(1, text("report.title", lang, name=title) + " — " + question)]
    blocks += _glance(named, comparison, lang)
    blocks.append(Heading(2, text("report.verdicts", lang), "verdicts"))
    for name, res in named.items():
        blocks.append(Para(verdict_paragraph(name, res.sla, res.standards, lang, one_rep=res.reps < 2),
                           "verdict", name))
    blocks += [Heading(2, text("report.scorecard", lang), "scorecard"),
               _scorecard({n: r.sla for n, r in named.items()}, lang, conf)]
    if comparison is not None and len(names) > 1:
        blocks += [Heading(2, text("report.differences", lang, name=names[0]), "differences"),
                   Para(text("report.diff_note", lang)), _differences(comparison.table, names, lang, conf)]
    blocks += [Heading(2, text("report.standards", lang), "standards"),
               _standards({n: r.standards for n, r in named.items()},
                          {n: r.scenario.hall.level for n, r in named.items()}, lang)]

    blocks.append(Heading(2, text("report.figures", lang), "figures"))
    wait_target = base.scenario.sla.wait_p90_max_min
    _figure(blocks, "queue_through_day", text("fig.queue.title", lang), plots.queue_through_day(named, lang=lang))
    _figure(blocks, "wait_cdf", text("fig.cdf.title", lang), plots.wait_cdf(named, wait_target, lang=lang))
    _figure(blocks, "waits_by_hour", text("fig.hour.title", lang), plots.waits_by_hour(named, wait_target, lang=lang))
    _figure(blocks, "elderly_vs_others", text("fig.elderly.title", lang), plots.elderly_vs_others(named, lang=lang))
    _figure(blocks, "utilisation", text("fig.util.title", lang), plots.utilisation(named, lang=lang))
    for i, (name, res) in enumerate(named.items()):
        _figure(blocks, f"utilisation_heatmap_{i + 1}_{_slug(name)}", text("fig.heat.title", lang, name=name),
                plots.utilisation_heatmap(res, lang=lang))
    rep, day = timeline
    for i, (name, res) in enumerate(named.items()):
        _figure(blocks, f"day_timeline_{i + 1}_{_slug(name)}",
                text("fig.timeline.title", lang, name=name, rep=rep, day=day),
                plots.day_timeline(res, rep, day, lang=lang))
    animations = _animations(named, timeline, lang) if animation else {}
    for path, (name, _html) in animations.items():
        blocks.append(Para(text("report.animation", lang, name=name, path=path), "animation", name))
    if any(r.tables["visits"]["issuance_min"].notna().any() for r in named.values()):
        _figure(blocks, "issuance_times", text("fig.issuance.title", lang),
                plots.issuance_times(named, base.scenario.sla.issuance_p90_max_min, lang=lang))

    if issuance:
        blocks += _issuance_blocks(issuance, lang)
    if roster is not None:
        blocks += roster_blocks(roster, lang)

    scenario_files = {f"scenarios/{i + 1}_{_slug(n)}.yaml": scenario_to_yaml(r.scenario)
                      for i, (n, r) in enumerate(named.items())}
    seconds = comparison.seconds if comparison is not None else sum(r.seconds for r in named.values())
    days = None if base.scenario.continuous else base.scenario.run.days
    meta = {
        "hallsim": _version(), "created": now_iso(), "kind": "comparison" if len(names) > 1 else "scenario",
        "title": title, "lang": lang, "command": command, "seed": base.seed, "reps": reps, "days": days,
        "horizon_min": base.scenario.run.horizon_min, "seconds": round(seconds, 3),
        "report_seconds": None,
        "scenarios": [{"name": n, "hall": r.scenario.hall.name, "source": (sources or {}).get(n),
                       "file": f, "sha256": hashlib.sha256(scenario_files[f].encode()).hexdigest()}
                      for (n, r), f in zip(named.items(), scenario_files)],
        "verdicts": {n: dict(zip(r.sla["target"], r.sla["verdict"])) for n, r in named.items()},
        "rebuild": _rebuild_command(list(scenario_files), reps, base.seed, days, lang),
    }
    if issuance:
        meta["issuance"] = {n: {"seed": r.seed, "reps": r.reps, "days": r.days, "seconds": round(r.seconds, 3),
                                "verdicts": dict(zip(r.sla["target"], r.sla["verdict"]))}
                            for n, r in issuance.items()}
    meta["report_seconds"] = round(time.perf_counter() - start, 3)
    blocks += _metadata_blocks(meta, lang, {f: t for f, t in scenario_files.items()})

    tables = {"tables/sla.csv": pd.concat([r.sla.assign(scenario=n) for n, r in named.items()], ignore_index=True),
              "tables/standards.csv": pd.concat([r.standards.assign(scenario=n) for n, r in named.items()],
                                                ignore_index=True),
              "tables/summary.csv": (comparison.table if comparison is not None else
                                     pd.concat([r.summary.assign(scenario=n) for n, r in named.items()],
                                               ignore_index=True))}
    files = {**scenario_files, **{p: f.to_csv(index=False) for p, f in tables.items()},
             **{p: html for p, (_name, html) in animations.items()}}
    return Report(text("report.title", lang, name=title), lang, blocks, files, meta)


def issuance_target_label(row, lang: str, days: Mapping[str, Any]) -> str:
    key = f"sla.issuance.{row['target']}"
    if key in TEXTS and row["target"] in days:
        return text(key, lang, days=days[row["target"]], v=row["limit"])
    return str(row.get("label", row["target"]))


def _issuance_blocks(issuance: Mapping[str, Any], lang: str) -> list:
    """The card-issuance section: a verdict per scenario, the scorecard, and per scenario
    the backlog and cycle-time figures."""
    from sim import plots

    first = next(iter(issuance.values()))
    blocks: list = [Heading(2, text("report.issuance", lang), "issuance"),
                    Para(text("report.issuance.note", lang, days=first.days, reps=first.reps))]
    labels = {}
    for name, res in issuance.items():
        days = res.scenario.issuance.sla.model_dump()
        label = (lambda row, lang_, days=days: issuance_target_label(row, lang_, days))  # noqa: E731
        labels[name] = label
        blocks.append(Para(verdict_paragraph(name, res.sla, None, lang, res.reps < 2, label), "verdict",
                           f"issuance:{name}"))
    conf = _conf(first.scenario.sla.confidence)
    blocks.append(_scorecard({n: r.sla for n, r in issuance.items()}, lang, conf, next(iter(labels.values()))))
    for i, (name, res) in enumerate(issuance.items()):
        _figure(blocks, f"issuance_backlog_{i + 1}_{_slug(name)}", f"{text('fig.backlog.title', lang)}: {name}",
                plots.backlog_over_time(res, lang=lang))
        _figure(blocks, f"issuance_cycle_{i + 1}_{_slug(name)}", f"{text('fig.cycle.title', lang)}: {name}",
                plots.cycle_times(res, lang=lang))
    return blocks


def roster_blocks(week, lang: str) -> list:
    """The roster section: a note, then per group of weekdays its verdict, its people and
    its Gantt chart (:class:`sim.experiments.week_roster.WeekRoster`)."""
    from sim.plots.roster import roster_gantt

    first = next(iter(week.proposals.values()))
    blocks: list = [Heading(2, text("report.roster", lang), "roster"),
                    Para(text("report.roster.note", lang, reps=first.requirement.reps, seed=first.requirement.seed,
                              hours=f"{week.staff_hours:g}"))]
    if week.off:
        blocks.append(Para(week.days_off_in(lang)))
    for group, prop in week.proposals.items():
        days = "-".join(group)
        blocks += [Heading(3, days, f"roster-{days}"), Para(prop.verdict_in(lang), "verdict", f"roster:{days}")]
        rows = [[r.name + (" (new)" if r.new else ""), r.a_post, r.b_post or "-", f"{r.shift_start}-{r.shift_end}",
                 r.lunch_start or "-", f"{r.hours:g}"] for r in prop.plan.people.itertuples(index=False)]
        blocks.append(Table(text("report.roster.people", lang).split(","), rows, "roster"))
        _figure(blocks, f"roster_{days}", f"{text('report.roster', lang)}: {days}", roster_gantt(prop.plan, lang=lang))
    return blocks


def _version() -> str:
    from sim.version import __version__

    return __version__


def _rebuild_command(files: list[str], reps: int, seed: int, days: int | None, lang: str) -> str:
    """The command that rebuilds the report from its own scenario files (run in its folder)."""
    parts = ["hallsim", "report", *files, "--reps", str(reps), "--seed", str(seed), "--lang", lang]
    if days is not None:
        parts += ["--days", str(days)]
    return " ".join(parts)


def _metadata_blocks(meta: Mapping[str, Any], lang: str, embedded: Mapping[str, str]) -> list:
    blocks: list = [Heading(2, text("report.metadata", lang), "metadata"), _meta_table(meta, lang),
                    Para(text("report.meta.rebuild", lang) + f" `{meta['rebuild']}`")]
    blocks.append(Heading(3, text("report.scenario_files", lang), "scenario-files"))
    blocks += [Code(path, body, "yaml" if path.endswith(".yaml") else "json") for path, body in embedded.items()]
    return blocks


def sweep_report(sweep, lang: str = "en", title: str | None = None, command: str | None = None,
                 source: str | None = None) -> Report:
    """The report of a finished sweep (a :class:`sim.sweep.SweepResult`): a verdict
    paragraph per design point, the scorecard (points × targets), the minimum standards of
    the base scenario, and for every swept parameter and SLA target the KPI against the
    parameter with intervals and the target line."""
    from sim import plots
    from sim.scenario.loader import load_scenario_text
    from sim.scenario.standards import check_standards

    start = time.perf_counter()
    check_lang(lang)
    params = list(sweep.parameters)
    manifest = sweep.manifest
    base_yaml = _sweep_text(sweep, "base_scenario.yaml")
    base = load_scenario_text(base_yaml, "base_scenario.yaml") if base_yaml else None
    title = title or (base.hall.name if base is not None else "sweep")
    reps = manifest.get("reps")
    used = list(sweep.reps_per_point().values())
    fewest = min(used) if used else (reps if isinstance(reps, int) else 2)
    if reps == "auto" and used:  # each point chose its own number (--reps auto)
        span = f"{min(used)}–{max(used)}" if min(used) != max(used) else f"{min(used)}"
        reps = text("report.sweep.auto_reps", lang, span=span,
                    precision=float(manifest.get("reps_auto", {}).get("precision", float("nan"))) * 100)
    conf = _conf(base.sla.confidence if base is not None else 0.95)
    sla = sweep.sla
    points = list(dict.fromkeys(sweep.points["point"]))
    point_label = {r["point"]: ", ".join(f"{p} = {r[p]}" for p in params)
                   for r in sweep.points.to_dict("records")}

    blocks: list = [Heading(1, text("report.title", lang, name=title)),
                    Para(text("report.sweep.note", lang, params=", ".join(params), points=len(points), reps=reps)),
                    Heading(2, text("report.verdicts", lang), "verdicts")]
    for pid in points:
        sub = sla[sla["point"] == pid]
        if sub.empty:
            continue
        blocks.append(Para(verdict_paragraph(f"{pid} ({point_label.get(pid, '')})", sub, None, lang,
                                             one_rep=fewest < 2), "verdict", pid))
    targets = list(dict.fromkeys(sla["target"]))
    header = [text("report.point", lang), *params]
    for t in targets:
        first = sla[sla["target"] == t].iloc[0]
        header.append(_hall_target(first, lang))
    rows = []
    for pid in points:
        sub = sla[sla["point"] == pid]
        if sub.empty:
            continue
        row = [pid, *[str(sub.iloc[0][p]) for p in params]]
        for t in targets:
            hit = sub[sub["target"] == t]
            if hit.empty:
                row.append("–")
                continue
            r = hit.iloc[0]
            row.append(Cell(f"{verdict_label(r['verdict'], lang)}: "
                            f"{fmt_interval(r['kpi'], r['mean'], r['ci_low'], r['ci_high'])}",
                            "verdict-" + r["verdict"].replace(" ", "-")))
        rows.append(row)
    blocks += [Heading(2, text("report.scorecard", lang), "scorecard"),
               Para(f"{text('report.verdict', lang)}: {text('report.value', lang, conf=conf)}"),
               Table(header, rows, "scorecard")]
    if base is not None:
        hall = base.hall.name
        blocks += [Heading(2, text("report.standards", lang), "standards"),
                   _standards({hall: check_standards(base)}, {hall: base.hall.level}, lang)]
    blocks.append(Heading(2, text("report.sweep", lang), "sweep"))
    judged = sla[sla["verdict"] != "no data"][["target", "kpi", "group", "limit"]].drop_duplicates("target")
    for param in params:
        for r in judged.itertuples(index=False):
            fig = plots.sweep_kpi(sweep.summary, param, r.kpi, r.group, target=r.limit, lang=lang)
            caption = text("fig.sweep.title", lang, kpi=_kpi_name(r.kpi, r.group, lang), param=param)
            _figure(blocks, f"sweep_{_slug(param)}_{r.target}", caption, fig)

    embedded = {"manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False, default=str)}
    for name in ("base_scenario.yaml", "grid.yaml"):
        body = _sweep_text(sweep, name)
        if body:
            embedded[name] = body
    days = None if base is None or base.continuous else base.run.days
    runs = manifest.get("runs") or []
    meta = {
        "hallsim": _version(), "created": now_iso(), "kind": "sweep", "title": title, "lang": lang,
        "command": command, "source": source, "seed": manifest.get("seed"), "reps": reps, "days": days,
        "seconds": round(sum(float(r.get("seconds", 0) or 0) for r in runs), 3) if runs else None,
        "sweep_hallsim": manifest.get("hallsim"), "parameters": params, "points": points,
        "verdicts": {pid: dict(zip(sub["target"], sub["verdict"])) for pid, sub in sla.groupby("point", sort=False)},
        "rebuild": f"hallsim report --from {source or '<sweep folder>'} --lang {lang}",
    }
    meta["report_seconds"] = round(time.perf_counter() - start, 3)
    blocks += _metadata_blocks(meta, lang, embedded)
    files = {f"sweep/{k}": v for k, v in embedded.items()}
    files.update({"tables/summary.csv": sweep.summary.to_csv(index=False), "tables/sla.csv": sla.to_csv(index=False)})
    return Report(text("report.title", lang, name=title), lang, blocks, files, meta)


def _sweep_text(sweep, name: str) -> str | None:
    """A text file of the sweep's folder (None when the sweep has no folder or file)."""
    out = getattr(sweep, "out", None)
    if out is None:
        return None
    path = Path(out) / name
    return path.read_text(encoding="utf-8") if path.is_file() else None
