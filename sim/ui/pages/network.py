"""Network page: a county's service points and the 10-minute card circle — pick a network
file of ``scenarios/network/``, simulate it (:func:`sim.network.simulate_network`), read the
circle, each point's verdicts, the zones and the schematic map (coloured by the circle, by
door to card or by the wait), then close, move or add points and compare the what-if on
common random numbers (:func:`sim.network.whatif.compare_networks`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st
import yaml

from sim.network.display import (circle_cell, circle_sentence, comparison_frames, points_frame, scorecard_frame,
                                 zones_frame)
from sim.network.loader import load_network, network_files
from sim.results.formatting import format_number
from sim.scenario.loader import ScenarioError
from sim.ui import state
from sim.ui.figures import show_figure
from sim.ui.scorecards import styled
from sim.ui.text import t

PAGE = "network"
WHATIF = "network.whatif"
COLOURS = ("circle", "door", "wait")
CIRCLE_METRICS = (("net.circle", "circle_share", "all"), ("net.circle_elderly", "circle_share", "elderly"),
                  ("net.door", "door_to_card_share", "all"), ("net.door_elderly", "door_to_card_share", "elderly"))


@st.cache_data(show_spinner=False, max_entries=256)
def _kind(path: str, mtime: float) -> str:
    """``network``, ``candidates`` or "" for a YAML file, by its top-level keys."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    if not isinstance(data, dict):
        return ""
    if "points" in data and "zones" in data:
        return "network"
    return "candidates" if "candidates" in data else ""


def network_folder() -> Path | None:
    """``network/`` of the scenario folder, when there is one."""
    folder = state.scenario_dir()
    return folder / "network" if folder is not None and (folder / "network").is_dir() else None


def files_of(kind: str) -> list[Path]:
    """The network (or candidate) files of :func:`network_folder`, sorted."""
    folder = network_folder()
    if folder is None:
        return []
    return [p for p in sorted(folder.glob("*.yaml")) if _kind(str(p), p.stat().st_mtime) == kind]


