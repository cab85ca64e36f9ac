"""重复诉求: complaints linked into groups at load, across channels, kept through people's decisions,
reloads, undo and rebuild; the repeat rate counts the groups; complainants only as keyed hashes."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

import queries
from etl import case_groups, store
from etl.load import load_files, rebuild
from etl.undo import undo_import

HEADER = (
    "工单编号,受理时间,来源渠道,诉求类型,标题,诉求内容,受理单位,承办单位,办理状态,来电号码,重复件\n"
)
# One matter (夜市 at 阳光花园's east gate) raised on three channels from June to November: R1, R2
# (市长信箱, same caller written with spaces), R4 (110短信评警, 85 days after R1), R5 (77 days after
# R4 but 162 after R1: the window counts from the group's latest case, so it stays in). R3 is the
# same template at another estate (翠湖小区), another matter. R6 repeats R1 word for word a year on,
# 203 days after R5: a new matter. Q1/Q2 are linked by the export itself, texts unlike.
MATTER = (
    HEADER
    + """\
R1,2024-06-01 21:00:00,12345,投诉,阳光花园夜市噪音,阳光花园小区东门夜市摊贩占道经营，音响噪音很大，晚上十二点还不停,市局,东风派出所,已办结,138 0013 8000,
R2,2024-06-20 22:10:00,市长信箱,投诉,阳光花园东门夜市扰民,阳光花园小区东门的夜市摊贩天天占道，音响噪音扰民到深夜，多次反映无人管,市局,东风派出所,办理中,13800138000,
R3,2024-06-05 20:00:00,12345,投诉,翠湖小区夜市噪音,翠湖小区西门夜市摊贩占道经营，音响噪音很大，晚上十二点还不停,市局,南湖派出所,已办结,13900139000,
R4,2024-08-25 21:30:00,110短信评警,投诉,阳光花园夜市又开了,阳光花园小区东门夜市摊贩又出来占道经营，音响噪音还是很大,市局,东风派出所,办理中,,
R5,2024-11-10 21:00:00,12345,投诉,阳光花园夜市还在,阳光花园小区东门夜市摊贩又出来占道经营，音响噪音还是很大，请派出所管一管,市局,东风派出所,受理,,
R6,2025-06-01 21:00:00,12345,投诉,阳光花园夜市噪音,阳光花园小区东门夜市摊贩占道经营，音响噪音很大，晚上十二点还不停,市局,东风派出所,受理,,
Q1,2024-07-01 09:00:00,12345,求助,孩子走失,孩子在公园走失请求帮助,市局,西山派出所,已办结,,
Q2,2024-07-02 09:00:00,平安民声,投诉,民警态度,寻找孩子时民警态度冷淡,市局,西山派出所,已办结,,Q1
"""
)
# The sample's own groups: SQ01+SQ02 and SQ11+SQ12, linked by its export.
SAMPLE_GROUPS = {"SQ01": ["SQ01", "SQ02"], "SQ11": ["SQ11", "SQ12"]}
MATTER_GROUPS = {**SAMPLE_GROUPS, "R1": ["R1", "R2", "R4", "R5"], "Q1": ["Q1", "Q2"]}


@pytest.fixture
def warehouse(sample_db, tmp_path, monkeypatch):
    monkeypatch.delenv("MINYI_COMPLAINANT_KEY", raising=False)
    db = tmp_path / "minyi.duckdb"
    shutil.copyfile(sample_db, db)
    shutil.copytree(store.archive_dir(sample_db), store.archive_dir(db))
    path = tmp_path / "matter.csv"
    path.write_text(MATTER, encoding="utf-8")
    return db, path


def groups(db) -> dict[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select group_id, list(case_id order by case_id) from case_groups group by group_id"
        ).fetchall()
    finally:
        con.close()
    return {g: cases for g, cases in rows}


def rows(db, sql: str, params: dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def test_one_matter_on_three_channels_is_one_group_and_a_lookalike_elsewhere_is_not(warehouse):
    db, path = warehouse
    load_files(db, [path], "complaints")
    assert groups(db) == MATTER_GROUPS
    # R1..R5 arrived by 12345, 市长信箱 and 110短信评警.
    assert rows(
        db,
        "select list(distinct channel order by channel) from complaints"
        " where case_id in ('R1', 'R2', 'R4', 'R5')",
    ) == [(["110短信评警", "12345", "市长信箱"],)]
    assert rows(
        db,
        "select case_id, duplicate_of, duplicate_source from complaints"
        " where case_id in ('R1', 'R2', 'R3', 'R6', 'Q2') order by case_id",
    ) == [
        ("Q2", "Q1", "导入"),
        ("R1", None, None),
        ("R2", "R1", "模型"),
        ("R3", None, None),
        ("R6", None, None),
    ]
    assert rows(
        db,
        "select case_id, linked_by, similarity from case_groups"
        " where group_id = 'R1' and case_id = 'R1'",
    ) == [("R1", "模型", 1.0)]


def test_the_repeat_rate_counts_the_groups(warehouse):
    db, path = warehouse
    load_files(db, [path], "complaints")
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = queries.run(
            con,
            "complaint_summary",
            start=dt.date(2024, 1, 1),
            end=dt.date(2025, 12, 31),
            unit_ids=[],
            channels=[],
            categories=[],
            scope="*",
            formula="standard",
            as_of=dt.datetime(2025, 7, 1),
        ).iloc[0]
    finally:
        con.close()
    # 15 sample cases + 8: repeats SQ02, SQ12 (export), R2, R4, R5 (model), Q2 (export) = 6 of 23.
    assert (row["repeat_cases"], row["received"]) == (6, 23)
    assert row["repeat_rate"] == pytest.approx(6 / 23)


def test_a_split_and_a_merge_survive_a_reload_an_undo_of_another_file_and_a_rebuild(warehouse):
    db, path = warehouse
    [first] = load_files(db, [path], "complaints")
    case_groups.split(db, ["R5"], user="analyst", note="另一摊位")
    case_groups.merge(db, ["R3", "R1"], user="analyst")
    after = {**SAMPLE_GROUPS, "R1": ["R1", "R2", "R3", "R4"], "Q1": ["Q1", "Q2"]}
    assert groups(db) == after
    load_files(db, [path], "complaints")  # the same file again changes nothing
    assert groups(db) == after
    assert rows(db, "select count(*) from imports where rows_updated > 0") == [(0,)]
    later = path.with_name("later.csv")
    later.write_text(
        HEADER + "R7,2024-12-01 21:00:00,12345,投诉,阳光花园夜市还在,阳光花园小区东门夜市"
        "摊贩又出来占道经营，音响噪音还是很大，请派出所管一管,市局,东风派出所,受理,,\n",
        encoding="utf-8",
    )
    [seventh] = load_files(db, [later], "complaints")
    # R7 is R5's matter word for word, but R5 was split off by a person: R7 joins nobody.
    assert groups(db) == after
    undo_import(db, seventh.import_id)
    assert groups(db) == after
    rebuild(db)
    assert groups(db) == after
    assert rows(
        db, "select action, case_ids, made_by from case_group_decisions order by decision_id"
    ) == [("split", ["R5"], "analyst"), ("merge", ["R1", "R3"], "analyst")]
    assert rows(
        db,
        "select case_id, linked_by from case_groups where case_id in ('R3', 'R2') order by case_id",
    ) == [("R2", "模型"), ("R3", "人工")]
    assert first.import_id


def test_undo_of_the_file_restores_the_groups_before_it(warehouse):
    db, path = warehouse
    [result] = load_files(db, [path], "complaints")
    undo_import(db, result.import_id)
    assert groups(db) == SAMPLE_GROUPS
    assert rows(
        db, "select count(*) from case_links where case_a like 'R%' or case_b like 'R%'"
    ) == [(0,)]


def test_a_merge_of_unknown_cases_is_refused(warehouse):
    db, _ = warehouse
    with pytest.raises(case_groups.DecisionRefused, match="没有编号为 NOPE 的诉求"):
        case_groups.merge(db, ["SQ01", "NOPE"], user="analyst")


def test_the_complainant_is_stored_only_as_a_keyed_hash(warehouse):
    db, path = warehouse
    load_files(db, [path], "complaints")
    refs = dict(rows(db, "select case_id, complainant_ref from complaints where case_id like 'R%'"))
    # R1 and R2: one caller, written with and without spaces; R3 another; R4..R6 none.
    assert refs["R1"] == refs["R2"] and len(refs["R1"]) == 32
    assert refs["R3"] not in (None, refs["R1"])
    assert refs["R4"] is None
    con = duckdb.connect(str(db), read_only=True)
    try:
        for (table,) in con.execute("select table_name from duckdb_tables()").fetchall():
            dump = con.execute(f"select * from {table}").df().astype(str).to_csv()
            assert "13800138000" not in dump and "0013" not in dump, table
    finally:
        con.close()
    key_file = db.parent / "minyi.complainant.key"
    assert key_file.is_file() and oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_the_same_key_gives_the_same_refs_on_rebuild(warehouse, tmp_path):
    db, path = warehouse
    load_files(db, [path], "complaints")
    before = rows(db, "select case_id, complainant_ref from complaints order by case_id")
    rebuild(db)
    assert rows(db, "select case_id, complainant_ref from complaints order by case_id") == before
    copy = tmp_path / "other" / "minyi.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(db, copy)
    assert rows(copy, "select count(*) from complaints where complainant_ref is not null") == [(3,)]


# C2 raises both C1's matter (装修噪音) and C3's (快递柜): linked to each, but C1 and C3 share
# nothing, so chaining them into one group would join two matters.
CHAIN = (
    HEADER
    + """\
