"""Sweeps: run a scenario at every combination of a grid of field values, resumably.

``sweep(scenario, grid, reps=20, out="results/staffing")`` makes one scenario per design
point (see :mod:`sim.grid`), runs ``reps`` replications of each under one seed —
replication *r* of every point draws the same random numbers, so points are compared on
common random numbers — and summarises each point (KPI intervals, SLA verdicts).
``reps="auto"`` lets each point run replications 0, 1, 2, … until its main KPIs reach
``precision`` (:func:`sim.precision.replicate_until`, at most ``max_reps``); the number
depends only on the point and the seed, so it is the same after a resume.

With ``out``, the KPI rows of a point are written to ``points/<point>.parquet`` as soon as
its last replication is done (through a temporary file renamed into place, so a point file
on disk is always complete), and the manifest records the point's parameters,
replications and the file's SHA-256 (``point_files``). Calling again with the same
scenario, grid, seed and reps skips the points already on disk, so a sweep that was
stopped (Ctrl-C, SIGTERM, a killed job) and started again ends with exactly the tables an
uninterrupted run gives; a point file that does not pass its check on resume (unreadable,
other columns, another point's rows, missing replications, a checksum other than the one
recorded) is deleted and the point run again, with a note naming the point and why. The
folder's ``manifest.json`` records what identifies the sweep; a different sweep into the
same folder is refused (:class:`SweepError`) unless ``force=True``, which starts over.
While a run goes on, the lock ``.NAME.lock`` beside the folder holds its PID; a second run
into the folder is refused naming it (a lock whose process is gone is taken over, with a
note).

The manifest's ``status``: ``running`` while a run holds the lock; ``interrupted`` after
Ctrl-C or SIGTERM; ``failed`` after an error (the model, the executor, a full disk);
``complete`` only once the summary and SLA tables are in place. A manifest that says
``running`` with no live run behind it (the process was killed) reads back as ``stopped``.

Files in ``out`` (see :data:`SWEEP_FILES`): ``manifest.json``, ``base_scenario.yaml``,
``grid.yaml``, ``points.csv``, ``points/<point>.parquet``, ``summary.parquet`` +
``summary.csv``, ``sla.parquet`` + ``sla.csv``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import signal
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import pandas as pd

from sim.experiments.executors import Job, check_scheduler, default_workers, interrupt_signal, kpi_frame, run_jobs
from sim.experiments.simulation import KpiEstimate
from sim.experiments.replications import AUTO, CAP_DEFAULT, MIN_REPS_DEFAULT, PRECISION_DEFAULT, replicate_until
from sim.experiments.grid import Grid, grid_to_yaml, load_grid, parse_grid, point_scenarios
from sim.scenario.loader import load_scenario, load_scenario_text, scenario_to_yaml
from sim.scenario.messages import say, short
from sim.results.files import (FolderLock, LockedError, OutputError, atomic_write, check_replaceable, file_sha256, now_iso,
                               remove_dir, uninterrupted)
from sim.scenario.schema import Scenario
from sim.results.summary import SLA_COLUMNS, SUMMARY_COLUMNS, judge_sla, summarise

__all__ = ["SweepResult", "SweepError", "SweepInterrupted", "SweepNote", "sweep", "load_sweep", "MAIN_KPIS",
           "SWEEP_FILES", "POINT_COLUMNS", "SWEEP_SUMMARY_COLUMNS", "SWEEP_SLA_COLUMNS", "OVERVIEW_COLUMNS"]

FORMAT = "hallsim-sweep/1"
"""The ``format`` of a sweep folder's manifest."""

SWEEP_FILES = {
    "manifest.json": "what identifies the sweep (scenario hash, grid, seed, reps, hallsim version), "
                     "its points, each finished point's parameters, replications and file checksum "
                     "(point_files), status and start/end times of every run",
    "base_scenario.yaml": "the base scenario, as loaded (extends resolved)",
    "grid.yaml": "the grid, in canonical form (loads back to the same grid)",
    "points.csv": "the design: one row per point, its id and the label of each swept value",
    "points/<point>.parquet": "the KPI rows of every replication of one point (POINT_COLUMNS)",
    "summary.parquet, summary.csv": "KPI intervals per point (SWEEP_SUMMARY_COLUMNS), written when all points are done",
    "sla.parquet, sla.csv": "SLA verdicts per point (SWEEP_SLA_COLUMNS), written when all points are done",
}
"""Every file of a sweep folder and what it holds."""

