"""Reading scenarios from YAML, with ``extends:`` inheritance and field-named errors.

A scenario file may start with ``extends: other.yaml`` (a path relative to the file);
the other file is read first and this file's keys override it: mappings merge key by
key, anything else (lists, numbers, strings) replaces. A what-if variant is therefore a
few lines.

Two ways in, trusted differently:

* a file given on the command line (:func:`load_scenario`, :func:`read_scenario`) may
  extend any ``.yaml``/``.yml`` file by a path relative to it;
* text from elsewhere — an upload, a paste (:func:`load_scenario_text`,
  :func:`load_upload`) — may only extend a *shipped* scenario, by name: a file of the
  scenario folder given as ``base_dir`` (``county_hall.yaml``, ``textbook/mmc.yaml``) or
  the embedded ``default_hall.yaml``. No other path is ever opened for it, every unknown
  name gets the same answer whether or not such a file exists, and no error quotes a file
  the user did not write.

Every input is bounded before it is built (:mod:`sim.scenario.limits`): at most 1 MB of
text, nesting at most 32 deep, at most 50,000 values after expanding YAML aliases (an
alias bomb is refused unbuilt), numbers of at most 40 characters. Files are read as UTF-8
(with or without a byte-order mark), UTF-16 with a byte-order mark, or GB18030/GBK (what
Chinese Windows editors save); :class:`LoadedScenario` says which.

Every problem is reported as ``FILE: field.path: message``, one line per field, by
:class:`ScenarioError`; nothing else escapes (an unreadable file, ``/proc/self/mem``, a
directory, are problems of the file too).
"""

from __future__ import annotations

import codecs
import copy
import os
import stat
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml
from pydantic import ValidationError

from sim.scenario.checks import refusals
from sim.scenario.limits import (MAX_DEPTH, MAX_EXTENDS, MAX_FILE_BYTES, MAX_NAME_CHARS, MAX_NUMBER_CHARS,
                                 MAX_PROBLEMS, MAX_VALUES)
from sim.scenario.messages import Message, from_pydantic, localise, say, short
from sim.scenario.days import calendar_problems
from sim.scenario.schema import Scenario, cross_check

__all__ = [
    "ScenarioError",
    "LoadedScenario",
    "load_scenario",
    "load_scenario_text",
    "load_upload",
    "load_file_text",
    "read_scenario",
    "decode_scenario",
    "shipped_names",
    "default_scenario",
    "DEFAULT_SCENARIO_NAME",
    "merge",
    "with_overrides",
    "scenario_to_yaml",
]

