"""Executors: the same jobs give identical results serially, in a process pool and on Dask."""

import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from builders import scenario
from sim import simulate
from sim.experiments import executors
from sim.experiments.executors import ExecutorError, Job, Terminated, check_scheduler, run_jobs, watch_parent


def small():
    return scenario(
        windows=[{"id": "W1", "services": ["consult"]}, {"id": "W2", "services": ["consult"]}],
        demand={"visitors_per_day": 80, "service_mix": {"consult": 1}},
        services={"consult": {"window_time": {"dist": "exponential", "mean": 3}}},
        policies={"patience": {"dist": "exponential", "mean": 10}},
        run={"days": 1},
    )


def assert_same(a, b):
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    pd.testing.assert_frame_equal(a.kpis, b.kpis)
    pd.testing.assert_frame_equal(a.summary, b.summary)


@pytest.fixture(scope="module")
def serial():
    return simulate(small(), seed=3, reps=4, workers=1)


def test_pool_equals_serial(serial):
    """Two worker processes give exactly the serial tables, KPIs and summary."""
    assert_same(serial, simulate(small(), seed=3, reps=4, workers=2))


def test_results_come_back_in_job_order():
    """run_jobs returns results in the order of the jobs, whatever order they finish in."""
    jobs = [Job(small(), 1, r, tables=False) for r in (3, 0, 2, 1)]
    res = run_jobs(jobs, workers=2)
    assert [r.replication for r in res] == [3, 0, 2, 1]
    assert all(r.tables == {} for r in res)


def test_progress_is_reported_per_job():
    """The progress callback sees every job done, ending at (total, total)."""
    seen = []
    run_jobs([Job(small(), 1, r, tables=False) for r in range(3)], workers=2, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3) and sorted(d for d, _ in seen) == [1, 2, 3]


def test_bad_worker_count_is_refused():
    """workers < 1 raises ExecutorError naming the value."""
    with pytest.raises(ExecutorError, match="got 0"):
        run_jobs([Job(small(), 1, 0)], workers=0)


