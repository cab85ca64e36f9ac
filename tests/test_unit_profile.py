"""单位画像 (pages/unit.py) on the sample warehouse: a station, a 分局 and two offices counted by
hand, the rank among peers, the refusal of another tree's unit, the chooser, and the links to it.

The period is the default 近12个月 ending at the newest record (2024-06-05): every sample record is
inside it, and "now" for overdue cases and items is 2024-06-05 14:30. The counts below are those of
tests/test_queries.py's table of the sample, narrowed to the unit's tree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import queries
from auth import audit
from pages.ui import labels, unit_links
from pages.ui import labels_unit as L
from queries import db
from tests.signin import signed_in
from tests.test_queries import FULL

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def sample(sample_db):
    return sample_db


def open_profile(unit: str | None = None, role: str = "analyst", **query: str) -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role)
    at.switch_page("pages/unit.py")
    if unit is not None:
        at.query_params["unit"] = unit
    at.query_params.update(query)
    return at.run()


def metrics(at: AppTest) -> list[tuple[str, str]]:
    assert not at.exception, [e.value for e in at.exception]
    return [(m.label, m.value) for m in at.metric]


def tables_with(at: AppTest, column: str) -> list[pd.DataFrame]:
    """The page's tables that have `column`, in page order (plain tables carry no key in
    AppTest)."""
    return [df.value for df in at.dataframe if column in df.value.columns]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table with `column`."""
    return tables_with(at, column)[0]


def run(name: str, **overrides) -> pd.DataFrame:
    with db.read() as con:
        return queries.run(con, name, **{**FULL, **overrides})


# -- the queries ---------------------------------------------------------------------------------


def test_peers_roll_each_unit_up_over_its_tree_like_the_league_and_the_summary():
    # Calls by unit: P11 8 records, 7 valid, 满意 3 + 基本满意 2 = 5; P12 5, 5, 4; P21 5, 4, 4;
    # P22 4, 3, 2. With 5 replies needed: P12 4/5 = 80% first, P11 5/7 = 71.4% second; P21 and
    # P22 are small and unranked. FJ1 = P11 + P12 (9/12), FJ2 = P21 + P22 (6/7): FJ2 first.
    peers = run("unit_profile_peers", min_replies=5).set_index("unit_id")
    stations = peers[peers["unit_type"] == "派出所"]
    counted = {u: (r.valid_replies, r.satisfied) for u, r in stations.iterrows()}
    assert counted == {"P12": (5, 4.0), "P11": (7, 5.0), "P21": (4, 4.0), "P22": (3, 2.0)}
    assert list(stations.index) == ["P12", "P11", "P21", "P22"]
    assert stations["peer_rank"].tolist()[:2] == [1, 2] and stations["peer_rank"][2:].isna().all()
    assert set(stations["peers_ranked"]) == {2}
    assert peers.loc["FJ2", "peer_rank"] == 1 and peers.loc["FJ1", "peer_rank"] == 2
    # One definition: a station's row is its league row, a 分局's is its summary.
    league = run("satisfaction_rate_by_unit", min_replies=5).set_index("unit_id")
    columns = [
        "records",
        "valid_replies",
        "satisfied",
        "satisfaction_rate",
        "wilson_low",
        "wilson_high",
        "is_small",
    ]
    pd.testing.assert_frame_equal(
        stations[columns].sort_index(),
        league.loc[stations.index, columns].sort_index(),
        check_dtype=False,
    )
    summary = run("satisfaction_summary", unit_ids=["FJ1"]).iloc[0]
    for column in ("records", "valid_replies", "satisfied", "wilson_low", "wilson_high"):
        assert peers.loc["FJ1", column] == pytest.approx(summary[column])


