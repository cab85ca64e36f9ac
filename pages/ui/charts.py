"""Plotly figure builders and number formatting; they return objects and never call st.*.

Plotly renders HTML in labels, legends and hovers: every value from the data that a figure carries
(axis categories, trace names, customdata) goes through escape.html(); tables.chart_points() turns
a selection's customdata back into the values themselves."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pages.ui import escape, labels

# The browser draws the text: name CJK fonts first so Chinese never falls back to boxes.
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
BLUE, RED, GREY, GREEN = "#1f77b4", "#d62728", "#9e9e9e", "#2ca02c"


def is_missing(value: object) -> bool:
    """None, NaN, NaT and pd.NA (no figure); a list or array is never missing."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def pct(value: float | None, digits: int = 1) -> str:
    """A 0-1 rate as a percentage: 0.9735 -> '97.4%'."""
    if is_missing(value):
        return labels.NONE
    return f"{value * 100:.{digits}f}%"


def number(value: float | None) -> str:
    """A count with thousands separators; one decimal when it is not whole."""
    if is_missing(value):
        return labels.NONE
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _title(column: str) -> str:
    return labels.COLUMNS.get(column, column)


def _texts(values: pd.Series) -> list[str]:
    """Values from the data as plotly text: escaped, so shown and not rendered."""
    return [escape.html(v) for v in values.astype(str)]


def _custom(frame: pd.DataFrame) -> list[list[str]]:
    """Selection keys (customdata), escaped like the labels: plotly may show them in a hover."""
    return [_texts(row) for _, row in frame.astype(str).iterrows()]


def _layout(fig: go.Figure, *, height: int, title: str | None) -> go.Figure:
    fig.update_layout(
        height=height,
        title=escape.html(title) if title else None,
        font={"family": FONT},
        # Top room even without a title: plotly's toolbar would cover the first bar, and a click
        # meant for it would hit a toolbar button.
        margin={"l": 10, "r": 10, "t": 40 if title else 32, "b": 10},
        hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "y": -0.2},
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def _axis_format(kind: str) -> dict:
    return {"tickformat": ".1%"} if kind == "pct" else {"tickformat": ","}


def trend(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    kind: str = "pct",
    target: float | None = None,
    low: str | None = None,
    high: str | None = None,
    x_format: str | None = None,
    x_dtick: str | None = None,
    title: str | None = None,
    height: int = 320,
) -> go.Figure:
    """A line over time with markers (a point can be selected), an optional band and target.

    x_format is a d3 time format for the x axis and hover (e.g. "%Y年%m月"), so dates read in
    Chinese rather than plotly's English month names; x_dtick the tick step (e.g. "M1").
    """
    fig = go.Figure()
    if low and high:
        fig.add_trace(
            go.Scatter(
                x=list(df[x]) + list(df[x])[::-1],
                y=list(df[high]) + list(df[low])[::-1],
                fill="toself",
                fillcolor="rgba(31,119,180,0.12)",
                mode="lines",  # plotly's default adds markers to short series: bounds read as data
                line={"width": 0},
                hoverinfo="skip",
                name=f"{_title(low)}–{_title(high)}",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=df[x],
            y=df[y],
            mode="lines+markers",
            name=_title(y),
            line={"color": BLUE},
            customdata=_custom(df[[x]]),
            hovertemplate=f"%{{x{'|' + x_format if x_format else ''}}}<br>{_title(y)}："
            f"%{{y:{'.1%' if kind == 'pct' else ',.1f'}}}<extra></extra>",
        )
    )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": RED, "dash": "dash"},
            annotation_text=labels.TARGET.format(value=pct(target) if kind == "pct" else target),
        )
    fig.update_yaxes(title=None, **_axis_format(kind))
    fig.update_xaxes(title=None, tickformat=x_format, dtick=x_dtick)
    return _layout(fig, height=height, title=title)


