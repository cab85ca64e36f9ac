"""The bureau's category tree (kind category_tree): a wide 一级/二级/三级 file loads as its edges, a
parent chosen in the 类别 filter selects exactly its descendants' records in every query, and a
warehouse without a tree (or a category outside it) answers exactly as before.

tests/fixtures/category_tree_wide.csv, by hand (16 leaf rows; 办证 twice, " 政务服务 " padded):
  治安管理 → 治安秩序 → 噪音扰民, 纠纷;  治安管理 → 治安巡逻 (no third level);  治安管理 → 治安 → 盗窃
  政务服务 → 证件办理 → 办证, 出入境, 户籍;  政务服务 → 咨询服务 → 咨询
  队伍建设 → 队伍管理 → 辅警管理, 其他;  队伍建设 → 保障 → 经费装备保障, 被装管理, 其他
  交通管理 → 交通 → 交通事故;  城市管理 → 市容 → 占道经营 (no record of the sample below it)
  → 9 level-2 edges and 14 level-3 edges (其他 under two parents): 23 rows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import queries
from etl import store
from etl.load import load_files
from etl.undo import undo_import
from pages.ui import filters
from queries import db
from tests.signin import signed_in

ROOT = Path(__file__).resolve().parents[1]
WIDE = ROOT / "tests" / "fixtures" / "category_tree_wide.csv"
# Every parameter the category-taking queries bind: the whole of 2024, the whole bureau.
PARAMS = {
    "start": dt.date(2024, 1, 1),
    "end": dt.date(2024, 12, 31),
    "unit_ids": [],
    "channels": [],
    "police_types": [],
    "categories": [],
    "scope": "*",
    "formula": "standard",
    "as_of": dt.datetime(2024, 5, 10, 12, 0),
    "min_respondents": 1,
    "top_n": 20,
    "limit": 100,
    "offset": 0,
    "sources": [],
    "search": "",
    "masked": False,
    "results": [],
    "exact_unit_id": None,
}


@pytest.fixture(scope="module")
def tree_db(sample_db, tmp_path_factory) -> Path:
    """The sample warehouse with the fixture's tree loaded through the loader."""
    path = tmp_path_factory.mktemp("tree") / "minyi.duckdb"
    shutil.copyfile(sample_db, path)
    load_files(path, [WIDE], "category_tree")
    return path


def run(path: Path, name: str, **params) -> pd.DataFrame:
    with db.read(path) as con:
        return queries.run(con, name, **{**PARAMS, **params})


def one(path: Path, name: str, **params) -> dict:
    frame = run(path, name, **params)
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def test_the_wide_file_loads_as_one_row_per_edge(tree_db):
    result = json.loads(
        json.dumps(load_files(tree_db, [WIDE], "category_tree")[0].__dict__, default=str)
    )
    # Loaded twice: the second load finds every edge already there.
    assert (
        result["rows_read"],
        result["rows_inserted"],
        result["rows_updated"],
        result["rows_rejected"],
    ) == (16, 0, 0, 0)
    with duckdb.connect(str(tree_db), read_only=True) as con:
        rows = con.execute(
            "select parent, category, level from category_tree order by level, parent, category"
        ).fetchall()
        roots = sorted(r for (r,) in con.execute("select root from category_roots").fetchall())
    assert rows == [
        ("交通管理", "交通", 2),
        ("城市管理", "市容", 2),
        ("政务服务", "咨询服务", 2),
        ("政务服务", "证件办理", 2),
        ("治安管理", "治安", 2),
        ("治安管理", "治安巡逻", 2),
        ("治安管理", "治安秩序", 2),
        ("队伍建设", "保障", 2),
        ("队伍建设", "队伍管理", 2),
        ("交通", "交通事故", 3),
        ("保障", "其他", 3),
        ("保障", "经费装备保障", 3),
        ("保障", "被装管理", 3),
        ("咨询服务", "咨询", 3),
        ("市容", "占道经营", 3),
        ("治安", "盗窃", 3),
        ("治安秩序", "噪音扰民", 3),
        ("治安秩序", "纠纷", 3),
        ("证件办理", "出入境", 3),
        ("证件办理", "办证", 3),
        ("证件办理", "户籍", 3),
        ("队伍管理", "其他", 3),
        ("队伍管理", "辅警管理", 3),
    ]
    assert roots == ["交通管理", "城市管理", "政务服务", "治安管理", "队伍建设"]


