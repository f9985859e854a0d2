"""hallsim report: every file written, HTML that parses and embeds every figure, non-blank
PNGs, Markdown and HTML agreeing, names that would leave reports/ refused, rebuilds."""

from __future__ import annotations

import base64
import io
import json
import re
import shlex
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import pandas as pd
import pytest
from typer.testing import CliRunner

import sim
from sim.cli.main import app
from sim.report.build import ReportError, report_dir

runner = CliRunner()
ROSTER = Path(__file__).resolve().parents[1] / "backtest" / "small_roster.yaml"


def _variants(folder: Path) -> tuple[Path, Path]:
    """The small roster hall (one day) and a variant without a green channel, as files."""
    base = folder / "roster.yaml"
    base.write_text(f"extends: {ROSTER}\nrun: {{days: 1}}\n", encoding="utf-8")
    other = folder / "roster_no_green.yaml"
    other.write_text("extends: roster.yaml\npolicies: {green_channel: {mode: none}}\n", encoding="utf-8")
    return base, other


def _report(args: list[str]):
    """Run ``hallsim report`` in this process, on one core (no process pool to start)."""
    return runner.invoke(app, ["report", *args, "--workers", "1"])


@pytest.fixture(scope="module")
def comparison_report(tmp_path_factory):
    """A report of two scenarios, 2 replications each, written under a temporary reports/."""
    folder = tmp_path_factory.mktemp("cmp")
    base, other = _variants(folder)
    reports = folder / "reports"
    result = _report([str(base), str(other), "--reps", "2", "--name", "green-channel", "--reports-dir", str(reports)])
    assert result.exit_code == 0, result.output
    return reports / "green-channel"


class _Page(HTMLParser):
    """Collects images, verdict paragraphs and table cells of a report page."""

    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.verdicts: list[str] = []
        self.cells: list[tuple[str, str]] = []
        self.external: list[str] = []
        self._in: tuple[str, str] | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a)
        if tag in ("link", "script") or (tag == "img" and not a.get("src", "").startswith("data:")):
            self.external.append(tag)
        if (tag == "p" and a.get("class") == "verdict") or tag == "td":
            self._in, self._buf = (tag, a.get("class") or ""), []

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if self._in and tag == self._in[0]:
            text = "".join(self._buf)
            if tag == "p":
                self.verdicts.append(text)
            else:
                self.cells.append((self._in[1], text))
            self._in = None


def _page(folder: Path) -> _Page:
    page = _Page()
    page.feed((folder / "index.html").read_text(encoding="utf-8"))
    page.close()
    return page


def _md_section(md: str, heading: str) -> list[str]:
    """The paragraphs under a '## heading' of the Markdown, bold marks removed."""
    part = md.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [p.replace("**", "").strip() for p in part.split("\n\n") if p.strip()]


def test_comparison_report_writes_every_file(comparison_report):
    """index.html, report.md, meta.json, one PNG per figure, the scenario files and the
    tables are all there, and nothing else (no temporary folders beside it)."""
    files = {p.relative_to(comparison_report).as_posix() for p in comparison_report.rglob("*") if p.is_file()}
    meta = json.loads((comparison_report / "meta.json").read_text(encoding="utf-8"))
    assert files == set(meta["files"])
    assert {"index.html", "report.md", "meta.json", "tables/sla.csv", "tables/summary.csv",
            "tables/standards.csv"} <= files
    figures = {f for f in files if f.startswith("figures/")}
    for key in ("queue_through_day", "wait_cdf", "waits_by_hour", "elderly_vs_others", "utilisation",
                "issuance_times"):
        assert f"figures/{key}.png" in figures
    assert len([f for f in figures if "utilisation_heatmap_" in f]) == 2
    assert len([f for f in figures if "day_timeline_" in f]) == 2
    assert len([f for f in files if f.startswith("scenarios/")]) == 2
    assert [p.name for p in comparison_report.parent.iterdir()] == ["green-channel"]


