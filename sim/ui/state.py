"""Session state of the dashboard: the language, the scenarios a planner can pick (files in
``scenarios/``, the embedded default hall, and the variants saved in this session), the
settings shared by every page (seed, processes), and the cached library calls.

Results are kept in ``st.session_state`` under the page's key (``RESULTS``), with the key
of the inputs they came from, so a download, a language switch or a visit to another page
never wipes them; the library calls are cached with ``st.cache_data`` on the scenario YAML
text, the seed and the replications.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from sim.experiments import executors
from sim.scenario.loader import ScenarioError, default_scenario, load_scenario, scenario_to_yaml
from sim.ui import runs
from sim.ui.text import t

try:  # Streamlit's flag "inside a cached function" (element calls made then are replayed)
    from streamlit.runtime.scriptrunner_utils.script_run_context import in_cached_function as _in_cached_function
except ImportError:  # pragma: no cover - another Streamlit layout
    _in_cached_function = None

__all__ = ["SCENARIO_DIR_ENV", "RESULTS", "KEEP_PREFIX", "Choice", "lang", "scenario_dir", "choices", "choice_label",
           "pick_scenario", "save_variant", "settings", "keep_widget_state", "stored", "store", "progress_bar",
           "run_when_clicked", "scenario_of", "cached_comparison", "cached_run", "cached_staffing", "cached_issuance",
           "URL_SCENARIO", "URL_PICK", "choice_token", "key_of_token", "from_url", "to_url"]

SCENARIO_DIR_ENV = "HALLSIM_SCENARIOS"
"""Environment variable naming the folder of scenario files (default: ``./scenarios``)."""

RESULTS = "results"
"""Session-state key of the results of every page: {page: {"key": inputs, "value": result}}."""

KEEP_PREFIX = "keep."
"""Widgets whose key starts with this keep their value across pages (see
:func:`keep_widget_state`)."""


def lang() -> str:
    """The language chosen in the sidebar ("en" or "zh")."""
    return st.session_state.get("lang", "en")


def scenario_dir() -> Path | None:
    """The folder of scenario files: ``$HALLSIM_SCENARIOS``, else ``./scenarios``, else the
    ``scenarios/`` folder of a source checkout; None when there is none."""
    candidates = [os.environ.get(SCENARIO_DIR_ENV), "scenarios", Path(__file__).resolve().parents[2] / "scenarios"]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c).resolve()
    return None


@dataclass(frozen=True)
class Choice:
    """A scenario a planner can pick: ``key`` (``file:<relative path>``, ``variant:<name>``
    or ``embedded``), its short ``name``, its canonical YAML text, or the ``error`` lines
    of a file that does not load."""

    key: str
    name: str
    yaml: str | None
    error: list[str] | None = None


@st.cache_data(show_spinner=False, max_entries=256)
def _file_yaml(path: str, mtime: float, lang: str = "en") -> tuple[str | None, list[str] | None]:
    """The canonical YAML of a scenario file (extends resolved), or its error lines in ``lang``."""
    try:
        return scenario_to_yaml(load_scenario(path)), None
    except ScenarioError as exc:
        return None, exc.lines(lang) if _looks_like_scenario(path) else None


def _looks_like_scenario(path: str) -> bool:
    """False for YAML files that are plainly something else (a sweep's grid file): a
    mapping with neither ``hall`` nor ``extends`` at the top."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return True
    return not isinstance(data, dict) or "hall" in data or "extends" in data


@st.cache_data(show_spinner=False)
def _embedded_yaml() -> str:
    return scenario_to_yaml(default_scenario())


def choices(include_files: bool = True) -> list[Choice]:
    """Every scenario on offer: the files of :func:`scenario_dir`, the embedded default
    hall, then this session's variants."""
    out: list[Choice] = []
    folder = scenario_dir()
    if include_files and folder is not None:
        for path in sorted(folder.rglob("*.yaml")):
            rel = path.relative_to(folder).as_posix()
            text, error = _file_yaml(str(path), path.stat().st_mtime, lang())
            if text is None and error is None:
                continue  # not a scenario file (a grid)
            out.append(Choice(f"file:{rel}", rel[: -len(".yaml")], text, error))
    out.append(Choice("embedded", "default_hall", _embedded_yaml()))
    for name, text in st.session_state.get("variants", {}).items():
        out.append(Choice(f"variant:{name}", name, text))
    return out


def choice_label(choice: Choice, language: str) -> str:
    """How a choice shows in a list: ``county_hall (file)``."""
    kind = choice.key.split(":", 1)[0]
    tag = {"file": t("src.file_tag", language), "variant": t("src.variant_tag", language)}.get(kind)
    if choice.key == "embedded":
        return f"default_hall ({t('src.embedded', language)})"
    return f"{choice.name} ({tag})"


def save_variant(name: str, yaml_text: str) -> None:
    """Keep ``yaml_text`` as variant ``name`` for this session (replacing one of that name)."""
    st.session_state.setdefault("variants", {})[name] = yaml_text


def settings() -> tuple[int, int]:
    """(seed, processes) from the sidebar."""
    return int(st.session_state.get(f"{KEEP_PREFIX}seed", 0)), int(
        st.session_state.get(f"{KEEP_PREFIX}workers", executors.default_workers()))


def keep_widget_state() -> None:
    """Keep the values of ``keep.*`` widgets when their page is not shown (Streamlit drops
    the state of widgets that were not drawn in a run; writing it back makes it plain state)."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(KEEP_PREFIX):
            st.session_state[key] = st.session_state[key]


def stored(page: str) -> dict[str, Any] | None:
    """The last result stored by ``page`` ({"key": inputs, "value": result, …}) or None."""
    return st.session_state.get(RESULTS, {}).get(page)


def store(page: str, key: Any, value: Any, **extra) -> None:
    """Keep ``value`` (computed from inputs ``key``) as ``page``'s result."""
    st.session_state.setdefault(RESULTS, {})[page] = {"key": key, "value": value, **extra}


def run_when_clicked(page: str, key: Any, clicked: bool, compute: Callable[[Callable[[int, int], None]], Any],
                     language: str, failed: str | None = None, stale: str = "cmp.stale", **extra) -> dict | None:
    """When ``clicked``, run ``compute(progress)`` under a progress bar and keep its result
    as ``page``'s (with the inputs ``key``); a ValueError the library raises shows as
    ``failed`` text plus its message when ``failed`` is given. Returns the page's last
    result (shown until the next run), noting ``stale`` when its inputs differ from ``key``."""
    if clicked:
        bar, progress = progress_bar(lambda d, n: t("cmp.progress", language, done=d, total=n))
        try:
            value = compute(progress)
        except ValueError as exc:
            if failed is None:
                raise
            st.error(f"{t(failed, language)} {exc}")
        else:
            store(page, key, value, **extra)
        finally:
            bar.empty()
    last = stored(page)
    if last is not None and last["key"] != key:
        st.info(t(stale, language))
    return last


def progress_bar(label: Callable[[int, int], str]) -> tuple[Any, Callable[[int, int], None]]:
    """An ``st.progress`` bar and the ``progress(done, total)`` callback that moves it."""
    bar = st.progress(0.0, text=label(0, 1))

    def progress(done: int, total: int) -> None:
        # The callback runs inside the cached library calls below; the bar is not part of
        # their result, so keep st.cache_data from recording its updates: replaying them on
        # a cache hit (another session, a later run) would target a bar that no longer
        # exists and fail with CacheReplayClosureError.
        token = _in_cached_function.set(False) if _in_cached_function is not None else None
        try:
            bar.progress(min(1.0, done / max(total, 1)), text=label(done, total))
        finally:
            if token is not None:
                _in_cached_function.reset(token)

    return bar, progress


@st.cache_data(show_spinner=False, max_entries=16)
def cached_comparison(yamls: tuple[str, ...], names: tuple[str, ...], seed: int, reps: int,
                      precision: float | None = None, _workers: int | None = None, _progress=None):
    """:func:`sim.ui.runs.run_comparison`, cached on the scenarios' YAML, names, seed, reps
    and precision (None: exactly ``reps``; else automatic, at most ``reps``)."""
    return runs.run_comparison(yamls, names, seed, reps, workers=_workers, progress=_progress, precision=precision)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_run(yaml_text: str, name: str, seed: int, reps: int, _workers: int | None = None, _progress=None):
    """:func:`sim.ui.runs.run_scenario`, cached on the scenario's YAML, seed and reps."""
    return runs.run_scenario(yaml_text, name, seed, reps, workers=_workers, progress=_progress)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_staffing(yaml_text: str, name: str, seed: int, reps: int, days: int | None, block_min: float,
                    _workers: int | None = None, _progress=None):
    """:func:`sim.ui.runs.run_staffing`, cached on its inputs."""
    return runs.run_staffing(yaml_text, name, seed, reps, days, block_min, workers=_workers, progress=_progress)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_issuance(yaml_text: str, name: str, seed: int, reps: int, days: int | None,
                    _workers: int | None = None, _progress=None):
    """:func:`sim.ui.runs.run_issuance`, cached on its inputs."""
    return runs.run_issuance(yaml_text, name, seed, reps, days, workers=_workers, progress=_progress)


@st.cache_data(show_spinner=False, max_entries=256)
def scenario_of(yaml_text: str, name: str):
    """The scenario of a choice's canonical YAML text."""
    from sim.scenario.loader import load_scenario_text

    return load_scenario_text(yaml_text, source=name)


URL_SCENARIO = "scenario"
"""Query parameter of the scenario a page works on (``?scenario=county_hall``)."""

URL_PICK = "pick"
"""Query parameter of the Compare page's scenarios, repeated (``?pick=a&pick=b``)."""


def choice_token(key: str) -> str:
    """How a choice key reads in the URL: a file by its path without ``.yaml``
    (``county_hall``), the embedded hall as ``default_hall``, a variant as ``variant:NAME``."""
    if key.startswith("file:"):
        return key[len("file:"):].removesuffix(".yaml")
    return "default_hall" if key == "embedded" else key


def key_of_token(token: str, keys) -> str | None:
    """The choice key among ``keys`` that ``token`` names (see :func:`choice_token`), or None."""
    return next((k for k in keys if choice_token(k) == token or k == token), None)


def from_url(param: str, key: str, keys, many: bool = False) -> None:
    """Once per session and widget ``key``: set the widget's value from query parameter
    ``param`` when the URL names choices among ``keys`` (a shared link); unknown names are
    ignored."""
    done = st.session_state.setdefault("url_read", set())
    if key in done:
        return
    done.add(key)
    tokens = st.query_params.get_all(param)
    found = [k for k in (key_of_token(tok, keys) for tok in tokens) if k is not None]
    if found:
        st.session_state[key] = found if many else found[0]


def to_url(param: str, value) -> None:
    """Write the widget's value into query parameter ``param`` (a list repeats it)."""
    tokens = [choice_token(v) for v in value] if isinstance(value, (list, tuple)) else choice_token(value)
    if st.query_params.get_all(param) != (tokens if isinstance(tokens, list) else [tokens]):
        st.query_params[param] = tokens


def pick_scenario(label: str, key: str, language: str, offered: list[Choice] | None = None) -> Choice | None:
    """A selectbox of the scenarios on offer (default: every loadable one); the URL's
    ``?scenario=`` first, else the county hall, is preselected; the choice goes back into
    the URL so that the link can be shared."""
    offered = [c for c in (choices() if offered is None else offered) if c.yaml is not None]
    if not offered:
        return None
    by_key = {c.key: c for c in offered}
    from_url(URL_SCENARIO, key, list(by_key))
    if st.session_state.get(key) not in by_key:
        st.session_state[key] = next((k for k in by_key if k == "file:county_hall.yaml"), offered[0].key)
    picked = st.selectbox(label, list(by_key), key=key, format_func=lambda k: choice_label(by_key[k], language))
    to_url(URL_SCENARIO, picked)
    return by_key[picked]
