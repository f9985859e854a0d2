"""Notes of a calibration (sim.calibration.notes): every note the fit can make is a catalogue
sentence in English and Chinese with the same values, the English reads as it always did,
and a note says itself again in Chinese with its numbers formatted alike."""

from __future__ import annotations

import ast
import datetime as dt
import pickle
import re
import string
from pathlib import Path

import pytest

from sim.calibration.notes import Note, Term, listed, note_text
from sim.results.labels import TEXTS

PACKAGE = Path(__file__).resolve().parents[2] / "sim" / "calibration"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _note_keys_in_the_code() -> set[str]:
    """The keys of every ``Note("caln.…", …)`` the calibration package makes (a key given
    as a conditional expression counts both branches)."""
    keys: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        if path.name == "notes.py":  # where Note is defined, not used
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Note" and node.args:
                arg = node.args[0]
                branches = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
                for b in branches:
                    assert isinstance(b, ast.Constant) and isinstance(b.value, str), \
                        f"{path.name}:{node.lineno}: a note's key is written out, so that it can be checked"
                    keys.add(b.value)
    return keys


def test_every_note_the_fit_makes_is_in_the_catalogue_in_both_languages():
    """The notes made in sim/calibration are exactly the caln.* labels; each has an English
    and a Chinese sentence with the same placeholders, and the Chinese one is Chinese."""
    made = _note_keys_in_the_code()
    catalogue = {k for k in TEXTS if k.startswith("caln.")}
    assert made == catalogue, (sorted(made - catalogue), sorted(catalogue - made))
    for key in catalogue:
        en, zh = TEXTS[key]["en"], TEXTS[key]["zh"]
        assert _fields(en) == _fields(zh), key
        assert CJK.search(zh) and zh != en, key


def test_a_note_is_its_english_sentence_and_says_itself_in_chinese():
    """A note is a str holding the English (as the fit always wrote it); in_lang('zh') gives
    the Chinese with the same numbers, lists joined with 、 and weekdays named in Chinese."""
    n = Note("caln.call_to_start", mean=1.2345, n=30)
    assert isinstance(n, str) and n.startswith("call to service start (叫号 → 开始服务): mean 1.23 min over 30 tickets.")
    assert n.in_lang("en") == str(n) and note_text(n, "en") == str(n)
    assert n.in_lang("zh").startswith("叫号至开始服务（叫号 → 开始服务）：30 张号平均 1.23 分钟。")
    days = [dt.date(2025, 5, d) for d in range(1, 8)]
    h = Note("caln.holiday_tickets", n=len(days), **listed(days, 5))
    assert h == "tickets on 7 statutory holiday(s): 2025-05-01, 2025-05-02, 2025-05-03, 2025-05-04, 2025-05-05 …"
    assert note_text(h, "zh") == "7 个法定节假日有人取号：2025-05-01、2025-05-02、2025-05-03、2025-05-04、2025-05-05 …"
    w = Note("caln.weekdays_pooled", min=4, weekdays=(Term("mon", "weekday.mon"), Term("sat", "weekday.sat")))
    assert w.startswith("hourly rates: mon, sat have fewer than 4 days in the log")
    assert w.in_lang("zh").startswith("分时段到达率：周一、周六在日志中不足 4 天")
    p = Note("caln.profile_pooled_differ", chi2=106.72, dof=7, p=4.512e-20)
    assert "(chi-square 106.7, 7 degrees of freedom, p = 4.51e-20)" in p
    assert "（卡方 106.7，自由度 7，p = 4.51e-20）" in p.in_lang("zh")


def test_a_note_outside_the_catalogue_or_with_wrong_values_is_refused():
    """An unknown key, a label that is not a note, or a value missing: KeyError naming it."""
    with pytest.raises(KeyError, match="caln.no_such_note"):
        Note("caln.no_such_note")
    with pytest.raises(KeyError, match="verdict.met"):
        Note("verdict.met")
    with pytest.raises(KeyError, match="mean"):
        Note("caln.call_to_start", n=3)
    with pytest.raises(ValueError, match="'fr'"):
        Note("caln.no_ages").in_lang("fr")


def test_a_note_survives_pickling_and_plain_strings_pass_through():
    """A pickled note comes back with its key and values (Chinese still known); a plain
    string (a note from before) is shown as it is in any language."""
    n = Note("caln.unseen_windows", items=("W3", "W4"))
    back = pickle.loads(pickle.dumps(n))
    assert back == n and back.key == "caln.unseen_windows" and back.in_lang("zh").endswith("：W3、W4")
    assert note_text("an old note", "zh") == "an old note"
