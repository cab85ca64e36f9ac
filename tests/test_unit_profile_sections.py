"""单位画像 (pages/unit.py) on the sample warehouse, beyond tests/test_unit_profile.py: every
table header a user sees is Chinese, and the unit's hot topics."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import queries
from pages.ui import data, labels, labels_intel, unit_sections
from pages.ui import labels_unit as L
from tests.test_unit_profile import open_profile, tables_with

ROOT = Path(__file__).resolve().parents[1]
# In a fresh interpreter, as a server that opens the profile first: the test session has imported
# every labels module already, and some add headers to labels.COLUMNS when imported.
PROBE = """
import json, sys
from streamlit.testing.v1 import AppTest
from tests.signin import signed_in
headers = {}
for unit in sys.argv[1:]:
    at = signed_in(AppTest.from_file("app.py", default_timeout=120), "analyst")
    at.switch_page("pages/unit.py")
    at.query_params["unit"] = unit
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    headers[unit] = sorted({str(c) for df in at.dataframe for c in df.value.columns})
print(json.dumps(headers, ensure_ascii=False))
"""
RAW = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@pytest.fixture(autouse=True)
def sample(sample_db):
    return sample_db


def test_every_profile_table_has_chinese_headers(sample_db):
    # A station (repeats, overdue cases, items), a 分局 (children, report burden) and an office
    # (survey scores and suggestions): together every table the profile draws.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "P11", "FJ1", "JG1"],
        check=False,  # the assertion below shows its stderr
        cwd=ROOT,
        env={**os.environ, "MINYI_DB": str(sample_db)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    headers = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(headers) == {"P11", "FJ1", "JG1"}
    raw = {unit: [h for h in shown if RAW.match(h)] for unit, shown in headers.items()}
    assert raw == {"P11": [], "FJ1": [], "JG1": []}


def hot_topics(at: AppTest) -> pd.DataFrame | None:
    """The 热点问题 table, None when the section shows none; the section must be there."""
    assert not at.exception, [e.value for e in at.exception]
    assert labels_intel.HOT_TITLE in [h.value for h in at.subheader]
    found = tables_with(at, labels.COLUMNS["heat"])
    assert len(found) <= 1
    return found[0] if found else None


def test_a_station_profile_shows_the_hot_topics_of_its_own_cases():
    # 东风派出所 P11: SQ01 + SQ02 (both 12345, 04-01 and 04-02, no complainant, no supporters), none
    # in the previous 12 months: heat 2 cases + 0 complainants + 1 channel + ln 1 + 2 more = 5.
    topics = hot_topics(open_profile("P11"))
    assert topics[
        ["组编号", "热度", "件数", "渠道数", "首件标题", "最近一件标题"]
    ].values.tolist() == [["SQ01", 5.0, 2, 1, "夜间噪音扰民", "噪音扰民再次反映"]]
    # 西山派出所 P21 has SQ11 + SQ12 (12345 and 市长信箱): 2 + 0 + 2 + 0 + 2 = 6; not SQ01.
    topics = hot_topics(open_profile("P21"))
    assert topics[["组编号", "热度", "渠道"]].values.tolist() == [["SQ11", 6.0, "12345、市长信箱"]]


def test_an_office_without_grouped_cases_says_it_has_no_hot_topic():
    at = open_profile("JG1")
    assert hot_topics(at) is None
    assert labels_intel.HOT_NONE in [i.value for i in at.info]


def test_every_query_the_profile_prefetches_is_one_it_reads(monkeypatch):
    # The profile starts its slow queries in the background (data.prefetch) and reads them later
    # as it draws: each must be read with the very same cache key, or it is work for nothing.
    read, started = [], []
    real = data._fetch

    def recorded(sql_text, identity, name, params, masked):
        key = (name, repr(sorted(params.items())), masked)
        (started if threading.current_thread().name.startswith("prefetch") else read).append(key)
        return real(sql_text, identity, name, params, masked)

    monkeypatch.setattr(data, "_fetch", recorded)
    at = open_profile("FJ1")
    assert not at.exception
    # FJ1's KPIs, 环比 and 同比, its trend and peers, P11's and P12's figures, the first pages of
    # its lists and its other sections' queries, 民意与警意 and 热点问题; 特征词 once asked for.
    names = [
        "complaint_intake_by_channel_kind",
        "complaint_overdue_cases",
        "complaint_summary",
        "complaint_top_categories",
        "hot_topics",
        "overview_kpis",
        "records_complaints",
        "rectification_items",
        "rectification_summary",
        "report_burden_by_station",
        "satisfaction_rate_by_month",
        "survey_scores_by_target",
        "unit_minjing_problems",
        "unit_profile_data_as_of",
        "unit_profile_peers",
    ]
    assert sorted({name for name, _, _ in started}) == names
    assert len(started) == 6 + 2 + 4 + 9 + 2
    assert set(started) <= set(read)
    started.clear()
    at.toggle(key=unit_sections.WORDS_KEY).set_value(True).run()
    assert not at.exception
    at.run()  # a full run with the switch on
    assert sorted({name for name, _, _ in started}) == sorted([*names, "keyword_distinctive"])
    assert set(started) <= set(read)


def test_the_distinctive_words_are_computed_only_when_asked_for(monkeypatch):
    ran: list[str] = []
    real = queries.run

    def counted(con, name, **params):
        ran.append(name)
        return real(con, name, **params)

    monkeypatch.setattr(queries, "run", counted)
    at = open_profile("P11")
    assert L.WORDS in [h.value for h in at.subheader]
    assert at.toggle(key=unit_sections.WORDS_KEY).value is False
    assert "keyword_distinctive" not in ran and L.WORDS_NONE not in [i.value for i in at.info]
    at.toggle(key=unit_sections.WORDS_KEY).set_value(True).run()
    assert not at.exception
    # The sample is too small for a word to pass G² ≥ 10.83 with at least 5 occurrences.
    assert ran.count("keyword_distinctive") == 1 and L.WORDS_NONE in [i.value for i in at.info]
