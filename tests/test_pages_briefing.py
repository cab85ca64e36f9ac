"""总览's 「生成周报」 and 预警 in AppTest: a leader takes the briefing away (audited with its
filters), alerts list what, where and since when, and a chosen alert opens its records."""

from __future__ import annotations

import io

import docx
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import queries
from auth import audit
from queries import db
from tests.conftest import ROOT
from tests.signin import signed_in

MARCH = {"flt_period": "自定义", "flt_dates": ["2024-03-01", "2024-03-31"]}


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """file name -> the callable a click on its download button runs (the bytes are made then)."""
    made: dict = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made


def overview(role: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at = signed_in(at, role)
    at.query_params.update(query)
    return at.run()


def test_a_leader_takes_the_months_briefing_away_and_the_download_is_audited(sample_db, downloads):
    at = overview("leader", **MARCH)
    assert not at.exception
    at.segmented_control(key="ov_briefing_kind").set_value("month").run()
    assert at.selectbox(key="ov_briefing_period").value.slug == "2024-03"
    word = downloads["民意工作月报_2024-03.docx"]()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
    assert "江城市公安局民意工作月报（2024年3月）" in text
    assert "满意率 82.6%（23 条有效回访）" in text  # the hand count of tests/test_briefing.py
    assert downloads["民意工作月报_2024-03.pdf"]()[:5] == b"%PDF-"
    row = audit.entries(actions=["briefing"], limit=1).iloc[0]
    assert row["username"] == "leader"
    assert row["detail"].startswith(
        "民意工作月报_2024-03.pdf；期间 2024年3月1日至3月31日；筛选：单位 全部"
    )


def test_alerts_say_where_and_since_when_and_open_their_records(sample_db):
    at = overview("analyst", **MARCH)
    alerts = at.dataframe(key="ov_alerts").value
    # End of March 2024: ZG06 of 西山派出所 (deadline 03-31, 未整改) is the one overdue item.
    assert alerts.to_dict("records") == [
        {
            "预警": "整改超期",
            "单位": "西城分局西山派出所",
            "情况": "整改超期未完成 1 项",
            "自": "2024-03-31",
        }
    ]


def test_an_alert_links_to_exactly_the_records_it_counts(sample_db):
    # What a chosen row opens (pages/ui/briefing.alerts): its query with the page's parameters
    # and the alert's own.
    from datetime import date

    from briefing import make, period
    from pages.ui.filters import Filters

    [alert] = make.alerts(period.parse_month("2024-03"), db_path=sample_db)
    params = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31)).params(
        **{
            k: date.fromisoformat(v) if k in ("start", "end") else v
            for k, v in alert.records["params"].items()
        },
        limit=50,
        offset=0,
    )
    with db.read(sample_db) as con:
        rows = queries.run(con, alert.records["query"], **params)
    assert list(rows["item_id"]) == ["ZG06"] and alert.count == 1


def test_staff_alerts_stay_in_their_own_tree(sample_db):
    # Staff of 东城分局: 西山派出所 (西城分局) is not theirs, so its overdue item is no alert of theirs.
    at = overview("staff", **MARCH)
    assert not at.exception
    assert "ov_alerts" not in [d.key for d in at.dataframe]
