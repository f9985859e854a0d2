"""The network report (``hallsim network … --report NAME``): who lives within the card
circle, every point's verdicts, the zones, the maps, and the what-if or new outlets when
given — the same :class:`~sim.report.build.Report` machinery as ``hallsim report``
(``index.html`` self-contained, ``report.md``, ``figures/``, ``tables/``, ``meta.json``).

The report holds the network as files that load back to it (``network/network.yaml``, each
point's scenario under ``network/points/``, a what-if's hall under ``network/whatif/``, the
candidate sites under ``network/candidates.yaml``), and the command that rebuilds it from
them in its folder.
"""

from __future__ import annotations

import hashlib
import shlex
import time
from typing import Any, Mapping, Sequence

import pandas as pd
import yaml

from sim.network.display import (candidates_frame, circle_cell, circle_frame, circle_sentence, comparison_frames,
                                 plan_sentence, points_frame, scorecard_frame, whatif_words, zones_frame)
from sim.network.loader import network_files
from sim.report.build import Report, default_name, figure_png, verdict_paragraph
from sim.report.document import Cell, Code, Figure, Heading, Para, Table
from sim.results.files import now_iso
from sim.results.labels import check_lang, text
from sim.results.verdict import headline
from sim.scenario.loader import scenario_to_yaml

__all__ = ["network_report", "MAPS"]

MAPS = ("circle", "wait")
"""The map colourings a report draws (keys of :data:`sim.plots.network.MAP_COLOURS`)."""


def _t(key: str, lang: str, **values) -> str:
    """The report's words ``netr.<key>`` of :data:`sim.results.labels.TEXTS`."""
    return text(f"netr.{key}", lang, **values)


def _table(frame: pd.DataFrame, css: str = "", codes: pd.DataFrame | None = None) -> Table:
    """A display frame as a report table; ``codes`` (same shape) colours verdict cells."""
    rows = []
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = []
        for j, value in enumerate(row):
            code = "" if codes is None else codes.iat[i, j]
            cells.append(Cell(str(value), "verdict-" + code.replace(" ", "-")) if code else str(value))
        rows.append(cells)
    return Table([str(c) for c in frame.columns], rows, css)


def _maps(blocks: list, result, prefix: str, name: str, lang: str) -> None:
    from sim.plots.network import network_map

    for colour in MAPS:
        fig = network_map(result, colour, lang=lang)
        blocks.append(Figure(f"figures/{prefix}map_{colour}.png", _t(f"map.{colour}", lang, name=name),
                             figure_png(fig)))


def _point_blocks(result, lang: str) -> list:
    """Per point: the headline table, each point's verdict paragraph (with its minimum
    standards) and the SLA scorecard."""
    blocks: list = [Para(_t("points.note", lang)), _table(points_frame(result, lang), "points"),
                    Heading(3, text("report.verdicts", lang), "verdicts")]
    one_rep = result.reps < 2
    blocks += [Para(verdict_paragraph(name, res.sla, res.standards, lang, one_rep), "verdict", name)
               for name, res in result.results.items()]
    shown, codes = scorecard_frame(result, lang)
    blocks += [Heading(3, text("report.scorecard", lang), "scorecard"), _table(shown, "scorecard", codes)]
    return blocks


def _whatif_files(changes: Sequence, candidates, folder: str = "network") -> dict[str, str]:
    """The halls of ``--with NAME=FILE`` and the candidate sites as files of the report."""
    files = {f"{folder}/whatif/{c.name}.yaml": scenario_to_yaml(c.scenario) for c in changes if c.scenario is not None}
    if candidates is not None:
        data = {"candidates": [{**p.model_dump(mode="json"), "scenario": f"candidates/{p.name}.yaml"}
                               for p in candidates.points]}
        files[f"{folder}/candidates.yaml"] = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        files.update({f"{folder}/candidates/{name}.yaml": scenario_to_yaml(s) for name, s in candidates.scenarios.items()})
    return files


