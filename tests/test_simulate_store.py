"""The routing simulator's stored month replays (simulation_replays): the background job stores
the latest months, the page reads a stored month while its fingerprint holds and shows exactly
the figures a live replay gives, and a change to a month's inputs makes it replay live again."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from demo.bureau import build_demo
from etl.load import load_files
from intel import jobs, simulate, simulate_store
from pages.ui import labels
from pages.ui import labels_intel as L
from queries import db
from tests.conftest import ROOT
from tests.signin import signed_in

TODAY = dt.date(2026, 11, 21)  # as tests/test_demo.py: the last quarter is 2026-09 .. 2026-11
QUARTER = [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    build_demo(root / "data" / "minyi.duckdb", seed=7, today=TODAY, out_dir=root / "exports")
    return root / "data"


@pytest.fixture
def demo(demo_folder, tmp_path):
    shutil.copytree(demo_folder, tmp_path / "data")
    return tmp_path / "data" / "minyi.duckdb"


def live_and_stored(path) -> list[tuple[pd.DataFrame, pd.DataFrame | None]]:
    with db.read(path) as con:
        return [
            (simulate_store.replay_month(con, m), simulate_store.stored(con, m)) for m in QUARTER
        ]


def test_the_job_stores_the_last_three_months_as_the_live_replay_gives_them(demo):
    assert [stored for _, stored in live_and_stored(demo)] == [None, None, None]
    assert jobs.run(demo, train=False) == {"trained": [], "replayed": QUARTER}
    pairs = live_and_stored(demo)
    assert [len(live) for live, _ in pairs] == [139, 148, 79]
    for live, stored in pairs:
        pd.testing.assert_frame_equal(stored, live)
        assert simulate.curve(stored).equals(simulate.curve(live))
    # Nothing changed since: the next job replays nothing.
    assert jobs.run(demo, train=False) == {"trained": [], "replayed": []}


def test_a_new_routing_rule_makes_every_stored_month_replay_live_until_the_job_runs(demo, tmp_path):
    jobs.run(demo, train=False)
    with db.read(demo) as con:
        unit = con.execute(
            "select handling_unit_id from complaints where handling_unit_id is not null"
            " group by all order by count(*) desc, 1 limit 1"
        ).fetchone()[0]
    rule = tmp_path / "分派规则.csv"
    rule.write_text(
        ",".join(L.RULE_HEADERS.values()) + f"\nR1,噪音,,,{unit},,3\n", encoding="utf-8-sig"
    )
    load_files(demo, [rule], "routing_rules")
    assert [stored for _, stored in live_and_stored(demo)] == [None, None, None]
    assert jobs.run(demo, train=False)["replayed"] == QUARTER
    for live, stored in live_and_stored(demo):
        assert live["by_rule"].any()
        pd.testing.assert_frame_equal(stored, live)


def page_figures() -> tuple[dict, list]:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=300), "analyst")
    at.switch_page("pages/routing.py")
    at.session_state["flt_period"] = labels.CUSTOM  # the sidebar's own period: the quarter
    at.session_state["flt_dates"] = (QUARTER[0], TODAY)
    at = at.run()
    at.button(key="rt_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    return shown, [frame.value.to_dict("records") for frame in at.dataframe[:2]]


def test_the_routing_page_shows_the_same_figures_from_stored_months_as_live(demo, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("MINYI_DB", str(demo))
    live = page_figures()
    assert live[0][L.ROUTING_CASES] == "366"  # 139 + 148 + 79 cases
    jobs.run(demo, train=False)
    st.cache_data.clear()

    def no_live_replay(con, month):
        raise AssertionError(f"{month} was replayed live, not read from the job's rows")

    monkeypatch.setattr(simulate_store, "replay_month", no_live_replay)
    assert page_figures() == live
