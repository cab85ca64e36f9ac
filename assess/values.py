"""Every unit's figures for a period, as the scheme scores them: one row per unit from
queries/assessment_unit_values.sql (satisfaction, replies, cases, rectification, over the unit's
tree) with the report burden of report_burden_by_station.sql beside it (stations; the newest
ledger year in the period). `fetch` runs a named query: pages pass pages.ui.data.fetch (cached and
scoped), the briefing and tests a function on a reader."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

Fetch = Callable[..., pd.DataFrame]


def unit_values(fetch: Fetch, params: dict[str, Any]) -> pd.DataFrame:
    """The figures of every unit in the chosen units and the reader's tree (params: the standard
    query parameters of pages.ui.filters.Filters.params, plus `line` for the burden line)."""
    units = fetch("assessment_unit_values", **params)
    ledger = fetch("report_burden_by_station", **params)
    newest = (
        ledger.sort_values("year")
        .groupby("station_unit_id")
        .tail(1)[["station_unit_id", "year", "listed_types", "retained_types"]]
        .rename(columns={"station_unit_id": "unit_id", "year": "ledger_year"})
    )
    out = units.merge(newest, on="unit_id", how="left")
    out["listed_types"] = out["listed_types"].fillna(0).astype(int)
    return out
