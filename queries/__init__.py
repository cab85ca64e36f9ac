"""Named SQL queries: one .sql file per query, loaded by name, run with bound parameters.

Parameters are DuckDB named parameters ($unit_ids). A query binds only the parameters it mentions,
so a page can pass its whole filter set to every query; a missing one is an error.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent
_COMMENT = re.compile(r"--[^\n]*")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def names() -> list[str]:
    """Every named query, sorted."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def load(name: str) -> str:
    """The SQL text of query `name`."""
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"No query named {name!r}. Known: {', '.join(names())}")
    return path.read_text(encoding="utf-8")


@functools.cache
def _params_of(sql: str) -> frozenset[str]:
    return frozenset(_PARAM.findall(_COMMENT.sub("", sql)))


def params_of(name: str) -> set[str]:
    """The parameters query `name` binds."""
    return set(_params_of(load(name)))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run query `name`, binding only the parameters it declares. Missing ones are an error."""
    sql = load(name)
    wanted = _params_of(sql)
    missing = wanted - params.keys()
    if missing:
        raise TypeError(f"Query {name!r} needs {sorted(missing)}")
    return con.execute(sql, {k: params[k] for k in wanted}).df()
