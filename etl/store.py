"""The warehouse file: migrations, and writes as copy → change → atomic swap under a lock.

Readers (the dashboard, analysts' notebooks) hold read-only handles on the live file. DuckDB allows
one read-write process or many readers, never both (PITFALLS K1), so a write never touches the live
file: it copies it, changes the copy in one transaction, checkpoints, and os.replace()s it over the
live file. Readers see the old file or the new one, never half a load; a failed load leaves the live
file exactly as it was. A lock file serialises writers from the CLI and from the upload page.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from queries import db

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
CALENDAR_YEARS = range(2015, 2031)


def archive_dir(db_path: Path) -> Path:
    """Every accepted file is kept here, by sha256, so `rebuild` can replay them."""
    return Path(db_path).resolve().parent / "archive"


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the numbered migrations in etl/schema/ that this database has not seen; return their names."""
    con.execute(
        "create table if not exists schema_migrations (name varchar primary key, applied_at timestamp)"
    )
    applied = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    new = []
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        if path.name in applied:
            continue
        con.execute(path.read_text(encoding="utf-8"))
        con.execute("insert into schema_migrations values (?, now())", [path.name])
        new.append(path.name)
    if con.execute("select count(*) from work_calendar").fetchone()[0] == 0:
        _fill_work_calendar(con)
    return new


def _fill_work_calendar(con: duckdb.DuckDBPyConnection) -> None:
    # chinesecalendar knows the State Council's holiday and 调休 notices for the years it ships;
    # outside them, weekends are the best we know.
    import chinese_calendar

    days = []
    day = dt.date(CALENDAR_YEARS.start, 1, 1)
    end = dt.date(CALENDAR_YEARS.stop, 1, 1)
    while day < end:
        try:
            workday = chinese_calendar.is_workday(day)
        except NotImplementedError:
            workday = day.weekday() < 5
        days.append((day, workday))
        day += dt.timedelta(days=1)
    frame = pd.DataFrame(days, columns=["day", "is_workday"])
    con.execute(
        "insert into work_calendar select day, is_workday,"
        " sum(is_workday::integer) over (order by day) from frame"
    )


@contextmanager
def _writer_lock(db_path: Path) -> Iterator[None]:
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def write(db_path: Path, *, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection on a copy of the warehouse, inside one transaction.

    On normal exit the transaction commits and the copy replaces the live file atomically; on an
    exception nothing is published. `fresh=True` starts from an empty database (rebuild, demo).
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(db_path):
        work = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
        for leftover in (work, Path(f"{work}.wal")):
            leftover.unlink(missing_ok=True)
        if db_path.exists() and not fresh:
            shutil.copyfile(db_path, work)
        con = db.connect_write(work)
        try:
            migrate(con)
            con.execute("begin transaction")
            yield con
            con.execute("commit")
            con.execute("checkpoint")
            con.close()
            _replace(work, db_path)
        except BaseException:
            con.close()
            work.unlink(missing_ok=True)
            Path(f"{work}.wal").unlink(missing_ok=True)
            raise


def _replace(work: Path, live: Path) -> None:
    # On Windows a reader holding the live file makes replace fail; retry briefly, then say so.
    for attempt in range(10):
        try:
            os.replace(work, live)
            return
        except PermissionError:
            if attempt == 9:
                raise PermissionError(
                    f"无法替换 {live}：文件被其他程序占用。关闭占用它的程序后重试。"
                ) from None
            time.sleep(0.2)


def create(db_path: Path) -> None:
    """An empty warehouse with the current schema (or migrate an existing one)."""
    with write(db_path):
        pass
