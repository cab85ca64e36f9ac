"""整改进度, 报表负担, 警意调查 and 关键词云 under AppTest on the sample warehouse: the figures
data/sample gives by hand, filters that change them, k-anonymity, and the cloud without a font."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages import keywords
from pages.ui import escape, labels, wordcloud
from tests.signin import signed_in

ROOT = Path(__file__).resolve().parents[1]


def open_page(name: str, **query: str | list[str]) -> AppTest:
    """Run the app signed in as an analyst on page `name` with the given URL query parameters
    (filters live there)."""
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.switch_page(f"pages/{name}.py")
    at.query_params.update(query)
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    assert not at.exception, [e.value for e in at.exception]
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def table_with(at: AppTest, column: str):
    """The first table on the page that has `column` (plain tables carry no key in AppTest)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def page_info(total: int) -> str:
    return labels.PAGE_INFO.format(total=total, page=1, pages=1)


@pytest.fixture(autouse=True)
def sample(sample_db):
    """Every test here reads the sample warehouse."""
    return sample_db


def test_rectification_totals_and_overdue_list():
    # ZG01-ZG10 found 2024-02-05 .. 05-06, all inside 近12个月 (2023-07-01 .. 2024-06-05).
    # 已整改: ZG01 ZG03 ZG05 (已销号) ZG07 ZG10 → 5/10. Unrectified past the deadline as of the newest
    # record (2024-06-05): ZG02 (5-31) ZG04 (5-15) ZG06 (3-31) ZG08 (长期整改, 4-30); ZG09 is due
    # 6-06 → 4. 回头看 results: ZG01 ZG03 ZG05 ZG10 (ZG07 has none) → 4.
    at = open_page("rectification")
    assert metrics(at) == {
        "整改率": "50.0%",
        "发现问题": "10",
        "已整改": "5",
        "超期未整改": "4",
        "已回头看": "4",
    }
    assert page_info(10) in captions(at)  # the item list starts with every item found
    at.segmented_control(key="rc_show").set_value(labels.RECT_SHOW_OVERDUE).run()
    assert page_info(4) in captions(at)
    items = table_with(at, "整改编号")
    # newest found first: ZG04 (04-15), ZG08 (04-01), ZG02 (03-01), ZG06 (02-10)
    assert items["整改编号"].tolist() == ["ZG04", "ZG08", "ZG02", "ZG06"]
    at.segmented_control(key="rc_show").set_value(labels.RECT_SHOW_DONE).run()
    assert page_info(5) in captions(at)


def test_rectification_unit_filter():
    # 西城分局: 西山派出所 ZG06 (待整改) ZG08 (长期整改), 北关派出所 ZG07 (已整改, no review) → 1/3;
    # ZG06 and ZG08 are past their deadlines.
    at = open_page("rectification", flt_units="西城分局")
    assert metrics(at) == {
        "整改率": "33.3%",
        "发现问题": "3",
        "已整改": "1",
        "超期未整改": "2",
        "已回头看": "0",
    }
    assert page_info(3) in captions(at)
    at.segmented_control(key="rc_show").set_value(labels.RECT_SHOW_OPEN).run()
    assert page_info(2) in captions(at)


def test_rectification_category_filter():
    # 接处警: ZG05 (已销号 → 已整改) and ZG06 (待整改, due 2024-03-31) → 1/2, one overdue.
    at = open_page("rectification", flt_categories="接处警")
    shown = metrics(at)
    assert (shown["整改率"], shown["发现问题"], shown["超期未整改"]) == ("50.0%", "2", "1")


def test_report_burden_latest_year():
    # Sheet 2024, retained types per station (a type once however many offices ask for it):
    # 东风 3 (刑事案件统计 治安日报 警情周报; 交通事故统计 取消, 重点人员台账 合并), 南湖 2, 西山 3
    # (警情周报 still kept for 治安支队), 北关 1 → 9 / 4 = 2.25, shown to one decimal as 2.2.
    # By hand: 东风 治安日报, 西山 all 3, 北关 治安日报 → 5/9. Offices listed: 交警支队 刑侦支队
    # 治安支队 指挥中心; 交警支队's two asks were both cancelled → 3 still asking, 1 at zero.
    at = open_page("report_burden")
    assert at.selectbox(key="rb_year").value == 2024
    assert metrics(at) == {
        "站均保留报表": "2.2",
        "150种以上占比": "0.0%",
        "手工填报占比": "55.6%",
        "仍有要求的部门": "3",
        "已清零的部门": "1",
    }
    assert labels.BURDEN_ZERO_DEPTS.format(depts="交警支队") in captions(at)