def test_freshness_of_a_branch_is_that_of_its_tree():
    # As data_as_of for a user scoped to FJ1: calls 8 + 5, cases 3 + 2, respondents 3 + 2, items
    # ZG03 ZG05 ZG09, ledger rows 2 × (5 + 3).
    frame = run("unit_profile_data_as_of", unit_ids=["FJ1"])
    assert frame["rows"].tolist() == [13, 5, 5, 3, 16]
    assert frame["rows"].tolist() == run("data_as_of", scope="FJ1")["rows"].tolist()
    # An office counts the answers that scored it: all nine scored 警务保障室.
    assert run("unit_profile_data_as_of", unit_ids=["JG1"])["rows"].tolist() == [0, 0, 9, 2, 0]


# -- the page ------------------------------------------------------------------------------------


def test_a_station_profile_counted_by_hand():
    # 东风派出所 P11. Calls 5/7 satisfied, 7/8 valid. Cases SQ01 (on time, 满意), SQ02 (closed late,
    # 不满意, repeat of SQ01), SQ14 (open, due 05-22): 2/3 closed, 1/2 on time, callback 1/2, all 3
    # routed by rule, SQ14 open past its deadline. Items: ZG03 rectified, reviewed. Survey: 3 of
    # its 20 officers answered. Overdue cases SQ02 and SQ14; repeat 1/3.
    at = open_profile("P11")
    assert at.header[0].value == "东城分局东风派出所"
    assert metrics(at) == [
        ("满意率", "71.4%"),
        ("有效回访率", "87.5%"),
        ("办结率", "66.7%"),
        ("按期办结率", "50.0%"),
        ("诉求回访满意率", "50.0%"),
        ("自动分派率", "100.0%"),
        ("整改率", "100.0%"),
        ("参与率", "15.0%"),
        ("超期未办结", "1"),
        ("受理件数", "3"),
        ("超期件数", "2"),
        ("重复投诉率", "33.3%"),
        ("退回/改派件数", "0"),
        ("发现问题", "1"),
        ("已整改", "1"),
        ("超期未整改", "0"),
        ("已回头看", "1"),
    ]
    # 7 valid replies, fewer than the 30 a rank needs: said to be small, not ranked.
    assert [w.value for w in at.warning] == [
        L.SMALL.format(replies="7", n=30, rate="71.4%", low="35.9%", high="91.8%")
    ]
    peers = table(at, L.COLUMNS["peer_rank"])
    assert sorted(peers[labels.COLUMNS["unit_name"]]) == [
        "东城分局东风派出所",
        "东城分局南湖派出所",
        "西城分局北关派出所",
        "西城分局西山派出所",
    ]
    assert tables_with(at, "超期工作日")[0]["案件编号"].tolist() == ["SQ14", "SQ02"]
    assert table(at, "重复件")["案件编号"].tolist() == ["SQ02"]
    assert table(at, "整改编号")["整改编号"].tolist() == ["ZG03"]
    categories = table(at, "重复投诉件数")
    assert dict(zip(categories["类别"], categories["件数"])) == {"噪音扰民": 2, "服务态度": 1}
    channels = table(at, "诉求类型")
    assert channels[["渠道", "诉求类型", "受理件数"]].values.tolist() == [["12345", "投诉", 3]]
    # Ledger 2023: 5 types kept, 3 by hand; 2024: 3 of 5 kept, 1 by hand (治安日报).
    burden = table(at, "保留报表种类")
    assert burden[["年度", "保留报表种类", "手工填报种类"]].values.tolist() == [
        [2023, 5, 3],
        [2024, 3, 1],
    ]
    fresh = table(at, "数据类别")
    assert fresh["条数"].tolist() == [8, 3, 3, 1, 10]
    assert fresh["最新记录"].tolist()[:2] == ["2024-03-28 21:50", "2024-05-08 14:00"]
    assert tables_with(at, "参与率") == []  # a station has no children