POINT_COLUMNS = {
    "point": "design point id (p000, p001, … in grid order)",
    "replication": "replication number (0-based; the same random numbers at every point)",
    "kpi": "KPI key (see sim.kpis.KPIS)",
    "group": "KPI group (all, elderly, window:<id>, …)",
    "value": "the KPI's value in this replication",
}
"""Columns of ``points/<point>.parquet`` and of :attr:`SweepResult.kpis`."""

_SUMMARY_STATS = ["kpi", "group", "n", "mean", "ci_low", "ci_high", "half_width", "sd"]
SWEEP_SUMMARY_COLUMNS = {
    "point": POINT_COLUMNS["point"],
    "<dotted path>": "one column per swept field: the label of its value at this point",
    **{c: SUMMARY_COLUMNS[c] for c in _SUMMARY_STATS},
}
"""Columns of :attr:`SweepResult.summary` (``summary.parquet``), in order."""

SWEEP_SLA_COLUMNS = {
    "point": POINT_COLUMNS["point"],
    "<dotted path>": "one column per swept field: the label of its value at this point",
    **SLA_COLUMNS,
}
"""Columns of :attr:`SweepResult.sla` (``sla.parquet``), in order."""

MAIN_KPIS: list[tuple[str, str]] = [
    ("wait_mean_min", "all"),
    ("wait_p90_min", "all"),
    ("abandonment_rate", "all"),
    ("empty_window_min_per_day", "all"),
]
"""The (kpi, group) pairs of :meth:`SweepResult.overview` and the CLI table."""

OVERVIEW_COLUMNS = {
    "point": POINT_COLUMNS["point"],
    "<dotted path>": "the label of each swept value",
    "<kpi>, <kpi>_low, <kpi>_high": "mean and interval of each of MAIN_KPIS (group all)",
    "sla_met": "SLA targets met at this point",
    "sla_judged": "SLA targets judged at this point",
    "reps": "replications run at this point (all the same unless the sweep ran with reps='auto')",
}
"""Columns of :meth:`SweepResult.overview`: one row per point."""


class SweepError(ValueError):
    """The output folder cannot take this sweep (it holds another one, or other files)."""


class SweepInterrupted(KeyboardInterrupt):
    """A sweep stopped by Ctrl-C (or SIGTERM: ``signum``): ``done`` of ``total`` points are
    finished (on disk when ``out`` is set); running the same sweep again resumes."""

    def __init__(self, done: int, total: int, out: Path | None, signum: int = 2):
        self.done, self.total, self.out, self.signum = done, total, out, signum
        super().__init__(f"{done} of {total} points done")


class SweepNote(UserWarning):
    """Something a resumed sweep did on its own: a point file redone, a stale lock taken
    over, an earlier run found killed (warned unless :func:`sweep` gets ``note=``)."""


