"""Writing result folders atomically: tables as Parquet and CSV, texts, and ``meta.json``.

Everything goes into a temporary folder beside the target, renamed into place at the end,
so a failure (or Ctrl-C) leaves nothing half-written. An existing folder replaced under
``force`` is moved aside, the new one renamed into place, and only then the old one
deleted; a failure on the way puts the old one back (:func:`replace_dir`).

What ``--out`` may be (:func:`check_out_dir`): never the current folder or a folder that
holds it (replacing it would pull the working folder from under the user); with ``force``
never a home folder, the file system root, a folder holding hallsim's own code, or a
folder holding a ``.git`` (a working tree): those are left for the user to delete.

:class:`FolderLock` keeps two processes from writing one folder at once (a sweep).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import pandas as pd
from sim.scenario.messages import short

__all__ = ["OutputError", "LockedError", "ResultDir", "FolderLock", "check_out_dir", "check_replaceable", "write_dir",
           "atomic_write", "atomic_write_text", "remove_dir", "replace_dir", "now_iso", "file_sha256", "uninterrupted"]

CODE_ROOT = Path(__file__).resolve().parents[2]
"""The folder that holds the ``sim`` package (the repository, or site-packages)."""


class OutputError(ValueError):
    """The output folder may not receive results (exists and is not empty, or a file,
    or a folder that must not be replaced, or a path the system refuses)."""


class LockedError(OutputError):
    """Another live process holds the folder's lock (``pid``, ``host``)."""

    def __init__(self, message: str, pid: int | None, host: str | None):
        self.pid, self.host = pid, host
        super().__init__(message)


