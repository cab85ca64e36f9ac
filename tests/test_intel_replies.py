"""答复质量: flags (not a score) on hand-made replies: late, template, off the subject, too short;
the table per handling unit and the share flagged."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

import queries
from etl import store
from etl.load import load_files

HEADER = "工单编号,受理时间,来源渠道,标题,诉求内容,受理单位,承办单位,办理时限,答复意见,答复时间\n"
GOOD = "您好，经核查，小区门口路灯不亮的问题已通知供电部门维修，目前路灯已恢复照明，感谢您的监督。"
TEMPLATE = (
    "您反映的问题已转交相关部门处理，感谢您对我们工作的支持和理解，如有疑问请拨打热线电话咨询。"
)
# A1 (东风): answers its subject in 45 characters, but two days after its deadline → 超时 only.
# A2 (东风): on time, "已收悉。" → 过短 (4 characters with its 。) and 答非所问 (none of its title's words).
# B1-B6 (西山): the same sentence six times → each has 5 near-identical others → 模板.
REPLIES = (
    HEADER
    + (
        f"A1,2024-09-02 09:00:00,12345,小区门口路灯不亮,小区门口路灯不亮很久了,市局,东风派出所,"
        f"2024-09-10 23:59:59,{GOOD},2024-09-12 10:00:00\n"
        "A2,2024-09-03 09:00:00,12345,派出所办证排队太久,派出所办证排队两个小时,市局,东风派出所,"
        "2024-09-20 23:59:59,已收悉。,2024-09-04 10:00:00\n"
    )
    + "".join(
        f"B{n},2024-09-0{n} 09:00:00,12345,{subject},{subject}，请处理,市局,西山派出所,"
        f"2024-09-30 23:59:59,{TEMPLATE},2024-09-1{n} 10:00:00\n"
        for n, subject in enumerate(
            [
                "路口红绿灯坏了",
                "楼下烧烤油烟",
                "电动车乱停放",
                "广场舞噪音大",
                "工地夜间施工",
                "快递车堵路",
            ],
            1,
        )
    )
)
PERIOD = {
    "start": dt.date(2024, 9, 1),
    "end": dt.date(2024, 9, 30),
    "unit_ids": [],
    "channels": [],
    "categories": [],
    "scope": "*",
}


@pytest.fixture
def warehouse(sample_db, tmp_path):
    db = tmp_path / "minyi.duckdb"
    shutil.copyfile(sample_db, db)
    shutil.copytree(store.archive_dir(sample_db), store.archive_dir(db))
    path = tmp_path / "replies.csv"
    path.write_text(REPLIES, encoding="utf-8")
    load_files(db, [path], "complaints")
    return db


def run(db, name: str, **params):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return queries.run(con, name, **params)
    finally:
        con.close()


def test_each_reply_gets_the_flags_it_deserves(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        flags = con.execute(
            "select case_id, is_late, is_template, is_off_topic, is_short, similar_replies,"
            " own_chars, relevance from reply_flags order by case_id"
        ).fetchall()
    finally:
        con.close()
    assert flags == [
        ("A1", True, False, False, False, 0, 45, 1.0),
        ("A2", False, False, True, True, 0, 4, 0.0),
        *[(f"B{n}", False, True, True, False, 5, 45, 0.0) for n in range(1, 7)],
    ]


def test_flags_per_handling_unit_and_the_share_flagged(warehouse):
    by_unit = run(warehouse, "reply_flags_by_unit", **PERIOD)
    assert by_unit[
        [
            "unit_name",
            "replies",
            "late_replies",
            "template_replies",
            "off_topic_replies",
            "short_replies",
            "flagged",
        ]
    ].values.tolist() == [
        ["西城分局西山派出所", 6, 0, 6, 6, 0, 6],
        ["东城分局东风派出所", 2, 1, 0, 1, 1, 2],
    ]
    assert by_unit["flagged_share"].tolist() == [1.0, 1.0]
    late = run(warehouse, "reply_flagged_cases", **PERIOD, flag="late", limit=10, offset=0)
    assert late["case_id"].tolist() == ["A1"] and late["reply_workdays"].tolist() == [8]
