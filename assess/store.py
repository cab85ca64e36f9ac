"""考核方案 versions in the configuration store (etl/config_store.py, table assessment_schemes):
a save adds a version, never changes one, and takes effect on the next page run without a
restart. Before any save the built-in DEFAULT is in force as version 0."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assess.scheme import DEFAULT, Scheme, validate
from etl import config_store


@dataclass(frozen=True)
class Version:
    version: int
    scheme: Scheme
    note: str
    saved_by: str | None
    saved_at: datetime | None


DEFAULT_VERSION = Version(0, DEFAULT, "", None, None)


def versions(warehouse: Path | None = None) -> list[Version]:
    """Every saved version, newest first, then the default (version 0)."""
    with config_store.read(warehouse) as con:
        rows = []
        if (
            con is not None
            and con.execute(
                "select count(*) from information_schema.tables where table_name = 'assessment_schemes'"
            ).fetchone()[0]
        ):
            rows = con.execute(
                "select version, scheme, note, saved_by, saved_at from assessment_schemes"
                " order by version desc"
            ).fetchall()
    saved = [Version(v, Scheme.from_json(s), n or "", by, at) for v, s, n, by, at in rows]
    return [*saved, DEFAULT_VERSION]


def current(warehouse: Path | None = None) -> Version:
    """The version in force: the newest saved, else the default."""
    return versions(warehouse)[0]


def save(scheme: Scheme, user: str | None, note: str = "", warehouse: Path | None = None) -> int:
    """Check `scheme` and store it as the next version; return its number (SchemeError: nothing
    saved)."""
    text = validate(scheme).to_json()
    with config_store.write(warehouse) as con:
        number = con.execute(
            "select coalesce(max(version), 0) + 1 from assessment_schemes"
        ).fetchone()[0]
        con.execute(
            "insert into assessment_schemes values (?, ?, ?, ?, ?)",
            [number, text, note.strip(), user, datetime.now().replace(microsecond=0)],
        )
    return number
