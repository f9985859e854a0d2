"""Where replications run: serially, in a process pool on this machine, or on Dask.

Every job is (scenario, seed, replication). Its random numbers depend on nothing else
(see :mod:`sim.streams`), so the same jobs give identical results on every executor; the
results come back sorted by job order whatever order they finish in.

:func:`run_jobs` is the one entry point: ``workers=1`` runs in this process,
``workers=None`` (default) uses every core through a process pool, and ``scheduler``
(a ``tcp://host:port`` address, or a ``dask.distributed.Client``) sends the jobs to a
Dask cluster (install the ``dask`` extra).

Pool workers never outlive the process that started them: each ends when its parent dies,
even by SIGKILL (``prctl(PR_SET_PDEATHSIG)`` on Linux, and a thread watching the parent
everywhere), leaves Ctrl-C to the parent, and on SIGTERM from the parent ends its job.

A process pool starts with each run and ends with it, except inside :func:`warm_pool`
(the dashboard's calls): there the pool's workers stay for the next run of this process,
which then skips their start (about 30 ms on two cores, and a first batch slowed by
copy-on-write faults). An interrupt or an error ends them as usual; the next run starts
new ones. :func:`close_warm_pool` ends them on request, and they end with this process.
"""

from __future__ import annotations

import ctypes
import gc
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import accumulate
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from sim.model.records import ReplicationRecord
from sim.model.replication import record_replication
from sim.results.kpis import KPI_COLUMNS, batch_kpi_columns
from sim.results.tables import Tables
from sim.scenario.days import day_plans
from sim.scenario.schema import Scenario
from sim.scenario.messages import short, short_repr

__all__ = ["Job", "ReplicationResult", "kpi_columns", "kpi_frame", "run_jobs", "run_batch", "run_replication", "default_workers", "ExecutorError",
           "BATCH_MAX", "Terminated", "interrupt_signal", "check_scheduler", "watch_parent", "PARENT_POLL_S",
           "warm_pool", "close_warm_pool"]

BATCH_MAX = 16
"""Most replications one batch runs before their KPIs are computed together."""

BATCH_DAYS = 40
"""Most simulated days one batch holds (bounds the memory of a batch of long replications)."""


PARENT_POLL_S = 0.5
"""Seconds between a pool worker's checks that the process that started it is still there."""


class ExecutorError(RuntimeError):
    """The executor could not run the jobs (bad worker count, unreachable scheduler)."""


class Terminated(KeyboardInterrupt):
    """A run stopped by SIGTERM (see ``hallsim``'s entry point, :func:`sim.cli.main.main`):
    everything that handles Ctrl-C handles it the same way; ``signum`` says which signal."""

    signum = signal.SIGTERM


def interrupt_signal(exc: BaseException) -> int:
    """The signal behind an interrupt: SIGTERM for :class:`Terminated`, else SIGINT (Ctrl-C)."""
    return int(getattr(exc, "signum", signal.SIGINT))


_SCHEDULER = re.compile(r"(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})")


def check_scheduler(scheduler: Any) -> None:
    """Raise ExecutorError unless ``scheduler`` is None, a Dask client, or an address of
    the form ``[tcp://]host:port`` (also ``tls://``, ``ws://``, ``wss://``, ``ucx://``)."""
    if scheduler is None or not isinstance(scheduler, str):
        return
    match = _SCHEDULER.fullmatch(scheduler.strip())
    if match is None or not 0 < int(match.group(1)) < 65536:
        raise ExecutorError(f"expected a Dask scheduler address such as tcp://127.0.0.1:8786 (got {short_repr(scheduler)})")


