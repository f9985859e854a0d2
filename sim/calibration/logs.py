"""Reading queue-ticket logs into the tidy ticket table (:mod:`sim.calibration.tickets`).

Three layouts:

- ``zh`` — a Chinese queue-system export (排队叫号系统), one row per ticket, columns
  票号, 业务名称, 取号时间, 叫号时间, 开始服务时间, 完成时间, 办理时长(秒), 窗口名称,
  操作人员, 状态 (已办结 / 过号 / 弃号 …) and optionally 过号来源, 证件号码 or 年龄,
  预约, 日期 (a date column when the times carry no date);
- ``qmatic`` — Qmatic-style per-visit transactions: visit_id, service, created, called,
  service_start, service_end, counter, staff, outcome (NORMAL / NO_SHOW / REMOVE /
  TRANSFER); a visit recalled after a no-show keeps its last call; a transfer starts a
  new ticket of the same visit;
- any other vendor through a mapping file (``--columns map.yaml``, see :func:`read_mapping`)
  laid over one of the two.

The layout is recognised from the header when not given; lines starting with ``#`` before
a CSV's header are comments. Files are CSV or XLSX; a CSV's
encoding (UTF-8, UTF-8 with BOM, GBK, GB18030) is detected and reported. Times may carry
seconds or not, and a date or not (then a date column is needed).

A business name equal to a service code of the hall file is that service; a mapping's
``services`` section names the others. A name matching none is reported with its count,
never guessed. Bad rows (unparseable times, called before issued, a service ending
before it starts, duplicate tickets, unknown status values, no issue time) are left out,
counted by kind and reported with examples and line numbers; a file more than half bad
is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import yaml

from sim.calibration.tickets import MISSED, OUTCOMES, finish_tickets

__all__ = ["LogError", "LogLayout", "ReadLog", "ZH", "QMATIC", "FIELDS", "read_log", "read_mapping",
           "detect_encoding", "BAD_KINDS", "MOSTLY_BAD"]

MOSTLY_BAD = 0.5
"""A log with more than this share of bad rows is refused."""

FIELDS: dict[str, str] = {
    "ticket": "ticket number (required)",
    "business": "business name (required)",
    "issued": "time the ticket was issued (required)",
    "called": "time the ticket was called",
    "start": "time service started",
    "end": "time service finished",
    "duration_s": "service duration in seconds (used when start or end is missing)",
    "window": "window or counter name",
    "staff": "operator",
    "status": "status / outcome (required)",
    "skip_source": "who marked a no-show (kept for the report only)",
    "id_number": "resident ID number (birth date gives the age)",
    "age": "age in years",
    "booked": "booking flag",
    "slot": "start of the booked slot (a time, or a date and time)",
    "date": "date of the ticket when the time columns hold only a time",
    "visit": "visit id (Qmatic: several transactions per visit)",
}
"""Our fields a mapping file may name a column for, with their meaning."""

_REQUIRED = ("ticket", "business", "issued", "status")

BAD_KINDS = {
    "no_issue_time": "no issue time",
    "bad_time": "unparseable time",
    "called_before_issued": "called before issued",
    "negative_duration": "service ends before it starts (or starts before the call)",
    "duplicate_ticket": "duplicate ticket (same ticket number on the same date)",
    "unknown_status": "status value not known",
    "bad_age": "unparseable age or ID number",
}
"""Kinds of bad rows, with their description."""


class LogError(ValueError):
    """A log (or mapping file) that cannot be used; ``lines`` name the file, row and column."""

    def __init__(self, *lines: str):
        self.lines = list(lines)
        super().__init__("\n".join(lines))


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


@dataclass(frozen=True)
class LogLayout:
    """A log layout: our field → the file's column, and status value → our outcome."""

    name: str
    columns: Mapping[str, str]
    status: Mapping[str, str]
    services: Mapping[str, str] = field(default_factory=dict)
    windows: Mapping[str, str] = field(default_factory=dict)


ZH = LogLayout("zh", {
    "ticket": "票号", "business": "业务名称", "issued": "取号时间", "called": "叫号时间", "start": "开始服务时间",
    "end": "完成时间", "duration_s": "办理时长(秒)", "window": "窗口名称", "staff": "操作人员", "status": "状态",
    "skip_source": "过号来源", "id_number": "证件号码", "age": "年龄", "booked": "预约", "slot": "预约时间",
    "date": "日期",
}, {
    "已办结": "served", "办结": "served", "已完成": "served", "完成": "served", "正常": "served",
    "过号": "no_show", "弃号": "abandoned", "已弃号": "abandoned", "取消": "abandoned",
    "转移": "transferred", "已转移": "transferred", "转办": "transferred",
    "未叫号": "unserved", "未办理": "unserved", "等待": "unserved",
    "爽约": MISSED, "预约未到": MISSED, "未签到": MISSED,
})
"""The Chinese queue-system export."""