C1,2024-03-01 08:00:00,12345,投诉,楼上装修电钻噪音,楼上邻居装修电钻噪音每天早上七点就开始，老人无法休息,市局,东风派出所,受理,,
C2,2024-03-03 08:00:00,市长信箱,投诉,装修噪音和快递柜被撬,楼上邻居装修电钻噪音每天早上七点就开始，老人无法休息。快递柜被人撬开包裹丢失无人处理，物业推给快递公司,市局,东风派出所,受理,,
C3,2024-03-05 08:00:00,12345,投诉,快递柜被撬包裹丢失,快递柜被人撬开包裹丢失无人处理，物业推给快递公司,市局,东风派出所,受理,,
"""
)


def test_a_case_joins_a_group_only_if_it_resembles_the_groups_first_case(warehouse, tmp_path):
    db, _ = warehouse
    path = tmp_path / "chain.csv"
    path.write_text(CHAIN, encoding="utf-8")
    load_files(db, [path], "complaints")
    links = rows(db, "select case_a, case_b from case_links where case_a like 'C%' order by all")
    assert links == [("C1", "C2"), ("C2", "C3")]
    assert groups(db) == {**SAMPLE_GROUPS, "C1": ["C1", "C2"]}


# The same words at two sibling stations are two matters; at a station and its 分局 one matter
# (the 分局 received it, the station handles it). U* in January, V* in September: apart.
UNITS = (
    HEADER
    + """\
