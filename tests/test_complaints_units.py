"""民意诉求's 承办单位对比: ranked by closure rate with the 95% interval, units with few cases marked
样本少 and listed last, unranked, so 2 of 2 closed does not sit above a unit that closed more of
many; names linked to the profile."""

from __future__ import annotations

import json

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pages.ui import labels, labels_unit
from pages.ui import labels_leaders as L
from tests.signin import signed_in
from tests.test_pages import ROOT
from tests.test_queries import run

# Cases received in 2024 per unit (tests/test_queries.py has the rows), closed of received:
# CK1 3/4 (SQ05 SQ13 SQ15), P11 2/3 (SQ01 SQ02), P21 1/4 (SQ10), P12 2/2 (SQ03 SQ09), P22 1/2 (SQ07).


@pytest.mark.usefixtures("sample_db")
def test_units_with_few_cases_come_last_and_unranked():
    frame = run("complaint_by_unit", min_replies=3)
    assert list(frame.unit_id) == ["CK1", "P11", "P21", "P12", "P22"]
    assert list(frame.closure_rate) == [0.75, 2 / 3, 0.25, 1.0, 0.5]
    assert list(frame.is_small) == [False, False, False, True, True]
    assert list(frame.league_rank[:3]) == [1, 2, 3]
    assert frame.league_rank[3:].isna().all()
    # Wilson, z = 1.96, for P12's 2 of 2: (1 + z²/4 − z·√(z²/16)) / (1 + z²/2) = 1 / 2.9208.
    p12 = frame.set_index("unit_id").loc["P12"]
    assert p12["wilson_low"] == pytest.approx(1 / 2.9208, abs=1e-6)
    assert p12["wilson_high"] == pytest.approx(1.0)


@pytest.mark.usefixtures("sample_db")
def test_the_minimum_counts_cases_received():
    # With 2 cases enough, every unit is ranked: P12 (2/2) first, and CK1 keeps its 3/4.
    frame = run("complaint_by_unit", min_replies=2)
    assert list(frame.unit_id) == ["P12", "CK1", "P11", "P22", "P21"]
    assert list(frame.league_rank) == [1, 2, 3, 4, 5]
    # With 4 only CK1 and P21 (4 cases each) are ranked.
    frame = run("complaint_by_unit", min_replies=4)
    assert list(frame.unit_id[:2]) == ["CK1", "P21"]
    assert list(frame.league_rank[:2]) == [1, 2]


@pytest.fixture
def three_cases(scratch_db, monkeypatch):
    """The sample with min_replies 3 in settings: CK1, P11 and P21 are ranked, P12 and P22 are
    not."""
    with duckdb.connect(str(scratch_db)) as con:
        con.execute("insert or replace into settings values ('min_replies', '3', '最少样本')")
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    return scratch_db


def open_complaints() -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    at.switch_page("pages/complaints.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_lists_the_small_units_last_and_marks_them(three_cases):
    at = open_complaints()
    shown = at.dataframe(key="cp_unit_table").value
    assert shown[labels.COLUMNS["unit_name"]].tolist() == [
        "江城市公安局出入境服务窗口",
        "东城分局东风派出所",
        "西城分局西山派出所",
        "东城分局南湖派出所",
        "西城分局北关派出所",
    ]
    assert shown[labels.COLUMNS["is_small"]].tolist() == [labels.NO] * 3 + [labels.YES] * 2
    assert shown[labels.COLUMNS["league_rank"]].tolist() == ["1", "2", "3", "", ""]
    assert shown[labels_unit.PROFILE_COLUMN].tolist() == [
        f"unit?unit={u}" for u in ("CK1", "P11", "P21", "P12", "P22")
    ]
    assert L.UNITS_CAPTION.format(n=3) in [c.value for c in at.caption]


def test_the_chart_greys_the_small_units_below_the_ranked(three_cases):
    at = open_complaints()
    # The unit_dots figure of 承办单位对比: the one whose dots are closure rates.
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    dots = next(
        fig["data"][0]
        for fig in figures
        if fig["data"]
        and fig["data"][0].get("mode") == "markers"
        and "办结率" in fig["layout"]["xaxis"]["title"]["text"]
    )
    assert dots["y"] == [
        "江城市公安局出入境服务窗口",
        "东城分局东风派出所",
        "西城分局西山派出所",
        "东城分局南湖派出所",
        "西城分局北关派出所",
    ]
    grey, blue = "#9e9e9e", "#1f77b4"
    assert dots["marker"]["color"] == [blue, blue, blue, grey, grey]
    # P12's 2 of 2 carries an interval from 34.2 % up: its error bar reaches down 65.8 points.
    assert dots["error_x"]["arrayminus"][3] == pytest.approx(1 - 1 / 2.9208, abs=1e-6)
