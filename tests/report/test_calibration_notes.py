"""The notes of the calibration report (sim.report.calibration) come in the report's
language: the shipped example log (scenarios/logs/county_hall_10days.csv against
scenarios/county_hall.yaml), fitted without the validation, reported in English and Chinese."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from sim.calibration.calibrate import calibrate
from sim.report.calibration import calibration_report
from sim.results.labels import TEXTS

ROOT = Path(__file__).resolve().parents[2]
FENCED = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)


@pytest.fixture(scope="module")
def cal(tmp_path_factory):
    out = tmp_path_factory.mktemp("cal_notes") / "county_calibrated.yaml"
    return calibrate(ROOT / "scenarios/logs/county_hall_10days.csv", ROOT / "scenarios/county_hall.yaml", out,
                     run_validation=False)


def _prose(cal, lang: str) -> str:
    """The report's Markdown without its fenced blocks (the calibrated scenario quoted as
    written, whose ``# Note:`` comments stay English)."""
    return FENCED.sub("", calibration_report(cal, "notes", None, lang).markdown)


def _english_pieces() -> list[str]:
    """The fixed words of every English note sentence: its pieces between placeholders,
    those long enough to be telling."""
    pieces = []
    for key, by_lang in TEXTS.items():
        if key.startswith("caln."):
            pieces += [lit.strip() for lit, *_ in string.Formatter().parse(by_lang["en"]) if len(lit.strip()) >= 12]
    return pieces


def test_the_chinese_report_says_the_notes_in_chinese_and_no_english_note(cal):
    """In the Chinese report each note of the fit appears in Chinese, and no piece of any
    English note sentence appears outside the quoted scenario."""
    assert cal.fit.notes, "the example log gives notes"
    prose = _prose(cal, "zh")
    assert "### 说明" in prose
    for n in cal.fit.notes:
        assert n.in_lang("zh") in prose
        assert str(n) not in prose
    left = [p for p in _english_pieces() if p in prose]
    assert not left, left


def test_the_english_report_keeps_the_english_notes_and_the_scenario_keeps_english_comments(cal):
    """The English report shows the notes as the fit wrote them; the calibrated scenario's
    ``# Note:`` comments are English whatever the report's language."""
    prose = _prose(cal, "en")
    assert all(str(n) in prose for n in cal.fit.notes)
    assert all(f"# Note: {n}" in cal.text for n in cal.fit.notes)
