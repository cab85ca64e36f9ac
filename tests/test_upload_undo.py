"""Undo on the upload page (issue 10, point 12): a clerk undoes their own import while no later
import changed the same rows; the confirm text and the result give the same row counts."""

from __future__ import annotations

import pytest

from etl import worker
from etl.load import FileRefused, load_files
from queries import db
from tests.test_upload import (
    CALLS,
    alerts,
    calls_gbk,
    open_upload,
    rows,
    satisfaction_page,
    upload,
    warehouse,  # noqa: F401 - the fixture
)
from tests.test_upload_rejected import open_as


def undo(at, import_id: int) -> tuple[str, str]:
    """Pick, ask, confirm: the confirm text and the result."""
    at.selectbox(key="upl_pick").set_value(import_id).run()
    at.button(key="upl_undo").click().run()
    [confirm] = alerts(at, "warning")
    at.button(key="upl_undo_yes").click().run()
    return confirm, (alerts(at, "success") + alerts(at, "error"))[0]


def import_of(path, file_name: str) -> int:
    [(import_id,)] = rows(
        path, f"select max(import_id) from imports where file_name = '{file_name}'"
    )
    return import_id


def test_a_clerk_undoes_their_own_import_and_the_counts_agree(warehouse):
    before = satisfaction_page("staff")
    at = upload(open_as("staff"), ("calls.csv", calls_gbk()))
    at.button(key="upl_load").click().run()
    own = import_of(warehouse, "calls.csv")
    # Only their own import is offered (the sample's imports are the administrator's).
    [offered] = at.selectbox(key="upl_pick").options
    assert offered.startswith(f"#{own} calls.csv（")

    confirm, result = undo(at, own)

    # tests/test_upload.py: the clerk's load took N01 N05 (东风) and N02 N06 (南湖), 4 new rows.
    assert "它新增的 4 行将被删除，它更新的 0 行将恢复为导入前的值" in confirm
    assert result == f"已撤销导入 #{own}「calls.csv」：删除 4 行，恢复 0 行。各页面已刷新。"
    assert satisfaction_page("staff") == before
    assert rows(warehouse, f"select status from imports where import_id = {own}") == [("已撤销",)]


def test_undo_of_an_update_says_what_it_deletes_and_restores(warehouse, tmp_path):
    first = tmp_path / "calls.csv"
    first.write_bytes(calls_gbk())
    load_files(warehouse, [first], "call_records", user="admin")
    # The newer export: N01 turned 不满意 (an update) and N11 is new.
    newer = tmp_path / "calls_v2.csv"
    newer.write_bytes(
        (
            CALLS.replace(
                "N01,2024-04-01 08:00,东风派出所,治安,满意",
                "N01,2024-04-01 08:00,东风派出所,治安,不满意",
            )
            + "N11,2024-04-12,东风派出所,治安,满意,\n"
        ).encode("gbk")
    )
    [second] = load_files(warehouse, [newer], "call_records", user="admin")
    assert (second.rows_inserted, second.rows_updated) == (1, 1)

    confirm, result = undo(open_upload(), second.import_id)

    assert "它新增的 1 行将被删除，它更新的 1 行将恢复为导入前的值" in confirm
    # Was "删除 2 行": the updated row, deleted and put back, was counted as deleted too.
    assert "删除 1 行，恢复 1 行" in result
    assert rows(warehouse, "select callback_result from call_records where record_id = 'N01'") == [
        ("满意",)
    ]


def test_a_clerk_cannot_undo_an_import_a_later_one_changed_nor_anyone_elses(
    warehouse,
    tmp_path,
):
    at = upload(open_as("staff"), ("calls.csv", calls_gbk()))
    at.button(key="upl_load").click().run()
    own = import_of(warehouse, "calls.csv")
    # The administrator then loads a newer export that changes N01, one of the clerk's rows.
    newer = tmp_path / "calls_v2.csv"
    newer.write_bytes(
        CALLS.replace("东风派出所,治安,满意,态度好", "东风派出所,治安,不满意,态度好").encode("gbk")
    )
    [later] = load_files(warehouse, [newer], "call_records", user="admin")
    identity = db.file_identity(warehouse)

    _, result = undo(open_as("staff"), own)

    assert result == (
        f"不能撤销导入 #{own}：之后的导入 #{later.import_id}（1 行） 修改了它写入的记录，"
        "请先撤销这些导入。"
    )
    assert db.file_identity(warehouse) == identity
    # Someone else's import, asked for directly: as if it did not exist.
    with pytest.raises(FileRefused, match=f"没有编号为 {later.import_id} 的导入"):
        worker.undo_import(warehouse, later.import_id, user="staff", own_only=True)
    assert db.file_identity(warehouse) == identity
