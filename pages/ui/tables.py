"""Tables, drill-down record lists (paginated in SQL) and download buttons.

Text shown or downloaded here is masked for roles that do not see personal data, also when a page
built the frame itself; downloads are offered only to roles that may export, and each is audited
when the file is made (the deferred download callable runs only on click).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from auth import audit
from etl import masking
from pages.ui import charts, data, escape, export, gate, labels, labels_unit, unit_links

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
# A unit name column and the id column its profile link is built from (links=True).
UNIT_NAMES = {
    "unit_name": "unit_id",
    "station_name": "station_unit_id",
    "target_unit_name": "target_unit_id",
}
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_rate(column: str) -> bool:
    """A 0-1 share by its name (…_rate, …_share, share_…, wilson_…): shown as a percentage."""
    return (
        column.endswith(("_rate", "_share"))
        or column.startswith(("wilson_", "share_"))
        or column in ("rate", "share")
    )


def _is_date(column: str) -> bool:
    # Columns named …_on hold dates; a day column is a date too.
    return column.endswith("_on") or column == "day"


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    # The grid prints a missing value as "None": show it blank. Number columns with gaps become
    # formatted text, rates with one decimal; whole rate columns become percent numbers, which the
    # grid formats and still sorts as numbers (they are for reading; downloads keep the values).
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            style = "%Y-%m-%d" if _is_date(column) else "%Y-%m-%d %H:%M"
            out[column] = values.dt.strftime(style).fillna("")
        elif pd.api.types.is_bool_dtype(values):
            out[column] = values.map({True: labels.YES, False: labels.NO})
        elif pd.api.types.is_numeric_dtype(values) and values.isna().any():
            text = charts.pct if is_rate(column) else charts.number
            out[column] = [text(v) if pd.notna(v) else "" for v in values]
        elif pd.api.types.is_numeric_dtype(values) and is_rate(column):
            out[column] = values * 100
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(_text)
    return out


def _text(value: Any) -> Any:
    if charts.is_missing(value):
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    """df with Chinese column names (labels.COLUMNS) and without the pagination total."""
    return df.drop(columns=[TOTAL], errors="ignore").rename(columns=labels.COLUMNS)


def _column_config(df: pd.DataFrame) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for column in df.columns:
        shown = labels.COLUMNS.get(column, column)
        numbers = pd.api.types.is_numeric_dtype(df[column]) and not df[column].isna().any()
        if is_rate(column) and numbers:
            config[shown] = st.column_config.NumberColumn(shown, format="%.1f%%")
    return config


def show(
    df: pd.DataFrame,
    *,
    key: str | None = None,
    select: bool = False,
    hide: tuple[str, ...] = HIDDEN,
    height: int | str = "auto",
    links: bool = False,
) -> pd.DataFrame:
    """Render df with Chinese headers and % columns, without the `hide` columns (df keeps them,
    so a selection still has its ids); with select=True return the selected row(s) of df. With
    links=True a unit name column gets a link to the unit's profile beside it."""
    frame = df.drop(columns=[TOTAL], errors="ignore")
    visible = frame.drop(columns=[c for c in hide if c in frame.columns])
    if not gate.sees_personal_data():
        visible = masking.mask_frame(visible)
    shown = labelled(_readable(visible))
    options: dict[str, Any] = {"hide_index": True, "column_config": _column_config(visible)}
    if links:
        _add_profile_links(shown, frame, visible, options["column_config"])
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


