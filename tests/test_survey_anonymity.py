"""k-anonymity in every view of survey text: a group of suggestions from fewer than
$min_respondents respondents gives no word, count or record to any keyword view (issue 11 point 3).

On the sample only R09 wrote about 法制室 (JG2): 案件审核流程慢. Seven respondents wrote suggestions
(R01 R02 R04 R06 R07 R08 R09)."""

from __future__ import annotations

from pathlib import Path

import pytest

import queries
from queries import db
from tests.test_queries import FULL

pytestmark = pytest.mark.usefixtures("sample_db")
ROOT = Path(__file__).resolve().parents[1]
R09 = {"token": "流程", "sources": ["survey_suggestion"], "unit_ids": ["JG2"]}


def run(name: str, **overrides):
    with db.read() as con:
        return queries.run(con, name, **{**FULL, **overrides}).reset_index(drop=True)


def test_one_respondents_words_are_no_cloud_words():
    assert run("keyword_counts", **R09, min_respondents=1)["token"].tolist()  # shown at 1
    assert run("keyword_counts", **R09, min_respondents=2).empty


def test_the_whole_bureaus_seven_respondents_show_at_seven_not_at_eight():
    survey = {"sources": ["survey_suggestion"], "top_n": 100}
    words = set(run("keyword_counts", **survey, min_respondents=7)["token"])
    assert {"辅警", "流程"} <= words
    assert run("keyword_counts", **survey, min_respondents=8).empty
    # Complaint and call-note words stay whatever the survey group.
    everything = run("keyword_counts", top_n=100, min_respondents=8)
    assert "噪音扰民" in set(everything["token"]) and "流程" not in set(everything["token"])


def test_a_words_records_withhold_a_small_groups_text():
    hidden = run("keyword_records", **R09, min_respondents=2)
    assert len(hidden) == 1 and hidden.is_suppressed.all() and hidden.text.isna().all()
    assert run("keyword_records", **R09, min_respondents=1).text.tolist() == ["案件审核流程慢"]


def test_the_word_views_all_go_through_the_one_guard():
    # Rising and distinctive words, the cloud and a word's records read survey text only through
    # etl/schema/014_survey_text_guard.sql (word_source_shown, 016w, for the whole bureau's counts):
    # a new keyword query that reads tokens directly fails here.
    guarded = ("shown_words_in_filters", "shown_word_totals_in_filters", "survey_text_hidden")
    for name in [n for n in queries.names() if n.startswith("keyword_")]:
        text = (ROOT / "queries" / f"{name}.sql").read_text(encoding="utf-8")
        assert any(macro in text for macro in guarded), name
        assert "min_respondents" in queries.params_of(name), name


def test_the_guard_hides_survey_rows_of_a_small_group_in_both_periods():
    with db.read() as con:
        shown = con.execute(
            "select source, count(*) from shown_words_in_filters(date '2024-06-01',"
            " date '2024-06-30', [], ['JG2'], '*', [], [], $k) group by source order by source",
            {"k": 2},
        ).fetchall()
        at_one = con.execute(
            "select source, count(*) > 0 from shown_words_in_filters(date '2024-06-01',"
            " date '2024-06-30', [], ['JG2'], '*', [], [], 1) group by source order by source"
        ).fetchall()
    assert "survey_suggestion" not in dict(shown)
    assert dict(at_one).get("survey_suggestion") is True


def test_a_search_for_a_masked_phone_number_finds_nothing_for_those_who_see_it_masked(scratch_db):
    # A suggestion naming a phone number: a reader who sees it starred must not confirm the
    # number by searching for it (13812345678 → 1 row would say "yes, that is the number").
    from etl import store

    with store.write(scratch_db) as con:
        con.execute(
            "update survey_responses set suggestion = '请联系13812345678处理辅警待遇问题'"
            " where response_id = 'R01' and suggestion is not null"
        )
    with db.read(scratch_db) as con:

        def found(search: str, masked: bool) -> int:
            frame = queries.run(
                con, "survey_suggestions", **{**FULL, "search": search, "masked": masked}
            )
            return len(frame)

        assert found("13812345678", masked=False) == 1  # admin sees and finds it
        assert found("13812345678", masked=True) == 0
        assert found("1234", masked=True) == 0  # the starred middle digits
        assert found("138****5678", masked=True) == 1  # what the reader sees is what they find
        assert found("辅警待遇", masked=True) == 1  # the rest of the text is still searchable
