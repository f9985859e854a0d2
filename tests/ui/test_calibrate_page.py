"""The Calibrate page: its work without Streamlit (sim.ui.calibration: bytes and names in,
a result or error lines out) and the page under Streamlit's AppTest, in English and Chinese.

Everything runs against a folder holding a tiny hall (two windows, mornings only) and a
ticket log simulated from it over 5 days (``logs/tiny_log.csv``, the page's example log),
validated with 3 replications, so that each calibration takes about a second.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from dashboard import dashboard, in_language
from streamlit.testing.v1 import AppTest

from sim.calibration.notes import note_text
from sim.calibration.synthetic import simulated_log
from sim.scenario.loader import load_scenario, load_scenario_text
from sim.ui import calibration as calib
from sim.ui.text import t

APP = Path(__file__).resolve().parents[2] / "app.py"
REPS = 3
DAYS = {d: {"open": "09:00", "close": "12:00"} for d in ("mon", "tue", "wed", "thu", "fri")}
HALL = {
    "hall": {"name": "Tiny hall", "level": "county", "floor_area_m2": 60, "opening_hours": DAYS},
    "windows": [{"id": "W1", "services": ["consult", "apply"]}, {"id": "W2", "services": ["consult", "apply"]}],
    "demand": {"visitors_per_day": 50, "service_mix": {"consult": 1, "apply": 1}, "elderly_share": 0.3},
    "services": {"consult": {"window_time": {"dist": "exponential", "mean": 3}},
                 "apply": {"window_time": {"dist": "lognormal", "mean": 5, "cv": 0.4}}},
    "policies": {"staffing": "always", "green_channel": {"mode": "none"},
                 "patience": {"dist": "exponential", "mean": 15}},
    "run": {"days": 5, "replications": 2, "start_date": "2026-03-02"},
}


def _csv(frame) -> bytes:
    return ("# Simulated ticket log, not real data\n" + frame.to_csv(index=False)).encode("utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Scenarios folder: tiny.yaml and logs/tiny_log.csv (simulated from it)."""
    root = tmp_path_factory.mktemp("scenarios")
    (root / "tiny.yaml").write_text(yaml.safe_dump(HALL), encoding="utf-8")
    (root / "logs").mkdir()
    (root / "logs" / "tiny_log.csv").write_bytes(_csv(simulated_log(load_scenario(root / "tiny.yaml"), seed=1)))
    return root


@pytest.fixture(scope="module")
def log_bytes(folder) -> bytes:
    return (folder / "logs" / "tiny_log.csv").read_bytes()


@pytest.fixture(scope="module")
def hall(folder) -> calib.Hall:
    return calib.Hall("tiny.yaml", path=folder / "tiny.yaml")


@pytest.fixture(scope="module")
def result(log_bytes, hall) -> calib.UploadCalibration:
    return calib.calibrate_upload(calib.Upload("my log.csv", log_bytes), hall, reps=REPS)


# ------------------------------------------------------------------ the work, without Streamlit
def test_an_uploaded_log_is_calibrated_and_named_as_uploaded(result, folder):
    """The upload calibrates; the result, the scenario text and the report name the upload
    (not the temporary folder it was read from); the scenario extends the hall file by
    name and loads beside it; it is offered as variant '<log>_calibrated'."""
    cal = result.calibration
    assert result.errors == () and cal is not None
    assert cal.log.path == "my log.csv" and cal.hall_path == "tiny.yaml"
    assert result.variant == "my log_calibrated" and result.file_name == "my log_calibrated.yaml"
    assert "extends: tiny.yaml" in cal.text and "from the ticket log my log.csv" in cal.text
    again = load_scenario_text(cal.text, source=result.file_name, base_dir=folder)
    assert again.demand.visitors_per_day == cal.scenario.demand.visitors_per_day
    assert load_scenario_text(result.variant_yaml, "variant") == cal.scenario
    assert "hallsim-calibrate-" not in json.dumps(calib.report_of(result).meta, default=str)