@dataclass(frozen=True)
class Job:
    """One replication to run: ``tables=False`` returns only its KPI rows (less to ship);
    ``kpis=False`` only its record (the caller computes the KPIs from it when it needs them)."""

    scenario: Scenario
    seed: int
    replication: int
    tables: bool = True
    kpis: bool = True


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ReplicationResult:
    """One replication: its KPI rows as numpy columns (``kpi_columns``: ``replication``,
    ``kpi``, ``group``, ``value``; what a worker sends back; None when the job did not ask
    for them) and, unless the job asked for KPIs only, its recorded columns (``record``)."""

    replication: int
    kpi_columns: Mapping[str, np.ndarray] | None
    record: ReplicationRecord | None = None

    @cached_property
    def kpis(self) -> pd.DataFrame:
        """The KPI rows as a DataFrame (built on first access)."""
        return kpi_frame([self])

    @property
    def tables(self) -> Mapping[str, pd.DataFrame]:
        """The replication's tables (built on access; empty without a record)."""
        return Tables([self.record]) if self.record is not None else {}


def kpi_columns(results: Sequence[ReplicationResult]) -> dict[str, np.ndarray]:
    """The KPI rows of ``results`` (in their order) as numpy columns (:data:`KPI_COLUMNS`)."""
    if len(results) == 1:
        return dict(results[0].kpi_columns)
    empty = {"replication": np.int64, "value": float}
    return {c: np.concatenate([r.kpi_columns[c] for r in results]) if results else np.empty(0, empty.get(c, object))
            for c in KPI_COLUMNS}


def kpi_frame(results: Sequence[ReplicationResult]) -> pd.DataFrame:
    """The KPI rows of ``results`` (in their order) in one DataFrame."""
    return pd.DataFrame(kpi_columns(results), columns=list(KPI_COLUMNS))


def run_batch(jobs: Sequence[Job]) -> list[ReplicationResult]:
    """Run ``jobs`` (in whatever process calls it): each replication's engine, then the KPIs
    of all replications of one scenario at once (:func:`sim.results.kpis.batch_kpi_columns`)."""
    out: list[ReplicationResult] = []
    i = 0
    while i < len(jobs):
        j = i
        while j < len(jobs) and jobs[j].scenario is jobs[i].scenario:
            j += 1
        scenario = jobs[i].scenario
        plans = day_plans(scenario)
        records = [record_replication(scenario, job.seed, job.replication, plans) for job in jobs[i:j]]
        if not any(job.kpis for job in jobs[i:j]):
            out += [ReplicationResult(rec.replication, None, rec) for rec in records]
            i = j
            continue
        cols = batch_kpi_columns(scenario, plans, records)
        # the rows come replication by replication, in the order of ``records``
        start = 0
        for job, rec in zip(jobs[i:j], records):
            end = start + int(np.count_nonzero(cols["replication"] == rec.replication))
            out.append(ReplicationResult(rec.replication, {c: v[start:end] for c, v in cols.items()},
                                         rec if job.tables else None))
            start = end
        i = j
    return out


def run_job(job: Job) -> ReplicationResult:
    """Run one job (in whatever process calls it)."""
    return run_batch([job])[0]


def run_replication(scenario: Scenario, seed: int, replication: int) -> ReplicationResult:
    """Replication ``replication`` of ``scenario`` under ``seed``: its KPI rows and tables."""
    return run_job(Job(scenario, seed, replication))


def _longest_run(jobs: list[Job]) -> int:
    """The most consecutive jobs of one scenario."""
    best = run = 0
    for k, job in enumerate(jobs):
        run = run + 1 if k and jobs[k - 1].scenario is job.scenario else 1
        best = max(best, run)
    return best


def _chunks(jobs: list[Job], size: int) -> list[list[Job]]:
    """Consecutive jobs in batches of at most ``size``, a new batch wherever the scenario
    changes (a sweep point or a compared scenario is never split more than it must be)."""
    out: list[list[Job]] = []
    for job in jobs:
        if not out or len(out[-1]) == size or out[-1][-1].scenario is not job.scenario:
            out.append([])
        out[-1].append(job)
    return out


