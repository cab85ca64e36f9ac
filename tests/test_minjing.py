"""民意与警意 (kind problem_map, query unit_minjing_problems, the unit profile's section): complaint
and suggestion categories mapped onto shared problems, a parent category mapping its descendants,
counted by hand on the sample warehouse with the category tree of tests/test_category_tree.py.

tests/fixtures/problem_map_wide.csv, by hand (one row per problem, each side's categories):
  治安秩序           ← 群众诉求 治安管理 (a level-1 parent: 噪音扰民, 治安巡逻, 治安 …)
  窗口办证排队       ← 群众诉求 证件办理 (办证, 出入境, 户籍) · 民警建议 经费装备保障
  服务态度与辅警管理 ← 群众诉求 服务态度 · 民警建议 队伍管理 (a level-2 parent: 辅警管理)
  被装保障           ← 民警建议 被装管理
  → 6 rows. Not mapped in the sample: complaints 出警 SQ04, 交通 SQ08, 表扬 SQ10; suggestion
  执法监督 R09.
A suggestion belongs to a unit when its respondent or its target is in the unit's tree; the
sample's suggestions (data/sample/survey_responses.csv) all target 警务保障室 JG1 but R09 (法制室).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import queries
from demo import templates as T
from etl.errors import FileRefused
from etl.inspect import inspect
from etl.load import load_files, preview_file, rebuild
from etl.masking import mask_text
from etl.undo import undo_import
from pages.ui import labels_minjing as L
from queries import db
from tests.signin import signed_in

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
WIDE = FIXTURES / "problem_map_wide.csv"
TREE = FIXTURES / "category_tree_wide.csv"
PARAMS = {
    "start": dt.date(2024, 1, 1),
    "end": dt.date(2024, 12, 31),
    "unit_ids": [],
    "channels": [],
    "categories": [],
    "scope": "*",
    "min_respondents": 1,
}
COUNTS = ["complaints", "suggestions", "respondents"]


@pytest.fixture(scope="module")
def mapped_db(sample_db, tmp_path_factory) -> Path:
    """The sample warehouse with the category tree and the mapping loaded through the loader."""
    path = tmp_path_factory.mktemp("minjing") / "minyi.duckdb"
    shutil.copyfile(sample_db, path)
    load_files(path, [TREE], "category_tree")
    load_files(path, [WIDE], "problem_map")
    return path


def run(path: Path, **params) -> pd.DataFrame:
    with db.read(path) as con:
        return queries.run(con, "unit_minjing_problems", **{**PARAMS, **params})


def problems(frame: pd.DataFrame) -> dict[str, tuple]:
    """Shared problem → (complaints, suggestions, respondents), None for a suppressed count."""
    rows = frame[frame["problem"].notna()]
    return {
        r.problem: tuple(None if pd.isna(getattr(r, c)) else int(getattr(r, c)) for c in COUNTS)
        for r in rows.itertuples()
    }


def unmapped(frame: pd.DataFrame) -> dict[str, tuple]:
    rows = frame[frame["problem"].isna()]
    return {
        r.category: tuple(None if pd.isna(getattr(r, c)) else int(getattr(r, c)) for c in COUNTS)
        for r in rows.itertuples()
    }


def test_the_wide_file_loads_as_one_row_per_category(mapped_db):
    assert inspect(WIDE)["kind"] == "problem_map"
    with duckdb.connect(str(mapped_db), read_only=True) as con:
        rows = con.execute(
            "select problem, side, category from problem_map order by all"
        ).fetchall()
    assert rows == [
        ("服务态度与辅警管理", "民警建议", "队伍管理"),
        ("服务态度与辅警管理", "群众诉求", "服务态度"),
        ("治安秩序", "群众诉求", "治安管理"),
        ("窗口办证排队", "民警建议", "经费装备保障"),
        ("窗口办证排队", "群众诉求", "证件办理"),
        ("被装保障", "民警建议", "被装管理"),
    ]


def test_the_upload_preview_and_a_rebuild_see_the_same_rows(scratch_db, tmp_path):
    preview = preview_file(scratch_db, WIDE, "problem_map")
    assert (preview.result.rows_inserted, preview.result.rows_rejected) == (6, 0)
    assert sorted(preview.rows["side"]) == ["民警建议"] * 3 + ["群众诉求"] * 3
    fresh = tmp_path / "fresh" / "minyi.duckdb"
    fresh.parent.mkdir()
    load_files(fresh, [WIDE], "problem_map")
    rebuild(fresh)  # from the archive: the wide file is melted again on replay
    with duckdb.connect(str(fresh), read_only=True) as con:
        assert con.execute("select count(*) from problem_map").fetchone()[0] == 6


def test_a_file_with_a_side_column_loads_as_it_is(scratch_db, tmp_path):
    narrow = tmp_path / "共同问题.csv"
    narrow.write_text(
        "共同问题,来源,类别\n噪音,群众诉求,噪音扰民\n噪音,警意,治安管理指导\n坏行,不知道,户籍\n",
        encoding="utf-8",
    )
    result = load_files(scratch_db, [narrow], "problem_map")[0]
    # 警意 is a spelling of 民警建议; 不知道 is no side: rejected with its reason.
    assert (result.rows_read, result.rows_inserted, result.rows_rejected) == (3, 2, 1)
    with duckdb.connect(str(scratch_db), read_only=True) as con:
        assert con.execute("select side from problem_map order by side").fetchall() == [
            ("民警建议",),
            ("群众诉求",),
        ]
    # One side for the whole file; a staff account (scoped to a unit) may not load the mapping.
    ideas = tmp_path / "警意.csv"
    ideas.write_text("共同问题,类别\n装备,被装管理\n", encoding="utf-8")
    result = load_files(scratch_db, [ideas], "problem_map", fixed={"side": "民警建议"})[0]
    assert (result.rows_inserted, result.rows_rejected) == (1, 0)
    with pytest.raises(FileRefused):
        load_files(scratch_db, [ideas], "problem_map", fixed={"side": "警意"}, scope_unit_id="FJ1")


def test_a_parent_category_maps_its_descendants(mapped_db):
    # Whole bureau. 治安管理 ⊃ 噪音扰民 SQ01 SQ02 SQ11 SQ12, 治安巡逻 SQ03, 治安 SQ09 → 6 cases;
    # 证件办理 ⊃ 办证 SQ05 SQ06 SQ13, 户籍 SQ07, 出入境 SQ15 → 5; 服务态度 SQ14 → 1.
    # Suggestions: 经费装备保障 R04 R06; 队伍管理 ⊃ 辅警管理 R01 R02 R07; 被装管理 R08.
    frame = run(mapped_db)
    assert problems(frame) == {
        "治安秩序": (6, 0, 0),
        "窗口办证排队": (5, 2, 2),
        "服务态度与辅警管理": (1, 3, 3),
        "被装保障": (0, 1, 1),
    }
    assert list(frame["problem"].dropna()) == list(problems(frame))  # citizens' count first
    assert unmapped(frame) == {"交通": (1, 0, 0), "出警": (1, 0, 0), "表扬": (1, 0, 0)} | {
        "执法监督": (0, 1, 1)
    }


def test_without_the_tree_a_parent_maps_only_its_own_name(scratch_db):
    load_files(scratch_db, [WIDE], "problem_map")
    frame = run(scratch_db)
    # No record is filed under 治安管理, 证件办理 or 队伍管理 itself: only the leaves still map.
    assert problems(frame) == {
        "窗口办证排队": (0, 2, 2),
        "服务态度与辅警管理": (1, 0, 0),
        "被装保障": (0, 1, 1),
    }
    assert unmapped(frame)["噪音扰民"] == (4, 0, 0)
    assert unmapped(frame)["辅警管理"] == (0, 3, 3)


def test_a_station_side_by_side_counted_by_hand(mapped_db):
    # 东风派出所 P11 handles SQ01 SQ02 (噪音扰民) and SQ14 (服务态度); its officers R01 and R02
    # wrote 辅警管理 (about 警务保障室, outside the station's tree). Newest first.
    frame = run(mapped_db, unit_ids=["P11"], min_respondents=2)
    assert problems(frame) == {"治安秩序": (2, 0, 0), "服务态度与辅警管理": (1, 2, 2)}
    assert unmapped(frame) == {}
    examples = frame.set_index("problem")
    assert examples.loc["治安秩序", "complaint_examples"] == (
        "烧烤店噪音扰民问题仍然存在 ｜ 小区楼下烧烤店夜间噪音扰民，多次反映未解决"
    )
    assert pd.isna(examples.loc["治安秩序", "suggestion_examples"])
    assert examples.loc["服务态度与辅警管理", "complaint_examples"] == "办事时民警态度生硬"
    assert examples.loc["服务态度与辅警管理", "suggestion_examples"] == (
        "辅警培训不足 ｜ 辅警待遇偏低，流失严重"
    )


def test_an_office_gets_what_officers_wrote_about_it(mapped_db):
    # 警务保障室 JG1: no cases; suggestions targeting it: 辅警管理 R01 R02 R07, 经费装备保障 R04
    # R06, 被装管理 R08. R09 (法制室) is not about it.
    frame = run(mapped_db, unit_ids=["JG1"])
    assert problems(frame) == {
        "服务态度与辅警管理": (0, 3, 3),
        "窗口办证排队": (0, 2, 2),
        "被装保障": (0, 1, 1),
    }
    assert unmapped(frame) == {}


def test_a_scoped_account_sees_its_own_officers_suggestions_only(mapped_db):
    # Scoped to 东城分局 FJ1: respondents of P11 (R01 R02) and P12 (R04); none targets its tree.
    frame = run(mapped_db, scope="FJ1")
    assert problems(frame)["服务态度与辅警管理"] == (1, 2, 2)
    assert problems(frame)["窗口办证排队"] == (0, 1, 1)
    assert "被装保障" not in problems(frame)  # R08 is 北关派出所's, in 西城分局


def test_fewer_than_the_minimum_respondents_show_no_count_and_no_text(mapped_db):
    # P11's suggestions come from 2 respondents (R01 R02): at 3 no officer count and no text is
    # returned on any row, not even a 0; the citizens' side is not survey text and stays.
    frame = run(mapped_db, unit_ids=["P11"], min_respondents=3).set_index("problem")
    assert frame["is_suppressed"].all()
    assert frame["suggestions"].isna().all() and frame["respondents"].isna().all()
    assert frame["suggestion_examples"].isna().all()
    assert frame["complaints"].to_dict() == {"治安秩序": 2, "服务态度与辅警管理": 1}
    assert frame.loc["服务态度与辅警管理", "complaint_examples"] == "办事时民警态度生硬"
    # JG1's come from 6 respondents (R01 R02 R04 R06 R07 R08): shown at 6, suppressed at 7.
    assert not run(mapped_db, unit_ids=["JG1"], min_respondents=6)["is_suppressed"].any()
    office = run(mapped_db, unit_ids=["JG1"], min_respondents=7)
    assert office["is_suppressed"].all() and office["suggestion_examples"].isna().all()
    # Before the survey (June) P11 has no suggestion at all: nobody to recognise, a plain 0.
    before = run(mapped_db, unit_ids=["P11"], end=dt.date(2024, 5, 31), min_respondents=3)
    assert not before["is_suppressed"].any() and problems(before)["服务态度与辅警管理"] == (1, 0, 0)


def test_undoing_the_mapping_load_takes_it_back(scratch_db):
    loaded = load_files(scratch_db, [WIDE], "problem_map")[0]
    assert problems(run(scratch_db))
    assert undo_import(scratch_db, loaded.import_id) == {"removed": 6, "restored": 0}
    frame = run(scratch_db)
    assert problems(frame) == {} and unmapped(frame)["辅警管理"] == (0, 3, 3)


def test_the_demo_mapping_names_categories_the_demo_has():
    tree = {
        name
        for top, middles in T.CATEGORY_TREE.items()
        for middle, leaves in middles.items()
        for name in (top, middle, *leaves)
    }
    cases = set(T.COMPLAINTS)
    ideas = set(T.SUGGESTIONS)
    for problem, case_side, idea_side in T.PROBLEMS:
        assert case_side or idea_side, problem
        # A name is a record category of its side, or a parent in the tree above some.
        assert set(case_side) <= cases | (tree - ideas), (problem, set(case_side) - cases)
        assert set(idea_side) <= ideas | (tree - cases), (problem, set(idea_side) - ideas)
    # No category counts under two problems of the same side.
    names = [(side, c) for _, *sides in T.PROBLEMS for side, cs in enumerate(sides) for c in cs]
    assert len(names) == len(set(names))


# -- the section on the unit profile --------------------------------------------------------------


@pytest.fixture
def app_on_map(mapped_db, tmp_path, monkeypatch):
    """The mapped warehouse with the survey's minimum set to 2 respondents, for the page."""
    path = tmp_path / "minyi.duckdb"
    shutil.copyfile(mapped_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("delete from settings where key = 'min_respondents'")
        con.execute("insert or replace into settings (key, value) values ('min_respondents', '2')")
    monkeypatch.setenv("MINYI_DB", str(path))
    return path


def open_profile(unit: str, role: str = "analyst") -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role)
    at.switch_page("pages/unit.py")
    at.query_params["unit"] = unit
    return at.run()


