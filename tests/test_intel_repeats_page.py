"""重复诉求 on the complaints page and its queries, on the sample warehouse (SQ01+SQ02 and
SQ11+SQ12 are repeats by the export's own 重复件)."""

from __future__ import annotations

import datetime as dt

import pytest

import queries
from pages.ui import labels_intel
from queries import db
from tests.test_pages import open_page

PERIOD = {
    "start": dt.date(2024, 1, 1),
    "end": dt.date(2024, 12, 31),
    "unit_ids": [],
    "channels": [],
    "categories": [],
    "limit": 50,
    "offset": 0,
}


def run(name: str, **params):
    with db.read() as con:
        return queries.run(con, name, **params)


def test_the_groups_of_the_sample_with_their_channels_dates_units_and_status(sample_db):
    groups = run("repeat_groups", **PERIOD, scope="*")
    # SQ11 (市长信箱, 04-25, 西山, 受理) + SQ12 (12345, 04-28, 西山, 交办): both open.
    # SQ01 (12345, 04-01, 东风, 已办结) + SQ02 (12345, 04-02, 东风, 已评议): both closed.
    assert groups[
        [
            "group_id",
            "cases",
            "channel_count",
            "channels",
            "units",
            "open_cases",
            "latest_status",
            "first_title",
        ]
    ].values.tolist() == [
        ["SQ11", 2, 2, "12345、市长信箱", "西城分局西山派出所", 2, "交办", "广场舞噪音扰民"],
        ["SQ01", 2, 1, "12345", "东城分局东风派出所", 0, "已评议", "夜间噪音扰民"],
    ]
    assert str(groups["first_received_at"].iloc[0]) == "2024-04-25 21:30:00"


def test_a_group_shows_only_the_cases_inside_the_users_tree(sample_db):
    # The sample's complaints came without a source (未注明): a group is named by source and id.
    group = {"group_source": "未注明", "group_id": "SQ11", "limit": 50, "offset": 0}
    assert run("repeat_group_cases", **group, scope="*")["case_id"].tolist() == ["SQ11", "SQ12"]
    # 东城分局 (FJ1) does not hold 西山派出所's cases: the group is not shown to it at all.
    assert run("repeat_group_cases", **group, scope="FJ1").empty
    assert run("repeat_groups", **PERIOD, scope="FJ1")["group_id"].tolist() == ["SQ01"]


def test_the_complaints_page_shows_the_repeat_groups(sample_db):
    at = open_page("complaints")
    assert not at.exception
    assert labels_intel.REPEAT_TITLE in [h.value for h in at.subheader]
    shown = [f.value for f in at.dataframe if "组编号" in f.value.columns]
    assert len(shown) == 1 and shown[0]["首件标题"].tolist() == ["广场舞噪音扰民", "夜间噪音扰民"]


@pytest.mark.parametrize("role", ["leader", "staff"])
def test_the_page_renders_for_roles_that_may_not_split(sample_db, role):
    assert not open_page("complaints", role=role).exception


def test_the_keyword_page_shows_hot_topics_and_the_words_that_say_something(sample_db):
    at = open_page("keywords")
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert labels_intel.HOT_TITLE in headings and labels_intel.WORDS_TITLE in headings
    hot = [f.value for f in at.dataframe if "热度" in f.value.columns]
    assert len(hot) == 1 and hot[0]["组编号"].tolist()[:2] in (["SQ11", "SQ01"], ["SQ01", "SQ11"])
    # No unit chosen: the distinctive words say how to get them.
    assert labels_intel.DISTINCTIVE_NEEDS_UNIT in [i.value for i in at.info]


def test_the_complaints_page_says_when_no_case_has_a_reply(sample_db):
    at = open_page("complaints")
    assert labels_intel.REPLY_TITLE in [h.value for h in at.subheader]
    assert labels_intel.REPLY_NONE in [i.value for i in at.info]
