"""预警: rules that flag what needs attention without waiting for someone to look.

Each rule reads a named query's series and says what, where, since when, and which records
(the query and parameters a page or a gateway opens). The rules and their thresholds are
configuration (DEFAULT_RULES, overridable per key); the tests behind them:
- satisfaction_below_target: a unit's weekly satisfaction below target N weeks running, counting
  only weeks with at least min_replies valid replies (a small station is not judged on 3 calls);
- overdue_open: open cases past their deadline above a number, or rising N weeks running;
- complaint_surge: a unit's complaints this week far above its own baseline (the mean of its
  previous 12 weeks), by a one-sided Poisson test, and only from min_cases cases on;
- rectification_overdue: rectification items past their deadline, per unit;
- hot_topic_rising: a hot topic (a group of repeated complaints) with at least min_cases cases in
  the last week and `growth` times as many as the week before.
The defaults are overridden by an admin's settings (briefing/rule_settings.py).
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
from scipy.stats import poisson

from briefing.period import Period
from briefing.wording import pct

if TYPE_CHECKING:
    from briefing.content import Source

DEFAULT_RULES: dict[str, dict[str, Any]] = {
    "satisfaction_below_target": {"enabled": True, "weeks": 3, "min_replies": 30},
    "overdue_open": {"enabled": True, "max_open": 20, "rising_weeks": 3, "min_open": 5},
    "complaint_surge": {"enabled": True, "baseline_weeks": 12, "min_cases": 5, "p_value": 0.01},
    "rectification_overdue": {"enabled": True, "min_items": 1},
    "hot_topic_rising": {"enabled": True, "min_cases": 5, "growth": 2.0},
}
LOOKBACK_DAYS = 365  # open cases and items older than a year are the ledger's business


@dataclass(frozen=True)
class Alert:
    rule: str
    unit_id: str | None
    where: str
    what: str
    since: str
    records: dict[str, Any] = field(default_factory=dict)  # {"query": name, "params": {...}}
    count: int | None = None  # the cases or items it is about, where it counts them

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rules(overrides: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """The rules in force: the defaults with an admin's overrides on top."""
    merged = {name: dict(values) for name, values in DEFAULT_RULES.items()}
    for name, values in (overrides or {}).items():
        if name in merged:
            merged[name].update(values)
    return merged


def evaluate(source: Source, period: Period, overrides: dict | None = None) -> list[Alert]:
    """Every alert that holds at the end of `period`, for the source's unit tree and filters, by
    the rules in force (`overrides`, else the admin's settings the source carries)."""
    config = rules(source.rules if overrides is None else overrides)
    found: list[Alert] = []
    last_week = period.end - timedelta(days=period.end.weekday())  # Monday of the last week
    span_weeks = (
        max(
            config["complaint_surge"]["baseline_weeks"],
            config["satisfaction_below_target"]["weeks"],
        )
        + 1
    )
    span = Period(
        last_week - timedelta(weeks=span_weeks - 1), last_week + timedelta(days=6), "range"
    )
    series = source.frame("unit_weekly_series", span)
    series["week"] = pd.to_datetime(series["week"]).dt.date
    if config["satisfaction_below_target"]["enabled"]:
        target = source.frame("overview_kpis", period).set_index("metric")["target"]
        found += satisfaction_below_target(
            series,
            target.get("satisfaction"),
            last_week,
            **_args(config["satisfaction_below_target"]),
        )
    if config["complaint_surge"]["enabled"]:
        found += complaint_surge(series, last_week, **_args(config["complaint_surge"]))
    if config["overdue_open"]["enabled"]:
        found += _overdue_open(source, period, config["overdue_open"])
    if config["rectification_overdue"]["enabled"]:
        found += _rectification_overdue(source, period, config["rectification_overdue"])
    if config["hot_topic_rising"]["enabled"]:
        found += _hot_topics_rising(source, last_week, config["hot_topic_rising"])
    return found


def _args(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "enabled"}


