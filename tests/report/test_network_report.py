"""The network report (``hallsim network … --report NAME``): every file written, every
section, the maps embedded in a self-contained page, Markdown and HTML agreeing on the
circle, Chinese, a rebuild from the files it holds, and bad names refused before a run."""

from __future__ import annotations

import html
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from network_builders import write_files
from sim.cli.main import app
from sim.network.display import circle_cell

runner = CliRunner()

SECTIONS_EN = ("## At a glance", "## The card circle", "## Service points", "### Verdicts", "### SLA scorecard",
               "## Zones", "## Maps", "## What-if", "## New instant-issue outlets", "## Metadata")
SECTIONS_ZH = ("## 概览", "## 办卡服务圈", "## 服务网点", "## 片区", "## 地图", "## 元数据")


def _network(folder: Path) -> Path:
    """The tiny network (points A and B 1 km either side of one zone) and a candidate site."""
    path = write_files(folder)
    (folder / "cand.yaml").write_text(yaml.safe_dump({"candidates": [
        {"name": "north", "scenario": "hall.yaml", "x_km": 0, "y_km": 30}]}), encoding="utf-8")
    return path


def _run(folder: Path, *args: str):
    return runner.invoke(app, ["network", str(folder / "net.yaml"), "--reps", "2", "--workers", "1", *args])


@pytest.fixture(scope="module")
def whatif_report(tmp_path_factory) -> Path:
    """A report of the tiny network with B closed and one new outlet located, in English."""
    folder = tmp_path_factory.mktemp("net")
    _network(folder)
    done = _run(folder, "--without", "B", "--locate", "1", "--candidates", str(folder / "cand.yaml"),
                "--report", "tiny", "--reports-dir", str(folder / "reports"))
    assert done.exit_code == 0, done.output
    return folder / "reports" / "tiny"


def test_every_file_is_written(whatif_report):
    """index.html, report.md, both maps of the network and of the what-if, the tables, the
    network files and meta.json, which lists them all."""
    meta = json.loads((whatif_report / "meta.json").read_text(encoding="utf-8"))
    expected = {"index.html", "report.md", "meta.json", "figures/map_circle.png", "figures/map_wait.png",
                "figures/whatif_map_circle.png", "figures/whatif_map_wait.png", "tables/points.csv",
                "tables/zones.csv", "tables/circle.csv", "tables/point_sla.csv", "tables/comparison.csv",
                "tables/location.csv", "network/network.yaml", "network/points/A.yaml", "network/points/B.yaml",
                "network/candidates.yaml", "network/candidates/north.yaml"}
    assert expected <= set(meta["files"])
    assert all((whatif_report / f).is_file() for f in meta["files"])
    assert meta["kind"] == "network" and meta["location"]["chosen"] == ["north"] and meta["reps"] == 2


def test_every_section_is_in_the_markdown_and_the_html(whatif_report):
    """The headings of every section appear in report.md and, as h2/h3, in index.html."""
    md = (whatif_report / "report.md").read_text(encoding="utf-8")
    page = (whatif_report / "index.html").read_text(encoding="utf-8")
    for heading in SECTIONS_EN:
        assert f"\n{heading}\n" in md, heading
        level, words = heading.split(" ", 1)
        assert f">{html.escape(words)}</h{len(level)}>" in page, heading


def test_the_maps_are_embedded_and_the_page_is_self_contained(whatif_report):
    """Each map is an <img> with a PNG data URI naming its file; no external resource."""
    page = (whatif_report / "index.html").read_text(encoding="utf-8")
    for name in ("map_circle", "map_wait", "whatif_map_circle", "whatif_map_wait"):
        assert re.search(rf'<img src="data:image/png;base64,[A-Za-z0-9+/=]{{200,}}"[^>]*data-file="figures/{name}.png"',
                         page), name
    assert not re.search(r'<(script|link)\b|src="(?!data:)', page)


