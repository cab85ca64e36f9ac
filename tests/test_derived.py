"""Derived tables (etl.derived): each equals its defining view after every kind of change."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from etl import derived, store
from etl.load import load_files, load_manifest, rebuild
from etl.undo import undo_import
from tests.conftest import SAMPLE

# Each derived table is its view materialised.
PAIRS = [
    ("complaint_case_facts", "complaint_case_facts_source"),
    ("call_record_days", "call_record_days_source"),
]

# SQ02 is reassigned (改派) from 东风派出所 to 南湖派出所 and its handling unit follows; SQ90 is new.
EVENTS = """工单编号,操作时间,环节,发送单位,接收单位,意见
SQ02,2024/4/3 9:00,改派,东风派出所,南湖派出所,辖区调整
SQ90,2024/4/20 9:05,受理,,市局,
SQ90,2024/4/20 10:00,交办,市局,东风派出所,
SQ90,2024/4/21 10:00,退回,东风派出所,市局,非本辖区
"""
COMPLAINTS = """工单编号,受理时间,来源渠道,诉求类型,标题,诉求内容,受理单位,承办单位,办理状态,办理时限,办结时间,回访结果,问题类别
SQ90,2024-04-20 09:00:00,12345,投诉,路灯不亮,小区路灯坏了,市局,东风派出所,办理中,2024-04-22 23:59:59,,,治安管理
"""

# JQ01 moves from 1 March to 9 March and turns 不满意; JQ99 is new.
CALLS = """警情编号,报警时间,管辖单位,警种,警情类别,回访时间,回访结果,回访记录
JQ01,2024/3/9 9:10,东风派出所,治安,纠纷,2024/3/10 10:00,不满意,等了很久
JQ99,2024/3/9 11:00,东风派出所,治安,纠纷,2024/3/10 11:00,满意,
"""


def differences(path, table: str, view: str) -> list:
    """Rows in the table and not the view, or the reverse (as multisets)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            f"(select * from {table} except all select * from {view})"
            f" union all (select * from {view} except all select * from {table})"
        ).fetchall()
    finally:
        con.close()


def count(path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def warehouse(sample_db, tmp_path):
    path = tmp_path / "minyi.duckdb"
    shutil.copyfile(sample_db, path)
    shutil.copytree(store.archive_dir(sample_db), store.archive_dir(path))
    return path


@pytest.mark.parametrize(("table", "view"), PAIRS)
def test_the_sample_warehouse_holds_each_derived_table_exactly(sample_db, table, view):
    assert count(sample_db, f"select count(*) from {table}") > 0
    assert differences(sample_db, table, view) == []


def test_case_facts_hold_the_hand_counted_returns_and_first_dispatch(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        returned = con.execute(
            "select case_id from complaint_case_facts where is_returned order by case_id"
        ).fetchall()
        first = con.execute(
            "select first_unit_id = handling_unit_id from complaint_case_facts"
            " where case_id = 'SQ01'"
        ).fetchone()
    finally:
        con.close()
    assert returned == [("SQ06",), ("SQ12",)]  # the two cases with a 退回/改派 step
    assert first == (True,)  # SQ01 was first sent to 东风派出所, which handles it


@pytest.mark.parametrize(("table", "view"), PAIRS)
def test_an_incremental_load_and_its_undo_keep_each_derived_table_exact(
    warehouse, tmp_path, table, view
):
    events = tmp_path / "events.csv"
    events.write_text(EVENTS, encoding="utf-8-sig")
    complaints = tmp_path / "complaints.csv"
    complaints.write_text(COMPLAINTS, encoding="utf-8-sig")
    before = count(
        warehouse, "select count(*) filter (where is_returned) from complaint_case_facts"
    )

    [new_case] = load_files(warehouse, [complaints], "complaints")
    [steps] = load_files(warehouse, [events], "complaint_events")
    assert differences(warehouse, table, view) == []
    # SQ02 (改派) and SQ90 (退回) are now returned cases
    assert (
        count(warehouse, "select count(*) filter (where is_returned) from complaint_case_facts")
        == before + 2
    )

    undo_import(warehouse, steps.import_id)
    assert differences(warehouse, table, view) == []
    assert (
        count(warehouse, "select count(*) filter (where is_returned) from complaint_case_facts")
        == before
    )
    undo_import(warehouse, new_case.import_id)
    assert differences(warehouse, table, view) == []
    assert count(warehouse, "select count(*) from complaint_case_facts where case_id = 'SQ90'") == 0


def test_a_call_record_moved_to_another_day_and_its_undo_keep_the_daily_counts_exact(
    warehouse, tmp_path
):
    calls = tmp_path / "calls.csv"
    calls.write_text(CALLS, encoding="utf-8-sig")
    day = "select coalesce(sum(records), 0) from call_record_days where day = '{}'"
    march_1, march_9 = (
        count(warehouse, day.format("2024-03-01")),
        count(warehouse, day.format("2024-03-09")),
    )

    [moved] = load_files(warehouse, [calls], "call_records", fixed={"channel": "110"})
    assert (moved.rows_inserted, moved.rows_updated) == (1, 1)
    for table, view in PAIRS:
        assert differences(warehouse, table, view) == []
    assert count(warehouse, day.format("2024-03-01")) == march_1 - 1
    assert count(warehouse, day.format("2024-03-09")) == march_9 + 2

    undo_import(warehouse, moved.import_id)
    for table, view in PAIRS:
        assert differences(warehouse, table, view) == []
    assert count(warehouse, day.format("2024-03-01")) == march_1
    assert count(warehouse, day.format("2024-03-09")) == march_9


def test_rebuild_and_a_fresh_manifest_load_refresh_the_derived_tables(warehouse, tmp_path):
    rebuild(warehouse)
    for table, view in PAIRS:
        assert differences(warehouse, table, view) == []
    fresh = tmp_path / "fresh.duckdb"
    load_manifest(fresh, SAMPLE / "manifest.json", fresh=True)
    for table, view in PAIRS:
        assert differences(fresh, table, view) == []


def test_a_warehouse_from_before_the_derived_tables_gets_them_when_migrated(warehouse):
    con = duckdb.connect(str(warehouse))
    con.execute("drop macro table call_counts")
    for table, view in PAIRS:
        con.execute(f"drop table {table}")
        con.execute(f"drop view {view}")
    con.execute("delete from schema_migrations where name like '006_%'")
    con.close()

    store.create(warehouse)  # what the app does on start when a migration is pending

    for table, view in PAIRS:
        assert count(warehouse, f"select count(*) from {table}") > 0
        assert differences(warehouse, table, view) == []


def test_refresh_of_no_import_changes_nothing(warehouse):
    con = duckdb.connect(str(warehouse))
    try:
        derived.refresh(con, [])
        rows = con.execute("select count(*) from complaint_case_facts").fetchone()[0]
    finally:
        con.close()
    assert rows == count(warehouse, "select count(*) from complaints")
    for table, view in PAIRS:
        assert differences(warehouse, table, view) == []