def test_a_tree_of_category_and_parent_columns_loads_too(scratch_db, tmp_path):
    narrow = tmp_path / "分类.csv"
    narrow.write_text("类别名称,上级类别\n治安秩序,治安管理\n噪音扰民,治安秩序\n", encoding="utf-8")
    result = load_files(scratch_db, [narrow], "category_tree")[0]
    assert (result.rows_inserted, result.rows_rejected) == (2, 0)
    # No levels given: the parent that is nobody's child is the level-1 category.
    assert one(scratch_db, "complaint_summary", categories=["治安管理"])["received"] == 4


def test_a_parent_selects_exactly_its_descendants_records(tree_db):
    # 治安管理 ⊃ 治安秩序 (噪音扰民 SQ01 SQ02 SQ11 SQ12, 纠纷), 治安巡逻 (SQ03), 治安 (盗窃; SQ09).
    assert one(tree_db, "complaint_summary", categories=["治安管理"])["received"] == 6
    # Calls: 噪音扰民 GD03 GD08 JQ03 JQ06 JQ10, 纠纷 JQ01 JQ02 JQ08, 盗窃 JQ04 JQ09 → 10 records;
    # 满意 JQ01 JQ02 JQ06 JQ08 JQ09, 基本满意 GD08 JQ03, 不满意 GD03 JQ04 JQ10 → 7/10.
    calls = one(tree_db, "satisfaction_summary", categories=["治安管理"])
    assert (
        calls["records"],
        calls["n_satisfied"],
        calls["n_basic"],
        calls["n_dissatisfied"],
        calls["satisfaction_rate"],
    ) == (10, 5, 2, 3, 0.7)
    assert len(run(tree_db, "records_calls", categories=["治安管理"])) == 10
    # A level-2 parent: 证件办理 ⊃ 办证 (GD01 GD02 GD06 GD10), 出入境 (CK01-CK08), 户籍 (none).
    assert one(tree_db, "satisfaction_summary", categories=["证件办理"])["records"] == 12
    # A parent and one of its own children count each record once: 政务服务 = 办证 4 + 出入境 8
    # + 咨询 4.
    assert one(tree_db, "satisfaction_summary", categories=["政务服务", "办证"])["records"] == 16
    # Rectification: 队伍建设 ⊃ 辅警管理 (ZG01 已整改), 经费装备保障 (ZG02 整改中).
    items = one(tree_db, "rectification_summary", categories=["队伍建设"])
    assert (items["items"], items["rectified"]) == (2, 1)
    months = run(tree_db, "rectification_by_month", categories=["队伍建设"])
    assert (months["found"].sum(), months["rectified"].sum()) == (2, 1)
    # Survey suggestions: 辅警管理 R01 R02 R07, 经费装备保障 R04 R06, 被装管理 R08 (执法监督 R09 is
    # outside the tree).
    survey = run(tree_db, "survey_top_categories", categories=["队伍建设"])
    assert dict(zip(survey.category, survey.suggestions)) == {
        "辅警管理": 3,
        "经费装备保障": 2,
        "被装管理": 1,
    }
    shown = run(tree_db, "survey_suggestions", categories=["队伍建设"])
    assert sorted(shown.category) == ["经费装备保障"] * 2 + ["被装管理"] + ["辅警管理"] * 3
    # Intake by channel and kind: SQ01 SQ02 SQ12 12345 投诉, SQ11 市长信箱 投诉, SQ03 市长信箱 建议,
    # SQ09 12345 举报.
    intake = run(tree_db, "complaint_intake_by_channel_kind", categories=["治安管理"])
    assert dict(zip(zip(intake.channel, intake.kind), intake.received)) == {
        ("12345", "投诉"): 3,
        ("12345", "举报"): 1,
        ("市长信箱", "投诉"): 1,
        ("市长信箱", "建议"): 1,
    }