QMATIC = LogLayout("qmatic", {
    "visit": "visit_id", "ticket": "ticket", "business": "service", "issued": "created", "called": "called",
    "start": "service_start", "end": "service_end", "window": "counter", "staff": "staff", "status": "outcome",
    "date": "date", "age": "age", "booked": "booked", "slot": "appointment_time",
}, {
    "NORMAL": "served", "NO_SHOW": "no_show", "NOSHOW": "no_show", "REMOVE": "abandoned", "REMOVED": "abandoned",
    "TRANSFER": "transferred", "TRANSFERRED": "transferred", "END_OF_DAY": "unserved", "NOT_CALLED": "unserved",
    "MISSED_APPOINTMENT": MISSED, "APPOINTMENT_NO_SHOW": MISSED,
})
"""Qmatic-style per-visit transactions."""

LAYOUTS = {"zh": ZH, "qmatic": QMATIC}

_YES = {"是", "1", "true", "yes", "y", "预约", "已预约", "t"}
_NO = {"否", "0", "false", "no", "n", "", "非预约", "未预约", "f", "nan"}


# ------------------------------------------------------------------ files
def detect_encoding(data: bytes) -> str:
    """The encoding of CSV bytes: ``utf-8-sig`` (BOM), ``utf-8``, ``gbk`` or ``gb18030``
    (the first that decodes the whole file); LogError when none does."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for enc in ("utf-8", "gbk", "gb18030"):
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    raise LogError("cannot decode the file as UTF-8, GBK or GB18030")


ENCODING_NAMES = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030", "xlsx": "XLSX"}


def _read_table(path: Path) -> tuple[pd.DataFrame, str, int]:
    """The raw rows of a CSV or XLSX file, every cell as text, its encoding and the number
    of comment lines (starting with ``#``) before a CSV's header."""
    if not path.is_file():
        raise LogError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            raw = pd.read_excel(path, dtype=object, engine="openpyxl")
        except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file
            raise LogError(f"{path}: cannot read the XLSX file ({_short(exc)})") from None
        return raw.map(_cell_text), "xlsx", 0
    data = path.read_bytes()
    try:
        enc = detect_encoding(data)
    except LogError as exc:
        raise LogError(f"{path}: {exc}") from None
    import io

    text = data.decode(enc)
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and lines[skipped].lstrip("\ufeff").startswith("#"):
        skipped += 1
    try:
        raw = pd.read_csv(io.StringIO("".join(lines[skipped:])), dtype=str, keep_default_na=False, skipinitialspace=True,
                          comment=None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LogError(f"{path}: not a readable CSV file ({_short(exc)})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    return raw.map(lambda x: x.strip() if isinstance(x, str) else x), enc, skipped


def _cell_text(x) -> str:
    """An XLSX cell as text (dates as ISO, whole numbers without ``.0``)."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    if isinstance(x, pd.Timestamp):
        return x.strftime("%Y-%m-%d %H:%M:%S")
    if hasattr(x, "isoformat"):
        return x.isoformat(sep=" ") if hasattr(x, "hour") and hasattr(x, "year") else x.isoformat()
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x).strip()


# ------------------------------------------------------------------ mapping files
class _TextLoader(yaml.SafeLoader):
    """A safe loader that keeps yes / no / on / off as text (they are column names and
    status values in a mapping file, not booleans)."""


_TextLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def read_mapping(path: Path) -> dict[str, Any]:
    """A mapping file (YAML): ``layout`` (zh or qmatic, the base; default zh),
    ``columns`` (our field → their column; see :data:`FIELDS`), ``status`` (their value →
    one of :data:`~sim.calibration.tickets.OUTCOMES`), ``services`` (their business
    name → the hall's service code) and ``windows`` (their window name → the hall's
    window id). Unknown keys, fields or outcomes raise LogError naming them."""
    if not path.is_file():
        raise LogError(f"{path}: no such file")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader) or {}  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LogError(f"{path}: not a YAML mapping file ({_short(exc)})") from None
    if not isinstance(data, dict):
        raise LogError(f"{path}: must be a mapping with columns / status / services / windows")
    problems = []
    for key in data:
        if key not in ("layout", "columns", "status", "services", "windows"):
            problems.append(f"{path}: {key}: unknown section (expected layout, columns, status, services, windows)")
    if data.get("layout", "zh") not in LAYOUTS:
        problems.append(f"{path}: layout: must be zh or qmatic (got {_short(data.get('layout'))!r})")
    for section in ("columns", "status", "services", "windows"):
        if not isinstance(data.get(section, {}), dict):
            problems.append(f"{path}: {section}: must be a mapping")
    for ours in (data.get("columns") or {}) if isinstance(data.get("columns"), dict) else {}:
        if ours not in FIELDS:
            problems.append(f"{path}: columns.{ours}: unknown field (known: {', '.join(FIELDS)})")
    for value, outcome in ((data.get("status") or {}).items() if isinstance(data.get("status"), dict) else ()):
        if outcome not in (*OUTCOMES, MISSED):
            problems.append(f"{path}: status.{value}: {_short(outcome)!r} is not an outcome "
                            f"(expected one of {', '.join((*OUTCOMES, MISSED))})")
    if problems:
        raise LogError(*problems)
    return data


def _layout_with(base: LogLayout, mapping: Mapping[str, Any] | None) -> LogLayout:
    if not mapping:
        return base
    return LogLayout(f"{base.name}+mapping", {**base.columns, **{k: str(v) for k, v in (mapping.get("columns") or {}).items()}},
                     {**base.status, **{str(k): v for k, v in (mapping.get("status") or {}).items()}},
                     {str(k): str(v) for k, v in (mapping.get("services") or {}).items()},
                     {str(k): str(v) for k, v in (mapping.get("windows") or {}).items()})


def _guess_layout(columns: list[str]) -> LogLayout | None:
    for layout in (ZH, QMATIC):
        if all(layout.columns[f] in columns for f in ("ticket", "business", "issued", "status")):
            return layout
    return None


# ------------------------------------------------------------------ values
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _timestamps(values: pd.Series, dates: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """(timestamps, bad) of text cells: datetimes, or times of day joined to ``dates``.
    ``bad`` is True where a non-empty cell could not be read."""
    text = values.astype(str).str.strip()
    empty = text.eq("") | text.str.lower().isin(["nan", "nat", "none", "null", "-"])
    time_only = text.str.match(_TIME_ONLY)
    full = text.where(~time_only)
    if dates is not None:
        full = full.where(~time_only, dates.astype(str).str.strip() + " " + text)
    parsed = pd.to_datetime(full.where(~empty), errors="coerce", format="mixed")
    bad = ~empty & parsed.isna()
    return parsed, bad


def _flag(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = values.astype(str).str.strip().str.lower()
    out = pd.Series(pd.array([pd.NA] * len(text), dtype="boolean"), index=values.index)
    out[text.isin(_YES)] = True
    out[text.isin(_NO)] = False
    return out, out.isna()


def _age_from_id(ids: pd.Series, on: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(age in whole years on the date ``on``, bad) from 18-digit ID numbers; empty or
    masked birth dates give NaN without being bad."""
    text = ids.astype(str).str.strip().str.upper()
    birth_txt = text.str.slice(6, 14)
    usable = text.str.match(r"^\d{17}[\dX]$")
    birth = pd.to_datetime(birth_txt.where(usable), format="%Y%m%d", errors="coerce")
    bad = usable & birth.isna()
    on = pd.to_datetime(on)
    age = on.dt.year - birth.dt.year - ((on.dt.month * 100 + on.dt.day) < (birth.dt.month * 100 + birth.dt.day))
    return age.astype(float), bad


@dataclass(frozen=True)
class ReadLog:
    """A log read: its ``tickets`` (the tidy table), the ``layout`` recognised, the
    ``encoding`` detected, the number of data ``rows`` in the file, the ``bad`` rows (one
    row per bad row: line, kind, column, value), business names that match no service
    (``unmatched``: name → tickets), window names mapped (``windows``), and the ages'
    source (``age_source``: 年龄, 证件号码 or None)."""

    path: str
    layout: str
    encoding: str
    rows: int
    tickets: pd.DataFrame
    bad: pd.DataFrame
    unmatched: dict[str, int]
    age_source: str | None
    booked_known: bool
    notes: list[str] = field(default_factory=list)
    missed: pd.DataFrame | None = None
    """Bookings never redeemed (status 爽约 / 预约未到 / MISSED_APPOINTMENT): date, business,
    service, slot_min; None when the log has no booking flag."""
    slot_known: bool = False
    """The log has a slot time (预约时间 / appointment_time)."""

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)

    def bad_summary(self, examples: int = 3) -> list[str]:
        """One line per kind of bad row: count, description and example lines."""
        out = []
        for kind, rows in self.bad.groupby("kind", sort=False):
            ex = "; ".join(f"line {r.line} {r.column}={_short(r.value)!r}" for r in rows.head(examples).itertuples())
            out.append(f"{len(rows)} × {BAD_KINDS[kind]} (e.g. {ex})")
        return out


def read_log(path: str | Path, services: list[str] | None = None, layout: str | None = None,
             mapping: Mapping[str, Any] | None = None, elderly_age: int = 55) -> ReadLog:
    """Read a log file into the ticket table; see the module text. ``services`` are the
    hall file's service codes (business names equal to one of them are that service);
    ``layout`` is ``zh``, ``qmatic`` or None (recognised from the header, or the
    mapping's ``layout``). Raises LogError naming the file (and column) when the file
    cannot be used."""
    path = Path(path)
    raw, enc, skipped = _read_table(path)
    src = str(path)
    if raw.empty:
        raise LogError(f"{src}: the log has no data rows")
    base_name = layout or (mapping or {}).get("layout")
    base = LAYOUTS.get(base_name) if base_name else _guess_layout(list(raw.columns))
    if base is None and mapping:
        base = ZH
    if base is None:
        raise LogError(f"{src}: the columns ({_short(', '.join(map(str, raw.columns)))}) are neither a Chinese "
                       f"queue-system export (票号, 业务名称, 取号时间, 状态 …) nor Qmatic transactions (visit_id, "
                       f"service, created, outcome …); give --columns map.yaml")
    lay = _layout_with(base, mapping)
    named = {f: c for f, c in lay.columns.items() if c in raw.columns}
    explicit = (mapping or {}).get("columns") or {}
    missing = [f"{src}: column {c!r} (for {f}) not in the file; its columns are: {_short(', '.join(raw.columns))}"
               for f, c in explicit.items() if c not in raw.columns]
    missing += [f"{src}: no column for {f} ({FIELDS[f]}); expected {lay.columns[f]!r}"
                for f in _REQUIRED if f not in named and f not in explicit]
    if missing:
        raise LogError(*missing)
    return _parse(raw, named, lay, src, enc, services or [], elderly_age, skipped)


def _parse(raw: pd.DataFrame, cols: Mapping[str, str], lay: LogLayout, src: str, enc: str,
           services: list[str], elderly_age: int, skipped: int = 0) -> ReadLog:
    n = len(raw)
    line = pd.Series(np.arange(n) + 2 + skipped, index=raw.index)
    get = lambda f: raw[cols[f]] if f in cols else None  # noqa: E731
    bad_rows: list[dict] = []

    def flag(mask: pd.Series, kind: str, column: str, values: pd.Series) -> None:
        for i in np.flatnonzero(mask.to_numpy(bool)):
            bad_rows.append({"line": int(line.iloc[i]), "kind": kind, "column": column, "value": values.iloc[i]})

    date_col = None
    if "date" in cols:
        dparsed, dbad = _timestamps(get("date"), None)
        flag(dbad, "bad_time", cols["date"], get("date"))
        date_col = dparsed.dt.strftime("%Y-%m-%d").fillna("")
    times = {}
    for f in ("issued", "called", "start", "end", "slot"):
        if f in cols:
            on = date_col
            if f == "slot" and date_col is None:  # a slot given as a time of day is on the issue date
                on = times["issued"].dt.strftime("%Y-%m-%d").fillna("")
            parsed, badt = _timestamps(get(f), on)
            flag(badt, "bad_time", cols[f], get(f))
            times[f] = parsed
        else:
            times[f] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    status_txt = get("status").astype(str).str.strip()
    outcome = status_txt.map(lambda s: lay.status.get(s, lay.status.get(s.upper())))
    flag(outcome.isna(), "unknown_status", cols["status"], status_txt)
    missed = outcome.eq(MISSED)
    # a missed booking has no issue time: it stands at its slot
    times["issued"] = times["issued"].where(~(missed & times["issued"].isna()), times["slot"])
    flag(times["issued"].isna() & get("issued").astype(str).str.strip().eq(""), "no_issue_time", cols["issued"],
         get("issued"))

    issued = times["issued"]
    day = issued.dt.normalize()
    mins = {f: (t - day).dt.total_seconds() / 60 for f, t in times.items()}
    eps = 1e-9
    flag((mins["called"] < mins["issued"] - eps), "called_before_issued", cols.get("called", ""), get("called") if "called" in cols else status_txt)
    neg = (mins["end"] < mins["start"] - eps) | (mins["start"] < mins["called"] - eps)
    flag(neg, "negative_duration", cols.get("end", ""), get("end") if "end" in cols else status_txt)

    duration = None
    if "duration_s" in cols:
        duration = pd.to_numeric(get("duration_s").replace("", np.nan), errors="coerce")
        flag(duration < 0, "negative_duration", cols["duration_s"], get("duration_s"))
        duration = duration / 60

    ticket = get("ticket").astype(str).str.strip()
    visit = get("visit").astype(str).str.strip() if "visit" in cols else ticket

    ages = pd.Series(np.nan, index=raw.index)
    age_source = None
    if "age" in cols:
        age_source = cols["age"]
        txt = get("age").astype(str).str.strip()
        ages = pd.to_numeric(txt.replace("", np.nan), errors="coerce")
        flag(ages.isna() & txt.ne(""), "bad_age", cols["age"], txt)
    elif "id_number" in cols:
        age_source = cols["id_number"]
        ages, bad_id = _age_from_id(get("id_number"), issued)
        flag(bad_id, "bad_age", cols["id_number"], get("id_number"))
    booked_known = "booked" in cols
    booked = _flag(get("booked"))[0] if booked_known else pd.Series(pd.array([pd.NA] * n, dtype="boolean"),
                                                                       index=raw.index)

    bad_lines = {r["line"] for r in bad_rows}
    ok = ~line.isin(bad_lines)
    # duplicates among the good rows: same ticket on the same date (Qmatic: same visit and transaction)
    key = pd.DataFrame({"d": day, "t": ticket, "v": visit, "c": times["called"]})
    dup = ok & key.duplicated(subset=["d", "t", "v", "c"] if "visit" in cols else ["d", "t"], keep="first") & ok
    flag(dup, "duplicate_ticket", cols["ticket"], ticket)
    ok &= ~dup

    bad = pd.DataFrame(bad_rows, columns=["line", "kind", "column", "value"]).sort_values(["line", "kind"],
                                                                                           kind="stable")
    n_bad = int((~ok).sum())
    if n_bad > MOSTLY_BAD * n:
        lines = [f"{src}: {n_bad} of {n} rows are bad; the log is refused:"]
        lines += [f"  {s}" for s in ReadLog(src, lay.name, enc, n, pd.DataFrame(), bad, {}, None, False).bad_summary()]
        raise LogError(*lines)

    business = get("business").astype(str).str.strip()
    codes = set(services)
    service = business.map(lambda b: lay.services.get(b, b if b in codes else None))
    window = get("window").astype(str).str.strip() if "window" in cols else pd.Series("", index=raw.index)
    window = window.map(lambda w: lay.windows.get(w, w))
    frame = pd.DataFrame({
        "line": line, "ticket": ticket, "visit": visit, "first": True, "date": day.dt.date,
        "business": business, "service": service,
        "issued_min": mins["issued"], "called_min": mins["called"], "start_min": mins["start"], "end_min": mins["end"],
        "service_min": duration if duration is not None else np.nan,
        "window": window, "staff": get("staff") if "staff" in cols else "",
        "outcome": outcome, "elderly": (ages >= elderly_age).astype("boolean").where(ages.notna(), pd.NA),
        "booked": booked, "slot_min": mins["slot"],
    })[ok]
    gone = frame["outcome"].eq(MISSED)
    missed_rows = frame.loc[gone, ["date", "business", "service", "slot_min"]].reset_index(drop=True)
    frame = frame[~gone]
    frame = _merge_transactions(frame) if "visit" in cols else frame
    tickets = finish_tickets(frame)
    unmatched = tickets.loc[tickets["service"].isna(), "business"].value_counts().to_dict()
    return ReadLog(src, lay.name, enc, n, tickets, bad, {str(k): int(v) for k, v in unmatched.items()},
                   age_source, booked_known, [], missed_rows if booked_known else None, "slot" in cols)


def _merge_transactions(frame: pd.DataFrame) -> pd.DataFrame:
    """Qmatic transactions → tickets: within a visit, rows in order of creation; a row
    that repeats the previous row's service and creation time is a recall and replaces it
    (the last call counts); every later transaction (after a transfer) is a ticket with
    ``first`` False."""
    f = frame.sort_values(["date", "visit", "issued_min", "called_min"], kind="stable", na_position="last")
    same = (f["visit"].eq(f["visit"].shift(-1)) & f["date"].eq(f["date"].shift(-1))
            & f["business"].eq(f["business"].shift(-1)) & f["issued_min"].eq(f["issued_min"].shift(-1)))
    f = f[~same.to_numpy()]
    f = f.assign(first=~(f["visit"].eq(f["visit"].shift()) & f["date"].eq(f["date"].shift())))
    return f.sort_values(["date", "issued_min"], kind="stable")
