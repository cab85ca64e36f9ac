"""重复诉求 keyed by record: a 12345 case 6 and a message board's 留言编号 6 are two records, so a
repeat of one is not a repeat of the other (groups, duplicate_of, decisions, the page, the rate)."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest
import streamlit as st

import queries
from etl import case_groups, store
from etl.load import load_files, rebuild
from tests.test_pages import open_page

HEADER = "工单编号,受理时间,来源渠道,诉求类型,标题,诉求内容,受理单位,承办单位,办理状态,重复件\n"
HOTLINE, BOARD = "12345热线", "网上留言板"
# The hotline's T1 and the board's 6 raise one matter (夜市 at 阳光花园's east gate); the hotline's
# own 6 is a lost child, nothing like it.
HOTLINE_ROWS = (
    "T1,2024-06-01 21:00:00,12345,投诉,阳光花园夜市噪音,阳光花园小区东门夜市摊贩占道经营，"
    "音响噪音很大，晚上十二点还不停,市局,东风派出所,已办结,\n"
    "6,2024-06-03 09:00:00,12345,求助,孩子走失,孩子在公园走失请求帮助,市局,西山派出所,已办结,\n"
)
BOARD_ROWS = (
    "6,2024-06-20 22:10:00,网上留言,投诉,阳光花园东门夜市扰民,阳光花园小区东门的夜市摊贩天天占道，"
    "音响噪音扰民到深夜，多次反映无人管,市局,东风派出所,办理中,\n"
)
MATTER = {(HOTLINE, "T1"): [(HOTLINE, "T1"), (BOARD, "6")]}


@pytest.fixture
def warehouse(sample_db, tmp_path, monkeypatch):
    monkeypatch.delenv("MINYI_COMPLAINANT_KEY", raising=False)
    db = tmp_path / "minyi.duckdb"
    shutil.copyfile(sample_db, db)
    shutil.copytree(store.archive_dir(sample_db), store.archive_dir(db))
    hotline, board = tmp_path / "hotline.csv", tmp_path / "board.csv"
    hotline.write_text(HEADER + HOTLINE_ROWS, encoding="utf-8")
    board.write_text(HEADER + BOARD_ROWS, encoding="utf-8")
    load_files(db, [hotline], "complaints", source=HOTLINE)
    load_files(db, [board], "complaints", source=BOARD)
    return db


def rows(db, sql: str, params: dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def groups(db) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The groups outside the sample's, by (source, id) of their first record."""
    found = rows(
        db,
        "select group_source, group_id, list((source_system, case_id) order by source_system,"
        " case_id) from case_groups where group_id not in ('SQ01', 'SQ11')"
        " group by group_source, group_id",
    )
    return {(s, g): [tuple(m) for m in members] for s, g, members in found}


def sixes(db) -> list[tuple]:
    return rows(
        db,
        "select k.source_system, k.duplicate_of, k.duplicate_of_source, k.duplicate_source,"
        " f.is_repeat from complaints as k join complaint_case_facts as f"
        " on f.source_system = k.source_system and f.case_id = k.case_id"
        " where k.case_id = '6' order by k.source_system",
    )


def test_only_the_record_that_repeats_a_case_is_in_its_group(warehouse):
    assert groups(warehouse) == MATTER
    # (source, duplicate_of, its source, how, is_repeat): the hotline's 6 is no repeat.
    assert sixes(warehouse) == [
        (HOTLINE, None, None, None, False),
        (BOARD, "T1", HOTLINE, "模型", True),
    ]


def test_the_repeat_rate_and_the_page_count_the_one_repeat(warehouse, monkeypatch):
    period = {
        "start": dt.date(2024, 1, 1),
        "end": dt.date(2024, 12, 31),
        "unit_ids": [],
        "channels": [],
        "categories": [],
        "scope": "*",
    }
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        summary = queries.run(
            con, "complaint_summary", **period, formula="standard", as_of=dt.datetime(2025, 1, 1)
        ).iloc[0]
        listed = queries.run(con, "repeat_groups", **period, limit=50, offset=0)
        members = queries.run(
            con,
            "repeat_group_cases",
            group_source=HOTLINE,
            group_id="T1",
            scope="*",
            limit=50,
            offset=0,
        )
    finally:
        con.close()
    # 15 sample cases + 3; repeats SQ02, SQ12 (export) and the board's 6 = 3 of 18.
    assert (summary["repeat_cases"], summary["received"]) == (3, 18)
    matter = listed[listed["group_id"] == "T1"]
    assert matter[["group_source", "cases", "channels"]].values.tolist() == [
        [HOTLINE, 2, "12345、网上留言"]
    ]
    assert members[["source_system", "case_id", "title"]].values.tolist() == [
        [HOTLINE, "T1", "阳光花园夜市噪音"],
        [BOARD, "6", "阳光花园东门夜市扰民"],
    ]
    monkeypatch.setenv("MINYI_DB", str(warehouse))
    st.cache_data.clear()
    at = open_page("complaints")
    assert not at.exception
    [shown] = [f.value for f in at.dataframe if "组编号" in f.value.columns]
    assert shown[shown["组编号"] == "T1"]["件数"].tolist() == [2]


