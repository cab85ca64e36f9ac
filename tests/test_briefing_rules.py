"""预警规则 an admin sets: kept in the configuration store, checked, used by the alerts; and the
hot-topic rule on a hand-made week."""

from __future__ import annotations

import pandas as pd
import pytest

from briefing import make, period, rule_settings
from briefing.alerts import hot_topics_rising

MARCH = period.parse_month("2024-03")


def test_a_saved_rule_round_trips_without_rewriting_the_warehouse(scratch_db):
    before = scratch_db.stat().st_mtime_ns
    assert rule_settings.overrides(scratch_db) == {}
    assert rule_settings.save({"complaint_surge": {"min_cases": 8}}, "admin", scratch_db) == 1
    assert rule_settings.overrides(scratch_db) == {"complaint_surge": {"min_cases": 8}}
    assert scratch_db.stat().st_mtime_ns == before


def test_a_setting_no_rule_has_or_out_of_range_is_refused(scratch_db):
    with pytest.raises(rule_settings.RuleError, match="没有预警规则"):
        rule_settings.save({"no_rule": {"x": 1}}, "admin", scratch_db)
    with pytest.raises(rule_settings.RuleError, match="p_value"):
        rule_settings.save({"complaint_surge": {"p_value": 2}}, "admin", scratch_db)
    assert rule_settings.overrides(scratch_db) == {}


def test_the_alerts_follow_the_admins_settings(scratch_db):
    # End of March 2024: ZG06 of 西山派出所 is the one overdue item (tests/test_briefing.py).
    assert [a.rule for a in make.alerts(MARCH, db_path=scratch_db)] == ["rectification_overdue"]
    rule_settings.save({"rectification_overdue": {"min_items": 2}}, "admin", scratch_db)
    assert make.alerts(MARCH, db_path=scratch_db) == []


def test_a_hot_topic_fires_when_it_doubles_and_has_enough_cases():
    topics = pd.DataFrame(
        {"group_id": ["A", "B", "C", "D"], "cases": [12, 6, 4, 7], "previous_cases": [3, 0, 0, 5]}
    )
    # A: 12 ≥ 2 × 3; B: new, 6 ≥ 2 × 1; C: only 4 cases; D: 7 < 2 × 5.
    rising = hot_topics_rising(topics, min_cases=5, growth=2.0)
    assert list(rising["group_id"]) == ["A", "B"]
