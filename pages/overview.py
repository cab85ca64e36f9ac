"""总览: the leaders' cockpit — headline KPIs against targets and their weekly trend, the
派出所 league, biggest movers, what needs attention."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from pages.ui import briefing, cards, charts, escape, filters, gate, labels, tables
from pages.ui import labels_leaders as L
from pages.ui.data import fetch, one

# Cards in reading order: first row service quality and case handling, second row the rest.
FIRST_ROW = ("satisfaction", "reply_rate", "closure", "on_time")
SECOND_ROW = ("callback_satisfaction", "routing_automation", "rectification", "participation")
# The callback results a satisfaction rate is computed on (is_valid_reply in 002_derived.sql).
VALID_REPLIES = ["满意", "基本满意", "不满意"]
# What a row of overview_attention drills into: its query and the parameters it adds, so that the
# list holds exactly the records the row counted (overdue cases still open, valid replies).
ATTENTION_RECORDS = {
    "complaint_overdue": ("complaint_overdue_cases", {"open_only": True}),
    "rectification_overdue": ("rectification_overdue_items", {}),
    "satisfaction_below_target": ("records_calls", {"results": VALID_REPLIES}),
}
# The weekly trend covers 52 whole weeks (about 12 months), the last one holding the end date.
TREND_WEEKS = 52
# records_complaints with its own filters off: every case received in the days asked.
ALL_CASES = {"kinds": [], "open_only": False, "repeat_only": False, "inferred": "include"}
# What a week of each trend metric drills into: the records its value was counted from (for
# on-time closure, the week's cases, of which the closed ones count).
TREND_RECORDS = {
    "satisfaction": ("records_calls", {"results": VALID_REPLIES}),
    "reply_rate": ("records_calls", {"results": []}),
    "closure": ("records_complaints", ALL_CASES),
    "on_time": ("records_complaints", ALL_CASES),
}
STATION_TYPE = "派出所"
LEAGUE_COLUMNS = [
    "peer_rank",
    "unit_id",
    "unit_name",
    "valid_replies",
    "satisfaction_rate",
    "wilson_low",
    "wilson_high",
    "is_small",
]


def _metric_cards(metrics: tuple[str, ...], columns, now, before, year_ago, f) -> None:
    for column, metric in zip(columns, metrics):
        row = now.loc[metric]
        with column:
            cards.kpi(
                row["label"],
                row["value"],
                target=row["target"],
                previous=before["value"].get(metric),
                last_year=year_ago["value"].get(metric),
                numerator=row["numerator"],
                denominator=row["denominator"],
                formula=labels.KPI_FORMULAS[metric].format(formula=labels.FORMULAS[f.formula]),
                as_of=row["newest_record_at"],
                period=f.period_label(),
            )


def attention_drill(kind: str, unit_id: str, f: filters.Filters) -> tuple[str, dict]:
    """The records behind a row of overview_attention (one unit, without its descendants, whose
    rows are their own): its query and parameters."""
    query, extra = ATTENTION_RECORDS[kind]
    return query, replace(f, unit_ids=(unit_id,)).params(exact_unit_id=unit_id, **extra)


def trend_filters(f: filters.Filters) -> filters.Filters:
    """The sidebar's filters over the trend's weeks: from the Monday TREND_WEEKS - 1 weeks before
    the end date's week up to the end date."""
    monday = f.end - timedelta(days=f.end.weekday())
    return replace(f, start=monday - timedelta(weeks=TREND_WEEKS - 1))


def week_drill(metric: str, week: date, g: filters.Filters) -> tuple[str, dict]:
    """The records one week of a trend metric counted (g: the trend's filters)."""
    query, extra = TREND_RECORDS[metric]
    return query, g.narrowed(week, week + timedelta(days=6)).params(**extra)


def trend(f: filters.Filters, targets: pd.Series) -> tuple[tuple[str, dict], str] | None:
    """Draw the weekly trend of the headline figures, two charts a row; return the drill of a
    clicked week, if any."""
    g = trend_filters(f)
    st.subheader(L.TREND)
    st.caption(L.TREND_CAPTION.format(start=g.start.isoformat(), end=g.end.isoformat()))
    weekly = fetch("overview_trend", **g.params())
    if weekly.empty:
        st.info(L.TREND_EMPTY)
        return None
    picked = None
    metrics = list(L.TREND_METRICS)
    for pair in (metrics[:2], metrics[2:]):
        for column, metric in zip(st.columns(2), pair):
            name = L.TREND_METRICS[metric]
            # Named for the legend and the hover, which read the column's name.
            rows = weekly[weekly["metric"] == metric].rename(columns={"value": name})
            with column:
                st.markdown(f"**{name}**")
                target = targets.get(metric)
                fig = charts.trend(
                    rows,
                    "week",
                    name,
                    low="wilson_low",
                    high="wilson_high",
                    target=None if charts.is_missing(target) else float(target),
                    x_format=labels.WEEK_FORMAT,
                    height=240,
                )
                # The same 52 weeks on every chart, so a gap reads as weeks without records.
                fig.update_xaxes(range=[g.start.isoformat(), g.end.isoformat()])
                for week in tables.chart(fig, key=f"ov_trend_{metric}"):
                    day = pd.Timestamp(week).date()
                    what = L.TREND_DRILL.format(metric=name, week=day.isoformat())
                    picked = (week_drill(metric, day, g), what)
    return picked


