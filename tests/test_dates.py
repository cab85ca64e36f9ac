"""Year-last dates: month or day first, decided per column by what the column's values allow."""

from __future__ import annotations

import datetime as dt

import duckdb

from etl.load import load_files
from tests.test_load import UNITS, write

# 报警时间 is month first (13 and 31 only ever come second); 回访时间 is day first (13 comes first);
# J4's 回访时间 is year first, which any column reads.
CALLS = """警情编号,报警时间,处警单位,回访时间
J1,12/31/2016 09:30,东湖派出所,13/01/2017
J2,1/5/2017,东湖派出所,5/1/2017 10:00
J3,2/13/2017,湖滨派出所,14/2/2017
J4,2024-03-05,湖滨派出所,2024-03-06
"""


def test_each_column_gets_its_own_order(tmp_path):
    db = tmp_path / "w.duckdb"
    load_files(db, [write(tmp_path / "units.csv", UNITS)], "units")
    [result] = load_files(db, [write(tmp_path / "calls.csv", CALLS)], "call_records")
    assert result.rows_rejected == 0
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select record_id, received_at, callback_at from call_records order by record_id"
    ).fetchall()
    assert rows == [
        ("J1", dt.datetime(2016, 12, 31, 9, 30), dt.datetime(2017, 1, 13)),
        ("J2", dt.datetime(2017, 1, 5), dt.datetime(2017, 1, 5, 10, 0)),
        ("J3", dt.datetime(2017, 2, 13), dt.datetime(2017, 2, 14)),
        ("J4", dt.datetime(2024, 3, 5), dt.datetime(2024, 3, 6)),
    ]


def test_a_column_that_leaves_a_doubt_is_never_guessed(tmp_path):
    db = tmp_path / "w.duckdb"
    load_files(db, [write(tmp_path / "units.csv", UNITS)], "units")
    # 03/05 and 04/06 read either way: both rows are rejected, the year-first one loads.
    calls = (
        "警情编号,报警时间,处警单位\nJ1,03/05/2016,东湖派出所\nJ2,04/06/2016,东湖派出所\n"
        "J3,2016-05-07,东湖派出所\n"
    )
    [result] = load_files(db, [write(tmp_path / "calls.csv", calls)], "call_records")
    assert (result.rows_inserted, result.rows_rejected) == (1, 2)
    assert {e["row"] for e in result.errors} == {2, 3}
    assert all("不是有效日期" in e["error"] for e in result.errors)