def satisfaction_below_target(
    series: pd.DataFrame, target: float | None, last_week: date, *, weeks: int, min_replies: int
) -> list[Alert]:
    """Units whose satisfaction was below target in each of the `weeks` weeks up to last_week."""
    if target is None or pd.isna(target) or series.empty:
        return []
    # Whole frame at once (a province has thousands of units; a loop per unit took seconds).
    series = series.reset_index(drop=True)
    ago = pd.Series(
        [(last_week - w).days // 7 for w in series["week"]], index=series.index, name="ago"
    )
    judged = series["valid_replies"] >= min_replies
    below = judged & (series["satisfied"] / series["valid_replies"].where(judged) < target)
    bad = (
        series.loc[below & (ago >= 0), ["unit_id"]].assign(ago=ago).sort_values(["unit_id", "ago"])
    )
    # A run counts the weeks back from last_week without a gap: the k-th bad week is k weeks ago.
    bad = bad[bad["ago"] == bad.groupby("unit_id").cumcount()]
    runs = bad.groupby("unit_id")["ago"].size()
    runs = runs[runs >= weeks]
    latest = series[(ago == 0) & series["unit_id"].isin(runs.index)].set_index("unit_id")
    out = []
    for unit_id in sorted(latest.index):
        row = latest.loc[unit_id]
        run = int(runs[unit_id])
        since = last_week - timedelta(weeks=run - 1)
        rate = row["satisfied"] / row["valid_replies"]
        out.append(
            Alert(
                rule="satisfaction_below_target",
                unit_id=unit_id,
                where=row["unit_name"],
                what=(
                    f"满意率连续 {run} 周低于目标 {pct(target, 0)}"
                    f"（最近一周 {pct(rate)}，{int(row['valid_replies'])} 条有效回访）"
                ),
                since=since.isoformat(),
                records={
                    "query": "records_calls",
                    "params": {
                        "unit_ids": [unit_id],
                        "results": ["不满意"],
                        "start": since.isoformat(),
                        "end": (last_week + timedelta(days=6)).isoformat(),
                    },
                },
            )
        )
    return out


def complaint_surge(
    series: pd.DataFrame, last_week: date, *, baseline_weeks: int, min_cases: int, p_value: float
) -> list[Alert]:
    """Units with far more complaints in last_week than the mean of their previous weeks."""
    if series.empty:
        return []
    baseline_from = last_week - timedelta(weeks=baseline_weeks)
    cases = series["cases_received"]
    this_week = cases.where(series["week"] == last_week, 0).groupby(series["unit_id"]).sum()
    in_baseline = (series["week"] >= baseline_from) & (series["week"] < last_week)
    # Weeks without a row had no cases: the mean is over every week of the baseline.
    mean = cases.where(in_baseline, 0).groupby(series["unit_id"]).sum() / baseline_weeks
    names = series.drop_duplicates("unit_id").set_index("unit_id")["unit_name"]
    candidates = this_week[this_week >= min_cases].index
    # A unit that had none at all still expects a little: half a case a week.
    p = pd.Series(
        poisson.sf(this_week[candidates] - 1, mean[candidates].clip(lower=0.5)), index=candidates
    )
    out = []
    for unit_id in sorted(p[p < p_value].index):
        out.append(
            Alert(
                rule="complaint_surge",
                unit_id=unit_id,
                where=names[unit_id],
                what=(
                    f"本周诉求 {int(this_week[unit_id])} 件，远高于前 {baseline_weeks} 周平均"
                    f" {mean[unit_id]:.1f} 件（泊松检验 p = {float(p[unit_id]):.2g}）"
                ),
                since=last_week.isoformat(),
                records={
                    "query": "records_complaints",
                    "params": {
                        "unit_ids": [unit_id],
                        "start": last_week.isoformat(),
                        "end": (last_week + timedelta(days=6)).isoformat(),
                    },
                },
            )
        )
    return out


def overdue_rising(weekly: pd.DataFrame, *, rising_weeks: int, min_open: int) -> date | None:
    """The week a rise of open overdue cases began, if they rose each of the last rising_weeks
    weeks and ended at min_open or more; else None."""
    counts = list(weekly["overdue_open"])
    if len(counts) <= rising_weeks or counts[-1] < min_open:
        return None
    tail = counts[-(rising_weeks + 1) :]
    if all(b > a for a, b in itertools.pairwise(tail)):
        return weekly["week"].iloc[-(rising_weeks + 1)]
    return None


def _overdue_open(source: Source, period: Period, config: dict[str, Any]) -> list[Alert]:
    weeks = config["rising_weeks"] + 1
    span = Period(period.end - timedelta(weeks=weeks) + timedelta(days=1), period.end, "range")
    weekly = source.frame("overdue_open_by_week", span)
    if weekly.empty:
        return []
    weekly["week"] = pd.to_datetime(weekly["week"]).dt.date
    latest = int(weekly["overdue_open"].iloc[-1])
    where = source.row("scope_unit", period).get("name", "")
    records = {
        "query": "complaint_overdue_cases",
        "params": {
            "open_only": True,
            "start": (period.end - timedelta(days=LOOKBACK_DAYS)).isoformat(),
            "end": period.end.isoformat(),
        },
    }
    out = []
    if latest > config["max_open"]:
        out.append(
            Alert(
                "overdue_open",
                None,
                where,
                f"超期未办结诉求 {latest} 件，超过 {config['max_open']} 件",
                weekly["week"].iloc[-1].isoformat(),
                records,
            )
        )
    began = overdue_rising(weekly, rising_weeks=config["rising_weeks"], min_open=config["min_open"])
    if began is not None:
        out.append(
            Alert(
                "overdue_open",
                None,
                where,
                f"超期未办结诉求连续 {config['rising_weeks']} 周上升，现为 {latest} 件",
                began.isoformat(),
                records,
            )
        )
    return out


def _rectification_overdue(source: Source, period: Period, config: dict[str, Any]) -> list[Alert]:
    year = Period(period.end - timedelta(days=LOOKBACK_DAYS), period.end, "range")
    # Counted per unit in the warehouse (the rectification page's own figure), not from a list of
    # items: a list has a page size, and a unit past it would be undercounted or missed.
    by_unit = source.counts("rectification_by_unit", year).sort_values("unit_id")
    out = []
    for r in by_unit.itertuples():
        if r.overdue_open < max(config["min_items"], 1):
            continue
        out.append(
            Alert(
                rule="rectification_overdue",
                unit_id=r.unit_id,
                where=r.unit_name,
                what=f"整改超期未完成 {r.overdue_open} 项",
                count=int(r.overdue_open),
                since=pd.Timestamp(r.first_overdue_deadline).date().isoformat(),
                records={
                    "query": "rectification_overdue_items",
                    "params": {
                        "unit_ids": [r.unit_id],
                        # The unit's own items, as counted: not its child units' too.
                        "exact_unit_id": r.unit_id,
                        "start": year.start.isoformat(),
                        "end": year.end.isoformat(),
                    },
                },
            )
        )
    return out


def hot_topics_rising(topics: pd.DataFrame, *, min_cases: int, growth: float) -> pd.DataFrame:
    """The topics of a week with at least min_cases cases and `growth` times the week before's
    (a topic new this week counts the week before as one case)."""
    rising = (topics["cases"] >= min_cases) & (
        topics["cases"] >= growth * topics["previous_cases"].clip(lower=1)
    )
    return topics[rising]


def _hot_topics_rising(source: Source, last_week: date, config: dict[str, Any]) -> list[Alert]:
    week = Period(last_week, last_week + timedelta(days=6), "range")
    before = week.previous()
    topics = source.frame(
        "hot_topics", week, prev_start=before.start, prev_end=before.end, limit=50, offset=0
    )
    if topics.empty:
        return []
    found = hot_topics_rising(topics, min_cases=config["min_cases"], growth=config["growth"])
    return [
        Alert(
            rule="hot_topic_rising",
            unit_id=None,
            where=str(r.units or "").split("、")[0],
            what=(
                f"热点「{r.first_title}」本周 {int(r.cases)} 件，上周 {int(r.previous_cases)} 件"
            ),
            since=week.start.isoformat(),
            count=int(r.cases),
            records={"query": "repeat_group_cases", "params": {"group_id": r.group_id}},
        )
        for r in found.itertuples()
    ]
