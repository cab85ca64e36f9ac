"""The upload page (数据导入) under AppTest with real and synthetic exports: detection, mapping,
fixed values, preview, unit aliases, load, summary, history and undo; payload refusals; profiles."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import queries
from etl import readers, safety, saved_mappings
from etl.inspect import inspect
from pages.ui import labels
from queries import db
from tests.signin import signed_in
from tests.test_readers import encrypted_ooxml

ROOT = Path(__file__).resolve().parents[1]

# A GBK export of 110 callbacks as a unit's system writes it: a title and an export-time line above
# the header (row 3), dates in every common form, full-width digits, a duplicate and bad rows.
CALLS = """江城市公安局110警情回访记录表,,,,,
导出时间：2024年4月30日,,,,,
警情编号,报警时间,管辖单位,警情类别,回访结果,回访记录
N01,2024-04-01 08:00,东风派出所,治安,满意,态度好
N02,2024/4/2 9:30,南湖派出所,治安,非常满意,
N03,2024年4月3日,西山派出所,交通,一般,
N04,20240404,北关派出所,治安,不满意,处理慢
Ｎ０５,２０２４－０４－０５ １０：３０,东风派出所,治安,满意,全角数字
N06,2024.4.6,南湖派出所,治安,基本满意,
N07,45393,西山派出所,治安,满意,
N08,2024-13-01,东风派出所,治安,满意,
N09,2024-04-09,东湖所,治安,满意,
N04,20240404,北关派出所,治安,不满意,处理慢
N10,2024-04-10,东风派出所,治安,很好,
,2024-04-10,东风派出所,治安,满意,
"""
# File rows 4..15 hold 12 data rows. Rejected: 7 (N04, repeated by row 13, which is kept),
# 11 (month 13), 12 (东湖所 is no unit), 14 (很好 is no callback result), 15 (no id) → 5.
# New: N01 N02 N03 N04 N05 N06 N07 (45393 is Excel's serial day for 2024-04-11) → 7.


def calls_gbk() -> bytes:
    return CALLS.encode("gbk")


def window_xlsx() -> bytes:
    """Window callbacks: a merged title row, a two-level header (rows 2-3) and a footer note."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "4月"
    sheet["A1"] = "江城市公安局出入境窗口回访记录（2024年4月）"
    sheet.merge_cells("A1:E1")
    for column, text in zip("ABCD", ["业务编号", "办理时间", "办理窗口", "回访情况"]):
        sheet[f"{column}2"] = text
    for column in "ABC":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:E2")
    sheet["D3"], sheet["E3"] = "评价结果", "备注"
    for row in [
        ("W01", dt.datetime(2024, 4, 1, 9, 0), "出入境窗口", "满意", None),
        ("W02", "2024/4/2", "出入境大厅", "不满意", "排队久"),
        ("W03", dt.date(2024, 4, 3), "出入境窗口", "非常满意", None),
        ("W04", "2024年4月4日 14:30", "出入境窗口", "未接通", None),
    ]:
        sheet.append(row)
    sheet.append([])
    sheet.append(["制表人：李四"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def warehouse(scratch_db, monkeypatch, tmp_path) -> Path:
    """A writable copy of the sample warehouse that the app reads; uploads staged under tmp_path."""
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    monkeypatch.setenv("MINYI_DEMO", "0")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return scratch_db


def open_upload() -> AppTest:
    # An administrator: loads, and also names unit aliases and undoes loads.
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=240), "admin")
    at.switch_page("pages/upload.py")
    return at.run()


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value(
        [(name, content, "application/octet-stream") for name, content in files]
    )
    return at.run()


def plain(text: str) -> str:
    """Alert text as the browser shows it (the page escapes markdown in text from files)."""
    return re.sub(r"\\(.)", r"\1", text)


def alerts(at: AppTest, kind: str) -> list[str]:
    return [plain(a.value) for a in getattr(at, kind)]


def counts(at: AppTest) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def rows(path: Path, sql: str) -> list[tuple]:
    with db.read(path) as con:
        return con.execute(sql).fetchall()