def test_headline_counts_the_reproduced_figures_in_both_languages(result):
    """The headline says how many judged figures were reproduced, in English and Chinese."""
    c = result.calibration.validation.counts()
    judged = c["reproduced"] + c["not reproduced"]
    assert calib.headline(result.calibration, "en").startswith(f"{c['reproduced']} of {judged} figures reproduced")
    assert calib.headline(result.calibration, "zh").startswith(f"{judged} 项指标中 {c['reproduced']} 项得到复现")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_validation_table_gives_a_verdict_and_a_difference_per_figure(result, lang):
    """One row per figure and hour with its verdict in the language, coloured by its code,
    and by how much (observed − simulated mean) unless too few tickets were seen; the share
    who left in per cent, its difference in percentage points."""
    shown, codes = calib.validation_table(result.calibration, lang)
    table = result.calibration.validation.table
    assert len(shown) == len(table)
    verdicts = shown[t("calc.verdict", lang)]
    assert set(verdicts) <= {t(f"cal.verdict.{v}", lang) for v in ("reproduced", "not reproduced", "too few")}
    assert list(codes[t("calc.verdict", lang)]) == [calib.VERDICT_CODES[v] for v in table["verdict"]]
    first = table.iloc[0]
    assert shown[t("calc.by", lang)].iloc[0].startswith(f"{first['difference']:+.2f}")
    assert t("cal.all_day", lang) in set(shown[t("calc.hour", lang)])
    left = shown[shown[t("calc.figure", lang)] == t("cal.fig.left_share", lang)].iloc[0]
    row = table[table["figure"] == "left_share"].iloc[0]
    assert left[t("calc.observed", lang)] == f"{row['observed'] * 100:.2f}", "the share who left is in per cent"
    assert left[t("calc.by", lang)] in ("–", f"{row['difference'] * 100:+.2f} pp")


def test_fitted_tables_show_each_service_with_its_interval(result):
    """The fitted parameters: a row per service with its mean window time and 95 % interval
    (services by their names in the language), the weekdays, the patience candidates."""
    tables = calib.fitted_tables(result.calibration, "zh")
    times = tables["times"]
    assert set(times[t("calc.service", "zh")]) == {"申领", "咨询"}
    assert all(" – " in v for v in times[t("calc.interval", "zh")])
    assert "周一" in set(tables["weekdays"][t("calc.weekday", "zh")])
    assert len(tables["patience"]) == len(result.calibration.fit.patience) > 0


def test_report_zip_holds_the_report_folder_and_the_calibrated_scenario(result):
    """The ZIP holds what ``hallsim calibrate --report`` writes, under one folder, with the
    calibrated scenario as offered for download."""
    data = calib.report_zip(calib.report_of(result), result.variant)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        top = f"{result.variant}/"
        assert {top + "index.html", top + "report.md", top + "meta.json"} <= names
        assert any(n.startswith(top + "figures/") for n in names)
        assert zf.read(f"{top}scenarios/{result.file_name}").decode() == result.calibration.text


def test_an_uploaded_hall_extending_a_shipped_one_is_extended_by_its_own_name(log_bytes, folder):
    """A hall file uploaded as my_hall.yaml (extending tiny.yaml from the scenarios folder)
    is the one the calibrated scenario extends; its own changes are kept."""
    upload = b"extends: tiny.yaml\nhall: {name: My hall}\n"
    res = calib.calibrate_upload(calib.Upload("log.csv", log_bytes), calib.Hall("my_hall.yaml", text=upload,
                                                                                base_dir=folder), reps=2)
    assert res.errors == ()
    assert "extends: my_hall.yaml" in res.calibration.text and res.hall_file == "my_hall.yaml"
    assert res.calibration.scenario.hall.name == "My hall"


@pytest.mark.parametrize("kind", ["gbk", "xlsx"])
def test_a_gbk_or_xlsx_upload_reads_like_the_csv_and_says_so(kind, log_bytes, hall, result):
    """The same log uploaded in GBK or as an XLSX sheet gives the same tickets, and the
    encoding detected (GBK, XLSX) is said."""
    text = log_bytes.decode("utf-8")
    if kind == "gbk":
        upload = calib.Upload("log.csv", text.encode("gbk"))
    else:
        buf = io.BytesIO()
        pd.read_csv(io.StringIO(text), comment=None, skiprows=1, dtype=str,
                    keep_default_na=False).to_excel(buf, index=False, engine="openpyxl")
        upload = calib.Upload("log.xlsx", buf.getvalue())
    res = calib.calibrate_upload(upload, hall, reps=1)
    assert res.errors == ()
    assert res.calibration.log.encoding_name == kind.upper()
    assert len(res.calibration.log.tickets) == len(result.calibration.log.tickets)


def test_bad_rows_and_unknown_business_names_are_listed(log_bytes, hall):
    """Bad rows show by kind with their line, column and value; business names matching no
    service show with their ticket counts."""
    lines = log_bytes.decode("utf-8").splitlines()
    header = lines[1].split(",")
    bad = lines[2].split(",")
    bad[header.index("取号时间")] = "not a time"
    other = lines[3].split(",")
    other[header.index("业务名称")] = "社保查询"
    text = "\n".join(lines[:2] + [",".join(bad), ",".join(other)] + lines[4:]) + "\n"
    res = calib.calibrate_upload(calib.Upload("log.csv", text.encode("utf-8")), hall, reps=1)
    kinds = calib.bad_rows_table(res.calibration, "en")
    assert list(kinds[t("calc.kind", "en")]) == [t("cal.bad.bad_time", "en")]
    assert "line 3 取号时间='not a time'" in kinds[t("calc.examples", "en")].iloc[0]
    assert "第 3 行" in calib.bad_rows_table(res.calibration, "zh")[t("calc.examples", "zh")].iloc[0]
    unmatched = calib.unmatched_table(res.calibration, "en")
    assert unmatched.values.tolist() == [["社保查询", 1]]