def test_report_burden_cards_have_targets_and_the_ledger_load_time():
    # targets from settings (005): 站均 100 → 2.2 meets it; 150种以上 0 → 0.0% meets it;
    # 手工 50% → 55.6% is beyond the 2-point amber band; 部门 6 → 3 meets it; 清零 has none.
    at = open_page("report_burden")
    shown = " ".join(captions(at))
    for value in ("100", "0.0%", "50.0%", "6"):
        assert labels.TARGET.format(value=value) in shown
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges == [
        ":green-badge[达标]",
        ":green-badge[达标]",
        ":red-badge[未达标]",
        ":green-badge[达标]",
    ]
    # 数据截至 of ledger figures is the time the report ledger was loaded, never "—"
    explained = [m.value for m in at.markdown if labels.BURDEN_AS_OF in m.value]
    assert len(explained) == 5
    assert not any(f"{labels.AS_OF}：{labels.NONE}" in text for text in explained)


def test_report_burden_earlier_year_and_unit():
    # Sheet 2023: 东风 5, 南湖 3, 西山 3, 北关 2 = 13 types, 3.25 → 3.2; by hand 东风 3 (交通事故统计
    # 治安日报 重点人员台账), 南湖 1, 西山 3, 北关 2 → 9/13; all four offices still ask.
    at = open_page("report_burden")
    at.selectbox(key="rb_year").set_value(2023).run()
    shown = metrics(at)
    assert (shown["站均保留报表"], shown["手工填报占比"], shown["已清零的部门"]) == (
        "3.2",
        "69.2%",
        "0",
    )
    # 西城分局 in 2024: 西山 3 + 北关 1 = 4 types over 2 stations, all filled by hand; in 2023
    # 西山 3 + 北关 2 = 2.5 per station → 同比 (2 - 2.5) / 2.5 = -20.0%.
    at = open_page("report_burden", flt_units="西城分局")
    shown = metrics(at)
    assert (shown["站均保留报表"], shown["手工填报占比"]) == ("2", "100.0%")
    assert labels.VS.format(name=labels.YOY, delta="-20.0%") in captions(at)[1]


def test_survey_participation_and_counts():
    # Respondents R01-R09 (R02 is a 协警, still an officer) of one survey; headcount 20 + 10 + 16 + 8
    # (stations) + 6 + 4 (offices) + 5 (window) = 69 → 9/69. Suggestions with text: R01 R02 R04
    # R06 R07 R08 R09 → 7.
    at = open_page("survey")
    assert metrics(at) == {"参与率": "13.0%", "参与人数": "9", "意见建议": "7"}
    # 东城分局: 东风 R01 R02 R03, 南湖 R04 R05 → 5 of 20 + 10.
    shown = metrics(open_page("survey", flt_units="东城分局"))
    assert (shown["参与率"], shown["参与人数"]) == ("16.7%", "5")


def test_survey_offices_with_fewer_than_five_respondents_are_suppressed():
    # 警务保障室 is scored by R01-R09 (5 4 3 4 2 5 4 3 4: mean 34/9, 6 of 9 at 4 or 5) and shown;
    # 法制室 only by R01 and R04 → suppressed, named without figures.
    at = open_page("survey")
    scores = table_with(at, "平均分")
    assert scores["被评部门"].tolist() == ["江城市公安局警务保障室"]
    # 好评率 is 6/9 as a percent number, which the grid shows with one decimal
    assert scores["平均分"].tolist() == [3.78] and scores["好评率"].round(1).tolist() == [66.7]
    assert labels.SURVEY_SUPPRESSED.format(k=5, names="江城市公安局法制室") in captions(at)
    # Every suggestion category has fewer than 5 respondents: 辅警管理 R01 R02 R07, 经费装备保障
    # R04 R06, 被装管理 R08, 执法监督 R09.
    assert labels.SURVEY_ALL_SUPPRESSED.format(k=5) in [i.value for i in at.info]


def test_survey_header_names_the_round_and_an_empty_period_lists_the_rounds():
    at = open_page("survey")
    pick = at.selectbox(key="sv_survey")
    # JY2024 answered from 06-03 (R01) to 06-05 (R09) by 9 respondents
    assert pick.options == ["JY2024（2024-06-03 至 2024-06-05，9 人答卷）"]
    at = open_page("survey", flt_period="自定义", flt_dates=["2024-01-01", "2024-03-31"])
    assert [i.value for i in at.info] == [labels.SURVEY_NO_ROUND]
    # The round's name comes from the data: the caption carries it escaped (tests/test_hostile_text).
    assert labels.SURVEY_ROUNDS_HINT.format(
        rounds=escape.md("JY2024（2024-06-03 至 2024-06-05，9 人答卷）")
    ) in captions(at)
    assert not at.metric  # no card shows "—" for a period without a survey


def test_survey_suggestions_of_a_small_unit_are_not_shown():
    # Suggestions about 法制室 come from R09 alone: the list is withheld, its text never shown.
    at = open_page("survey", flt_units="法制室")
    assert not at.exception
    assert [w.value for w in at.warning] == [labels.SURVEY_LIST_SUPPRESSED.format(k=5)]
    shown = " ".join(df.value.to_string() for df in at.dataframe)
    assert "案件审核流程慢" not in shown