def test_html_is_self_contained_and_embeds_every_figure(comparison_report):
    """The HTML parses, loads nothing from outside, and each <img> is a PNG data URI equal
    to its file in figures/; every PNG is shown; Markdown links the same files."""
    page = _page(comparison_report)
    assert page.external == []
    pngs = sorted(p.relative_to(comparison_report).as_posix() for p in (comparison_report / "figures").glob("*.png"))
    shown = sorted(img["data-file"] for img in page.images)
    assert shown == pngs
    for img in page.images:
        assert img["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(img["src"].split(",", 1)[1]) == (comparison_report / img["data-file"]).read_bytes()
    md = (comparison_report / "report.md").read_text(encoding="utf-8")
    assert sorted(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)) == pngs


def test_every_png_is_non_blank(comparison_report):
    """Each figure PNG has pixel variance well above that of a blank image."""
    for png in (comparison_report / "figures").glob("*.png"):
        pixels = matplotlib.image.imread(io.BytesIO(png.read_bytes()), format="png")[..., :3].mean(axis=2)
        assert pixels.var() > 0.005, png.name


def test_markdown_and_html_agree_on_the_verdicts(comparison_report):
    """The verdict paragraphs are the same in both files, one per scenario, and the
    scorecard verdict cells match the SLA table of each scenario."""
    page = _page(comparison_report)
    md = (comparison_report / "report.md").read_text(encoding="utf-8")
    assert page.verdicts == _md_section(md, "Verdicts")
    assert [v.split(" meets ")[0] for v in page.verdicts] == ["roster", "roster_no_green"]
    sla = pd.read_csv(comparison_report / "tables" / "sla.csv")
    html_verdicts = [text for css, text in page.cells if css.startswith("verdict-")]
    by_row = [v for t in dict.fromkeys(sla["target"]) for v in sla[sla["target"] == t]["verdict"]]
    assert html_verdicts == by_row
    md_rows = [line for line in _md_section(md, "SLA scorecard")[0].splitlines()[2:]]
    assert [cell.strip() for row in md_rows for cell in row.strip("|").split("|")[2::2]] == by_row
    meta = json.loads((comparison_report / "meta.json").read_text(encoding="utf-8"))
    assert meta["verdicts"]["roster"] == dict(zip(sla[sla["scenario"] == "roster"]["target"],
                                                  sla[sla["scenario"] == "roster"]["verdict"]))


def test_report_has_every_section_and_records_metadata(comparison_report):
    """Verdicts, scorecard, differences, standards, figures and metadata are there;
    meta.json records version, seed, replications, run time, command and scenario hashes."""
    md = (comparison_report / "report.md").read_text(encoding="utf-8")
    for heading in ("## At a glance", "## Verdicts", "## SLA scorecard", "## Differences against the baseline (roster)",
                    "## Minimum standards", "## Figures", "## Metadata", "### Scenario files"):
        assert heading in md
    meta = json.loads((comparison_report / "meta.json").read_text(encoding="utf-8"))
    assert meta["hallsim"] == sim.__version__
    assert (meta["seed"], meta["reps"], meta["days"]) == (0, 2, 1)
    assert meta["seconds"] > 0 and meta["created"]
    assert meta["command"].startswith("hallsim report ") and "--reps 2" in meta["command"]
    assert "extends:" not in (comparison_report / meta["scenarios"][0]["file"]).read_text(encoding="utf-8")


def test_report_opens_with_the_question_headlines_and_advice(comparison_report):
    """The title asks the report's question; 'At a glance' comes first, with each scenario's
    headline, what to try for each missed target, and what changes against the baseline."""
    md = (comparison_report / "report.md").read_text(encoding="utf-8")
    title = md.splitlines()[0]
    assert title.startswith("# hallsim report: green-channel — what changes from roster with ")
    glance = _md_section(md, "At a glance")
    assert md.index("## At a glance") < md.index("## Verdicts")
    assert glance[0].startswith("roster meets ") or glance[0].startswith("roster has no service target")
    assert any(" against roster: " in p for p in glance)


