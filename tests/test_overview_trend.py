"""总览's weekly trend and 派出所 league: weeks counted by hand on the sample warehouse, the same
figures as the cards over the same days, small samples marked and unranked, names linked."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pages import overview
from pages.ui import charts, labels, labels_unit
from pages.ui import labels_leaders as L
from pages.ui.filters import Filters
from tests.signin import signed_in
from tests.test_browser import (  # noqa: F401 - fixtures used by name
    database,
    page,
    screenshot,
    server,
    settle,
)
from tests.test_overview import counted, run, view
from tests.test_pages import ROOT


def weekly(f: Filters) -> dict[tuple[str, dt.date], tuple[float, float]]:
    rows = run("overview_trend", f.params())
    return {
        (r.metric, pd.Timestamp(r.week).date()): (r.numerator, r.denominator)
        for r in rows.itertuples()
    }


@pytest.mark.usefixtures("sample_db")
def test_weeks_of_a_station_counted_by_hand():
    got = weekly(view(unit_ids=("P11",)))
    # Week of Mon 02-26: GD10 02-27 不满意, JQ01 03-01 满意, JQ02 03-02 满意, JQ03 03-03 基本满意.
    assert got[("satisfaction", dt.date(2024, 2, 26))] == (3, 4)
    assert got[("reply_rate", dt.date(2024, 2, 26))] == (4, 4)
    # Week of Mon 03-04: GD01 03-04 满意, JQ04 03-05 不满意, JQ05 03-06 未回访.
    assert got[("satisfaction", dt.date(2024, 3, 4))] == (1, 2)
    assert got[("reply_rate", dt.date(2024, 3, 4))] == (2, 3)
    # Week of Mon 04-01: SQ01 closed on time, SQ02 closed (已评议) after its deadline.
    assert got[("closure", dt.date(2024, 4, 1))] == (2, 2)
    assert got[("on_time", dt.date(2024, 4, 1))] == (1, 2)
    # Week of Mon 05-06: SQ14 still 交办; no closed case, so no on-time figure that week.
    assert got[("closure", dt.date(2024, 5, 6))] == (0, 1)
    assert ("on_time", dt.date(2024, 5, 6)) not in got
    # P11 has no other weeks: GD08 03-28 is the week of 03-25.
    assert sorted(w for m, w in got if m == "satisfaction") == [
        dt.date(2024, 2, 26),
        dt.date(2024, 3, 4),
        dt.date(2024, 3, 25),
    ]


@pytest.mark.usefixtures("sample_db")
def test_the_formula_and_filters_reach_the_weeks():
    # strict counts 满意 only: JQ01 and JQ02 of the four replies of 02-26.
    strict = weekly(view(unit_ids=("P11",), formula="strict"))
    assert strict[("satisfaction", dt.date(2024, 2, 26))] == (2, 4)
    # 交警 alone: JQ07 (P12, 03-09, 基本满意) and JQ11 (P22, 02-20, 满意); cases have no police type.
    police = weekly(view(police_types=("交警",)))
    calls = {k: v for k, v in police.items() if k[0] == "satisfaction"}
    assert calls == {
        ("satisfaction", dt.date(2024, 2, 19)): (1, 1),
        ("satisfaction", dt.date(2024, 3, 4)): (1, 1),
    }


@pytest.mark.usefixtures("sample_db")
@pytest.mark.parametrize("name", ["all", "branch FJ2", "channel 市长信箱", "police type 交警"])
def test_the_weeks_add_up_to_the_cards_of_the_same_days(name):
    # 2024-01-01 is a Monday: the weeks of 2024 hold exactly the days the cards count.
    from tests.test_overview import VIEWS

    f = VIEWS[name]
    cards = run("overview_kpis", f.params()).set_index("metric")
    weeks = run("overview_trend", f.params()).groupby("metric")[["numerator", "denominator"]].sum()
    for metric in L.TREND_METRICS:
        card = cards.loc[metric]
        if card["denominator"] == 0:
            assert metric not in weeks.index
            continue
        assert tuple(weeks.loc[metric]) == (card["numerator"], card["denominator"])


def test_the_trend_covers_52_weeks_up_to_the_end_date():
    # 2024-06-05 is a Wednesday: its week began 06-03, 51 weeks after 2023-06-12.
    g = overview.trend_filters(Filters(dt.date(2024, 5, 1), dt.date(2024, 6, 5)))
    assert (g.start, g.end) == (dt.date(2023, 6, 12), dt.date(2024, 6, 5))
    assert g.start.weekday() == 0


@pytest.mark.usefixtures("sample_db")
def test_a_week_drills_to_the_records_it_counted():
    g = view(unit_ids=("P11",))
    query, params = overview.week_drill("satisfaction", dt.date(2024, 2, 26), g)
    assert counted(query, params) == 4  # the four valid replies of that week
    query, params = overview.week_drill("reply_rate", dt.date(2024, 3, 4), g)
    assert counted(query, params) == 3  # GD01 JQ04 JQ05, 未回访 included
    query, params = overview.week_drill("closure", dt.date(2024, 4, 1), g)
    assert counted(query, params) == 2  # SQ01 SQ02


# -- the station league --------------------------------------------------------------------------


@pytest.fixture
def five_replies(scratch_db, monkeypatch):
    """The sample with min_replies 5 in settings: P11 (7 valid replies) and P12 (5) are ranked,
    P21 (4) and P22 (3) are not."""
    with duckdb.connect(str(scratch_db)) as con:
        con.execute("insert or replace into settings values ('min_replies', '5', '最少样本')")
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    return scratch_db


def open_overview(role: str = "analyst") -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role)
    at.switch_page("pages/overview.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def league_table(at: AppTest) -> pd.DataFrame:
    """The league: the table with a 排名 column (a table without selection has no key in
    AppTest)."""
    return next(df.value for df in at.dataframe if L.COLUMNS["peer_rank"] in df.value.columns)


def test_the_league_ranks_stations_and_puts_small_samples_last(five_replies):
    at = open_overview()
    league = league_table(at)
    # P12 4/5 = 80 %, P11 5/7 = 71.4 %; P21 4/4 = 100 % and P22 2/3 have too few replies.
    assert league[labels.COLUMNS["unit_name"]].tolist() == [
        "东城分局南湖派出所",
        "东城分局东风派出所",
        "西城分局西山派出所",
        "西城分局北关派出所",
    ]
    assert league[L.COLUMNS["peer_rank"]].tolist() == ["1", "2", "", ""]
    assert league[labels.COLUMNS["is_small"]].tolist() == [labels.NO, labels.NO, labels.YES] + [
        labels.YES
    ]
    assert league[labels.COLUMNS["valid_replies"]].tolist() == [5, 7, 4, 3]
    # Only stations: the branches, the window and the bureau are not in a 派出所 league.
    assert league[labels_unit.PROFILE_COLUMN].tolist() == [
        "unit?unit=P12",
        "unit?unit=P11",
        "unit?unit=P21",
        "unit?unit=P22",
    ]
    assert L.LEAGUE_CAPTION.format(n=5) in [c.value for c in at.caption]


def test_staff_see_the_stations_of_their_own_tree(five_replies):
    league = league_table(open_overview("staff"))
    # FJ1's stations only, ranked among themselves.
    assert league[labels.COLUMNS["unit_name"]].tolist() == [
        "东城分局南湖派出所",
        "东城分局东风派出所",
    ]


def test_the_page_draws_a_chart_per_trend_metric(sample_db):
    at = open_overview()
    assert [s.value for s in at.subheader][:2] == [L.TREND, L.LEAGUE]
    drawn = [m.value for m in at.markdown]
    assert [f"**{name}**" for name in L.TREND_METRICS.values()] == [
        d for d in drawn if d.strip("*") in L.TREND_METRICS.values()
    ]
    # 近12个月 ends 2024-06-05 (the newest record): 52 weeks from Mon 2023-06-12.
    assert L.TREND_CAPTION.format(start="2023-06-12", end="2024-06-05") in [
        c.value for c in at.caption
    ]


# -- in a real browser ----------------------------------------------------------------------------


@pytest.mark.playwright
def test_a_week_clicked_in_the_browser_lists_its_records(server, page):
    page.goto(server)
    settle(page)
    assert page.get_by_role("heading", name=L.TREND).is_visible()
    # The first chart is 满意率's trend; its first point is the week of Mon 2024-02-12, whose one
    # call record is GD09 (P12, 02-15, 满意).
    chart = page.get_by_test_id("stPlotlyChart").first
    point = chart.locator("g.points path.point").first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)
    what = L.TREND_DRILL.format(metric=L.TREND_METRICS["satisfaction"], week="2024-02-12")
    drill = page.get_by_role("heading", name=labels.DRILL_TITLE.format(what=what))
    assert drill.is_visible()
    assert page.get_by_text(labels.PAGE_INFO.format(total="1", page=1, pages=1)).is_visible()
    screenshot(page, "overview_trend_week")


def test_the_interval_band_draws_no_points_of_its_own():
    # The band's outline once took plotly's default markers: a dot at each bound of every week,
    # read as data points below and above the line.
    frame = pd.DataFrame(
        {"week": ["2024-02-26", "2024-03-04"], "value": [0.75, 0.5], "low": [0.3, 0.1]}
    ).assign(high=[0.95, 0.9])
    band, line = charts.trend(frame, "week", "value", low="low", high="high").data
    assert band.mode == "lines" and line.mode == "lines+markers"


@pytest.mark.usefixtures("sample_db")
def test_a_station_clicked_in_the_league_lists_its_dissatisfied_calls():
    names = pd.Series({"P11": "东城分局东风派出所"})
    (query, params), what = overview.dissatisfied_drill(["P11"], names, view())
    assert counted(query, params) == 2  # JQ04 and GD10, P11's 不满意 replies
    assert what == labels.DISSATISFIED_OF.format(units="东城分局东风派出所")