U1,2024-01-10 08:00:00,12345,投诉,窗口民警办事拖拉,窗口民警办事拖拉，材料交了三次还说不全，请求督促,市局,东风派出所,受理,,
U2,2024-01-12 08:00:00,12345,投诉,窗口民警办事拖拉,窗口民警办事拖拉，材料交了三次还说不全，请求督促,市局,南湖派出所,受理,,
V1,2024-09-10 08:00:00,12345,投诉,户口迁移一直办不下来,户口迁移一直办不下来，跑了五趟没有结果，请求督促,市局,东风派出所,受理,,
V2,2024-09-12 08:00:00,市长信箱,投诉,户口迁移一直办不下来,户口迁移一直办不下来，跑了五趟没有结果，请求督促,市局,东城分局,受理,,
"""
)


def test_the_same_words_at_two_sibling_stations_are_two_matters(warehouse, tmp_path):
    # At a threshold of 0.9 the identical texts score 1.0 at the station and its 分局, and
    # 1.0 − 0.15 at the sibling stations.
    db, _ = warehouse
    con = duckdb.connect(str(db))
    con.execute("update settings set value = '0.9' where key = 'repeat_threshold'")
    con.close()
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    load_files(db, [path], "complaints")
    assert groups(db) == {**SAMPLE_GROUPS, "V1": ["V1", "V2"]}
