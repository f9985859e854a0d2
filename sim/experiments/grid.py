"""Sweep grids: which scenario fields a sweep varies, and the values each one takes.

A grid file is a YAML mapping from a **dotted path** of a scenario field (as in
:func:`sim.loader.with_overrides`: ``demand.visitors_per_day``, ``windows.0.services``) to
the values that field takes, in one of two forms:

- a **list** of values: ``demand.visitors_per_day: [120, 140, 180]``. Each value is its
  own label; a value that is a list or a mapping (a whole roster) is labelled ``#1``,
  ``#2``, … by its place in the list;
- a **mapping of labels to values** (named variants): ``staff: {six_staff: [...],
  five_staff: [...]}``. The labels name the values in point tables and on screens, which
  is what a planner wants for a roster or a window layout.

The sweep runs every combination (the Cartesian product, the last path varying fastest).
Design point *i* is named ``p000``, ``p001``, … in that order, so the names are stable as
long as the grid is the same. Problems are :class:`~sim.loader.ScenarioError`\\ s naming
the grid file and the path: ``grid.yaml: demand.visitors_pr_day: no such field in the
scenario``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import yaml

from sim.scenario.loader import ScenarioError, scenario_to_dict, with_overrides
from sim.scenario.loader import read_mapping_yaml as read_yaml
from sim.scenario.schema import Scenario

__all__ = ["Grid", "Parameter", "load_grid", "parse_grid", "grid_to_yaml", "point_ids", "point_scenarios"]


@dataclass(frozen=True)
class Parameter:
    """One swept field: its dotted ``path``, the ``values`` it takes and their ``labels``
    (what point tables show; numbers stay numbers when every value is a number)."""

    path: str
    values: tuple[Any, ...]
    labels: tuple[Any, ...]
    named: bool = False
    """True for the mapping form (labels chosen by the grid's author)."""


@dataclass(frozen=True)
class Grid:
    """The parameters of a sweep, in grid-file order, and where they came from."""

    parameters: tuple[Parameter, ...]
    source: str = "<grid>"

    @property
    def paths(self) -> list[str]:
        """The dotted paths, in grid order (the column names of point tables)."""
        return [p.path for p in self.parameters]

    def __len__(self) -> int:
        """Number of design points (the product of the numbers of values)."""
        n = 1
        for p in self.parameters:
            n *= len(p.values)
        return n

    def combinations(self) -> list[tuple[int, ...]]:
        """The index of each parameter's value, per design point, in point order."""
        return list(itertools.product(*(range(len(p.values)) for p in self.parameters)))

    def points(self) -> pd.DataFrame:
        """One row per design point: ``point`` id, then one column per path (its label)."""
        combos = self.combinations()
        columns: dict[str, Any] = {"point": pd.Series(point_ids(len(self)), dtype="str")}
        for k, p in enumerate(self.parameters):  # a column keeps the type its labels share
            columns[p.path] = pd.Series([p.labels[c[k]] for c in combos], dtype=_label_dtype(p.labels))
        return pd.DataFrame(columns)

    def overrides(self) -> list[dict[str, Any]]:
        """The ``{path: value}`` overrides of each design point, in point order."""
        return [{p.path: p.values[i] for p, i in zip(self.parameters, combo)} for combo in self.combinations()]

    def canonical(self) -> list[dict[str, Any]]:
        """Plain data equal for equal grids whatever the file's layout or comments."""
        return [{"path": p.path, "labels": list(p.labels), "values": list(p.values), "named": p.named}
                for p in self.parameters]

    def digest(self) -> str:
        """``sha256:<hex>`` of :meth:`canonical` (what a resumed sweep must match)."""
        text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False, default=str)
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def point_ids(n: int) -> list[str]:
    """``p000``, ``p001``, … for ``n`` points (wider when there are more than 1000)."""
    width = max(3, len(str(max(n - 1, 0))))
    return [f"p{i:0{width}d}" for i in range(n)]


_MISSING = object()


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _label_dtype(labels) -> str:
    if all(isinstance(v, bool) for v in labels):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in labels):
        return "int64"
    if all(_is_number(v) for v in labels):
        return "float64"
    return "str"


