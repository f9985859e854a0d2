"""Sentences said in English and in Chinese: the notes of a calibration, the verdict of a
roster.

A :class:`Note` is its English sentence (it *is* a ``str``, so notes print, go into
comments and files and read in tests as plain text) that also keeps the key of its text in
:data:`sim.results.labels.TEXTS` and the values it was filled with, so that
:meth:`Note.in_lang` says it again in Chinese — the same idea as
:class:`sim.scenario.messages.Message`, with the sentences in the labels catalogue. A kind
of note may require its keys to start with a ``prefix`` (calibration notes: ``caln.``).

Values are formatted by the catalogue's ``{placeholders}`` (``{mean:.2f}`` …) in both
languages alike. A tuple value is a list of items, joined by ", " in English and "、" in
Chinese; an item or value with an ``in_lang`` method (a :class:`Term`, another note) is
said in the note's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sim.results.labels import TEXTS, check_lang, text

__all__ = ["Note", "Term", "listed", "note_text", "said_in"]

_JOIN = {"en": ", ", "zh": "、"}
"""How the items of a list value are joined, per language."""


def _said(value: Any, lang: str) -> Any:
    """``value`` ready for a template in ``lang``: terms in that language, lists joined."""
    if isinstance(value, tuple):
        return _JOIN[lang].join(str(_said(v, lang)) for v in value)
    if hasattr(value, "in_lang"):
        return value.in_lang(lang)
    return value


class Term(str):
    """A word shown as written in English (a weekday ``sat``, a field value) whose other
    languages come from the label ``key`` of :data:`~sim.results.labels.TEXTS`."""

    key: str

    def __new__(cls, english: str, key: str):
        if key not in TEXTS:
            raise KeyError(f"no label {key!r} in sim.results.labels.TEXTS")
        obj = super().__new__(cls, english)
        obj.key = key
        return obj

    def __reduce__(self):
        return (Term, (str(self), self.key))

    def in_lang(self, lang: str) -> str:
        """The word in ``lang`` (the English as written for ``en``)."""
        return str(self) if check_lang(lang) == "en" else text(self.key, lang)


class Note(str):
    """A note: the English sentence of label ``key`` (starting with the class's
    ``prefix``) filled with ``values``, that can be said again in Chinese
    (:meth:`in_lang`). KeyError names an unknown key, and a value the sentence does not take
    is refused at once (KeyError from the formatting), so a note can always be said in
    every language."""

    prefix: str = ""
    key: str
    values: Mapping[str, Any]

    def __new__(cls, key: str, /, **values: Any):
        if not key.startswith(cls.prefix) or key not in TEXTS:
            raise KeyError(f"no note {key!r} (keys {cls.prefix}*) in sim.results.labels.TEXTS")
        obj = super().__new__(cls, text(key, "en", **{k: _said(v, "en") for k, v in values.items()}))
        obj.key, obj.values = key, dict(values)
        return obj

    def __reduce__(self):
        return (_note, (type(self), self.key, dict(self.values)))

    def in_lang(self, lang: str) -> str:
        """The note in ``lang`` ("en" or "zh"); ValueError names an unknown language."""
        if check_lang(lang) == "en":
            return str(self)
        return text(self.key, lang, **{k: _said(v, lang) for k, v in self.values.items()})


def _note(cls: type, key: str, values: Mapping[str, Any]) -> Note:
    return cls(key, **values)


def listed(items: Iterable[Any], most: int) -> dict[str, Any]:
    """The values ``items`` (the first ``most``, as a list value) and ``more`` (" …" when
    some were left out, else "") for a note that lists things: ``Note(key, n=…,
    **listed(dates, 5))`` with ``{items}{more}`` in its sentence."""
    items = list(items)
    return {"items": tuple(str(i) if not hasattr(i, "in_lang") else i for i in items[:most]),
            "more": " …" if len(items) > most else ""}


def said_in(notes: Iterable[str], lang: str, sep: str = "; ") -> str:
    """``notes`` in ``lang``, joined by ``sep`` (the Chinese semicolon "；" for ``zh`` when
    ``sep`` is "; ")."""
    joiner = "；" if check_lang(lang) == "zh" and sep == "; " else sep
    return joiner.join(note_text(n, lang) for n in notes)


def note_text(note: str, lang: str = "en") -> str:
    """``note`` in ``lang``: a :class:`Note` says itself in that language, any other string
    is returned as it is."""
    check_lang(lang)
    return note.in_lang(lang) if isinstance(note, Note) else str(note)
