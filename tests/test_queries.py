"""Named queries on the sample warehouse: every query runs, every metric equals its hand count."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import queries
from queries import db

pytestmark = pytest.mark.usefixtures("sample_db")

# The sample (data/sample/, loaded in manifest order), counted by hand.
#
# Units: SJ 江城市公安局 (市局) → FJ1 东城分局 → P11 东风派出所 (20 人), P12 南湖派出所 (10);
#        SJ → FJ2 西城分局 → P21 西山派出所 (16), P22 北关派出所 (8);
#        SJ → JG1 警务保障室 (6), JG2 法制室 (4) (机关), CK1 出入境窗口 (5). Headcount 69 in all.
#
# Call records, 30 kept (CK09 names 火星派出所, an unknown unit, and is rejected):
#   id    day   unit ch    result     |  id    day   unit ch     result   |  id    day  result
#   JQ01  03-01 P11  110   满意        |  GD01  03-04 P11  12345  满意      |  CK01  03-04 满意
#   JQ02  03-02 P11  110   满意(非常)  |  GD02  03-07 P12  12345  满意      |  CK02  03-05 满意
#   JQ03  03-03 P11  110   基本满意    |  GD03  03-11 P12  12345  不满意    |  CK03  03-06 满意
#   JQ04  03-05 P11  110   不满意      |  GD04  03-14 P21  12345  基本满意  |  CK04  03-11 基本满意
#   JQ05  03-06 P11  110   未回访(未接通)| GD05  03-20 P21  12345  满意      |  CK05  03-12 满意
#   JQ06  03-08 P12  110   满意        |  GD06  03-21 P22  12345  未回访(空号)| CK06 03-13 未回访(未评价)
#   JQ07  03-09 P12  110交警 基本满意(一般)| GD07 03-25 P22 12345  满意      |  CK07  03-19 满意(很满意)
#   JQ08  03-12 P21  110   满意        |  GD08  03-28 P11  12345  基本满意  |  CK08  03-20 不满意
#   JQ09  03-15 P21  110   满意        |  GD09  02-15 P12  12345  满意      |  (CK1, 窗口, 出入境)
#   JQ10  03-18 P22  110   不满意      |  GD10  02-27 P11  12345  不满意    |
#   JQ11  02-20 P22  110交警 满意      |  (110 police type 治安 unless 交警; 12345 has none)
#   JQ12  02-25 P21  110   未回访(拒访)|
#   Totals: 满意 16, 基本满意 5, 不满意 5, 未回访 4; valid replies 26 of 30.
#
# Complaints (as of 2024-05-10 12:00; deadlines are 23:59:59 of the day shown):
#   id   recv  ch       kind unit status  deadline closed sat      dup  routed first→final
#   SQ01 04-01 12345    投诉 P11  已办结  04-10   04-08  满意          规则   P11→P11
#   SQ02 04-02 12345    投诉 P11  已评议  04-12   04-15  不满意   SQ01 规则   P11→P11 (late)
#   SQ03 04-03 市长信箱 建议 P12  已办结  04-17   04-16  基本满意      规则   P12→P12
#   SQ04 04-08 110短信  投诉 P21  办理中  04-22   -                    规则   P21→P21
#   SQ05 04-10 12345    求助 CK1  已办结  04-24   04-19  满意          规则   CK1→CK1
#   SQ06 04-12 市长信箱 投诉 CK1  已反馈  04-26   -                    规则   P11→CK1 (改派)
#   SQ07 04-15 12345    咨询 P22  已办结  04-29   04-25  满意          规则   P22→P22
#   SQ08 04-16 平安民声 投诉 P22  转办    04-30   -                    人工   P21→P22 (转办)
#   SQ09 04-18 12345    举报 P12  已办结  04-30   05-06  未回访        规则   P12→P12 (late)
#   SQ10 04-22 12345    表扬 P21  已评议  05-08   04-23  满意          人工   P21→P21
#   SQ11 04-25 市长信箱 投诉 P21  受理    05-09   -                    -      (not dispatched)
#   SQ12 04-28 12345    投诉 P21  交办    05-15   -             SQ11 规则   P22→P21 (退回, 改派)
#   SQ13 05-06 110短信  建议 CK1  已办结  05-20   05-09  基本满意      规则   CK1→CK1
#   SQ14 05-08 12345    投诉 P11  交办    05-22   -                    规则   P11→P11
#   SQ15 03-20 12345    咨询 CK1  已办结  03-29   03-22  满意          规则   CK1→CK1
#
# Work calendar 2024 (chinesecalendar): 04-04..04-06 and 05-01..05-05 off; Sundays 04-07 and 04-28
# are 调休 workdays.

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
AS_OF = dt.datetime(2024, 5, 10, 12, 0)

# One value for every parameter any query takes; a query binds only those it mentions.
FULL = {
    "start": START,
    "end": END,
    "unit_ids": [],
    "channels": [],
    "police_types": [],
    "categories": [],
    "scope": "*",
    "formula": "standard",
    "as_of": AS_OF,
    "limit": 100,
    "offset": 0,
    "min_replies": 5,
    "min_respondents": 3,
    "top_n": 10,
    "sources": [],
    "token": "噪音扰民",
    "search": "",
    "masked": False,
    "line": 3,
    "bucket_width": 2,
    "uploaded_by": None,
    "prev_start": dt.date(2024, 2, 1),
    "prev_end": dt.date(2024, 2, 29),
    # parameters of the dashboard's drill-down queries (records_*)
    "results": [],
    "kinds": [],
    "open_only": False,
    "repeat_only": False,
    "overdue_only": False,
    "statuses": [],
    "depts": [],
    "exact_unit_id": None,
    "group_source": "未注明",  # the sample's complaints came without a source
    "group_id": "SQ01",
    "min_cases": 1,
    "flag": "",
    "min_count": 5,
    # parameters of the classifiers' queries (intel_*)
    "target": "category",
    "months": 12,
    "ids": ["SQ01"],
    "import_ids": [],
    "inferred": "include",
    # the upload page's choice of a source system (import_sources)
    "kind": "complaints",
}

# The columns of each metric query: pages rely on these names.
COLUMNS = {
    "satisfaction_summary": [
        "records",
        "n_satisfied",
        "n_basic",
        "n_dissatisfied",
        "n_no_reply",
        "valid_replies",
        "satisfied",
        "satisfaction_rate",
        "reply_rate",
        "wilson_low",
        "wilson_high",
        "newest_record_at",
    ],
    "satisfaction_rate_by_month": [
        "month",
        "records",
        "valid_replies",
        "satisfied",
        "satisfaction_rate",
        "reply_rate",
        "wilson_low",
        "wilson_high",
    ],
    "satisfaction_rate_by_unit": [
        "unit_id",
        "unit_name",
        "unit_type",
        "parent_name",
        "records",
        "valid_replies",
        "satisfied",
        "satisfaction_rate",
        "reply_rate",
        "wilson_low",
        "wilson_high",
        "is_small",
        "league_rank",
    ],
    "complaint_summary": [
        "received",
        "closed",
        "closure_rate",
        "on_time",
        "on_time_rate",
        "overdue",
        "overdue_open",
        "closed_late",
        "returned_or_reassigned",
        "repeat_cases",
        "repeat_rate",
        "routed",
        "routed_by_rule",
        "routing_automation_rate",
        "dispatched",
        "dispatched_correctly",
        "routing_accuracy",
        "rule_dispatched",
        "rule_dispatched_correctly",
        "rule_routing_accuracy",
        "callback_replies",
        "callback_satisfied",
        "callback_satisfaction_rate",
        "newest_record_at",
    ],
    "complaint_overdue_cases": [
        "case_id",
        "received_at",
        "channel",
        "kind",
        "title",
        "category",
        "unit_id",
        "unit_name",
        "status",
        "deadline_at",
        "closed_at",
        "is_closed",
        "working_days_overdue",
        "total_rows",
    ],
    "rectification_summary": [
        "items",
        "rectified",
        "rectification_rate",
        "in_progress",
        "pending",
        "long_term",
        "overdue_open",
        "rectified_late",
        "reviewed",
        "newest_record_on",
    ],
    "report_burden_summary": [
        "year",
        "stations",
        "stations_at_line",
        "share_at_line",
        "retained_types",
        "avg_retained_types",
        "max_retained_types",
        "hand_filled_types",
        "hand_share",
        "depts_listed",
        "demanding_depts",
        "depts_at_zero",
    ],
    "keyword_counts": ["token", "n", "records"],
    "overview_kpis": [
        "metric_order",
        "metric",
        "label",
        "value",
        "numerator",
        "denominator",
        "target",
        "newest_record_at",
    ],
}

UNIT_COLUMNS = ("unit_id", "station_unit_id", "target_unit_id")


def run(name: str, **overrides) -> pd.DataFrame:
    with db.read() as con:
        return queries.run(con, name, **{**FULL, **overrides})


def one(name: str, **overrides) -> dict:
    frame = run(name, **overrides)
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def column(frame: pd.DataFrame, key: str, value: str) -> dict:
    rows = frame[frame[key] == value]
    assert len(rows) == 1, f"{key}={value}: {len(rows)} rows"
    return rows.iloc[0].to_dict()


# -- every query ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", queries.names())
def test_every_query_runs_with_the_standard_parameters(name):
    frame = run(name)
    assert list(frame.columns) == COLUMNS.get(name, list(frame.columns))
    assert len(frame.columns) > 0 and len(set(frame.columns)) == len(frame.columns)


@pytest.mark.parametrize("name", queries.names())
def test_header_names_the_query_and_each_parameter(name):
    text = queries.load(name)
    header = [line for line in text.splitlines() if line.startswith("--")]
    assert header[0] == f"-- {name}"
    documented = " ".join(header)
    for param in queries.params_of(name):
        assert f"${param}" in documented, f"{name}: ${param} is not in the header comment"


@pytest.mark.parametrize("name", [n for n in queries.names() if "scope" in queries.params_of(n)])
def test_scope_keeps_rows_inside_the_unit_tree(name):
    frame = run(name, scope="P22")
    for col in UNIT_COLUMNS:
        if col in frame.columns:
            assert set(frame[col].dropna()) <= {"P22"}, f"{name}.{col} leaks other units"


@pytest.mark.parametrize(
    "name",
    [
        "satisfaction_rate_by_unit",
        "satisfaction_rate_by_month",
        "satisfaction_rate_by_channel",
        "complaint_by_unit",
        "complaint_overdue_cases",
        "complaint_intake_by_channel_kind",
        "rectification_by_unit",
        "rectification_overdue_items",
        "rectification_items",
        "report_burden_by_station",
        "report_burden_records",
        "complaint_returned_cases",
        "survey_participation_by_unit",
        "survey_scores_by_target",
        "keyword_counts",
        "keyword_records",
        "overview_unit_movers",
        "overview_attention",
    ],
)
def test_injection_text_in_parameters_matches_nothing(name):
    # Bound values are data, never SQL: the text is an unknown unit id and an unknown scope.
    assert run(name, unit_ids=["x' or 1=1 --"]).empty
    assert run(name, scope="x' or 1=1 --").empty


def test_a_missing_parameter_raises():
    with db.read() as con, pytest.raises(TypeError, match="formula"):
        params = {k: v for k, v in FULL.items() if k != "formula"}
        queries.run(con, "satisfaction_summary", **params)


# -- 满意度 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "satisfied", "rate", "low", "high"),
    [
        # standard: 满意 16 + 基本满意 5 = 21 of 26 valid replies
        ("standard", 21.0, 21 / 26, 0.6212, 0.9149),
        # strict: 满意 16 of 26
        ("strict", 16.0, 16 / 26, 0.4253, 0.7757),
        # weighted: 16 + 0.5 × 5 = 18.5 of 26
        ("weighted", 18.5, 18.5 / 26, 0.5195, 0.8491),
    ],
)
def test_satisfaction_summary_under_each_formula(formula, satisfied, rate, low, high):
    row = one("satisfaction_summary", formula=formula)
    assert (row["records"], row["n_satisfied"], row["n_basic"]) == (30, 16, 5)
    assert (row["n_dissatisfied"], row["n_no_reply"], row["valid_replies"]) == (5, 4, 26)
    assert row["satisfied"] == satisfied
    assert row["satisfaction_rate"] == pytest.approx(rate)
    assert row["reply_rate"] == pytest.approx(26 / 30)
    # Wilson 95%: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.96, n = 26
    assert round(row["wilson_low"], 4) == low
    assert round(row["wilson_high"], 4) == high
    assert row["newest_record_at"] == pd.Timestamp("2024-03-28 21:50")  # GD08


def test_satisfaction_summary_of_a_branch_includes_its_stations():
    # FJ2 = P21 (JQ08 JQ09 JQ12 GD04 GD05) + P22 (JQ10 JQ11 GD06 GD07): 9 records, 2 未回访,
    # satisfied JQ08 JQ09 GD04 GD05 JQ11 GD07 = 6 of 7
    row = one("satisfaction_summary", unit_ids=["FJ2"])
    assert (row["records"], row["valid_replies"], row["satisfied"]) == (9, 7, 6.0)


def test_satisfaction_summary_within_scope():
    # FJ1 = P11 (8 records, 7 valid, 5 satisfied) + P12 (5, 5, 4)
    row = one("satisfaction_summary", scope="FJ1")
    assert (row["records"], row["valid_replies"], row["satisfied"]) == (13, 12, 9.0)
    assert row["satisfaction_rate"] == pytest.approx(0.75)
    # a unit outside the scope's tree adds nothing
    assert one("satisfaction_summary", scope="FJ1", unit_ids=["FJ2"])["records"] == 0


def test_satisfaction_summary_filters_and_dates():
    # 交警: JQ07 (基本满意) and JQ11 (满意)
    row = one("satisfaction_summary", police_types=["交警"])
    assert (row["records"], row["valid_replies"], row["satisfied"]) == (2, 2, 2.0)
    # February: JQ11 满意, JQ12 未回访, GD09 满意, GD10 不满意
    row = one("satisfaction_summary", start=dt.date(2024, 2, 1), end=dt.date(2024, 2, 29))
    assert (row["records"], row["valid_replies"], row["satisfied"]) == (4, 3, 2.0)
    # end is inclusive: GD08 was received on 03-28 at 21:50
    row = one("satisfaction_summary", start=dt.date(2024, 3, 28), end=dt.date(2024, 3, 28))
    assert row["records"] == 1


def test_satisfaction_rate_by_channel():
    frame = run("satisfaction_rate_by_channel")
    assert list(frame.channel) == ["110", "12345", "窗口"]
    # 110: 12 records, 2 未回访, 满意 6 + 基本满意 2; 12345: 10, 1, 5 + 2; 窗口: 8, 1, 5 + 1
    assert list(frame.records) == [12, 10, 8]
    assert list(frame.valid_replies) == [10, 9, 7]
    assert list(frame.satisfied) == [8.0, 7.0, 6.0]
    assert [round(x, 4) for x in frame.wilson_low] == [0.4902, 0.4526, 0.4869]


def test_satisfaction_rate_by_police_type():
    frame = run("satisfaction_rate_by_police_type", formula="strict")
    # 治安 10 records (JQ01-06, 08-10, 12), 出入境 8 (window), 交警 2, none 10 (12345) last
    got = {
        (r.police_type if isinstance(r.police_type, str) else None): (r.records, r.satisfied)
        for r in frame.itertuples()
    }
    # strict 满意: 治安 JQ01 02 06 08 09 = 5; 出入境 5; 交警 JQ11 = 1; 12345 GD01 02 05 07 09 = 5
    assert got == {"治安": (10, 5.0), "出入境": (8, 5.0), "交警": (2, 1.0), None: (10, 5.0)}
    assert pd.isna(frame.police_type.iloc[-1])


def test_satisfaction_rate_by_month_and_week():
    frame = run("satisfaction_rate_by_month")
    assert [str(m.date()) for m in frame.month] == ["2024-02-01", "2024-03-01"]
    # February 4 records, 3 valid, 2 satisfied; March the other 26, 23 valid, 19 satisfied
    assert list(frame.records) == [4, 26]
    assert list(frame.valid_replies) == [3, 23]
    assert list(frame.satisfied) == [2.0, 19.0]
    weeks = run("satisfaction_rate_by_week")
    assert weeks.records.sum() == 30
    # weeks start on Monday: JQ11 (Tue 02-20) and JQ12 (Sun 02-25) share the week of 02-19
    assert column(weeks, "week", pd.Timestamp("2024-02-19"))["records"] == 2


def test_satisfaction_league_ranks_only_units_with_enough_replies():
    frame = run("satisfaction_rate_by_unit", min_replies=5)
    # CK1 6/7, P12 4/5, P11 5/7 are ranked; P21 4/4 and P22 2/3 have fewer than 5 valid replies
    assert list(frame.unit_id) == ["CK1", "P12", "P11", "P21", "P22"]
    assert list(frame.league_rank.iloc[:3]) == [1, 2, 3]
    assert frame.league_rank.iloc[3:].isna().all()
    assert list(frame.is_small) == [False, False, False, True, True]
    p21 = column(frame, "unit_id", "P21")
    assert (p21["records"], p21["valid_replies"], p21["reply_rate"]) == (5, 4, 0.8)
    assert (round(p21["wilson_low"], 4), p21["wilson_high"]) == (0.5101, 1.0)
    assert column(frame, "unit_id", "P11")["parent_name"] == "江城市公安局东城分局"


# -- 民意诉求 -------------------------------------------------------------------------------------


def test_complaint_summary():
    row = one("complaint_summary")
    # closed: SQ01 02 03 05 07 09 10 13 15
    assert (row["received"], row["closed"], row["closure_rate"]) == (15, 9, 0.6)
    # on time: all closed but SQ02 (04-15 > 04-12) and SQ09 (05-06 > 04-30)
    assert (row["on_time"], row["on_time_rate"]) == (7, pytest.approx(7 / 9))
    # open past deadline at 05-10: SQ04 SQ06 SQ08 SQ11; closed late: SQ02 SQ09
    assert (row["overdue"], row["overdue_open"], row["closed_late"]) == (6, 4, 2)
    # 改派 SQ06, 退回+改派 SQ12; duplicates SQ02 (of SQ01) and SQ12 (of SQ11)
    assert (row["returned_or_reassigned"], row["repeat_cases"]) == (2, 2)
    # routed: all but SQ11; by rule all of them but SQ08 and SQ10
    assert (row["routed"], row["routed_by_rule"]) == (14, 12)
    assert row["routing_automation_rate"] == pytest.approx(12 / 14)
    # first 交办/转办 target ≠ final unit: SQ06 (P11), SQ08 (P21), SQ12 (P22)
    assert (row["dispatched"], row["dispatched_correctly"]) == (14, 11)
    assert row["routing_accuracy"] == pytest.approx(11 / 14)
    # of the 12 routed by rule, SQ06 and SQ12 went first to the wrong unit
    assert (row["rule_dispatched"], row["rule_dispatched_correctly"]) == (12, 10)
    # closed with a valid reply: 满意 SQ01 05 07 10 15, 基本满意 SQ03 13, 不满意 SQ02 (SQ09 未回访)
    assert (row["callback_replies"], row["callback_satisfied"]) == (8, 7.0)
    assert row["newest_record_at"] == pd.Timestamp("2024-05-08 14:00")  # SQ14


@pytest.mark.parametrize(("formula", "satisfied"), [("strict", 5.0), ("weighted", 6.0)])
def test_complaint_callback_satisfaction_formulas(formula, satisfied):
    # strict: 满意 5 of 8; weighted: 5 + 0.5 × 2 = 6 of 8
    row = one("complaint_summary", formula=formula)
    assert row["callback_satisfied"] == satisfied
    assert row["callback_satisfaction_rate"] == satisfied / 8


def test_complaint_summary_of_a_branch_and_within_scope():
    # FJ2: P21 SQ04 SQ10 SQ11 SQ12 + P22 SQ07 SQ08 (SQ08 was received by FJ2, handled by P22)
    row = one("complaint_summary", unit_ids=["FJ2"])
    assert (row["received"], row["closed"]) == (6, 2)
    # scope FJ1: P11 SQ01 SQ02 SQ14 + P12 SQ03 SQ09
    row = one("complaint_summary", scope="FJ1")
    assert (row["received"], row["closed"], row["overdue"]) == (5, 4, 2)


def test_complaint_funnel():
    frame = run("complaint_funnel")
    assert list(frame.stage) == ["受理", "交办", "转办", "反馈", "评议"]
    # 交办: all but SQ11; 转办: SQ08; 反馈: the 9 closed + SQ06; 评议: SQ02 SQ10
    assert list(frame.cases) == [15, 14, 1, 10, 2]


def test_complaint_figures_of_an_empty_period_are_zero_not_missing():
    # complaint_case_facts has no case received in 2023: every count is 0 and every stage a row.
    empty = {"start": dt.date(2023, 1, 1), "end": dt.date(2023, 12, 31)}
    summary = one("complaint_summary", **empty)
    assert (
        summary["received"],
        summary["closed"],
        summary["overdue"],
        summary["returned_or_reassigned"],
        summary["callback_satisfied"],
    ) == (0, 0, 0, 0, 0)
    assert list(run("complaint_funnel", **empty).cases) == [0, 0, 0, 0, 0]
    assert run("records_calls", **empty).empty


def test_complaint_overdue_cases_count_chinese_working_days():
    frame = run("complaint_overdue_cases")
    assert list(frame.case_id) == ["SQ04", "SQ06", "SQ08", "SQ11", "SQ02", "SQ09"]
    # working days after the deadline up to 05-10 (or the closing day):
    # SQ04 04-22: 04-23..26 (4), 04-28 调休, 04-29, 04-30, 05-06..10 (5) = 12
    # SQ06 04-26: 04-28, 04-29, 04-30, 05-06..10 = 8;  SQ08 04-30: 05-06..10 = 5;  SQ11 05-09: 1
    # SQ02 04-12 → 04-15: 1;  SQ09 04-30 → 05-06: 1 (05-01..05 are the 劳动节 holiday)
    assert list(frame.working_days_overdue) == [12, 8, 5, 1, 1, 1]
    assert list(frame.is_closed) == [False] * 4 + [True] * 2
    assert set(frame.total_rows) == {6}
    page = run("complaint_overdue_cases", limit=2, offset=2)
    assert list(page.case_id) == ["SQ08", "SQ11"] and set(page.total_rows) == {6}


def test_complaint_returned_cases():
    # SQ12: 交办 P22, 退回 by P22 (04-29 09:00, 不属本所辖区), 改派 to P21 (10:00, no note);
    # SQ06: 交办 P11, 改派 to CK1 (04-13, 应由出入境窗口办理). Latest step first.
    frame = run("complaint_returned_cases")
    got = [
        (
            r.case_id,
            r.first_unit_name,
            r.handling_unit_name,
            r.returns,
            r.reassignments,
            r.last_return_stage,
            r.last_return_note,
            r.total_rows,
        )
        for r in frame.itertuples()
    ]
    assert got == [
        ("SQ12", "西城分局北关派出所", "西城分局西山派出所", 1, 1, "改派", "不属本所辖区", 2),
        (
            "SQ06",
            "东城分局东风派出所",
            "江城市公安局出入境服务窗口",
            0,
            1,
            "改派",
            "应由出入境窗口办理",
            2,
        ),
    ]
    assert list(run("complaint_returned_cases", unit_ids=["FJ1"]).case_id) == []
    assert list(run("complaint_returned_cases", kinds=["投诉"], channels=["市长信箱"]).case_id) == [
        "SQ06"
    ]
    # the same two cases the summary counts through the one definition, is_return_stage
    assert one("complaint_summary")["returned_or_reassigned"] == 2


def test_complaint_time_to_close_keeps_open_cases_apart():
    frame = run("complaint_time_to_close")
    counts = {(r.population, r.bucket): r.cases for r in frame.itertuples()}
    # closed, working days received → closed: SQ10 1; SQ15 2, SQ13 3, SQ01 4;
    # SQ05 7, SQ02 8, SQ03 8, SQ07 8, SQ09 10
    assert [counts["closed", b] for b in ["0-1", "2-5", "6-10", "11-15", "16-30", ">30"]] == [
        1,
        3,
        5,
        0,
        0,
        0,
    ]
    # open, age at 05-10: SQ14 2; SQ12 7, SQ11 9; SQ08 16, SQ06 18, SQ04 22
    assert [counts["open", b] for b in ["0-1", "2-5", "6-10", "11-15", "16-30", ">30"]] == [
        0,
        1,
        2,
        0,
        3,
        0,
    ]


def test_complaint_by_unit():
    frame = run("complaint_by_unit")
    # Every unit has fewer than min_replies (5) cases: all small, unranked, by closure rate.
    assert list(frame.unit_id) == ["P12", "CK1", "P11", "P22", "P21"]
    assert frame.is_small.all() and frame.league_rank.isna().all()
    assert list(frame.received) == [2, 4, 3, 2, 4]
    assert list(frame.closed) == [2, 3, 2, 1, 1]
    # overdue: P12 SQ09; CK1 SQ06; P11 SQ02; P22 SQ08; P21 SQ04 SQ11
    assert list(frame.overdue) == [1, 1, 1, 1, 2]
    assert list(frame.returned_or_reassigned) == [0, 1, 0, 0, 1]  # SQ06, SQ12
    p11 = column(frame, "unit_id", "P11")
    # SQ01 满意, SQ02 不满意
    assert (p11["on_time"], p11["callback_replies"]) == (1, 2)
    assert p11["callback_satisfaction_rate"] == 0.5


def test_complaint_intake_by_channel_kind():
    frame = run("complaint_intake_by_channel_kind")
    got = {(r.channel, r.kind): r.received for r in frame.itertuples()}
    assert got == {
        ("110短信评警", "建议"): 1,
        ("110短信评警", "投诉"): 1,
        ("12345", "咨询"): 2,
        ("12345", "投诉"): 4,
        ("12345", "举报"): 1,
        ("12345", "表扬"): 1,
        ("12345", "求助"): 1,
        ("市长信箱", "建议"): 1,
        ("市长信箱", "投诉"): 2,
        ("平安民声", "投诉"): 1,
    }
    assert column(frame[frame.channel == "12345"], "kind", "投诉")["closed"] == 2  # SQ01 SQ02


# -- 整改进度 -------------------------------------------------------------------------------------
# ZG01 JG1 已整改 (04-20 ≤ 04-30, 已巩固)   ZG02 JG1 整改中 (05-31)     ZG03 P11 已整改 (有反弹)
# ZG04 CK1 整改中 (05-15)                  ZG05 P12 已整改 late (已巩固) ZG06 P21 待整改 (03-31)
# ZG07 P22 已整改 (no review)              ZG08 P21 长期整改 (04-30)   ZG09 FJ1 待整改 (06-06)
# ZG10 JG2 已整改 (已巩固)


def test_rectification_summary():
    row = one("rectification_summary")
    assert (row["items"], row["rectified"], row["rectification_rate"]) == (10, 5, 0.5)
    assert (row["in_progress"], row["pending"], row["long_term"]) == (2, 2, 1)
    # past deadline at 05-10 and not rectified: ZG06 (03-31), ZG08 (长期整改, 04-30)
    assert (row["overdue_open"], row["rectified_late"], row["reviewed"]) == (2, 1, 4)
    assert row["newest_record_on"] == pd.Timestamp("2024-05-06")  # ZG09


def test_rectification_breakdowns():
    by_unit = run("rectification_by_unit")
    assert list(by_unit.unit_id[:3]) == ["P21", "CK1", "FJ1"]  # worst rate first, then most items
    assert column(by_unit, "unit_id", "P21")["overdue_open"] == 2
    by_source = run("rectification_by_source")
    got = {r.source: (r.items, r.rectified) for r in by_source.itertuples()}
    assert got == {
        "警意调查": (3, 2),
        "民意诉求": (2, 1),
        "自查": (2, 1),
        "督察": (2, 1),
        "其他": (1, 0),
    }
    top = run("rectification_top_categories", top_n=2)
    assert list(top.category) == ["执法规范", "接处警"] and list(top["items"]) == [2, 2]
    reviews = run("rectification_review_results")
    assert list(reviews.review_result[:2]) == ["已巩固", "有反弹"] and pd.isna(
        reviews.review_result[2]
    )
    assert list(reviews["items"]) == [3, 1, 1]


def test_rectification_by_month():
    frame = run("rectification_by_month")
    # found: Feb ZG05 ZG06; Mar ZG01 ZG02 ZG07 ZG10; Apr ZG03 ZG04 ZG08; May ZG09
    assert list(frame.found) == [2, 4, 3, 1]
    # rectified: Mar ZG05 (03-10); Apr ZG07 ZG01 ZG03 ZG10
    assert list(frame.rectified) == [0, 1, 4, 0]
    assert list(frame.found_to_date) == [2, 6, 9, 10]
    assert list(frame.rectified_to_date) == [0, 1, 5, 5]


def test_rectification_overdue_items():
    frame = run("rectification_overdue_items")
    assert list(frame.item_id) == ["ZG06", "ZG08"]
    # ZG06 03-31 → 05-10: April has 22 working days (04-07 and 04-28 on, 04-04/05 off), May 5
    assert list(frame.working_days_overdue) == [27, 5]


def test_rectification_items_lists_every_item_found():
    frame = run("rectification_items")
    # found_on newest first, item_id within a day (ZG01 ZG02 ZG10 all 03-01)
    assert list(frame.item_id) == [
        "ZG09",
        "ZG04",
        "ZG03",
        "ZG08",
        "ZG07",
        "ZG01",
        "ZG02",
        "ZG10",
        "ZG06",
        "ZG05",
    ]
    assert set(frame.total_rows) == {10}
    overdue = frame[frame.is_overdue]
    assert list(overdue.item_id) == ["ZG08", "ZG06"]
    assert list(overdue.working_days_overdue) == [5, 27]  # as rectification_overdue_items
    assert frame[~frame.is_overdue].working_days_overdue.isna().all()
    picked = run("rectification_items", sources=["警意调查"], statuses=["已整改"])
    assert list(picked.item_id) == ["ZG01", "ZG10"]  # ZG02 is 整改中
    assert list(run("rectification_items", overdue_only=True).item_id) == ["ZG08", "ZG06"]
    # P21 has ZG06 ZG08 (both overdue); FJ1 is ZG09 itself, P11's ZG03 and P12's ZG05
    assert list(run("rectification_items", unit_ids=["FJ1"]).item_id) == ["ZG09", "ZG03", "ZG05"]
    page = run("rectification_items", limit=3, offset=3)
    assert list(page.item_id) == ["ZG08", "ZG07", "ZG01"] and set(page.total_rows) == {10}


# -- 报表负担 -------------------------------------------------------------------------------------
# A report type counts once per station and year. With the line at 3 types:
# 2023: P11 5 (3 by hand), P12 3 (1), P21 3 (警情周报 twice, hand via 治安支队; 3), P22 2 (2)
# 2024: P11 3 (1), P12 2 (0), P21 3 (3), P22 1 (1); 交警支队 cancelled both of its demands


def test_report_burden_summary():
    frame = run("report_burden_summary", start=dt.date(2023, 1, 1))
    y23, y24 = frame.iloc[0].to_dict(), frame.iloc[1].to_dict()
    assert (y23["year"], y23["stations"], y23["stations_at_line"], y23["share_at_line"]) == (
        2023,
        4,
        3,
        0.75,
    )
    assert (y23["retained_types"], y23["hand_filled_types"]) == (13, 9)
    assert (y23["demanding_depts"], y23["depts_at_zero"]) == (4, 0)
    assert (y24["stations_at_line"], y24["share_at_line"], y24["retained_types"]) == (2, 0.5, 9)
    assert y24["hand_share"] == pytest.approx(5 / 9)
    assert (y24["depts_listed"], y24["demanding_depts"], y24["depts_at_zero"]) == (4, 3, 1)
    # with the bureau's own line of 150 no station is at it
    assert run("report_burden_summary", line=150).stations_at_line.tolist() == [0]


def test_report_burden_by_station_and_dept():
    frame = run("report_burden_by_station")
    assert list(frame.station_unit_id) == ["P11", "P21", "P12", "P22"]
    assert list(frame.retained_types) == [3, 3, 2, 1]
    assert list(frame.hand_filled_types) == [1, 3, 0, 1]
    assert list(frame.demanding_depts) == [3, 1, 2, 1]
    assert list(frame.at_or_above_line) == [True, True, False, False]
    depts = run("report_burden_by_dept")
    got = {
        r.demanding_dept: (r.retained_demands, r.stations, r.at_zero) for r in depts.itertuples()
    }
    assert got == {
        "治安支队": (6, 4, False),
        "刑侦支队": (2, 2, False),
        "指挥中心": (1, 1, False),
        "交警支队": (0, 0, True),
    }


def test_report_burden_records():
    # P22: 交通事故统计 (交警支队) and 治安日报 (治安支队) both years; 交警支队 cancelled in 2024
    frame = run("report_burden_records", start=dt.date(2023, 1, 1), unit_ids=["P22"])
    got = [(r.year, r.report_name, r.demanding_dept, r.status) for r in frame.itertuples()]
    assert got == [
        (2023, "交通事故统计", "交警支队", "保留"),
        (2023, "治安日报", "治安支队", "保留"),
        (2024, "交通事故统计", "交警支队", "取消"),
        (2024, "治安日报", "治安支队", "保留"),
    ]
    assert set(frame.total_rows) == {4} and set(frame.station_name) == {"西城分局北关派出所"}
    dept = run("report_burden_records", depts=["交警支队"])  # 2024 only: P11 and P22
    assert list(dept.station_unit_id) == ["P11", "P22"] and set(dept.status) == {"取消"}
    # P21 2023: 警情周报 twice (指挥中心, 治安支队), 治安日报, 重点人员台账
    kept = run(
        "report_burden_records",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        unit_ids=["P21"],
        statuses=["保留"],
    )
    assert list(kept.report_name) == ["治安日报", "警情周报", "警情周报", "重点人员台账"]


def test_report_burden_distribution():
    frame = run("report_burden_distribution", start=dt.date(2023, 1, 1))
    got = [(r.year, r.bucket_low, r.bucket_high, r.stations) for r in frame.itertuples()]
    # 2023: 5 | 3 3 2; 2024: 3 3 2 | 1
    assert got == [
        (2023, 0, 1, 0),
        (2023, 2, 3, 3),
        (2023, 4, 5, 1),
        (2024, 0, 1, 1),
        (2024, 2, 3, 3),
    ]


# -- 警意调查 -------------------------------------------------------------------------------------
# Survey JY2024, 9 respondents: P11 R01 R02 R03, P12 R04 R05, P21 R06 R07, P22 R08, CK1 R09.
# 警务保障室 scored by all 9: 5 4 3 4 2 5 4 3 4; 法制室 by R01 (4) and R04 (5) only.
# Suggestions: 辅警管理 R01 R02 R07; 经费装备保障 R04 R06; 被装管理 R08; 执法监督 R09 (法制室).


def test_survey_participation_by_unit():
    frame = run("survey_participation_by_unit")
    got = {r.unit_id: (r.respondents, r.headcount) for r in frame.itertuples()}
    assert got == {
        "P11": (3, 20),
        "P12": (2, 10),
        "P21": (2, 16),
        "P22": (1, 8),
        "CK1": (1, 5),
        "JG1": (0, 6),
        "JG2": (0, 4),
    }
    assert column(frame, "unit_id", "P11")["participation_rate"] == 0.15


def test_survey_scores_suppress_small_breakdowns():
    frame = run("survey_scores_by_target", min_respondents=3)
    jg1, jg2 = column(frame, "target_unit_id", "JG1"), column(frame, "target_unit_id", "JG2")
    # 34 / 9; scores of 4 or 5: R01 R02 R04 R06 R07 R09
    assert (jg1["respondents"], jg1["avg_score"], jg1["share_high"]) == (
        9,
        pytest.approx(34 / 9),
        pytest.approx(6 / 9),
    )
    assert jg2["is_suppressed"] and pd.isna(jg2["respondents"]) and pd.isna(jg2["avg_score"])
    shown = column(run("survey_scores_by_target", min_respondents=2), "target_unit_id", "JG2")
    assert (shown["is_suppressed"], shown["avg_score"]) == (False, 4.5)


def test_survey_top_categories_suppress_small_breakdowns():
    frame = run("survey_top_categories", min_respondents=3)
    assert list(frame.category) == ["辅警管理", "执法监督", "经费装备保障", "被装管理"]
    assert list(frame.is_suppressed) == [False, True, True, True]
    assert frame.suggestions.iloc[0] == 3 and frame.suggestions.iloc[1:].isna().all()
    frame = run("survey_top_categories", min_respondents=1, top_n=2)
    assert list(frame.category) == ["辅警管理", "经费装备保障"] and list(frame.suggestions) == [
        3,
        2,
    ]


def test_survey_suggestions_search_and_suppression():
    frame = run("survey_suggestions", search="辅警")
    # R01 辅警待遇偏低, R02 辅警培训不足, R07 辅警管理制度不清; newest first
    assert list(frame.suggestion) == ["辅警管理制度不清", "辅警培训不足", "辅警待遇偏低，流失严重"]
    assert set(frame.total_rows) == {3} and not frame.is_suppressed.any()
    assert "response_id" not in frame.columns and "respondent_unit_id" not in frame.columns
    assert run("survey_suggestions", search="%").empty  # taken literally, not as a wildcard
    # only R09 wrote about 法制室: one respondent, so the text is withheld
    hidden = run("survey_suggestions", unit_ids=["JG2"])
    assert len(hidden) == 1 and hidden.is_suppressed.all() and hidden.suggestion.isna().all()


def test_survey_summary():
    row = one("survey_summary")
    # JY2024 answered 06-03 (R01-R03) to 06-05 (R07-R09); suggestions R01 R02 R04 R06 R07 R08 R09
    assert (row["survey_id"], row["first_on"], row["last_on"]) == (
        "JY2024",
        pd.Timestamp("2024-06-03"),
        pd.Timestamp("2024-06-05"),
    )
    assert (row["respondents"], row["suggestions"], row["is_in_period"]) == (9, 7, True)
    assert not one("survey_summary", start=dt.date(2024, 7, 1))["is_in_period"]
    p22 = one("survey_summary", scope="P22")  # R08 alone, one suggestion
    assert (p22["respondents"], p22["suggestions"]) == (1, 1)


# -- 关键词云 -------------------------------------------------------------------------------------
# 噪音扰民 occurs in call notes JQ03 JQ06 JQ10 GD03 GD08 (once each) and in the title and content of
# complaints SQ01 SQ02 SQ11 SQ12 (twice each): 5 + 8 = 13 times in 9 records.


def test_keyword_counts():
    frame = run("keyword_counts", top_n=3)
    assert frame.iloc[0].to_dict() == {"token": "噪音扰民", "n": 13, "records": 9}
    # 民警: JQ01 note, SQ04 content, SQ10 title + content, SQ14 title + content
    assert frame.iloc[1].to_dict() == {"token": "民警", "n": 6, "records": 4}
    notes = run("keyword_counts", sources=["call_note"], top_n=1)
    assert notes.iloc[0].to_dict() == {"token": "噪音扰民", "n": 5, "records": 5}
    fj1 = run("keyword_counts", unit_ids=["FJ1"], top_n=1)  # JQ03 JQ06 GD03 GD08, SQ01 SQ02
    assert fj1.iloc[0].to_dict() == {"token": "噪音扰民", "n": 8, "records": 6}


def test_keyword_records():
    frame = run("keyword_records")
    assert len(frame) == 9 and set(frame.total_rows) == {9}
    assert frame.source.value_counts().to_dict() == {"call_note": 5, "complaint": 4}
    assert frame.text.str.contains("噪音扰民").all()
    # twice-used first, newest first: SQ12 (04-28), SQ11, SQ02, SQ01
    assert list(frame.record_id[:4]) == ["SQ12", "SQ11", "SQ02", "SQ01"]
    assert set(frame.source_label) == {"回访备注", "民意诉求"}
    # A later page: its own texts, and still all 9 records counted.
    second = run("keyword_records", limit=2, offset=2)
    assert list(second.record_id) == ["SQ02", "SQ01"] and set(second.total_rows) == {9}
    assert second.text.str.contains("噪音扰民").all()
    survey = run("keyword_records", token="辅警管理", sources=["survey_suggestion"])
    assert list(survey.text) == ["辅警管理制度不清"]
    assert list(survey.source_label) == ["警意建议"] and survey.record_id.isna().all()
    assert not survey.is_suppressed.any()


def test_keyword_records_keep_small_survey_groups_anonymous():
    # 7 respondents wrote suggestions (R01 R02 R04 R06 R07 R08 R09); 6 of them about 警务保障室
    # (all but R09). Only R07's text uses 辅警管理.
    params = {"token": "辅警管理", "sources": ["survey_suggestion"]}
    assert run("keyword_records", **params, min_respondents=7).text.tolist() == ["辅警管理制度不清"]
    hidden = run("keyword_records", **params, min_respondents=8)
    assert hidden.is_suppressed.all() and hidden.text.isna().all() and len(hidden) == 1
    jg1 = run("keyword_records", **params, unit_ids=["JG1"], min_respondents=7)
    assert jg1.is_suppressed.all() and jg1.text.isna().all()
    # complaints and call notes are never withheld
    assert not run("keyword_records", min_respondents=100).is_suppressed.any()


# -- 总览 and shared ------------------------------------------------------------------------------


def test_overview_kpis():
    frame = run("overview_kpis")
    got = {r.metric: (r.numerator, r.denominator, r.target) for r in frame.itertuples()}
    assert got["satisfaction"] == (21, 26, 0.98)
    assert got["closure"] == (9, 15, 0.90)
    assert got["on_time"] == (7, 9, 0.95)
    assert got["routing_automation"] == (12, 14, 0.75)
    assert got["callback_satisfaction"] == (7, 8, 0.98)
    assert got["rectification"] == (5, 10, 0.95)
    assert got["participation"] == (9, 69, 0.90)  # 9 respondents, headcount 69, one survey
    assert got["reply_rate"][:2] == (26, 30) and pd.isna(got["reply_rate"][2])
    assert column(frame, "metric", "closure")["value"] == 0.6


def test_overview_unit_movers():
    march = {"start": dt.date(2024, 3, 1), "end": dt.date(2024, 3, 31)}
    frame = run("overview_unit_movers", min_replies=1, **march)
    # Feb → Mar: P11 0/1 → 5/6, P22 1/1 → 1/2, P12 1/1 → 3/4; P21 and CK1 had no February reply
    assert list(frame.unit_id) == ["P11", "P22", "P12", "CK1", "P21"]
    assert [round(c, 4) for c in frame.change[:3]] == [0.8333, -0.5, -0.25]
    assert list(frame.is_small) == [False, False, False, True, True]


def test_overview_attention():
    frame = run("overview_attention", min_replies=5)
    got = [(r.kind, r.unit_id, r.items) for r in frame.itertuples()]
    assert got == [
        ("complaint_overdue", "P21", 2),
        ("complaint_overdue", "CK1", 1),
        ("complaint_overdue", "P22", 1),
        ("rectification_overdue", "P21", 2),
        # below the 0.98 target with 5+ replies, lowest first: P11 5/7, P12 4/5, CK1 6/7
        ("satisfaction_below_target", "P11", 7),
        ("satisfaction_below_target", "P12", 5),
        ("satisfaction_below_target", "CK1", 7),
    ]


def test_data_as_of_and_settings():
    frame = run("data_as_of")
    assert list(frame.table_name) == [
        "call_records",
        "complaints",
        "survey_responses",
        "rectifications",
        "report_ledger",
    ]
    assert list(frame.rows) == [30, 15, 9, 10, 28]
    assert frame.last_loaded_at.notna().all()
    # FJ1 = P11 + P12: calls 8 + 5, cases 3 + 2, respondents 3 + 2,
    # items ZG03 ZG05 ZG09 (FJ1 itself), ledger rows 2 × (5 + 3)
    assert list(run("data_as_of", scope="FJ1").rows) == [13, 5, 5, 3, 16]
    settings = run("settings").set_index("key").value.to_dict()
    assert settings["report_burden_line"] == "150"
    assert (
        settings["target_report_avg_types"],
        settings["target_report_share_at_line"],
        settings["target_report_hand_share"],
        settings["target_report_demanding_depts"],
    ) == ("100", "0", "0.5", "6")
    assert settings["satisfaction_formula"] == "standard"
