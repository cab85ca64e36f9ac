"""The warehouse file: migrations, and writes as copy → change → atomic swap under a lock.

Readers (the dashboard, analysts' notebooks) hold read-only handles on the live file. DuckDB allows
one read-write process or many readers, never both (docs/pitfalls.md K1), so a write never touches
the live file: it copies it, changes the copy in one transaction, checkpoints, and os.replace()s it
over the live file. Readers see the old file or the new one, never half a load; a failed load leaves
the live file exactly as it was. A lock file serialises writers from the CLI and from the upload
page.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import glob
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from queries import db

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
CALENDAR_YEARS = range(2015, 2031)
# What a write connection may hold in memory before DuckDB spills to disk: $MINYI_LOAD_MEMORY (a
# DuckDB size such as '2GB'), else this. Without a limit DuckDB takes 80 % of RAM, and a
# province-sized load (15M rows) then outgrows the machine instead of spilling.
LOAD_MEMORY = "1536MB"


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
def writer_lock(db_path: Path) -> Iterator[None]:
    """Serialise the writers of one file (CLI, upload page, configuration) across processes."""
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def job_lock(db_path: Path) -> Iterator[bool]:
    """The lock of the background job (intel.jobs): yields whether this process holds it. It
    does not wait: a job that finds another running leaves. Apart from writer_lock, which a job
    takes only for its short writes, so uploads do not wait for its fits."""
    lock_path = Path(f"{db_path}.jobs.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
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
    with writer_lock(db_path):
        _remove_stale_copies(db_path)
        work = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
        spill = Path(f"{work}.spill")
        for leftover in (work, Path(f"{work}.wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(spill, ignore_errors=True)
        if db_path.exists() and not fresh:
            shutil.copyfile(db_path, work)
        con = db.connect_write(work)
        try:
            _tune(con, spill)
            migrate(con)
            con.execute("begin transaction")
            yield con
            con.execute("commit")
            con.execute("checkpoint")
            con.close()
            replace_file(work, db_path)
        except BaseException:
            con.close()
            work.unlink(missing_ok=True)
            Path(f"{work}.wal").unlink(missing_ok=True)
            raise
        finally:
            shutil.rmtree(spill, ignore_errors=True)


def load_memory_bytes() -> int:
    """The write connection's memory limit in bytes ($MINYI_LOAD_MEMORY or LOAD_MEMORY)."""
    return size_setting("MINYI_LOAD_MEMORY", LOAD_MEMORY)


def size_setting(variable: str, default: str) -> int:
    """A size in bytes from the environment variable (a DuckDB size such as '2GB'), else default."""
    text = (os.environ.get(variable) or default).strip().lower().replace(" ", "")
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([kmgt]i?b|b)?", text)
    if match is None:
        raise ValueError(f"{variable}={text!r}：应为 '1536MB'、'2GB' 这样的大小")
    unit = match.group(2) or "b"
    scale = 1 if unit == "b" else (1024 if "i" in unit else 1000) ** ("kmgt".index(unit[0]) + 1)
    return int(float(match.group(1)) * scale)


def set_memory_limit(con: duckdb.DuckDBPyConnection, limit_bytes: int) -> None:
    """Set the connection's memory limit (never above load_memory_bytes()); keep the old one if
    DuckDB cannot free enough memory to honour a lower one right now."""
    limit = min(int(limit_bytes), load_memory_bytes())
    try:
        con.execute("set memory_limit = $limit", {"limit": f"{max(limit, 1 << 20) >> 20}MiB"})
    except duckdb.Error:
        pass


def _tune(con: duckdb.DuckDBPyConnection, spill: Path) -> None:
    """Bound the write connection's memory (spilling to `spill`) and let it reorder rows."""
    con.execute("set memory_limit = $limit", {"limit": f"{load_memory_bytes() >> 20}MiB"})
    con.execute("set temp_directory = $dir", {"dir": str(spill)})
    # Nothing the loader keeps depends on the physical order of rows (the reader numbers rows
    # itself, with the order preserved while it does); keeping it costs memory on every insert.
    con.execute("set preserve_insertion_order = false")


def _remove_stale_copies(db_path: Path) -> None:
    """Delete working copies (<name>.tmp-<pid>, its .wal and .spill) of writers that have died.

    Called under the writer lock, so no live writer is using any of them.
    """
    prefix = f"{db_path.name}.tmp-"
    for path in db_path.parent.glob(f"{glob.escape(prefix)}*"):
        pid = path.name[len(prefix) :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def replace_file(work: Path, live: Path) -> None:
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


def pending_migrations(db_path: Path) -> list[str]:
    """Names of the migrations in etl/schema/ that the warehouse at db_path has not applied
    (all of them when there is no file yet); read-only."""
    names = sorted(path.name for path in SCHEMA_DIR.glob("*.sql"))
    if not Path(db_path).exists():
        return names
    with db.read(Path(db_path)) as con:
        known = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables"
                " where table_name = 'schema_migrations'"
            ).fetchall()
        }
        applied = (
            {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
            if known
            else set()
        )
    return [name for name in names if name not in applied]


def migrate_file(db_path: Path) -> list[str]:
    """`python -m etl migrate`: apply the pending migrations to the warehouse at db_path (creating
    it when absent) in one copy-and-swap, then to its configuration store; return their names.
    With none pending no file is touched, so calling it before every start costs two reads."""
    from etl import config_store

    pending = pending_migrations(db_path)
    if pending:
        create(db_path)
    return pending + config_store.migrate_file(db_path)