DEFAULT_SCENARIO_NAME = "default_hall.yaml"
_DIST_TAGS = {"exponential", "lognormal", "gamma", "triangular", "uniform", "fixed", "empirical"}
_YAML_SUFFIXES = (".yaml", ".yml")


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` holds (field path, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]], given: str | None = None):
        self.source = source
        self.problems = list(problems)
        self.given = given
        """The file of an ``extends`` chain the problems are in, when not ``source`` itself."""
        super().__init__("\n".join(self.lines()))

    def lines(self, lang: str = "en") -> list[str]:
        """One line per problem: ``source: path: message``, the message in ``lang``
        (see :func:`sim.messages.localise`); ``source (extends FILE)`` when the problem is
        in a file the given one extends."""
        where = self.source if self.given is None else f"{self.source} (extends {self.given})"
        return [f"{where}: {path}: {localise(msg, lang)}" if path else f"{where}: {localise(msg, lang)}"
                for path, msg in self.problems]


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario and how it was read: ``encoding`` of the given file or upload
    (``UTF-8``, ``UTF-8 with BOM``, ``UTF-16``, ``GB18030``) and ``notes``, (source,
    message) pairs worth telling (a file read as GB18030 rather than UTF-8)."""

    scenario: Scenario
    source: str
    encoding: str
    notes: tuple[tuple[str, Message], ...] = ()

    def note_lines(self, lang: str = "en") -> list[str]:
        """One line per note: ``source: note``."""
        return [f"{src}: {localise(msg, lang)}" for src, msg in self.notes]


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


# ------------------------------------------------------------------ bytes -> text
def decode_scenario(raw: bytes, source: str) -> tuple[str, str]:
    """(text, encoding) of a scenario file's bytes: UTF-8 (a byte-order mark is dropped),
    UTF-16 with a byte-order mark, else GB18030 (which includes GBK, what Notepad saves as
    "ANSI" on Chinese Windows). ScenarioError when larger than
    :data:`~sim.scenario.limits.MAX_FILE_BYTES` or none of these, with the hint to save as UTF-8."""
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(source, [("", say("file.too_big", limit=MAX_FILE_BYTES))])
    attempts: list[tuple[str, str, bytes]]
    if raw.startswith(codecs.BOM_UTF8):
        attempts = [("utf-8", "UTF-8 with BOM", raw[len(codecs.BOM_UTF8):])]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        attempts = [("utf-16", "UTF-16", raw)]
    else:
        attempts = [("utf-8", "UTF-8", raw), ("gb18030", "GB18030", raw)]
    first_bad = None
    for codec, name, data in attempts:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError as exc:
            first_bad = exc.start if first_bad is None else first_bad
    bad = first_bad or 0
    line = raw[:bad].count(b"\n")
    field = _top_key(raw[: bad + 1].decode("utf-8", "replace"), line)
    raise ScenarioError(source, [(field, say("file.encoding", line=line + 1, byte=bad + 1))])


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, at most one more than the size cap; every OSError
    (a missing file, a directory, a device, ``/proc/self/mem``) is a ScenarioError."""
    source = str(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise ScenarioError(source, [("", say("file.missing"))]) from None
    except (OSError, ValueError) as exc:
        raise ScenarioError(source, [("", say("file.unreadable", error=_why(exc)))]) from None
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(source, [("", say("file.not_regular"))])
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise ScenarioError(source, [("", say("file.unreadable", error=_why(exc)))]) from None


def _why(exc: Exception) -> str:
    """The reason of an OSError as the system says it ("Input/output error")."""
    return getattr(exc, "strerror", None) or type(exc).__name__


# ------------------------------------------------------------------ text -> data
class _Refused(Exception):
    """A YAML input refused while composing it: ``path`` is where, ``message`` why."""

    def __init__(self, path: str, message: Message):
        super().__init__(message)
        self.path, self.message = path, message


_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_FAST = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
"""libyaml's parser when PyYAML was built with it (a hundred times faster), else PyYAML's own."""


class _Frame:
    """An open mapping or list while :func:`_check_events` walks a document."""

    __slots__ = ("mapping", "anchor", "size", "index", "key", "want_key")

    def __init__(self, mapping: bool, anchor: str | None):
        self.mapping, self.anchor, self.size = mapping, anchor, 1
        self.index, self.key, self.want_key = 0, "?", True

    def part(self) -> str | None:
        """This container's part of the path of the node being read."""
        if not self.mapping:
            return str(self.index)
        return None if self.want_key else self.key


def _check_events(text: str) -> None:
    """Walk the YAML events of ``text`` (no objects built) and raise :class:`_Refused` at
    nesting deeper than MAX_DEPTH, a number longer than MAX_NUMBER_CHARS characters, an
    alias inside the value it names, or more than MAX_VALUES values once aliases are
    expanded (an alias bomb is refused before it is built). Syntax errors raise
    ``yaml.YAMLError`` as the parser words them."""
    resolver = yaml.resolver.Resolver()
    stack: list[_Frame] = []
    sizes: dict[str, int] = {}
    aliases: list[str] = []
    composed = 0

    def where() -> str:
        return ".".join(p for p in (f.part() for f in stack) if p is not None)

    def done(size: int, anchor: str | None, key: str) -> None:
        if anchor is not None:
            sizes[anchor] = size
        if not stack:
            return
        parent = stack[-1]
        parent.size += size
        if parent.size > MAX_VALUES:
            raise _Refused(where(), say("yaml.alias_bomb", alias=aliases[-1], limit=MAX_VALUES) if aliases
                           else say("yaml.too_many", limit=MAX_VALUES))
        if parent.mapping:
            if parent.want_key:
                parent.key = key
            parent.want_key = not parent.want_key
        else:
            parent.index += 1

    for event in yaml.parse(text, Loader=_FAST):
        if isinstance(event, yaml.ScalarEvent):
            composed += 1
            value = event.value
            if not event.style and len(value) > MAX_NUMBER_CHARS and event.implicit[0] \
                    and resolver.resolve(yaml.ScalarNode, value, (True, False)) in _NUMBER_TAGS:
                raise _Refused(where(), say("yaml.number_too_long", chars=len(value), limit=MAX_NUMBER_CHARS))
            done(1, event.anchor, short(value, MAX_NAME_CHARS))
        elif isinstance(event, yaml.AliasEvent):
            if any(f.anchor == event.anchor for f in stack):
                raise _Refused(where(), say("yaml.alias_cycle", alias=event.anchor))
            aliases.append(event.anchor)
            done(sizes.get(event.anchor, 1), None, "?")
        elif isinstance(event, yaml.CollectionStartEvent):
            composed += 1
            stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), event.anchor))
            if len(stack) > MAX_DEPTH:
                parts = where().split(".")
                while parts and parts[-1].isdigit():  # x.0.0.0…: name the field, not the indices
                    parts.pop()
                raise _Refused(".".join(parts[:8]) + ("…" if len(parts) > 8 else ""),
                               say("yaml.too_deep", limit=MAX_DEPTH))
        elif isinstance(event, yaml.CollectionEndEvent):
            frame = stack.pop()
            done(frame.size, frame.anchor, "?")
        if composed > MAX_VALUES:
            raise _Refused(where(), say("yaml.too_many", limit=MAX_VALUES))


class _UniqueKeyLoader(_FAST):
    """A safe loader that refuses a key given twice in one mapping (plain YAML keeps the
    last); :func:`read_yaml_text` checks the document's size and shape first."""

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


def _top_key(text: str, line: int) -> str:
    """The top-level key whose value holds line ``line`` (0-based) of ``text``, or ""."""
    lines = text.split("\n", line + 1)[: line + 1]
    for row in reversed(lines):
        head = row.split(":", 1)[0].strip().strip("'\"")
        if row[:1] not in ("", " ", "\t", "-", "#", "[", "{") and ":" in row and head:
            return short(head, MAX_NAME_CHARS)
    return ""


def read_yaml_text(text: str):
    """Parse YAML like ``yaml.safe_load`` but refuse duplicate keys (raises
    ``yaml.YAMLError``) and inputs beyond the limits of :func:`_check_events` (raises
    ``_Refused``) before building anything."""
    _check_events(text)
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def read_mapping_yaml(text: str, source: str) -> dict[str, Any]:
    """The top-level mapping of a scenario's YAML text, or ScenarioError naming the line,
    the field or the limit."""
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError(source, [("", say("file.too_big", limit=MAX_FILE_BYTES))])
    try:
        data = read_yaml_text(text)
    except _Refused as exc:
        raise ScenarioError(source, [(exc.path, exc.message)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):  # libyaml stops at 1,000 levels
            where = _top_key(text, mark.line) if mark else ""
            raise ScenarioError(source, [(where, say("yaml.too_deep", limit=MAX_DEPTH))]) from None
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem = problem if isinstance(problem, Message) else short(str(problem), 160)
        raise ScenarioError(source, [("", say("yaml.invalid", where=where, problem=problem))]) from None
    except (ValueError, OverflowError, RecursionError, MemoryError) as exc:  # a value Python cannot build
        raise ScenarioError(source, [("", say("yaml.invalid", where="", problem=short(type(exc).__name__, 40)))]) \
            from None
    if data is None:
        raise ScenarioError(source, [("", say("yaml.empty"))])
    if not isinstance(data, dict):
        raise ScenarioError(source, [("", say("yaml.not_mapping", kind=type(data).__name__))])
    return data


# ------------------------------------------------------------------ extends
@dataclass(frozen=True)
class _Parent:
    """A file an ``extends`` names: its ``key`` (to detect cycles), its ``source`` (for
    messages), how to read its ``text`` and (encoding) and where its own extends resolve."""

    key: str
    source: str
    read: Callable[[], tuple[str, str]]
    folder: Path | None


def _file_parent(parent: str, source: str, folder: Path | None) -> _Parent:
    """The file ``parent`` relative to ``folder`` (a file given on the command line)."""
    if not parent.lower().endswith(_YAML_SUFFIXES):
        raise ScenarioError(source, [("extends", say("extends.not_yaml", value=parent))])
    path = (folder or Path.cwd()) / parent
    try:
        key = str(path.resolve())
        exists = path.exists()
    except (OSError, ValueError, RuntimeError):
        key, exists = str(path), False
    if not exists:
        raise ScenarioError(source, [("extends", say("extends.missing", path=str(path)))])
    return _Parent(key, str(path), lambda: decode_scenario(_read_bytes(path), str(path)), path.parent)


def shipped_names(base_dir: str | Path | None = None) -> dict[str, Path | None]:
    """The scenarios an uploaded or pasted scenario may extend, by name: every ``.yaml`` /
    ``.yml`` file of ``base_dir`` and its subfolders (``textbook/mmc.yaml``), each also
    without its suffix, and the embedded :data:`DEFAULT_SCENARIO_NAME` (value None)."""
    names: dict[str, Path | None] = {}
    if base_dir is not None:
        folder = Path(base_dir)
        try:
            files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in _YAML_SUFFIXES and p.is_file())
        except OSError:
            files = []
        for p in files:
            if not _is_scenario_file(p):
                continue  # a sweep's grid file, say
            rel = p.relative_to(folder).as_posix()
            names.setdefault(rel, p)
            names.setdefault(rel.rsplit(".", 1)[0], p)
    names[DEFAULT_SCENARIO_NAME] = None
    names.setdefault(DEFAULT_SCENARIO_NAME.rsplit(".", 1)[0], None)
    return names


def _is_scenario_file(path: Path) -> bool:
    """True when a shipped YAML file has a top-level ``hall:`` or ``extends:`` line."""
    try:
        head = _read_bytes(path)[:MAX_FILE_BYTES].decode("utf-8", "replace")
    except ScenarioError:
        return False
    return any(line.startswith(("hall:", "extends:")) for line in head.splitlines())


def _embedded_text() -> tuple[str, str]:
    return resources.files("sim.data").joinpath(DEFAULT_SCENARIO_NAME).read_text(encoding="utf-8"), "UTF-8"


def _shipped_parent(parent: str, source: str, base_dir: Path | None) -> _Parent:
    """The shipped scenario named ``parent``; any other name gets one answer, whether or
    not a file of that name exists anywhere."""
    names = shipped_names(base_dir)
    if parent not in names:
        listed = [n for n in names if n.lower().endswith(_YAML_SUFFIXES)]
        shown = Message(", ".join(listed[:12]) + (", …" if len(listed) > 12 else ""), "names")  # ours: not cut
        raise ScenarioError(source, [("extends", say("extends.not_shipped", names=shown, value=parent))])
    path = names[parent]
    if path is None:
        return _Parent(f"<embedded {DEFAULT_SCENARIO_NAME}>", f"<embedded {DEFAULT_SCENARIO_NAME}>", _embedded_text,
                       None)
    return _Parent(str(path.resolve()), str(path), lambda: decode_scenario(_read_bytes(path), str(path)), path.parent)


def _resolve(data: dict[str, Any], source: str, find: Callable[[str, str], _Parent], top: str,
             chain: tuple[tuple[str, str], ...], notes: list[tuple[str, Message]]) -> dict[str, Any]:
    """``data`` laid over the files its ``extends`` chain names. ``find(name, source)``
    locates a parent; ``chain`` holds (key, name) of the files read so far, the given one
    first; a cycle is reported against ``top``, the file the user gave."""
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(source, [("extends", say("extends.not_name", value=parent))])
    if len(chain) >= MAX_EXTENDS:
        raise ScenarioError(top, [("extends", say("extends.too_long", limit=MAX_EXTENDS))])
    found = find(parent, source)
    if found.key in {k for k, _ in chain}:
        names = " → ".join([n for _, n in chain] + [parent])
        raise ScenarioError(top, [("extends", say("extends.circular", chain=short(names, 200)))])
    try:
        text, encoding = found.read()
        if not encoding.startswith("UTF-8"):
            notes.append((found.source, say("file.read_as", encoding=encoding)))
        base_data = read_mapping_yaml(text, found.source)
        next_find = (lambda name, src: _file_parent(name, src, found.folder))
        base = _resolve(base_data, found.source, next_find, top, chain + ((found.key, parent),), notes)
    except ScenarioError as exc:
        if exc.source == top or exc.given is not None:
            raise
        raise ScenarioError(top, exc.problems, given=exc.source) from None
    return merge(base, data)


def _path(loc: tuple) -> str:
    parts = [short(str(p), MAX_NAME_CHARS) for i, p in enumerate(loc)
             if not (p in _DIST_TAGS and i < len(loc) - 1) and "[" not in str(p)]
    return ".".join(parts)


def _at_most(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first :data:`MAX_PROBLEMS` problems and a line saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return problems[:MAX_PROBLEMS] + [("", say("problems.more", n=len(problems) - MAX_PROBLEMS))]


def validate(data: Mapping[str, Any], source: str) -> Scenario:
    """A :class:`Scenario` from a plain mapping, or :class:`ScenarioError` naming each field."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [(_path(e["loc"]), from_pydantic(e)) for e in exc.errors()]
        raise ScenarioError(source, _at_most(problems)) from None
    problems = cross_check(scenario)
    problems += calendar_problems(scenario)
    if not problems:  # semantic refusals (sim.scenario.checks) need a consistent scenario
        problems = refusals(scenario)
    if problems:
        raise ScenarioError(source, _at_most(problems))
    return scenario


def load_scenario_text(text: str, source: str = "<text>", base_dir: str | Path | None = None) -> Scenario:
    """A scenario from YAML text that did not come from a file the user named (an upload,
    a paste, a stored variant). Its ``extends`` may only name a shipped scenario: a file of
    the folder ``base_dir`` (by its name relative to it) or the embedded
    ``default_hall.yaml``; see :func:`shipped_names`."""
    return _load_text(text, source, base_dir, "UTF-8").scenario


def load_file_text(text: str, path: str | Path) -> Scenario:
    """A scenario file's text checked before it is written to ``path`` (a file the user
    asked for, like :func:`load_scenario` reads): its ``extends`` follows a path relative to
    the folder of ``path``."""
    p = Path(path)
    source = str(p)
    return validate(_resolve_file(read_mapping_yaml(text, source), p, []), source)


def _resolve_file(data: dict[str, Any], p: Path, notes: list) -> dict[str, Any]:
    """``data`` of the file ``p`` with its ``extends`` chain resolved relative to its folder."""
    source = str(p)
    try:
        key = str(p.resolve())
    except (OSError, RuntimeError):
        key = source
    return _resolve(data, source, lambda name, src: _file_parent(name, src, p.parent), source, ((key, p.name),), notes)


def load_upload(raw: bytes, source: str, base_dir: str | Path | None = None) -> LoadedScenario:
    """:func:`load_scenario_text` of an uploaded file's bytes (decoded as
    :func:`decode_scenario` says; the encoding is in the result)."""
    text, encoding = decode_scenario(raw, source)
    return _load_text(text, source, base_dir, encoding)


def _load_text(text: str, source: str, base_dir: str | Path | None, encoding: str) -> LoadedScenario:
    folder = Path(base_dir) if base_dir else None
    notes: list[tuple[str, Message]] = []
    if not encoding.startswith("UTF-8"):
        notes.append((source, say("file.read_as", encoding=encoding)))
    data = read_mapping_yaml(text, source)
    data = _resolve(data, source, lambda name, src: _shipped_parent(name, src, folder), source,
                    (("<text>", source),), notes)
    return LoadedScenario(validate(data, source), source, encoding, tuple(notes))


def read_scenario(path: str | Path) -> LoadedScenario:
    """The scenario in a YAML file, with its ``extends`` chain resolved and validated, and
    the encoding it was read in."""
    p = Path(path)
    source = str(p)
    text, encoding = decode_scenario(_read_bytes(p), source)
    notes: list[tuple[str, Message]] = []
    if not encoding.startswith("UTF-8"):
        notes.append((source, say("file.read_as", encoding=encoding)))
    data = _resolve_file(read_mapping_yaml(text, source), p, notes)
    return LoadedScenario(validate(data, source), source, encoding, tuple(notes))


def load_scenario(path: str | Path) -> Scenario:
    """The scenario in a YAML file, with its ``extends`` chain resolved and validated."""
    return read_scenario(path).scenario


def default_scenario() -> Scenario:
    """The embedded default hall (a county hall; the same as ``scenarios/county_hall.yaml``)."""
    text, _ = _embedded_text()
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
