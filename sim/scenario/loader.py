"""Reading scenarios from YAML, with ``extends:`` inheritance and field-named errors.

A scenario file may start with ``extends: other.yaml`` (a path relative to the file);
the other file is read first and this file's keys override it: mappings merge key by
key, anything else (lists, numbers, strings) replaces. A what-if variant is therefore a
few lines.

Every problem is reported as ``FILE: field.path: message``, one line per field, by
:class:`ScenarioError`.
"""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml
from pydantic import ValidationError

from sim.scenario.checks import refusals
from sim.scenario.messages import from_pydantic, localise, say
from sim.scenario.days import calendar_problems
from sim.scenario.schema import Scenario, cross_check

__all__ = [
    "ScenarioError",
    "load_scenario",
    "load_scenario_text",
    "default_scenario",
    "DEFAULT_SCENARIO_NAME",
    "merge",
    "with_overrides",
    "scenario_to_yaml",
]

DEFAULT_SCENARIO_NAME = "default_hall.yaml"
_DIST_TAGS = {"exponential", "lognormal", "gamma", "triangular", "uniform", "fixed", "empirical"}


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` holds (field path, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self, lang: str = "en") -> list[str]:
        """One line per problem: ``source: path: message``, the message in ``lang``
        (see :func:`sim.messages.localise`)."""
        return [f"{self.source}: {path}: {localise(msg, lang)}" if path else f"{self.source}: {localise(msg, lang)}"
                for path, msg in self.problems]


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: mappings merge recursively, other values replace.

    A distribution (a mapping with a ``dist`` key) replaces as a whole, so a variant can
    swap a lognormal for an exponential without inheriting ``cv``.
    """
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping) and "dist" not in value:
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (plain YAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:  # a mapping or list as a key: SafeLoader refuses it with its own message
                continue
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, say("yaml.duplicate_key", key=key, line=seen[key].start_mark.line + 1),
                    key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep)


def read_yaml_text(text: str):
    """Parse YAML like ``yaml.safe_load`` but refuse duplicate keys (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def read_mapping_yaml(text: str, source: str) -> dict[str, Any]:
    try:
        data = read_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(source, [("", say("yaml.invalid", where=where, problem=problem))]) from None
    if data is None:
        raise ScenarioError(source, [("", say("yaml.empty"))])
    if not isinstance(data, dict):
        raise ScenarioError(source, [("", say("yaml.not_mapping", kind=type(data).__name__))])
    return data


def _resolve(data: dict[str, Any], source: str, base_dir: Path | None, chain: tuple[str, ...]) -> dict[str, Any]:
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(source, [("extends", say("extends.not_name", value=parent))])
    path = (base_dir or Path.cwd()) / parent
    key = str(path.resolve())
    if key in chain:
        raise ScenarioError(source, [("extends", say("extends.circular", name=parent))])
    if not path.is_file():
        raise ScenarioError(source, [("extends", say("extends.missing", path=str(path)))])
    base = _resolve(read_mapping_yaml(path.read_text(encoding="utf-8"), str(path)), str(path), path.parent, chain + (key,))
    return merge(base, data)


def _path(loc: tuple) -> str:
    parts = [str(p) for i, p in enumerate(loc) if not (p in _DIST_TAGS and i < len(loc) - 1) and "[" not in str(p)]
    return ".".join(parts)


def validate(data: Mapping[str, Any], source: str) -> Scenario:
    """A :class:`Scenario` from a plain mapping, or :class:`ScenarioError` naming each field."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [(_path(e["loc"]), from_pydantic(e)) for e in exc.errors()]
        raise ScenarioError(source, problems) from None
    problems = cross_check(scenario)
    problems += calendar_problems(scenario)
    if not problems:  # semantic refusals (sim.scenario.checks) need a consistent scenario
        problems = refusals(scenario)
    if problems:
        raise ScenarioError(source, problems)
    return scenario


def load_scenario_text(text: str, source: str = "<text>", base_dir: str | Path | None = None) -> Scenario:
    """A scenario from YAML text (an upload); ``extends`` is resolved against ``base_dir``."""
    data = read_mapping_yaml(text, source)
    data = _resolve(data, source, Path(base_dir) if base_dir else None, ())
    return validate(data, source)


def load_scenario(path: str | Path) -> Scenario:
    """The scenario in a YAML file, with its ``extends`` chain resolved and validated."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(str(p), [("", say("file.missing"))])
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(p), [("", say("file.unreadable", error=exc))]) from None
    data = read_mapping_yaml(text, str(p))
    data = _resolve(data, str(p), p.parent, (str(p.resolve()),))
    return validate(data, str(p))


def default_scenario() -> Scenario:
    """The embedded default hall (a county hall; the same as ``scenarios/county_hall.yaml``)."""
    text = resources.files("sim.data").joinpath(DEFAULT_SCENARIO_NAME).read_text(encoding="utf-8")
    return load_scenario_text(text, source=f"<embedded {DEFAULT_SCENARIO_NAME}>")


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain data (JSON/YAML-ready) for a scenario, as a file would write it."""
    return scenario.model_dump(mode="json", by_alias=True)


def scenario_to_yaml(scenario: Scenario) -> str:
    """YAML text that :func:`load_scenario_text` reads back to an equal scenario."""
    return yaml.safe_dump(scenario_to_dict(scenario), sort_keys=False, allow_unicode=True)


def with_overrides(scenario: Scenario, overrides: Mapping[str, Any], source: str = "<overrides>") -> Scenario:
    """A new scenario with fields replaced by dotted path (``demand.visitors_per_day``;
    list items by index, ``windows.0.services``). Unknown paths raise ScenarioError."""
    data = scenario_to_dict(scenario)
    problems = []
    for dotted, value in overrides.items():
        node: Any = data
        parts = dotted.split(".")
        try:
            for part in parts[:-1]:
                node = node[int(part)] if isinstance(node, list) else node[part]
            last = parts[-1]
            if isinstance(node, list):
                node[int(last)] = value
            elif isinstance(node, dict) and (last in node or _is_mapping_field(parts)):
                node[last] = value
            else:
                raise KeyError(last)
        except (KeyError, IndexError, ValueError, TypeError):
            problems.append((dotted, say("field.unknown_path")))
    if problems:
        raise ScenarioError(source, problems)
    return validate(data, source)


def _is_mapping_field(parts: list[str]) -> bool:
    """True where the parent of the last part is a free mapping (services, mixes, factors)."""
    free = {("services",), ("demand", "service_mix"), ("demand", "weekday_factors"),
            ("demand", "hourly_profile"), ("demand", "by_date"), ("devices", "shared"), ("hall", "opening_hours")}
    return tuple(parts[:-1]) in free
