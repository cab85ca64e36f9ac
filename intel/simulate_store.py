"""The routing simulator's rows, one month at a time, from the warehouse's named queries.

A month's cases are proposed by a model trained on the HISTORY_ROWS most recent cases received
in the HISTORY_MONTHS months before the month began; only the texts of the rows that model
samples are read (a province's year of texts would not fit a page's memory or time). The month
is replayed bureau-wide and unmasked, so its figures do not depend on who asks: the page keeps it
to the user's tree and period, and shows no text of it.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries
from intel import simulate

HISTORY_ROWS = 50_000
HISTORY_MONTHS = 12


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of each calendar month that [start, end] touches."""
    months = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M")
    return [m.start_time.date() for m in months]


def replay_month(con: duckdb.DuckDBPyConnection, month: dt.date) -> pd.DataFrame:
    """intel.simulate.replay_month of every case (with a final handling unit) received in the
    month that begins on `month`."""
    last = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    cases = queries.run(con, "intel_simulation_cases", start=month, end=last, scope="*")
    window = queries.run(con, "intel_simulation_history", start=month, months=HISTORY_MONTHS)
    sample = simulate.training_sample(window, HISTORY_ROWS)
    texts = queries.run(con, "intel_simulation_texts", ids=sample["case_id"].tolist())
    sample = sample.merge(texts, on="case_id", how="left")  # keeps the sample's order
    return simulate.replay_month(cases, sample, queries.run(con, "intel_routing_rules"))
