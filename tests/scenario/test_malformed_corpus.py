"""A generated corpus of malformed scenario files — mutations of the shipped halls — each
refused by ``hallsim validate FILE`` with exit code 2, no traceback, and the file and the
field named.

The corpus is made here, deterministically (no random draws), from the files in
``scenarios/``: for each hall, every mutation of :data:`MUTATIONS` that applies to it
(deleting a required field, a wrong type, a negative, infinite or huge number, a bad date,
an unknown key, a bad distribution, deep nesting, an alias bomb, a bad encoding, a bad
``extends``, names with spaces …). ``benchmarks/bench_bad_input.py`` times the same corpus
and measures its memory.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from typer.testing import CliRunner

from sim.cli.main import app
from sim.scenario.loader import load_scenario, scenario_to_yaml

ROOT = Path(__file__).resolve().parents[2]
HALLS = ("county_hall.yaml", "city_hall.yaml", "bank_outlet.yaml", "county_issuance.yaml", "textbook/mmc.yaml",
         "textbook/mmc_priority.yaml")
RAW = "@@RAW@@"
"""A value replaced, after dumping, by raw YAML text (numbers YAML cannot dump, aliases, nesting)."""


@dataclass(frozen=True)
class Case:
    """One malformed file: its ``name``, its bytes, and the text (a field path, or a line)
    its report must name."""

    name: str
    content: bytes
    field: str


def _put(data: dict, path: tuple, value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    node[path[-1]] = value


def _drop(data: dict, path: tuple) -> None:
    node = data
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]


def _dump(data: dict, raw: str | None = None) -> bytes:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if raw is not None:
        text = text.replace(f"'{RAW}'", raw).replace(RAW, raw)
    return text.encode("utf-8")


Mutation = Callable[[dict, str], "tuple[bytes, str] | None"]
"""(hall data, file name) → (content, field named) or None when it does not apply to the hall."""


def _set(path: tuple, value: Any, shown: str | None = None, raw: str | None = None) -> Mutation:
    """Set ``path`` (``S`` stands for the hall's first service, ``W`` its first window,
    ``P`` its first staff member) to ``value``; the field named is the path."""

    def mutate(data: dict, name: str):
        real = _real(data, path)
        if real is None:
            return None
        _put(data, real, value)
        return _dump(data, raw), shown.format(*real) if shown else ".".join(map(str, real))
    return mutate


def _real(data: dict, path: tuple) -> tuple | None:
    first = {"S": next(iter(data["services"])), "W": 0, "P": 0}
    if "P" in path and not data.get("staff"):
        return None
    return tuple(first.get(p, p) if isinstance(p, str) and len(p) == 1 else p for p in path)


def _delete(path: tuple) -> Mutation:
    def mutate(data: dict, name: str):
        real = _real(data, path)
        _drop(data, real)
        return _dump(data), ".".join(map(str, real))
    return mutate


def _text(edit: Callable[[str, str], tuple[str, str]]) -> Mutation:
    def mutate(data: dict, name: str):
        text, field = edit(_dump(data).decode("utf-8"), name)
        return text.encode("utf-8"), field
    return mutate


def _latin1(data: dict, name: str):
    return _dump(data).replace(b"name: ", "name: caf\xe9 ".encode("latin-1"), 1), "hall"


def _bomb(data: dict, name: str):
    head = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9))
    return (head + "description: *a8\n").encode("utf-8") + _dump(data), "a"


def _duplicate(text: str, name: str) -> tuple[str, str]:
    return text + "hall: {}\n", "line"


NEST = "[" * 100 + "]" * 100
DEEPER = "[" * 5000 + "]" * 5000
DIGITS = "7" * 5000

MUTATIONS: dict[str, Mutation] = {
    # a required field deleted
    "no_hall_name": _delete(("hall", "name")),
    "no_level": _delete(("hall", "level")),
    "no_demand": _delete(("demand",)),
    "no_services": _delete(("services",)),
    "no_window_id": _delete(("windows", "W", "id")),
    "no_window_time": _delete(("services", "S", "window_time")),
    "no_mix": _delete(("demand", "service_mix")),
    # a wrong type
    "area_text": _set(("hall", "floor_area_m2"), "big"),
    "windows_mapping": _set(("windows",), {"W1": 1}),
    "days_fraction": _set(("run", "days"), 2.5),
    "instant_maybe": _set(("services", "S", "instant_issue"), "maybe"),
    "hours_list": _set(("hall", "opening_hours"), [1, 2]),
    "mix_list": _set(("demand", "service_mix"), [1, 2]),
    "shift_text": _set(("staff", "P", "shift"), "all day"),
    # negative
    "area_negative": _set(("hall", "floor_area_m2"), -3),
    "elderly_negative": _set(("demand", "elderly_share"), -0.1),
    "mean_negative": _set(("services", "S", "window_time"), {"dist": "exponential", "mean": -2}, "{0}.{1}.{2}.mean"),
    "reps_negative": _set(("run", "replications"), -1),
    "printers_negative": _set(("devices", "instant_printers", "count"), -1),
    # infinite, not a number, huge
    "visitors_inf": _set(("demand", "visitors_per_day"), float("inf")),
    "visitors_1e400": _set(("demand", "visitors_per_day"), RAW, raw="1e400"),
    "visitors_1e12": _set(("demand", "visitors_per_day"), 1e12),
    "visitors_5000_digits": _set(("demand", "visitors_per_day"), RAW, raw=DIGITS),
    "mix_nan": _set(("demand", "service_mix", "S"), float("nan")),
    "factor_inf": _set(("demand", "weekday_factors"), {"mon": float("inf")}, "demand.weekday_factors.mon"),
    "cv_huge": _set(("services", "S", "window_time"), {"dist": "lognormal", "mean": 5, "cv": 1e200},
                    "{0}.{1}.{2}.cv"),
    "uniform_high_inf": _set(("services", "S", "window_time"), {"dist": "uniform", "low": 1, "high": float("inf")},
                             "{0}.{1}.{2}.high"),
    "printers_billion": _set(("devices", "instant_printers", "count"), 10**9),
    "days_30_digits": _set(("run", "days"), 10**29),
    "absence_rate_inf": _set(("staff", "P", "absences"), {"rate_per_hour": float("inf")},
                             "staff.0.absences.rate_per_hour"),
    "area_1e300": _set(("hall", "floor_area_m2"), 1e300),
    # bad dates
    "date_feb_30": _set(("run", "start_date"), "2026-02-30"),
    "date_9999": _set(("run", "start_date"), RAW, raw="9999-12-28"),
    "closed_yesterday": _set(("run", "closed_dates"), ["yesterday"], "run.closed_dates.0"),
    "closed_far": _set(("run", "closed_dates"), [RAW], "run.closed_dates.0", raw="9999-12-28"),
    # unknown keys
    "hall_colour": _set(("hall", "colour"), "red"),
    "top_typo": _set(("demnad",), {"visitors_per_day": 3}),
    "service_typo": _set(("services", "S", "window_tme"), 3),
    # bad distributions
    "dist_typo": _set(("services", "S", "window_time"), {"dist": "exponental", "mean": 2}),
    "dist_number": _set(("services", "S", "window_time"), 2),
    "dist_no_cv": _set(("services", "S", "window_time"), {"dist": "lognormal", "mean": 2}, "{0}.{1}.{2}.cv"),
    "dist_no_kind": _set(("services", "S", "window_time"), {"mean": 2}),
    # clock times and cross-field problems
    "lunch_unquoted": _set(("hall", "lunch"), {"start": 750}, "hall.lunch.start"),
    "close_25": _set(("hall", "opening_hours"), {"mon": {"open": "08:00", "close": "25:00"}},
                     "hall.opening_hours.mon.close"),
    "window_unknown_service": _set(("windows", "W", "services"), ["nope"]),
    # structures that would exhaust the machine
    "mix_nested_100": _set(("demand", "service_mix"), RAW, raw=NEST),
    "name_nested_5000": _set(("hall", "name"), RAW, "hall", raw=DEEPER),
    "alias_bomb": _bomb,
    "level_100k_chars": _set(("hall", "level"), "x" * 100_000),
    "duplicate_key": _text(_duplicate),
    # encodings
    "latin1_name": _latin1,
    # extends
    "extends_missing": _set(("extends",), "missing.yaml"),
    "extends_proc": _set(("extends",), "/proc/self/mem"),
    "extends_itself": lambda data, name: (f"extends: {Path(name).name}\n".encode() + _dump(data), "extends"),
    # names
    "staff_name_space": _set(("staff", "P", "name"), "张 伟"),
    "window_id_dot": _set(("windows", "W", "id"), "窗口.1"),
}


def corpus() -> list[Case]:
    """Every mutation that applies to every hall of :data:`HALLS`, in a fixed order."""
    cases = []
    for hall in HALLS:
        base = yaml.safe_load((ROOT / "scenarios" / hall).read_text(encoding="utf-8"))
        if "extends" in base:  # a variant: mutate the whole hall it makes
            base = yaml.safe_load(scenario_to_yaml(load_scenario(ROOT / "scenarios" / hall)))
        stem = Path(hall).stem
        for label, mutate in MUTATIONS.items():
            name = f"{stem}__{label}.yaml"
            made = mutate(copy.deepcopy(base), name)
            if made is not None:
                cases.append(Case(name, made[0], made[1]))
    return cases


CORPUS = corpus()
runner = CliRunner()


def test_the_corpus_is_large_and_covers_every_shipped_hall():
    """At least 150 files, from every hall of HALLS, with every kind of mutation."""
    assert len(CORPUS) >= 150
    assert {c.name.split("__")[0] for c in CORPUS} == {Path(h).stem for h in HALLS}
    assert {c.name.split("__")[1][:-5] for c in CORPUS} == set(MUTATIONS)


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_validate_refuses_each_malformed_file_naming_file_and_field(tmp_path, case):
    """`hallsim validate FILE` exits 2 without a traceback, naming the file and the field,
    in the project's words (no pydantic "Input should …"), in lines of bounded length."""
    path = tmp_path / case.name
    path.write_bytes(case.content)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines and all(line.startswith(str(path)) for line in lines), result.output[:2000]
    assert any(case.field in line for line in lines), (case.field, result.output[:2000])
    assert "Input should" not in result.output and "String should" not in result.output
    assert max(len(line) for line in lines) < 600