def _rebuild(result, changes: Sequence, without: Sequence[str], plan, lang: str, folder: str = "network") -> str:
    parts = ["hallsim", "network", f"{folder}/network.yaml", "--reps", str(result.reps), "--seed", str(result.seed)]
    for name in without:
        parts += ["--without", name]
    for c in changes:
        hall = f"={folder}/whatif/{c.name}.yaml" if c.scenario is not None else ""
        parts += ["--with", f"{c.name}{hall}@{c.x_km:g},{c.y_km:g}"]
    if plan is not None:
        parts += ["--locate", str(plan.k), "--candidates", f"{folder}/candidates.yaml"]
        if plan.elderly_weight != 1:
            parts += ["--elderly-weight", f"{plan.elderly_weight:g}"]
    return shlex.join([*parts, "--report", "rebuilt", "--reports-dir", "rebuilt", "--lang", lang])


def _glance(result, comparison, plan, what: str, lang: str) -> list:
    blocks: list = [Heading(2, text("report.glance", lang), "glance"), Para(circle_sentence(result, lang), "headline")]
    if plan is not None:
        blocks.append(Para(plan_sentence(plan, lang), "headline"))
    if comparison is not None:
        a, b = comparison.base.circle, comparison.variant.circle
        blocks.append(Para(_t("whatif.glance", lang, what=what, before=circle_cell(a, "circle_share"),
                              after=circle_cell(b, "circle_share"), door_before=circle_cell(a, "door_to_card_share"),
                              door_after=circle_cell(b, "door_to_card_share")), "headline"))
    blocks += [Para(headline(name, res.sla, lang), "headline", name) for name, res in result.results.items()]
    return blocks


