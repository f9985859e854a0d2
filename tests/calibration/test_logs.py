"""Reading queue-ticket logs: layouts, encodings, XLSX, mappings, bad rows by kind."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.calibration.logs import LogError, read_log, read_mapping

HEADER = "票号,业务名称,取号时间,叫号时间,开始服务时间,完成时间,办理时长(秒),窗口名称,操作人员,状态,证件号码\n"
GOOD = [
    "A001,apply,2026-03-02 09:00:00,2026-03-02 09:05:00,2026-03-02 09:05:30,2026-03-02 09:12:30,420,W1,li,已办结,330102195001011234",
    "A002,collect,2026-03-02 09:01,2026-03-02 09:20,,,,,,过号,330102199001011234",
    "A003,apply,2026-03-02 09:02:00,2026-03-02 09:10:00,2026-03-02 09:10:00,2026-03-02 09:14:00,240,W2,wang,已办结,",
    "A004,collect,2026-03-02 09:03:00,,,,,,,弃号,",
]
SERVICES = ["apply", "collect"]


def write(tmp_path, rows, name="log.csv", encoding="utf-8", header=HEADER):
    path = tmp_path / name
    path.write_bytes((header + "\n".join(rows) + "\n").encode(encoding))
    return path


def test_chinese_export_becomes_tidy_tickets(tmp_path):
    """Statuses map to outcomes, times become minutes since midnight (with or without
    seconds), the wait is call − issue, the service time end − start, and the ID's birth
    date gives the elderly flag (unknown without an ID)."""
    log = read_log(write(tmp_path, GOOD), SERVICES)
    t = log.tickets
    assert log.layout == "zh" and log.encoding_name == "UTF-8"
    assert list(t["outcome"]) == ["served", "no_show", "served", "abandoned"]
    assert t.loc[0, "issued_min"] == 540 and t.loc[0, "wait_min"] == 5 and t.loc[0, "service_min"] == 7
    assert t.loc[1, "wait_min"] == 19
    assert list(t["elderly"].astype(object)) == [True, False, pd.NA, pd.NA]
    assert log.age_source == "证件号码" and not log.booked_known
    assert log.bad.empty and log.unmatched == {}


@pytest.mark.parametrize("encoding, name", [("gbk", "GBK"), ("utf-8-sig", "UTF-8 with BOM"), ("gb18030", "GB18030")])
def test_encodings_are_detected_and_said(tmp_path, encoding, name):
    """A GBK, BOM or GB18030 file reads to the same tickets and says its encoding (a GB18030
    file holding a character outside GBK: 𠀀 in an operator name)."""
    rows = GOOD if encoding != "gb18030" else [GOOD[0].replace(",li,", ",李𠀀,")] + GOOD[1:]
    log = read_log(write(tmp_path, rows, encoding=encoding), SERVICES)
    assert log.encoding_name == name
    assert len(log.tickets) == 4 and log.tickets.loc[0, "business"] == "apply"


def test_xlsx_log_reads_like_its_csv(tmp_path):
    """The same rows saved as XLSX give the same tickets."""
    csv = read_log(write(tmp_path, GOOD), SERVICES)
    frame = pd.read_csv(tmp_path / "log.csv", dtype=str, keep_default_na=False)
    frame.to_excel(tmp_path / "log.xlsx", index=False, engine="openpyxl")
    xlsx = read_log(tmp_path / "log.xlsx", SERVICES)
    assert xlsx.encoding_name == "XLSX"
    cols = ["ticket", "service", "issued_min", "called_min", "service_min", "outcome", "window"]
    pd.testing.assert_frame_equal(xlsx.tickets[cols], csv.tickets[cols])


def test_times_without_date_take_the_date_column(tmp_path):
    """A log whose times carry no date and a 日期 column gives the same minutes and dates."""
    header = "日期,票号,业务名称,取号时间,叫号时间,开始服务时间,完成时间,窗口名称,状态\n"
    rows = ["2026-03-03,A001,apply,09:00,09:04:30,09:04:30,09:10,W1,已办结"]
    t = read_log(write(tmp_path, rows, header=header), SERVICES).tickets
    assert str(t.loc[0, "date"]) == "2026-03-03" and t.loc[0, "wait_min"] == 4.5 and t.loc[0, "service_min"] == 5.5


def test_each_bad_row_kind_is_counted_with_its_line(tmp_path):
    """Unparseable time, called before issued, negative duration, duplicate ticket, unknown
    status and a missing issue time are each reported with the line and column; the good
    rows are kept."""
    bad = [
        "B001,apply,上午九点,,,,,,,已办结,",
        "B002,apply,2026-03-02 10:00:00,2026-03-02 09:59:00,,,,,,过号,",
        "B003,apply,2026-03-02 10:00:00,2026-03-02 10:01:00,2026-03-02 10:09:00,2026-03-02 10:02:00,,W1,li,已办结,",
        "A001,apply,2026-03-02 09:00:00,2026-03-02 09:05:00,2026-03-02 09:05:30,2026-03-02 09:12:30,420,W1,li,已办结,",
        "B005,apply,2026-03-02 10:00:00,,,,,,,失踪,",
        "B006,apply,,,,,,,,已办结,",
    ]
    extra = [r.replace("A00", "C00") for r in GOOD]
    log = read_log(write(tmp_path, GOOD + bad + extra), SERVICES)
    kinds = dict(zip(log.bad["kind"], log.bad["line"]))
    assert kinds == {"bad_time": 6, "called_before_issued": 7, "negative_duration": 8, "duplicate_ticket": 9,
                     "unknown_status": 10, "no_issue_time": 11}
    assert log.bad.set_index("kind").loc["bad_time", "column"] == "取号时间"
    assert len(log.tickets) == 8
    assert any("line 6 取号时间='上午九点'" in s for s in log.bad_summary())


def test_a_mostly_bad_log_is_refused(tmp_path):
    """More than half of the rows bad: LogError naming the file and the kinds."""
    bad = [f"B{i:03d},apply,not a time,,,,,,,已办结," for i in range(5)]
    with pytest.raises(LogError) as err:
        read_log(write(tmp_path, GOOD + bad), SERVICES)
    assert "log.csv: 5 of 9 rows are bad" in str(err.value) and "unparseable time" in str(err.value)


def test_unmatched_business_names_are_reported_not_guessed(tmp_path):
    """A business name that is no service code is counted and its tickets carry no service."""
    rows = GOOD + ["A009,社保卡申领,2026-03-02 11:00:00,,,,,,,弃号,"] * 1
    log = read_log(write(tmp_path, rows), SERVICES)
    assert log.unmatched == {"社保卡申领": 1}
    assert log.tickets["service"].isna().sum() == 1


def test_mapping_file_maps_columns_status_services_and_windows(tmp_path):
    """Another vendor's log reads through a mapping file."""
    header = "No,Biz,Issued,Called,Begin,Finish,Desk,Result\n"
    rows = ["7,申领,2026-03-02 09:00,2026-03-02 09:02,2026-03-02 09:02,2026-03-02 09:08,1号窗口,OK",
            "8,领卡,2026-03-02 09:01,2026-03-02 09:30,,,,GONE"]
    path = write(tmp_path, rows, header=header)
    (tmp_path / "map.yaml").write_text(
        "columns: {ticket: No, business: Biz, issued: Issued, called: Called, start: Begin, end: Finish, "
        "window: Desk, status: Result}\nstatus: {OK: served, GONE: no_show}\nservices: {申领: apply, 领卡: collect}\n"
        "windows: {1号窗口: W1}\n", encoding="utf-8")
    t = read_log(path, SERVICES, mapping=read_mapping(tmp_path / "map.yaml")).tickets
    assert list(t["service"]) == ["apply", "collect"] and list(t["outcome"]) == ["served", "no_show"]
    assert t.loc[0, "window"] == "W1"