@dataclass(frozen=True)
class SweepResult:
    """What :func:`sweep` and :func:`load_sweep` return.

    ``points``: one row per design point (``point`` id, one column per dotted path with
    the label of its value); ``summary`` / ``sla``: the KPI intervals and SLA verdicts of
    every finished point, prefixed by the same columns (:data:`SWEEP_SUMMARY_COLUMNS`,
    :data:`SWEEP_SLA_COLUMNS`); ``kpis``: every replication's KPI rows
    (:data:`POINT_COLUMNS`); ``manifest``: the folder's manifest (also without ``out``);
    ``parameters``: the dotted paths; ``complete``: every point is finished.
    """

    points: pd.DataFrame
    summary: pd.DataFrame
    sla: pd.DataFrame
    kpis: pd.DataFrame
    manifest: dict
    parameters: list[str]
    out: Path | None = None

    @property
    def complete(self) -> bool:
        """True when every design point is finished."""
        return self.manifest["points"]["done"] == self.manifest["points"]["total"]

    def kpi(self, point: str, kpi: str, group: str = "all") -> KpiEstimate:
        """The estimate of one KPI at one point (mean and interval)."""
        s = self.summary
        hit = s[(s["point"] == point) & (s["kpi"] == kpi) & (s["group"] == group)]
        if hit.empty:
            raise KeyError(f"no KPI {kpi!r} for group {group!r} at point {point!r}")
        r = hit.iloc[0]
        return KpiEstimate(float(r["mean"]), float(r["ci_low"]), float(r["ci_high"]), float(r["half_width"]), int(r["n"]))

    def overview(self) -> pd.DataFrame:
        """One row per finished point: the swept labels, mean and interval of each of
        :data:`MAIN_KPIS`, and how many SLA targets it meets (:data:`OVERVIEW_COLUMNS`)."""
        done = self.points[self.points["point"].isin(set(self.summary["point"]))].reset_index(drop=True)
        frame = done.copy()
        s = self.summary.set_index(["point", "kpi", "group"])
        for kpi, group in MAIN_KPIS:
            for col, stat in ((kpi, "mean"), (f"{kpi}_low", "ci_low"), (f"{kpi}_high", "ci_high")):
                frame[col] = [s[stat].get((p, kpi, group), float("nan")) for p in done["point"]]
        verdicts = self.sla.groupby("point", sort=False)["verdict"]
        met = verdicts.apply(lambda v: int((v == "met").sum()))
        frame["sla_met"] = [int(met.get(p, 0)) for p in done["point"]]
        frame["sla_judged"] = [int(verdicts.size().get(p, 0)) for p in done["point"]]
        reps = self.reps_per_point()
        frame["reps"] = [reps.get(p, 0) for p in done["point"]]
        return frame

    def reps_per_point(self) -> dict[str, int]:
        """Replications run at each finished point (all equal unless ``reps="auto"``)."""
        return {pid: _reps_of(frame) for pid, frame in self.kpis.groupby("point", sort=False)}

    @property
    def auto(self) -> bool:
        """True when each point chose its own number of replications (``reps="auto"``)."""
        return self.manifest.get("reps") == AUTO


# ------------------------------------------------------------------ files
def _write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _write_table(out: Path, name: str, frame: pd.DataFrame) -> None:
    atomic_write(out / f"{name}.parquet", lambda tmp: frame.to_parquet(tmp, index=False, engine="pyarrow"))
    atomic_write(out / f"{name}.csv", lambda tmp: frame.to_csv(tmp, index=False))


def _remove_temporaries(out: Path) -> None:
    """Temporary files a killed run may have left (``.<name>.tmp``)."""
    for folder in (out, out / "points"):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ identity
def _identity(base: Scenario, grid: Grid, seed: int, reps: int | str, auto: dict | None) -> dict[str, Any]:
    from sim.version import __version__

    out = {"scenario_hash": _digest(scenario_to_yaml(base)), "grid_hash": grid.digest(),
           "seed": seed, "reps": reps, "hallsim": __version__}
    if auto is not None:
        out.update(precision=auto["precision"], max_reps=auto["max_reps"])
    return out


_IDENTITY_WORDS = {"scenario_hash": "base scenario", "grid_hash": "grid", "seed": "seed", "reps": "reps",
                   "precision": "precision", "max_reps": "max reps", "hallsim": "hallsim version"}