def snapshot(path: Path) -> dict[str, list]:
    """Every row of every table, sorted: equal snapshots mean equal databases."""
    with db.read(path) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_catalog = 'minyi'"
                " order by table_name"
            ).fetchall()
        ]
        return {
            t: sorted(map(repr, con.execute(f'select * from "{t}"').fetchall())) for t in tables
        }


def satisfaction_page(role: str = "analyst", **account: str) -> dict[str, str]:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role, **account)
    at.switch_page("pages/satisfaction.py")
    return {m.label: m.value for m in at.run().metric}


def test_size_limit_is_stated_on_the_page(warehouse):
    at = open_upload()

    assert not at.exception
    assert at.title[0].value == labels.TITLES["upload"]
    limit = st.get_option("server.maxUploadSize")
    assert f"单个文件不超过 {limit} MB" in at.caption[0].value


def test_gbk_export_with_title_rows_previews_every_row_and_reason(warehouse):
    at = upload(open_upload(), ("calls.csv", calls_gbk()))

    assert not at.exception
    detected = plain(at.markdown[0].value)
    assert "编码 gb18030" in detected and "表头在第 3 行" in detected
    assert "110/12345/窗口回访记录" in detected
    assert at.selectbox(key="upl_kind_f1").value == "call_records"
    assert {
        h: at.selectbox(key=f"upl_map_f1_{h}").value
        for h in ("警情编号", "报警时间", "管辖单位", "回访结果")
    } == {
        "警情编号": "record_id",
        "报警时间": "received_at",
        "管辖单位": "unit_id",
        "回访结果": "callback_result",
    }
    assert counts(at) == [
        ("读取行数", "12"),
        ("新增", "7"),
        ("更新", "0"),
        ("未变", "0"),
        ("拒绝", "5"),
    ]
    stored = table(at, labels.UPLOAD_CHANGE_COL)
    assert stored["记录编号"].tolist() == ["N01", "N02", "N03", "N05", "N06", "N07", "N04"]
    assert [str(t) for t in stored["受理时间"]] == [
        "2024-04-01 08:00:00",
        "2024-04-02 09:30:00",
        "2024-04-03 00:00:00",
        "2024-04-05 10:30:00",
        "2024-04-06 00:00:00",
        "2024-04-11 00:00:00",
        "2024-04-04 00:00:00",
    ]
    assert stored["回访结果"].tolist() == [
        "满意",
        "满意",
        "基本满意",
        "满意",
        "基本满意",
        "满意",
        "不满意",
    ]
    errors = table(at, labels.UPLOAD_ERROR)[labels.UPLOAD_ERROR].tolist()
    assert errors == [
        "第 7 行 与第 13 行是同一条记录（编号相同），已按第 13 行导入",
        "第 11 行 受理时间 '2024-13-01' 不是有效日期",
        "第 12 行 单位 '东湖所' 不是已知单位，最接近：东城分局南湖派出所、东风派出所、南湖派出所",
        "第 14 行 回访结果 '很好' 不是可识别的取值（可选：满意、基本满意、不满意、未回访）",
        "第 15 行 记录编号 为空（必填）",
    ]
    assert at.selectbox(key="upl_unit_f1_东湖所").options[:3] == [
        "东城分局南湖派出所",
        "东风派出所",
        "南湖派出所",
    ]
    assert rows(warehouse, "select count(*) from call_records where record_id like 'N%'") == [(0,)]