def test_words_of_a_parent_are_the_words_of_its_descendants(tree_db):
    children = ["治安管理", "治安秩序", "噪音扰民", "纠纷", "治安巡逻", "治安", "盗窃"]
    for name, extra in (("keyword_counts", {}), ("keyword_records", {"token": "噪音扰民"})):
        by_parent = run(tree_db, name, categories=["治安管理"], **extra)
        by_hand = run(tree_db, name, categories=children, **extra)
        assert not by_parent.empty
        pd.testing.assert_frame_equal(by_parent, by_hand)
    # The sample's survey words are under target units JG1/JG2 only: R01-R08 (辅警管理 3 + 经费装备
    # 保障 2 + 被装管理 1 under 队伍建设) are 6 respondents, enough at min_respondents 5.
    words = run(
        tree_db,
        "keyword_counts",
        categories=["队伍建设"],
        min_respondents=5,
        sources=["survey_suggestion"],
    )
    assert not words.empty


def test_without_a_tree_a_category_matches_only_itself(sample_db, tree_db):
    for path in (sample_db, tree_db):
        # A leaf and a category outside the tree are what they were: 噪音扰民 SQ01 SQ02 SQ11 SQ12,
        # 表扬 SQ10; calls 出入境 CK01-CK08.
        assert one(path, "complaint_summary", categories=["噪音扰民"])["received"] == 4
        assert one(path, "complaint_summary", categories=["表扬"])["received"] == 1
        assert one(path, "satisfaction_summary", categories=["出入境"])["records"] == 8
        assert one(path, "complaint_summary")["received"] == 15
    # Without the tree 治安管理 names no record.
    assert one(sample_db, "complaint_summary", categories=["治安管理"])["received"] == 0
    assert one(sample_db, "satisfaction_summary", categories=["治安管理"])["records"] == 0


def test_top_categories_name_their_level1_category(sample_db, tree_db):
    top = run(tree_db, "complaint_top_categories")
    level1 = dict(zip(top.category.fillna("-"), top.level1))
    assert (level1["噪音扰民"], level1["治安巡逻"], level1["户籍"]) == (
        "治安管理",
        "治安管理",
        "政务服务",
    )
    assert pd.isna(level1["表扬"])  # outside the tree
    items = run(tree_db, "rectification_top_categories")
    assert dict(zip(items.category, items.level1))["经费装备保障"] == "队伍建设"
    assert run(sample_db, "complaint_top_categories").level1.isna().all()
    # 其他 sits under 队伍管理 and 保障, both under 队伍建设: one level-1 category.
    with db.read(tree_db) as con:
        assert con.execute("select category_level1('其他')").fetchone()[0] == "队伍建设"


def test_the_filter_offers_the_parents_of_the_categories_seen(sample_db, tree_db):
    before = run(sample_db, "filter_categories")
    assert before.level.isna().all()
    offered = run(tree_db, "filter_categories")
    # The level-1 categories above a seen one first (城市管理 has no record below it), then level 2.
    level1 = ["交通管理", "政务服务", "治安管理", "队伍建设"]
    level2 = ["交通", "保障", "咨询服务", "治安", "治安巡逻", "治安秩序", "证件办理", "队伍管理"]
    assert list(offered.category[:4]) == sorted(level1)
    assert list(offered.category[4:12]) == sorted(level2)
    assert list(offered.level[:12]) == [1] * 4 + [2] * 8
    # The rest are the records' own categories, as without the tree.
    assert set(offered.category) == set(before.category) | set(level1) | set(level2)