def _add_profile_links(
    shown: pd.DataFrame, frame: pd.DataFrame, visible: pd.DataFrame, config: dict[str, Any]
) -> None:
    # The link is built from the row's unit id, never from the name it sits beside; the grid
    # shows a fixed text for it, so no value from the data becomes a link's label.
    for name, unit_id in UNIT_NAMES.items():
        if name in visible.columns and unit_id in frame.columns:
            at = list(visible.columns).index(name) + 1
            shown.insert(at, labels_unit.PROFILE_COLUMN, unit_links.links(frame[unit_id]).values)
            config[labels_unit.PROFILE_COLUMN] = st.column_config.LinkColumn(
                labels_unit.PROFILE_COLUMN,
                display_text=labels_unit.PROFILE_LINK,
                help=labels_unit.PROFILE_LINK_HELP,
            )
            return


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
        # charts.py escapes customdata like every text it draws: hand back the values themselves.
        values = tuple(
            escape.unhtml(str(v))
            for v in (custom if isinstance(custom, (list, tuple)) else [custom])
        )
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
    """CSV (UTF-8 with BOM) and XLSX buttons for roles that may export; the bytes are made on
    click, and the page keeps its state (on_click="ignore", docs/pitfalls.md S7). df may be a
    frame or a function returning one. Who downloads is taken now: the click runs off the page
    run."""
    if not gate.can("export"):
        return
    masked = not gate.sees_personal_data()
    who, client = gate.username(), gate.client()

    def made(name: str, to_bytes: Callable[[pd.DataFrame], bytes]) -> Callable[[], bytes]:
        def build() -> bytes:
            frame = df() if callable(df) else df
            frame = labelled(masking.mask_frame(frame) if masked else frame)
            audit.record(
                "export",
                username=who,
                client=client,
                detail=labels.EXPORT_DETAIL.format(file=name, rows=len(frame)),
            )
            return to_bytes(frame)

        return build

    row = st.container(horizontal=True, gap="small")
    row.download_button(
        csv_label,
        made(f"{file_stem}.csv", export.to_csv_bytes),
        file_name=f"{file_stem}.csv",
        mime=CSV_MIME,
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    row.download_button(
        xlsx_label,
        made(f"{file_stem}.xlsx", lambda f: export.to_xlsx_bytes(f, sheet_name=labels.SHEET)),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )


def page_call(
    query_name: str, params: dict[str, Any], *, key: str, page_size: int
) -> tuple[str, dict[str, Any]]:
    """The query and parameters records() reads for the page its pager `key` is on (for
    data.prefetch)."""
    page = int(st.session_state.get(f"{key}_page") or 1)
    return query_name, {**params, "limit": page_size, "offset": (page - 1) * page_size}


def records(
    query_name: str,
    params: dict[str, Any],
    *,
    key: str,
    page_size: int = 50,
    file_stem: str = "",
    hide: tuple[str, ...] = (),
) -> int:
    """Render one page of a drill-down query (it takes $limit/$offset and returns a total_rows
    column), a pager and full downloads; return the number of matching records. `hide` names
    columns of this query to leave out of the table and the downloads (e.g. is_suppressed)."""
    page_key = f"{key}_page"
    page = int(st.session_state.get(page_key) or 1)
    _, paged = page_call(query_name, params, key=key, page_size=page_size)
    rows = data.fetch(query_name, **paged)
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
    show(rows, key=f"{key}_table", hide=(*HIDDEN, *hide), links=True)
    row = st.container(horizontal=True, vertical_alignment="center")
    with row:
        st.pagination(pages, key=page_key)
        st.caption(labels.PAGE_INFO.format(total=f"{total:,}", page=page, pages=pages))
    capped = min(total, EXPORT_LIMIT)
    suffix = labels.DOWNLOAD_CAPPED.format(n=f"{EXPORT_LIMIT:,}") if total > EXPORT_LIMIT else ""
    # The download runs off the page run: the scope is fixed now; download_buttons masks.
    scoped = {**params, "scope": gate.scope()}
    download_buttons(
        lambda: data.fetch_uncached(
            query_name, masked=False, **scoped, limit=EXPORT_LIMIT, offset=0
        ).drop(columns=list(hide), errors="ignore"),
        file_stem or query_name,
        key,
        csv_label=labels.DOWNLOAD_ALL_CSV.format(n=f"{capped:,}") + suffix,
        xlsx_label=labels.DOWNLOAD_ALL_XLSX.format(n=f"{capped:,}") + suffix,
    )
    return total
