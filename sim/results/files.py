"""Writing result folders atomically: tables as Parquet and CSV, texts, and ``meta.json``.

Everything goes into a temporary folder beside the target, renamed into place at the end,
so a failure (or Ctrl-C) leaves nothing half-written.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Mapping

import pandas as pd

__all__ = ["OutputError", "ResultDir", "check_out_dir", "write_dir", "atomic_write", "atomic_write_text", "remove_dir", "now_iso"]


class OutputError(ValueError):
    """The output folder may not receive results (exists and is not empty, or a file)."""


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_out_dir(out: Path, force: bool) -> None:
    """Raise OutputError when ``out`` may not receive results."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"{out}: directory exists and is not empty (use --force to replace it)")


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write ``path`` through ``write(tmp)`` and a rename; on any failure or interrupt the
    temporary file (``.NAME.tmp`` beside it) is removed and ``path`` is untouched."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def remove_dir(out: Path) -> None:
    """Remove the folder ``out``: it is first moved aside (one rename), so ``out`` never
    stands half-deleted."""
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.rename(out, old / out.name)
    shutil.rmtree(old, ignore_errors=True)


class ResultDir:
    """A result folder written atomically, part by part.

    ``with ResultDir(out, force) as d:`` makes a temporary folder beside ``out``; frames,
    texts and per-replication table parts go into it while a run goes on, and
    :meth:`finish` writes ``meta.json`` and renames the folder into place. Leaving the
    block without :meth:`finish` (an error, Ctrl-C) removes the temporary folder: nothing
    half-written is left.
    """

    def __init__(self, out: Path, force: bool = False):
        self.out, self.force = Path(out), force
        self.files: list[str] = []
        self.tmp: Path | None = None

    def __enter__(self) -> "ResultDir":
        check_out_dir(self.out, self.force)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.", suffix=".tmp", dir=self.out.parent))
        os.chmod(self.tmp, 0o777 & ~_umask())  # mkdtemp makes it private (0700); use the usual mode
        return self

    def __exit__(self, *exc) -> None:
        if self.tmp is not None:  # not finished
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def frame(self, name: str, frame: pd.DataFrame) -> None:
        """``frame`` as NAME.parquet and NAME.csv."""
        frame.to_parquet(self.tmp / f"{name}.parquet", index=False, engine="pyarrow")
        frame.to_csv(self.tmp / f"{name}.csv", index=False)
        self.files += [f"{name}.parquet", f"{name}.csv"]

    def part(self, table: str, replication: int, frame: pd.DataFrame) -> None:
        """One replication's rows of ``table`` as ``TABLE/replication-R.parquet`` (the
        folder reads back whole with ``pandas.read_parquet(folder / TABLE)``)."""
        folder = self.tmp / table
        folder.mkdir(exist_ok=True)
        frame.to_parquet(folder / f"replication-{replication}.parquet", index=False, engine="pyarrow")
        if f"{table}/" not in self.files:
            self.files.append(f"{table}/")

    def text(self, name: str, text: str) -> None:
        self.bytes(name, text.encode("utf-8"))

    def bytes(self, rel: str, data: bytes) -> None:
        """Any file, at ``rel`` (a path relative to the folder)."""
        path = self.tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files.append(rel)

    def write_all(self, frames: Mapping[str, pd.DataFrame], texts: Mapping[str, str] | None = None,
                  meta: Mapping[str, Any] | None = None) -> list[str]:
        """``frames`` and ``texts``, then :meth:`finish` with ``meta``."""
        for name, frame in frames.items():
            self.frame(name, frame)
        for name, text in (texts or {}).items():
            self.text(name, text)
        return self.finish(meta)

    def finish(self, meta: Mapping[str, Any] | None = None) -> list[str]:
        """Write ``meta.json`` and put the folder in place; returns the files written."""
        doc = {**(meta or {}), "created": now_iso(), "python": platform.python_version(),
               "files": self.files + ["meta.json"]}
        (self.tmp / "meta.json").write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
        self.place()
        return doc["files"]

    def place(self) -> None:
        """Rename the folder into place (replacing ``out`` under ``force``)."""
        out = self.out
        check_out_dir(out, self.force)  # again: something may have appeared during the run
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        if out.exists():  # force over a non-empty directory
            remove_dir(out)
        os.rename(self.tmp, out)
        self.tmp = None


def write_dir(out: Path, frames: Mapping[str, pd.DataFrame], texts: Mapping[str, str] | None = None,
              meta: Mapping[str, Any] | None = None, force: bool = False) -> list[str]:
    """Write ``frames`` (as NAME.parquet and NAME.csv), ``texts`` (file name -> text) and
    ``meta.json`` into ``out`` atomically (a :class:`ResultDir`); returns the file names."""
    with ResultDir(out, force) as folder:
        return folder.write_all(frames, texts, meta)
