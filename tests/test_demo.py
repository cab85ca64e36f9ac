"""The demo bureau: its exports, loaded by the real loader, give the figures DESIGN.md publishes."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest

from demo.bureau import build_demo, write_exports
from queries import db

TODAY = dt.date(2026, 11, 21)  # period 2025-01-01 .. 2026-11-21: first month 2025-01, last 2026-11


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, Path]:
    """(warehouse, export folder) of one demo build with seed 7."""
    root = tmp_path_factory.mktemp("demo")
    path = build_demo(root / "minyi.duckdb", seed=7, today=TODAY, out_dir=root / "exports")
    return path, root / "exports"


def one(demo, sql: str) -> tuple:
    with db.read(demo[0]) as con:
        return con.execute(sql).fetchone()


def test_complaints_closure_callbacks_and_routing_match_the_county_platform(demo):
    closure, callbacks, routing = one(
        demo,
        """
        select
            round(100.0 * count(*) filter (where status in ('已办结', '已评议')) / count(*), 1),
            round(100.0 * count(*) filter (where status in ('已办结', '已评议')
                                           and satisfaction in ('满意', '基本满意'))
                  / count(*) filter (where status in ('已办结', '已评议')
                                     and satisfaction in ('满意', '基本满意', '不满意')), 1),
            round(100.0 * count(*) filter (where routed_by = '规则') / count(routed_by), 1)
        from complaints
    """,
    )
    assert (closure, callbacks, routing) == (91.3, 97.9, 77.0)


def test_complaint_workflow_has_returns_repeats_and_overdue_cases(demo):
    returned, reassigned, repeats, overdue = one(
        demo,
        """
        select
            (select count(distinct case_id) from complaint_events where stage = '退回'),
            (select count(distinct case_id) from complaint_events where stage = '改派'),
            count(*) filter (where duplicate_of in (select case_id from complaints)),
            count(*) filter (where closed_at > deadline_at
                             or (closed_at is null and deadline_at < timestamp '2026-11-21'))
        from complaints
    """,
    )
    assert 0 < reassigned <= returned
    assert repeats > 0 and overdue > 0


def test_rectification_rate_is_96_4(demo):
    assert one(
        demo,
        """
        select round(100.0 * count(*) filter (where status = '已整改') / count(*), 1)
        from rectifications
    """,
    ) == (96.4,)


FIRST_ROUND = "江城市公安局2025年度警意调查"  # the published survey figures are this round's
REVIEW_ROUND = "江城市公安局2025年度警意调查回头看"


def test_survey_participation_is_94_15(demo):
    assert one(
        demo,
        f"""
        select round(100.0 * count(distinct response_id)
                     / (select sum(headcount) from units
                        where unit_id in (select respondent_unit_id from survey_responses)), 2)
        from survey_responses where survey_id = '{FIRST_ROUND}'
    """,
    ) == (94.15,)


def test_survey_top_five_problem_categories_in_published_order(demo):
    with db.read(demo[0]) as con:
        counts = con.execute(f"""
            select category, count(*) as n from survey_responses
            where suggestion is not null and survey_id = '{FIRST_ROUND}'
            group by category order by n desc, category
        """).fetchall()
    assert [c for c, _ in counts[:5]] == [
        "辅警管理",
        "收押提讯服务",
        "经费装备保障",
        "维护民警执法权威",
        "被装管理",
    ]
    assert counts[4][1] > counts[5][1]  # the fifth is clearly ahead of the sixth
    assert len(counts) > 20


def test_review_round_falls_inside_the_default_twelve_months(demo):
    # 近12个月 of 2026-11-21 starts 2026-12-01 minus a year; the round opens on the Monday on or
    # before 70 days before today (2026-09-12 → 09-07) and runs 20 days.
    with db.read(demo[0]) as con:
        rounds = con.execute("""
            select survey_id, min(submitted_at)::date, max(submitted_at)::date,
                count(distinct response_id), count(suggestion)
            from survey_responses group by survey_id order by min(submitted_at)
        """).fetchall()
        items = con.execute(f"""
            select count(distinct question) filter (where suggestion is null),
                count(distinct target_unit_id) filter (where suggestion is null)
            from survey_responses where survey_id = '{REVIEW_ROUND}'
        """).fetchone()
    assert [r[0] for r in rounds] == [FIRST_ROUND, REVIEW_ROUND]
    assert rounds[0][1:3] == (dt.date(2025, 4, 8), dt.date(2025, 4, 30))
    assert rounds[1][1] == dt.date(2026, 9, 7) and rounds[1][2] <= dt.date(2026, 9, 27)
    # fewer answer a re-survey: 80-99% of each unit's 4,033 officers, about one in three writes
    assert 0.85 < rounds[1][3] / 4033 < rounds[0][3] / 4033 and rounds[1][4] < rounds[1][3] / 2
    # one overall item and the top ten problems (each rated by half), under the offices that
    # answer for them: 政治部 (辅警管理, 考核评价, 教育培训), 监管支队, 警务保障部, 法制支队, 指挥中心
    assert items == (11, 5)


def test_window_satisfaction_rises_from_97_2_to_99_62(demo):
    with db.read(demo[0]) as con:
        months = dict(
            con.execute("""
            select strftime(received_at, '%Y-%m'),
                100.0 * count(*) filter (where callback_result in ('满意', '基本满意'))
                / count(*) filter (where callback_result in ('满意', '基本满意', '不满意'))
            from call_records where channel = '窗口'
            group by all
        """).fetchall()
        )
    assert round(months["2025-01"], 1) == 97.2
    assert round(months["2026-11"], 2) == 99.62
    assert max(months, key=months.get) == "2026-11"
    assert len(months) == 23


def test_110_and_12345_satisfaction_is_lower_than_the_windows(demo):
    with db.read(demo[0]) as con:
        rates = dict(
            con.execute("""
            select channel,
                100.0 * count(*) filter (where callback_result in ('满意', '基本满意'))
                / count(*) filter (where callback_result in ('满意', '基本满意', '不满意'))
            from call_records group by channel
        """).fetchall()
        )
    assert 90 < rates["12345"] < rates["110"] < 97 < rates["窗口"]


def test_report_burden_first_year_and_the_offices_that_dropped_to_zero(demo):
    share, by_hand, offices = one(
        demo,
        """
        with stations as (
            select station_unit_id, count(*) filter (where status = '保留') as kept
            from report_ledger where year = 2025 group by station_unit_id
        )
        select
            (select round(100.0 * count(*) filter (where kept >= 150) / count(*), 1) from stations),
            round(100.0 * count(*) filter (where fill_method = '手工') / count(*), 1),
            count(distinct demanding_dept)
        from report_ledger where year = 2025 and status = '保留'
    """,
    )
    assert (share, by_hand, offices) == (70.0, 90.0, 21)
    assert one(
        demo,
        """
        select count(*) from (
            select distinct demanding_dept from report_ledger where year = 2025 and status = '保留'
        ) as first_year
        where demanding_dept not in (
            select demanding_dept from report_ledger where year = 2026 and status = '保留'
        )
    """,
    ) == (15,)


def test_bureau_has_nine_districts_seventy_stations_and_21_offices(demo):
    # DESIGN.md: 8+ 分局, 60+ 派出所, 21 offices under review; demo/texts/bureau.json lists 9, 70, 21.
    assert one(
        demo,
        """
        select count(*) filter (where unit_type = '分局'),
            count(*) filter (where unit_type = '派出所'),
            count(*) filter (where unit_type = '机关'), count(*) filter (where unit_type = '窗口')
        from units
    """,
    ) == (9, 70, 21, 15)


def test_some_exports_are_gbk_and_some_xlsx(demo):
    files = [
        demo[1] / e["file"] for e in json.loads((demo[1] / "manifest.json").read_text("utf-8"))
    ]
    gbk = []
    for path in files:
        if path.suffix == ".csv":
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                path.read_bytes().decode("gbk")
                gbk.append(path.name)
    # aliases, 110 in four quarters, 12345 in four half-years, windows 2025, report ledger 2025
    assert len(gbk) == 11
    # 110 June supplement, complaints 2025, rectification ledger
    assert len([p for p in files if p.suffix == ".xlsx"]) == 3


def test_dirty_rows_are_rejected_with_a_reason(demo):
    with db.read(demo[0]) as con:
        errors = con.execute("select value, error from import_errors order by all").fetchall()
        rejected = con.execute("select sum(rows_rejected) from imports").fetchone()[0]
    reasons = [
        next(k for k in ("不是已知单位", "不是有效日期", "为空", "同一条记录") if k in e)
        for _, e in errors
    ]
    # unknown units: 开发区派出所, 市城管局 twice, 流动服务车, 临时工作专班;
    # impossible dates: 2025-02-30
    # (110 and complaints) and 2026-04-31; a blank report name; one 110 call exported twice.
    assert sorted(reasons) == sorted(
        ["不是已知单位"] * 5 + ["不是有效日期"] * 3 + ["为空", "同一条记录"]
    )
    assert rejected == 10


def test_free_text_is_varied_and_holds_only_fake_phone_numbers(demo):
    with db.read(demo[0]) as con:
        total, distinct = con.execute(
            "select count(*), count(distinct content) from complaints"
        ).fetchone()
        numbers = con.execute(r"""
            select unnest(regexp_extract_all(content, '1[0-9*]{10}')) from complaints
            union all select unnest(regexp_extract_all(note, '[0-9]{7,}')) from call_records
            union all
            select unnest(regexp_extract_all(suggestion, '[0-9]{7,}')) from survey_responses
        """).fetchall()
    assert distinct > 0.95 * total
    assert numbers and all(re.fullmatch(r"1380000\d{4}|138\*{4}\d{4}", n) for (n,) in numbers)


def test_same_seed_writes_the_same_exports(demo, tmp_path):
    manifest = write_exports(tmp_path, seed=7, today=TODAY)
    assert manifest.read_bytes() == (demo[1] / "manifest.json").read_bytes()
    for entry in json.loads(manifest.read_text("utf-8")):
        assert _content(tmp_path / entry["file"]) == _content(demo[1] / entry["file"]), entry[
            "file"
        ]


def _content(path: Path) -> bytes:
    # An xlsx zip stamps its entries with the time of writing; compare the sheet itself.
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return book.read("xl/worksheets/sheet1.xml")
    return path.read_bytes()
