"""上升词 and 特征词 (log-likelihood G² on daily word counts), the daily counts kept equal to their
definition, and 热点问题 ranked by the stated heat index."""

from __future__ import annotations

import datetime as dt
import math
import shutil

import duckdb
import pytest

import queries
from etl import store
from etl.load import load_files
from etl.undo import undo_import
from tests.test_intel_repeats import MATTER

HEADER = "工单编号,受理时间,来源渠道,诉求类型,标题,诉求内容,受理单位,承办单位\n"
# July: W01-W20 噪音扰民 at 西山 (P21), W21 电动车被盗 at 东风 (P11): 噪音扰民 20, 电动车 1, 被盗 1 = 22.
# August: W31-W34 噪音扰民 at 西山, W41-W56 电动车被盗 at 东风: 噪音扰民 4, 电动车 16, 被盗 16 = 36.
WORDS = (
    HEADER
    + "".join(
        f"W{n:02d},2024-07-{n:02d} 10:00:00,12345,投诉,,噪音扰民,市局,西山派出所\n"
        for n in range(1, 21)
    )
    + "W21,2024-07-21 10:00:00,12345,投诉,,电动车被盗,市局,东风派出所\n"
    + "".join(
        f"W{n},2024-08-{n - 30:02d} 10:00:00,12345,投诉,,噪音扰民,市局,西山派出所\n"
        for n in range(31, 35)
    )
    + "".join(
        f"W{n},2024-08-{n - 40:02d} 10:00:00,12345,投诉,,电动车被盗,市局,东风派出所\n"
        for n in range(41, 57)
    )
)
AUGUST = {
    "start": dt.date(2024, 8, 1),
    "end": dt.date(2024, 8, 31),
    "prev_start": dt.date(2024, 7, 1),
    "prev_end": dt.date(2024, 7, 31),
}
FILTERS = {
    "sources": ["complaint"],
    "unit_ids": [],
    "channels": [],
    "categories": [],
    "scope": "*",
    "min_count": 5,
    "min_respondents": 5,
    "top_n": 10,
}


def g2(a: float, b: float, n1: float, n2: float) -> float:
    """Dunning's G², written out: 2 Σ O ln(O / E) over the four cells."""
    cells = [
        (a, (a + b) * n1 / (n1 + n2)),
        (b, (a + b) * n2 / (n1 + n2)),
        (n1 - a, (n1 + n2 - a - b) * n1 / (n1 + n2)),
        (n2 - b, (n1 + n2 - a - b) * n2 / (n1 + n2)),
    ]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


@pytest.fixture
def warehouse(sample_db, tmp_path):
    db = tmp_path / "minyi.duckdb"
    shutil.copyfile(sample_db, db)
    shutil.copytree(store.archive_dir(sample_db), store.archive_dir(db))
    return db


def run(db, name: str, **params):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return queries.run(con, name, **params)
    finally:
        con.close()


def test_log_likelihood_of_a_hand_computed_table():
    # 30 of 1,000 words against 10 of 1,000: expected 20 and 20, 980 and 980;
    # G² = 2 (30 ln 1.5 + 10 ln 0.5 + 970 ln(970/980) + 990 ln(990/980))
    #    = 2 (12.1640 − 6.9315 − 9.9488 + 10.0508) = 10.669.
    con = duckdb.connect()
    try:
        from etl.store import migrate

        migrate(con)
        value = con.execute("select log_likelihood_g2(30, 10, 1000, 1000)").fetchone()[0]
    finally:
        con.close()
    assert value == pytest.approx(10.669, abs=5e-4)
    assert g2(30, 10, 1000, 1000) == pytest.approx(value)


def test_rising_words_are_those_whose_share_rose_significantly(warehouse, tmp_path):
    path = tmp_path / "words.csv"
    path.write_text(WORDS, encoding="utf-8")
    load_files(warehouse, [path], "complaints")
    rising = run(warehouse, "keyword_rising", **AUGUST, **FILTERS)
    # 电动车 and 被盗: 16 of 36 now against 1 of 22 before, G² 12.57 ≥ 10.83; 噪音扰民 fell.
    assert rising[["token", "n", "previous_n"]].values.tolist() == [
        ["电动车", 16, 1],
        ["被盗", 16, 1],
    ]
    assert rising["g2"].iloc[0] == pytest.approx(round(g2(16, 1, 36, 22), 2))
    assert rising["share"].iloc[0] == pytest.approx(16 / 36)
    # With at least 17 occurrences required, none is left.
    assert run(warehouse, "keyword_rising", **AUGUST, **{**FILTERS, "min_count": 17}).empty


def test_distinctive_words_of_a_unit_against_the_rest(warehouse, tmp_path):
    path = tmp_path / "words.csv"
    path.write_text(WORDS, encoding="utf-8")
    load_files(warehouse, [path], "complaints")
    august = {k: v for k, v in AUGUST.items() if not k.startswith("prev")}
    # 西山 (P21) in August: 噪音扰民 4 of its 4 words; elsewhere 0 of 32. G² = 25.12. With a
    # minimum of 5 nothing is distinctive; with 4, 噪音扰民 is.
    assert run(warehouse, "keyword_distinctive", **august, **{**FILTERS, "unit_ids": ["P21"]}).empty
    found = run(
        warehouse,
        "keyword_distinctive",
        **august,
        **{**FILTERS, "unit_ids": ["P21"], "min_count": 4},
    )
    assert found[["token", "n", "elsewhere_n"]].values.tolist() == [["噪音扰民", 4, 0]]
    assert found["g2"].iloc[0] == pytest.approx(round(g2(4, 0, 4, 32), 2))
    assert run(warehouse, "keyword_distinctive", **august, **FILTERS).empty  # no unit chosen


