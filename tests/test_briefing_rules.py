"""预警规则 an admin sets: kept in the configuration store, checked, used by the alerts; and the
hot-topic rule on a hand-made week."""

from __future__ import annotations

import pandas as pd
import pytest

import queries
from briefing import make, period, rule_settings
from briefing.alerts import hot_topics_rising
from queries import db

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


def test_every_overdue_item_is_counted_however_many_a_unit_has(scratch_db):
    # 10,005 open items of 东风派出所 past a January deadline, more overdue than 西山派出所's ZG06
    # (deadline 03-31): a list capped at 10,000 rows counted 10,000 of them and lost 西山 entirely.
    # And one of 东城分局's own, above 东风派出所 in the tree.
    con = db.connect_write(scratch_db)
    con.execute(
        "insert into rectifications (item_id, source, unit_id, category, description, found_on,"
        " deadline_on, status) select 'BIG' || i, '自查', 'P11', '接处警', '第' || i || '项',"
        " date '2024-01-02', date '2024-01-15' + (i % 3)::integer, '待整改' from range(10005) t(i)"
    )
    con.execute(
        "insert into rectifications (item_id, unit_id, found_on, deadline_on, status)"
        " values ('OWN1', 'FJ1', date '2024-01-10', date '2024-02-01', '整改中')"
    )
    con.close()
    found = [a for a in make.alerts(MARCH, db_path=scratch_db) if a.rule == "rectification_overdue"]
    assert [(a.unit_id, a.where, a.count, a.since) for a in found] == [
        ("FJ1", "江城市公安局东城分局", 1, "2024-02-01"),
        ("P11", "东城分局东风派出所", 10005, "2024-01-15"),
        ("P21", "西城分局西山派出所", 1, "2024-03-31"),
    ]
    assert [a.what for a in found] == [
        "整改超期未完成 1 项",
        "整改超期未完成 10005 项",
        "整改超期未完成 1 项",
    ]
    # 需要关注 opens the records of the unit's own items, the ones counted: not 东风派出所's too.
    with db.read(scratch_db) as con:
        params = {**make.base_params(con), **found[0].records["params"]}
        listed = queries.run(
            con, found[0].records["query"], **params, as_of="2024-04-01", limit=20, offset=0
        )
    assert list(listed.item_id) == ["OWN1"]