def test_load_moves_the_dashboard_by_the_summary_and_undo_puts_it_back(warehouse):
    original = snapshot(warehouse)
    assert satisfaction_page() == {
        "满意率": "80.8%",
        "有效回访率": "86.7%",
        "不满意件数": "5",
        "回访记录数": "30",
    }
    at = upload(open_upload(), ("calls.csv", calls_gbk()))
    at.selectbox(key="upl_unit_f1_东湖所").set_value("东风派出所").run()
    at.button(key="upl_alias_f1").click().run()
    # The alias is an import of its own; the preview now resolves 东湖所 (row 12).
    assert alerts(at, "success") == ["已保存 1 个单位别名，预览已按新别名更新。"]
    assert rows(warehouse, "select alias, unit_id from unit_aliases where alias = '东湖所'") == [
        ("东湖所", "P11")
    ]
    assert counts(at)[1:] == [("新增", "8"), ("更新", "0"), ("未变", "0"), ("拒绝", "4")]
    at.text_input(key="upl_fix_f1_channel").input("110").run()
    at.button(key="upl_load").click().run()

    assert not at.exception
    assert alerts(at, "success") == [
        "已导入 1 个文件：新增 8 行，更新 0 行，拒绝 4 行。各页面已刷新。"
    ]
    # New rows: 满意 N01 N02 N05 N07 N09, 基本满意 N03 N06, 不满意 N04. With the sample's
    # 16/5/5/4: 满意 21, 基本满意 7, 不满意 6 → 28/34 = 82.4% (21/26 = 80.8% before: +1.6 points);
    # valid replies 34 of 38 = 89.5% (26 of 30 = 86.7%: +2.8).
    figures = table(at, labels.UPLOAD_FIGURE)
    assert figures.values.tolist() == [
        ["满意率", "80.8%", "82.4%", "+1.6 个百分点"],
        ["有效回访率", "86.7%", "89.5%", "+2.8 个百分点"],
    ]
    # Row 7 (N04) is rejected as loaded by row 13: nothing to fix, so not in the fix-up file.
    rejected = table(at, labels.UPLOAD_REASON)
    assert rejected[labels.UPLOAD_ROW].tolist() == [11, 14, 15]
    assert rejected["警情编号"].tolist() == ["N08", "N10", ""]
    assert [b.label for b in at.get("download_button")] == [
        labels.UPLOAD_REJECTED_CSV,
        labels.UPLOAD_REJECTED_XLSX,
    ]
    assert satisfaction_page() == {
        "满意率": "82.4%",
        "有效回访率": "89.5%",
        "不满意件数": "6",
        "回访记录数": "38",
    }
    assert rows(
        warehouse,
        "select uploaded_by, rows_inserted, rows_rejected from imports"
        " where file_name = 'calls.csv'",
    ) == [("admin", 8, 4)]
    assert rows(
        warehouse,
        "select count(*), min(channel), max(channel) from call_records where record_id like 'N%'",
    ) == [(8, "110", "110")]
    history = table(at, labels.UPLOAD_FIGURES)
    assert history.iloc[0][labels.UPLOAD_FIGURES] == "满意率 80.8%→82.4%；有效回访率 86.7%→89.5%"

    # Undo the load, then the alias: the database is as it was, table by table.
    for file_name in ("calls.csv", "单位别名%"):
        [(import_id,)] = rows(
            warehouse, f"select import_id from imports where file_name like '{file_name}'"
        )
        at.selectbox(key="upl_pick").set_value(import_id).run()
        at.button(key="upl_undo").click().run()
        assert "确定撤销导入" in alerts(at, "warning")[0]
        at.button(key="upl_undo_yes").click().run()
        assert alerts(at, "success")[0].startswith("已撤销导入")
    assert satisfaction_page() == {
        "满意率": "80.8%",
        "有效回访率": "86.7%",
        "不满意件数": "5",
        "回访记录数": "30",
    }
    after = snapshot(warehouse)
    log = ("imports", "import_errors")
    assert {t: v for t, v in after.items() if t not in log} == {
        t: v for t, v in original.items() if t not in log
    }
    # The log keeps what happened: both imports, now undone, and the rows the load rejected.
    assert rows(
        warehouse,
        "select count(*) filter (where status = '已撤销'), count(*) from imports"
        " where import_id > 11",
    ) == [(2, 2)]
    assert len(after["import_errors"]) == len(original["import_errors"]) + 4


