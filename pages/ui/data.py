"""Cached, read-only access to the warehouse for pages: named queries only, never whole tables.

Everything a page shows leaves the warehouse here, so two rules are enforced here and nowhere
else can forget them: a query that takes $scope gets the signed-in account's scope (whatever the
caller passed), and text is masked (etl.masking) unless the account's role sees personal data.
Both are arguments of the cached function, so they are part of every cache key
(docs/pitfalls.md S5).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

import queries
from etl import masking
from pages.ui import signed_in
from queries import db

# Background queries of prefetch(): DuckDB runs a query without Python's lock, so a page's later
# queries overlap its earlier ones and its drawing; few, as the server has few cores.
PREFETCH_WORKERS = 3
_prefetcher = ThreadPoolExecutor(max_workers=PREFETCH_WORKERS, thread_name_prefix="prefetch")


def _arguments(name: str, params: dict[str, Any]) -> tuple:
    # Taken on the page's run: the account (scope, masking) is known only there.
    identity = db.identity(_existing_path())
    declared = queries.params_of(name)
    wanted = {k: v for k, v in params.items() if k in declared}
    if "scope" in declared:
        wanted["scope"] = signed_in.scope()
    return queries.load(name), identity, name, wanted, not signed_in.sees_personal_data()


def fetch(name: str, **params: Any) -> pd.DataFrame:
    """Run named query `name` with bound params; cached on SQL text, the warehouse and
    configuration files, params and whether text is masked."""
    return _fetch(*_arguments(name, params))


def prefetch(calls: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Start the queries (name, params) in the background, to be read later with fetch(name,
    **params): fetch finds the result cached, or waits for the query already under way (the cache
    computes a key once). A query that fails here fails again, and is reported, in fetch."""
    for name, params in calls:
        _prefetcher.submit(_fetch, *_arguments(name, params))


def one(name: str, **params: Any) -> dict[str, Any]:
    """The single row of a summary query as a dict ({} when it returns no row)."""
    frame = fetch(name, **params)
    return frame.iloc[0].to_dict() if not frame.empty else {}


def fetch_uncached(name: str, *, masked: bool = True, **params: Any) -> pd.DataFrame:
    """The same query without Streamlit's cache: for deferred downloads, which run off-script and
    so cannot ask who is signed in; the caller passes the scope in params and `masked`, both taken
    while the page ran."""
    with db.read() as con:
        frame = queries.run(con, name, **params)
    return masking.mask_frame(frame) if masked else frame


def _existing_path():
    path = db.db_path()
    if not path.exists():
        raise db.NoDatabase(f"数据库 {path} 不存在。先生成演示数据：python -m demo --db {path}")
    return path


# sql_text and identity are not used in the body: they are in the signature so that editing a .sql
# file or swapping in a newly loaded warehouse changes the cache key. No argument may
# start with "_", which st.cache_data would leave out of the key (docs/pitfalls.md S6).
@st.cache_data(ttl="1h", max_entries=1000, show_spinner=False)
def _fetch(sql_text: str, identity: tuple, name: str, params: dict, masked: bool) -> pd.DataFrame:
    with db.read() as con:
        frame = queries.run(con, name, **params)
    return masking.mask_frame(frame) if masked else frame


def database_exists() -> bool:
    """True when a warehouse file is at the configured path."""
    return db.db_path().exists()


def bounds() -> dict[str, Any]:
    """Date bounds of the loaded records: first_day, last_day, newest_at, has_data."""
    empty = {"first_day": None, "last_day": None, "newest_at": None, "has_data": False}
    if not database_exists():
        return empty
    row = fetch("filter_date_bounds").iloc[0].to_dict()
    return {
        "first_day": _to_date(row["first_day"]),
        "last_day": _to_date(row["last_day"]),
        "newest_at": _to_datetime(row["newest_at"]),
        "has_data": bool(row["has_data"]),
    }


def settings() -> dict[str, str]:
    """The bureau's settings table (formula, targets, thresholds) as key -> value."""
    if not database_exists():
        return {}
    frame = fetch("settings")
    return dict(zip(frame["key"], frame["value"]))


def target(key: str) -> float | None:
    """A numeric target from settings (e.g. target_satisfaction), or None when it is not set."""
    value = settings().get(key)
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _to_date(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _to_datetime(value: Any) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()
