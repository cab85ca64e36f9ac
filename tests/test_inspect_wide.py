"""A wide problem_map or category_tree file: `etl inspect` (whose report the upload page shows)
says what the loader makes of each column, and the load stores exactly that, row for row.

The hand-made map below has its side columns in the other order, an id and a remark column the
loader does not read, and two separators: 民警建议类别 before 共同问题 before 群众诉求类别.
  窗口服务 ← 群众诉求 证件办理、出入境 · 民警建议 警力不足；辅警管理
  夜间噪音 ← 群众诉求 噪音扰民
  被装保障 ← 民警建议 被装管理
  → 6 rows.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import duckdb

from etl.inspect import inspect
from etl.load import load_files
from etl.problem_map import SEPARATORS
from pages.ui import labels_upload as plabels_upload
from tests.conftest import ROOT
from tests.test_minjing import TREE
from tests.test_upload import open_upload, upload, warehouse  # noqa: F401 (a fixture)

WIDE_MAP = (
    "编号,民警建议类别,共同问题,群众诉求类别,备注\n"
    "1,警力不足；辅警管理,窗口服务,证件办理、出入境,甲\n"
    "2,,夜间噪音,噪音扰民,乙\n"
    "3,被装管理,被装保障,,\n"
)
MAP_ROWS = sorted(
    [
        ("被装保障", "民警建议", "被装管理"),
        ("夜间噪音", "群众诉求", "噪音扰民"),
        ("窗口服务", "民警建议", "警力不足"),
        ("窗口服务", "民警建议", "辅警管理"),
        ("窗口服务", "群众诉求", "出入境"),
        ("窗口服务", "群众诉求", "证件办理"),
    ]
)


def stored(path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def as_inspect_says(path, wide: dict[str, dict]) -> list[tuple]:
    """The problem_map rows the report describes, read off the file by its `wide` roles."""
    with path.open(encoding="utf-8") as f:
        lines = list(csv.DictReader(f))
    problem = next(h for h, role in wide.items() if role["column"] == "problem")
    sides = {h: role["side"] for h, role in wide.items() if role["column"] == "category"}
    return sorted(
        (line[problem].strip(), side, name.strip())
        for line in lines
        for header, side in sides.items()
        for name in re.split(SEPARATORS, line[header])
        if name.strip()
    )


def test_a_wide_problem_map_is_previewed_as_the_loader_melts_it(scratch_db, tmp_path):
    path = tmp_path / "共同问题对应.csv"
    path.write_text(WIDE_MAP, encoding="utf-8")
    report = inspect(path)
    assert (report["kind"], report["confidence"], report["missing"]) == ("problem_map", 0.6, [])
    assert report["wide"] == {
        "民警建议类别": {"column": "category", "side": "民警建议"},
        "共同问题": {"column": "problem"},
        "群众诉求类别": {"column": "category", "side": "群众诉求"},
    }
    # The loader reads only those three: no header maps onto a column by itself.
    assert report["mapping"] == dict.fromkeys(
        ["编号", "民警建议类别", "共同问题", "群众诉求类别", "备注"]
    )
    assert as_inspect_says(path, report["wide"]) == MAP_ROWS

    load_files(scratch_db, [path], report["kind"], mapping=report["mapping"], fixed=report["fixed"])
    rows = stored(scratch_db, "select problem, side, category from problem_map order by all")
    assert rows == MAP_ROWS


def test_a_wide_category_tree_is_recognised_and_previewed_by_its_levels(scratch_db):
    report = inspect(TREE)
    # Once taken for a problem_map (8 %): its 一级分类 read as a problem category.
    assert (report["kind"], report["confidence"], report["missing"]) == ("category_tree", 1.0, [])
    assert report["wide"] == {
        "一级分类": {"level": 1},
        "二级分类": {"level": 2},
        "三级分类": {"level": 3},
    }
    assert report["mapping"] == dict.fromkeys(["一级分类", "二级分类", "三级分类"])
    load_files(scratch_db, [TREE], report["kind"], mapping=report["mapping"])
    # Each level's name under the nearest filled level above it, every edge once.
    with TREE.open(encoding="utf-8") as f:
        lines = [[cell.strip() for cell in line] for line in list(csv.reader(f))[1:]]
    edges = {}
    for cells in lines:
        for depth in range(1, 3):
            above = [c for c in cells[:depth] if c]
            if cells[depth] and above:
                edges.setdefault((cells[depth], above[-1]), depth + 1)
    rows = stored(scratch_db, "select category, parent, level from category_tree order by all")
    assert rows == sorted((c, p, level) for (c, p), level in edges.items())
    assert len(rows) == 23


def test_the_command_line_says_what_each_wide_column_becomes(tmp_path):
    path = tmp_path / "共同问题对应.csv"
    path.write_text(WIDE_MAP, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "etl", "inspect", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[2:] == [
        "数据类型：problem_map（置信度 60%）",
        "  编号 → （不导入）",
        "  民警建议类别 → category（来源 民警建议，每个类别一行）",
        "  共同问题 → problem（宽表展开：每个类别一行）",
        "  群众诉求类别 → category（来源 群众诉求，每个类别一行）",
        "  备注 → （不导入）",
    ]


def test_the_upload_page_shows_the_wide_columns_as_they_load(warehouse):
    at = upload(open_upload(), ("共同问题对应.csv", WIDE_MAP.encode("utf-8")))
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="upl_kind_f1").value == "problem_map"
    shown = {
        s.label: (s.value, s.disabled)
        for s in at.selectbox
        if s.key and s.key.startswith("upl_wide_f1_")
    }
    assert shown == {
        "编号": ("不导入", True),
        "民警建议类别": ("类别（来源：民警建议）", True),
        "共同问题": ("共同问题", True),
        "群众诉求类别": ("类别（来源：群众诉求）", True),
        "备注": ("不导入", True),
    }
    assert plabels_upload.WIDE_CAPTION.format(
        columns="「民警建议类别」、「共同问题」、「群众诉求类别」", fills="共同问题、来源、类别"
    ) in [c.value for c in at.caption]
    at.button(key="upl_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rows = stored(warehouse, "select problem, side, category from problem_map order by all")
    assert rows == MAP_ROWS