def section_table(at: AppTest, *columns: str) -> pd.DataFrame:
    found = [df.value for df in at.dataframe if set(columns) <= set(df.value.columns)]
    assert len(found) == 1, [list(df.value.columns) for df in at.dataframe]
    return found[0]


def test_the_section_renders_on_a_station_profile(app_on_map):
    at = open_profile("P11")
    assert not at.exception, [e.value for e in at.exception]
    assert L.TITLE in [s.value for s in at.subheader]
    shown = section_table(at, L.COLUMNS["suggestion_examples"])
    assert shown[list(L.COLUMNS.values())[:3]].values.tolist() == [
        ["治安秩序", 2, 0],
        ["服务态度与辅警管理", 1, 2],
    ]
    assert shown[L.COLUMNS["suggestion_examples"]].tolist() == [
        "",
        "辅警培训不足 ｜ 辅警待遇偏低，流失严重",
    ]
    assert L.UNMAPPED not in [m.value for m in at.markdown]


def test_the_section_masks_examples_and_lists_what_is_unmapped(app_on_map):
    # A complaint of 出入境窗口 CK1 carrying a mobile number: masked for an analyst.
    with duckdb.connect(str(app_on_map)) as con:
        con.execute(
            "update complaints set content = '排队两小时，联系我13912345678' where case_id = 'SQ06'"
        )
    at = open_profile("CK1")
    assert not at.exception, [e.value for e in at.exception]
    shown = section_table(at, L.COLUMNS["suggestion_examples"]).set_index(L.COLUMNS["problem"])
    # CK1 handles SQ05 (出入境大厅, its alias), SQ06, SQ13 (办证) and SQ15 (出入境).
    assert shown.loc["窗口办证排队", L.COLUMNS["complaints"]] == 4
    text = shown.loc["窗口办证排队", L.COLUMNS["complaint_examples"]]
    assert mask_text("排队两小时，联系我13912345678") in text and "13912345678" not in text
    # R09, written by a CK1 officer about 法制室: 执法监督 is mapped nowhere, one respondent.
    assert f"**{L.UNMAPPED}**" in [m.value for m in at.markdown]
    rest = section_table(at, *L.UNMAPPED_COLUMNS.values())
    assert rest.values.tolist() == [["执法监督", 0, L.SUPPRESSED.format(k=2)]]


def test_without_a_mapping_the_section_says_so_and_lists_every_category(sample_db):
    # The bare sample: no problem_map loaded. 东风派出所's cases are 噪音扰民 ×2 and 服务态度; its
    # suggestions (R01 R02, 2 respondents) are fewer than the default 5: no officer count.
    at = open_profile("P11")
    assert not at.exception, [e.value for e in at.exception]
    assert L.NO_MAP in [i.value for i in at.info]
    rest = section_table(at, *L.UNMAPPED_COLUMNS.values())
    assert rest.values.tolist() == [
        ["噪音扰民", 2, L.SUPPRESSED.format(k=5)],
        ["服务态度", 1, L.SUPPRESSED.format(k=5)],
        ["辅警管理", 0, L.SUPPRESSED.format(k=5)],
    ]
