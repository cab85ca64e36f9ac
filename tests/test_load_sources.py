"""Records are keyed by the system they came from as well as their id: a message board's 留言编号
6 and a 12345 case 6 are two records, and a preview says so before anything is written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from etl.load import load_files, preview_file, rebuild
from etl.undo import undo_import
from tests.conftest import ROOT
from tests.test_load import UNITS, fingerprint, rows, write

HOTLINE = """工单编号,受理时间,来源渠道,诉求内容,承办单位,办理状态
6,2024-03-01 09:00,12345,路口红绿灯坏了,东湖派出所,已办结
24,2024-03-02 10:00,12345,夜间施工噪音,湖滨派出所,已办结
99,2024-03-03 11:00,12345,车辆乱停,东湖派出所,办理中
"""
EVENTS = """工单编号,操作时间,环节,接收单位
6,2024-03-01 10:00,交办,东湖派出所
"""
# Ids 6, 24, 37 of the board: 6 and 24 are also hotline ids.
BOARD = """留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数
6,A001,噪音扰民,2019/1/5 9:30:00,楼下夜宵摊每晚吵到凌晨,0,3
24,A002,路灯不亮,2019/1/6 20:00:00,小区门口路灯坏了一个月,0,0
37,A003,占道经营,2019-01-07 08:15:00,菜市场门口占道严重,1,12
"""


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    load_files(path, [write(tmp_path / "units.csv", UNITS)], "units")
    load_files(path, [write(tmp_path / "hotline.csv", HOTLINE)], "complaints", source="12345热线")
    load_files(
        path, [write(tmp_path / "events.csv", EVENTS)], "complaint_events", source="12345热线"
    )
    return path


def test_a_message_board_does_not_overwrite_hotline_cases_with_the_same_numbers(db, tmp_path):
    board = write(tmp_path / "board.csv", BOARD)
    preview = preview_file(db, board, "complaints", fixed={"channel": "网上留言"})
    # The board's headers are those of the shipped profile message_board: its detected system.
    assert preview.result.source_system == "message_board"
    assert (preview.result.rows_inserted, preview.result.rows_updated) == (3, 0)
    assert (
        "2 行的编号已有来源「12345热线」的记录：这些行将作为来源「message_board」的新记录导入，"
        "来源「12345热线」的记录不会被修改。"
    ) in preview.warnings[-1]

    [result] = load_files(db, [board], "complaints", fixed={"channel": "网上留言"})
    assert (result.rows_inserted, result.rows_updated) == (3, 0)
    assert rows(db, "select source_system, case_id, channel from complaints order by 1, 2") == [
        ("12345热线", "24", "12345"),
        ("12345热线", "6", "12345"),
        ("12345热线", "99", "12345"),
        ("message_board", "24", "网上留言"),
        ("message_board", "37", "网上留言"),
        ("message_board", "6", "网上留言"),
    ]
    # Each case keeps its own facts: the hotline's 6 has its 交办 event, the board's 6 none.
    assert rows(
        db,
        "select source_system, case_id, is_closed, has_assigned_event"
        " from complaint_case_facts where case_id = '6' order by 1",
    ) == [("12345热线", "6", True, True), ("message_board", "6", None, False)]  # no status
    # Their words stay apart too.
    assert rows(
        db,
        "select distinct source_system from text_tokens where record_id = '6' and token = '红绿灯'",
    ) == [("12345热线",)]


def test_the_same_board_again_changes_nothing_and_undo_leaves_the_hotline_alone(db, tmp_path):
    board = write(tmp_path / "board.csv", BOARD)
    before = fingerprint(db)
    [first] = load_files(db, [board], "complaints", fixed={"channel": "网上留言"})
    [again] = load_files(db, [board], "complaints", fixed={"channel": "网上留言"})
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 0, 3)

    undo_import(db, again.import_id)
    undo_import(db, first.import_id)
    assert fingerprint(db) == before


def test_rebuild_keeps_each_import_under_its_source(db, tmp_path):
    load_files(
        db, [write(tmp_path / "board.csv", BOARD)], "complaints", fixed={"channel": "网上留言"}
    )
    before = fingerprint(db)
    rebuild(db)
    assert fingerprint(db) == before
    assert rows(db, "select source_system, count(*) from complaints group by 1 order by 1") == [
        ("12345热线", 3),
        ("message_board", 3),
    ]


def test_cli_source_option_names_the_system(db, tmp_path):
    hotline = write(tmp_path / "hotline2.csv", HOTLINE.replace("车辆乱停", "车辆乱停，已劝离"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            str(hotline),
            "--kind",
            "complaints",
            "--db",
            str(db),
            "--source",
            "12345热线",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"rows_updated": 1' in done.stdout  # case 99's content, of the same source
    assert rows(db, "select source_system, count(*) from complaints group by 1") == [
        ("12345热线", 3)
    ]