def network_report(result, comparison=None, plan=None, *, changes: Sequence = (), without: Sequence[str] = (),
                   candidates=None, lang: str = "en", title: str | None = None, command: str | None = None) -> Report:
    """The report of a simulated network (a :class:`sim.network.NetworkResult`).

    ``comparison`` (a :class:`sim.network.whatif.NetworkComparison` whose ``base`` is
    ``result``) adds the what-if section; ``changes`` (the
    :class:`~sim.network.whatif.PointChange` of each ``--with``) and ``without`` (closed
    points) say what it changed. ``plan`` (a :class:`sim.network.location.LocationPlan`)
    with its ``candidates`` adds the location section. ``command`` is recorded.
    """
    start = time.perf_counter()
    check_lang(lang)
    net = result.loaded.network
    minutes = f"{net.run.circle_min:g}"
    title = title or default_name([net.name])
    outlets = plan.chosen if plan is not None else []
    what = whatif_words([f"{c.name}@{c.x_km:g},{c.y_km:g}" for c in changes], without, outlets, lang)

    blocks: list = [Heading(1, text("report.title", lang, name=title) + " — " + _t("question", lang, minutes=minutes)),
                    Para(_t("network", lang, points=len(net.points), zones=len(net.zones),
                            people=f"{sum(z.population for z in net.zones):,}", reps=result.reps, days=net.run.days,
                            seed=result.seed))]
    blocks += _glance(result, comparison, plan, what, lang)
    blocks += [Heading(2, _t("circle", lang), "circle"), Para(_t("circle.note", lang, minutes=minutes, reps=result.reps)),
               _table(circle_frame(result, lang), "circle")]
    blocks += [Heading(2, _t("points", lang), "points"), *_point_blocks(result, lang)]
    blocks += [Heading(2, _t("zones", lang), "zones"), Para(_t("zones.note", lang)), _table(zones_frame(result, lang), "zones")]
    blocks.append(Heading(2, _t("maps", lang), "maps"))
    _maps(blocks, result, "", net.name, lang)

    if comparison is not None:
        net_table, pts_table = comparison_frames(comparison, lang)
        variant = comparison.variant
        blocks += [Heading(2, _t("whatif", lang), "whatif"), Para(_t("whatif.note", lang, what=what)),
                   _table(net_table, "differences"), _table(pts_table, "differences"),
                   Heading(3, _t("whatif.points", lang), "whatif-points"),
                   *[Para(headline(name, res.sla, lang), "headline", f"whatif:{name}")
                     for name, res in variant.results.items()],
                   _table(points_frame(variant, lang), "points")]
        _maps(blocks, variant, "whatif_", f"{net.name} ({_t('whatif.variant', lang)})", lang)
    if plan is not None:
        blocks += [Heading(2, _t("location", lang), "location"), Para(plan_sentence(plan, lang)),
                   Para(_t("location.note", lang)), _table(candidates_frame(plan, lang), "location")]

    embedded = {**network_files(result.loaded), **_whatif_files(changes, candidates)}
    rebuild = _rebuild(result, changes, without, plan, lang)
    meta = _meta(result, comparison, plan, title, lang, command, rebuild, embedded, what)
    meta["report_seconds"] = round(time.perf_counter() - start, 3)
    blocks += [Heading(2, text("report.metadata", lang), "metadata"),
               Table(["", ""], [[text(label, lang), str(meta[key])] for key, label in
                                (("hallsim", "report.meta.version"), ("created", "report.meta.date"),
                                 ("seed", "report.meta.seed"), ("reps", "report.meta.reps"),
                                 ("days", "report.meta.days"), ("seconds", "report.meta.seconds"),
                                 ("command", "report.meta.command")) if meta.get(key) is not None], "meta"),
               Para(_t("rebuild", lang) + f" `{rebuild}`"), Heading(3, _t("files", lang), "network-files")]
    blocks += [Code(path, body, "yaml") for path, body in embedded.items()]

    files = dict(embedded)
    tables = {"points": result.points, "zones": result.zones, "circle": result.circle,
              "point_sla": pd.concat([r.sla.assign(point=n) for n, r in result.results.items()], ignore_index=True)
              if result.results else pd.DataFrame()}
    if comparison is not None:
        tables.update({"comparison": comparison.table, "whatif_points": comparison.variant.points,
                       "whatif_zones": comparison.variant.zones})
    if plan is not None:
        tables["location"] = plan.candidates
    files.update({f"tables/{k}.csv": v.to_csv(index=False) for k, v in tables.items()})
    return Report(text("report.title", lang, name=title), lang, blocks, files, meta)


def _meta(result, comparison, plan, title: str, lang: str, command: str | None, rebuild: str,
          embedded: Mapping[str, str], what: str) -> dict[str, Any]:
    from sim.version import __version__

    net = result.loaded.network
    circle = {f"{r.kpi}.{r.group}": float(r.mean) for r in result.circle.itertuples(index=False)}
    meta: dict[str, Any] = {
        "hallsim": __version__, "created": now_iso(), "kind": "network", "title": title, "lang": lang,
        "command": command, "network": net.name, "source": result.loaded.source, "seed": result.seed,
        "reps": result.reps, "days": net.run.days, "circle_min": net.run.circle_min,
        "seconds": round(result.seconds + (comparison.variant.seconds if comparison is not None else 0.0), 3),
        "report_seconds": None, "circle": circle,
        "verdicts": {n: dict(zip(r.sla["target"], r.sla["verdict"])) for n, r in result.results.items()},
        "network_files": {path: hashlib.sha256(body.encode("utf-8")).hexdigest() for path, body in embedded.items()},
        "rebuild": rebuild,
    }
    if comparison is not None:
        meta["whatif"] = {"what": what, "circle": {f"{r.kpi}.{r.group}": float(r.mean)
                                                   for r in comparison.variant.circle.itertuples(index=False)}}
    if plan is not None:
        meta["location"] = {"k": plan.k, "chosen": plan.chosen, "status": plan.status,
                            "circle_before": list(plan.before), "circle_after": list(plan.after)}
    return meta
