"""The routing simulator's rows, one month at a time, from the warehouse's named queries.

A month's cases are proposed by a model trained on the HISTORY_ROWS most recent cases received
in the HISTORY_MONTHS months before the month began; only the texts of the rows that model
samples are read (a province's year of texts would not fit a page's memory or time). The month
is replayed bureau-wide and unmasked, so its figures do not depend on who asks: the page keeps it
to the user's tree and period, and shows no text of it.

Replaying a province month fits a model over hundreds of units (minutes), so the job a load
starts (intel.jobs) stores the recent months' proposals in simulation_replays with a fingerprint
of what they depended on; `month` reads a stored month while its fingerprint still holds and
replays live otherwise. Both give the same frame.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries
from intel import simulate

HISTORY_ROWS = 50_000
HISTORY_MONTHS = 12
# Part of every fingerprint: a change to how a month is replayed makes stored months stale.
REPLAY_VERSION = f"v1:{HISTORY_ROWS}:{HISTORY_MONTHS}"


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


def fingerprint(con: duckdb.DuckDBPyConnection, month: dt.date) -> str:
    """What the replay of `month` depends on (intel_simulation_fingerprint), with the replay's
    own version."""
    found = queries.run(con, "intel_simulation_fingerprint", start=month, months=HISTORY_MONTHS)
    return f"{REPLAY_VERSION}|{found['fingerprint'].iloc[0]}"


def stored(con: duckdb.DuckDBPyConnection, month: dt.date) -> pd.DataFrame | None:
    """The stored replay of `month` when its fingerprint is still the warehouse's, else None."""
    try:
        found = con.execute(
            "select fingerprint, cases from simulation_replay_months where month = $month",
            {"month": month},
        ).fetchone()
    except duckdb.CatalogException:  # a warehouse from before 024_simulation_replays
        return None
    # An empty month replays live at no cost (and keeps the live frame's columns).
    if found is None or found[1] == 0 or found[0] != fingerprint(con, month):
        return None
    rows = queries.run(con, "intel_simulation_replay", start=month)
    if len(rows) != found[1]:
        return None
    rows["proposal"] = rows["proposal"].astype(object).where(rows["proposal"].notna(), None)
    rows["rule_id"] = rows["rule_id"].astype(object).where(rows["rule_id"].notna(), None)
    return simulate.finish(rows)


def month(con: duckdb.DuckDBPyConnection, start: dt.date) -> pd.DataFrame:
    """The replay of the month beginning on `start`: stored when still valid, else live."""
    found = stored(con, start)
    return found if found is not None else replay_month(con, start)


def save(
    con: duckdb.DuckDBPyConnection, start: dt.date, made_from: str, replay: pd.DataFrame
) -> None:
    """Store `replay` (replay_month's frame) as the month's, under fingerprint `made_from`; on the
    loader's write connection (etl.store.write)."""
    rows = replay[["source_system", "case_id", "proposal", "confidence", "by_rule", "rule_id"]]
    con.execute("delete from simulation_replays where month = $month", {"month": start})
    con.execute("delete from simulation_replay_months where month = $month", {"month": start})
    con.register("_replay", rows)
    try:
        con.execute(
            "insert into simulation_replays select $month, source_system, case_id,"
            " proposal::varchar, confidence::double, by_rule::boolean, rule_id::varchar"
            " from _replay",
            {"month": start},
        )
    finally:
        con.unregister("_replay")
    con.execute(
        "insert into simulation_replay_months values ($month, $print, $cases, now())",
        {"month": start, "print": made_from, "cases": len(rows)},
    )


def recent_months(con: duckdb.DuckDBPyConnection, count: int) -> list[dt.date]:
    """The first days of the `count` latest months that have complaints, newest last."""
    latest = con.execute("select max(received_at)::date from complaints").fetchone()[0]
    if latest is None or count < 1:
        return []
    last = dt.date(latest.year, latest.month, 1)
    first = (pd.Timestamp(last) - pd.DateOffset(months=count - 1)).date()
    return month_starts(first, last)
