"""考核评分 without the page: the scoring rules on hand-made figures (neutralised small samples
included), the per-unit values query against the topic pages' summaries, the sample's stations
ranked by hand, before → after, and the scheme saved, versioned and checked."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import queries
from assess import score, store
from assess.report import summary_line
from assess.scheme import DEFAULT, LINEAR, PER_EVENT, Indicator, Scheme, SchemeError, validate
from assess.values import unit_values
from queries import db
from tests.test_queries import FULL

STATIONS = ("派出所",)


def linear(metric, weight, floor, target, min_sample=0, types=STATIONS):
    return Indicator(
        metric, weight, LINEAR, floor=floor, target=target, min_sample=min_sample, unit_types=types
    )


# -- the rules on hand-made figures -------------------------------------------------------------


def test_linear_between_floor_and_target():
    ind = linear("satisfaction", 25, 0.90, 0.98)
    line = score.score_indicator(ind, {"satisfaction_rate": 0.951, "valid_replies": 200})
    # (0.951 - 0.90) / (0.98 - 0.90) = 0.6375 of 25 points
    assert line["points"] == pytest.approx(15.9375)
    assert line["lost"] == pytest.approx(9.0625)
    assert line["text"] == "满意率 95.1% → 15.9/25 分：目标 98%，下限 90%"
    above = score.score_indicator(ind, {"satisfaction_rate": 0.99, "valid_replies": 200})
    below = score.score_indicator(ind, {"satisfaction_rate": 0.85, "valid_replies": 200})
    assert (above["points"], below["points"]) == (25, 0)


def test_linear_where_lower_is_better():
    ind = linear("overdue", 10, 400, 50)
    line = score.score_indicator(ind, {"overdue_per_1000": 225.0, "received": 40, "overdue": 9})
    # (225 - 400) / (50 - 400) = 0.5
    assert line["points"] == pytest.approx(5.0)
    assert line["text"] == "每千件超期 225.0 → 5.0/10 分：目标 50，下限 400"


def test_points_per_event_never_below_zero():
    ind = Indicator("rectification_overdue", 5, PER_EVENT, per_event=2, unit_types=STATIONS)
    one = score.score_indicator(ind, {"overdue_items": 1, "items": 4})
    three = score.score_indicator(ind, {"overdue_items": 3, "items": 4})
    assert (one["points"], three["points"]) == (3, 0)
    assert one["text"] == "整改超期 1 → 3.0/5 分：超期未整改 1 件，每件扣 2 分"


def hand_made() -> pd.DataFrame:
    # Three stations and a window; C has 6 valid replies, under the minimum of 30.
    return pd.DataFrame(
        [
            {
                "unit_id": "A",
                "unit_name": "甲所",
                "unit_type": "派出所",
                "parent_name": "东城分局",
                "satisfaction_rate": 0.96,
                "valid_replies": 40,
                "rectification_rate": 1.0,
                "items": 4,
            },
            {
                "unit_id": "B",
                "unit_name": "乙所",
                "unit_type": "派出所",
                "parent_name": "东城分局",
                "satisfaction_rate": 0.92,
                "valid_replies": 50,
                "rectification_rate": 0.5,
                "items": 4,
            },
            {
                "unit_id": "C",
                "unit_name": "丙所",
                "unit_type": "派出所",
                "parent_name": "西城分局",
                "satisfaction_rate": 1.0,
                "valid_replies": 6,
                "rectification_rate": 0.75,
                "items": 4,
            },
            {
                "unit_id": "W",
                "unit_name": "窗口",
                "unit_type": "窗口",
                "parent_name": "市局",
                "satisfaction_rate": 0.99,
                "valid_replies": 3,
                "rectification_rate": 1.0,
                "items": 2,
            },
            {
                "unit_id": "J",
                "unit_name": "机关",
                "unit_type": "机关",
                "parent_name": "市局",
                "satisfaction_rate": 0.5,
                "valid_replies": 90,
                "rectification_rate": 0.0,
                "items": 9,
            },
        ]
    )


HAND_SCHEME = Scheme(
    "手算方案",
    (
        linear("satisfaction", 30, 0.90, 0.98, min_sample=30, types=("派出所", "窗口")),
        linear("rectification", 10, 0.5, 1.0, types=("派出所", "窗口")),
    ),
)


def test_a_small_sample_is_neutralised_at_its_peers_average_and_not_ranked():
    scores, breakdown = score.score_units(hand_made(), HAND_SCHEME)
    by_unit = scores.set_index("unit_id")
    # A: 30 × 0.06/0.08 = 22.5, + 10 × 0.5/0.5 = 10 → 32.5/40; B: 7.5 + 0 → 7.5/40.
    # C: satisfaction neutralised at the average of A and B, (22.5 + 7.5) / 2 = 15, + 10 × 0.25/0.5
    # = 5 → 20/40; measured on 10 of its 40 points, so not ranked.
    assert by_unit.loc["A", "score"] == pytest.approx(81.25)
    assert by_unit.loc["B", "score"] == pytest.approx(18.75)
    assert by_unit.loc["C", "score"] == pytest.approx(50.0)
    assert (by_unit.loc["A", "rank"], by_unit.loc["B", "rank"]) == (1, 2)
    assert pd.isna(by_unit.loc["C", "rank"])
    assert by_unit.loc["C", "neutralised"] == 1
    assert by_unit.loc["C", "rank_note"] == "可计分指标权重不足一半，不排名"
    c = breakdown[breakdown["unit_id"] == "C"].set_index("metric")
    assert c.loc["satisfaction", "points"] == pytest.approx(15.0)
    assert c.loc["satisfaction", "status"] == "样本不足，不计分"
    assert c.loc["satisfaction", "text"] == (
        "满意率 100.0%（有效回访 6，少于 30）→ 不计分，按同类单位平均 15.0/30 分计"
    )
    # The window is the only one of its type: no peer was measured, so satisfaction is left out
    # and its score is its rectification alone (10/10), unranked as 10 < 40 / 2.
    assert by_unit.loc["W", "score"] == pytest.approx(100.0)
    assert by_unit.loc["W", "weight_counted"] == 10
    assert pd.isna(by_unit.loc["W", "rank"])
    w = breakdown[breakdown["unit_id"] == "W"].set_index("metric")
    assert w.loc["satisfaction", "text"].endswith("同类单位均无可计分数据，本项不计入总分")
    # 机关 are not in the scheme: not scored at all.
    assert "J" not in by_unit.index
    assert list(scores["unit_id"]) == ["A", "B", "C", "W"]


def test_no_data_is_neutralised_like_a_small_sample():
    values = hand_made().assign(items=[4, 4, 0, 2, 9], rectification_rate=[1.0, 0.5, None, 1, 0])
    _, breakdown = score.score_units(values, HAND_SCHEME)
    c = breakdown[breakdown["unit_id"] == "C"].set_index("metric")
    # A gives 10, B 0: C's rectification is the average, 5.
    assert c.loc["rectification", "points"] == pytest.approx(5.0)
    assert (
        c.loc["rectification", "text"]
        == "整改率：期间内无数据 → 不计分，按同类单位平均 5.0/10 分计"
    )


def test_a_scheme_that_cannot_score_is_refused():
    def refused(*indicators):
        with pytest.raises(SchemeError) as caught:
            validate(Scheme("方案", indicators))
        return str(caught.value)

    assert refused(linear("satisfaction", 30, 0.9, 0.9)) == (
        "指标「满意率」按线性计分，须有下限和目标，且两者不同"
    )
    assert (
        refused(linear("satisfaction", 30, 0.98, 0.9)) == "指标「满意率」越高于越好：目标须高于下限"
    )
    assert refused(linear("overdue", 10, 50, 400)) == "指标「每千件超期」越低于越好：目标须低于下限"
    assert (
        refused(Indicator("satisfaction", 30, PER_EVENT, per_event=1, unit_types=STATIONS))
        == "指标「满意率」不是件数，不能按件扣分"
    )
    assert refused(linear("satisfaction", 0, 0.9, 0.98)) == "指标「满意率」的权重须大于 0"
    assert refused(linear("satisfaction", 30, 0.9, 0.98, types=())) == (
        "指标「满意率」须至少适用于一类单位"
    )
    assert refused() == "考核方案至少需要一项指标"
    assert validate(DEFAULT) is DEFAULT
    assert Scheme.from_json(DEFAULT.to_json()) == DEFAULT
    assert sum(i.weight for i in DEFAULT.indicators if "派出所" in i.unit_types) == 100


# -- on the sample warehouse --------------------------------------------------------------------


def fetch(name, **params):
    with db.read() as con:
        return queries.run(con, name, **{**FULL, **params})


def run_one(name, **params) -> dict:
    frame = fetch(name, **params)
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


@pytest.mark.parametrize("unit", ["P11", "P21", "FJ1", "FJ2", "SJ", "CK1"])
def test_per_unit_values_agree_with_the_summary_queries(sample_db, unit):
    row = fetch("assessment_unit_values").set_index("unit_id").loc[unit].to_dict()
    calls = run_one("satisfaction_summary", unit_ids=[unit])
    cases = run_one("complaint_summary", unit_ids=[unit])
    items = run_one("rectification_summary", unit_ids=[unit])
    assert (row["records"], row["valid_replies"]) == (calls["records"], calls["valid_replies"])
    assert row["satisfaction_rate"] == pytest.approx(calls["satisfaction_rate"])
    assert row["reply_rate"] == pytest.approx(calls["reply_rate"])
    assert (row["received"], row["closed"], row["overdue"], row["repeat_cases"]) == (
        cases["received"],
        cases["closed"],
        cases["overdue"],
        cases["repeat_cases"],
    )
    assert row["closure_rate"] == pytest.approx(cases["closure_rate"], nan_ok=True)
    assert row["on_time_rate"] == pytest.approx(cases["on_time_rate"], nan_ok=True)
    assert row["repeat_rate"] == pytest.approx(cases["repeat_rate"], nan_ok=True)
    assert (row["items"], row["overdue_items"]) == (items["items"], items["overdue_open"])
    assert row["rectification_rate"] == pytest.approx(items["rectification_rate"], nan_ok=True)


def test_per_unit_values_by_hand(sample_db):
    frame = fetch("assessment_unit_values").set_index("unit_id")
    # FJ1 = P11 + P12: calls 8 + 5, valid 7 + 5, satisfied 5 + 4 → 9/12; cases SQ01 SQ02 SQ14
    # (P11) and SQ03 SQ09 (P12): 5 received, 4 closed; overdue SQ02 and SQ09 (closed late) → 2,
    # 400 per 1,000; items: P11 and P12 rectified, FJ1's own 待整改 (due 06-06) → 2/3.
    fj1 = frame.loc["FJ1"]
    assert (fj1["records"], fj1["valid_replies"], fj1["received"], fj1["closed"]) == (13, 12, 5, 4)
    assert fj1["satisfaction_rate"] == pytest.approx(0.75)
    assert fj1["overdue_per_1000"] == pytest.approx(400.0)
    assert (fj1["items"], fj1["rectification_rate"]) == (3, pytest.approx(2 / 3))
    # A unit without records has its counts at 0 and no rate.
    assert frame.loc["JG1", "records"] == 0 and pd.isna(frame.loc["JG1", "satisfaction_rate"])


# The hand scheme on the sample's stations (2024, as of 2024-05-10 12:00; tests/test_queries.py
# lists the rows):
#   satisfaction 40 pts, 60% → 100%, at least 4 valid replies:
#     P11 5/7 → 40 × (5/7 − 0.6)/0.4 = 11.4286; P12 4/5 → 20; P21 4/4 → 40;
#     P22 2/3 with 3 replies: neutralised at (11.4286 + 20 + 40) / 3 = 23.8095
#   closure 30 pts, 0 → 100%, at least 2 cases: P11 2/3 → 20; P12 2/2 → 30; P21 1/4 → 7.5;
#     P22 1/2 → 15
#   rectification overdue 20 pts, 10 per item: P21's ZG06 and ZG08 → 0; the others 20
#   report burden 10 pts, 5 → 1 retained types (2024 ledger): P11 3 → 5; P12 2 → 7.5; P21 3 → 5;
#     P22 1 → 10
#   Totals of 100: P12 77.5, P22 68.8095 (measured on 60 of 100: ranked), P11 56.4286, P21 52.5.
SAMPLE_SCHEME = Scheme(
    "样例方案",
    (
        linear("satisfaction", 40, 0.6, 1.0, min_sample=4),
        linear("closure", 30, 0.0, 1.0, min_sample=2),
        Indicator("rectification_overdue", 20, PER_EVENT, per_event=10, unit_types=STATIONS),
        linear("report_burden", 10, 5, 1, min_sample=1),
    ),
)
SAMPLE_SCORES = {"P12": 77.5, "P22": 68.8095, "P11": 56.4286, "P21": 52.5}


def sample_scores(scheme: Scheme, **params) -> tuple[pd.DataFrame, pd.DataFrame]:
    return score.score_units(unit_values(fetch, {**FULL, **params}), scheme)


def test_the_sample_stations_ranked_by_hand(sample_db):
    scores, breakdown = sample_scores(SAMPLE_SCHEME)
    assert list(scores["unit_id"]) == ["P12", "P22", "P11", "P21"]
    assert list(scores["rank"]) == [1, 2, 3, 4]
    assert dict(zip(scores["unit_id"], scores["score"].round(4))) == SAMPLE_SCORES
    p22 = breakdown[breakdown["unit_id"] == "P22"].set_index("metric")
    assert p22.loc["satisfaction", "text"] == (
        "满意率 66.7%（有效回访 3，少于 4）→ 不计分，按同类单位平均 23.8/40 分计"
    )
    p21 = breakdown[breakdown["unit_id"] == "P21"].set_index("metric")
    assert p21.loc["rectification_overdue", "text"] == (
        "整改超期 2 → 0.0/20 分：超期未整改 2 件，每件扣 10 分"
    )
    assert p21.loc["report_burden", "text"] == "保留报表种类 3 → 5.0/10 分：目标 1，下限 5"


def test_the_ranking_in_one_tree_is_among_its_units(sample_db):
    scores, _ = sample_scores(SAMPLE_SCHEME, scope="FJ1")
    # P22's neutral share now averages P11 and P12 only, but P22 is outside the tree anyway.
    assert list(scores["unit_id"]) == ["P12", "P11"] and list(scores["rank"]) == [1, 2]


def test_before_and_after_a_change(sample_db):
    before, _ = sample_scores(SAMPLE_SCHEME)
    without_overdue = Scheme(
        "样例方案",
        tuple(i for i in SAMPLE_SCHEME.indicators if i.metric != "rectification_overdue"),
    )
    after, _ = sample_scores(without_overdue)
    moves = score.compare(before, after).set_index("unit_id")
    # Out of 80: P12 57.5 → 71.875, P21 52.5 → 65.625, P22 48.8095 → 61.0119, P11 36.4286 →
    # 45.5357: P21 climbs from 4th to 2nd, P22 and P11 drop one place, P12 stays first.
    assert list(moves.index) == ["P21", "P11", "P22", "P12"]
    assert moves["rank_move"].to_dict() == {"P21": 2, "P11": -1, "P22": -1, "P12": 0}
    assert moves.loc["P21", "score_after"] == pytest.approx(65.625)
    assert moves.loc["P11", "score_change"] == pytest.approx(45.5357 - 56.4286, abs=1e-3)


# -- the scheme in the configuration store -------------------------------------------------------


def test_saved_versioned_and_default_until_then(scratch_db):
    assert store.current(scratch_db) == store.DEFAULT_VERSION
    assert store.save(SAMPLE_SCHEME, "admin", "试行", warehouse=scratch_db) == 1
    assert store.save(HAND_SCHEME, "admin2", warehouse=scratch_db) == 2
    versions = store.versions(scratch_db)
    assert [v.version for v in versions] == [2, 1, 0]
    assert versions[0].scheme == HAND_SCHEME and versions[0].saved_by == "admin2"
    assert versions[1].scheme == SAMPLE_SCHEME and versions[1].note == "试行"
    assert isinstance(versions[1].saved_at, dt.datetime)
    assert store.current(scratch_db).version == 2
    with pytest.raises(SchemeError):
        store.save(Scheme("空", ()), "admin", warehouse=scratch_db)
    assert [v.version for v in store.versions(scratch_db)] == [2, 1, 0]


# -- in the briefing ----------------------------------------------------------------------------


def test_the_summary_line_names_the_best_and_the_worst(sample_db):
    scores, _ = sample_scores(SAMPLE_SCHEME)
    # Four ranked stations: the top two, best first, and the bottom two, worst first.
    assert summary_line(scores, "样例方案", 1) == (
        "考核评分（样例方案，第 1 版）：派出所得分前 2 名 东城分局南湖派出所 77.5 分、"
        "西城分局北关派出所 68.8 分；倒数 2 名 西城分局西山派出所 52.5 分、东城分局东风派出所 56.4 分"
        "（4 个单位排名）。"
    )
    default, _ = sample_scores(DEFAULT)
    assert summary_line(default, DEFAULT.name, 0) is None  # the default ranks none of them


def test_the_briefing_carries_the_scheme_in_force(scratch_db, tmp_path):
    from briefing import make
    from briefing.period import Period

    year = Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "range")
    line = "考核评分（样例方案，第 1 版）：派出所得分前 2 名"
    before = [p.text for p in make.document(year, db_path=scratch_db).blocks if hasattr(p, "text")]
    assert not any(text.startswith("考核评分") for text in before)
    store.save(SAMPLE_SCHEME, "admin", warehouse=scratch_db)
    after = [p.text for p in make.document(year, db_path=scratch_db).blocks if hasattr(p, "text")]
    assert next(text for text in after if text.startswith("考核评分")).startswith(line)
