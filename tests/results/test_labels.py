"""Bilingual labels: every key in both languages, the same placeholders, the halls' terms."""

from __future__ import annotations

import string

import pytest

from sim.results.labels import (KPI_LABELS, LANGS, TEXTS, group_label, kpi_label, sla_label, standard_label, text,
                      verdict_label)
from sim.issuance.kpis import ISSUANCE_KPIS
from sim.results.kpis import KPIS
from sim.scenario.schema import Scenario
from sim.scenario.standards import STANDARDS
from sim.results.summary import SLA_TARGETS


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_text_has_both_languages_with_the_same_placeholders():
    """Each key has a non-empty English and Chinese text that take the same {fields}."""
    for key, by_lang in TEXTS.items():
        assert set(by_lang) == set(LANGS), key
        assert all(by_lang[lang].strip() for lang in LANGS), key
        assert _fields(by_lang["en"]) == _fields(by_lang["zh"]), key


def test_every_kpi_has_a_label_in_both_languages():
    """KPI_LABELS covers exactly the KPIs of the hall (sim.results.kpis.KPIS) and of card issuance
    (sim.issuance.kpis.ISSUANCE_KPIS), each in English and Chinese."""
    assert set(KPI_LABELS) == set(KPIS) | set(ISSUANCE_KPIS)
    for kpi, labels in KPI_LABELS.items():
        assert labels["en"] and labels["zh"] and labels["en"] != labels["zh"], kpi
        assert kpi_label(kpi, "zh") == labels["zh"]


def test_sla_targets_standards_and_levels_are_translated():
    """Every SLA target field, minimum standard and hall level has a Chinese text."""
    for field in SLA_TARGETS:
        assert f"sla.{field}" in TEXTS, field
        assert "≤ 5" in sla_label(field, 5, "zh")
    for rows in STANDARDS.values():
        for key, label, _required in rows:
            assert standard_label(key, label, "zh") == TEXTS[f"std.{key}"]["zh"]
            assert standard_label(key, label, "en") == label
    for level in Scenario.model_fields["hall"].annotation.model_fields["level"].annotation.__args__:
        assert f"level.{level}" in TEXTS, level


def test_verdict_words_in_chinese():
    """met = 达标, not met = 未达标, uncertain = 待定, no data = 无数据; English unchanged."""
    assert [verdict_label(v, "zh") for v in ("met", "not met", "uncertain", "no data")] == ["达标", "未达标", "待定", "无数据"]
    assert verdict_label("not met", "en") == "not met"


def test_hall_terms_are_the_ones_halls_use():
    """The Chinese hall terms of the brief are all available."""
    zh = {by_lang["zh"] for by_lang in TEXTS.values()}
    for term in ("窗口", "绿色通道", "AB岗", "空窗", "立等可取", "取号", "等候时长", "弃号", "老年人", "制卡", "发卡", "领卡"):
        assert term in zh, term


def test_text_fills_placeholders_and_groups_read_as_words():
    """text() formats values; groups like window:W1 become words in both languages."""
    assert text("fig.target", "en", v=20) == "target 20 min"
    assert text("fig.target", "zh", v=20) == "目标 20 分钟"
    assert group_label("window:W1", "zh") == "窗口 W1"
    assert group_label("elderly", "en") == "elderly"
    assert group_label("strange", "en") == "strange"


def test_unknown_key_and_language_are_named():
    """An unknown key raises KeyError naming it; an unknown language ValueError naming it."""
    with pytest.raises(KeyError, match="no.such.key"):
        text("no.such.key")
    with pytest.raises(ValueError, match="'fr'"):
        text("verdict.met", "fr")


def test_no_label_key_is_written_twice():
    """No dict literal of labels.py repeats a key (a repeated key would silently replace the
    first text)."""
    import ast
    import collections
    from pathlib import Path

    import sim.results.labels as labels

    tree = ast.parse(Path(labels.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            twice = [k for k, n in collections.Counter(keys).items() if n > 1]
            assert not twice, (node.lineno, twice)
