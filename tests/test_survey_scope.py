"""A clerk's survey answers may score only units their role may assess (issue 11 point 8)."""

from __future__ import annotations

import pytest

from etl.load import load_files
from tests.test_load import rows, write

UNITS = """单位编码,单位名称,单位简称,上级单位编码,单位类型
SJ,江城市公安局,市局,,市局
BJ,江城市公安局滨江分局,滨江分局,SJ,分局
BJ1,江城市公安局滨江分局柳湾派出所,柳湾派出所,BJ,派出所
CN,江城市公安局城南分局,城南分局,SJ,分局
CN1,江城市公安局城南分局白沙派出所,白沙派出所,CN,派出所
JG1,江城市公安局警务保障室,警务保障室,SJ,机关
JG2,江城市公安局法制室,法制室,SJ,机关
"""
# The admin's load of round 2024 declares its targets: the two offices under review.
DECLARED = """答卷编号,调查编号,所在单位,被评单位,题目,得分
A1,2024警意,城南分局,警务保障室,服务态度,4
A2,2024警意,城南分局,法制室,服务态度,5
"""
# A 滨江分局 clerk's file: its own station, a declared office, and 白沙 of 城南分局 scored 1.
CLERK = """答卷编号,调查编号,所在单位,被评单位,题目,得分
B1,2024警意,滨江分局,柳湾派出所,服务态度,3
B2,2024警意,滨江分局,警务保障室,服务态度,2
B3,2024警意,滨江分局,白沙派出所,服务态度,1
B4,2024警意,滨江分局,法制室,服务态度,5
"""


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    load_files(path, [write(tmp_path / "units.csv", UNITS)], "units")
    load_files(path, [write(tmp_path / "declared.csv", DECLARED)], "survey_responses")
    return path


def test_a_clerk_cannot_score_a_unit_outside_their_tree_nor_declared(db, tmp_path):
    [result] = load_files(
        db,
        [write(tmp_path / "clerk.csv", CLERK)],
        "survey_responses",
        user="clerk",
        scope_unit_id="BJ",
    )
    assert (result.rows_inserted, result.rows_rejected) == (3, 1)
    assert result.errors == [
        {
            "row": 4,
            "column": "被评单位",
            "value": "江城市公安局城南分局白沙派出所",
            "error": "被评单位「江城市公安局城南分局白沙派出所」不在本账号范围（江城市公安局滨江分局）内，"
            "也不是问卷「2024警意」的评议对象",
        }
    ]
    # No score of 1 for 白沙: only the admin's two rows and the clerk's three are stored.
    assert rows(
        db, "select response_id, target_unit_id, score from survey_responses order by 1"
    ) == [("A1", "JG1", 4), ("A2", "JG2", 5), ("B1", "BJ1", 3), ("B2", "JG1", 2), ("B4", "JG2", 5)]


def test_a_round_no_admin_opened_declares_no_targets(db, tmp_path):
    other_round = CLERK.replace("2024警意", "2025自评")
    [result] = load_files(
        db,
        [write(tmp_path / "clerk.csv", other_round)],
        "survey_responses",
        user="clerk",
        scope_unit_id="BJ",
    )
    # Only 柳湾 (their own tree) may be scored in a round the admin has not loaded.
    assert (result.rows_inserted, result.rows_rejected) == (1, 3)
    assert [e["row"] for e in result.errors] == [3, 4, 5]