def _bad(log_bytes: bytes) -> dict[str, tuple]:
    """Bad uploads: (log name, log bytes, mapping, hall text or None, words the error holds)."""
    text = log_bytes.decode("utf-8")
    header = text.splitlines()[1]
    mostly_bad = "\n".join([header] + [line.replace("2026-", "20x6-") for line in text.splitlines()[2:]])
    return {
        "wrong columns": ("log.csv", b"a,b\n1,2\n", None, None, ["log.csv", "columns (a, b)", "column-mapping file"]),
        "wrong encoding": ("log.csv", b"\xff\xfe\xfa\xfb,\x81\n", None, None, ["log.csv", "GBK"]),
        "wrong type": ("log.txt", log_bytes, None, None, ["log.txt", ".csv or .xlsx"]),
        "too big": ("big.csv", b"#" * (calib.LOG_MAX_MB * 1024 * 1024 + 1), None, None, ["big.csv", "20 MB"]),
        "mostly bad": ("log.csv", mostly_bad.encode("utf-8"), None, None, ["log.csv", "refused", "line 2"]),
        "empty": ("log.csv", b"", None, None, ["log.csv"]),
        "mapping names an absent column": ("log.csv", log_bytes, ("map.yaml", b"columns: {ticket: NUMBER}\n"),
                                           None, ["log.csv", "'NUMBER'", "ticket"]),
        "mapping not YAML": ("log.csv", log_bytes, ("map.yaml", b"columns: [\n"), None, ["map.yaml"]),
        "hall extends a missing file": ("log.csv", log_bytes, None, b"extends: nowhere.yaml\n",
                                        ["mine.yaml", "extends", "nowhere.yaml"]),
        "hall not valid": ("log.csv", log_bytes, None, b"extends: tiny.yaml\nhall: {floor_area_m2: -3}\n",
                           ["mine.yaml", "hall.floor_area_m2"]),
    }


@pytest.mark.parametrize("case", list(_bad(b"#\nh\n")))
def test_a_bad_upload_gives_error_lines_naming_the_file_and_no_exception(case, log_bytes, hall, folder):
    """Each bad upload gives error lines naming the file (and the row or column when there
    is one), never a path of the temporary folder or of this machine, and no exception."""
    name, data, mapping, hall_text, words = _bad(log_bytes)[case]
    given = calib.Hall("mine.yaml", text=hall_text, base_dir=folder) if hall_text else hall
    res = calib.calibrate_upload(calib.Upload(name, data), given, mapping and calib.Upload(*mapping), reps=1)
    assert res.calibration is None and res.errors
    joined = "\n".join(res.errors)
    for word in words:
        assert word in joined, joined
    assert "hallsim-calibrate-" not in joined and str(folder) not in joined


def test_errors_are_said_in_chinese_where_the_page_words_them(log_bytes, hall, folder):
    """A log over the size cap and an invalid hall upload are explained in Chinese in the
    Chinese UI, naming the file."""
    big = calib.calibrate_upload(calib.Upload("big.csv", b"#" * (calib.LOG_MAX_MB * 1024 * 1024 + 1)), hall,
                                 lang="zh")
    assert big.errors == (t("cal.too_big", "zh", name="big.csv", what=t("cal.what_log", "zh"), size=20.0,
                            cap=calib.LOG_MAX_MB),)
    bad_hall = calib.Hall("mine.yaml", text=b"extends: tiny.yaml\nhall: {floor_area_m2: -3}\n", base_dir=folder)
    res = calib.calibrate_upload(calib.Upload("log.csv", log_bytes), bad_hall, lang="zh")
    assert res.errors == ("mine.yaml: hall.floor_area_m2: 应大于 0（实际为 -3）",)


def test_a_failure_inside_the_fitting_is_said_not_raised(log_bytes, hall, monkeypatch):
    """Should the fitting fail on a log (a fault of hallsim), the page gets one error line
    naming the log and the error, not an exception."""
    def broken(*_args, **_kw):
        raise ValueError("cannot convert float NaN to integer")

    monkeypatch.setattr(calib, "calibrate", broken)
    res = calib.calibrate_upload(calib.Upload("log.csv", log_bytes), hall, reps=1)
    assert res.calibration is None
    assert res.errors == (t("cal.unexpected", "en", name="log.csv",
                            error="ValueError: cannot convert float NaN to integer"),)