def test_local_cluster_equals_serial(serial):
    """A dask LocalCluster (worker processes) gives exactly the serial results."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert_same(serial, simulate(small(), seed=3, reps=4, scheduler=client))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_loopback_scheduler_and_worker_equal_serial(serial, tmp_path):
    """A dask scheduler and worker started as separate programs on loopback give the serial results."""
    pytest.importorskip("dask.distributed")
    dask_cli = Path(sys.executable).with_name("dask")
    if not dask_cli.exists():
        dask_cli = shutil.which("dask")
    assert dask_cli, "the dask command comes with the dev extra"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "dask.log", "w")
    sched = subprocess.Popen([str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--dashboard-address", ":0", "--no-show"], stdout=log, stderr=log)
    worker = None
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        worker = subprocess.Popen([str(dask_cli), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                   "--no-dashboard", "--host", "127.0.0.1"], stdout=log, stderr=log)
        from dask.distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=30)
            assert_same(serial, simulate(small(), seed=3, reps=4, scheduler=address))
    finally:
        for p in (worker, sched):
            if p is not None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        log.close()


def test_unreachable_scheduler_is_a_clear_error():
    """A scheduler address nobody listens on raises ExecutorError naming the address."""
    pytest.importorskip("dask.distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ExecutorError, match="127.0.0.1"):
        run_jobs([Job(small(), 1, 0)], scheduler=address, connect_timeout_s=2)


@pytest.mark.parametrize("address", ["notanaddress", "tcp://host", "tcp://host:0", "tcp://host:99999", "http://h:1",
                                     "tcp://a b:8786", "x" * 500])
def test_a_scheduler_that_is_not_an_address_is_refused_before_anything_runs(address):
    """`scheduler` must read host:port (optionally tcp://, tls://, ws://, wss://, ucx://):
    anything else raises ExecutorError quoting the value (cut at 80 characters) without
    contacting anyone (before the fix, Dask raised a ValueError from deep inside)."""
    with pytest.raises(ExecutorError, match="expected a Dask scheduler address") as err:
        run_jobs([Job(small(), 1, 0)], scheduler=address)
    assert len(str(err.value)) < 180


@pytest.mark.parametrize("address", ["127.0.0.1:8786", "tcp://10.0.0.5:8786", "tls://sched.example.org:8786",
                                     "tcp://[::1]:8786"])
def test_scheduler_addresses_of_the_usual_forms_pass_the_check(address):
    """The forms Dask reads pass check_scheduler (they are then tried for real)."""
    check_scheduler(address)


def test_a_worker_ends_when_its_parent_is_gone():
    """The watch thread of a pool worker calls exit as soon as the parent PID it started
    with is no longer its parent (the parent died: the worker was adopted), or the
    process that made the pool is gone; it keeps waiting while both hold."""
    calls = []
    watch_parent(os.getppid() + 1, os.getpid(), poll_s=0.01, exit=calls.append)  # adopted
    assert calls == [1]
    maker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    waiting = threading.Thread(target=watch_parent, args=(os.getppid(), maker.pid, 0.01, calls.append), daemon=True)
    waiting.start()
    waiting.join(timeout=0.2)
    assert waiting.is_alive() and calls == [1]  # parent and maker still there: it waits
    maker.kill()
    maker.wait()
    waiting.join(timeout=30)
    assert not waiting.is_alive() and calls == [1, 1]  # the pool's maker is gone


def test_an_interrupt_ends_the_pool_workers_before_it_propagates():
    """KeyboardInterrupt while a pool runs long jobs: when it reaches the caller, the
    worker processes are gone (before the fix they went on with their jobs)."""
    before = set(multiprocessing.active_children())

    def stop(index, result):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_jobs([0.05, 60, 60, 60], workers=2, fn=time.sleep, on_result=stop)
    # a child an earlier test's cluster leaves may still be on its way out; a worker of this
    # pool would sleep for a minute, so a few seconds tell the two apart
    deadline = time.monotonic() + 5.0
    while set(multiprocessing.active_children()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(multiprocessing.active_children()) - before == set()


def test_a_worker_started_by_the_pool_ignores_ctrl_c_and_ends_its_job_on_sigterm():
    """Pool workers leave Ctrl-C to the parent (a terminal sends it to every process of
    the group); SIGTERM ends the running job, which fails with Terminated, and every job
    queued after it fails at once (so the worker is free to leave)."""
    with ProcessPoolExecutor(1, initializer=executors._worker_started, initargs=(os.getpid(),)) as pool:
        assert pool.submit(signal.getsignal, signal.SIGINT).result() == signal.SIG_IGN
        signalled = pool.submit(executors._guarded, exec,
                                "import os, signal, time; os.kill(os.getpid(), signal.SIGTERM); time.sleep(60)")
        with pytest.raises(Terminated):
            signalled.result(timeout=30)
        with pytest.raises(Terminated):
            pool.submit(executors._guarded, time.sleep, 60).result(timeout=30)


PID = "__import__('os').getpid()"
"""A job for fn=eval: the process that runs it."""


def test_a_warm_pool_serves_the_next_run_with_the_same_workers(serial):
    """Inside warm_pool, a second run uses the worker processes of the first (none is
    started), results stay those of a serial run, and close_warm_pool ends the workers."""
    with executors.warm_pool():
        first = set(run_jobs([PID] * 6, workers=2, fn=eval))
        kept = {p.pid for p in multiprocessing.active_children()}
        second = set(run_jobs([PID] * 6, workers=2, fn=eval))
        assert_same(serial, simulate(small(), seed=3, reps=4, workers=2))
    assert first <= kept and second <= kept and os.getpid() not in first  # no worker started for the second
    workers = [p for p in multiprocessing.active_children() if p.pid in first]
    assert workers
    executors.close_warm_pool()
    assert all(not p.is_alive() for p in workers)


def test_outside_a_warm_pool_every_run_ends_its_workers():
    """Without warm_pool, the workers of a run are gone when it returns (the next run forks new ones)."""
    pids = set(run_jobs([PID] * 4, workers=2, fn=eval))
    assert not [p for p in multiprocessing.active_children() if p.pid in pids]


def test_an_interrupt_in_a_warm_pool_ends_its_workers_and_the_next_run_starts_new_ones():
    """KeyboardInterrupt during a warm run ends the kept workers as in any run; the next
    warm run gets new ones and works."""
    def stop(index, result):
        raise KeyboardInterrupt

    with executors.warm_pool():
        before = set(run_jobs([PID] * 4, workers=2, fn=eval))
        with pytest.raises(KeyboardInterrupt):
            run_jobs([0.05, 60, 60, 60], workers=2, fn=time.sleep, on_result=stop)
        after = set(run_jobs([PID] * 4, workers=2, fn=eval))
    assert before.isdisjoint(after)
    assert not [p for p in multiprocessing.active_children() if p.pid in before]
    executors.close_warm_pool()


def test_a_warm_pool_outlives_the_thread_of_the_run_that_started_it():
    """The dashboard runs each script in a thread that then ends: the workers a warm run
    started there still serve the next run (on Linux a worker is killed when the thread
    that forked it ends, so the pool forks them from a thread of its own)."""
    seen: list[set] = []

    def dashboard_run():
        with executors.warm_pool():
            seen.append(set(run_jobs([PID] * 4, workers=2, fn=eval)))

    runner = threading.Thread(target=dashboard_run)
    runner.start()
    runner.join()
    time.sleep(0.2)  # a SIGKILL on the thread's end would have come by now
    kept = {p.pid for p in multiprocessing.active_children()}
    dashboard_run()
    assert seen[0] <= kept and seen[1] <= kept
    executors.close_warm_pool()