def test_a_clerk_loads_the_rows_of_their_own_unit_tree_and_no_other(warehouse):
    # The staff account of 东城分局 (FJ1: 东风 P11, 南湖 P12) uploads the bureau-wide file.
    west = {"username": "west", "unit": "FJ2"}
    west_before = satisfaction_page("staff", **west)
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=240), "staff")
    at.switch_page("pages/upload.py")
    at = upload(at.run(), ("calls.csv", calls_gbk()))

    assert not at.exception
    assert labels.UPLOAD_SCOPE.format(unit="江城市公安局东城分局") in [c.value for c in at.caption]
    # Rows 6 10 (西山) and 7 13 (北关) belong to 西城分局; 11 12 14 15 are rejected as for anyone.
    # Taken: N01 N05 (东风), N02 N06 (南湖).
    assert counts(at)[1:] == [("新增", "4"), ("更新", "0"), ("未变", "0"), ("拒绝", "8")]
    errors = table(at, labels.UPLOAD_ERROR)[labels.UPLOAD_ERROR].tolist()
    outside = "不在本账号范围（江城市公安局东城分局）内"
    assert errors[:2] == [
        f"第 6 行 单位 「西城分局西山派出所」{outside}",
        f"第 7 行 单位 「西城分局北关派出所」{outside}",
    ]
    at.button(key="upl_load").click().run()
    assert alerts(at, "success") == [
        "已导入 1 个文件：新增 4 行，更新 0 行，拒绝 8 行。各页面已刷新。"
    ]
    # What the load moved, in the clerk's own tree (the bureau's figures are not theirs to see).
    assert labels.UPLOAD_FIGURES_MOVED_UNIT.format(unit="江城市公安局东城分局") in [
        c.value for c in at.caption
    ]
    assert [row[:3] for row in table(at, labels.UPLOAD_FIGURE).values.tolist()] == [
        ["满意率", "75.0%", f"{13 / 16:.1%}"],
        ["有效回访率", "92.3%", f"{16 / 17:.1%}"],
    ]
    assert rows(
        warehouse,
        "select record_id, unit_id from call_records where record_id like 'N%' order by 1",
    ) == [("N01", "P11"), ("N02", "P12"), ("N05", "P11"), ("N06", "P12")]
    # 东城分局 had 9 satisfied of 12 valid replies in 13 records; N01 N02 N05 are 满意 and N06
    # 基本满意: 13 of 16 = 81.25 %, 17 records. 西城分局 is untouched.
    assert satisfaction_page("staff") == {
        "满意率": f"{13 / 16:.1%}",
        "有效回访率": f"{16 / 17:.1%}",
        "不满意件数": "3",
        "回访记录数": "17",
    }
    assert satisfaction_page("staff", **west) == west_before
    # The clerk's history lists their own imports, which they may undo (tests/test_upload_undo.py).
    assert table(at, labels.UPLOAD_FILE)[labels.UPLOAD_FILE].tolist() == ["calls.csv"]
    assert len(at.selectbox(key="upl_pick").options) == 1
    assert rows(
        warehouse,
        "select uploaded_by, rows_inserted, rows_rejected from imports"
        " where file_name = 'calls.csv'",
    ) == [("staff", 4, 8)]


def test_the_load_runs_in_a_child_process_and_a_failed_child_changes_nothing(
    warehouse, monkeypatch, tmp_path
):
    from etl import tokenizer, worker

    # Segmenting in the server's process would stall every other session (PITFALLS S9).
    def in_this_process(*args, **kwargs):
        raise AssertionError("segmented in the dashboard's process")

    monkeypatch.setattr(tokenizer, "count_tokens", in_this_process)
    at = upload(open_upload(), ("calls.csv", calls_gbk()))
    at.button(key="upl_load").click().run()
    assert not at.exception
    assert alerts(at, "success") == [
        "已导入 1 个文件：新增 7 行，更新 0 行，拒绝 5 行。各页面已刷新。"
    ]
    assert rows(warehouse, "select count(*) from text_tokens where record_id like 'N%'") != [(0,)]

    before = snapshot(warehouse)
    calls = tmp_path / "calls.csv"
    calls.write_bytes(calls_gbk())
    broken = tmp_path / "crash.py"
    broken.write_text("import sys; sys.exit('killed')\n")
    monkeypatch.setattr(worker.subprocess, "run", _run_instead(broken))
    with pytest.raises(worker.FileRefused, match="导入进程意外结束（1）：killed。数据库未改动。"):
        worker.load_files(warehouse, [calls], "call_records")
    assert snapshot(warehouse) == before