def file_sha256(path: Path) -> str:
    """``sha256:`` and the hex digest of the file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _absolute(out: Path) -> Path:
    """``out`` as an absolute path with ``.`` and ``..`` taken out (``.`` has no name)."""
    return Path(os.path.abspath(out))


def _holds(folder: Path, other: Path) -> bool:
    """True when ``other`` is ``folder`` or inside it."""
    return other == folder or folder in other.parents


def check_out_dir(out: Path, force: bool) -> None:
    """Raise OutputError when ``out`` may not receive results (see the module's text);
    an error from the system (a name too long, no permission) is one too, naming ``out``."""
    try:
        target = _absolute(out).resolve()
        if _holds(target, Path.cwd().resolve()):
            where = "the current folder" if target == Path.cwd().resolve() else "a folder that holds the current folder"
            raise OutputError(f"{out}: is {where}; results go into a folder of their own "
                              f"(e.g. {Path(out) / 'results'})")
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out}: exists and is not a directory")
        parent = next(p for p in _absolute(out).parents if p.exists())
        if not out.exists() and not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"{out}: cannot be created: no permission to write in {parent}")
        if out.is_dir() and any(out.iterdir()):
            if not force:
                raise OutputError(f"{out}: directory exists and is not empty (use --force to replace it)")
            check_replaceable(out)
    except OSError as exc:
        raise OutputError(f"{short(str(out))}: cannot be used ({exc.strerror or exc})") from None


def check_replaceable(out: Path) -> None:
    """Raise OutputError when ``--force`` must not delete the folder ``out``: the file
    system root, a home folder, a folder holding hallsim's own code or the current
    folder, or a folder with a ``.git`` (a working tree)."""
    target = _absolute(out).resolve()
    home = Path.home().resolve()
    why = ("it is the file system root" if target == target.parent else
           "it is your home folder" if target == home else
           "it holds the current folder" if _holds(target, Path.cwd().resolve()) else
           "it holds hallsim's own code" if _holds(target, CODE_ROOT) else
           "it holds a git working tree (.git)" if (target / ".git").exists() else
           "it holds your home folder" if _holds(target, home) else None)
    if why is not None:
        raise OutputError(f"{out}: --force will not delete this folder: {why}; give a new folder for the results "
                          "(or delete it yourself if you mean to)")


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the block runs (a file and its record written
    together): their handlers are swapped for one that notes the signal, and the first
    signal noted is handed to the original handler right after the block. Only in the
    main thread (the only one that handles signals); elsewhere the block runs as is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before = {s: signal.signal(s, lambda signum, _frame: caught.append(signum)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        if caught:
            handler = before[caught[0]]
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), caught[0])


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


def _beside(out: Path, suffix: str) -> Path:
    """A new empty hidden folder beside ``out`` (``.NAME.XXXXXXXX<suffix>``; the name is
    cut so the temporary name stays within the system's limit when ``out``'s does)."""
    out = _absolute(out)
    return Path(tempfile.mkdtemp(prefix=f".{out.name[:100]}.", suffix=suffix, dir=out.parent))


def _move_aside(out: Path) -> Path:
    """Move the folder ``out`` into a new hidden folder beside it; returns that folder
    (``out`` is in it under the name ``old``). Nothing is left when the move fails."""
    aside = _beside(out, ".old")
    try:
        os.rename(_absolute(out), aside / "old")
    except BaseException:
        aside.rmdir()
        raise
    return aside


def remove_dir(out: Path) -> None:
    """Remove the folder ``out``: it is first moved aside (one rename), so ``out`` never
    stands half-deleted; a failed move leaves nothing beside it."""
    shutil.rmtree(_move_aside(out), ignore_errors=True)


def replace_dir(new: Path, out: Path) -> None:
    """Put the folder ``new`` at ``out``. An existing ``out`` is moved aside first and
    deleted only once ``new`` is in place; when that last rename fails, ``out`` is put
    back. No ``.NAME.*.old`` folder is left either way."""
    out = _absolute(out)
    aside = _move_aside(out) if out.exists() or out.is_symlink() else None
    try:
        os.rename(new, out)
    except BaseException:
        if aside is not None:
            os.rename(aside / "old", out)
            aside.rmdir()
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


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
        self.tmp = _beside(self.out, ".tmp")
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
        """Rename the folder into place (replacing ``out`` under ``force``; see
        :func:`replace_dir`)."""
        out = self.out
        check_out_dir(out, self.force)  # again: something may have appeared during the run
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        replace_dir(self.tmp, out)
        self.tmp = None


def write_dir(out: Path, frames: Mapping[str, pd.DataFrame], texts: Mapping[str, str] | None = None,
              meta: Mapping[str, Any] | None = None, force: bool = False) -> list[str]:
    """Write ``frames`` (as NAME.parquet and NAME.csv), ``texts`` (file name -> text) and
    ``meta.json`` into ``out`` atomically (a :class:`ResultDir`); returns the file names."""
    with ResultDir(out, force) as folder:
        return folder.write_all(frames, texts, meta)


# ------------------------------------------------------------------ lock
def _process_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, from /proc; None elsewhere or
    when it is gone): tells a live process from a later one that reuses its PID."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[19]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except (OverflowError, ValueError):  # not a PID at all
        return False
    return True


LOCK_YOUNG_S = 10.0
"""A lock file without readable content younger than this is being written, not stale."""


class FolderLock:
    """A lock on the folder ``folder``: the file ``.NAME.lock`` beside it, made with
    ``O_CREAT | O_EXCL`` (one process wins) and holding the owner's PID, host, process
    start and start time as JSON.

    :meth:`acquire` raises :class:`LockedError` naming the PID when a live process holds
    it; a lock whose process is gone (killed) is taken over and :meth:`acquire` returns a
    note saying so. :meth:`release` removes it. A lock taken on another host counts as
    live (its process cannot be checked from here).
    """

    def __init__(self, folder: Path):
        folder = _absolute(Path(folder))
        self.folder = folder
        self.path = folder.parent / f".{folder.name}.lock"
        self.held = False

    def owner(self) -> dict | None:
        """The lock's content (``pid``, ``host``, ``proc_start``, ``started``), or None
        when there is no lock or it cannot be read."""
        doc = self.owner_of(self.path)
        return doc if doc is not None and isinstance(doc.get("pid"), int) else None

    def live_owner(self) -> dict | None:
        """The owner when the lock is held by a live process (or one on another host)."""
        doc = self.owner()
        if doc is None:
            return None
        if doc.get("host") != socket.gethostname():
            return doc
        if not _alive(doc["pid"]):
            return None
        start = _process_start(doc["pid"])
        return doc if start is None or doc.get("proc_start") in (None, start) else None

    def acquire(self) -> str | None:
        """Take the lock; returns a note when a stale lock was taken over, else None."""
        note = None
        for _attempt in range(5):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                note = self._take_stale() or note
                continue
            doc = {"pid": os.getpid(), "host": socket.gethostname(), "proc_start": _process_start(os.getpid()),
                   "started": now_iso()}
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps(doc) + "\n")
            self.held = True
            return note
        raise LockedError(f"{self.folder}: cannot take the lock {self.path} (other processes keep taking it)", None, None)

    def _take_stale(self) -> str | None:
        """Remove a lock whose process is gone (a note), or raise LockedError."""
        doc = self.owner()
        if doc is None:
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return None  # released meanwhile: try again
            if age < LOCK_YOUNG_S:
                raise LockedError(f"{self.folder}: another process is taking the lock {self.path} right now", None, None)
            note = f"{self.folder}: removed an unreadable lock {self.path} left {age:.0f} s ago"
        elif self.live_owner() is not None:
            where = "" if doc.get("host") == socket.gethostname() else f" on host {doc.get('host')}"
            raise LockedError(f"{self.folder}: another hallsim process (PID {doc['pid']}{where}, started "
                              f"{doc.get('started')}) is writing this folder; wait for it to finish or stop it "
                              f"(if it is gone, delete {self.path})", doc["pid"], doc.get("host"))
        else:
            note = (f"{self.folder}: took over the lock of PID {doc['pid']} (started {doc.get('started')}), "
                    "which is no longer running")
        stale = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}")
        try:
            os.rename(self.path, stale)
        except FileNotFoundError:
            return None  # someone else removed it: try again
        if self.owner_of(stale) != doc:  # another process took the lock in between: give it back
            os.rename(stale, self.path)
            return None
        stale.unlink(missing_ok=True)
        return note

    @staticmethod
    def owner_of(path: Path) -> dict | None:
        """The JSON object in the lock file ``path`` (None when unreadable)."""
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return doc if isinstance(doc, dict) else None

    def release(self) -> None:
        """Remove the lock (when this object holds it)."""
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False

    def __enter__(self) -> "FolderLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