def run_jobs(jobs: Iterable[Job], workers: int | None = None, scheduler: Any = None,
             progress: Callable[[int, int], None] | None = None,
             connect_timeout_s: float = 10.0,
             on_result: Callable[[int, ReplicationResult], None] | None = None,
             fn: Callable[[Any], Any] | None = None,
             keep: Callable[[ReplicationResult], ReplicationResult] | None = None) -> list[ReplicationResult]:
    """Results of ``jobs`` in job order. ``fn`` runs one job (default :func:`run_job`, a hall
    replication); other models pass their own module-level function and job type. ``progress(done, total)`` after each job;
    ``connect_timeout_s`` bounds the wait for a Dask scheduler. ``on_result(index,
    result)`` is called in this process as soon as job ``index`` (its position in
    ``jobs``) is done, in the order jobs finish, before ``progress``; an exception it
    raises stops the run like an interrupt. For hall replications (the default ``fn``),
    ``keep(result)`` says what of each result to hold once ``on_result`` has seen it (e.g.
    the result without its record, once its tables are written).

    On KeyboardInterrupt (and :class:`Terminated`, SIGTERM) or any error, pending jobs are
    cancelled, the pool is shut down and its workers are ended before the exception
    propagates; nothing is returned for the unfinished ones. A ``scheduler`` that is not an
    address raises :class:`ExecutorError` before anything runs (:func:`check_scheduler`).
    """
    check_scheduler(scheduler)
    jobs = list(jobs)
    total = len(jobs)
    batched = fn is None
    fn = run_job if fn is None else fn
    if workers is not None and workers < 1:
        raise ExecutorError(f"workers must be >= 1 (got {workers})")
    n = default_workers() if workers is None else workers
    if batched and total:
        # replications run in batches (their KPIs computed together); several batches per
        # worker keep every worker busy to the end
        spread = 1 if n == 1 and scheduler is None else 4 * (n if scheduler is None else max(n, 2))
        days = 1 if jobs[0].scenario.continuous else max(1, jobs[0].scenario.run.days)
        cap = max(1, min(BATCH_MAX, BATCH_DAYS // days))
        size = min(cap, -(-total // spread))
        longest = _longest_run(jobs)
        if longest < total:  # several scenarios (sweep points): each one's replications in one batch when they fit
            size = max(size, min(cap, longest))
        chunks = _chunks(jobs, size)
        starts = [0, *accumulate(len(c) for c in chunks)][:-1]
        flat: list[ReplicationResult | None] = [None] * total
        done = [0]

        def chunk_done(index: int, results: list[ReplicationResult]) -> None:
            for offset, res in enumerate(results):
                if on_result:
                    on_result(starts[index] + offset, res)
                flat[starts[index] + offset] = res if keep is None else keep(res)
                done[0] += 1
                if progress:
                    progress(done[0], total)

        run_jobs(chunks, workers=workers, scheduler=scheduler, connect_timeout_s=connect_timeout_s,
                 on_result=chunk_done, fn=run_batch)
        return flat  # type: ignore[return-value]
    if scheduler is not None:
        return _run_dask(jobs, scheduler, progress, connect_timeout_s, on_result, fn)
    if n == 1 or total <= 1:
        out = []
        for i, job in enumerate(jobs):
            out.append(fn(job))
            if on_result:
                on_result(i, out[-1])
            if progress:
                progress(i + 1, total)
        return out
    if _KEEP_WARM.get() and _WARM_LOCK.acquire(blocking=False):
        try:  # the warm pool has the workers asked for, whatever the number of jobs
            return _run_pool(jobs, n, progress, on_result, fn, warm=True)
        finally:
            _WARM_LOCK.release()
    return _run_pool(jobs, min(n, total), progress, on_result, fn)


# ------------------------------------------------------------------ a pool kept between runs
_KEEP_WARM: ContextVar[bool] = ContextVar("hallsim_keep_pool_warm", default=False)
_WARM_LOCK = threading.Lock()
"""Held by the run using the warm pool; a run meanwhile (another thread) starts a pool of its own."""
_WARM: dict[str, Any] = {"pool": None, "workers": 0, "keeper": None}
"""The kept pool, its number of workers, and the event that lets the thread that forked them end."""


@contextmanager
def warm_pool() -> Iterator[None]:
    """Within this block (in this thread or task), local process-pool runs keep their
    workers for the next such run instead of starting and ending them each time (see the
    module docstring). Results are the same as with a new pool."""
    token = _KEEP_WARM.set(True)
    try:
        yield
    finally:
        _KEEP_WARM.reset(token)


def close_warm_pool() -> None:
    """End the workers of the pool :func:`warm_pool` keeps, if any (they also end with this process)."""
    with _WARM_LOCK:
        _drop_warm_pool(wait=True)


def _drop_warm_pool(wait: bool = False) -> None:
    """Forget the kept pool: shut it down (its workers leave once idle) and let the thread
    that forked them end."""
    pool, keeper = _WARM["pool"], _WARM["keeper"]
    _WARM.update(pool=None, workers=0, keeper=None)
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=True)
    if keeper is not None:
        keeper.set()


def _new_pool(n: int) -> ProcessPoolExecutor:
    """A process pool of ``n`` workers (started on its first job), see :func:`_worker_started`."""
    return ProcessPoolExecutor(max_workers=n, initializer=_worker_started, initargs=(os.getpid(),))


def _warm_pool_of(n: int) -> ProcessPoolExecutor:
    """The kept pool of ``n`` workers, started now when there is none (or it has another
    number of workers).

    Its workers are forked by a thread of their own that lives as long as the pool is
    kept: on Linux a worker gets SIGKILL when the *thread* that forked it ends
    (``PR_SET_PDEATHSIG``), and the thread of a run (a dashboard's script run) ends with it."""
    if _WARM["pool"] is not None and _WARM["workers"] == n:
        return _WARM["pool"]
    _drop_warm_pool()
    pool = _new_pool(n)
    ready, keep, failed = threading.Event(), threading.Event(), []

    def fork_and_stay() -> None:
        gc.freeze()  # see _run_pool
        try:
            pool.submit(int).result()  # the first job forks every worker (fork start method)
        except BaseException as exc:  # pragma: no cover - the system refused the processes
            failed.append(exc)
        finally:
            gc.unfreeze()
            ready.set()
        keep.wait()

    threading.Thread(target=fork_and_stay, name="hallsim-warm-pool", daemon=True).start()
    ready.wait()
    if failed:  # pragma: no cover - see above
        keep.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise failed[0]
    _WARM.update(pool=pool, workers=n, keeper=keep)
    return pool


def _run_pool(jobs: list[Job], n: int, progress, on_result=None, fn=run_job,
              warm: bool = False) -> list[ReplicationResult]:
    total = len(jobs)
    results: list[ReplicationResult | None] = [None] * total
    pool = _warm_pool_of(n) if warm else _new_pool(n)
    # Forked workers share this process's heap copy-on-write; freezing the objects that
    # exist now keeps the workers' garbage collector from touching (and so copying) them.
    gc.freeze()
    try:
        futures = {pool.submit(_guarded, fn, job): i for i, job in enumerate(jobs)}
        gc.unfreeze()  # the workers have been forked
        pending = set(futures)
        done_count = 0
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                results[futures[f]] = f.result()
                if on_result:
                    on_result(futures[f], results[futures[f]])
                done_count += 1
                if progress:
                    progress(done_count, total)
    except BaseException:
        gc.unfreeze()
        # this pool's own workers (other threads, e.g. dashboard sessions, may run pools of their own)
        workers = _pool_workers(pool)
        pool.shutdown(wait=False, cancel_futures=True)
        _end_workers(workers)
        late = [p for p in _pool_workers(pool) if p not in workers]  # started while the pool was stopping
        _end_workers(late)
        if warm:
            _drop_warm_pool()  # the next run starts new workers
        raise
    if not warm:
        pool.shutdown()
    return results  # type: ignore[return-value]


def _pool_workers(pool) -> list:
    """The worker processes of ``pool`` now (the executor starts them on demand)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def _end_workers(workers) -> None:
    """Stop pool workers now (an interrupt or an error: their jobs' results are not wanted).

    Each gets SIGTERM, which ends the job it runs (:func:`_guarded`); it then reports
    that to the pool like any failed job and leaves when the pool shuts down. A worker is
    never killed while it writes a result into the pool's pipe: the pool's reader would
    wait for the rest of that message for ever (and this process with it, at exit)."""
    for p in workers:
        p.terminate()
    for p in workers:
        p.join(timeout=WORKER_EXIT_S)
    for p in workers:
        if p.is_alive():  # pragma: no cover - stuck in a long call that does not return
            p.kill()
            p.join(timeout=WORKER_EXIT_S)


WORKER_EXIT_S = 10.0
"""Most seconds to wait for a pool worker to leave after SIGTERM before it is killed."""

_job_state = {"running": False, "stopped": False}
"""In a pool worker: whether a job runs, and whether SIGTERM came (then no job runs any more)."""


def _guarded(fn: Callable[[Any], Any], job: Any) -> Any:
    """Run ``fn(job)`` in a pool worker, where SIGTERM raises :class:`Terminated` (and only
    here); after a SIGTERM, the jobs already queued for the worker fail at once."""
    if _job_state["stopped"]:
        raise Terminated()
    _job_state["running"] = True
    try:
        return fn(job)
    finally:
        _job_state["running"] = False


def _end_job(signum, frame) -> None:
    """SIGTERM in a pool worker: end the running job and refuse the queued ones; the pool
    ends the worker when it shuts down."""
    _job_state["stopped"] = True
    if _job_state["running"]:
        _job_state["running"] = False
        raise Terminated()


def _worker_started(parent: int) -> None:
    """Initializer of every pool worker: Ctrl-C is the parent's to handle, SIGTERM (from
    the parent, :func:`_end_workers`) ends the running job, and the worker ends when the
    parent process dies, even by SIGKILL: on Linux the kernel sends it SIGKILL
    (``prctl(PR_SET_PDEATHSIG)``); everywhere a thread checks every
    :data:`PARENT_POLL_S` seconds (:func:`watch_parent`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_job)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread alone
            pass
    threading.Thread(target=watch_parent, args=(os.getppid(), parent), daemon=True,
                     name="hallsim-parent-watch").start()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # pragma: no cover - alive, another user's
        return False
    return False


def watch_parent(ppid: int, main: int, poll_s: float = PARENT_POLL_S,
                 exit: Callable[[int], Any] = os._exit) -> None:
    """Call ``exit(1)`` (by default: end this process at once) as soon as this process's
    parent is no longer ``ppid`` (the parent died and the process was adopted) or the
    process ``main`` that started the pool is gone; check every ``poll_s`` seconds."""
    while os.getppid() == ppid and not _gone(main):
        time.sleep(poll_s)
    exit(1)


def _run_dask(jobs: list[Job], scheduler: Any, progress, timeout_s: float,
              on_result=None, fn=run_job) -> list[ReplicationResult]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ExecutorError("the Dask executor needs the 'dask' extra: pip install 'hallsim[dask]'") from exc
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, timeout=f"{timeout_s}s") if own else scheduler
    except Exception as exc:  # OSError, TimeoutError, a ValueError for an address Dask reads otherwise, …
        raise ExecutorError(f"cannot reach the Dask scheduler at {short_repr(scheduler)} within {timeout_s:g} s: "
                            f"{short(str(exc), 200)}") from None
    try:
        futures = client.map(fn, jobs, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[ReplicationResult | None] = [None] * len(jobs)
        done = 0
        try:
            for f in as_completed(futures):
                results[index[f.key]] = f.result()
                if on_result:
                    on_result(index[f.key], results[index[f.key]])
                done += 1
                if progress:
                    progress(done, len(jobs))
        except BaseException:
            client.cancel(futures)
            raise
        return results  # type: ignore[return-value]
    finally:
        if own:
            client.close()
