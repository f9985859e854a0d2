"""Sentences said in English and Chinese (sim.results.notes): the roster's verdict and the
calibration's notes are made of them."""

from __future__ import annotations

import pickle

import pytest

from sim.calibration.notes import Note as CalibrationNote
from sim.results.notes import Note, said_in


def test_a_note_is_its_english_and_says_itself_in_chinese_with_nested_values():
    """A note is the English sentence (a str) and says itself in Chinese, nested notes and
    lists in the same language, numbers formatted alike."""
    run = Note("rosv.run", name="ann", minutes=270)
    note = Note("rosv.long_runs", runs=(run, Note("rosv.run", name="bob", minutes=255.5)), limit=240)
    assert note == ("in one simulated day (absences off) ann is 270 min, bob is 255.5 min in a row at windows, "
                    "above max_continuous_min 240 (a rest waits while nobody can cover)")
    zh = note.in_lang("zh")
    assert "ann 270 分钟、bob 255.5 分钟" in zh and "max_continuous_min 240" in zh and "min" not in zh.replace("_min", "")


def test_a_kind_of_note_keeps_to_its_keys_and_pickles_as_itself():
    """A calibration note refuses keys outside caln.*; the generic note takes any label;
    both pickle and come back as their own kind and language."""
    with pytest.raises(KeyError, match="rosv.meets"):
        CalibrationNote("rosv.meets")
    with pytest.raises(KeyError, match="no_such_key"):
        Note("no_such_key")
    for note in (Note("rosv.meets"), CalibrationNote("caln.staffing_always")):
        again = pickle.loads(pickle.dumps(note))
        assert type(again) is type(note) and again == note and again.in_lang("zh") == note.in_lang("zh")


def test_notes_are_joined_in_each_languages_punctuation():
    """said_in joins with "; " in English and the Chinese semicolon in Chinese; plain
    strings pass unchanged."""
    parts = [Note("rosv.meets"), "plain"]
    assert said_in(parts, "en") == "the roster meets every target that the hall meets with every window attended all day; plain"
    assert said_in(parts, "zh").endswith("；plain") and said_in(parts, "zh").startswith("该排班")
    with pytest.raises(ValueError, match="'fr'"):
        said_in(parts, "fr")
