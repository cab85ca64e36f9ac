"""The way forward for rows whose unit is outside a clerk's own tree (issue 10): the advice names
each unit found, the tree it belongs to and what the clerk can do, instead of the generic "the
values of this column have problems"."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import queries
from pages.ui import labels_alias as text
from pages.ui import upload_advice as advice
from queries import db
from tests.signin import signed_in
from tests.test_upload import ROOT, alerts, calls_gbk, counts, upload, warehouse  # noqa: F401


@pytest.fixture
def chains(sample_db):
    with db.read(sample_db) as con:
        return queries.run(con, "upload_unit_chains")


def test_a_unit_outside_the_tree_is_placed_in_the_tree_it_belongs_to(chains):
    # data/sample: SJ 市局 → FJ1 东城分局 → P11 东风, P12 南湖; SJ → FJ2 西城分局 → P21 西山,
    # P22 北关; SJ → CK1 出入境窗口 (and 机关 JG1, JG2).
    east = advice.tree_of(chains, "FJ1", "江城市公安局东城分局")
    assert east.name == "江城市公安局东城分局"
    assert east.homes["西城分局西山派出所"] == "西城分局"
    assert east.homes["江城市公安局西城分局"] == "西城分局"
    assert east.homes["江城市公安局出入境服务窗口"] == "出入境窗口"
    # Above the clerk's unit: no other tree, the bureau itself.
    assert east.homes["江城市公安局"] is None
    # A station's clerk: the sister station is a tree of its own.
    station = advice.tree_of(chains, "P11", "东城分局东风派出所")
    assert station.homes["东城分局南湖派出所"] == "南湖派出所"
    assert station.homes["西城分局北关派出所"] == "西城分局"
    assert station.homes["江城市公安局东城分局"] is None
    # The clerk's own units are in no other tree.
    assert "东城分局东风派出所" not in east.homes and "东城分局东风派出所" not in station.homes


def test_a_clerk_is_told_which_units_belong_to_another_tree_and_what_to_do(warehouse):
    # The staff account of 东城分局 uploads the bureau-wide GBK file of tests/test_upload.py:
    # rows 6 and 10 name 西山派出所, rows 7 and 13 北关派出所, both of 西城分局.
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=240), "staff")
    at.switch_page("pages/upload.py")
    at = upload(at.run(), ("calls.csv", calls_gbk()))

    assert not at.exception
    assert counts(at)[-1] == ("拒绝", "8")
    [box] = alerts(at, "info")
    line = text.OUT_OF_TREE.format(
        n=4,
        label="单位",
        scope="江城市公安局东城分局",
        units="、".join(
            [
                text.OUT_OF_TREE_UNIT.format(unit="西城分局西山派出所", rows=2, home="西城分局"),
                text.OUT_OF_TREE_UNIT.format(unit="西城分局北关派出所", rows=2, home="西城分局"),
            ]
        ),
        fix=text.OUT_OF_TREE_FIX_COLUMN.format(headers="管辖单位"),
    )
    assert line in box.split("\n\n")
    assert "西城分局" in line and "下载被拒绝的行" in line
    # The generic sentence is left for the one row whose unit is not known at all (row 12).
    assert "「单位」取自文件的「管辖单位」列，其中 1 行的值有问题" in box