def test_markdown_and_html_agree_on_the_circle(whatif_report):
    """The circle sentence is the same in both, and its share is the mean in tables/circle.csv."""
    import pandas as pd

    md = (whatif_report / "report.md").read_text(encoding="utf-8")
    page = (whatif_report / "index.html").read_text(encoding="utf-8")
    sentence = next(line for line in md.splitlines() if line.startswith("Circle of 10 minutes: "))
    assert f"<p class=\"headline\">{html.escape(sentence)}</p>" in page
    circle = pd.read_csv(whatif_report / "tables" / "circle.csv")
    share = circle_cell(circle, "circle_share")
    assert sentence.startswith(f"Circle of 10 minutes: {share} of residents")
    assert f"| residents within the circle | {share} |" in md


def test_each_point_has_its_headline_verdict_and_scorecard_row(whatif_report):
    """Both points get a headline in the glance, a verdict paragraph and a scorecard row."""
    md = (whatif_report / "report.md").read_text(encoding="utf-8")
    glance = md.split("## At a glance\n", 1)[1].split("\n## ", 1)[0]
    scorecard = md.split("### SLA scorecard\n", 1)[1].split("\n## ", 1)[0]
    for point in ("A", "B"):
        assert re.search(rf"^{point} meets \d+ of \d+ service targets", glance, re.M), point
        assert f"**{point}** meets" in md
        assert re.search(rf"^\| {point} \| (met|not met|uncertain|no data): ", scorecard, re.M), point


def test_rebuild_from_the_files_it_holds_gives_the_same_circle(whatif_report, tmp_path, monkeypatch):
    """The recorded rebuild command, run in the report's folder, reproduces the circle and
    the plan from the report's own network files."""
    meta = json.loads((whatif_report / "meta.json").read_text(encoding="utf-8"))
    monkeypatch.chdir(whatif_report)
    args = shlex.split(meta["rebuild"])[1:]
    args[args.index("--reports-dir") + 1] = str(tmp_path)
    done = runner.invoke(app, [*args, "--workers", "1"])
    assert done.exit_code == 0, done.output
    again = json.loads((tmp_path / "rebuilt" / "meta.json").read_text(encoding="utf-8"))
    assert again["circle"] == meta["circle"] and again["whatif"] == meta["whatif"]
    assert again["location"] == meta["location"]


def test_a_chinese_report_of_the_network_alone(tmp_path):
    """--lang zh writes the headings, the circle sentence and the map captions in Chinese;
    without a what-if there is no what-if section."""
    _network(tmp_path)
    done = _run(tmp_path, "--report", "zh", "--reports-dir", str(tmp_path / "reports"), "--lang", "zh")
    assert done.exit_code == 0, done.output
    md = (tmp_path / "reports" / "zh" / "report.md").read_text(encoding="utf-8")
    for heading in SECTIONS_ZH:
        assert f"\n{heading}\n" in md, heading
    assert "10 分钟办卡服务圈：" in md and "按服务圈覆盖比例着色的片区" in md
    assert "## 情景推演" not in md and "whatif_map" not in md


@pytest.mark.parametrize("args, expected", [
    (["--report", "../out"], "--report: report name '../out'"),
    (["--report", "ok", "--lang", "fr"], "--lang: must be one of en, zh"),
])
def test_bad_report_options_exit_2_before_the_run(tmp_path, args, expected):
    """A name that would leave the reports folder or an unknown language exits 2; nothing is written."""
    _network(tmp_path)
    done = _run(tmp_path, *args, "--reports-dir", str(tmp_path / "reports"))
    assert done.exit_code == 2 and expected in done.output
    assert "Service points" not in done.output and not (tmp_path / "reports").exists()


def test_an_existing_report_needs_force(tmp_path):
    """A second run into the same report exits 2 unless --force replaces it."""
    _network(tmp_path)
    reports = str(tmp_path / "reports")
    assert _run(tmp_path, "--report", "r", "--reports-dir", reports).exit_code == 0
    again = _run(tmp_path, "--report", "r", "--reports-dir", reports)
    assert again.exit_code == 2 and "--report" in again.output
    assert _run(tmp_path, "--report", "r", "--reports-dir", reports, "--force").exit_code == 0