def test_the_daily_word_counts_equal_their_definition_after_a_load_and_its_undo(
    warehouse, tmp_path
):
    path = tmp_path / "words.csv"
    path.write_text(WORDS, encoding="utf-8")
    [result] = load_files(warehouse, [path], "complaints")
    differs = (
        "select count(*) from ((select * from token_days except all select * from"
        " token_days_source) union all (select * from token_days_source except all"
        " select * from token_days))"
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(differs).fetchone()[0] == 0
    assert con.execute("select sum(n) from token_days where token = '电动车'").fetchone()[0] == 17
    con.close()
    undo_import(warehouse, result.import_id)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(differs).fetchone()[0] == 0
    assert con.execute("select count(*) from token_days where token = '电动车'").fetchone()[0] == 0
    con.close()


def test_hot_topics_rank_by_the_stated_heat_index(warehouse, tmp_path):
    path = tmp_path / "matter.csv"
    path.write_text(MATTER, encoding="utf-8")
    load_files(warehouse, [path], "complaints")
    topics = run(
        warehouse,
        "hot_topics",
        start=dt.date(2024, 6, 1),
        end=dt.date(2024, 11, 30),
        prev_start=dt.date(2023, 12, 1),
        prev_end=dt.date(2024, 5, 31),
        unit_ids=[],
        channels=[],
        categories=[],
        scope="*",
        limit=10,
        offset=0,
    )
    # R1 R2 R4 R5: 4 cases + 1 complainant (R1 = R2; R4, R5 none) + 3 channels + ln(1 + 0)
    # + 4 more than the half-year before = 12. Q1 Q2: 2 + 0 + 2 + 0 + 2 = 6.
    assert topics[
        ["group_id", "heat", "cases", "complainants", "channel_count"]
    ].values.tolist() == [["R1", 12.0, 4, 1, 3], ["Q1", 6.0, 2, 0, 2]]
    assert topics["places"].fillna("").tolist() == ["阳光花园", ""]
    # Each distinct once, in order; the cases without a complainant count none (R4, R5).
    assert topics["channels"].tolist() == ["110短信评警、12345、市长信箱", "12345、平安民声"]
    assert topics["units"].tolist() == ["东城分局东风派出所", "西城分局西山派出所"]
    assert topics["latest_title"].iloc[0] == "阳光花园夜市还在"


# 电动车被盗 on 1 August at 西山 too: that day the word has two token_days rows, one per station.
XISHAN_AUGUST = HEADER + "W60,2024-08-01 11:00:00,12345,投诉,,电动车被盗,市局,西山派出所\n"
BUREAU_DIFFERS = (
    "select count(*) from ((select * from bureau_token_days except all select * from"
    " bureau_token_days_source) union all (select * from bureau_token_days_source except all"
    " select * from bureau_token_days))"
)


def _bureau_rows(db, token: str) -> list:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select day, source, n, records from bureau_token_days where token = $token"
            " order by day",
            {"token": token},
        ).fetchall()
    finally:
        con.close()


def test_the_bureau_word_counts_sum_the_stations_and_follow_a_load_and_its_undo(
    warehouse, tmp_path
):
    words, xishan = tmp_path / "words.csv", tmp_path / "xishan.csv"
    words.write_text(WORDS, encoding="utf-8")
    xishan.write_text(XISHAN_AUGUST, encoding="utf-8")
    load_files(warehouse, [words], "complaints")
    [second] = load_files(warehouse, [xishan], "complaints")
    rows = _bureau_rows(warehouse, "电动车")
    # W21 on 21 July, W41-W56 on 1-16 August, W60 on 1 August: 1 August sums 东风 and 西山.
    assert rows[:3] == [
        (dt.date(2024, 7, 21), "complaint", 1, 1),
        (dt.date(2024, 8, 1), "complaint", 2, 2),
        (dt.date(2024, 8, 2), "complaint", 1, 1),
    ]
    assert len(rows) == 17 and sum(r[2] for r in rows) == 18
    assert run(warehouse, "keyword_counts", **AUGUST, **FILTERS)[
        ["token", "n", "records"]
    ].values.tolist() == [["电动车", 17, 17], ["被盗", 17, 17], ["噪音扰民", 4, 4]]
    undo_import(warehouse, second.import_id)
    assert _bureau_rows(warehouse, "电动车")[1] == (dt.date(2024, 8, 1), "complaint", 1, 1)
    assert run(warehouse, "keyword_counts", **{**AUGUST, **FILTERS, "unit_ids": ["P21"]})[
        ["token", "n"]
    ].values.tolist() == [["噪音扰民", 4]]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(BUREAU_DIFFERS).fetchone()[0] == 0
    con.close()


def test_a_warehouse_from_before_the_bureau_word_counts_gets_them_when_migrated(
    warehouse, tmp_path
):
    path = tmp_path / "words.csv"
    path.write_text(WORDS, encoding="utf-8")
    load_files(warehouse, [path], "complaints")
    con = duckdb.connect(str(warehouse))
    con.execute("drop table bureau_token_days")
    con.execute("delete from schema_migrations where name = '016w_bureau_words.sql'")
    con.close()
    assert store.migrate_file(warehouse)[:1] == ["016w_bureau_words.sql"]
    assert len(_bureau_rows(warehouse, "电动车")) == 17
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(BUREAU_DIFFERS).fetchone()[0] == 0
    con.close()