def test_a_branch_profile_with_its_children():
    # 东城分局 FJ1 = P11 + P12. Calls 9/12, 12/13. Cases SQ01 SQ02 SQ14 (P11), SQ03 (on time,
    # 基本满意), SQ09 (closed late, 未回访) (P12): 4/5 closed, SQ01 SQ03 on time 2/4, callback
    # 满意 + 基本满意 of 3 replies = 2/3, 5/5 by rule. Items ZG03 ZG05 rectified, ZG09 (FJ1 itself)
    # pending: 2/3. Respondents 3 + 2 of 30 officers. Overdue SQ02 SQ09 SQ14; repeat SQ02 1/5.
    at = open_profile("FJ1")
    assert at.header[0].value == "江城市公安局东城分局"
    assert metrics(at)[:9] == [
        ("满意率", "75.0%"),
        ("有效回访率", "92.3%"),
        ("办结率", "80.0%"),
        ("按期办结率", "50.0%"),
        ("诉求回访满意率", "66.7%"),
        ("自动分派率", "100.0%"),
        ("整改率", "66.7%"),
        ("参与率", "16.7%"),
        ("超期未办结", "1"),
    ]
    children = table(at, "参与率").set_index(labels.COLUMNS["unit_name"])
    assert children.index.tolist() == ["东城分局东风派出所", "东城分局南湖派出所"]
    # P12: calls 4/5, cases SQ03 SQ09 both closed, SQ03 alone on time, callback 1/1 (SQ09 未回访),
    # ZG05 rectified, 2 of 10 officers.
    p12 = children.loc["东城分局南湖派出所"]
    assert (
        p12["满意率"],
        p12["办结率"],
        p12["按期办结率"],
        p12["回访满意率"],
        p12["整改率"],
        p12["参与率"],
        p12["超期未办结"],
    ) == (80.0, 100.0, 50.0, 100.0, 100.0, 20.0, 0)
    assert children.loc["东城分局东风派出所", "满意率"] == pytest.approx(500 / 7)
    assert children[L.PROFILE_COLUMN].tolist() == ["unit?unit=P11", "unit?unit=P12"]
    assert tables_with(at, "超期工作日")[0]["案件编号"].tolist() == ["SQ14", "SQ02", "SQ09"]
    assert table(at, "整改编号")["整改编号"].tolist() == ["ZG09", "ZG03", "ZG05"]
    assert table(at, "数据类别")["条数"].tolist() == [13, 5, 5, 3, 16]
    peers = table(at, L.COLUMNS["peer_rank"])
    assert peers[labels.COLUMNS["unit_name"]].tolist() == [
        "江城市公安局西城分局",
        "江城市公安局东城分局",
    ]


def test_an_office_profile_shows_its_scores_and_what_officers_wrote():
    # 警务保障室 JG1: no calls, no cases; ZG01 rectified, ZG02 (due 05-31) open past its deadline.
    # Scored by all 9 respondents, mean 34/9, 6 of 9 scores 4 or 5; six respondents (R01 R02 R04
    # R06 R07 R08) wrote suggestions about it, at least the 5 the survey page needs.
    at = open_profile("JG1")
    assert metrics(at) == [
        ("整改率", "50.0%"),
        ("发现问题", "2"),
        ("已整改", "1"),
        ("超期未整改", "1"),
        ("已回头看", "1"),
    ]
    assert L.KPIS_EMPTY.format(
        names="满意率、有效回访率、办结率、按期办结率、诉求回访满意率、自动分派率、参与率"
    ) in [c.value for c in at.caption]
    scores = table(at, "好评率")
    assert scores[["参与人数", "平均分"]].values.tolist() == [[9, 3.78]]
    assert scores["好评率"].iloc[0] == pytest.approx(600 / 9)
    suggestions = table(at, "意见建议")
    assert len(suggestions) == 6 and "辅警管理制度不清" in suggestions["意见建议"].tolist()
    assert "respondent_unit_id" not in suggestions.columns