def station_league(f: filters.Filters) -> pd.DataFrame:
    """The period's 派出所 ranked by satisfaction, small samples last and unranked: the unit
    profile's peer ranking (unit_profile_peers) for the sidebar's units and filters."""
    peers = fetch("unit_profile_peers", **f.params())
    return peers.loc[peers["unit_type"] == STATION_TYPE, LEAGUE_COLUMNS]


def dissatisfied_drill(
    picked: list[str], names: pd.Series, f: filters.Filters
) -> tuple[tuple[str, dict], str]:
    """The dissatisfied call records of the units picked in a chart, and what to call them."""
    query = ("records_calls", replace(f, unit_ids=tuple(picked)).params(results=["不满意"]))
    return query, labels.DISSATISFIED_OF.format(units="、".join(names.get(u, u) for u in picked))


def league(f: filters.Filters, target: float | None) -> tuple[tuple[str, dict], str] | None:
    """Draw the station league (chart and table, names linked to the profile); return the drill
    of stations clicked in the chart, if any."""
    st.subheader(L.LEAGUE)
    st.caption(L.LEAGUE_CAPTION.format(n=f.min_replies))
    stations = station_league(f)
    if stations.empty:
        st.info(L.LEAGUE_EMPTY)
        return None
    chart_col, table_col = st.columns(2)
    with chart_col:
        picked = tables.chart(
            charts.unit_dots(
                stations,
                "unit_name",
                "satisfaction_rate",
                low="wilson_low",
                high="wilson_high",
                key="unit_id",
                flag="is_small",
                target=target,
            ),
            key="ov_league_chart",
        )
    with table_col:
        tables.show(stations.rename(columns=L.COLUMNS), key="ov_league", links=True)
    if not picked:
        return None
    return dissatisfied_drill(picked, stations.set_index("unit_id")["unit_name"], f)


def render() -> None:
    """Draw the page."""
    gate.require("overview")
    f = filters.current()
    st.title(labels.TITLES["overview"])
    st.caption(labels.OVERVIEW_CAPTION.format(period=f.period_label()))
    now = fetch("overview_kpis", **f.params()).set_index("metric")
    if not now["denominator"].fillna(0).any():
        st.info(labels.NO_DATA)
        return
    briefing.offer(f)
    before = fetch("overview_kpis", **f.previous().params()).set_index("metric")
    year_ago = fetch("overview_kpis", **f.last_year().params()).set_index("metric")
    cases = [one("complaint_summary", **g.params()) for g in (f, f.previous(), f.last_year())]

    first = st.columns(len(FIRST_ROW) + 1)
    _metric_cards(FIRST_ROW, first, now, before, year_ago, f)
    with first[-1]:
        cards.kpi(
            labels.KPI_OVERDUE_OPEN,
            cases[0]["overdue_open"],
            previous=cases[1].get("overdue_open"),
            last_year=cases[2].get("overdue_open"),
            kind="count",
            higher_is_better=False,
            formula=labels.FORMULA_OVERDUE_OPEN,
            as_of=cases[0]["newest_record_at"],
            period=f.period_label(),
        )
    _metric_cards(SECOND_ROW, st.columns(len(FIRST_ROW) + 1), now, before, year_ago, f)

    drill_query, what = None, ""
    target = now["target"].get("satisfaction")
    for clicked in (
        trend(f, now["target"]),
        league(f, None if charts.is_missing(target) else float(target)),
    ):
        if clicked:
            drill_query, what = clicked
    movers_col, attention_col = st.columns(2)
    with movers_col:
        st.subheader(labels.MOVERS)
        previous = f.previous()
        movers = fetch(
            "overview_unit_movers",
            **f.params(prev_start=previous.start, prev_end=previous.end, top_n=10),
        )
        st.caption(labels.MOVERS_CAPTION.format(period=previous.period_label(), n=f.min_replies))
        movers = movers.dropna(subset=["change"])
        picked = []
        if movers.empty:
            st.info(labels.NO_COMPARISON)
        else:
            picked = tables.chart(
                charts.change_bar(movers, "unit_name", "change", key="unit_id", flag="is_small"),
                key="ov_movers",
            )
        if picked:
            names = movers.set_index("unit_id")["unit_name"]
            drill_query, what = dissatisfied_drill(picked, names, f)
    with attention_col:
        st.subheader(labels.ATTENTION)
        st.caption(labels.ATTENTION_CAPTION.format(when=f.params()["as_of"]))
        attention = fetch("overview_attention", **f.params())
        if attention.empty:
            st.success(labels.NOTHING_TO_ATTEND)
        chosen = tables.show(
            attention,
            key="ov_attention",
            select=True,
            hide=(*tables.HIDDEN, "kind"),
            links=True,
        )
        if not chosen.empty:
            row = chosen.iloc[0]
            drill_query = attention_drill(row["kind"], row["unit_id"], f)
            what = f"{row['unit_name']} · {row['kind_label']}"
        alert = briefing.alerts(f)
        if alert:
            drill_query, what = alert[:2], alert[2]

    if drill_query:
        query, params = drill_query
        st.subheader(labels.DRILL_TITLE.format(what=escape.md(what)))
        tables.records(query, params, key="ov_drill", page_size=20)

    # The cases the 超期未办结 card counts, not those closed late too (民意诉求 lists both).
    st.subheader(labels.OVERDUE_OPEN_CASES)
    tables.records(
        "complaint_overdue_cases",
        f.params(open_only=True),
        key="ov_overdue",
        page_size=10,
        file_stem=labels.FILE_OVERDUE_OPEN_CASES,
    )


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
