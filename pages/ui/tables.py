"""Tables, drill-down record lists (paginated in SQL) and download buttons."""

from __future__ import annotations

import math
from typing import Any, Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.ui import charts, data, export, labels

# A full drill-down download is built on click, off the page run; beyond this many rows an analyst
# should query the warehouse directly rather than pull a spreadsheet through the browser.
EXPORT_LIMIT = 50_000
TOTAL = "total_rows"
# Kept in frames for selection and ordering, never worth a column on screen.
HIDDEN = (
    "unit_id",
    "kind_order",
    "metric_order",
    "stage_order",
    "population",
    "population_order",
    "bucket_order",
    "low_days",
    "high_days",
)
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _is_rate(column: str) -> bool:
    return column.endswith("_rate") or column.startswith("wilson_") or column == "rate"


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    # The grid prints a missing value as "None": show it blank. Number columns with gaps become
    # formatted text (they are for reading; downloads keep the numbers).
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d %H:%M").fillna("")
        elif pd.api.types.is_bool_dtype(values):
            out[column] = values.map({True: labels.YES, False: labels.NO})
        elif pd.api.types.is_numeric_dtype(values) and values.isna().any():
            text = charts.pct if _is_rate(column) else charts.number
            out[column] = [text(v) if pd.notna(v) else "" for v in values]
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(lambda v: "" if v is None or v is pd.NA or v != v else v)
    return out


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    """df with Chinese column names (labels.COLUMNS) and without the pagination total."""
    return df.drop(columns=[TOTAL], errors="ignore").rename(columns=labels.COLUMNS)


def _column_config(df: pd.DataFrame) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for column in df.columns:
        shown = labels.COLUMNS.get(column, column)
        numbers = pd.api.types.is_numeric_dtype(df[column]) and not df[column].isna().any()
        if _is_rate(column) and numbers:
            config[shown] = st.column_config.NumberColumn(shown, format="percent")
    return config


def show(
    df: pd.DataFrame,
    *,
    key: str | None = None,
    select: bool = False,
    hide: tuple[str, ...] = HIDDEN,
    height: int | str = "auto",
) -> pd.DataFrame:
    """Render df with Chinese headers and % columns, without the `hide` columns (ids kept for
    selection); with select=True return the selected row(s) of df."""
    frame = df.drop(columns=[TOTAL], errors="ignore")
    shown = labelled(_readable(frame))
    order = [labels.COLUMNS.get(c, c) for c in frame.columns if c not in hide]
    options: dict[str, Any] = {
        "hide_index": True,
        "column_config": _column_config(frame),
        "column_order": order,
    }
    if select:
        event = st.dataframe(
            shown,
            key=key,
            on_select="rerun",
            selection_mode="single-row",
            height=height,
            **options,
        )
        return frame.iloc[list(event.selection.rows)]
    st.dataframe(shown, key=key, height=height, **options)
    return frame.iloc[0:0]


def chart_points(fig: go.Figure, *, key: str) -> list[tuple[str, ...]]:
    """Render a figure with click selection; return each selected point's customdata."""
    event = st.plotly_chart(
        fig, key=key, on_select="rerun", selection_mode=("points",), config={"displaylogo": False}
    )
    picked: list[tuple[str, ...]] = []
    for point in event.selection.points if event else []:
        custom = point.get("customdata")
        if custom is None:
            continue
        values = tuple(str(v) for v in (custom if isinstance(custom, (list, tuple)) else [custom]))
        if values and values not in picked:
            picked.append(values)
    return picked


def chart(fig: go.Figure, *, key: str) -> list[str]:
    """Render a figure with click selection; return the first customdata value of each point."""
    return list(dict.fromkeys(values[0] for values in chart_points(fig, key=key)))


def download_buttons(
    df: pd.DataFrame | Callable[[], pd.DataFrame],
    file_stem: str,
    key: str,
    *,
    csv_label: str = labels.DOWNLOAD_CSV,
    xlsx_label: str = labels.DOWNLOAD_XLSX,
) -> None:
    """CSV (UTF-8 with BOM) and XLSX buttons; the bytes are made on click, and the page keeps its
    state (on_click="ignore", PITFALLS S7). df may be a frame or a function returning one."""

    def frame() -> pd.DataFrame:
        return labelled(df() if callable(df) else df)

    row = st.container(horizontal=True, gap="small")
    row.download_button(
        csv_label,
        lambda: export.to_csv_bytes(frame()),
        file_name=f"{file_stem}.csv",
        mime=CSV_MIME,
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    row.download_button(
        xlsx_label,
        lambda: export.to_xlsx_bytes(frame(), sheet_name=labels.SHEET),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )


def records(
    query_name: str, params: dict[str, Any], *, key: str, page_size: int = 50, file_stem: str = ""
) -> int:
    """Render one page of a drill-down query (it takes $limit/$offset and returns a total_rows
    column), a pager and full downloads; return the number of matching records."""
    page_key = f"{key}_page"
    page = int(st.session_state.get(page_key) or 1)
    rows = data.fetch(query_name, **params, limit=page_size, offset=(page - 1) * page_size)
    if rows.empty and page > 1:
        # The filters changed under a later page: start again from the first.
        page = 1
        st.session_state[page_key] = 1
        rows = data.fetch(query_name, **params, limit=page_size, offset=0)
    total = int(rows[TOTAL].iloc[0]) if not rows.empty else 0
    if total == 0:
        st.info(labels.NO_RECORDS)
        return 0
    pages = max(1, math.ceil(total / page_size))
    show(rows, key=f"{key}_table")
    row = st.container(horizontal=True, vertical_alignment="center")
    with row:
        st.pagination(pages, key=page_key)
        st.caption(labels.PAGE_INFO.format(total=f"{total:,}", page=page, pages=pages))
    capped = min(total, EXPORT_LIMIT)
    suffix = labels.DOWNLOAD_CAPPED.format(n=f"{EXPORT_LIMIT:,}") if total > EXPORT_LIMIT else ""
    download_buttons(
        lambda: data.fetch_uncached(query_name, **params, limit=EXPORT_LIMIT, offset=0),
        file_stem or query_name,
        key,
        csv_label=labels.DOWNLOAD_ALL_CSV.format(n=f"{capped:,}") + suffix,
        xlsx_label=labels.DOWNLOAD_ALL_XLSX.format(n=f"{capped:,}") + suffix,
    )
    return total