# ------------------------------------------------------------------ the page under AppTest
@pytest.fixture
def app(folder, monkeypatch) -> AppTest:
    """The app on the Calibrate page, offering the tiny folder, on one process."""
    at = dashboard(folder, monkeypatch, 120)
    at.run()
    return at.switch_page("sim/ui/pages/calibrate.py").run()


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_example_log_calibrates_on_the_page(app, lang):
    """With the example log and the tiny hall, the page runs the calibration and shows what
    was read, the fitted parameters, the headline and the verdict table, the figures, the
    downloads and the notes, all in the language; the result is saved as a variant."""
    at = in_language(app, lang)
    _no_exception(at)
    assert at.title[0].value == t("page.calibrate", lang)
    at.radio(key="keep.cal.log_source").set_value("example").run()
    at.number_input(key="keep.cal.reps").set_value(REPS).run()
    at.button(key="cal.run").click().run()
    _no_exception(at)
    assert [s.value for s in at.subheader] == [t(k, lang) for k in ("cal.read", "cal.fitted", "cal.validation",
                                                                  "cal.figures", "cal.downloads")]
    assert at.session_state["variants"].keys() == {"tiny_log_calibrated"}
    headline = [s.value for s in at.success] + [w.value for w in at.warning]
    validation = at.session_state["results"]["calibrate"]["value"].calibration
    assert calib.headline(validation, lang) in headline
    assert any("UTF-8" in m.value for m in at.markdown), "the encoding detected is said"
    verdicts = [d.value for d in at.dataframe if t("calc.verdict", lang) in d.value.columns]
    assert verdicts and len(verdicts[0]) == len(validation.validation.table)
    assert len(at.image) >= 4, "the report's figures are shown"
    captions = {m.value for m in at.markdown}
    assert f"**{t('cal.figcap.wait_mean_min', lang)}**" in captions
    # the rest of the fit: hourly rates by weekday, window hours and the roster from the operators
    assert t("cal.more.weekday_hours", lang) in " ".join(captions)
    frames = [d.value for d in at.dataframe]
    assert any("hour" in f.columns and "mon" in f.columns for f in frames), "tickets per hour by weekday"
    assert any("in_hall" in f.columns for f in frames), "window hours from the log"
    assert any("operator" in f.columns and len(f) > 0 for f in frames), "the roster from the operators"
    # the fit's notes, each in the page's language
    said = "\n".join(m.value for m in at.markdown)
    assert validation.fit.notes and all(f"- {note_text(n, lang)}" in said for n in validation.fit.notes)


def test_the_calibrated_variant_is_offered_on_the_compare_page(app):
    """After a calibration, the Compare page offers the calibrated scenario as a variant."""
    at = app
    at.radio(key="keep.cal.log_source").set_value("example").run()
    at.number_input(key="keep.cal.reps").set_value(1).run()
    at.button(key="cal.run").click().run()
    at.switch_page("sim/ui/pages/compare.py").run()
    _no_exception(at)
    options = [o for box in at.multiselect for o in box.options]
    assert any(o.startswith("tiny_log_calibrated") for o in options), options


def test_an_uploaded_log_runs_on_the_page(app, log_bytes):
    """A log given through the uploader calibrates like the example."""
    at = app
    at.file_uploader(key="upload.cal.log").set_value(("uploaded.csv", log_bytes, "text/csv")).run()
    at.number_input(key="keep.cal.reps").set_value(1).run()
    at.button(key="cal.run").click().run()
    _no_exception(at)
    assert "uploaded_calibrated" in at.session_state["variants"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_upload_shows_an_error_naming_the_file_and_no_exception(app, lang):
    """A log with columns of no known layout shows the problem naming the file and its
    columns, under a heading in the language; no traceback, no variant."""
    at = in_language(app, lang)
    at.file_uploader(key="upload.cal.log").set_value(("wrong.csv", b"a,b\n1,2\n", "text/csv")).run()
    at.button(key="cal.run").click().run()
    _no_exception(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(t("cal.failed", lang))
    assert "wrong.csv" in errors[0] and "a, b" in errors[0]
    assert "variants" not in at.session_state or not at.session_state["variants"]


def test_without_a_log_the_button_waits(app):
    """Before a log is given the page asks for one and the run button is disabled."""
    assert app.button(key="cal.run").disabled
    assert t("cal.upload_first", "en") in [i.value for i in app.info]
