"""Where replications run: serially, in a process pool on this machine, or on Dask.

Every job is (scenario, seed, replication). Its random numbers depend on nothing else
(see :mod:`sim.streams`), so the same jobs give identical results on every executor; the
results come back sorted by job order whatever order they finish in.

:func:`run_jobs` is the one entry point: ``workers=1`` runs in this process,
``workers=None`` (default) uses every core through a process pool, and ``scheduler``
(a ``tcp://host:port`` address, or a ``dask.distributed.Client``) sends the jobs to a
Dask cluster (install the ``dask`` extra).
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from sim.model.replication import ReplicationResult, run_replication
from sim.scenario.schema import Scenario

__all__ = ["Job", "run_jobs", "default_workers", "ExecutorError"]


class ExecutorError(RuntimeError):
    """The executor could not run the jobs (bad worker count, unreachable scheduler)."""


@dataclass(frozen=True)
class Job:
    """One replication to run: ``tables=False`` returns only its KPI rows (less to ship)."""

    scenario: Scenario
    seed: int
    replication: int
    tables: bool = True


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def run_job(job: Job) -> ReplicationResult:
    """Run one job (in whatever process calls it)."""
    res = run_replication(job.scenario, job.seed, job.replication)
    if not job.tables:
        res = ReplicationResult(res.replication, {}, res.kpis)
    return res


def _run_chunk(jobs: Sequence[Job]) -> list[ReplicationResult]:
    return [run_job(j) for j in jobs]


def run_jobs(jobs: Iterable[Job], workers: int | None = None, scheduler: Any = None,
             progress: Callable[[int, int], None] | None = None,
             connect_timeout_s: float = 10.0,
             on_result: Callable[[int, ReplicationResult], None] | None = None,
             fn: Callable[[Any], Any] | None = None) -> list[ReplicationResult]:
    """Results of ``jobs`` in job order. ``fn`` runs one job (default :func:`run_job`, a hall
    replication); other models pass their own module-level function and job type. ``progress(done, total)`` after each job;
    ``connect_timeout_s`` bounds the wait for a Dask scheduler. ``on_result(index,
    result)`` is called in this process as soon as job ``index`` (its position in
    ``jobs``) is done, in the order jobs finish, before ``progress``; an exception it
    raises stops the run like an interrupt.

    On KeyboardInterrupt, pending jobs are cancelled and the pool is shut down before the
    interrupt propagates; nothing is returned for the unfinished ones.
    """
    jobs = list(jobs)
    total = len(jobs)
    fn = run_job if fn is None else fn
    if workers is not None and workers < 1:
        raise ExecutorError(f"workers must be >= 1 (got {workers})")
    if scheduler is not None:
        return _run_dask(jobs, scheduler, progress, connect_timeout_s, on_result, fn)
    n = default_workers() if workers is None else workers
    if n == 1 or total <= 1:
        out = []
        for i, job in enumerate(jobs):
            out.append(fn(job))
            if on_result:
                on_result(i, out[-1])
            if progress:
                progress(i + 1, total)
        return out
    return _run_pool(jobs, min(n, total), progress, on_result, fn)


def _run_pool(jobs: list[Job], n: int, progress, on_result=None, fn=run_job) -> list[ReplicationResult]:
    total = len(jobs)
    results: list[ReplicationResult | None] = [None] * total
    # Forked workers share this process's heap copy-on-write; freezing the objects that
    # exist now keeps the workers' garbage collector from touching (and so copying) them.
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=n)
    try:
        futures = {pool.submit(fn, job): i for i, job in enumerate(jobs)}
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
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results  # type: ignore[return-value]


def _run_dask(jobs: list[Job], scheduler: Any, progress, timeout_s: float,
              on_result=None, fn=run_job) -> list[ReplicationResult]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ExecutorError("the Dask executor needs the 'dask' extra: pip install 'hallsim[dask]'") from exc
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, timeout=f"{timeout_s}s") if own else scheduler
    except (OSError, TimeoutError) as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from exc
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
