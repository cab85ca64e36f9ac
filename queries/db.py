"""Where the warehouse lives and how to open it. The only module that calls duckdb.connect.

Readers never open the database file by its path directly: DuckDB caches one instance per path in a
process, so after a load swaps in a new file a same-path connect would keep serving the old one.
Instead each reader is an in-memory instance that ATTACHes the file read-only, keyed by the file's
identity (inode and mtime), and every query runs on its own cursor (a connection is not thread-safe).
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

ROOT = Path(__file__).resolve().parents[1]
_ALIAS = "minyi"
_readers: dict[tuple, duckdb.DuckDBPyConnection] = {}
_readers_lock = threading.Lock()


def db_path() -> Path:
    """Warehouse file: $MINYI_DB, else data/minyi.duckdb. Read on every call so tests can override it."""
    return Path(os.environ.get("MINYI_DB") or ROOT / "data" / "minyi.duckdb")


def file_identity(path: Path) -> tuple[str, int, int]:
    """What changes when a load swaps in a new file: used in reader and cache keys."""
    st = path.stat()
    return (str(path.resolve()), st.st_ino, st.st_mtime_ns)


class NoDatabase(FileNotFoundError):
    """No warehouse at the configured path."""


def _reader(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise NoDatabase(
            f"数据库 {path} 不存在。先生成演示数据：python -m demo --db {path}"
        )
    key = file_identity(path)
    with _readers_lock:
        con = _readers.get(key)
        if con is None:
            # Drop readers of files that have since been replaced; queries still running on their
            # cursors keep the old instance alive until they finish.
            for old in [k for k in _readers if k[0] == key[0]]:
                _readers.pop(old)
            con = duckdb.connect(":memory:")
            # Several readers may be alive at once (one per file version still in use): cap each.
            con.execute("set enable_progress_bar = false")
            con.execute("set memory_limit = '1GB'")
            con.execute(f"attach '{_quote(key[0])}' as {_ALIAS} (read_only)")
            _readers[key] = con
        return con


def _quote(text: str) -> str:
    return text.replace("'", "''")


@contextmanager
def read(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the newest warehouse file, for one query or a few."""
    cursor = _reader(path or db_path()).cursor()
    try:
        cursor.execute(f"use {_ALIAS}")
        yield cursor
    finally:
        cursor.close()


def connect_write(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a working copy; only etl uses this (see etl.store)."""
    con = duckdb.connect(str(path))
    con.execute("set enable_progress_bar = false")
    return con


def close_readers() -> None:
    """Forget every cached reader (tests, and before deleting a database file)."""
    with _readers_lock:
        for con in _readers.values():
            con.close()
        _readers.clear()