def test_a_decision_on_one_sources_case_leaves_the_others_alone(warehouse):
    # "6" alone names two records: refused, saying which sources hold it.
    with pytest.raises(case_groups.DecisionRefused, match=f"{BOARD}.*{HOTLINE}|{HOTLINE}.*{BOARD}"):
        case_groups.split(warehouse, ["6"], user="analyst")
    case_groups.split(warehouse, [(BOARD, "6")], user="analyst")
    assert groups(warehouse) == {}
    case_groups.merge(warehouse, [(HOTLINE, "6"), (HOTLINE, "T1")], user="analyst")
    after = {(HOTLINE, "T1"): [(HOTLINE, "6"), (HOTLINE, "T1")]}
    assert groups(warehouse) == after
    assert sixes(warehouse) == [
        (HOTLINE, "T1", HOTLINE, "人工", True),
        (BOARD, None, None, None, False),
    ]
    rebuild(warehouse)
    assert groups(warehouse) == after
    assert sixes(warehouse)[1] == (BOARD, None, None, None, False)
    assert rows(
        warehouse, "select action, case_ids, case_sources from case_group_decisions order by 1"
    ) == [("merge", ["6", "T1"], [HOTLINE, HOTLINE]), ("split", ["6"], [BOARD])]


def test_rebuild_gives_the_same_groups(warehouse):
    before = groups(warehouse)
    rebuild(warehouse)
    assert groups(warehouse) == before == MATTER
    assert sixes(warehouse)[0] == (HOTLINE, None, None, None, False)


def test_an_exported_link_names_a_case_of_its_own_source(warehouse, tmp_path):
    # The board's 8 says it repeats "6": the board's 6, not the hotline's lost child.
    later = tmp_path / "board_later.csv"
    later.write_text(
        HEADER + "8,2024-06-25 10:00:00,网上留言,投诉,再次反映,上次反映的事情还没有结果,"
        "市局,东风派出所,受理,6\n",
        encoding="utf-8",
    )
    load_files(warehouse, [later], "complaints", source=BOARD)
    assert groups(warehouse) == {(HOTLINE, "T1"): [(HOTLINE, "T1"), (BOARD, "6"), (BOARD, "8")]}
    assert rows(
        warehouse,
        "select duplicate_of, duplicate_of_source, duplicate_source from complaints"
        " where case_id = '8'",
    ) == [("6", BOARD, "导入")]
    assert sixes(warehouse)[0] == (HOTLINE, None, None, None, False)


def test_migration_016_carries_what_names_one_record_and_leaves_what_names_two(
    tmp_path, monkeypatch
):
    # A warehouse as 015 left it: T1 and 9 are the hotline's alone; 6 is both the hotline's and
    # the board's (board loaded later), so the old rows naming "6" cannot say which was meant.
    before = tmp_path / "schema"
    before.mkdir()
    for path in store.SCHEMA_DIR.glob("*.sql"):
        if path.name < "016":
            shutil.copy(path, before)
    real = store.SCHEMA_DIR
    monkeypatch.setattr(store, "SCHEMA_DIR", before)
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    store.migrate(con)
    con.execute(
        """
        insert into complaints (case_id, source_system, import_id, received_at, title,
            duplicate_of, duplicate_source) values
        ('T1', '12345热线', 1, '2024-06-01', '夜市', null, null),
        ('9', '12345热线', 1, '2024-06-02', '夜市又来', 'T1', '导入'),
        ('8', '12345热线', 1, '2024-06-02', '夜市还在', 'T1', '模型'),
        ('6', '12345热线', 1, '2024-06-03', '走失', null, null),
        ('6', '网上留言板', 2, '2024-06-20', '夜市扰民', 'T1', '模型');
        insert into case_links values ('9', 'T1', 1.0, '导入'), ('8', 'T1', 0.7, '模型'),
            ('6', 'T1', 0.6, '模型');
        insert into case_groups values ('T1', 'T1', 1.0, '模型'), ('T1', '9', 0.9, '导入'),
            ('T1', '8', 0.7, '模型'), ('T1', '6', 0.6, '模型');
        insert into case_group_decisions values (1, 'merge', ['6', 'T1'], 'analyst', now(), null);
        insert into case_places values ('T1', '阳光花园'), ('6', '阳光花园');
        """
    )
    monkeypatch.setattr(store, "SCHEMA_DIR", real)
    assert store.migrate(con)[0] == "016_case_group_keys.sql"  # later migrations follow it
    got = {
        "links": con.execute(
            "select source_a, case_a, source_b, case_b, linked_by from case_links order by all"
        ).fetchall(),
        "groups": con.execute("select * from case_groups order by all").fetchall(),
        "decisions": con.execute(
            "select case_ids, case_sources from case_group_decisions"
        ).fetchall(),
        "places": con.execute("select * from case_places").fetchall(),
        "duplicates": con.execute(
            "select source_system, case_id, duplicate_of, duplicate_of_source, duplicate_source"
            " from complaints where duplicate_of is not null or duplicate_source is not null"
            " order by all"
        ).fetchall(),
    }
    con.close()
    assert got == {
        # The hotline's links are its own; the link of "6" is left for the next relink.
        "links": [
            (HOTLINE, "8", HOTLINE, "T1", "模型"),
            (HOTLINE, "9", HOTLINE, "T1", "导入"),
        ],
        # A group holding "6" is not carried whole-or-cut: it is left out with its members.
        "groups": [],
        # The decision's "6" means the record loaded first: the hotline's.
        "decisions": [(["6", "T1"], [HOTLINE, HOTLINE])],
        "places": [(HOTLINE, "T1", "阳光花园")],
        # The export's link stays with its source; the inferred ones left with their group.
        "duplicates": [(HOTLINE, "9", "T1", HOTLINE, "导入")],
    }


