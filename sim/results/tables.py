"""Tidy pandas tables of a batch of replications, built only when asked for.

:class:`Tables` maps ``visits``, ``windows``, ``staff``, ``devices`` and ``queue`` to one
DataFrame each, holding every replication, with the columns of
:data:`sim.model.records.COLUMNS` (``replication`` first) and stable dtypes (``*_min`` and
``ticket`` float, counters int, flags bool, the rest text). A table is built on first
access, once for all replications, from the replications' columns; a run that needs only
KPIs never builds one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.model.records import COLUMNS, INTERVAL_TABLES, ReplicationRecord, column_names, concat_columns, empty_columns

__all__ = ["TABLE_NAMES", "Tables", "columns_of", "table_of", "empty_tables"]

TABLE_NAMES = ("visits", *INTERVAL_TABLES)


def columns_of(name: str, records: Sequence[ReplicationRecord],
               fields: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """The columns of table ``name`` over ``records`` (in their order), ``replication``
    first: what :func:`table_of` puts in a DataFrame, without pandas. With ``fields``, only
    those columns (in that order; KeyError for one the table does not have)."""
    parts = [r.visits if name == "visits" else r.intervals[name] for r in records]
    if fields is not None:
        if not parts:
            empty = columns_of(name, records)
            return {f: empty[f] for f in fields}
        return {f: _replications(records, parts) if f == "replication" else
                (parts[0][f] if len(parts) == 1 else np.concatenate([p[f] for p in parts])) for f in fields}
    cols = concat_columns(parts, name) if parts else empty_columns(name)
    return {"replication": _replications(records, parts), **cols}


def _replications(records: Sequence[ReplicationRecord], parts: list[dict[str, np.ndarray]]) -> np.ndarray:
    """The ``replication`` column: each record's number repeated over its rows."""
    sizes = [len(p["day"]) for p in parts]
    return np.repeat(np.array([r.replication for r in records], dtype=np.int64), sizes)


_TEXT = pd.Series(["text"]).dtype
"""The dtype pandas gives a text column (its Arrow-backed ``str`` from pandas 3 on; object before)."""


def _text(values: np.ndarray):
    """A text column (object array of str and None) with pandas' own text dtype, built
    through one Arrow array: a third cheaper than pandas inferring it string by string."""
    if values.dtype != object or _TEXT == object:
        return values
    try:
        arrow = pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: pandas decides
        return values
    return pd.array(arrow, dtype=_TEXT)


def table_of(name: str, records: Sequence[ReplicationRecord]) -> pd.DataFrame:
    """Table ``name`` of ``records`` (in their order), with a ``replication`` column."""
    cols = columns_of(name, records)
    return pd.DataFrame({c: _text(v) for c, v in cols.items()},
                        columns=column_names(name, [c for c in cols if c not in COLUMNS[name]]))


class Tables(Mapping):
    """The tables of a batch of replications, each built on first access and kept."""

    def __init__(self, records: Sequence[ReplicationRecord]):
        self._records = tuple(records)
        self._built: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLE_NAMES:
            raise KeyError(name)
        frame = self._built.get(name)
        if frame is None:
            frame = self._built[name] = table_of(name, self._records)
        return frame

    def __iter__(self) -> Iterator[str]:
        return iter(TABLE_NAMES)

    def __len__(self) -> int:
        return len(TABLE_NAMES)

    def columns(self, name: str, fields: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """Table ``name`` (only ``fields`` when given) as numpy columns, without building
        its DataFrame (see :func:`columns_of`)."""
        if name not in TABLE_NAMES:
            raise KeyError(name)
        return columns_of(name, self._records, fields)

    @property
    def records(self) -> tuple[ReplicationRecord, ...]:
        """The replications' columns the tables are built from."""
        return self._records

    def __repr__(self) -> str:
        built = ", ".join(self._built) or "none"
        return f"Tables({len(self._records)} replications; built: {built})"


def empty_tables() -> dict[str, pd.DataFrame]:
    """Empty tables with every documented column."""
    return {name: pd.DataFrame(columns=list(cols)) for name, cols in COLUMNS.items()}
