"""Process faults: ``hallsim run`` / ``sweep`` with a process pool, killed or stopped.

Each test starts ``python -m sim`` in a subprocess with two workers, waits until its pool
workers exist (read from /proc), signals the parent and checks what is left: no worker
outlives its parent, SIGTERM and Ctrl-C stop like each other (finished points kept,
nothing half-written, the manifest says so) with exit codes 143 and 130.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from builders import scenario
from sim.experiments.sweep import load_sweep
from sim.scenario.loader import scenario_to_yaml

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")

GRID = {"demand.visitors_per_day": [20, 30], "policies.green_channel.mode": ["priority", "none"]}
REPS = 300
"""Enough replications that the run is still going when the test has seen its workers."""

DEADLINE_S = 60.0
"""Most seconds a test waits for something that should happen much sooner (not a timing claim)."""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signals")
    small = scenario(windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
                     demand={"visitors_per_day": 30, "service_mix": {"consult": 1}},
                     services={"consult": {"window_time": {"dist": "exponential", "mean": 4}}})
    (folder / "small.yaml").write_text(scenario_to_yaml(small), encoding="utf-8")
    (folder / "grid.yaml").write_text(yaml.safe_dump(GRID), encoding="utf-8")
    return folder


def children(pid: int) -> set[int]:
    """PIDs of the live processes whose parent is ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped does not count)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2:].split()[0] != "Z"


def wait_for(condition, what: str):
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def start(tmp_path):
    """``start(args, cwd)`` runs ``python -m sim ARGS --workers 2`` (stderr into a file, so
    a surviving worker holds no pipe open); afterwards every process it started and every
    worker seen is killed, so a failing test leaves no orphans behind."""
    started: list[subprocess.Popen] = []

    def run(args: list[str], cwd: Path) -> subprocess.Popen:
        err = open(tmp_path.parent / f"{tmp_path.name}.stderr", "w+", encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "sim", *args, "--workers", "2"], cwd=cwd, text=True,
                                stdout=subprocess.DEVNULL, stderr=err)
        proc.err, proc.workers = err, set()
        started.append(proc)
        return proc

    yield run
    for proc in started:
        for pid in {proc.pid, *proc.workers}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.wait()
        proc.err.close()


def sweep_args(files: Path, out: Path) -> list[str]:
    return ["sweep", str(files / "small.yaml"), "--grid", str(files / "grid.yaml"), "--reps", str(REPS),
            "--out", str(out), "--json"]


def workers_of(proc: subprocess.Popen) -> set[int]:
    proc.workers = wait_for(lambda: children(proc.pid) if len(children(proc.pid)) >= 2 else None, "two pool workers")
    return proc.workers


def stopped(proc: subprocess.Popen, sig: int) -> tuple[int, str]:
    """Send ``sig`` to ``proc``; its exit code and what it wrote on stderr."""
    os.kill(proc.pid, sig)
    code = proc.wait(timeout=DEADLINE_S)
    proc.err.seek(0)
    return code, proc.err.read()


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_pool_workers_end_when_the_parent_is_killed(files, tmp_path, start, command):
    """SIGKILL of `hallsim run` / `sweep` with two workers: every worker process is gone
    soon after (before the fix they waited for work forever)."""
    args = (["run", str(files / "small.yaml"), "--reps", str(4 * REPS), "--json"] if command == "run"
            else sweep_args(files, tmp_path / "out"))
    proc = start(args, tmp_path)
    workers = workers_of(proc)
    code, _err = stopped(proc, signal.SIGKILL)
    assert code == -signal.SIGKILL
    wait_for(lambda: not any(alive(w) for w in workers), "the workers to end")


@pytest.mark.parametrize("sig, code, word", [(signal.SIGTERM, 143, "terminated (SIGTERM)"),
                                             (signal.SIGINT, 130, "interrupted")])
def test_sigterm_stops_a_sweep_like_ctrl_c(files, tmp_path, start, sig, code, word):
    """SIGTERM (exit 143) and Ctrl-C (SIGINT, exit 130) of a sweep with two workers: the
    workers end, the finished points stay on disk and pass their checks, no temporary
    file is left, the manifest says `interrupted` and why, and the line says how to resume."""
    out = tmp_path / "out"
    proc = start(sweep_args(files, out), tmp_path)
    workers = workers_of(proc)
    wait_for(lambda: list((out / "points").glob("p*.parquet")), "a finished point")
    returncode, err = stopped(proc, sig)
    assert returncode == code, err
    wait_for(lambda: not any(alive(w) for w in workers), "the workers to end")
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"{word}: ") and line.endswith(f"points done in {out}; run the same command again to resume")
    done = int(line.split(": ")[1].split(" of ")[0])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted" and manifest["runs"][-1]["signal"] == signal.Signals(sig).name
    assert done >= 1 and load_sweep(out).manifest["points"]["done"] == done == len(manifest["point_files"])
    assert not [p for p in out.rglob(".*")] and not list(tmp_path.glob(".out.*"))


def test_sigterm_of_run_exits_143_and_writes_nothing(files, tmp_path, start):
    """SIGTERM of `hallsim run --out DIR` with two workers: exit 143, the workers end, and
    neither DIR nor a temporary folder beside it is left."""
    proc = start(["run", str(files / "small.yaml"), "--reps", str(4 * REPS), "--out", "res", "--stream"], tmp_path)
    workers = workers_of(proc)
    returncode, err = stopped(proc, signal.SIGTERM)
    assert returncode == 143, err
    assert "Traceback" not in err
    wait_for(lambda: not any(alive(w) for w in workers), "the workers to end")
    assert list(tmp_path.iterdir()) == []


def test_a_second_sweep_into_the_same_folder_is_refused_naming_the_first(files, tmp_path, start):
    """Two `hallsim sweep` commands into one folder: while the first runs, the second
    exits 2 naming the first's PID and runs nothing (before: both ran every point); the
    first, stopped afterwards, releases the lock."""
    out = tmp_path / "out"
    long_args = sweep_args(files, out)
    long_args[long_args.index("--reps") + 1] = str(40 * REPS)  # still running when the second has started
    first = start(long_args, tmp_path)
    workers_of(first)
    lock = tmp_path / ".out.lock"
    assert json.loads(lock.read_text())["pid"] == first.pid
    second = subprocess.run([sys.executable, "-m", "sim", *long_args, "--workers", "1"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=DEADLINE_S)
    assert second.returncode == 2 and second.stdout == ""
    assert f"another hallsim process (PID {first.pid}, started " in second.stderr and "Traceback" not in second.stderr
    assert first.poll() is None  # the refusal was no accident of timing: the first still runs
    assert stopped(first, signal.SIGTERM)[0] == 143
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted" and not lock.exists()
