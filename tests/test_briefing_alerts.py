"""预警 rules on hand-made weekly series: each fires exactly when it should, never on small counts."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from briefing import alerts

MONDAY = date(2026, 11, 23)


def series(unit: str, rows: list[tuple[int, int, float, int]]) -> pd.DataFrame:
    """rows: (weeks before MONDAY, valid replies, satisfied, cases received), oldest first."""
    return pd.DataFrame(
        [
            {
                "unit_id": unit,
                "unit_name": f"{unit}派出所",
                "unit_type": "派出所",
                "week": MONDAY - timedelta(weeks=ago),
                "valid_replies": n,
                "satisfied": s,
                "cases_received": cases,
            }
            for ago, n, s, cases in rows
        ]
    )


def below(frame: pd.DataFrame, weeks: int = 3) -> list[alerts.Alert]:
    return alerts.satisfaction_below_target(frame, 0.98, MONDAY, weeks=weeks, min_replies=30)


def test_satisfaction_below_target_fires_on_the_third_week_running_and_says_since_when():
    # 95 %, 96 %, 90 % in the last three weeks (all below 98 %), 99 % the week before.
    frame = series("A", [(3, 100, 99, 0), (2, 100, 95, 0), (1, 100, 96, 0), (0, 50, 45, 0)])
    [alert] = below(frame)
    assert alert.since == (MONDAY - timedelta(weeks=2)).isoformat()
    assert alert.what == "满意率连续 3 周低于目标 98%（最近一周 90.0%，50 条有效回访）"
    assert below(frame, weeks=4) == []  # only three weeks ran below


def test_satisfaction_below_target_ignores_weeks_with_too_few_replies():
    # The middle week has 29 valid replies: too few to judge, so the run is broken.
    frame = series("B", [(2, 100, 95, 0), (1, 29, 20, 0), (0, 100, 90, 0)])
    assert below(frame) == []
    small = series("C", [(2, 10, 5, 0), (1, 10, 5, 0), (0, 10, 5, 0)])  # 50 % on 10 calls
    assert below(small) == []


def test_complaint_surge_needs_a_real_excess_over_the_units_own_baseline():
    quiet = [(ago, 0, 0, 2) for ago in range(12, 0, -1)]  # two cases a week for 12 weeks
    surge = series("D", [*quiet, (0, 0, 0, 12)])
    [alert] = alerts.complaint_surge(surge, MONDAY, baseline_weeks=12, min_cases=5, p_value=0.01)
    # P(X >= 12 | λ = 2) = 1.36e-06 (Poisson upper tail, by hand: 1 - Σ_{k<12} e^-2 2^k/k!).
    assert alert.what == "本周诉求 12 件，远高于前 12 周平均 2.0 件（泊松检验 p = 1.4e-06）"
    normal = series("E", [*quiet, (0, 0, 0, 4)])  # 4 is below min_cases
    busy = series("F", [*[(ago, 0, 0, 10) for ago in range(12, 0, -1)], (0, 0, 0, 14)])
    assert (
        alerts.complaint_surge(normal, MONDAY, baseline_weeks=12, min_cases=5, p_value=0.01) == []
    )
    # 14 against a baseline of 10 a week: p = 0.14, ordinary variation.
    assert alerts.complaint_surge(busy, MONDAY, baseline_weeks=12, min_cases=5, p_value=0.01) == []


def test_a_station_without_history_is_not_flagged_for_a_handful_of_cases():
    # No earlier cases at all: the baseline is half a case a week. 5 cases: p = 1.7e-04 → fires;
    # 4 cases stay under min_cases whatever the p-value.
    five = series("G", [(0, 0, 0, 5)])
    four = series("H", [(0, 0, 0, 4)])
    assert (
        len(alerts.complaint_surge(five, MONDAY, baseline_weeks=12, min_cases=5, p_value=0.01)) == 1
    )
    assert alerts.complaint_surge(four, MONDAY, baseline_weeks=12, min_cases=5, p_value=0.01) == []


def test_overdue_rising_needs_every_week_to_rise_and_a_minimum_count():
    weeks = [MONDAY - timedelta(weeks=ago) for ago in range(3, -1, -1)]
    rising = pd.DataFrame({"week": weeks, "overdue_open": [6, 7, 9, 12]})
    assert alerts.overdue_rising(rising, rising_weeks=3, min_open=5) == weeks[0]
    flat = pd.DataFrame({"week": weeks, "overdue_open": [6, 7, 7, 12]})
    assert alerts.overdue_rising(flat, rising_weeks=3, min_open=5) is None
    small = pd.DataFrame({"week": weeks, "overdue_open": [0, 1, 2, 3]})
    assert alerts.overdue_rising(small, rising_weeks=3, min_open=5) is None


def test_an_admins_overrides_change_only_the_keys_they_name():
    merged = alerts.rules({"complaint_surge": {"min_cases": 8}, "no_such_rule": {"x": 1}})
    assert merged["complaint_surge"] == {**alerts.DEFAULT_RULES["complaint_surge"], "min_cases": 8}
    assert "no_such_rule" not in merged


def test_a_week_without_calls_breaks_the_run_and_each_unit_is_judged_on_its_own():
    # A: below target 0, 1 and 3 weeks ago but no calls 2 weeks ago: a run of two, not four.
    gap = series("A", [(3, 100, 90, 0), (1, 100, 90, 0), (0, 100, 90, 0)])
    # B: below target the last three weeks: fires, listed after A although given first.
    run = series("B", [(2, 100, 90, 0), (1, 100, 90, 0), (0, 100, 91, 0)])
    found = below(pd.concat([run, gap], ignore_index=True), weeks=2)
    assert [(a.unit_id, a.since) for a in found] == [
        ("A", (MONDAY - timedelta(weeks=1)).isoformat()),
        ("B", (MONDAY - timedelta(weeks=2)).isoformat()),
    ]
    assert [a.unit_id for a in below(pd.concat([run, gap]), weeks=3)] == ["B"]