def _open_out(out: Path, identity: dict[str, Any], force: bool) -> dict | None:
    """Check ``out`` may take this sweep; returns the manifest of the same sweep already
    there (to resume), or None for a fresh start. Raises :class:`SweepError`."""
    if out.exists() and not out.is_dir():
        raise SweepError(f"{out}: exists and is not a directory")
    if not out.is_dir() or not any(out.iterdir()):
        return None
    if force:
        check_replaceable(out)
        remove_dir(out)
        return None
    manifest = out / "manifest.json"
    if not manifest.is_file():
        raise SweepError(f"{out}: the directory is not empty and holds no sweep (no manifest.json); "
                         "use --force to replace it, or another directory")
    try:
        old = json.loads(manifest.read_text(encoding="utf-8"))
        old_identity = old["identity"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SweepError(f"{manifest}: unreadable sweep manifest ({exc}); use --force to start over") from None
    diffs = []
    for key, word in _IDENTITY_WORDS.items():
        was, now = old_identity.get(key), identity.get(key)
        if was != now:
            diffs.append(word if key.endswith("_hash") else f"{word} (was {was}, now {now})")
    if diffs:
        raise SweepError(f"{out}: holds a different sweep: its {', '.join(diffs)} differ{'s' if len(diffs) == 1 else ''}"
                         "; use --force to start over, or another directory")
    return old


def _manifest(base: Scenario, source: str, grid: Grid, identity: dict, points: pd.DataFrame,
              finished: Mapping[str, pd.DataFrame], previous: dict | None, run: dict,
              files: Mapping[str, dict]) -> dict:
    runs = [*(previous or {}).get("runs", []), run]
    done = len(finished)
    complete = run["status"] == "complete"
    auto = identity["reps"] == AUTO
    used = {pid: _reps_of(finished[pid]) for pid in points["point"] if pid in finished}
    return {
        "format": FORMAT,
        "identity": identity,
        "hallsim": identity["hallsim"],
        "status": run["status"],
        "scenario": {"name": base.hall.name, "source": source, "hash": identity["scenario_hash"]},
        "grid": {"source": grid.source, "hash": identity["grid_hash"], "parameters": grid.canonical()},
        "seed": identity["seed"],
        "reps": identity["reps"],
        "seeds": {"seed": identity["seed"],
                  "replications": "0 … reps_used - 1 at each point" if auto else list(range(identity["reps"])),
                  "note": "replication r of every point uses the streams of (seed, r): common random numbers"},
        **({"reps_auto": {"method": "Hoad, Robinson & Davies (2010)", "precision": identity["precision"],
                          "max_reps": identity["max_reps"], "reps_used": used}} if auto else {}),
        "points": {"total": len(points), "done": done, "ids": list(points["point"])},
        "point_files": {pid: files[pid] for pid in points["point"] if pid in finished and pid in files},
        "started": runs[0]["started"],
        "finished": run.get("finished") if complete else None,
        "runs": runs,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# ------------------------------------------------------------------ tables
def _reps_of(kpis: pd.DataFrame) -> int:
    """Replications in a point's KPI rows."""
    return int(kpis["replication"].nunique())


def _point_kpis(point: str, kpis: pd.DataFrame) -> pd.DataFrame:
    """The KPI rows of one point's replications (in replication order), plain dtypes."""
    kpis = kpis.sort_values("replication", kind="stable", ignore_index=True)
    kpis.insert(0, "point", point)
    return kpis[list(POINT_COLUMNS)].astype({"point": "str", "replication": "int64", "kpi": "str",
                                             "group": "str", "value": "float64"})


def _tables(points: pd.DataFrame, scenarios: list[Scenario],
            kpis: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(kpis, summary, sla) of the finished points, in point order, with the point
    columns in front."""
    summaries, slas, rows = [], [], []
    for pid, scenario in zip(points["point"], scenarios):
        if pid not in kpis:
            continue
        summ = summarise(kpis[pid], scenario.sla.confidence)
        summaries.append(summ.assign(point=pid))
        slas.append(judge_sla(scenario.sla, summ).assign(point=pid))
        rows.append(kpis[pid])

    def prefixed(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        if not frames:
            return pd.DataFrame(columns=[*points.columns, *columns])
        frame = pd.concat(frames, ignore_index=True)[["point", *columns]]
        return points.merge(frame, on="point", how="inner", sort=False)

    all_kpis = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=list(POINT_COLUMNS))
    return all_kpis, prefixed(summaries, _SUMMARY_STATS), prefixed(slas, list(SLA_COLUMNS))


def _reps_problem(reps: list[int], rule: int | tuple[int, int], recorded: int | None) -> str | None:
    """What is wrong with a point's replication numbers ``reps`` (sorted, distinct):
    ``rule`` is the fixed count, or (least, most) under ``reps="auto"``; ``recorded``, the
    count the manifest holds for the point."""
    n = len(reps)
    if reps != list(range(n)):
        missing = sorted(set(range(max(reps) + 1)) - set(reps))
        return f"replications {_span(reps)}: {_span(missing)} missing"
    if isinstance(rule, int) and n != rule:
        return f"{n} replications, the sweep runs {rule}" + (f" (replications {_span(list(range(n, rule)))} missing)"
                                                             if n < rule else "")
    if isinstance(rule, tuple) and not rule[0] <= n <= rule[1]:
        return f"{n} replications, outside {rule[0]}–{rule[1]}"
    if recorded is not None and n != recorded:
        return f"{n} replications, the manifest recorded {recorded}"
    return None


def _span(numbers: list[int]) -> str:
    """``0–4, 7`` for [0, 1, 2, 3, 4, 7] (at most five pieces, then …)."""
    pieces, i = [], 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        pieces.append(str(numbers[i]) if i == j else f"{numbers[i]}–{numbers[j]}")
        i = j + 1
    return ", ".join(pieces[:5]) + (", …" if len(pieces) > 5 else "")


def _point_problem(pid: str, path: Path, rule: int | tuple[int, int], record: dict | None) -> tuple[pd.DataFrame | None, str | None]:
    """Read and check one point file: (its rows, None) when it holds exactly the point's
    replications and matches the checksum the manifest recorded for it (if any), else
    (None, why not)."""
    try:
        frame = pd.read_parquet(path, engine="pyarrow")
    except Exception as exc:  # pyarrow raises its own kinds for a damaged file
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, f"not a readable Parquet file ({short(text, 120)})"
    if list(frame.columns) != list(POINT_COLUMNS):
        return None, f"its columns are {', '.join(map(str, frame.columns)) or 'none'}, not {', '.join(POINT_COLUMNS)}"
    if frame.empty:
        return None, "it holds no rows"
    others = sorted(set(frame["point"].astype(str)) - {pid})
    if others:
        return None, f"it holds rows of point {', '.join(others[:3])}"
    if not pd.api.types.is_integer_dtype(frame["replication"]) or not pd.api.types.is_float_dtype(frame["value"]):
        return None, "its replication or value column has the wrong type"
    problem = _reps_problem(sorted(int(r) for r in frame["replication"].unique()), rule,
                            (record or {}).get("replications"))
    if problem is None and record is not None and record.get("sha256") != file_sha256(path):
        problem = "its checksum differs from the one manifest.json recorded when it was written"
    return (frame, None) if problem is None else (None, problem)


def _checked_points(out: Path, ids, rule: int | tuple[int, int],
                    records: Mapping[str, dict]) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The point files that pass :func:`_point_problem` by point id, and why each other
    point file on disk does not."""
    found, bad = {}, {}
    for pid in ids:
        path = out / "points" / f"{pid}.parquet"
        if path.is_file():
            frame, problem = _point_problem(pid, path, rule, records.get(pid))
            if problem is None:
                found[pid] = frame
            else:
                bad[pid] = problem
    return found, bad


def _reps_rule(identity: Mapping[str, Any]) -> int | tuple[int, int]:
    """How many replications a point must hold: a number, or (least, most) for auto."""
    return (MIN_REPS_DEFAULT, int(identity["max_reps"])) if identity["reps"] == AUTO else int(identity["reps"])


def _point_record(points: pd.DataFrame, pid: str, frame: pd.DataFrame, path: Path) -> dict:
    """What the manifest records of a finished point: parameters, replications, checksum."""
    row = points.loc[points["point"] == pid].iloc[0]
    params = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items() if k != "point"}
    return {"parameters": params, "replications": _reps_of(frame), "sha256": file_sha256(path)}


def _lock_note(lock: FolderLock, previous: dict | None) -> str | None:
    """A note when the manifest says ``running`` though no run holds the folder (this one
    has just taken the lock): the run that wrote it was killed."""
    if previous is None or previous.get("status") != "running":
        return None
    started = (previous.get("runs") or [{}])[-1].get("started")
    return (f"{lock.folder}: the previous run (started {started}) stopped without finishing "
            "(killed, or it could not write the manifest); its finished points are checked and kept")


# ------------------------------------------------------------------ sweep
def _as_grid(grid: Grid | Mapping | str | Path) -> Grid:
    if isinstance(grid, Grid):
        return grid
    if isinstance(grid, Mapping):
        return parse_grid(grid)
    return load_grid(grid)


def sweep(scenario: Scenario | str | Path, grid: Grid | Mapping | str | Path, reps: int | str | None = None,
          seed: int = 0, out: str | Path | None = None, workers: int | None = None, scheduler=None,
          progress: Callable[[int, int], None] | None = None, force: bool = False,
          source: str | None = None, precision: float = PRECISION_DEFAULT,
          max_reps: int = CAP_DEFAULT, note: Callable[[str], None] | None = None) -> SweepResult:
    """Run ``reps`` replications (default ``run.replications`` of the scenario) of every
    design point of ``grid`` under ``seed``, and summarise each point.

    ``reps="auto"``: each point runs replications until its main KPIs' interval
    half-widths are within ``precision`` of their means (at most ``max_reps``; see
    :func:`sim.precision.replicate_until`); points then run one after another, each
    spreading its replications over the workers, and the manifest's ``reps_auto`` says
    how many each used. ``progress`` then counts replications against an estimate of the
    total that grows as points finish.

    ``scenario`` is a :class:`Scenario` or a file; ``grid`` a :class:`~sim.grid.Grid`, the
    mapping a grid file holds, or a grid file. ``out`` (a folder) makes the sweep
    resumable: finished points are kept on disk and skipped when the same sweep runs
    again; another sweep there raises :class:`SweepError` unless ``force``, which starts
    over. ``workers`` processes (None: every core) or a Dask ``scheduler`` run the
    replications of all pending points together; ``progress(done, total)`` counts the
    replications of the whole sweep (finished points included). Ctrl-C (or SIGTERM, see
    :class:`~sim.experiments.executors.Terminated`) raises :class:`SweepInterrupted` once
    the finished points are safely on disk. Grid problems raise
    :class:`~sim.loader.ScenarioError` naming the grid file and the path; a folder another
    live run holds (its lock), or one ``force`` may not delete, raises :class:`SweepError`.
    ``note(text)`` receives what a resume did on its own (a point file redone and why, a
    stale lock taken over; default: a :class:`SweepNote` warning).
    """
    if not isinstance(scenario, Scenario):
        source = source or str(scenario)
        scenario = load_scenario(scenario)
    source = source or "<scenario>"
    grid = _as_grid(grid)
    reps = scenario.run.replications if reps is None else reps
    auto = {"precision": precision, "max_reps": max_reps} if reps == AUTO else None
    if auto is not None:
        if not 0 < precision < 1:
            raise ValueError(f"precision must be between 0 and 1 (got {precision!r})")
        if max_reps < 3:
            raise ValueError(f"max_reps must be >= 3 (got {max_reps!r})")
    elif not isinstance(reps, int) or isinstance(reps, bool) or reps < 1:
        raise ValueError(f"reps must be a whole number >= 1 or 'auto' (got {reps!r})")
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    check_scheduler(scheduler)
    scenarios = point_scenarios(scenario, grid)
    points = grid.points()
    identity = _identity(scenario, grid, seed, reps, auto)
    out = Path(out) if out is not None else None
    say_note = note if note is not None else (lambda text: warnings.warn(text, SweepNote, stacklevel=3))
    if out is None:
        return _sweep(scenario, source, grid, scenarios, points, identity, None, None, {}, {}, seed, reps, auto,
                      workers, scheduler, progress, say_note)
    if out.exists() and not out.is_dir():
        raise SweepError(f"{out}: exists and is not a directory")
    lock = FolderLock(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        taken_over = lock.acquire()
    except LockedError as exc:
        raise SweepError(str(exc)) from None
    try:
        try:
            previous = _open_out(out, identity, force)
        except OutputError as exc:
            raise SweepError(str(exc)) from None
        for text in (taken_over, _lock_note(lock, previous)):
            if text:
                say_note(text)
        return _resume(scenario, source, grid, scenarios, points, identity, out, previous, seed, reps, auto, workers,
                       scheduler, progress, say_note)
    finally:
        lock.release()


def _resume(scenario, source, grid, scenarios, points, identity, out, previous, seed, reps, auto, workers, scheduler,
            progress, say_note) -> SweepResult:
    """Check the point files in the locked folder ``out``, write the sweep's files and
    run the rest; a fresh folder that fails before a point is finished is removed."""
    ids = list(points["point"])
    try:
        if previous is not None and previous.get("status") == "running" and previous.get("runs"):
            previous["runs"][-1]["status"] = "stopped"
        (out / "points").mkdir(parents=True, exist_ok=True)
        _remove_temporaries(out)
        records = dict((previous or {}).get("point_files") or {})
        finished, bad = _checked_points(out, ids, _reps_rule(identity), records)
        for pid, why in bad.items():
            say_note(f"{out / 'points' / (pid + '.parquet')}: {why}; running point {pid} again")
            (out / "points" / f"{pid}.parquet").unlink(missing_ok=True)
            records.pop(pid, None)
        for pid in finished:
            if pid not in records:  # written by a run killed before its manifest said so: record it now
                records[pid] = _point_record(points, pid, finished[pid], out / "points" / f"{pid}.parquet")
        _write_text(out / "base_scenario.yaml", scenario_to_yaml(scenario))
        _write_text(out / "grid.yaml", f"# the grid of this sweep (from {grid.source})\n" + grid_to_yaml(grid))
        atomic_write(out / "points.csv", lambda tmp: points.to_csv(tmp, index=False))
        redone = [{"point": pid, "reason": why} for pid, why in bad.items()]
        return _sweep(scenario, source, grid, scenarios, points, identity, out, previous, finished, records, seed,
                      reps, auto, workers, scheduler, progress, say_note, redone)
    except BaseException as exc:  # a fresh folder with no point goes after an error, or before it has a manifest
        if (previous is None and out.is_dir() and not any((out / "points").glob("*.parquet"))
                and (isinstance(exc, Exception) or not (out / "manifest.json").exists())):
            remove_dir(out)
        raise


MANIFEST_EVERY_S = 1.0
"""Least seconds between two saves of the manifest while points finish (it is saved at
the end, on an interrupt and on an error in any case)."""


def _sweep(scenario, source, grid, scenarios, points, identity, out, previous, finished, records, seed, reps, auto,
           workers, scheduler, progress, say_note, redone=()) -> SweepResult:
    """Run the pending points of a sweep whose folder (if any) is locked and checked."""
    ids = list(points["point"])
    run = {"started": now_iso(), "finished": None, "status": "running", "points_run": 0,
           "points_reused": len(finished),
           "workers": None if scheduler is not None else workers or default_workers(),
           "scheduler": None if scheduler is None else str(scheduler),
           **({"points_redone": list(redone)} if redone else {})}
    saved = [0.0]

    def save_manifest(every: float = 0.0) -> dict:
        doc = _manifest(scenario, source, grid, identity, points, finished, previous, run, records)
        if out is not None and time.monotonic() - saved[0] >= every:
            _write_text(out / "manifest.json", json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")
            saved[0] = time.monotonic()
        return doc

    def save_quietly() -> None:
        """Save the manifest on the way out of an error: a second error (a full disk) is
        not allowed to hide the first."""
        try:
            save_manifest()
        except OSError:
            pass

    save_manifest()
    pending = [k for k, pid in enumerate(ids) if pid not in finished]
    start = time.perf_counter()

    def point_done(pid: str, kpis: pd.DataFrame) -> None:
        frame = _point_kpis(pid, kpis)
        if out is not None:  # the file and its record together: an interrupt waits for both
            path = out / "points" / f"{pid}.parquet"
            with uninterrupted():
                atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False, engine="pyarrow"))
                records[pid] = _point_record(points, pid, frame, path)
                finished[pid] = frame
        else:
            finished[pid] = frame
        run["points_run"] += 1
        save_manifest(every=MANIFEST_EVERY_S)

    try:
        if auto is not None:
            _run_auto(scenarios, ids, pending, seed, auto, workers, scheduler, progress, finished, point_done)
        else:
            _run_fixed(scenarios, ids, pending, seed, reps, workers, scheduler, progress, len(finished), point_done)
        seconds = round(time.perf_counter() - start, 3)
        if out is not None:  # the tables always come from the files, whichever run wrote them
            finished, bad = _checked_points(out, ids, _reps_rule(identity), records)
            if bad or len(finished) != len(ids):
                missing = {pid: bad.get(pid, "no file") for pid in ids if pid not in finished}
                raise SweepError(f"{out}: point files changed while the sweep ran: "
                                 + "; ".join(f"{pid}: {why}" for pid, why in list(missing.items())[:3]))
        kpis, summary, sla = _tables(points, scenarios, finished)
        if out is not None:
            _write_table(out, "summary", summary)
            _write_table(out, "sla", sla)
        run.update(status="complete", finished=now_iso(), seconds=seconds)
        manifest = save_manifest()
    except KeyboardInterrupt as exc:
        run.update(status="interrupted", finished=now_iso(), seconds=round(time.perf_counter() - start, 3),
                   signal=signal.Signals(interrupt_signal(exc)).name)
        save_quietly()
        raise SweepInterrupted(len(finished), len(ids), out, interrupt_signal(exc)) from None
    except Exception as exc:  # an executor or model error, a full disk: say so (a fresh empty folder goes, see _resume)
        if out is not None:
            run.update(status="failed", finished=now_iso(), error=short(f"{type(exc).__name__}: {exc}", 200))
            save_quietly()
        raise
    return SweepResult(points, summary, sla, kpis, manifest, grid.paths, out)


def _run_fixed(scenarios, ids, pending, seed, reps, workers, scheduler, progress, n_finished, point_done) -> None:
    """``reps`` replications of every pending point, all in one batch of jobs."""
    jobs = [Job(scenarios[k], seed, r, tables=False) for k in pending for r in range(reps)]
    collected: dict[str, list] = {}

    def on_result(index: int, result) -> None:
        pid = ids[pending[index // reps]]
        collected.setdefault(pid, []).append(result)
        if len(collected[pid]) == reps:
            point_done(pid, kpi_frame(collected.pop(pid)))

    before, total = n_finished * reps, len(ids) * reps
    counted = (lambda done, _total: progress(before + done, total)) if progress else None
    if progress:
        progress(before, total)
    if jobs:
        run_jobs(jobs, workers=workers, scheduler=scheduler, progress=counted, on_result=on_result)


def _run_auto(scenarios, ids, pending, seed, auto, workers, scheduler, progress, finished, point_done) -> None:
    """Each pending point in turn, with as many replications as its precision needs."""
    used = [_reps_of(f) for f in finished.values()]
    for i, k in enumerate(pending):
        left = len(pending) - i - 1

        def counted(done: int, planned: int, left=left) -> None:
            per_point = sum(used) / len(used) if used else planned
            progress(sum(used) + done, sum(used) + planned + round(left * per_point))

        if progress:
            counted(0, min(auto["max_reps"], 3))
        result = replicate_until(scenarios[k], seed, precision=auto["precision"], cap=auto["max_reps"],
                                 workers=workers, scheduler=scheduler, progress=counted if progress else None,
                                 tables=False)
        used.append(result.reps)
        point_done(ids[k], result.kpis)


def load_sweep(folder: str | Path) -> SweepResult:
    """The sweep in ``folder`` (written by :func:`sweep` or ``hallsim sweep --out``).

    A complete sweep is read from its tables; an unfinished one (interrupted) is
    summarised from the point files on disk, and its ``complete`` is False.
    """
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise SweepError(say("sweep.not_folder", folder=str(folder)))
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SweepError(say("sweep.unreadable", path=str(manifest_path), error=exc)) from None
    grid = load_grid(folder / "grid.yaml")
    points = grid.points()
    try:
        rule = _reps_rule(manifest["identity"])
        records = dict(manifest.get("point_files") or {})
    except (KeyError, TypeError, ValueError) as exc:
        raise SweepError(say("sweep.unreadable", path=str(manifest_path), error=exc)) from None
    finished, bad = _checked_points(folder, points["point"], rule, records)
    for pid, why in bad.items():
        warnings.warn(f"{folder / 'points' / (pid + '.parquet')}: {why}; point {pid} left out (running the same "
                      "sweep again redoes it)", SweepNote, stacklevel=2)
    manifest["points"]["done"] = len(finished)
    if manifest.get("status") == "running" and FolderLock(folder).live_owner() is None:
        manifest["status"] = "stopped"  # no run holds it: the one that wrote "running" was killed
    complete = (manifest.get("status") == "complete" and len(finished) == len(points)
                and (folder / "summary.parquet").is_file() and (folder / "sla.parquet").is_file())
    if complete:
        kpis = pd.concat(finished.values(), ignore_index=True)
        summary = pd.read_parquet(folder / "summary.parquet", engine="pyarrow")
        sla = pd.read_parquet(folder / "sla.parquet", engine="pyarrow")
    else:
        base = load_scenario_text((folder / "base_scenario.yaml").read_text(encoding="utf-8"),
                                  str(folder / "base_scenario.yaml"))
        kpis, summary, sla = _tables(points, point_scenarios(base, grid), finished)
    return SweepResult(points, summary, sla, kpis, manifest, grid.paths, folder)
