"""What a clerk chooses for a file, from the page or the command line: --map, and what the
preview warns about before anything is written."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from etl.load import load_files, preview_file
from etl.sources import KINDS, propose_mapping
from tests.conftest import ROOT
from tests.test_load import UNITS, write

# A message-board export: no channel, no status, no unit; 所属区域 is no header the synonyms know.
BOARD = """留言编号,留言用户,留言主题,留言时间,留言详情,所属区域,点赞数
6,A00001,噪音扰民,2019/1/5 9:30:00,楼下夜宵摊每晚吵到凌晨,A1区,3
24,A00002,路灯不亮,2019/1/6 20:00:00,小区门口路灯坏了一个月,A2区,0
37,A00003,占道经营,2019-01-07 08:15:00,菜市场门口占道严重,A1区,12
"""
BOARD_HEADERS = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "所属区域", "点赞数"]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    load_files(path, [write(tmp_path / "units.csv", UNITS)], "units")
    return path


def complaints(db_path) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(
            "select * exclude (import_id) from complaints order by case_id"
        ).fetchall()
    finally:
        con.close()


def test_cli_map_gives_the_rows_of_the_pages_mapping(db, tmp_path):
    board = write(tmp_path / "board.csv", BOARD)
    page_db = tmp_path / "page.duckdb"
    load_files(page_db, [write(tmp_path / "units.csv", UNITS)], "units")
    # The page sends one choice per header: the proposal, with the clerk's changes.
    page_mapping = {
        **propose_mapping(KINDS["complaints"], BOARD_HEADERS),
        "留言主题": "title",
        "所属区域": "category",
        "留言用户": None,
    }
    load_files(page_db, [board], "complaints", mapping=page_mapping, fixed={"channel": "网上留言"})

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            str(board),
            "--kind",
            "complaints",
            "--db",
            str(db),
            "--map",
            "留言主题=title",
            "--map",
            "所属区域=category",
            "--map",
            "留言用户=",
            "--set",
            "channel=网上留言",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "拒绝" not in done.stderr
    rows = complaints(db)
    assert rows == complaints(page_db)
    # 3 messages; 所属区域 became the category only because of --map.
    assert [(r[0], r[1].isoformat(), r[13]) for r in rows] == [
        ("24", "2019-01-06T20:00:00", "A2区"),
        ("37", "2019-01-07T08:15:00", "A1区"),
        ("6", "2019-01-05T09:30:00", "A1区"),
    ]


def test_cli_map_to_nothing_ignores_a_header_the_synonyms_would_take(db, tmp_path):
    board = write(tmp_path / "board.csv", BOARD)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            str(board),
            "--kind",
            "complaints",
            "--db",
            str(db),
            "--map",
            "留言主题=",
            "--set",
            "channel=网上留言",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert [r[4] for r in complaints(db)] == [None, None, None]  # title


def test_cli_map_refuses_a_field_the_kind_does_not_have(db, tmp_path):
    board = write(tmp_path / "board.csv", BOARD)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            str(board),
            "--kind",
            "complaints",
            "--db",
            str(db),
            "--map",
            "留言主题=subject",
            "--set",
            "channel=网上留言",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "'subject'" in done.stderr


def test_preview_warns_which_figures_a_missing_status_column_moves(db, tmp_path):
    board = write(tmp_path / "board.csv", BOARD)
    preview = preview_file(db, board, "complaints", fixed={"channel": "网上留言"})
    status, unit, deadline, closed, satisfaction = preview.warnings
    assert status.startswith(
        "文件没有「办理状态」列：导入后这些诉求都将算作未办结，办结率和按期办结率会下降"
    )
    assert unit.startswith("文件没有「承办单位」或「受理单位」列")
    assert "超期数" in deadline and "按期办结率" in closed and "满意率" in satisfaction
    assert preview.result.warnings == preview.warnings


def test_a_fixed_value_or_a_mapped_column_silences_the_warning(db, tmp_path):
    board = write(tmp_path / "board.csv", BOARD)
    preview = preview_file(
        db,
        board,
        "complaints",
        fixed={"channel": "网上留言", "status": "已办结"},
        mapping={"所属区域": "receiving_unit_id"},
    )
    assert not any("办理状态" in w or "承办单位" in w for w in preview.warnings)
    assert len(preview.warnings) == 3  # deadline, closed_at, satisfaction still absent
