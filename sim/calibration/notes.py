"""Notes of a calibration: sentences that say what the fit did or could not do, in English
and in Chinese (:class:`sim.results.notes.Note` with keys ``caln.*`` of
:data:`sim.results.labels.TEXTS`). The notes print, go into the ``# Note:`` comments of
the calibrated scenario (English) and say themselves in the report's language."""

from __future__ import annotations

from sim.results import notes
from sim.results.notes import Term, listed, note_text

__all__ = ["Note", "Term", "listed", "note_text"]


class Note(notes.Note):
    """A calibration note (a key ``caln.*``)."""

    prefix = "caln."