def _digest(loaded) -> str:
    """A hash of the network's content (the network and every point's scenario)."""
    text = "\n".join(f"{k}\n{v}" for k, v in sorted(network_files(loaded).items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _localised(exc: ScenarioError, lang: str) -> ValueError:
    return ValueError("\n".join(exc.lines(lang)))


@st.cache_data(show_spinner=False, max_entries=8)
def cached_network(path: str, digest: str, seed: int, reps: int, _workers: int | None = None, _progress=None):
    """:func:`sim.network.simulate_network` of the file ``path``, cached on its content."""
    from sim.network.simulation import simulate_network

    return simulate_network(load_network(path), seed, reps, workers=_workers, progress=_progress)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_whatif(path: str, digest: str, seed: int, reps: int, closed: tuple[str, ...],
                  move: tuple[str, float, float] | None, added: tuple[str, ...], candidates: str | None,
                  lang: str = "en", _workers: int | None = None, _progress=None):
    """The network against its what-if (``closed`` points, one point moved to (x, y), the
    ``added`` sites of the ``candidates`` file) on common random numbers."""
    from sim.network.location import load_candidates
    from sim.network.whatif import PointChange, compare_networks, variant

    try:
        base = load_network(path)
        changes = [PointChange(*move)] if move is not None else []
        if added:
            sites = load_candidates(candidates, base)
            changes += [sites.change(name) for name in added]
        other = variant(base, changes, closed)
    except ScenarioError as exc:
        raise _localised(exc, lang) from None
    return compare_networks(base, other, seed, reps, workers=_workers, progress=_progress)


def show_map(result, run_key, colour: str, title: str, lang: str, name: str = "network_map") -> None:
    """The schematic map of ``result`` coloured by ``colour``."""
    from sim.plots.network import network_map

    show_figure((PAGE, run_key, colour), f"{name}_{colour}", title, lambda: network_map(result, colour, lang=lang),
                lang)


def show(result, run_key, lang: str) -> None:
    """The circle, each point's verdict, the map, the points and the zones."""
    from sim.results.verdict import headline

    st.subheader(t("net.headline", lang))
    for column, (label, kpi, group) in zip(st.columns(len(CIRCLE_METRICS)), CIRCLE_METRICS):
        column.metric(t(label, lang), format_number(result.kpi(kpi, group), "share"),
                      help=circle_cell(result.circle, kpi, group))
    st.caption(circle_sentence(result, lang))
    with st.expander(t("net.verdicts", lang), expanded=True):
        st.markdown("\n".join(f"- {headline(name, res.sla, lang)}" for name, res in result.results.items()))
    st.subheader(t("net.map", lang))
    colour = st.radio(t("net.colour", lang), COLOURS, key=f"{state.KEEP_PREFIX}net.colour", horizontal=True,
                      format_func=lambda c: t(f"net.colour.{c}", lang))
    show_map(result, run_key, colour, result.loaded.network.name, lang)
    st.subheader(t("net.points", lang))
    st.dataframe(points_frame(result, lang), hide_index=True, height="content")
    st.markdown(f"**{t('net.scorecard', lang)}**")
    shown, codes = scorecard_frame(result, lang)
    st.dataframe(styled(shown, codes), hide_index=True, height="content")
    st.download_button(t("net.dl", lang), result.points.to_csv(index=False), file_name="network_points.csv",
                       mime="text/csv", key="net.dl", on_click="ignore")
    st.subheader(t("net.zones", lang))
    st.dataframe(zones_frame(result, lang), hide_index=True, height="content")


def whatif_controls(loaded, lang: str) -> tuple[tuple[str, ...], tuple[str, float, float] | None, tuple[str, ...],
                                                  str | None]:
    """The what-if widgets: points to close, a point to move and where, candidate sites to add."""
    names = [p.name for p in loaded.network.points]
    c1, c2 = st.columns(2)
    with c1:
        closed = tuple(st.multiselect(t("net.close", lang), names, key="net.close"))
        moved = st.selectbox(t("net.move", lang), ["", *names], key="net.move",
                             format_func=lambda n: n or t("net.move.none", lang))
        move = None
        if moved:
            point = loaded.point(moved)
            x = st.number_input(t("net.move.x", lang), -1000.0, 1000.0, float(point.x_km), step=0.5,
                                key=f"net.move.x.{moved}")
            y = st.number_input(t("net.move.y", lang), -1000.0, 1000.0, float(point.y_km), step=0.5,
                                key=f"net.move.y.{moved}")
            move = (moved, float(x), float(y))
    with c2:
        files = files_of("candidates")
        added, chosen = (), None
        if not files:
            st.caption(t("net.add.none", lang))
        else:
            chosen = str(files[0]) if len(files) == 1 else st.selectbox(
                t("net.add", lang), [str(f) for f in files], key="net.cand_file", format_func=lambda p: Path(p).name)
            sites = _candidate_names(chosen, Path(chosen).stat().st_mtime)
            added = tuple(st.multiselect(t("net.add", lang), sites, key="net.add"))
    return closed, move, added, chosen


@st.cache_data(show_spinner=False, max_entries=32)
def _candidate_names(path: str, mtime: float) -> list[str]:
    """The names of the candidate sites of a file (none when it does not read)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return [str(c["name"]) for c in data["candidates"] if isinstance(c, dict) and "name" in c]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError):
        return []


def show_whatif(cmp, run_key, lang: str) -> None:
    """The what-if against the network as it is: the network KPIs, the points, the map."""
    net_table, pts_table = comparison_frames(cmp, lang)
    st.dataframe(net_table, hide_index=True, height="content")
    st.dataframe(pts_table, hide_index=True, height="content")
    colour = st.session_state.get(f"{state.KEEP_PREFIX}net.colour", "circle")
    show_map(cmp.variant, run_key, colour, t("net.whatif_map", lang), lang, name="network_whatif_map")
    st.dataframe(points_frame(cmp.variant, lang), hide_index=True, height="content")


def render() -> None:
    """Draw the Network page."""
    lang = state.lang()
    st.title(t("page.network", lang))
    st.caption(t("net.intro", lang))
    files = files_of("network")
    if not files:
        st.info(t("net.none", lang))
        return
    by_path = {str(f): f for f in files}
    key = f"{state.KEEP_PREFIX}net.pick"
    if st.session_state.get(key) not in by_path:
        st.session_state[key] = next((p for p, f in by_path.items() if f.name == "sample_county.yaml"), str(files[0]))
    path = st.selectbox(t("net.pick", lang), list(by_path), key=key, format_func=lambda p: by_path[p].name)
    try:
        loaded = load_network(path)
    except ScenarioError as exc:
        st.error(t("net.bad_file", lang) + "\n\n" + "\n\n".join(exc.lines(lang)))
        return
    st.session_state.setdefault(f"{state.KEEP_PREFIX}net.reps", min(5, loaded.network.run.replications))
    reps = int(st.number_input(t("net.reps", lang), min_value=1, max_value=1000, step=1,
                               key=f"{state.KEEP_PREFIX}net.reps"))
    seed, workers = state.settings()
    digest = _digest(loaded)
    run_key = (path, digest, seed, reps)
    clicked = st.button(t("net.run", lang), type="primary", key="net.run")
    stored = state.run_when_clicked(PAGE, run_key, clicked, lambda progress: cached_network(
        *run_key, _workers=workers, _progress=progress), lang, failed="net.failed", stale="net.stale")
    if stored is None:
        return
    show(stored["value"], stored["key"], lang)
    st.subheader(t("net.whatif", lang))
    closed, move, added, candidates = whatif_controls(loaded, lang)
    whatif_key = (*run_key, closed, move, added, candidates)
    clicked = st.button(t("net.compare", lang), key="net.compare")
    if clicked and not (closed or move or added):
        st.info(t("net.nothing", lang))
        clicked = False
    done = state.run_when_clicked(WHATIF, whatif_key, clicked, lambda progress: cached_whatif(
        *whatif_key, lang, _workers=workers, _progress=progress), lang, failed="net.failed", stale="net.whatif_stale")
    if done is not None:
        show_whatif(done["value"], done["key"], lang)


if __name__ == "__main__":
    render()