def test_no_category_match_escapes_category_in(tree_db):
    # Every macro in effect and every query matches categories through category_in(): a list
    # match on categories anywhere else would not roll up.
    exact = re.compile(r"list_contains\(\$?categories")
    with db.read(tree_db) as con:
        macros = con.execute(
            "select function_name, macro_definition from duckdb_functions()"
            " where macro_definition ilike '%categor%' and function_name <> 'category_in'"
        ).fetchall()
    assert {name for name, _ in macros} >= {
        "call_counts",
        "cases_in_filters",
        "items_in_filters",
        "words_in_filters",
        "survey_text_hidden",
    }
    assert [name for name, body in macros if exact.search(body)] == []
    sql = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "queries").glob("*.sql")}
    assert [name for name, text in sql.items() if exact.search(text)] == []


def test_the_real_three_level_tree_loads_whole(scratch_db, realdata):
    # category_tree.xlsx: 517 leaves under 15 level-1 and 103 distinct level-2 names; 其他 and a few
    # others repeat under several parents, 交通运输 sits under itself (交通运输/交通运输/出租车管理).
    result = load_files(scratch_db, [realdata / "category_tree.xlsx"], "category_tree")[0]
    assert (result.rows_read, result.rows_rejected) == (517, 0)
    with duckdb.connect(str(scratch_db), read_only=True) as con:
        levels = con.execute(
            "select level, count(*) from category_tree group by level order by level"
        ).fetchall()
        roots = con.execute("select count(*) from category_roots").fetchone()[0]
    assert levels == [(2, 118), (3, 499)] and roots == 15


def test_undoing_the_tree_load_takes_the_roll_up_back(scratch_db):
    loaded = load_files(scratch_db, [WIDE], "category_tree")[0]
    assert one(scratch_db, "complaint_summary", categories=["治安管理"])["received"] == 6
    assert undo_import(scratch_db, loaded.import_id) == {"removed": 23, "restored": 0}
    assert one(scratch_db, "complaint_summary", categories=["治安管理"])["received"] == 0


def test_an_older_warehouse_migrates_to_the_tree(tmp_path, sample_db):
    # A warehouse that stopped at 014 gets the table, its views and the macros on migrate.
    path = tmp_path / "old.duckdb"
    shutil.copyfile(sample_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("delete from schema_migrations where name = '015_category_tree.sql'")
        con.execute(
            "drop view category_roots; drop view category_closure; drop table category_tree"
        )
    assert "015_category_tree.sql" in store.migrate_file(path)
    assert one(path, "complaint_summary", categories=["噪音扰民"])["received"] == 4


@pytest.fixture
def app_on_tree(tree_db, monkeypatch):
    monkeypatch.setenv("MINYI_DB", str(tree_db))
    return tree_db


def open_page(name: str, **query: str) -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.switch_page(f"pages/{name}.py")
    at.query_params.update(query)
    return at.run()


def test_choosing_a_parent_in_the_sidebar_rolls_up(app_on_tree):
    at = open_page("rectification")
    assert not at.exception, [e.value for e in at.exception]
    box = at.sidebar.multiselect(key=filters.CATEGORIES_KEY)
    assert {"队伍建设", "治安管理", "辅警管理"} <= set(box.options)
    box.set_value(["队伍建设"]).run()
    # ZG01 (已整改) and ZG02 (整改中), both found inside 近12个月.
    shown = {m.label: m.value for m in at.metric}
    assert (shown["发现问题"], shown["已整改"], shown["整改率"]) == ("2", "1", "50.0%")


def test_top_category_bars_show_their_level1_category(app_on_tree):
    at = open_page("rectification")
    assert not at.exception, [e.value for e in at.exception]
    specs = " ".join(
        json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
        for chart in at.get("plotly_chart")
    )
    assert "经费装备保障（队伍建设）" in specs
    assert "执法规范（" not in specs  # outside the tree: its name alone
