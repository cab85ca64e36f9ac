"""The configuration store: small settings people change in the browser, written cheaply.

Why a second file: the warehouse is written only by copying it, changing the copy and swapping it
in (etl/store.py), because DuckDB lets one process write a file or many read it, never both, and
the dashboard always holds readers. At province scale that copy is gigabytes, far too much for one
saved row. Configuration lives instead in its own small DuckDB file beside the warehouse, written
the same safe way (copy, change, atomic swap, under its own lock): the copy is a few hundred
kilobytes, so a save costs milliseconds and never touches the warehouse file. Being DuckDB, it is
attached to every warehouse reader as catalog `config` (queries/db.py), so a query may join its
tables (`from config.import_profiles`); the reader and the page caches are keyed on its identity
too, so a saved value is seen by the next page run.

File: $MINYI_CONFIG_DB, else the warehouse path with `.config.duckdb` for its suffix
(data/minyi.config.duckdb). Tables are numbered migrations in etl/config_schema/ (the team's
migration prefixes, as in etl/schema/); `python -m etl migrate` applies them, and so does any
write. Rebuilding the warehouse from its archive leaves the configuration as it is.

API (the only module that reads or writes the file):
- path(warehouse=None) -> Path: where the store of that warehouse (default: $MINYI_DB's) lives.
- write(warehouse=None): context manager yielding a DuckDB connection inside one transaction on
  a copy of the store; tables unqualified. On normal exit it commits and swaps the copy in; on an
  exception nothing changes. Keep writes small; validate before you write.
- read(warehouse=None): context manager yielding a read-only cursor on the store (tables
  unqualified), or None when the store does not exist yet (treat as "nothing saved").
- pending_migrations(warehouse=None) / migrate_file(warehouse=None): as etl.store's, for this file.
- has_table(cursor, table): whether a store read() opened has that table yet (one made by an
  older version lacks the newer tables until `etl migrate`).
- old_sqlite_path(warehouse=None) -> Path: the SQLite file an older version kept beside the
  warehouse (`<warehouse>.proposals.sqlite`); its rows are copied in once by the migrations that
  make their tables (FROM_SQLITE), and nothing reads it after that.

Used by: etl/saved_mappings.py (table import_profiles), etl/aliases.py (unit_alias_proposals),
etl/survey_rounds.py (survey_round_confirmations), etl/saved_views.py, etl/targets.py,
briefing/rule_settings.py.
To add configuration (targets, model thresholds, alert rules, assessment schemes), add a migration
etl/config_schema/<your prefix>_<name>.sql and one module that validates and calls read/write;
pages call that module, never SQL on this file directly. See docs/architecture.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl import store
from queries import db

SCHEMA_DIR = Path(__file__).resolve().parent / "config_schema"
# Migrations whose table an older version kept in the SQLite file beside the warehouse.
FROM_SQLITE = {"020u_": "unit_alias_proposals", "023r_": "survey_round_confirmations"}


def path(warehouse: Path | None = None) -> Path:
    """The configuration store beside `warehouse` (default: the configured warehouse)."""
    return db.config_path(warehouse)


def old_sqlite_path(warehouse: Path | None = None) -> Path:
    """Where an older version kept alias proposals and round confirmations."""
    return Path(warehouse or db.db_path()).with_suffix(".proposals.sqlite")


@contextmanager
def read(warehouse: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only cursor on the store, or None when nothing has been saved yet."""
    live = path(warehouse)
    if not live.exists():
        yield None
        return
    with db.read_config(live) as cursor:
        yield cursor


@contextmanager
def write(warehouse: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction on a copy of the store, swapped in atomically on success."""
    live = path(warehouse)
    live.parent.mkdir(parents=True, exist_ok=True)
    with store.writer_lock(live):
        work = live.with_name(f"{live.name}.tmp-{os.getpid()}")
        for leftover in (work, Path(f"{work}.wal")):
            leftover.unlink(missing_ok=True)
        if live.exists():
            shutil.copyfile(live, work)
        con = db.connect_write(work)
        try:
            _migrate(con, warehouse)
            con.execute("begin transaction")
            yield con
            con.execute("commit")
            con.execute("checkpoint")
            con.close()
            store.replace_file(work, live)
        except BaseException:
            con.close()
            work.unlink(missing_ok=True)
            Path(f"{work}.wal").unlink(missing_ok=True)
            raise


def pending_migrations(warehouse: Path | None = None) -> list[str]:
    """Migrations in etl/config_schema/ the store has not applied (all while it does not exist)."""
    names = sorted(p.name for p in SCHEMA_DIR.glob("*.sql"))
    with read(warehouse) as con:
        if con is None:
            return names
        applied = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    return [name for name in names if name not in applied]


def migrate_file(warehouse: Path | None = None) -> list[str]:
    """Create or migrate the store; return the migrations applied (none: the file is untouched)."""
    pending = pending_migrations(warehouse)
    if pending:
        with write(warehouse):
            pass
    return pending


def _migrate(con: duckdb.DuckDBPyConnection, warehouse: Path | None) -> None:
    con.execute(
        "create table if not exists schema_migrations (name varchar primary key, applied_at timestamp)"
    )
    applied = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    for migration in sorted(SCHEMA_DIR.glob("*.sql")):
        if migration.name in applied:
            continue
        con.execute(migration.read_text(encoding="utf-8"))
        con.execute("insert into schema_migrations values (?, now())", [migration.name])
        if migration.name.startswith("017_"):
            _take_profiles_from_the_warehouse(con, warehouse)
        for prefix, table in FROM_SQLITE.items():
            if migration.name.startswith(prefix):
                _take_from_sqlite(con, warehouse, table)


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the store behind `con` (from read()) has `table` yet."""
    found = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [table]
    ).fetchone()
    return bool(found[0])


def _take_profiles_from_the_warehouse(
    con: duckdb.DuckDBPyConnection, warehouse: Path | None
) -> None:
    """Profiles saved before the store existed sit in the warehouse's import_profiles: copy them
    once, when the store's table is made (the warehouse table is no longer written)."""
    source = Path(warehouse or db.db_path())
    if not source.exists():
        return
    try:
        with db.read(source) as reader:
            rows = reader.execute("select * from import_profiles").fetchall()
    except duckdb.CatalogException:
        return
    if rows:
        con.executemany("insert into import_profiles values (?, ?, ?, ?, ?, ?, ?)", rows)


def _take_from_sqlite(con: duckdb.DuckDBPyConnection, warehouse: Path | None, table: str) -> None:
    """Copy `table` of the older SQLite file once, by the migration that makes it here (the file
    is no longer written; it is left as it was). Its columns have the store's names."""
    old = old_sqlite_path(warehouse)
    if not old.exists():
        return
    columns = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_name = ?"
            " order by ordinal_position",
            [table],
        ).fetchall()
    ]
    reader = sqlite3.connect(f"file:{old}?mode=ro", uri=True)
    try:
        # Names from FROM_SQLITE and this store's own schema, never from a user.
        rows = reader.execute(f"select {', '.join(columns)} from {table}").fetchall()
    except sqlite3.OperationalError:  # a file made without this table
        return
    finally:
        reader.close()
    if rows:
        marks = ", ".join("?" * len(columns))
        con.executemany(f"insert into {table} ({', '.join(columns)}) values ({marks})", rows)
