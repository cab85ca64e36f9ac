"""Rejected rows on the upload page (issue 10, points 1-2): a preview that rejects every row says
why and what to do (for a clerk: map a unit column or pick the unit of the whole file); the file of
rejected rows the page gives out comes back in cleanly; a load that wrote always shows its summary."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from etl import worker
from pages.ui import export, labels, tables
from pages.ui import labels_upload as text
from tests.signin import signed_in
from tests.test_upload import (
    ROOT,
    alerts,
    calls_gbk,
    counts,
    open_upload,
    rows,
    table,
    upload,
    warehouse,  # noqa: F401 - the fixture
)

# A message board's export (the shipped message_board profile's headers): no unit column.
BOARD = (
    "留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数\n"
    "B1,A001,路灯不亮,2024/4/1 9:00,东风路路灯坏了一周,0,1\n"
    "B2,A002,噪音扰民,2024/4/2 22:00,夜间施工噪音很大,0,3\n"
    "B3,A003,停车难,2024/4/3 8:30,小区门口乱停车,1,0\n"
)


def open_as(role: str) -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=240), role)
    at.switch_page("pages/upload.py")
    return at.run()


def test_a_clerks_board_export_without_a_unit_says_why_and_which_unit_to_pick(
    warehouse,
    realdata,
):
    content = (realdata / "群众留言_2019.xlsx").read_bytes()
    at = upload(open_as("staff"), ("群众留言_2019.xlsx", content))

    # Was: KeyError: 'change' with a traceback, the reasons never shown.
    assert not at.exception
    assert counts(at)[1:] == [("新增", "0"), ("更新", "0"), ("未变", "0"), ("拒绝", "4,326")]
    [error] = alerts(at, "error")
    assert error.startswith(text.ALL_REJECTED.format(n=4326))
    assert text.ADVICE_UNMAPPED_FIXABLE.format(label="承办单位", n=4326) in error
    reasons = table(at, text.REASON_ROWS)
    assert reasons.values.tolist() == [
        [
            "承办单位",
            4326,
            "第 2 行 承办单位 为空：本账号只能导入「江城市公安局东城分局」范围内的记录",
        ]
    ]
    # The way forward: the unit of the whole file, from the clerk's own tree only.
    unit = at.selectbox(key="upl_fix_f1_handling_unit_id")
    assert unit.options == ["东城分局", "东城分局 / 东风派出所", "东城分局 / 南湖派出所"]
    unit.set_value("东城分局东风派出所").run()
    assert counts(at)[1:] == [("新增", "4,326"), ("更新", "0"), ("未变", "0"), ("拒绝", "0")]
    assert alerts(at, "error") == []

    at.button(key="upl_load").click().run()
    assert not at.exception
    assert alerts(at, "success") == [
        "已导入 1 个文件：新增 4,326 行，更新 0 行，拒绝 0 行。各页面已刷新。"
    ]
    assert rows(
        warehouse,
        "select handling_unit_id, count(*) from complaints where channel = '网上留言' group by 1",
    ) == [("P11", 4326)]


def test_a_mapped_column_that_rejects_every_row_is_named(warehouse):
    # An administrator maps 留言用户 as the unit by mistake: no user id is a unit.
    at = upload(open_upload(), ("board.csv", BOARD.encode()))
    assert counts(at)[1] == ("新增", "3")
    at.selectbox(key="upl_map_f1_留言用户").set_value("handling_unit_id").run()

    assert not at.exception
    assert counts(at)[1:] == [("新增", "0"), ("更新", "0"), ("未变", "0"), ("拒绝", "3")]
    [error] = alerts(at, "error")
    assert text.ADVICE_MAPPED.format(label="承办单位", headers="留言用户", n=3) in error


def fixup_file(at: AppTest) -> tuple[pd.DataFrame, bytes]:
    """The rejected rows of the summary, and the CSV the download button gives for them (the
    same tables.labelled and export.to_csv_bytes as tables.download_buttons, admin: unmasked)."""
    frame = table(at, labels.UPLOAD_REASON)
    return frame, export.to_csv_bytes(tables.labelled(frame))


def test_the_rejected_rows_file_corrected_and_uploaded_again_loads_and_shows_its_summary(
    warehouse,
):
    at = upload(open_upload(), ("calls.csv", calls_gbk()))
    at.button(key="upl_load").click().run()
    frame, content = fixup_file(at)
    # tests/test_upload.py's hand count rejects rows 7, 11, 12, 14, 15; row 7 (N04) was loaded
    # as row 13, so it is nothing to fix: sent again it flipped N04 back with "更新 1" shown.
    assert frame[labels.UPLOAD_ROW].tolist() == [11, 12, 14, 15]
    assert text.SUPERSEDED_LEFT_OUT.format(n=1) in [c.value for c in at.caption]

    # The clerk corrects the date of N08 and the unit of N09, and leaves N10 and the blank id.
    fixed = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    fixed.loc[fixed["警情编号"] == "N08", "报警时间"] = "2024-04-08"
    fixed.loc[fixed["警情编号"] == "N09", "管辖单位"] = "东风派出所"
    again = fixed.to_csv(index=False).encode("utf-8-sig")
    at = upload(at, ("calls_被拒绝的行.csv", again))

    assert not at.exception
    # Its own 行号 and 错误原因 are the product's, not data: not mapped.
    assert at.selectbox(key="upl_map_f1_错误原因").value is None
    assert at.selectbox(key="upl_map_f1_行号").value is None
    # File rows 2-5: N08 N09 new, N10 很好 and the blank id rejected (the first load's summary
    # is still above the preview).
    assert counts(at)[-5:] == [
        ("读取行数", "4"),
        ("新增", "2"),
        ("更新", "0"),
        ("未变", "0"),
        ("拒绝", "2"),
    ]
    at.button(key="upl_load").click().run()

    # Was: ValueError: cannot insert 错误原因, already exists, after the data was written.
    assert not at.exception
    assert alerts(at, "success") == [
        "已导入 1 个文件：新增 2 行，更新 0 行，拒绝 2 行。各页面已刷新。"
    ]
    assert rows(
        warehouse,
        "select record_id, received_at::date::varchar, unit_id from call_records"
        " where record_id in ('N08', 'N09') order by 1",
    ) == [("N08", "2024-04-08", "P11"), ("N09", "2024-04-09", "P11")]
    # The new fix-up file: one 行号 and one 错误原因, about this file's rows 4 and 5.
    frame, _ = fixup_file(at)
    assert list(frame.columns[:3]) == [labels.UPLOAD_ROW, labels.UPLOAD_REASON, "警情编号"]
    assert frame[labels.UPLOAD_ROW].tolist() == [4, 5]
    assert frame["警情编号"].tolist() == ["N10", ""]


def test_a_fixup_file_that_cannot_be_made_leaves_the_summary_of_the_load(tmp_path):
    from etl.load import LoadResult

    result = LoadResult(
        7,
        "gone.csv",
        "call_records",
        rows_inserted=3,
        rows_rejected=1,
        errors=[{"row": 2, "column": "x", "value": None, "error": "为空"}],
    )
    loaded = worker._loaded(Path(tmp_path / "gone.csv"), result, {})

    assert loaded.result is result and loaded.rejected is None
    assert loaded.rejected_failed.startswith("被拒绝的行无法整理成文件")