def test_rebuild_from_the_recorded_metadata_gives_the_same_verdicts(comparison_report, tmp_path, monkeypatch):
    """Running the recorded rebuild command in the report folder, on the scenario files it
    holds, gives the same scenarios, SLA values and verdicts."""
    meta = json.loads((comparison_report / "meta.json").read_text(encoding="utf-8"))
    for entry in meta["scenarios"]:
        assert sim.load_scenario(comparison_report / entry["file"]) == sim.load_scenario(entry["source"])
    monkeypatch.chdir(comparison_report)
    args = shlex.split(meta["rebuild"])[1:] + ["--name", "again", "--reports-dir", str(tmp_path), "--workers", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    again = pd.read_csv(tmp_path / "again" / "tables" / "sla.csv")
    first = pd.read_csv(comparison_report / "tables" / "sla.csv")
    pd.testing.assert_frame_equal(again.drop(columns="scenario"), first.drop(columns="scenario"))


@pytest.mark.parametrize("name", ["../escape", "..", "a/b", "/tmp/x", "with space", ".hidden", "a..b", ""])
def test_names_that_would_leave_reports_are_refused(name, tmp_path):
    """A name outside [A-Za-z0-9._-], with '..', or starting with '.' is refused with exit
    code 2 before anything runs, and nothing is written."""
    with pytest.raises(ReportError, match="--name"):
        report_dir(name, tmp_path / "reports")
    result = _report([str(ROSTER), "--reps", "1", "--name", name, "--reports-dir", str(tmp_path / "reports")])
    assert result.exit_code == 2
    assert "--name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_symlink_out_of_reports_is_refused(tmp_path):
    """A name that is a symlink pointing outside the reports folder is refused."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "link").symlink_to(tmp_path)
    with pytest.raises(ReportError, match="outside"):
        report_dir("link", reports)


def test_existing_report_needs_force(comparison_report):
    """Writing over an existing report exits 2 and leaves it untouched, unless --force."""
    before = (comparison_report / "index.html").read_bytes()
    result = _report([str(ROSTER), "--reps", "1", "--name", "green-channel",
                      "--reports-dir", str(comparison_report.parent)])
    assert result.exit_code == 2 and "--force" in result.output
    assert (comparison_report / "index.html").read_bytes() == before


def test_single_scenario_in_chinese(tmp_path):
    """One scenario gives a report without a differences section; with --lang zh every
    heading and verdict word is Chinese."""
    base, _ = _variants(tmp_path)
    result = _report([str(base), "--reps", "2", "--lang", "zh", "--name", "one", "--reports-dir",
                      str(tmp_path / "reports"), "--force"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "reports" / "one"
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert "## 结论" in md and "## 服务目标（SLA）达标情况" in md and "差异" not in md
    page = _page(folder)
    verdict_cells = {text for css, text in page.cells if css.startswith("verdict-")}
    assert verdict_cells and verdict_cells <= {"达标", "未达标", "待定", "无数据"}
    assert page.verdicts == _md_section(md, "结论")
    assert '<html lang="zh-CN">' in (folder / "index.html").read_text(encoding="utf-8")


def test_report_from_a_sweep(tmp_path):
    """--from a finished sweep folder reports each point's verdicts and, per parameter and
    judged target, the KPI against the parameter; an unfinished sweep is refused."""
    base = sim.with_overrides(sim.load_scenario(ROSTER), {"run.days": 1})
    sim.sweep(base, {"demand.visitors_per_day": [40, 90]}, reps=2, out=tmp_path / "sweep", workers=1)
    result = _report(["--from", str(tmp_path / "sweep"), "--name", "sw", "--reports-dir", str(tmp_path / "reports")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "reports" / "sw"
    page = _page(folder)
    assert len(page.verdicts) == 2
    assert any(img["data-file"] == "figures/sweep_demand.visitors_per_day_wait_mean_max_min.png"
               for img in page.images)
    assert page.verdicts == _md_section((folder / "report.md").read_text(encoding="utf-8"), "Verdicts")
    (tmp_path / "sweep" / "points" / "p001.parquet").unlink()
    result = _report(["--from", str(tmp_path / "sweep"), "--name", "sw2", "--reports-dir", str(tmp_path / "reports")])
    assert result.exit_code == 2 and "not finished" in result.output


def test_report_from_an_auto_sweep_says_how_many_replications_each_point_chose(tmp_path):
    """A sweep run with reps="auto" reports the range of replications its points used and
    the precision, in English and in Chinese."""
    base = sim.with_overrides(sim.load_scenario(ROSTER), {"run.days": 1})
    res = sim.sweep(base, {"demand.visitors_per_day": [40, 90]}, reps="auto", precision=0.3, max_reps=20,
                    out=tmp_path / "sweep", workers=1)
    used = sorted(res.manifest["reps_auto"]["reps_used"].values())
    span = f"{used[0]}–{used[-1]}" if used[0] != used[-1] else f"{used[0]}"
    for lang, words in (("en", f"{span} (chosen per point for ±30 % precision) replications each"),
                        ("zh", f"每点重复 {span}（按 ±30% 精度逐点确定） 次")):
        result = _report(["--from", str(tmp_path / "sweep"), "--name", f"auto-{lang}", "--lang", lang,
                          "--reports-dir", str(tmp_path / "reports")])
        assert result.exit_code == 0, result.output
        assert words in (tmp_path / "reports" / f"auto-{lang}" / "report.md").read_text(encoding="utf-8")


def test_bad_input_exits_2(tmp_path):
    """No scenario and no --from, both, or an unknown language: exit 2 with the reason."""
    for args, message in (([], "one of the two"), ([str(ROSTER), "--from", str(tmp_path)], "one of the two"),
                          ([str(ROSTER), "--lang", "fr"], "--lang")):
        result = _report([*args, "--reports-dir", str(tmp_path / "r")])
        assert result.exit_code == 2 and message in result.output, args


def test_issuance_section_for_a_scenario_with_issuance():
    """A scenario with an issuance section gets its own verdict, scorecard and the backlog
    and cycle-time figures, in Markdown and HTML alike."""
    from sim.issuance.simulation import simulate_issuance
    from sim.report.build import results_report

    scenario = sim.load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "county_issuance.yaml")
    hall = sim.simulate(sim.with_overrides(scenario, {"run.days": 1}), reps=1)
    iss = simulate_issuance(scenario, reps=2, days=20, capacity_search=False)
    report = results_report({"county": hall}, issuance={"county": iss}, lang="zh")
    md = report.markdown
    assert "## 按工作日的制发卡" in md
    section = _md_section(md, "按工作日的制发卡")
    assert section[1].startswith("county 的 3 项服务目标中")
    paths = [f.path for f in report.figures]
    assert "figures/issuance_backlog_1_county.png" in paths and "figures/issuance_cycle_1_county.png" in paths
    page = _Page()
    page.feed(report.html)
    assert section[1] in page.verdicts
    assert report.meta["issuance"]["county"]["reps"] == 2


def test_values_are_formatted_by_kind():
    """Shares as %, minutes with 2 decimals, counts with 1, no '-0', intervals in brackets."""
    from sim.report.build import fmt_interval, fmt_value

    assert fmt_value("abandonment_rate", 0.0512) == "5.1 %"
    assert fmt_value("wait_mean_min", 3.14159) == "3.14"
    assert fmt_value("queue_mean", -0.001) == "0.0"
    assert fmt_value("queue_mean", float("nan")) == "–"
    assert fmt_interval("wait_p90_min", 4, 3, 5) == "4.00 [3.00, 5.00]"
    assert fmt_interval("wait_p90_min", 4, float("nan"), float("nan")) == "4.00"


def test_animation_of_the_sample_day_is_written_beside_the_report(tmp_path):
    """`report --animation` writes each scenario's sample day, animated, as a self-contained
    HTML file under animation/, names it in the report and lists it in meta.json; from a
    sweep it is refused (exit 2)."""
    pytest.importorskip("vidigi")
    base, _ = _variants(tmp_path)
    reports = tmp_path / "reports"
    result = _report([str(base), "--reps", "1", "--name", "anim", "--reports-dir", str(reports), "--animation"])
    assert result.exit_code == 0, result.output
    folder = reports / "anim"
    (page,) = list((folder / "animation").glob("hall_day_1_*.html"))
    html = page.read_text(encoding="utf-8")
    assert "<html" in html and "Plotly" in html and "<script src=" not in html.split("</head>")[0]
    rel = page.relative_to(folder).as_posix()
    assert rel in (folder / "report.md").read_text(encoding="utf-8")
    assert rel in json.loads((folder / "meta.json").read_text(encoding="utf-8"))["files"]
    refused = _report(["--from", str(tmp_path), "--animation", "--reports-dir", str(reports)])
    assert refused.exit_code == 2 and "--animation" in refused.output