def _list_labels(values: list[Any]) -> tuple[Any, ...]:
    """Labels of the list form: the values themselves when all are numbers, all bools or
    all strings; otherwise text (``null``, ``400``) for scalars and ``#k`` for the rest."""
    if all(_is_scalar(v) and v is not None for v in values) and (
            all(_is_number(v) for v in values) or all(isinstance(v, bool) for v in values)
            or all(isinstance(v, str) for v in values)):
        return tuple(values)
    return tuple(yaml.safe_dump(v, default_flow_style=True).strip().removesuffix("...").strip()
                 if _is_scalar(v) else f"#{k + 1}" for k, v in enumerate(values))


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_grid(data: Any, source: str = "<grid>") -> Grid:
    """A :class:`Grid` from plain data (a parsed grid file); every problem of its form
    is reported at once as a :class:`ScenarioError` naming ``source`` and the path."""
    if data is None:
        raise ScenarioError(source, [("", "the grid is empty: give at least one dotted path and its values")])
    if not isinstance(data, Mapping):
        raise ScenarioError(source, [("", "expected a mapping of dotted paths to lists of values "
                                          f"(got {type(data).__name__})")])
    if not data:
        raise ScenarioError(source, [("", "the grid is empty: give at least one dotted path and its values")])
    problems: list[tuple[str, str]] = []
    params = []
    for path, spec in data.items():
        if not isinstance(path, str) or not path or any(not part for part in path.split(".")):
            problems.append((str(path), "expected a dotted path of a scenario field, like demand.visitors_per_day"))
            continue
        if isinstance(spec, Mapping):
            if not spec:
                problems.append((path, "empty mapping: give at least one label: value"))
                continue
            bad = [k for k in spec if not isinstance(k, (str, int, float)) or isinstance(k, bool)]
            if bad:
                problems.append((path, f"labels must be names or numbers (got {bad[0]!r})"))
                continue
            labels = tuple(str(k) for k in spec)
            if len(set(labels)) != len(labels):
                problems.append((path, "two labels read the same; give each variant its own name"))
                continue
            params.append(Parameter(path, tuple(spec.values()), labels, named=True))
        elif isinstance(spec, list):
            if not spec:
                problems.append((path, "empty list: give at least one value"))
                continue
            seen: list[Any] = []
            dup = next((v for v in spec if v in seen or seen.append(v)), _MISSING)
            if dup is not _MISSING:
                problems.append((path, f"the value {_short(dup)} appears twice"))
                continue
            params.append(Parameter(path, tuple(spec), _list_labels(spec)))
        else:
            problems.append((path, f"expected a list of values or a mapping of labels to values "
                                   f"(got {_short(spec)}; write [{_short(spec)}] for a single value)"))
    if problems:
        raise ScenarioError(source, problems)
    return Grid(tuple(params), source)


def load_grid(path: str | Path) -> Grid:
    """The grid in a YAML file (see the module docstring for its form)."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problem = f"cannot read the file: {exc}" if Path(path).exists() else "no such file"
        raise ScenarioError(source, [("", problem)]) from None
    return parse_grid(read_yaml(text, source), source)


def grid_to_yaml(grid: Grid) -> str:
    """YAML text that :func:`load_grid` reads back to an equal grid."""
    data = {p.path: dict(zip(p.labels, p.values)) if p.named else list(p.values) for p in grid.parameters}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _field_at(data: Any, path: str) -> Any:
    """The value at a dotted path of plain scenario data, or None when there is none."""
    node = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def point_scenarios(base: Scenario, grid: Grid) -> list[Scenario]:
    """The scenario of every design point, validated; raises one :class:`ScenarioError`
    naming the grid file for unknown paths, or for values that make a point invalid
    (each distinct problem once, with the first point it occurs at)."""
    problems: list[tuple[str, str]] = []
    data = scenario_to_dict(base)
    for p in grid.parameters:  # unknown paths first: one line each, not one per point
        try:
            with_overrides(base, {p.path: p.values[0]}, grid.source)
            accepted = True  # e.g. a shorthand the schema takes (policies.green_channel: none)
        except ScenarioError as exc:
            accepted = False
            problems += [(f, m) for f, m in exc.problems if f == p.path and m == "no such field in the scenario"]
        current = _field_at(data, p.path)
        if not accepted and isinstance(current, dict) and current and "dist" not in current and any(
                v is not None and not isinstance(v, Mapping) for v in p.values):
            fields = ", ".join(current)
            problems.append((p.path, f"is a group of fields ({fields}): each value must be a whole mapping, "
                                     f"or sweep one of its fields, e.g. {p.path}.{next(iter(current))}"))
    if problems:
        raise ScenarioError(grid.source, problems)
    scenarios: list[Scenario] = []
    seen: dict[tuple[str, str], list[str]] = {}
    points = grid.points()
    for pid, overrides in zip(points["point"], grid.overrides()):
        try:
            scenarios.append(with_overrides(base, overrides, grid.source))
        except ScenarioError as exc:
            for field, msg in exc.problems:
                seen.setdefault((field, msg), []).append(pid)
    if seen:
        index = dict(zip(points["point"], points.drop(columns="point").to_dict("records")))
        for (field, msg), pids in seen.items():
            where = ", ".join(f"{k}={v}" for k, v in index[pids[0]].items())
            more = f" (and {len(pids) - 1} more point{'s' if len(pids) > 2 else ''})" if len(pids) > 1 else ""
            problems.append((f"point {pids[0]} ({where}){more}", f"{field}: {msg}" if field else msg))
        raise ScenarioError(grid.source, problems)
    return scenarios
