"""The 路由模拟 and 待复核 pages under AppTest on a warehouse whose classifiers have trained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.ui import labels
from pages.ui import labels_intel as L
from queries import db
from tests.signin import signed_in
from tests.test_intel_classify import trained, trained_folder  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def served(trained, monkeypatch):
    monkeypatch.setenv("MINYI_DB", str(trained))
    import streamlit as st

    st.cache_data.clear()
    return trained


def open_page(name: str, role: str = "analyst", june: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at = signed_in(at, role)
    at.switch_page(f"pages/{name}.py")
    # The fixture's cases are of May 2024: the sidebar's period is set to that year.
    at.query_params.update({"flt_start": "2024-01-01", "flt_end": "2024-12-31"})
    if june:  # the sidebar's own period: 自定义, June 2024
        at.session_state["flt_period"] = labels.CUSTOM
        at.session_state["flt_dates"] = (dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    return at.run()


def test_the_simulator_replays_the_period_and_tries_a_rule(served):
    at = open_page("routing")
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="rt_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    # 2024 holds the sample's 15 cases and the fixture's 42, all with a final handling unit but
    # the 6 NW cases: 51 replayed.
    assert shown[L.ROUTING_CASES] == "51"
    assert L.ROUTING_SHARE in shown and L.ROUTING_ACTUAL in shown
    # 半夜噪音 is in the 12 labelled noise stories (LB01-LB12, all 东风派出所 P11).
    at.text_input(key="rt_phrase").set_value("半夜噪音").run()
    at.selectbox(key="rt_unit").set_value("P11").run()
    assert [s.value for s in at.success] == [
        L.TRY_RESULT.format(caught=12, right=12, precision="100.0%")
    ]


def test_an_analyst_sees_the_simulated_figures_an_admin_sees(served, tmp_path):
    # The replay reads the texts unmasked and bureau-wide (no text of it is shown): masking an
    # analyst's screen must not change what the model would have proposed. June's 12 cases, whose callers leave a
    # name and a number (masked for analysts), are proposed by a model of May's 36 labelled ones.
    from etl.load import load_files
    from tests import intel_fixtures as fx

    june = [
        [cell.replace("2024-05-", "2024-06-") for cell in row[:5]]
        + [f"{row[5]}。我是张伟，电话1381234{i:04d}", *row[6:]]
        for i, row in enumerate(fx.rows("JN", 4, labelled=True))
    ]
    load_files(served, [fx.write(tmp_path / "june.csv", june)], "complaints")

    def figures(role: str) -> tuple[dict, list]:
        at = open_page("routing", role=role, june=True)
        at.button(key="rt_run").click().run()
        assert not at.exception, [e.value for e in at.exception]
        at.slider(key="rt_threshold").set_value(0.5).run()
        shown = {m.label: m.value for m in at.metric}
        return shown, [frame.value.to_dict("records") for frame in at.dataframe[:2]]

    analyst, admin = figures("analyst"), figures("admin")
    assert analyst == admin
    shown = analyst[0]
    assert (shown[L.ROUTING_CASES], shown[L.ROUTING_SHARE], shown[L.ROUTING_PRECISION]) == (
        "12",
        "100.0%",
        "100.0%",
    )


def test_the_review_queue_lists_proposals_below_threshold_and_saves_a_label(served):
    from etl import store

    # A proposal below its threshold for NW01, made by hand so the queue is known: one row.
    with store.write(served) as con:
        con.execute("delete from predictions where target = 'category'")
        con.execute(
            "update complaints set category = null, category_source = null,"
            " category_confidence = null where case_id like 'NW%'"
        )
        con.execute(
            "insert into predictions values ('NW01', 'category', '噪音扰民', 0.4, 0.9,"
            " 'hand', now(), null, '未注明')"
        )
    at = open_page("review")
    assert not at.exception, [e.value for e in at.exception]
    assert L.REVIEW_TOTAL.format(n=1) in [c.value for c in at.caption]
    # Confirm the proposal: the first (only) row, column 确认.
    at.session_state["rv_editor_category"] = {
        "edited_rows": {0: {L.REVIEW_CONFIRM: True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="rv_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with db.read(served) as con:
        assert con.execute(
            "select category, category_source from complaints where case_id = 'NW01'"
        ).fetchone() == ("噪音扰民", "人工")
        assert con.execute(
            "select record_source, record_id, target, value, labelled_by from labels"
        ).fetchall() == [("未注明", "NW01", "category", "噪音扰民", "analyst")]


def test_a_leader_is_refused_the_simulator_and_the_review_queue(served):
    # Analysts' work (export and label rights): a leader reads figures on the other pages.
    for page in ("routing", "review"):
        at = open_page(page, role="leader")
        assert not at.exception
        assert [e.value for e in at.error] == [labels.PAGE_DENIED.format(role="领导")]


def test_the_complaints_page_lists_only_or_no_inferred_categories(served):

    with db.read(served) as con:
        inferred, everything = con.execute(
            "select count(*) filter (where category_source = '模型'), count(*) from complaints"
            " where year(received_at) = 2024"
        ).fetchone()
    assert 0 < inferred < everything

    def listed(choice: str) -> list[str]:
        at = open_page("complaints")
        at.segmented_control(key="cp_inferred").set_value(choice).run()
        assert not at.exception, [e.value for e in at.exception]
        return [c.value for c in at.caption if c.value.startswith("共 ")]

    def page_info(total: int) -> str:
        return labels.PAGE_INFO.format(total=total, page=1, pages=-(-total // 50))

    assert page_info(inferred) in listed("only")
    assert page_info(everything - inferred) in listed("exclude")
