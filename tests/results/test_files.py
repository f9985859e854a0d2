"""Result folders: atomic replacement without strays, folders --out/--force must not
touch, the folder lock, and holding signals back while a file and its record are written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.results import files
from sim.results.files import (FolderLock, LockedError, OutputError, ResultDir, check_out_dir, remove_dir, replace_dir,
                               uninterrupted, write_dir)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def dead_pid() -> int:
    """The PID of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# ------------------------------------------------------------------ replacing folders
def test_force_replaces_a_folder_and_leaves_nothing_beside_it(tmp_path):
    """write_dir with force over a non-empty folder: the new content, and no `.NAME.*`
    folder beside it."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    write_dir(out, {"t": pd.DataFrame({"a": [1]})}, force=True)
    assert listing(out) == ["meta.json", "t.csv", "t.parquet"]
    assert listing(tmp_path) == ["out"]


def test_a_failed_replacement_puts_the_old_folder_back(tmp_path):
    """When the new folder cannot be renamed into place, the old one is back where it was
    with its content, and nothing stray stands beside it."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(FileNotFoundError):
        replace_dir(tmp_path / "no-such-folder", out)
    assert listing(tmp_path) == ["out"] and (out / "keep.txt").read_text() == "mine"


def test_a_failed_removal_leaves_no_old_folder(tmp_path):
    """remove_dir of a folder that cannot be moved leaves no `.NAME.*.old` folder (the
    stray `run --out . --force` used to leave)."""
    with pytest.raises(FileNotFoundError):
        remove_dir(tmp_path / "missing")
    assert listing(tmp_path) == []


def test_a_result_folder_with_a_long_name_is_written(tmp_path):
    """A 250-character folder name (the system allows 255) is written: the temporary
    folder beside it gets a shortened name (it used to fail with `File name too long`)."""
    out = tmp_path / ("r" * 250)
    with ResultDir(out) as folder:
        folder.text("a.txt", "x")
        folder.finish({})
    assert listing(out) == ["a.txt", "meta.json"] and listing(tmp_path) == ["r" * 250]


# ------------------------------------------------------------------ folders --out may not be
@pytest.mark.parametrize("given", [".", "..", "sub/..", "../.."])
def test_the_current_folder_and_folders_holding_it_are_refused(tmp_path, monkeypatch, given):
    """--out ., .. or any folder that holds the current one is refused, with or without
    --force, naming the path; nothing changes."""
    cwd = tmp_path / "a" / "b"
    (cwd / "sub").mkdir(parents=True)
    (cwd / "work.txt").write_text("mine")
    monkeypatch.chdir(cwd)
    for force in (False, True):
        with pytest.raises(OutputError, match="current folder") as err:
            check_out_dir(Path(given), force)
        assert str(err.value).startswith(f"{given}: ")
    assert listing(cwd) == ["sub", "work.txt"]


def test_force_will_not_delete_a_git_working_tree(tmp_path, monkeypatch):
    """--force over a folder holding a .git refuses, saying why; without .git it may."""
    monkeypatch.chdir(tmp_path)
    tree = tmp_path / "project"
    (tree / ".git").mkdir(parents=True)
    with pytest.raises(OutputError, match=r"git working tree"):
        check_out_dir(tree, force=True)
    (tree / ".git").rmdir()
    (tree / "x").write_text("x")
    check_out_dir(tree, force=True)


def test_force_will_not_delete_the_home_folder_or_the_code(tmp_path, monkeypatch):
    """--force over the home folder, or over the folder holding hallsim's code, refuses."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes").write_text("x")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="home folder"):
        check_out_dir(home, force=True)
    with pytest.raises(OutputError, match="hallsim's own code"):
        check_out_dir(files.CODE_ROOT, force=True)


def test_a_path_the_system_refuses_is_an_output_error_naming_it(tmp_path):
    """A 300-character folder name: OutputError naming the (shortened) path and the
    reason, not a raw OSError."""
    with pytest.raises(OutputError, match="cannot be used .File name too long") as err:
        check_out_dir(tmp_path / ("n" * 300), force=False)
    assert "…" in str(err.value) and len(str(err.value)) < 140


# ------------------------------------------------------------------ lock
def test_a_lock_is_taken_once_and_released(tmp_path):
    """The first acquire wins; a second (this process is alive) raises LockedError
    naming the PID; after release it can be taken again. The lock stands beside the
    folder as .NAME.lock."""
    lock = FolderLock(tmp_path / "out")
    assert lock.acquire() is None
    assert json.loads((tmp_path / ".out.lock").read_text())["pid"] == os.getpid()
    with pytest.raises(LockedError, match=f"PID {os.getpid()}") as err:
        FolderLock(tmp_path / "out").acquire()
    assert err.value.pid == os.getpid()
    lock.release()
    assert listing(tmp_path) == []
    other = FolderLock(tmp_path / "out")
    assert other.acquire() is None
    other.release()


def test_a_stale_lock_is_taken_over_with_a_note(tmp_path):
    """A lock whose process has ended is taken over; acquire returns a note naming it."""
    pid = dead_pid()
    (tmp_path / ".out.lock").write_text(json.dumps({"pid": pid, "host": os.uname().nodename, "started": "then"}))
    lock = FolderLock(tmp_path / "out")
    note = lock.acquire()
    assert note is not None and f"PID {pid}" in note and "no longer running" in note
    assert json.loads((tmp_path / ".out.lock").read_text())["pid"] == os.getpid()
    lock.release()


def test_a_lock_of_a_reused_pid_is_stale(tmp_path):
    """A lock naming a live PID whose process started at another time (the PID was
    reused after the lock's process died) is taken over."""
    if files._process_start(os.getpid()) is None:
        pytest.skip("process start times come from /proc")
    (tmp_path / ".out.lock").write_text(json.dumps({"pid": os.getpid(), "host": os.uname().nodename,
                                                    "proc_start": "1", "started": "then"}))
    lock = FolderLock(tmp_path / "out")
    assert "no longer running" in lock.acquire()
    lock.release()


# ------------------------------------------------------------------ signals
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signals_wait_for_the_end_of_an_uninterrupted_block(sig):
    """Ctrl-C or SIGTERM inside `uninterrupted()`: the block runs to its end, then the
    signal's own handler runs (here: KeyboardInterrupt for both)."""
    before = signal.signal(signal.SIGTERM, signal.default_int_handler)
    steps = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with uninterrupted():
                os.kill(os.getpid(), sig)
                steps.append("after the signal")
        assert steps == ["after the signal"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, before)