def _run_instead(script: Path):
    """subprocess.run, running `script` whatever the command (a child that dies half-way)."""
    real = subprocess.run

    def run(command, **kwargs):
        return real([sys.executable, str(script)], **kwargs)

    return run


def test_undo_asks_first_and_cancel_changes_nothing(warehouse):
    at = open_upload()
    before = db.file_identity(warehouse)
    at.selectbox(key="upl_pick").set_value(1).run()
    at.button(key="upl_undo").click().run()
    at.button(key="upl_undo_no").click().run()

    assert alerts(at, "warning") == []
    assert db.file_identity(warehouse) == before


def test_merged_title_workbook_and_csv_load_together(warehouse):
    at = upload(open_upload(), ("calls.csv", calls_gbk()), ("window.xlsx", window_xlsx()))

    window = next(m.value for m in at.markdown if "工作表" in m.value)
    assert "工作表「4月」" in window and "表头在第 3 行" in window
    assert at.selectbox(key="upl_map_f2_评价结果").value == "callback_result"
    at.text_input(key="upl_fix_f2_channel").input("窗口")
    at.text_input(key="upl_fix_f2_police_type").input("出入境").run()
    assert counts(at)[5:] == [
        ("读取行数", "4"),
        ("新增", "4"),
        ("更新", "0"),
        ("未变", "0"),
        ("拒绝", "0"),
    ]
    at.button(key="upl_load").click().run()

    assert not at.exception
    # Two files mapped differently: two loads; 7 + 4 new rows, 5 + 0 rejected.
    assert alerts(at, "success") == [
        "已导入 2 个文件：新增 11 行，更新 0 行，拒绝 5 行。各页面已刷新。"
    ]
    assert rows(
        warehouse,
        "select record_id, received_at::varchar, unit_id, channel, police_type,"
        " callback_result from call_records where record_id like 'W%'"
        " order by record_id",
    ) == [
        ("W01", "2024-04-01 09:00:00", "CK1", "窗口", "出入境", "满意"),
        ("W02", "2024-04-02 00:00:00", "CK1", "窗口", "出入境", "不满意"),
        ("W03", "2024-04-03 00:00:00", "CK1", "窗口", "出入境", "满意"),
        ("W04", "2024-04-04 14:30:00", "CK1", "窗口", "出入境", "未回访"),
    ]
    assert len(at.file_uploader) == 1 and at.file_uploader[0].value == []


def test_page_and_command_line_take_a_file_to_the_same_rows(warehouse, sample_db, tmp_path):
    at = upload(open_upload(), ("calls.csv", calls_gbk()))
    at.text_input(key="upl_fix_f1_channel").input("110").run()
    at.button(key="upl_load").click().run()
    cli_db = tmp_path / "cli.duckdb"
    cli_db.write_bytes(sample_db.read_bytes())
    source = tmp_path / "cli" / "calls.csv"
    source.parent.mkdir()
    source.write_bytes(calls_gbk())
    subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            str(source),
            "--kind",
            "call_records",
            "--set",
            "channel=110",
            "--db",
            str(cli_db),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    page, cli = snapshot(warehouse), snapshot(cli_db)
    for name in ("call_records", "text_tokens", "import_errors", "units", "unit_aliases"):
        assert page[name] == cli[name], name


