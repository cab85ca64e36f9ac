"""Unit names with their ancestors' names in front resolve to the unit (issue 10 point 4)."""

from __future__ import annotations

import pytest

from etl.load import load_files
from tests.test_load import rows, write

UNITS = """单位编码,单位名称,单位简称,上级单位编码,单位类型
SJ,江城市公安局,市局,,市局
BJ,江城市公安局滨江分局,滨江分局,SJ,分局
BJ1,江城市公安局滨江分局柳湾派出所,柳湾派出所,BJ,派出所
BJ2,滨江分局白沙派出所,白沙派出所,BJ,派出所
CN,江城市公安局城南分局,城南分局,SJ,分局
CN1,江城市公安局城南分局白沙派出所,白沙派出所,CN,派出所
"""


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    load_files(path, [write(tmp_path / "units.csv", UNITS)], "units")
    return path


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("滨江分局柳湾派出所", "BJ1"),  # branch short + own short: the example
        ("江城市公安局滨江分局柳湾所", "BJ1"),  # the full name, 所 for 派出所
        ("江城市公安局柳湾派出所", "BJ1"),  # the city bureau, the branch left out
        ("市局滨江分局柳湾派出所", "BJ1"),  # short names all the way down
        ("江城市公安局 滨江分局 柳湾派出所", "BJ1"),  # spaces between the parts
        ("城南分局白沙派出所", "CN1"),  # two 白沙派出所: the branch in front tells them apart
        ("江城市公安局滨江分局白沙所", "BJ2"),
    ],
)
def test_a_name_with_its_ancestors_in_front_resolves(db, tmp_path, written, unit):
    calls = write(tmp_path / "c.csv", f"警情编号,报警时间,处警单位\n1,2024-03-05 09:30,{written}\n")
    [result] = load_files(db, [calls], "call_records")
    assert result.errors == []
    assert rows(db, "select unit_id from call_records") == [(unit,)]


@pytest.mark.parametrize(
    "written",
    [
        "白沙派出所",  # two units' short name: not guessed
        "城南分局柳湾派出所",  # 柳湾 is not under 城南分局
        "柳湾派出所滨江分局",  # ancestors behind, not in front
        "滨江分局滨江分局柳湾派出所",  # one ancestor twice
    ],
)
def test_a_name_no_chain_of_its_ancestors_explains_stays_unknown(db, tmp_path, written):
    calls = write(tmp_path / "c.csv", f"警情编号,报警时间,处警单位\n1,2024-03-05 09:30,{written}\n")
    [result] = load_files(db, [calls], "call_records")
    assert [e["error"].split("，")[0] for e in result.errors] == [f"单位 '{written}' 不是已知单位"]
