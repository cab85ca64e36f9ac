"""总览: every card, every 需要关注 row and every list counts one definition under every filter, and a
drill-down shows exactly the records a row counted."""

from __future__ import annotations

from pathlib import Path

import pytest

import queries
from etl.load import load_files
from pages import overview
from pages.ui.filters import Filters
from queries import db
from tests.test_pages import metrics, open_page
from tests.test_queries import AS_OF, END, START


def view(**chosen) -> Filters:
    """The whole of 2024 at the as-of time of tests/test_queries.py; units with 5 valid replies are
    judged on satisfaction."""
    return Filters(START, END, as_of=AS_OF, min_replies=5, **chosen)


# Filters that the cards honour, each a case of the sample (tests/test_queries.py has its rows).
VIEWS = {
    "all": view(),
    # 110 is a call channel: no complaint case came in by it.
    "channel 110": view(channels=("110",)),
    # SQ06 (CK1) and SQ11 (P21) came in by 市长信箱 and are open past their deadline.
    "channel 市长信箱": view(channels=("市长信箱",)),
    # ZG08 (P21, 执法规范) is the only overdue item of its category; 交警 = JQ07 and JQ11 alone.
    "category 执法规范": view(categories=("执法规范",)),
    "police type 交警": view(police_types=("交警",)),
    "branch FJ2": view(unit_ids=("FJ2",)),
}


def run(name: str, params: dict):
    with db.read() as con:
        return queries.run(con, name, **params)


def attention(f: Filters) -> dict[tuple[str, str], float]:
    rows = run("overview_attention", f.params())
    return {(r.kind, r.unit_id): r.items for r in rows.itertuples()}


def counted(query: str, params: dict) -> int:
    rows = run(query, {**params, "limit": 1000, "offset": 0})
    return 0 if rows.empty else int(rows["total_rows"].iloc[0])


@pytest.mark.usefixtures("sample_db")
def test_attention_rows_honour_the_filters_their_cards_honour():
    # Open overdue cases at 2024-05-10 12:00: SQ04 (P21), SQ06 (CK1), SQ08 (P22), SQ11 (P21).
    overdue = {k: v for k, v in attention(VIEWS["all"]).items() if k[0] == "complaint_overdue"}
    assert overdue == {
        ("complaint_overdue", "P21"): 2,
        ("complaint_overdue", "CK1"): 1,
        ("complaint_overdue", "P22"): 1,
    }
    by_110 = attention(VIEWS["channel 110"])
    assert not [k for k in by_110 if k[0] == "complaint_overdue"]
    # All channels: P11 has 7 valid replies (JQ01-04, GD01 GD08 GD10), 5 of them satisfied, below
    # the 98 % target. By 110 alone it has 4 (JQ05 未回访), too few (5) to be judged; so has every unit.
    assert attention(VIEWS["all"])[("satisfaction_below_target", "P11")] == 7
    assert not [k for k in by_110 if k[0] == "satisfaction_below_target"]
    mayor = attention(VIEWS["channel 市长信箱"])
    assert {k: v for k, v in mayor.items() if k[0] == "complaint_overdue"} == {
        ("complaint_overdue", "P21"): 1,
        ("complaint_overdue", "CK1"): 1,
    }
    # ZG06 (接处警) and ZG08 (执法规范) are P21's overdue items; the category keeps ZG08.
    category = attention(VIEWS["category 执法规范"])
    assert category[("rectification_overdue", "P21")] == 1
    # 交警: JQ07 (P12, 基本满意) and JQ11 (P22, 满意): 1 valid reply each, below min_replies 5.
    # Cases and items have no police type: their rows stay.
    police = attention(VIEWS["police type 交警"])
    assert not [k for k in police if k[0] == "satisfaction_below_target"]
    assert police[("rectification_overdue", "P21")] == 2


@pytest.mark.usefixtures("sample_db")
@pytest.mark.parametrize("view", VIEWS)
def test_attention_totals_equal_the_cards(view):
    f = VIEWS[view]
    rows = attention(f)
    cases = run("complaint_summary", f.params()).iloc[0]
    items = run("rectification_summary", f.params()).iloc[0]
    assert sum(v for k, v in rows.items() if k[0] == "complaint_overdue") == cases["overdue_open"]
    assert (
        sum(v for k, v in rows.items() if k[0] == "rectification_overdue")
        == (items["overdue_open"])
    )


@pytest.mark.usefixtures("sample_db")
@pytest.mark.parametrize("view", VIEWS)
def test_every_attention_row_drills_to_exactly_its_counted_records(view):
    f = VIEWS[view]
    rows = run("overview_attention", f.params())
    assert not rows.empty
    for row in rows.itertuples():
        query, params = overview.attention_drill(row.kind, row.unit_id, f)
        assert counted(query, params) == row.items, f"{view}: {row.kind_label} {row.unit_name}"


def test_a_branch_row_drills_to_the_branch_alone_not_its_stations(
    scratch_db, tmp_path, monkeypatch
):
    # A case handled by 东城分局 itself (FJ1), open past its deadline, beside its stations' cases.
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    export = Path(tmp_path) / "branch_case.csv"
    export.write_text(
        "工单编号,受理时间,来源渠道,诉求类型,标题,诉求内容,受理单位,承办单位,办理状态,办理时限\n"
        "SQ90,2024-04-20 09:00:00,12345,投诉,分局自办件,分局自办,市局,东城分局,办理中,2024-04-30 23:59:59\n"
        "SQ91,2024-04-21 09:00:00,12345,投诉,所里件,所里办,市局,东风派出所,办理中,2024-04-30 23:59:59\n",
        encoding="utf-8",
    )
    load_files(scratch_db, [export], "complaints")
    db.close_readers()
    f = VIEWS["all"]
    rows = attention(f)
    assert rows[("complaint_overdue", "FJ1")] == 1  # SQ90
    assert rows[("complaint_overdue", "P11")] == 1  # SQ91
    query, params = overview.attention_drill("complaint_overdue", "FJ1", f)
    listed = run(query, {**params, "limit": 100, "offset": 0})
    assert list(listed["case_id"]) == ["SQ90"]


def test_overview_overdue_list_is_the_cards_cases(sample_db):
    # As of the newest record (2024-06-05 14:30) the card counts the open cases past their deadline
    # (SQ04 SQ06 SQ08 SQ11 SQ12 SQ14: 6); the list under it lists those six, not the two closed
    # late as well (SQ02 SQ09).
    at = open_page("overview")
    assert not at.exception
    assert metrics(at)[overview.labels.KPI_OVERDUE_OPEN] == "6"
    pages = [c.value for c in at.caption if "共" in c.value]
    assert pages == [overview.labels.PAGE_INFO.format(total="6", page=1, pages=1)]