def test_the_records_list_shows_each_record_once(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        listed = queries.run(
            con,
            "records_complaints",
            start=dt.date(2024, 6, 1),
            end=dt.date(2024, 6, 30),
            unit_ids=[],
            channels=[],
            categories=[],
            scope="*",
            kinds=[],
            open_only=False,
            repeat_only=False,
            inferred="include",
            limit=50,
            offset=0,
        )
    finally:
        con.close()
    # T1, the hotline's 6 and the board's 6: three records, each once, the board's a repeat.
    assert listed[["case_id", "channel", "duplicate_of"]].fillna("").values.tolist() == [
        ["6", "网上留言", "T1"],
        ["6", "12345", ""],
        ["T1", "12345", ""],
    ]
    assert int(listed["total_rows"].iloc[0]) == 3


def test_the_page_splits_the_board_record_it_names_and_not_the_hotlines(warehouse, monkeypatch):
    monkeypatch.setenv("MINYI_DB", str(warehouse))
    st.cache_data.clear()
    at = open_page("complaints")
    [shown] = [f.value for f in at.dataframe if "组编号" in f.value.columns]
    row = shown.index[shown["组编号"] == "T1"].tolist()[0]
    at.session_state["rp_groups"] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    split = at.multiselect(key="rp_split")
    assert split.options == ["T1（12345热线）", "6（网上留言板）"]
    # The sources complaints were loaded under (the sample's came without one: 未注明).
    assert at.selectbox(key="rp_merge_source").options[1:] == [HOTLINE, "未注明", BOARD]
    split.select((BOARD, "6")).run()
    at.button(key="rp_split_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert groups(warehouse) == {}
    assert sixes(warehouse) == [
        (HOTLINE, None, None, None, False),
        (BOARD, None, None, None, False),
    ]
    assert rows(warehouse, "select case_ids, case_sources from case_group_decisions") == [
        (["6"], [BOARD])
    ]


def test_the_page_merges_an_id_two_sources_hold_only_once_its_source_is_chosen(
    warehouse, monkeypatch
):
    monkeypatch.setenv("MINYI_DB", str(warehouse))
    st.cache_data.clear()
    at = open_page("complaints")
    [shown] = [f.value for f in at.dataframe if "组编号" in f.value.columns]
    row = shown.index[shown["组编号"] == "T1"].tolist()[0]
    at.session_state["rp_groups"] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    at.text_input(key="rp_merge_case").input("6").run()
    at.button(key="rp_merge_go").click().run()
    assert [e.value for e in at.error] == [
        f"编号 6 在多个来源中（{HOTLINE}、{BOARD}），请指明来源。"
    ]
    assert groups(warehouse) == MATTER
    at.selectbox(key="rp_merge_source").select(HOTLINE).run()
    at.button(key="rp_merge_go").click().run()
    assert not at.exception and not at.error
    assert groups(warehouse) == {(HOTLINE, "T1"): [(HOTLINE, "6"), (HOTLINE, "T1"), (BOARD, "6")]}