def test_survey_search_finds_suggestions():
    # 执法记录仪 appears in R04's 装备老化，执法记录仪不够用 and R06's 执法记录仪经常故障.
    at = open_page("survey")
    at.text_input(key="sv_search").input("执法记录仪").run()
    assert page_info(2) in captions(at)
    texts = table_with(at, "意见建议")["意见建议"].tolist()
    assert sorted(texts) == ["执法记录仪经常故障", "装备老化，执法记录仪不够用"]


def test_complaints_returned_or_reassigned_cases():
    # SQ12 (退回 by 北关, 改派 to 西山) and SQ06 (改派 from 东风 to 出入境窗口), latest step first.
    at = open_page("complaints")
    at.segmented_control(key="cp_show").set_value(labels.SHOW_RETURNED).run()
    assert not at.exception
    assert page_info(2) in captions(at)
    cases = table_with(at, "退回次数")
    assert cases["案件编号"].tolist() == ["SQ12", "SQ06"]
    assert cases["首次分派单位"].tolist() == ["西城分局北关派出所", "东城分局东风派出所"]


def top_word(at: AppTest, key: str = "kw_0_table") -> tuple[str, int, int]:
    row = at.dataframe(key=key).value.iloc[0]
    return row["词语"], int(row["出现次数"]), int(row["记录数"])


def test_keyword_cloud_top_word_and_its_records():
    # 噪音扰民: titles and contents of SQ01 SQ02 SQ11 SQ12 (2 each) and the callback notes of GD03
    # GD08 JQ03 JQ06 JQ10 (1 each) → 13 times in 9 records.
    at = open_page("keywords")
    assert not at.exception
    assert len(at.image) == 1
    assert top_word(at) == ("噪音扰民", 13, 9)
    at.selectbox(key="kw_word").set_value("噪音扰民").run()
    assert labels.KW_RECORDS_OF.format(word="噪音扰民") in [s.value for s in at.subheader]
    records = table_with(at, "原文")
    assert set(records["来源"]) == {"民意诉求", "回访备注"} and "is_suppressed" not in records
    assert page_info(9) in captions(at)


def test_keyword_unit_filter_counts_its_texts():
    # 西城分局: SQ11 广场舞噪音扰民 / 每晚广场舞音响噪音扰民 (2), SQ12 广场舞噪音扰民 / 广场舞噪音扰民，
    # 已反映多次 (2), JQ10 note 噪音扰民多次报警无人管 (1) → 5 in 3 records.
    at = open_page("keywords", flt_units="西城分局")
    assert top_word(at) == ("噪音扰民", 5, 3)
    at.selectbox(key="kw_word").set_value("噪音扰民").run()
    assert page_info(3) in captions(at)


def test_keyword_clouds_of_two_units_side_by_side():
    # 出入境窗口: 窗口 in SQ06 (办证窗口排队长 / 出入境窗口排队两个小时) and SQ13 (建议延长窗口办公时间 /
    # 建议出入境窗口周末也办公), twice each → 4 in 2 records.
    at = open_page("keywords")
    at.segmented_control(key="kw_compare").set_value(labels.KW_TWO_UNITS).run()
    at.selectbox(key="kw_unit_a").set_value("FJ2")
    at.selectbox(key="kw_unit_b").set_value("CK1").run()
    # The two clouds' headings come first; the page's own sections (words, hot topics) follow.
    assert [s.value for s in at.subheader][:2] == ["西城分局", "出入境窗口"]
    assert len(at.image) == 2
    assert top_word(at, "kw_0_table") == ("噪音扰民", 5, 3)
    assert top_word(at, "kw_1_table") == ("窗口", 4, 2)


def test_keyword_page_without_a_cjk_font_warns_and_shows_bars(monkeypatch, tmp_path):
    monkeypatch.setenv("MINYI_CJK_FONT", str(tmp_path / "missing.ttc"))
    at = open_page("keywords")
    assert not at.exception
    assert [w.value for w in at.warning] == [wordcloud.FONT_FIX]
    assert len(at.image) == 0
    assert labels.KW_FALLBACK.format(n=keywords.FALLBACK_WORDS) in captions(at)
    assert top_word(at) == ("噪音扰民", 13, 9)


def test_keywords_of_a_small_survey_group_are_withheld():
    # Suggestions about 法制室 come from R09 alone (案件审核流程慢): under 5 respondents, its words
    # are neither in the cloud nor in the word table, so no word leads to its record.
    at = open_page("keywords", flt_units="法制室", kw_sources="survey_suggestion")
    assert not at.exception
    assert labels.KW_NO_WORDS in [i.value for i in at.info]
    assert not [s for s in at.selectbox if s.key == "kw_word"]
    # 警务保障室: R01 R02 R04 R06 R07 R08 wrote about it, 6 ≥ 5 → R04's and R06's texts shown
    at = open_page("keywords", flt_units="警务保障室", kw_sources="survey_suggestion")
    at.selectbox(key="kw_word").set_value("执法记录仪").run()
    texts = table_with(at, "原文")["原文"].tolist()
    assert sorted(texts) == ["执法记录仪经常故障", "装备老化，执法记录仪不够用"]