def test_an_office_with_too_few_respondents_shows_neither_scores_nor_texts():
    # 法制室 JG2: only R09 scored it and wrote about it — one respondent, fewer than 5.
    at = open_profile("JG2")
    assert not at.exception
    assert tables_with(at, "好评率") == []
    assert labels.SURVEY_SUPPRESSED.format(k=5, names="江城市公安局法制室") in [
        c.value for c in at.caption
    ]
    assert [w.value for w in at.warning] == [labels.SURVEY_LIST_SUPPRESSED.format(k=5)]
    assert tables_with(at, "意见建议") == []


def test_staff_are_refused_another_trees_profile_and_it_is_audited():
    # Staff of 东城分局 (tests/signin.py): 西山派出所 belongs to 西城分局.
    at = open_profile("P21", role="staff")
    assert [e.value for e in at.error] == [L.REFUSED]
    assert [h.value for h in at.header if h.value != labels.SIDEBAR_HEADER] == []
    assert len(at.metric) == 0
    row = audit.entries(actions=["scope_violation"], limit=1).iloc[0]
    assert (row["username"], row["detail"]) == ("staff", "P21")
    # The chooser offers their own tree only; an unknown code is refused the same way.
    assert at.selectbox(key="unit_pick").options == [
        "东城分局",
        "东城分局 / 东风派出所",
        "东城分局 / 南湖派出所",
    ]
    assert [e.value for e in open_profile("no-such", role="staff").error] == [L.REFUSED]
    # Their own station opens, and a whole-bureau role opens 西山派出所.
    assert open_profile("P12", role="staff").header[0].value == "东城分局南湖派出所"
    assert open_profile("P21").header[0].value == "西城分局西山派出所"


def test_without_a_unit_the_chooser_opens_the_one_picked():
    at = open_profile()
    assert not at.exception and len(at.metric) == 0
    assert L.CHOOSE_HINT in [c.value for c in at.caption]
    at.selectbox(key="unit_pick").set_value("P12").run()
    assert at.query_params["unit"] == "P12"
    assert at.header[0].value == "东城分局南湖派出所"
    assert metrics(at)[0] == ("满意率", "80.0%")
    # Picking another unit from a profile moves to it.
    at.selectbox(key="unit_pick").set_value("FJ2").run()
    assert at.header[0].value == "江城市公安局西城分局"
    assert metrics(at)[0] == ("满意率", "85.7%")


# -- links to it ---------------------------------------------------------------------------------


def test_a_profile_link_is_built_from_the_unit_id_alone():
    assert unit_links.profile_link("P11") == "unit?unit=P11"
    assert unit_links.profile_link("a&b c/#?") == "unit?unit=a%26b+c%2F%23%3F"
    assert unit_links.profile_link(None) is None and unit_links.profile_link(float("nan")) is None


@pytest.mark.parametrize(
    ("page", "key", "column"),
    [
        ("satisfaction", "sat_unit_table", "unit_name"),
        ("complaints", "cp_unit_table", "unit_name"),
        ("overview", "ov_attention", "unit_name"),
        ("rectification", "rc_unit_table", "unit_name"),
        ("report_burden", "rb_stations", "station_name"),
    ],
)
def test_unit_tables_link_each_unit_to_its_profile(page, key, column):
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.switch_page(f"pages/{page}.py")
    at.query_params["flt_period"] = "本年"  # a preset goes along with the link
    at.run()
    assert not at.exception
    shown = at.dataframe(key=key).value
    units = run("unit_profile_units")
    ids = dict(zip(units["unit_name"], units["unit_id"]))
    expected = [
        f"unit?unit={ids[n]}&flt_period=%E6%9C%AC%E5%B9%B4" for n in shown[labels.COLUMNS[column]]
    ]
    assert expected and shown[L.PROFILE_COLUMN].tolist() == expected
    # The link sits right after the name it belongs to.
    names = list(shown.columns)
    assert names.index(L.PROFILE_COLUMN) == names.index(labels.COLUMNS[column]) + 1
