"""Survey rounds an admin confirms: a small SQLite file beside the warehouse
(`<warehouse>.proposals.sqlite`), one short transaction per call: the warehouse is written only by
copy-and-swap, far too heavy for one row. Unit alias proposals were kept here too; they moved to
the configuration store (etl/config_store.py), which copies an older file's once (etl/aliases.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
create table if not exists survey_round_confirmations (
    survey_id      text not null,
    source_system  text not null,
    confirmed_by   text,
    confirmed_at   text not null,
    primary key (survey_id, source_system)
);
"""


def path(warehouse: Path | None = None) -> Path:
    """The file beside `warehouse` (default: the configured warehouse)."""
    from queries import db

    return Path(warehouse or db.db_path()).with_suffix(".proposals.sqlite")


@contextmanager
def connect(warehouse: Path | None = None) -> Iterator[sqlite3.Connection]:
    """One transaction on the file (made on first use), committed on normal exit."""
    file = path(warehouse)
    file.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(file, timeout=10)
    try:
        con.execute("pragma journal_mode = wal")
        con.executescript(SCHEMA)
        with con:
            yield con
    finally:
        con.close()
