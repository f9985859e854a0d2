"""The Calibrate page's work without Streamlit: a ticket log given as bytes (an upload or a
shipped example), an optional column-mapping file, and the hall file (a shipped scenario or
an uploaded one) → :func:`sim.calibration.calibrate.calibrate`, its report, and the tables
the page shows.

Uploads are written into a temporary folder under their own file names, so the library
reads them as it reads files on the command line; every message and every path kept in
the result names the upload (``ticket_log.csv``), never that folder. Input that cannot
be used gives :attr:`UploadCalibration.errors` (one line per problem, naming the file, row
and column), never an exception; so does a log the fitting fails on (a fault of hallsim,
said as such, with the error).

The calibrated scenario ``extends:`` the hall file by its name: a shipped hall
``scenarios/county_hall.yaml`` gives ``extends: county_hall.yaml`` (the download belongs
beside it in ``scenarios/``); an uploaded hall ``my_hall.yaml`` gives ``extends:
my_hall.yaml`` (beside the planner's own file, which itself extends a shipped scenario).
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from sim.calibration.calibrate import Calibration, calibrate
from sim.calibration.logs import BAD_KINDS, LogError
from sim.calibration.validate import FIGURE_UNITS
from sim.report.calibration import interval_text, number_text
from sim.scenario.loader import ScenarioError, load_upload, scenario_to_yaml
from sim.ui.text import UI, code_label, t

__all__ = ["LOG_MAX_MB", "MAPPING_MAX_MB", "HALL_MAX_MB", "LOG_TYPES", "Upload", "Hall", "UploadCalibration",
           "calibrate_upload", "bad_rows_table", "unmatched_table", "fitted_tables", "validation_table",
           "headline", "report_of", "report_zip", "example_logs", "VERDICT_CODES", "more_tables"]

LOG_MAX_MB = 20
"""Largest ticket log accepted, in MB (a year of a busy hall's tickets is about 10 MB of CSV).
The dashboard's global upload cap (``server.maxUploadSize``) must be at least this."""

MAPPING_MAX_MB = 1
"""Largest column-mapping file accepted, in MB."""

HALL_MAX_MB = 1
"""Largest uploaded hall file accepted, in MB (as for every scenario upload)."""

LOG_TYPES = ("csv", "xlsx")
"""File types of a ticket log."""

VERDICT_CODES = {"reproduced": "met", "not reproduced": "not met", "too few": "no data"}
"""Colour code (:data:`sim.ui.scorecards.VERDICT_COLOURS`) of each validation verdict."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Upload:
    """A file given to the page: its ``name`` (as uploaded, e.g. ``ticket_log.csv``) and ``data``."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Hall:
    """The hall file: a shipped scenario (``path``, shown as ``name``, its path relative to
    the scenarios folder) or an uploaded one (``text`` named ``name``, its ``extends``
    resolved against ``base_dir``, the scenarios folder)."""

    name: str
    path: Path | None = None
    text: bytes | None = None
    base_dir: Path | None = None


@dataclass(frozen=True)
class UploadCalibration:
    """What the page shows: the ``calibration`` (None when the input could not be used,
    then ``errors`` says why), the ``variant`` name it is saved under, the calibrated
    scenario's ``file_name`` for the download and ``hall_file`` (what it extends)."""

    calibration: Calibration | None
    errors: tuple[str, ...] = ()
    variant: str = ""
    file_name: str = ""
    hall_file: str = ""

    @property
    def variant_yaml(self) -> str:
        """The calibrated scenario with everything resolved (what a session variant holds)."""
        return scenario_to_yaml(self.calibration.scenario)


def _safe_name(name: str, default: str) -> str:
    """A file name without folders or characters a file system could refuse."""
    base = Path(str(name).replace("\\", "/")).name.strip()
    base = re.sub(r"[\x00-\x1f]", "", base)
    return base if base not in ("", ".", "..") else default


def _too_big(upload: Upload, cap_mb: int, what: str, lang: str) -> str | None:
    size = len(upload.data)
    if size > cap_mb * 1024 * 1024:
        return t("cal.too_big", lang, name=upload.name, what=t(what, lang), size=size / 1024 / 1024, cap=cap_mb)
    return None


def _hall_file(hall: Hall, folder: Path, lang: str) -> tuple[Path | None, list[str]]:
    """The hall file calibrate() reads: a shipped file as it is, an uploaded one loaded as
    every upload is (:func:`sim.scenario.loader.load_upload`: UTF-8 or GB18030, ``extends``
    only of a shipped scenario, by name) and written out whole into
    ``folder`` under its own name."""
    if hall.path is not None:
        return hall.path, []
    upload = Upload(hall.name, hall.text or b"")
    big = _too_big(upload, HALL_MAX_MB, "cal.what_hall", lang)
    if big:
        return None, [big]
    try:
        scenario = load_upload(upload.data, source=hall.name, base_dir=hall.base_dir).scenario
    except ScenarioError as exc:
        return None, exc.lines(lang)
    path = folder / "hall" / _safe_name(hall.name, "hall.yaml")
    path.parent.mkdir()
    path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    return path, []


def calibrate_upload(log: Upload, hall: Hall, mapping: Upload | None = None, reps: int = 20, seed: int = 0,
                     workers: int | None = 1, progress: Progress | None = None, lang: str = "en") -> UploadCalibration:
    """Calibrate ``hall`` from the ticket ``log`` (CSV or XLSX bytes), with the column
    ``mapping`` file when given, validating with ``reps`` replications from ``seed``.
    Errors (a file too big, of the wrong type, unreadable, with wrong columns, mostly bad
    rows; a hall file that does not load) come back as :attr:`UploadCalibration.errors`."""
    log_name = _safe_name(log.name, "ticket_log.csv")
    errors = [e for e in (_too_big(log, LOG_MAX_MB, "cal.what_log", lang),
                          mapping and _too_big(mapping, MAPPING_MAX_MB, "cal.what_mapping", lang)) if e]
    if Path(log_name).suffix.lower().lstrip(".") not in LOG_TYPES:
        errors.append(t("cal.bad_type", lang, name=log.name))
    if errors:
        return UploadCalibration(None, tuple(errors))
    stem = Path(log_name).stem
    variant = f"{stem}_calibrated"
    file_name = f"{variant}.yaml"
    with tempfile.TemporaryDirectory(prefix="hallsim-calibrate-") as tmp:
        folder = Path(tmp)

        folders = [re.escape(str(folder)) + r"/(?:[a-z]+/)?"]
        folders += [re.escape(str(p)) + "/" for p in (hall.path and hall.path.parent, hall.base_dir) if p]

        def named(line: str) -> str:  # the upload's own name, not the folder it was written to
            return re.sub("|".join(folders), "", line).replace("--columns map.yaml", t("cal.mapping_hint", lang))

        hall_path, problems = _hall_file(hall, folder, lang)
        if hall_path is None:
            return UploadCalibration(None, tuple(named(p) for p in problems))
        (folder / "log").mkdir()
        log_path = folder / "log" / log_name
        log_path.write_bytes(log.data)
        mapping_path = None
        if mapping is not None:
            (folder / "mapping").mkdir()
            mapping_path = folder / "mapping" / _safe_name(mapping.name, "mapping.yaml")
            mapping_path.write_bytes(mapping.data)
        out_path = hall_path.parent / file_name
        try:
            cal = calibrate(log_path, hall_path, out_path, mapping_path, reps=reps, seed=seed, workers=workers,
                            run_validation=reps > 0, progress=progress)
        except LogError as exc:
            return UploadCalibration(None, tuple(named(line) for line in exc.lines))
        except ScenarioError as exc:
            return UploadCalibration(None, tuple(named(line) for line in exc.lines(lang)))
        except (ValueError, KeyError, IndexError, TypeError) as exc:  # a log the fitting does not handle yet
            return UploadCalibration(None, (named(t("cal.unexpected", lang, name=log_name,
                                                    error=_cut(f"{type(exc).__name__}: {exc}", 200))),))
    hall_file = Path(hall.name).name
    cal = dataclasses.replace(cal, log=dataclasses.replace(cal.log, path=log_name), hall_path=hall.name,
                              out_path=file_name)
    return UploadCalibration(cal, (), variant, file_name, hall_file)


def example_logs(folder: Path | None) -> list[Path]:
    """The ticket logs shipped under ``folder/logs`` (CSV and XLSX), by name."""
    if folder is None or not (folder / "logs").is_dir():
        return []
    return sorted(p for p in (folder / "logs").iterdir() if p.suffix.lower().lstrip(".") in LOG_TYPES)


# ------------------------------------------------------------------ tables the page shows
def _cut(value, size: int = 40) -> str:
    text = str(value)
    return text if len(text) <= size else text[: size - 1] + "…"


def _table(rows: list[list], keys: list[str], lang: str) -> pd.DataFrame:
    """A frame of ``rows`` whose columns are the texts ``calc.<key>`` in ``lang``."""
    return pd.DataFrame(rows, columns=[t(f"calc.{k}", lang) for k in keys])


def bad_rows_table(cal: Calibration, lang: str, examples: int = 3) -> pd.DataFrame:
    """One row per kind of bad row: the kind, how many rows, example lines with the
    column and value."""
    bad = cal.log.bad
    rows = []
    for kind, part in bad.groupby("kind", sort=False):
        ex = "; ".join(t("cal.example", lang, line=r.line, column=r.column, value=repr(_cut(r.value)))
                       for r in part.head(examples).itertuples())
        rows.append([t(f"cal.bad.{kind}", lang) if f"cal.bad.{kind}" in UI else BAD_KINDS.get(kind, kind),
                     part["line"].nunique(), ex])
    return _table(rows, ["kind", "rows", "examples"], lang)


def unmatched_table(cal: Calibration, lang: str) -> pd.DataFrame:
    """Business names matching no service of the hall file, with their ticket counts."""
    rows = [[k, v] for k, v in cal.log.unmatched.items()]
    return _table(rows, ["business", "tickets"], lang)


_SHARE_LABELS = ("no_show_share", "abandoned_share", "left_share", "transferred_share", "unserved_share",
                 "elderly_share", "booked_share", "call_to_start_min", "elderly_multiplier")


def fitted_tables(cal: Calibration, lang: str) -> dict[str, pd.DataFrame]:
    """The fitted parameters with their 95 % intervals, one table per part: ``weekdays``,
    ``mix``, ``times`` (window time per service), ``patience``, ``shares``."""
    f = cal.fit
    num, itv = number_text, interval_text
    svc = lambda c: code_label("service", c, lang)  # noqa: E731
    share = lambda k: t(f"cal.share.{k}", lang) if k in _SHARE_LABELS else k  # noqa: E731
    return {
        "weekdays": _table([[code_label("weekday", r.weekday, lang), r.days, num(r.mean, 1), num(r.factor, 3),
                             itv(r.low, r.high, 3)] for r in f.weekdays.itertuples()],
                           ["weekday", "days", "per_day", "factor", "interval"], lang),
        "mix": _table([[svc(r.service), r.tickets, num(r.share, 3), itv(r.low, r.high, 3)] for r in f.mix.itertuples()],
                      ["service", "tickets", "share", "interval"], lang),
        "times": _table([[svc(r.service), r.n, num(r.mean), itv(r.low, r.high), r.chosen]
                         for r in f.time_means.itertuples()], ["service", "n", "mean_min", "interval", "chosen"], lang),
        "patience": _table([[r.dist, num(r.mean, 1), itv(r.low, r.high, 1), num(r.aic, 1), "✔" if r.chosen else ""]
                            for r in f.patience.itertuples()], ["candidate", "mean_min", "interval", "aic", "used"],
                           lang),
        "shares": _table([[share(r.figure), num(r.value, 3), itv(r.low, r.high, 3), r.n] for r in f.shares.itertuples()],
                         ["figure", "value", "interval", "n"], lang),
    }


def more_tables(cal: Calibration) -> dict[str, pd.DataFrame]:
    """The rest of the fit, as the report gives it (columns as in :mod:`sim.calibration`):
    ``weekday_hours`` (tickets per hour, hour × weekday, ``*`` where a weekday had too few
    days and uses the pooled profile), ``days`` (holidays and closed days), ``windows`` and
    ``staff`` (window hours and the roster from the operators), ``bookings`` and
    ``booking_figures`` (the booking flag). A part the log cannot give is left out."""
    f = cal.fit
    out: dict[str, pd.DataFrame] = {}
    if not f.weekday_hours.empty:
        wh = f.weekday_hours.assign(
            rate=[f"{r:.1f}" + ("*" if p == "pooled" else "") for r, p in zip(f.weekday_hours["rate_per_hour"],
                                                                              f.weekday_hours["profile"])])
        out["weekday_hours"] = wh.pivot(index="hour", columns="weekday", values="rate").reset_index()
    if f.log_days is not None and not f.log_days.table.empty:
        out["days"] = f.log_days.table.astype({"date": str})
    if f.roster is not None:
        out["windows"] = f.roster.windows
        out["staff"] = f.roster.staff
    if f.bookings is not None:
        out["bookings"] = f.bookings.shares.round(3)
        out["booking_figures"] = f.bookings.figures.round(3)
    return out


def validation_table(cal: Calibration, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observed beside simulated, one row per figure and hour, with the verdict and by how
    much (observed − simulated mean, and relatively; the share who left in per cent, its
    difference in percentage points); and the parallel frame of colour
    codes for :func:`sim.ui.scorecards.styled`."""
    table = cal.validation.table
    rows = []
    for r in table.itertuples():
        share = FIGURE_UNITS[r.figure] == "share"  # shown in per cent, differences in percentage points
        k = 100.0 if share else 1.0
        by = "–"
        if r.verdict != "too few" and math.isfinite(r.difference):
            by = f"{r.difference * k:+.2f}" + (" pp" if share else "")
            if not share and math.isfinite(r.relative):
                by += f" ({r.relative:+.0%})"
        rows.append([t(f"cal.fig.{r.figure}", lang), t("cal.all_day", lang) if r.hour == "all" else r.hour,
                     number_text(r.observed * k), r.n_observed, number_text(r.sim_mean * k),
                     interval_text(r.sim_low * k, r.sim_high * k), t(f"cal.verdict.{r.verdict}", lang), by])
    shown = _table(rows, ["figure", "hour", "observed", "tickets", "sim_mean", "sim_interval", "verdict", "by"], lang)
    codes = pd.DataFrame("", index=shown.index, columns=shown.columns)
    codes[shown.columns[6]] = [VERDICT_CODES[v] for v in table["verdict"]]
    return shown, codes


def headline(cal: Calibration, lang: str) -> str:
    """``42 of 42 figures reproduced`` (and how many were not judged)."""
    c = cal.validation.counts()
    text = t("cal.headline", lang, n=c["reproduced"], of=c["reproduced"] + c["not reproduced"])
    if c["too few"]:
        text += t("cal.headline_few", lang, n=c["too few"])
    return text


# ------------------------------------------------------------------ report
def report_of(result: UploadCalibration, lang: str = "en"):
    """The calibration report (:func:`sim.report.calibration.calibration_report`) of a result."""
    from sim.report.calibration import calibration_report

    cal = result.calibration
    title = f"{Path(result.hall_file).stem} from {cal.log.path}"
    return calibration_report(cal, title, None, lang)


def report_zip(report, folder_name: str) -> bytes:
    """The report's folder (``index.html``, ``report.md``, ``figures/``, ``tables/``,
    ``scenarios/``, ``meta.json``, as ``hallsim calibrate --report`` writes it) as a zip
    whose entries sit under ``folder_name/``."""
    from sim.report.build import write_report

    stem = _safe_name(folder_name, "calibration")
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="hallsim-report-") as tmp:
        out = Path(tmp) / stem
        write_report(report, out)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in out.rglob("*") if p.is_file()):
                zf.write(path, f"{stem}/{path.relative_to(out).as_posix()}")
    return buf.getvalue()

