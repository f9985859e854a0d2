"""What the Scenario page edits of the optional sections — appointments, later steps of a
service, home visits (and any later section built the same way) — as plain values.

No Streamlit here. A section is edited as a set of widgets, each keyed by its field path
inside the section (``slot_min``, ``punctuality.early``); :func:`section_from_fields`
nests their values into the section's mapping on top of the scenario's own (so a field the
page does not show is kept), and reads the distribution fields written as text. A section
the planner leaves *off* is ``None`` (absent), so a scenario without it saves unchanged.

Tables: the booked share per service (:data:`BOOKED_COLUMNS`) and the later steps of one
service (:data:`STEP_COLUMNS`). A distribution is written as in a scenario file, a YAML
flow mapping: ``{dist: lognormal, mean: 3.0, cv: 0.4}`` (the braces may be left out).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import pandas as pd
import yaml

from sim.scenario.messages import say
from sim.scenario.schema import Scenario, Service
from sim.ui.editor import as_list, blank, filled_rows

__all__ = ["BOOKED_COLUMNS", "STEP_COLUMNS", "dist_text", "parse_dist", "clock_text", "parse_clocks",
           "section_from_fields", "booked_frame", "booked_from_frame", "steps_frame", "steps_from_frame"]

BOOKED_COLUMNS = {"service": "service code", "booked_share": "share of the service's demand that books (0–1)"}
STEP_COLUMNS = {
    "name": "step name, unique within the service",
    "windows": "window ids serving the step (or leave empty and give window_kind)",
    "window_kind": "every window of this kind serves the step: general, green or bank",
    "time": "minutes at the window, a distribution: {dist: lognormal, mean: 3, cv: 0.4}",
    "devices": "devices held during the step",
    "instant_issue": "the step ends with on-the-spot card making on an instant printer",
}


# ------------------------------------------------------------- distributions
def dist_text(dist: Any) -> str:
    """A distribution (model or mapping) as one line of YAML: ``{dist: lognormal, mean: 90.0, cv: 0.3}``."""
    data = dist.model_dump(mode="json", by_alias=True) if hasattr(dist, "model_dump") else dict(dist)
    return yaml.safe_dump(data, default_flow_style=True, sort_keys=False, width=10_000).strip()


def parse_dist(text: Any) -> dict[str, Any] | None:
    """The mapping of a distribution written as :func:`dist_text` writes it (braces may be
    left out); None for a blank cell. ValueError (a bilingual message) when it is not a
    mapping; its parameters are checked by validation."""
    if blank(text):
        return None
    if isinstance(text, Mapping):
        return dict(text)
    raw = str(text).strip()
    try:
        data = yaml.safe_load(raw if raw.startswith("{") else "{" + raw + "}")
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict) or any(v is None for v in data.values()):  # "{lognormal 90}" is a set
        raise ValueError(say("dist.text", text=raw))
    return data


def clock_text(clocks: Iterable[str]) -> str:
    """``"10:00, 14:30"`` for a list of clock times."""
    return ", ".join(clocks)


def parse_clocks(text: Any) -> list[str]:
    """Clock times separated by commas (or Chinese commas); each is checked by validation."""
    if blank(text):
        return []
    return [p.strip() for p in str(text).replace("，", ",").replace(";", ",").split(",") if p.strip()]


# ---------------------------------------------------------------- sections
def _nest(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dotted, value in values.items():
        node = out
        *heads, last = dotted.split(".")
        for head in heads:
            node = node.setdefault(head, {})
        node[last] = value
    return out


def _merge(base: dict[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in new.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def section_from_fields(section: str, current: Any, values: Mapping[str, Any],
                        dists: Iterable[str] = ()) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The mapping of the scenario section ``section`` from its widgets' ``values`` (keyed by
    field path inside the section), laid over ``current`` (the scenario's section, a model
    or None); the ``dists`` fields are distribution texts (:func:`parse_dist`). Returns the
    mapping and the problems of texts that cannot be read, as (``section.field``, message);
    such a field keeps its current value, so that only its own problem is shown."""
    base = current.model_dump(mode="json", by_alias=True) if current is not None else {}
    read: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    dists = set(dists)
    for path, value in values.items():
        if path not in dists:
            read[path] = value
            continue
        try:
            parsed = parse_dist(value)
        except ValueError as exc:
            problems.append((f"{section}.{path}", exc.args[0]))
            continue
        if parsed is not None:
            read[path] = parsed
    merged = _merge(base, _nest({p: v for p, v in read.items() if p not in dists}))
    for path in dists & set(read):  # a distribution is replaced whole (another kind has other fields)
        node = merged
        *heads, last = path.split(".")
        for head in heads:
            node = node.setdefault(head, {})
        node[last] = read[path]
    return merged, problems


# ------------------------------------------------------------ appointments
def booked_frame(s: Scenario) -> pd.DataFrame:
    """One row per service (those the scenario books first, in its order, then the others)
    with its booked share (0 when it does not book) — :data:`BOOKED_COLUMNS`."""
    shares = dict(s.appointments.booked_share) if s.appointments is not None else {}
    order = list(shares) + [svc for svc in s.services if svc not in shares]
    return pd.DataFrame({"service": order, "booked_share": [float(shares.get(svc, 0.0)) for svc in order]},
                        columns=list(BOOKED_COLUMNS)).astype({"service": "object", "booked_share": "float64"})


def booked_from_frame(frame: pd.DataFrame, current: Mapping[str, float]) -> dict[str, Any]:
    """``appointments.booked_share`` from the table: services with a share above 0, and
    those the scenario already lists (so that an explicit 0 stays); a blank share is 0."""
    out: dict[str, Any] = {}
    for row in frame.to_dict("records"):
        svc, share = row.get("service"), row.get("booked_share")
        if blank(svc):
            continue
        share = 0.0 if blank(share) else share
        if svc in current or share != 0:
            out[str(svc)] = share
    return out


# ------------------------------------------------------------------ steps
def steps_frame(spec: Service | None) -> pd.DataFrame:
    """The later steps of a service as a frame of :data:`STEP_COLUMNS` (empty when none)."""
    rows = [(st.name, list(st.windows or []), st.window_kind, dist_text(st.time), list(st.devices), st.instant_issue)
            for st in (spec.steps if spec is not None else [])]
    return pd.DataFrame.from_records(rows, columns=list(STEP_COLUMNS)).astype(
        {"name": "object", "window_kind": "object", "time": "object", "instant_issue": "bool"})


def steps_from_frame(frame: pd.DataFrame, service: str) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """``services.<service>.steps`` from an edited frame, and the problems of time cells
    that cannot be read (``services.<service>.steps.<k>.time``). Empty ``windows`` means
    none given (the step then needs ``window_kind``); blank cells are left for validation."""
    steps, problems = [], []
    for k, row in enumerate(filled_rows(frame)):
        try:
            time = parse_dist(row.get("time"))
        except ValueError as exc:
            problems.append((f"services.{service}.steps.{k}.time", exc.args[0]))
            time = {"dist": "fixed", "value": 0}
        windows = as_list(row.get("windows"))
        kind = row.get("window_kind")
        steps.append({"name": None if blank(row.get("name")) else str(row["name"]).strip(),
                      "windows": windows or None, "window_kind": None if blank(kind) else kind,
                      "time": time, "devices": as_list(row.get("devices")),
                      "instant_issue": not blank(row.get("instant_issue")) and bool(row.get("instant_issue"))})
    return steps, problems
