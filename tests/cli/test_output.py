"""Options that name where results go or where they run: --out, --force, --scheduler,
report --name. Bad values exit 2 naming the option and the value, with no traceback, and
nothing is written or deleted; a write that fails exits 1 naming the path."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from builders import BASE
from sim.cli.main import app
from sim.experiments import simulation
from sim.results import files

runner = CliRunner()


@pytest.fixture
def tiny(tmp_path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(BASE), encoding="utf-8")
    return path


@pytest.fixture
def grid(tmp_path) -> Path:
    path = tmp_path / "grid.yaml"
    path.write_text("demand.visitors_per_day: [10, 20]\n", encoding="utf-8")
    return path


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_run_out_dot_with_force_is_refused_and_leaves_no_stray(tiny, tmp_path, monkeypatch):
    """`run --out . --force` in a folder with files: exit 2 naming --out and why, the
    folder untouched and no `..*.old` folder (before: a stray `..XXXX.old` and exit 1)."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("mine")
    monkeypatch.chdir(work)
    for out in (".", ".."):
        res = runner.invoke(app, ["run", str(tiny), "--out", out, "--force", "-w", "1"])
        assert res.exit_code == 2 and res.stderr.startswith(f"--out {out}: is ") and "current folder" in res.stderr
        assert "Traceback" not in res.output
    assert tree(tmp_path) == ["tiny.yaml", "work", "work/notes.txt"]


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_a_scheduler_that_is_not_an_address_exits_2_naming_option_and_value(tiny, grid, tmp_path, command):
    """`--scheduler notanaddress`: exit 2, one line naming --scheduler and the value, no
    traceback, no --out folder left (before: a ValueError traceback from Dask)."""
    extra = ["--grid", str(grid)] if command == "sweep" else []
    res = runner.invoke(app, [command, str(tiny), *extra, "--scheduler", "notanaddress", "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert res.stderr == ("--scheduler: expected a Dask scheduler address such as tcp://127.0.0.1:8786 "
                          "(got 'notanaddress')\n")
    assert not (tmp_path / "o").exists()


def test_a_report_name_of_300_characters_exits_2_naming_the_limit_before_running(tiny, tmp_path, monkeypatch):
    """`report --name` of 300 characters: exit 2 naming --name and the limit (120), the
    value cut short, before anything runs (before: `OSError: File name too long` after
    the whole run)."""
    monkeypatch.setattr(simulation, "run_jobs", lambda *a, **k: pytest.fail("ran before refusing the name"))
    res = runner.invoke(app, ["report", str(tiny), "--name", "a" * 300, "--reports-dir", str(tmp_path / "reports")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.stderr.startswith("--name: a report name has at most 120 characters (got 300: 'aaaa")
    assert len(res.stderr) < 200 and not (tmp_path / "reports").exists()


def test_a_report_that_cannot_be_written_exits_1_naming_the_path_and_leaves_nothing(tiny, tmp_path, monkeypatch):
    """A full disk while the report's files are written: exit 1 naming the report folder
    and the error; neither the folder nor a temporary one is left."""
    real = files.ResultDir.bytes
    written = []

    def full(self, rel, data):
        written.append(rel)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, rel, data)

    monkeypatch.setattr(files.ResultDir, "bytes", full)
    reports = tmp_path / "reports"
    res = runner.invoke(app, ["report", str(tiny), "--name", "r", "--reports-dir", str(reports), "--reps", "2",
                              "-w", "1"])
    assert res.exit_code == 1 and f"{reports / 'r'}: cannot write the report" in res.stderr
    assert "No space left" in res.stderr and tree(reports) == []


def test_a_sweep_that_cannot_write_exits_1_naming_out(tiny, grid, tmp_path, monkeypatch):
    """A full disk while a sweep writes its point files: exit 1 naming --out and the
    error, no traceback; a fresh folder with no finished point is not left behind."""
    def full(path, write):
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "sw"
    monkeypatch.setattr("sim.experiments.sweep.atomic_write", full)
    res = runner.invoke(app, ["sweep", str(tiny), "--grid", str(grid), "--out", str(out), "-w", "1", "--reps", "1"])
    assert res.exit_code == 1 and res.stderr.startswith(f"--out {out}: cannot write the sweep (")
    assert "No space left" in res.stderr and "Traceback" not in res.output
    assert not out.exists()


def test_a_file_option_with_a_name_too_long_exits_2_naming_it(tiny, tmp_path):
    """`staff --out` with a 300-character file name: exit 2 naming --out, the name cut
    short and the system's reason (before: an OSError traceback)."""
    res = runner.invoke(app, ["staff", str(tiny), "--out", str(tmp_path / ("v" * 300 + ".yaml")), "-w", "1"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.stderr.startswith("--out ") and res.stderr.rstrip().endswith("…: cannot be used (File name too long)")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc, where no folder can be made")
def test_a_path_the_system_refuses_while_running_exits_1_with_one_line(tiny, tmp_path):
    """`python -m sim run --out /proc/x --stream` (a folder that cannot be made): exit 1
    and one line naming the path, no traceback."""
    proc = subprocess.run([sys.executable, "-m", "sim", "run", str(tiny), "--out", "/proc/no-such/x", "--stream",
                           "-w", "1"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "/proc/" in proc.stderr
