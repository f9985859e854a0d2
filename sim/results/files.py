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
from typing import Any, Mapping

import pandas as pd

__all__ = ["OutputError", "check_out_dir", "write_dir", "atomic_write_text", "now_iso"]


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


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_dir(out: Path, frames: Mapping[str, pd.DataFrame], texts: Mapping[str, str] | None = None,
              meta: Mapping[str, Any] | None = None, force: bool = False) -> list[str]:
    """Write ``frames`` (as NAME.parquet and NAME.csv), ``texts`` (file name -> text) and
    ``meta.json`` into ``out`` atomically; returns the file names written."""
    check_out_dir(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private (0700); use the usual mode
        files: list[str] = []
        for name, frame in frames.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False, engine="pyarrow")
            frame.to_csv(tmp / f"{name}.csv", index=False)
            files += [f"{name}.parquet", f"{name}.csv"]
        for name, text in (texts or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
            files.append(name)
        doc = {**(meta or {}), "created": now_iso(), "python": platform.python_version(), "files": files + ["meta.json"]}
        (tmp / "meta.json").write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
        check_out_dir(out, force)  # again: something may have appeared during the run
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        if out.exists():  # force over a non-empty directory
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.rename(out, old / out.name)
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return doc["files"]