def rate_bar(
    df: pd.DataFrame,
    category: str,
    rate: str,
    *,
    low: str | None = None,
    high: str | None = None,
    key: str | None = None,
    flag: str | None = None,
    target: float | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars of a rate per category, with a 95% interval as error bars when given.

    `key` names the column carried as customdata (what a selection returns, default category);
    rows where `flag` is true are drawn grey (e.g. units with too few replies to rank).
    """
    frame = df.iloc[::-1]  # plotly draws the first row at the bottom
    colors = [
        GREY if flag and bool(v) else BLUE for v in (frame[flag] if flag else [0] * len(frame))
    ]
    error = None
    if low and high:
        error = {
            "type": "data",
            "symmetric": False,
            "array": (frame[high] - frame[rate]).tolist(),
            "arrayminus": (frame[rate] - frame[low]).tolist(),
            "color": "#555",
            "thickness": 1,
        }
    fig = go.Figure(
        go.Bar(
            x=frame[rate],
            y=_texts(frame[category]),
            orientation="h",
            marker={"color": colors},
            error_x=error,
            customdata=_custom(frame[[key or category]]),
            text=[pct(v) for v in frame[rate]],
            textposition="inside",
            insidetextanchor="end",
            hovertemplate=f"%{{y}}<br>{_title(rate)}：%{{x:.1%}}<extra></extra>",
        )
    )
    if target is not None:
        fig.add_vline(x=target, line={"color": RED, "dash": "dash"})
    fig.update_xaxes(title=_title(rate), tickformat=".0%", range=[0, 1.02])
    fig.update_yaxes(title=None, type="category")
    return _layout(fig, height=height or max(240, 28 * len(frame) + 60), title=title)


def unit_dots(
    df: pd.DataFrame,
    category: str,
    rate: str,
    *,
    low: str | None = None,
    high: str | None = None,
    key: str | None = None,
    flag: str | None = None,
    target: float | None = None,
    max_rows: int = 30,
) -> go.Figure:
    """A league chart: one dot per unit, best at the top, with its 95% interval when given.

    Rows where `flag` is true (too few records to rank) are grey and come last. With more than
    max_rows rows only the best and the worst max_rows/2 ranked units are drawn, and the title
    says so: the full league is the table beside it. The axis fits the data (dots, not bars, so
    a zoomed axis does not exaggerate).
    """
    flags = df[flag].astype(bool) if flag else pd.Series(False, index=df.index)
    ranked = df[~flags].sort_values(rate, ascending=False, na_position="last")
    title = None
    if len(df) > max_rows:
        half = max_rows // 2
        frame = pd.concat([ranked.head(half), ranked.tail(half)]).drop_duplicates()
        title = labels.LEAGUE_TRIMMED.format(n=half, total=len(df))
    else:
        frame = pd.concat([ranked, df[flags].sort_values(rate, ascending=False)])
    small = frame[flag].astype(bool) if flag else pd.Series(False, index=frame.index)
    error = None
    if low and high:
        error = {
            "type": "data",
            "symmetric": False,
            "array": (frame[high] - frame[rate]).tolist(),
            "arrayminus": (frame[rate] - frame[low]).tolist(),
            "color": "#9ab",
            "thickness": 1.5,
        }
    fig = go.Figure(
        go.Scatter(
            x=frame[rate],
            y=_texts(frame[category]),
            mode="markers",
            marker={"color": [GREY if v else BLUE for v in small], "size": 9},
            error_x=error,
            customdata=_custom(frame[[key or category]]),
            hovertemplate=f"%{{y}}<br>{_title(rate)}：%{{x:.1%}}<extra></extra>",
        )
    )
    if target is not None:
        fig.add_vline(x=target, line={"color": RED, "dash": "dash"})
    fig.update_xaxes(title=_title(rate), tickformat=".1%")
    fig.update_yaxes(title=None, type="category", autorange="reversed")
    return _layout(fig, height=max(240, 22 * len(frame) + 80), title=title)


def count_bar(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    color: str | None = None,
    key: str | None = None,
    horizontal: bool = False,
    barmode: str = "stack",
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Bars of a count per category, stacked (or grouped, barmode="group") by `color` when given;
    a selected bar's customdata is its `key` (default x) and, when stacked, its `color` value."""
    fig = go.Figure()
    groups = df.groupby(color, sort=False) if color else [(None, df)]
    for name, part in groups:
        cats, vals = _texts(part[x]), part[y]
        fig.add_trace(
            go.Bar(
                x=vals if horizontal else cats,
                y=cats if horizontal else vals,
                orientation="h" if horizontal else "v",
                name=escape.html(name) if name is not None else _title(y),
                customdata=_custom(part[[key or x] + ([color] if color else [])]),
                # The trace's (escaped) name, never the value itself inside the template.
                hovertemplate=f"%{{{'y' if horizontal else 'x'}}}<br>{_title(y)}："
                f"%{{{'x' if horizontal else 'y'}:,}}"
                f"<extra>{'%{fullData.name}' if color else ''}</extra>",
            )
        )
    fig.update_layout(barmode=barmode, showlegend=color is not None)
    value_axis = {"title": _title(y), "tickformat": ","}
    cat_axis = {"title": None, "type": "category"}
    if horizontal:
        fig.update_xaxes(**value_axis)
        fig.update_yaxes(autorange="reversed", **cat_axis)
    else:
        fig.update_yaxes(**value_axis)
        fig.update_xaxes(**cat_axis)
    rows = df[x].nunique() if horizontal else 0
    return _layout(fig, height=height or max(320, 28 * rows + 100), title=title)


def change_bar(
    df: pd.DataFrame,
    category: str,
    change: str,
    *,
    key: str | None = None,
    flag: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of a change in a rate (percentage points), green up and red down; rows
    where `flag` is true are grey (too few records for the change to mean much)."""
    frame = df.iloc[::-1]
    flags = frame[flag].astype(bool) if flag else pd.Series(False, index=frame.index)
    colors = [
        GREY if small else (GREEN if (v or 0) >= 0 else RED)
        for v, small in zip(frame[change], flags)
    ]
    fig = go.Figure(
        go.Bar(
            x=frame[change],
            y=_texts(frame[category]),
            orientation="h",
            marker={"color": colors},
            customdata=_custom(frame[[key or category]]),
            text=[f"{v * 100:+.1f}" if pd.notna(v) else labels.NONE for v in frame[change]],
            textposition="auto",
            hovertemplate=f"%{{y}}<br>{_title(change)}：%{{x:+.1%}}<extra></extra>",
        )
    )
    fig.update_xaxes(title=_title(change), tickformat="+.0%", zeroline=True)
    fig.update_yaxes(title=None, type="category")
    return _layout(fig, height=max(240, 28 * len(frame) + 60), title=title)


def funnel(df: pd.DataFrame, stage: str, n: str, *, title: str | None = None) -> go.Figure:
    """A workflow funnel: one bar per stage in the order given, with counts and share of the
    first."""
    fig = go.Figure(
        go.Funnel(
            y=_texts(df[stage]),
            x=df[n],
            textinfo="value+percent initial",
            marker={"color": BLUE},
            hovertemplate=f"%{{y}}<br>{_title(n)}：%{{x:,}}<extra></extra>",
        )
    )
    return _layout(fig, height=60 * len(df) + 60, title=title)


def distribution_figure(df: pd.DataFrame, line: int, width: int, chosen: int) -> go.Figure:
    """Histogram of stations per bucket of retained report types (report_burden_distribution),
    one trace per year (the chosen year in colour, the others grey), with the burden line: a move
    below the line shows at once."""
    fig = go.Figure()
    for year, part in df.groupby("year", sort=True):
        name = labels.BURDEN_YEAR_VALUE.format(year=year)
        fig.add_trace(
            go.Bar(
                x=part["bucket_low"] + width / 2,
                y=part["stations"],
                width=[width * 0.95] * len(part),
                name=name,
                marker={"color": BLUE if year == chosen else GREY},
                opacity=0.85 if year == chosen else 0.5,
                customdata=part[["bucket_low", "bucket_high"]].to_numpy(),
                hovertemplate=f"{labels.BURDEN_TYPES_RANGE}：%{{customdata[0]}}–%{{customdata[1]}}"
                f"<br>{labels.BURDEN_STATIONS}：%{{y}}<extra>{name}</extra>",
            )
        )
    fig.add_vline(
        x=line,
        line={"color": RED, "dash": "dash"},
        annotation_text=labels.BURDEN_LINE.format(line=line),
        annotation_position="top left",
    )
    top = max(int(df["bucket_high"].max()) + 1 if not df.empty else 0, line) + width
    fig.update_xaxes(title=labels.BURDEN_TYPES_RANGE, range=[0, top])
    fig.update_yaxes(title=labels.BURDEN_STATIONS, tickformat=",d")
    _layout(fig, height=360, title=None)
    # Room above for the line's label, below for the legend of years.
    fig.update_layout(
        barmode="overlay",
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return fig
