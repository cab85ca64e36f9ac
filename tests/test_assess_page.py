"""考核评分 under AppTest on a copy of the sample warehouse with the hand scheme of
tests/test_assess.py saved as version 1: the league and breakdown each role sees, the admin's
change shown before → after and saved as version 2 (audited), and the XLSX opened with openpyxl."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from assess import store
from auth import audit
from pages.ui import assess_export, escape
from tests.signin import signed_in
from tests.test_access import downloads  # noqa: F401 (the fixture that catches a download's bytes)
from tests.test_assess import SAMPLE_SCHEME, hand_made, sample_scores

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def warehouse(scratch_db, monkeypatch):
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    store.save(SAMPLE_SCHEME, "admin", "手算方案", warehouse=scratch_db)
    return scratch_db


def open_page(role: str = "analyst") -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role)
    at.switch_page("pages/assessment.py")
    return at.run()


def league(at: AppTest):
    assert not at.exception, [e.value for e in at.exception]
    return next(df.value for df in at.dataframe if "名次" in df.value.columns)


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_stations_ranked_with_their_breakdown():
    # The page's period is 近12个月 (2023-07-01 .. 2024-06-05) and "now" the newest record: the
    # hand scheme's figures are the same as in 2024 at 05-10 (tests/test_assess.py).
    at = open_page()
    table = league(at)
    assert list(table["单位"]) == [
        "东城分局南湖派出所",
        "西城分局北关派出所",
        "东城分局东风派出所",
        "西城分局西山派出所",
    ]
    assert list(table["名次"]) == [1, 2, 3, 4]
    assert list(table["得分"]) == [77.5, 68.8, 56.4, 52.5]
    captions = [c.value for c in at.caption]
    assert "4 个单位，4 个排名" in captions
    assert "考核方案：样例方案（第 1 版，admin 于 " in " ".join(captions)
    assert (
        "东城分局南湖派出所：77.5 分（77.5/100 分折算为百分制），派出所第 1 名（共 4 个排名）"
        in markdown(at)
    )
    at.selectbox(key="as_unit").set_value("P22").run()
    assert "- " + escape.md(
        "满意率 66.7%（有效回访 3，少于 4）→ 不计分，按同类单位平均 23.8/40 分计"
    ) in markdown(at)
    assert [b.label for b in at.get("download_button")] == ["下载考核结果（XLSX，含得分明细）"]
    # Only admins edit the scheme.
    assert not [t for t in at.text_input if t.key == "as_name"]


def test_an_earlier_version_scores_the_same_period():
    at = open_page()
    at.selectbox(key="as_version").set_value(0).run()
    # The default scheme wants 30 valid replies, 10 cases, 3 items: the sample's stations are
    # measured only on overdue items (5 points) and report burden (10), so none is ranked.
    assert "4 个单位，0 个排名" in [c.value for c in at.caption]
    assert set(league(at)["说明"]) == {"可计分指标权重不足一半，不排名"}


def test_a_leader_reads_without_download_and_staff_see_their_tree():
    leader = open_page("leader")
    assert len(league(leader)) == 4 and leader.get("download_button") == []
    staff = open_page("staff")
    table = league(staff)
    assert list(table["单位"]) == ["东城分局南湖派出所", "东城分局东风派出所"]
    assert list(table["名次"]) == [1, 2]


def test_the_admin_sees_who_moves_before_saving_and_the_save_is_a_version(warehouse):
    at = open_page("admin")
    assert "方案未修改。" in [c.value for c in at.caption]
    at.checkbox(key="as_inc_rectification_overdue").uncheck().run()
    moves = next(df.value for df in at.dataframe if "名次变化" in df.value.columns)
    # tests/test_assess.py test_before_and_after_a_change, on screen.
    assert list(moves["单位"]) == [
        "西城分局西山派出所",
        "东城分局东风派出所",
        "西城分局北关派出所",
        "东城分局南湖派出所",
    ]
    assert list(moves["名次变化"]) == [2, -1, -1, 0]
    assert list(moves["新得分"]) == [65.6, 45.5, 61.0, 71.9]
    assert "3 个单位名次变化，4 个单位得分变化。" in [c.value for c in at.caption]
    assert store.current(warehouse).version == 1  # nothing saved yet
    at.text_input(key="as_note").input("整改超期另行通报").run()
    at.button(key="as_save").click().run()
    assert "已保存为第 2 版，立即生效。" in [s.value for s in at.success]
    saved = store.current(warehouse)
    assert saved.version == 2 and saved.saved_by == "admin" and saved.note == "整改超期另行通报"
    assert [i.metric for i in saved.scheme.indicators] == [
        "satisfaction",
        "closure",
        "report_burden",
    ]
    row = audit.entries(actions=["settings"], limit=1).iloc[0]
    assert row["username"] == "admin"
    assert row["detail"] == (
        "考核方案第 2 版：样例方案；满意率40，办结率30，保留报表种类10；说明：整改超期另行通报"
    )
    # The league on the same run is the new version's.
    assert list(league(at)["单位"])[:2] == ["东城分局南湖派出所", "西城分局西山派出所"]


def test_an_admin_error_is_shown_and_nothing_saved(warehouse):
    at = open_page("admin")
    at.number_input(key="as_target_closure").set_value(0.0).run()
    assert [e.value for e in at.error] == ["指标「办结率」按线性计分，须有下限和目标，且两者不同"]
    assert not [b for b in at.button if b.key == "as_save"]
    assert store.current(warehouse).version == 1


def test_the_xlsx_holds_the_league_the_breakdown_and_its_context():
    scores, breakdown = sample_scores(SAMPLE_SCHEME)
    context = [("期间", "2024-01-01 至 2024-12-31"), ("考核方案", "样例方案（第 1 版）")]
    book = openpyxl.load_workbook(io.BytesIO(assess_export.workbook(scores, breakdown, context)))
    assert book.sheetnames == ["得分排名", "得分明细", "说明"]
    rows = list(book["得分排名"].values)
    assert rows[0][:4] == ("单位", "单位类型", "上级单位", "得分")
    assert [(r[0], r[3], r[8]) for r in rows[1:]] == [
        ("东城分局南湖派出所", 77.5, 1),
        ("西城分局北关派出所", 68.8, 2),
        ("东城分局东风派出所", 56.4, 3),
        ("西城分局西山派出所", 52.5, 4),
    ]
    lines = list(book["得分明细"].values)
    assert lines[0] == (
        "单位",
        "单位类型",
        "指标",
        "数值",
        "样本",
        "权重",
        "得分",
        "失分",
        "计分情况",
        "依据",
    )
    assert len(lines) == 1 + 4 * 4
    p21 = next(r for r in lines if r[0] == "西城分局西山派出所" and r[2] == "整改超期")
    assert p21[3:9] == ("2", 2, 20, 0, 20, "计分")
    assert p21[9] == "整改超期 2 → 0.0/20 分：超期未整改 2 件，每件扣 10 分"
    assert list(book["说明"].values) == [("项目", "内容"), *context]


def test_the_xlsx_never_holds_a_formula():
    values = hand_made().assign(
        unit_name=['=HYPERLINK("http://x")', "乙所", "丙所", "窗口", "机关"]
    )
    from assess import score
    from tests.test_assess import HAND_SCHEME

    scores, breakdown = score.score_units(values, HAND_SCHEME)
    book = openpyxl.load_workbook(io.BytesIO(assess_export.workbook(scores, breakdown, [])))
    names = [r[0] for r in book["得分排名"].values]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(c.data_type != "f" for row in book["得分明细"].iter_rows() for c in row)


def test_the_pages_download_is_the_readers_tree_with_its_context_and_audited(downloads):
    at = open_page("staff")
    league(at)
    book = openpyxl.load_workbook(io.BytesIO(downloads["考核评分.xlsx"]()))
    assert [r[0] for r in book["得分排名"].values] == [
        "单位",
        "东城分局南湖派出所",
        "东城分局东风派出所",
    ]
    context = dict(list(book["说明"].values)[1:])
    # 近12个月 ends on the newest record the staff account sees (SQ14 of P11, 2024-05-08).
    assert context["期间"] == "2023-06-01 至 2024-05-08"
    assert context["单位范围"] == "全部单位"
    assert context["本人可见范围"] == "江城市公安局东城分局"
    assert context["考核方案"] == "样例方案（第 1 版）"
    assert context["导出人"] == "staff"
    row = audit.entries(actions=["export"], limit=1).iloc[0]
    assert (row["username"], row["detail"]) == ("staff", "考核评分.xlsx：8 行")