def test_loading_through_the_page_never_breaks_a_reader(warehouse):
    at = upload(open_upload(), ("calls.csv", calls_gbk()))
    failures: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def browse():
        while not stop.is_set():
            try:
                with db.read(warehouse) as con:
                    seen.add(con.execute("select count(*) from call_records").fetchone()[0])
                    queries.run(con, "import_history", limit=5, uploaded_by=None)
            except BaseException as exc:  # noqa: BLE001 - a reader failing is the bug under test
                failures.append(exc)
                return

    readers_ = [threading.Thread(target=browse) for _ in range(4)]
    for thread in readers_:
        thread.start()
    try:
        at.button(key="upl_load").click().run()
    finally:
        stop.set()
        for thread in readers_:
            thread.join()

    assert not at.exception and failures == []
    assert seen <= {30, 37}  # the sample's 30, then 7 new: never half a load


PAYLOADS = [
    (
        "dde.csv",
        (
            "警情编号,报警时间,管辖单位,回访记录\nX1,2024-04-01,东风派出所,正常\n"
            "X2,2024-04-02,东风派出所,=cmd|' /C calc'!A0\n"
        ),
        "文件「dde.csv」第3行「回访记录」列的内容“=cmd|' /C calc'!A0”是DDE 命令",
    ),
    (
        "at.csv",
        "警情编号,报警时间,管辖单位,回访记录\nX1,2024-04-01,东风派出所,@SUM(1+1)*cmd|' /C calc'!A0\n",
        "文件「at.csv」第2行「回访记录」列的内容“@SUM(1+1)*cmd|' /C calc'!A0”是DDE 命令",
    ),
    (
        "plus.csv",
        "警情编号,报警时间,管辖单位,回访记录\nX1,2024-04-01,东风派出所,+1+cmd|' /C calc'!A0\n",
        "第2行「回访记录」列的内容“+1+cmd|' /C calc'!A0”是DDE 命令",
    ),
]


@pytest.mark.parametrize("name, text, message", PAYLOADS)
def test_a_formula_payload_refuses_the_file_naming_row_and_column(warehouse, name, text, message):
    before = db.file_identity(warehouse)
    at = upload(open_upload(), (name, text.encode()))

    [error] = alerts(at, "error")
    assert message in error and "整个文件未导入" in error
    assert counts(at) == []
    assert at.button(key="upl_load").disabled
    assert db.file_identity(warehouse) == before


