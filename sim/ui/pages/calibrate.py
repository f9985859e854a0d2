"""Calibrate page: a hall's scenario from its queue-ticket log, as ``hallsim calibrate`` makes
it — upload a log (CSV / XLSX, with an optional column-mapping file) or use a shipped
example, pick the hall file (a scenario in ``scenarios/`` or an upload), run, and see what
was read (encoding, bad rows by kind, unmatched business names), what was fitted with its
intervals, observed beside simulated with a verdict per figure, the figures, and the
downloads (the calibrated scenario, the report). The calibrated scenario is also saved as
a session variant for the other pages. The work is :mod:`sim.ui.calibration`'s.
"""

from __future__ import annotations

import hashlib
import re

import streamlit as st

from sim.calibration.fit import BIN_MIN
from sim.calibration.notes import note_text
from sim.ui import calibration as calib
from sim.ui import state
from sim.ui.scorecards import styled
from sim.ui.text import UI, t

PAGE = "calibrate"


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha1(data).hexdigest()


# ------------------------------------------------------------------ inputs
def _log(lang: str) -> calib.Upload | None:
    """The ticket log: an upload or a shipped example."""
    examples = calib.example_logs(state.scenario_dir())
    kinds = ("upload", "example")
    kind = st.radio(t("cal.log_source", lang), kinds, key=f"{state.KEEP_PREFIX}cal.log_source", horizontal=True,
                    format_func=lambda k: t(f"cal.log_{k}", lang))
    if kind == "example":
        if not examples:
            st.info(t("cal.no_examples", lang))
            return None
        names = [p.name for p in examples]
        key = f"{state.KEEP_PREFIX}cal.example"
        if st.session_state.get(key) not in names:
            st.session_state[key] = names[0]
        name = st.selectbox(t("cal.example_pick", lang), names, key=key)
        return calib.Upload(name, examples[names.index(name)].read_bytes())
    upload = st.file_uploader(t("cal.log_label", lang, cap=calib.LOG_MAX_MB), type=list(calib.LOG_TYPES),
                              key="upload.cal.log", help=t("cal.log_help", lang), max_upload_size=calib.LOG_MAX_MB)
    return None if upload is None else calib.Upload(upload.name, upload.getvalue())


def _mapping(lang: str) -> calib.Upload | None:
    upload = st.file_uploader(t("cal.mapping_label", lang), type=["yaml", "yml"], key="upload.cal.mapping",
                              help=t("cal.mapping_help", lang), max_upload_size=calib.MAPPING_MAX_MB)
    return None if upload is None else calib.Upload(upload.name, upload.getvalue())


def _hall(lang: str) -> calib.Hall | None:
    """The hall file: a scenario file in the scenarios folder or an upload."""
    folder = state.scenario_dir()
    kinds = ("file", "upload")
    kind = st.radio(t("cal.hall_source", lang), kinds, key=f"{state.KEEP_PREFIX}cal.hall_source", horizontal=True,
                    format_func=lambda k: t(f"cal.hall_{k}", lang))
    if kind == "upload":
        upload = st.file_uploader(t("cal.hall_upload_label", lang), type=["yaml", "yml"], key="upload.cal.hall",
                                  max_upload_size=calib.HALL_MAX_MB)
        return None if upload is None else calib.Hall(upload.name, text=upload.getvalue(), base_dir=folder)
    offered = [c for c in state.choices() if c.key.startswith("file:")]
    choice = state.pick_scenario(t("cal.hall_pick", lang), f"{state.KEEP_PREFIX}cal.hall", lang, offered)
    if choice is None or folder is None:
        st.info(t("cal.no_halls", lang))
        return None
    rel = choice.key.split(":", 1)[1]
    return calib.Hall(rel, path=folder / rel)


# ------------------------------------------------------------------ results
def _read(cal, lang: str) -> None:
    log, fit = cal.log, cal.fit
    st.subheader(t("cal.read", lang))
    st.markdown(t("cal.read_summary", lang, name=log.path, rows=log.rows, layout=log.layout,
                  encoding=log.encoding_name, tickets=len(log.tickets), days=len(fit.days), first=fit.days[0],
                  last=fit.days[-1]))
    if len(log.bad):
        st.warning(t("cal.bad_title", lang, n=log.bad["line"].nunique()))
        st.dataframe(calib.bad_rows_table(cal, lang), hide_index=True, height="content")
        with st.expander(t("cal.bad_all", lang, n=len(log.bad))):
            st.dataframe(log.bad, hide_index=True)
    else:
        st.caption(t("cal.no_bad", lang))
    if log.unmatched:
        st.warning(t("cal.unmatched_title", lang))
        st.dataframe(calib.unmatched_table(cal, lang), hide_index=True, height="content")
        st.caption(t("cal.unmatched_help", lang))


def _fitted(cal, lang: str) -> None:
    fit = cal.fit
    st.subheader(t("cal.fitted", lang))
    v = fit.volume
    st.markdown(t("cal.volume", lang, value=v["visitors_per_day"], low=v["low"], high=v["high"], days=v["days"]))
    tables = calib.fitted_tables(cal, lang)
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**{t('cal.weekdays', lang)}**")
        st.dataframe(tables["weekdays"], hide_index=True, height="content")
    with c2:
        st.markdown(f"**{t('cal.mix', lang)}**")
        st.dataframe(tables["mix"], hide_index=True, height="content")
    st.markdown(f"**{t('cal.times', lang)}**")
    st.dataframe(tables["times"], hide_index=True, height="content")
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**{t('cal.patience', lang)}**")
        if fit.patience.empty:
            st.caption(t("cal.no_patience", lang))
        else:
            st.dataframe(tables["patience"], hide_index=True, height="content")
    with c2:
        st.markdown(f"**{t('cal.shares', lang)}**")
        st.dataframe(tables["shares"], hide_index=True, height="content")
    more = calib.more_tables(cal)
    if more:
        with st.expander(t("cal.more", lang)):
            for name, frame in more.items():
                st.markdown(f"**{t(f'cal.more.{name}', lang)}**")
                st.dataframe(frame, hide_index=True, height="content", key=f"cal.more.{name}")
    if fit.notes:
        st.markdown(f"**{t('cal.notes', lang)}**")
        st.markdown("\n".join(f"- {note_text(n, lang)}" for n in fit.notes))


