"""Where the warehouse lives and how to open it. The only module that calls duckdb.connect.

Readers never open the database file by its path directly: DuckDB caches one instance per path in a
process, so after a load swaps in a new file a same-path connect would keep serving the old one.
Instead each reader is an in-memory instance that ATTACHes the file read-only, keyed by the file's
identity (inode and mtime), and every query runs on its own cursor (a connection is not thread-safe).

The small configuration store beside the warehouse (etl/config_store.py: saved mappings, and the
settings people change in the browser) is attached to the same reader as catalog `config` when
it exists, so SQL can join it (`config.import_profiles`); its identity is part of the reader's key
and of identity(), so a saved setting is seen at once.

Settings: the warehouse's `settings` rows are defaults; an admin's value saved in the store
(`config.setting_overrides`, etl/targets.py) wins. That rule is SETTINGS_IN_FORCE below, a
temporary view named like the table on every reader cursor, so each query and warehouse view that
reads `settings` (overview_kpis, reply_flags …) sees the value in force; `minyi.settings` is the
default.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl import masking

ROOT = Path(__file__).resolve().parents[1]
_ALIAS = "minyi"
_readers: dict[tuple, duckdb.DuckDBPyConnection] = {}
_readers_lock = threading.Lock()
# Reader keys whose configuration store overrides a setting (_has_overrides).
_overridden: set[tuple] = set()
# The one rule for settings: an admin's override over the warehouse's default. A temporary view
# shadows the table for the cursor it is made on, inside warehouse views too.
SETTINGS_IN_FORCE = f"""
create temp view settings as
select s.key, coalesce(o.value, s.value) as value, s.note
from {_ALIAS}.main.settings as s
left join config.main.setting_overrides as o on o.key = s.key
"""


def db_path() -> Path:
    """Warehouse file: $MINYI_DB, else data/minyi.duckdb. Read on every call so tests can override it."""
    return Path(os.environ.get("MINYI_DB") or ROOT / "data" / "minyi.duckdb")


def file_identity(path: Path) -> tuple[str, int, int]:
    """What changes when a load swaps in a new file: used in reader and cache keys."""
    st = path.stat()
    return (str(path.resolve()), st.st_ino, st.st_mtime_ns)


def config_path(warehouse: Path | None = None) -> Path:
    """The configuration store: $MINYI_CONFIG_DB, else the warehouse path with `.config.duckdb` for
    its suffix (data/minyi.config.duckdb), so a test's temporary warehouse gets its own."""
    configured = os.environ.get("MINYI_CONFIG_DB")
    if configured:
        return Path(configured)
    return Path(warehouse or db_path()).with_suffix(".config.duckdb")


def identity(path: Path | None = None) -> tuple:
    """The warehouse file's identity and its configuration store's (None while it has none): what
    a cached query result depends on."""
    path = path or db_path()
    config = config_path(path)
    return (file_identity(path), file_identity(config) if config.exists() else None)


class NoDatabase(FileNotFoundError):
    """No warehouse at the configured path."""


def _reader(path: Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """The reader of the warehouse at `path`, and whether its store overrides settings."""
    if not path.exists():
        raise NoDatabase(f"数据库 {path} 不存在。先生成演示数据：python -m demo --db {path}")
    key = identity(path)
    con = _instance(key, [(_ALIAS, key[0]), ("config", key[1])])
    return con, key in _overridden


def _config_reader(path: Path) -> duckdb.DuckDBPyConnection:
    key = (None, file_identity(path))
    return _instance(key, [("config", key[1])])


def _instance(key: tuple, attachments: list[tuple[str, tuple | None]]) -> duckdb.DuckDBPyConnection:
    """The cached in-memory reader for `key`, each (alias, file identity) attached read-only."""
    with _readers_lock:
        con = _readers.get(key)
        if con is None:
            # Drop readers of files that have since been replaced; queries still running on their
            # cursors keep the old instance alive until they finish.
            for old in [k for k in _readers if _primary(k) == _primary(key)]:
                _readers.pop(old)
                _overridden.discard(old)
            con = duckdb.connect(":memory:")
            # Several readers may be alive at once (one per file version still in use): cap each.
            con.execute("set enable_progress_bar = false")
            con.execute("set memory_limit = '1GB'")
            # Text searched as the reader sees it: a search over masked text must not confirm a
            # phone number or name that the rows show starred (survey_suggestions, $masked).
            con.create_function(
                "mask_text",
                masking.mask_text,
                [duckdb.sqltypes.VARCHAR],
                duckdb.sqltypes.VARCHAR,
                side_effects=False,
            )
            for alias, file in attachments:
                if file is not None:
                    con.execute(f"attach '{_quote(file[0])}' as {alias} (read_only)")
            if key[0] and key[1] and _has_overrides(con):
                _overridden.add(key)
            _readers[key] = con
        return con


def _has_overrides(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store overrides a setting: without an override (or a store written before
    setting_overrides, or a warehouse without settings) the table is already what is in force."""
    found = con.execute(
        "select count(*) from duckdb_tables() where (database_name, table_name)"
        f" in (('config', 'setting_overrides'), ('{_ALIAS}', 'settings'))"
    ).fetchone()[0]
    return found == 2 and bool(
        con.execute("select count(*) from config.main.setting_overrides").fetchone()[0]
    )


def _primary(key: tuple) -> tuple:
    """The file a reader is for: its warehouse, else (config readers) its configuration store."""
    return ("warehouse", key[0][0]) if key[0] else ("config", key[1][0])


def _quote(text: str) -> str:
    return text.replace("'", "''")


@contextmanager
def read(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the newest warehouse file, for one query or a few."""
    reader, overridden = _reader(path or db_path())
    cursor = reader.cursor()
    try:
        cursor.execute(f"use {_ALIAS}")
        if overridden:
            cursor.execute(SETTINGS_IN_FORCE)
        yield cursor
    finally:
        cursor.close()


@contextmanager
def read_config(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the configuration store at `path` alone (etl.config_store.read)."""
    cursor = _config_reader(path).cursor()
    try:
        cursor.execute("use config")
        yield cursor
    finally:
        cursor.close()


def connect_write(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a working copy; only etl uses it (store, config_store)."""
    con = duckdb.connect(str(path))
    con.execute("set enable_progress_bar = false")
    return con


def close_readers() -> None:
    """Forget every cached reader (tests, and before deleting a database file)."""
    with _readers_lock:
        for con in _readers.values():
            con.close()
        _readers.clear()
        _overridden.clear()