def test_mapping_naming_an_absent_column_is_an_error_naming_it(tmp_path):
    """A mapping whose column is not in the file: LogError names the column and the field."""
    path = write(tmp_path, GOOD)
    (tmp_path / "map.yaml").write_text("columns: {ticket: TicketNo}\n", encoding="utf-8")
    with pytest.raises(LogError, match=r"column 'TicketNo' \(for ticket\) not in the file"):
        read_log(path, SERVICES, mapping=read_mapping(tmp_path / "map.yaml"))


def test_mapping_with_unknown_field_or_outcome_is_refused(tmp_path):
    """Unknown fields and outcomes in a mapping file are named."""
    (tmp_path / "map.yaml").write_text("columns: {tiket: No}\nstatus: {X: gone}\n", encoding="utf-8")
    with pytest.raises(LogError) as err:
        read_mapping(tmp_path / "map.yaml")
    assert "columns.tiket: unknown field" in str(err.value) and "status.X: 'gone' is not an outcome" in str(err.value)


def test_qmatic_recall_keeps_the_last_call_and_transfer_starts_a_new_ticket(tmp_path):
    """Qmatic transactions: a visit recalled after a NO_SHOW keeps its last call (one
    served ticket); a TRANSFER's next transaction is a ticket that is not a new arrival."""
    header = "visit_id,ticket,service,created,called,service_start,service_end,counter,staff,outcome\n"
    rows = [
        "v1,A1,apply,2026-03-02 09:00:00,2026-03-02 09:05:00,,,C1,li,NO_SHOW",
        "v1,A1,apply,2026-03-02 09:00:00,2026-03-02 09:09:00,2026-03-02 09:09:00,2026-03-02 09:15:00,C1,li,NORMAL",
        "v2,A2,apply,2026-03-02 09:01:00,2026-03-02 09:02:00,2026-03-02 09:02:00,2026-03-02 09:06:00,C2,wang,TRANSFER",
        "v2,A2,collect,2026-03-02 09:06:00,2026-03-02 09:08:00,2026-03-02 09:08:00,2026-03-02 09:10:00,C1,li,NORMAL",
    ]
    log = read_log(write(tmp_path, rows, header=header), SERVICES)
    t = log.tickets
    assert log.layout == "qmatic"
    assert list(t["outcome"]) == ["served", "transferred", "served"]
    assert t.loc[0, "wait_min"] == 9
    assert list(t["first"]) == [True, True, False]


def test_unrecognised_header_asks_for_a_mapping(tmp_path):
    """Columns of neither layout: LogError suggesting --columns."""
    with pytest.raises(LogError, match="give --columns map.yaml"):
        read_log(write(tmp_path, ["1,2"], header="a,b\n"), SERVICES)


def test_comment_lines_before_the_header_are_skipped_and_counted_in_line_numbers(tmp_path):
    """Two ``#`` lines before the header: the rows read, and a bad row's line number
    counts the comments (the file's own line)."""
    rows = GOOD + ["B001,apply,上午九点,,,,,,,已办结,"] + [r.replace("A00", "C00") for r in GOOD]
    path = write(tmp_path, rows, header="# simulated\n# second note\n" + HEADER)
    log = read_log(path, SERVICES)
    assert len(log.tickets) == 8 and list(log.bad["line"]) == [8]
