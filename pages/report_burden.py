"""报表负担: report types stations keep filling, against the burden line, by office and by year."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.ui import cards, charts, filters, labels, tables
from pages.ui.data import fetch, settings

# Strings and column labels of this page; candidates for pages/ui/labels.py.
CAPTION = (
    "派出所每年需填报的报表（台账按年度导入，日期筛选取其所含年度）。同一报表多个部门要求只计一种；"
    "「保留」之外的合并、取消不计入负担。"
)
YEAR = "年度"
YEAR_VALUE = "{year}年"
NO_YEAR = (
    "所选日期范围和单位没有报表台账（台账按派出所、按年度导入）。请把日期范围放宽到包含已导入台账的年度，"
    "或选择分局、派出所；尚未导入时请在「数据导入」上传报表台账。"
)
KPI_AVG = "站均保留报表"
KPI_AT_LINE = "{line}种以上占比"
KPI_HAND = "手工填报占比"
KPI_DEPTS = "仍有要求的部门"
KPI_ZERO = "已清零的部门"
FORMULA_AVG = "站均保留报表 = 各派出所保留报表种类数之和 / 派出所数。按年度统计，同比为上一年度；无环比。"
FORMULA_AT_LINE = "占比 = 保留报表达到 {line} 种及以上的派出所 / 派出所数。按年度统计，同比为上一年度。"
FORMULA_HAND = "手工填报占比 = 手工填报的保留报表种类 / 保留报表种类（按派出所计）。同比为上一年度。"
FORMULA_DEPTS = "仍要求派出所填报至少一种保留报表的部门数。同比为上一年度。"
FORMULA_ZERO = "台账中列出、但其全部要求已合并或取消的部门数；分母为台账中列出的部门数。同比为上一年度。"
DISTRIBUTION = "保留报表种类的分布"
DISTRIBUTION_CAPTION = (
    "每根柱为一个区间内的派出所数，蓝色为所选年度、灰色为其他年度；红色虚线为负担线"
    "（{line} 种，可在设置 report_burden_line 中调整）。"
)
LINE = "负担线 {line} 种"
STATIONS = "派出所数"
TYPES_RANGE = "保留报表种类"
BY_STATION = "{year}年各派出所"
BY_DEPT = "{year}年仍要求填报的部门"
ZERO_DEPTS = "已清零（全部合并或取消）：{depts}"
NO_ZERO_DEPTS = "尚无部门清零。"
BY_YEAR = "逐年变化"
FILE_STATIONS = "报表负担_派出所"
FILE_DEPTS = "报表负担_部门"
FILE_YEARS = "报表负担_逐年"
COLUMNS = {
    "year": "年度",
    "station_name": "派出所",
    "listed_types": "台账报表种类",
    "retained_types": "保留报表种类",
    "hand_filled_types": "手工填报种类",
    "hand_share": "手工填报占比",
    "demanding_depts": "要求部门数",
    "at_or_above_line": "达到负担线",
    "demanding_dept": "要求部门",
    "listed_demands": "台账要求数",
    "retained_demands": "保留要求数",
    "stations": "派出所数",
    "hand_filled_demands": "手工填报要求数",
    "at_zero": "已清零",
    "stations_at_line": "达到负担线的派出所",
    "share_at_line": "达到负担线占比",
    "avg_retained_types": "站均保留报表",
    "max_retained_types": "最多保留报表",
    "depts_listed": "台账列出部门",
    "depts_at_zero": "已清零部门",
}
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


def distribution_figure(df: pd.DataFrame, line: int, width: int, chosen: int) -> go.Figure:
    """Histogram of stations per bucket of retained report types, one trace per year (the chosen
    year in colour, the others grey), with the burden line: a move below the line shows at once."""
    fig = go.Figure()
    for year, part in df.groupby("year", sort=True):
        fig.add_trace(
            go.Bar(
                x=part["bucket_low"] + width / 2,
                y=part["stations"],
                width=[width * 0.95] * len(part),
                name=YEAR_VALUE.format(year=year),
                marker={"color": charts.BLUE if year == chosen else charts.GREY},
                opacity=0.85 if year == chosen else 0.5,
                customdata=part[["bucket_low", "bucket_high"]].to_numpy(),
                hovertemplate=f"{TYPES_RANGE}：%{{customdata[0]}}–%{{customdata[1]}}<br>"
                f"{STATIONS}：%{{y}}<extra>{YEAR_VALUE.format(year=year)}</extra>",
            )
        )
    fig.add_vline(x=line, line={"color": charts.RED, "dash": "dash"},
                  annotation_text=LINE.format(line=line), annotation_position="top left")
    top = max(int(df["bucket_high"].max()) + 1 if not df.empty else 0, line) + width
    fig.update_xaxes(title=TYPES_RANGE, range=[0, top])
    fig.update_yaxes(title=STATIONS, tickformat=",d")
    fig.update_layout(height=360, barmode="overlay", font={"family": charts.FONT},
                      dragmode=False, legend={"orientation": "h", "y": -0.25},
                      margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def _cards(now: pd.Series, before: pd.Series | None, line: int, year: int) -> None:
    prior = before if before is not None else pd.Series(dtype=object)
    # (label, value, kind, higher is better, formula, numerator, denominator)
    specs = (
        (KPI_AVG, "avg_retained_types", "count", False, FORMULA_AVG, "retained_types", "stations"),
        (KPI_AT_LINE.format(line=line), "share_at_line", "pct", False,
         FORMULA_AT_LINE.format(line=line), "stations_at_line", "stations"),
        (KPI_HAND, "hand_share", "pct", False, FORMULA_HAND, "hand_filled_types",
         "retained_types"),
        (KPI_DEPTS, "demanding_depts", "count", False, FORMULA_DEPTS, None, None),
        (KPI_ZERO, "depts_at_zero", "count", True, FORMULA_ZERO, "depts_at_zero", "depts_listed"),
    )
    for column, (label, key, kind, higher, formula, num, den) in zip(st.columns(5), specs):
        with column:
            cards.kpi(
                label, now[key], last_year=prior.get(key), kind=kind, higher_is_better=higher,
                numerator=now[num] if num else None, denominator=now[den] if den else None,
                formula=formula, period=YEAR_VALUE.format(year=year),
            )


def render() -> None:
    """Draw the page."""
    labels.COLUMNS.update(COLUMNS)
    f = filters.current()
    line = _line()
    st.title(labels.TITLES["report_burden"])
    st.caption(CAPTION)
    summary = fetch("report_burden_summary", **f.params(line=line))
    if summary.empty:
        st.info(NO_YEAR)
        return
    years = summary["year"].astype(int).tolist()
    year = st.selectbox(YEAR, years, index=len(years) - 1,
                        format_func=lambda y: YEAR_VALUE.format(year=y), key="rb_year", width=200)
    now = summary.set_index("year").loc[year]
    before = fetch("report_burden_summary", **_year_params(f, year - 1, line=line))
    _cards(now, before.iloc[0] if not before.empty else None, line, year)

    dist_col, dept_col = st.columns(2)
    with dist_col:
        st.subheader(DISTRIBUTION)
        width = _bucket_width(int(summary["max_retained_types"].max()))
        dist = fetch("report_burden_distribution", **f.params(bucket_width=width))
        st.plotly_chart(distribution_figure(dist, line, width, year), key="rb_distribution")
        st.caption(DISTRIBUTION_CAPTION.format(line=line))
    with dept_col:
        st.subheader(BY_DEPT.format(year=year))
        depts = fetch("report_burden_by_dept", **_year_params(f, year))
        asking = depts[~depts["at_zero"]]
        st.plotly_chart(charts.count_bar(asking, "demanding_dept", "retained_demands",
                                         horizontal=True, height=28 * len(asking) + 80),
                        key="rb_depts")
        zero = depts.loc[depts["at_zero"], "demanding_dept"].tolist()
        st.caption(ZERO_DEPTS.format(depts="、".join(zero)) if zero else NO_ZERO_DEPTS)
        tables.download_buttons(depts, FILE_DEPTS, key="rb_depts_dl")

    st.subheader(BY_STATION.format(year=year))
    stations = fetch("report_burden_by_station", **_year_params(f, year, line=line))
    shown = stations.assign(hand_share=stations["hand_share"].map(charts.pct),
                            at_or_above_line=stations["at_or_above_line"].map(
                                {True: labels.YES, False: labels.NO}))
    tables.show(shown, hide=(*tables.HIDDEN, "station_unit_id", "year"), key="rb_stations",
                height=420)
    tables.download_buttons(stations, FILE_STATIONS, key="rb_stations_dl")

    st.subheader(BY_YEAR)
    by_year = summary.assign(share_at_line=summary["share_at_line"].map(charts.pct),
                             hand_share=summary["hand_share"].map(charts.pct),
                             avg_retained_types=summary["avg_retained_types"].round(1))
    tables.show(by_year, key="rb_years")
    tables.download_buttons(summary, FILE_YEARS, key="rb_years_dl")


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