def _validation(cal, lang: str) -> None:
    val = cal.validation
    st.subheader(t("cal.validation", lang))
    st.markdown(f"**{calib.headline(cal, lang)}**")
    st.caption(t("cal.validation_help", lang, reps=val.reps, seed=val.seed))
    shown, codes = calib.validation_table(cal, lang)
    st.dataframe(styled(shown, codes), hide_index=True, height="content")


def _figures(report, lang: str) -> None:
    st.subheader(t("cal.figures", lang))
    if lang != "en":
        st.caption(t("cal.figures_en", lang))
    figures = report.figures
    for i in range(0, len(figures), 2):
        cols = st.columns(2)
        for col, fig in zip(cols, figures[i:i + 2]):
            with col:
                stem = re.sub(r"[^A-Za-z0-9_-]+", "_", fig.path.rsplit("/", 1)[-1].removesuffix(".png"))
                key = f"cal.figcap.{stem}"
                st.markdown(f"**{t(key, lang, bin=BIN_MIN) if key in UI else fig.caption}**")
                st.image(fig.png)
                st.download_button(t("fig.png", lang), fig.png, file_name=f"{stem}.png", mime="image/png",
                                   key=f"cal.dl.fig.{stem}", on_click="ignore")


def _downloads(result: calib.UploadCalibration, report, lang: str) -> None:
    cal = result.calibration
    st.subheader(t("cal.downloads", lang))
    c1, c2, c3 = st.columns(3)
    with c1:
        st.download_button(t("cal.dl_yaml", lang), cal.text, file_name=result.file_name, mime="application/x-yaml",
                           help=t("cal.dl_yaml_help", lang, name=result.file_name, hall=result.hall_file),
                           key="cal.dl.yaml", on_click="ignore")
    with c2:
        st.download_button(t("cal.dl_zip", lang), lambda: calib.report_zip(report, result.variant),
                           file_name=f"{result.variant}.zip", mime="application/zip", key="cal.dl.zip",
                           on_click="ignore")
    with c3:
        st.download_button(t("cal.dl_html", lang), report.html, file_name=f"{result.variant}.html",
                           mime="text/html", key="cal.dl.html", on_click="ignore")


def show(stored: dict, lang: str) -> None:
    """A calibration's results: what was read, fitted, validated; figures; downloads."""
    result: calib.UploadCalibration = stored["value"]
    if result.errors:
        st.error(t("cal.failed", lang) + "\n\n" + "\n".join(f"- `{line}`" for line in result.errors))
        return
    cal = result.calibration
    if cal.validation is not None:
        counts = cal.validation.counts()
        (st.success if counts["not reproduced"] == 0 else st.warning)(calib.headline(cal, lang))
    st.caption(t("cal.variant_saved", lang, name=result.variant))
    _read(cal, lang)
    _fitted(cal, lang)
    if cal.validation is not None:
        _validation(cal, lang)
    reports = stored.setdefault("reports", {})
    if lang not in reports:
        reports[lang] = calib.report_of(result, lang)
    _figures(reports[lang], lang)
    _downloads(result, reports[lang], lang)


def render() -> None:
    """Draw the Calibrate page."""
    lang = state.lang()
    st.title(t("page.calibrate", lang))
    st.caption(t("cal.intro", lang))
    c1, c2 = st.columns(2)
    with c1:
        log = _log(lang)
        mapping = _mapping(lang)
    with c2:
        hall = _hall(lang)
        st.session_state.setdefault(f"{state.KEEP_PREFIX}cal.reps", 20)
        reps = int(st.number_input(t("cal.reps", lang), min_value=1, max_value=500, step=1,
                                   key=f"{state.KEEP_PREFIX}cal.reps"))
    seed, workers = state.settings()
    ready = log is not None and hall is not None
    if log is None:
        st.info(t("cal.upload_first", lang))
    run_key = (log and (log.name, _digest(log.data)), mapping and (mapping.name, _digest(mapping.data)),
               hall and (hall.name, _digest(hall.text if hall.path is None else hall.path.read_bytes())), reps, seed)
    clicked = st.button(t("cal.run", lang), type="primary", key="cal.run", disabled=not ready)
    if clicked and ready:
        bar, progress = state.progress_bar(lambda d, n: t("cal.progress", lang, done=d, total=n))
        try:
            with st.spinner(t("cal.reading", lang)):
                result = calib.calibrate_upload(log, hall, mapping, reps, seed, workers, progress, lang)
        finally:
            bar.empty()
        state.store(PAGE, run_key, result)
        if result.calibration is not None:
            state.save_variant(result.variant, result.variant_yaml)
    last = state.stored(PAGE)
    if last is None:
        return
    if last["key"] != run_key:
        st.info(t("cal.stale", lang))
    show(last, lang)


if __name__ == "__main__":
    render()
