"""报表负担: report types stations keep filling, against the burden line, by office and by year,
down to the ledger rows of a station or an office."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from pages.ui import cards, charts, escape, filters, gate, labels, tables
from pages.ui.data import fetch, settings, target

DEFAULT_LINE = 150
# Nice histogram widths: about a dozen bars whatever the scale.
BUCKET_WIDTHS = (1, 2, 5, 10, 20, 25, 50, 100)


def _line() -> int:
    try:
        return int(settings().get("report_burden_line", DEFAULT_LINE))
    except ValueError:
        return DEFAULT_LINE


def _year_params(f: filters.Filters, year: int, **extra) -> dict:
    return f.params(start=date(year, 1, 1), end=date(year, 12, 31), **extra)


def _bucket_width(max_types: int) -> int:
    return next((w for w in BUCKET_WIDTHS if w * 12 >= max_types), BUCKET_WIDTHS[-1])


def _loaded_at(f: filters.Filters):
    """数据截至 of ledger figures: the newest load of a report ledger (a ledger has no dates)."""
    tables_as_of = fetch("data_as_of", **f.params()).set_index("table_name")
    return tables_as_of["last_loaded_at"].get("report_ledger")


def _cards(now: pd.Series, before: pd.Series | None, line: int, year: int, as_of) -> None:
    prior = before if before is not None else pd.Series(dtype=object)
    # (label, value column, kind, higher is better, target key, formula, numerator, denominator)
    specs = (
        (
            labels.BURDEN_KPI_AVG,
            "avg_retained_types",
            "count",
            False,
            "target_report_avg_types",
            labels.BURDEN_FORMULA_AVG,
            "retained_types",
            "stations",
        ),
        (
            labels.BURDEN_KPI_AT_LINE.format(line=line),
            "share_at_line",
            "pct",
            False,
            "target_report_share_at_line",
            labels.BURDEN_FORMULA_AT_LINE.format(line=line),
            "stations_at_line",
            "stations",
        ),
        (
            labels.BURDEN_KPI_HAND,
            "hand_share",
            "pct",
            False,
            "target_report_hand_share",
            labels.BURDEN_FORMULA_HAND,
            "hand_filled_types",
            "retained_types",
        ),
        (
            labels.BURDEN_KPI_DEPTS,
            "demanding_depts",
            "count",
            False,
            "target_report_demanding_depts",
            labels.BURDEN_FORMULA_DEPTS,
            None,
            None,
        ),
        (
            labels.BURDEN_KPI_ZERO,
            "depts_at_zero",
            "count",
            True,
            None,
            labels.BURDEN_FORMULA_ZERO,
            "depts_at_zero",
            "depts_listed",
        ),
    )
    for column, spec in zip(st.columns(len(specs)), specs):
        label, key, kind, higher, goal, formula, num, den = spec
        with column:
            cards.kpi(
                label,
                now[key],
                target=target(goal) if goal else None,
                last_year=prior.get(key),
                kind=kind,
                higher_is_better=higher,
                numerator=now[num] if num else None,
                denominator=now[den] if den else None,
                formula=f"{formula}{labels.BURDEN_AS_OF}",
                as_of=as_of,
                period=labels.BURDEN_YEAR_VALUE.format(year=year),
            )


def render() -> None:
    """Draw the page."""
    gate.require("report_burden")
    f = filters.current()
    line = _line()
    st.title(labels.TITLES["report_burden"])
    st.caption(labels.BURDEN_CAPTION)
    summary = fetch("report_burden_summary", **f.params(line=line))
    if summary.empty:
        st.info(labels.BURDEN_NO_YEAR)
        return
    years = summary["year"].astype(int).tolist()
    year = st.selectbox(
        labels.BURDEN_YEAR,
        years,
        index=len(years) - 1,
        format_func=lambda y: labels.BURDEN_YEAR_VALUE.format(year=y),
        key="rb_year",
        width=200,
    )
    now = summary.set_index("year").loc[year]
    before = fetch("report_burden_summary", **_year_params(f, year - 1, line=line))
    _cards(now, before.iloc[0] if not before.empty else None, line, year, _loaded_at(f))

    st.caption(labels.BURDEN_DRILL_HINT)
    drill, what = replace(f, start=date(year, 1, 1), end=date(year, 12, 31)), []
    depts_picked: list[str] = []
    dist_col, dept_col = st.columns(2)
    with dist_col:
        st.subheader(labels.BURDEN_DISTRIBUTION)
        width = _bucket_width(int(summary["max_retained_types"].max()))
        dist = fetch("report_burden_distribution", **f.params(bucket_width=width))
        st.plotly_chart(charts.distribution_figure(dist, line, width, year), key="rb_distribution")
        st.caption(labels.BURDEN_DISTRIBUTION_CAPTION.format(line=line))
    with dept_col:
        st.subheader(labels.BURDEN_BY_DEPT.format(year=year))
        depts = fetch("report_burden_by_dept", **_year_params(f, year))
        asking = depts[~depts["at_zero"]]
        depts_picked = tables.chart(
            charts.count_bar(
                asking,
                "demanding_dept",
                "retained_demands",
                horizontal=True,
                height=28 * len(asking) + 80,
            ),
            key="rb_depts",
        )
        zero = depts.loc[depts["at_zero"], "demanding_dept"].tolist()
        st.caption(
            labels.BURDEN_ZERO_DEPTS.format(depts=escape.md("、".join(zero)))
            if zero
            else labels.BURDEN_NO_ZERO_DEPTS
        )
        tables.download_buttons(depts, labels.BURDEN_FILE_DEPTS, key="rb_depts_dl")
    what = [*what, *depts_picked]

    st.subheader(labels.BURDEN_BY_STATION.format(year=year))
    stations = fetch("report_burden_by_station", **_year_params(f, year, line=line))
    chosen = tables.show(
        stations,
        hide=(*tables.HIDDEN, "station_unit_id", "year"),
        key="rb_stations",
        select=True,
        height=420,
        links=True,
    )
    tables.download_buttons(stations, labels.BURDEN_FILE_STATIONS, key="rb_stations_dl")
    if not chosen.empty:
        drill = replace(drill, unit_ids=tuple(chosen["station_unit_id"]))
        what = [*chosen["station_name"].fillna(labels.UNKNOWN), *what]
    if what:
        st.subheader(labels.BURDEN_RECORDS.format(year=year, what=escape.md(" · ".join(what))))
        tables.records(
            "report_burden_records",
            drill.params(depts=depts_picked, statuses=[]),
            key="rb_records",
            page_size=20,
            file_stem=labels.BURDEN_FILE_RECORDS,
            hide=("station_unit_id",),
        )

    st.subheader(labels.BURDEN_BY_YEAR)
    tables.show(
        summary.assign(avg_retained_types=summary["avg_retained_types"].round(1)), key="rb_years"
    )
    tables.download_buttons(summary, labels.BURDEN_FILE_YEARS, key="rb_years_dl")


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
