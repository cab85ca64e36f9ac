"""Year-last dates (12/31/2016, 31/12/2016): month or day first is decided per column, never per value.

A column whose year-last dates have a second part above 12 and no first part above 12 is month
first (12/31/2016); the other way round it is day first (31/12/2016). When the column leaves a
doubt (03/05/2016 only, or both shapes) its year-last dates stay unread and the rows say why.
"""

from __future__ import annotations

import duckdb

# RE2, as DuckDB runs it: day or month, day or month, a four-digit year, at the start.
YEAR_LAST = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"
MONTH_FIRST, DAY_FIRST, YEAR_FIRST = "to_ts_mdy", "to_ts_dmy", "to_ts"


def parser(con: duckdb.DuckDBPyConnection, raw: str, params: dict) -> str:
    """The normalise.sql macro that reads the timestamps of column `raw` (SQL over `_raw as r`)."""
    bound = {"p": YEAR_LAST} | {k: v for k, v in params.items() if f"${k}" in raw}
    # `raw` is a column of _raw or a bound fixed value, made by the loader; values are bound.
    first, second = con.execute(
        "select max(try_cast(regexp_extract(v, $p, 1) as integer)),"
        " max(try_cast(regexp_extract(v, $p, 2) as integer))"
        f" from (select {raw} as v from _raw as r) where regexp_matches(v, $p)",
        bound,
    ).fetchone()
    if first is None:
        return YEAR_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    if first > 12 >= second:
        return DAY_FIRST
    return YEAR_FIRST
