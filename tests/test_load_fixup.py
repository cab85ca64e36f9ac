"""The fix-and-send-again loop: the rejected-rows file comes back in cleanly, rows superseded in
the same file are marked as such, and a preview shows what an update changes, field by field."""

from __future__ import annotations

import pytest

from etl.load import load_files, preview_file
from etl.mapping import FIXUP_HEADERS
from tests.test_load import UNITS, rows, write

# Rows 2..5: 0001 twice (row 4 replaces row 2), 0003 with a date that does not exist.
CALLS = """警情编号,报警时间,处警单位,回访结果,回访记录
0001,2024-03-05 09:30,东湖派出所,满意,民警到场很快
0002,2024-03-05 10:00,湖滨派出所,一般,处理还行
0001,2024-03-05 09:30,东湖派出所,不满意,后来又来电说不满意
0003,2024-02-30 08:00,湖滨派出所,满意,
"""


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    load_files(path, [write(tmp_path / "units.csv", UNITS)], "units")
    return path


def test_a_row_superseded_in_the_file_says_by_which_row(db, tmp_path):
    [result] = load_files(db, [write(tmp_path / "calls.csv", CALLS)], "call_records")
    assert (result.rows_inserted, result.rows_rejected) == (2, 2)
    superseded, bad_date = result.errors
    assert superseded == {
        "row": 2,
        "column": None,
        "value": None,
        "superseded_by": 4,
        "error": "与第 4 行是同一条记录（编号相同），已按第 4 行导入",
    }
    assert "superseded_by" not in bad_date and bad_date["row"] == 5
    assert rows(db, "select row_number, superseded_by from import_errors order by 1") == [
        (2, 4),
        (5, None),
    ]


def test_the_fixed_rejected_rows_file_loads_without_its_added_columns(db, tmp_path):
    load_files(db, [write(tmp_path / "calls.csv", CALLS)], "call_records")
    # The file the product gives back: row number and reason in front, the export's own columns
    # after; the clerk corrected the date. The superseded row 2 is not in it.
    fixed = (
        f"{FIXUP_HEADERS[0]},{FIXUP_HEADERS[1]},警情编号,报警时间,处警单位,回访结果,回访记录\n"
        "5,报警时间 '2024-02-30 08:00' 不是有效日期,0003,2024-02-28 08:00,湖滨派出所,满意,\n"
    )
    [again] = load_files(db, [write(tmp_path / "calls_fixed.csv", fixed)], "call_records")
    assert (again.rows_read, again.rows_inserted, again.rows_updated, again.rows_rejected) == (
        1,
        1,
        0,
        0,
    )
    assert again.mapping["行号"] is None and again.mapping["错误原因"] is None
    assert rows(db, "select record_id, callback_result, note from call_records order by 1") == [
        ("0001", "不满意", "后来又来电说不满意"),
        ("0002", "基本满意", "处理还行"),
        ("0003", "满意", None),
    ]


def test_a_preview_of_an_update_shows_each_changed_field_before_and_after(db, tmp_path):
    load_files(db, [write(tmp_path / "calls.csv", CALLS)], "call_records")
    newer = """警情编号,报警时间,处警单位,回访结果,回访记录
0001,2024-03-05 09:30,东湖派出所,满意,复访后满意
0002,2024-03-05 10:00,湖滨派出所,一般,处理还行
"""
    preview = preview_file(db, write(tmp_path / "newer.csv", newer), "call_records")
    assert (preview.result.rows_updated, preview.result.rows_unchanged) == (1, 1)
    assert preview.changes == [
        {"row": 2, "record_id": "0001", "field": "回访结果", "before": "不满意", "after": "满意"},
        {
            "row": 2,
            "record_id": "0001",
            "field": "回访记录",
            "before": "后来又来电说不满意",
            "after": "复访后满意",
        },
    ]


def test_the_rejected_rows_file_leaves_out_rows_superseded_in_the_file(db, tmp_path):
    from etl import worker

    path = write(tmp_path / "calls.csv", CALLS)
    [result] = load_files(db, [path], "call_records")
    fixup = worker.rejected_rows(path, result.errors, {})
    # Row 2 was loaded as row 4: sent again it would put the old 满意 back over 不满意.
    assert fixup[worker.ROW_COLUMN].tolist() == [5]
    assert fixup["警情编号"].tolist() == ["0003"]
    # A file whose only rejected rows were superseded gives no fix-up file at all.
    twice = write(tmp_path / "twice.csv", CALLS.rsplit("\n", 2)[0] + "\n")
    [result] = load_files(db, [twice], "call_records")
    assert [e["row"] for e in result.errors] == [2]
    assert worker._loaded(twice, result, {}).rejected is None
