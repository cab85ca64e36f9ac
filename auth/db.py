"""Where accounts, sessions, failed-attempt counters and the audit trail live: a small SQLite file.

The warehouse is written only by copy → change → atomic swap (etl/store.py), right for loads and far
too heavy for a sign-in or an audit row. These few small rows go to SQLite beside it instead, in WAL
mode (readers never wait for the writer), one short transaction per call, tables made on first use.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from queries import db as warehouse

SCHEMA = """
create table if not exists accounts (
    username       text primary key,
    display_name   text not null,
    role           text not null,
    unit_id        text,               -- root of the unit tree it sees; null = whole bureau
    disabled       integer not null default 0,
    password_hash  text not null,      -- argon2id, never the password
    created_at     text not null,
    changed_at     text not null
);
create table if not exists sessions (
    token_hash    text primary key,    -- sha256 of the cookie token: the file signs no one in
    username      text not null,
    created_at    text not null,
    last_seen_at  text not null,
    client        text
);
create index if not exists sessions_by_user on sessions (username);
create table if not exists throttle (
    key             text primary key,  -- 'user:<username>' or 'client:<address>'
    failures        integer not null,
    last_failed_at  text not null,
    locked_until    text
);
create table if not exists audit (
    id        integer primary key autoincrement,
    at        text not null,
    username  text,
    action    text not null,
    detail    text not null default '',
    client    text
);
create index if not exists audit_by_time on audit (at);
"""


def path(warehouse_path: Path | str | None = None) -> Path:
    """$MINYI_AUTH_DB, else the warehouse path with `.auth.sqlite` for its suffix, so a test that
    points MINYI_DB at a temporary file gets its own accounts."""
    configured = os.environ.get("MINYI_AUTH_DB")
    if configured:
        return Path(configured)
    return Path(warehouse_path or warehouse.db_path()).with_suffix(".auth.sqlite")


def now_text(now: datetime | None = None) -> str:
    """A timestamp as stored: local time to the second, ISO order so text order is time order."""
    return (now or datetime.now()).isoformat(sep=" ", timespec="seconds")


@contextmanager
def connect(db: Path | str | None = None, *, write: bool = True) -> Iterator[sqlite3.Connection]:
    """One short transaction on the auth database (committed on success, rolled back on error);
    write=True takes the write lock at once, so two sign-ins never deadlock upgrading a read."""
    con = sqlite3.connect(Path(db) if db else path(), timeout=10, isolation_level=None)
    try:
        con.row_factory = sqlite3.Row
        # Idempotent and cheap (a schema lookup): a deleted or brand-new file is always ready.
        con.execute("pragma journal_mode = wal")
        con.executescript(SCHEMA)
        con.execute("begin immediate" if write else "begin")
        try:
            yield con
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
    finally:
        con.close()