def hyperlink_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["警情编号", "报警时间", "管辖单位", "回访记录"])
    sheet.append(["X1", "2024-04-01", "东风派出所", '=HYPERLINK("http://x.example/a","点我")'])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_vba(data: bytes) -> bytes:
    """An .xlsx with a VBA project inside: a macro workbook saved under the wrong name."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really")
    return out.getvalue()


REFUSALS = [
    (
        "link.xlsx",
        hyperlink_xlsx,
        "文件「link.xlsx」工作表「Sheet」第2行第D列是会调用外部程序或链接的公式",
    ),
    ("macro.xlsm", window_xlsx, "文件「macro.xlsm」是启用宏或二进制格式的工作簿（.xlsm）"),
    (
        "renamed.xlsx",
        lambda: with_vba(window_xlsx()),
        "文件「renamed.xlsx」是含有VBA 宏或控件的工作簿",
    ),
    ("locked.xlsx", encrypted_ooxml, "文件「locked.xlsx」设置了打开密码"),
    ("blank.csv", lambda: b"\r\n\r\n", "文件「blank.csv」是空的"),
    ("empty.csv", lambda: b"", "文件「empty.csv」是空的"),
    ("scan.csv", lambda: b"%PDF-1.4 scanned", "文件「scan.csv」不是表格文件（看起来是PDF 文档）"),
]


@pytest.mark.parametrize("name, content, message", REFUSALS)
def test_files_that_are_no_data_export_get_a_message_and_change_nothing(
    warehouse, name, content, message
):
    before = db.file_identity(warehouse)
    at = upload(open_upload(), (name, content()))

    assert not at.exception
    [error] = alerts(at, "error")
    assert error.startswith(message)
    assert counts(at) == [] and at.button(key="upl_load").disabled
    assert db.file_identity(warehouse) == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(warehouse, monkeypatch):
    monkeypatch.setattr("pages.ui.upload.max_upload_mb", lambda: 1)
    at = upload(open_upload(), ("big.csv", b"a,b\n" + b"1,2\n" * 300_000))

    # 4 + 4 × 300,000 bytes = 1,200,004 bytes = 1.1 MB.
    assert alerts(at, "error") == [
        "文件「big.csv」有 1.1 MB，超过单个文件 1 MB 的上限，未导入：请按月份或单位拆分后分别上传。"
    ]
    assert at.button(key="upl_load").disabled


def test_negative_numbers_and_phone_numbers_are_data(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(
        "警情编号,响应时长,回访记录\nX1,-5,+86 138 0013 8000\nX2,-3.5,@张三 已回复\n"
        "X3,+12,==== 分隔 ====\n",
        encoding="utf-8",
    )
    safety.check(path, readers.read_export(path))
    assert [
        t
        for t in ("=1+1", "=A1", "+SUM(A1:A2)", "-2+3+cmd|' /C calc'!A0", "=HYPERLINK(")
        if not safety.is_formula(t)
    ] == []


def test_a_saved_profile_is_proposed_for_the_same_headers(warehouse):
    odd = "单号,日期,所属所,结果\nZ1,2024-04-01,东风派出所,满意\nZ2,2024-04-02,南湖派出所,不满意\n"
    at = upload(open_upload(), ("odd.csv", odd.encode()))
    assert at.selectbox(key="upl_kind_f1").value is None  # no header names a known column
    at.selectbox(key="upl_kind_f1").set_value("call_records").run()
    assert at.selectbox(key="upl_map_f1_单号").value is None
    for header, column in {
        "单号": "record_id",
        "日期": "received_at",
        "所属所": "unit_id",
        "结果": "callback_result",
    }.items():
        at.selectbox(key=f"upl_map_f1_{header}").set_value(column)
    at.text_input(key="upl_fix_f1_channel").input("12345")
    at.text_input(key="upl_profile_name_f1").input("某区12345导出").run()
    at.button(key="upl_profile_save_f1").click().run()
    assert alerts(at, "success") == [
        "已保存导入配置「某区12345导出」：以后上传表头相同的文件时将自动采用。"
    ]

    again = upload(open_upload(), ("odd_may.csv", odd.replace("Z", "Y").encode()))
    assert "表头与导入配置「某区12345导出」一致" in plain(again.markdown[0].value)
    assert again.selectbox(key="upl_map_f1_所属所").value == "unit_id"
    assert again.text_input(key="upl_fix_f1_channel").value == "12345"
    assert counts(again)[1] == ("新增", "2")
    assert (
        inspect(ROOT / "data" / "sample" / "calls_window.csv", db_path=warehouse)["profile"] is None
    )


def test_saved_mappings_refuse_what_cannot_be_loaded(warehouse):
    headers = ["单号", "日期"]
    with pytest.raises(saved_mappings.ProfileError, match="请填写导入配置的名称"):
        saved_mappings.save(warehouse, " ", "call_records", headers, {"单号": "record_id"})
    with pytest.raises(saved_mappings.ProfileError, match="系统内置"):
        saved_mappings.save(warehouse, "message_board", "complaints", headers, {"单号": "case_id"})
    with pytest.raises(saved_mappings.ProfileError, match="case_id 不是"):
        saved_mappings.save(warehouse, "x", "call_records", headers, {"单号": "case_id"})
    saved_mappings.save(
        warehouse,
        "x",
        "call_records",
        headers,
        {"单号": "record_id", "日期": "received_at"},
        {"channel": "110"},
        user="李四",
    )
    assert saved_mappings.get(warehouse, "x") | {"created_at": None} == {
        "name": "x",
        "kind": "call_records",
        "headers": headers,
        "mapping": {"单号": "record_id", "日期": "received_at"},
        "set": {"channel": "110"},
        "created_by": "李四",
        "created_at": None,
    }


# Real exports (../shared/realdata)


def test_real_message_board_as_complaints_with_mapping_and_fixed_channel(warehouse, realdata):
    at = upload(
        open_upload(), ("群众留言_2019.xlsx", (realdata / "群众留言_2019.xlsx").read_bytes())
    )

    # The shipped profile by what it is, not by its file name message_board.
    assert "表头与导入配置「政务留言板导出」一致" in plain(at.markdown[0].value)
    assert {
        h: at.selectbox(key=f"upl_map_f1_{h}").value
        for h in ("留言编号", "留言主题", "留言时间", "留言详情", "留言用户")
    } == {
        "留言编号": "case_id",
        "留言主题": "title",
        "留言时间": "received_at",
        "留言详情": "content",
        "留言用户": "complainant_ref",
    }
    assert at.text_input(key="upl_fix_f1_channel").value == "网上留言"
    # 4,326 messages, each with its own 留言编号.
    assert counts(at) == [
        ("读取行数", "4,326"),
        ("新增", "4,326"),
        ("更新", "0"),
        ("未变", "0"),
        ("拒绝", "0"),
    ]
    at.button(key="upl_load").click().run()

    assert not at.exception
    # Closure over all complaints: the sample's 9 closed of 15, then 9 of 4,341 (the board's
    # messages carry no status) = 0.2%.
    closure = table(at, labels.UPLOAD_FIGURE).set_index(labels.UPLOAD_FIGURE).loc["办结率"]
    assert closure.tolist() == ["60.0%", "0.2%", "-59.8 个百分点"]
    assert rows(
        warehouse,
        "select count(*), min(channel), max(channel) from complaints where channel = '网上留言'",
    ) == [(4326, "网上留言", "网上留言")]


def test_real_questionnaire_as_a_survey(warehouse, realdata):
    content = (realdata / "wjx_survey_export.xlsx").read_bytes()
    at = upload(open_upload(), ("wjx_survey_export.xlsx", content))

    assert at.selectbox(key="upl_kind_f1").value == "survey_responses"
    assert at.selectbox(key="upl_map_f1_序号").value == "response_id"
    assert at.selectbox(key="upl_map_f1_7、我害怕当面拒绝别人的请求").value is None
    questionnaire = next(c.value for c in at.caption if "问卷格式" in c.value)
    assert "61 个题目列" in questionnaire and "wjx_survey_export" in questionnaire
    # One row per respondent and answered question: the non-empty cells of the 61 question columns.
    sheet = pd.read_excel(io.BytesIO(content), dtype=str)
    answered = int(sheet.filter(regex=r"^\d+、").notna().sum().sum())
    assert counts(at) == [
        ("读取行数", "1,044"),
        ("新增", f"{answered:,}"),
        ("更新", "0"),
        ("未变", "0"),
        ("拒绝", "0"),
    ]
    at.button(key="upl_load").click().run()

    assert not at.exception
    assert rows(
        warehouse,
        "select count(distinct response_id), count(distinct question), count(*)"
        " from survey_responses where survey_id = 'wjx_survey_export'",
    ) == [(1044, 61, answered)]


def test_real_gb18030_statistics_file_is_read_as_a_table(warehouse, realdata):
    at = upload(
        open_upload(), ("nbs_gdp_gb18030.csv", (realdata / "nbs_gdp_gb18030.csv").read_bytes())
    )

    detected = plain(at.markdown[0].value)
    assert "编码 gb18030" in detected and "表头在第 4 行" in detected and "共 20 列" in detected
    assert labels.UPLOAD_KIND_UNKNOWN in detected
    raw = table(at, "地区")
    assert raw.iloc[:3, :2].values.tolist() == [
        ["北京市", "49670.2"],
        ["天津市", "17931.3"],
        ["河北省", "47448.1"],
    ]
    assert at.selectbox(key="upl_kind_f1").value is None
    assert at.button(key="upl_load").disabled

    at.selectbox(key="upl_encoding_f1").set_value("utf-8").run()
    [error] = alerts(at, "error")
    assert error.startswith("文件「nbs_gdp_gb18030.csv」有无法按 utf-8 解码的内容")
    at.selectbox(key="upl_encoding_f1").set_value(None)
    at.number_input(key="upl_header_f1").set_value(5).run()
    assert "表头在第 5 行" in plain(at.markdown[0].value)
