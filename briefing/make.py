"""Make a briefing or list the alerts, for the command line, cron and the 总览 page alike."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import queries
from assess import store as assess_store
from briefing import alerts as alert_rules
from briefing import content, render_docx, render_pdf, rule_settings
from briefing.document import Document
from briefing.period import Period
from queries import db

FORMATS = {".docx": "docx", ".pdf": "pdf"}
DEFAULT_MIN_REPLIES = 30
DEFAULT_MIN_RESPONDENTS = 5


class BriefingError(Exception):
    """A briefing cannot be made (no database, an unknown unit …); the message says why."""


def base_params(con, unit: str | None = None, **filters: Any) -> dict[str, Any]:
    """Query parameters for a unit tree: the bureau's settings, the unit as scope, the filters."""
    frame = queries.run(con, "settings")
    settings = dict(zip(frame["key"], frame["value"]))
    base = {
        "scope": resolve_unit(con, unit) if unit else "*",
        "unit_ids": [],
        "channels": [],
        "police_types": [],
        "categories": [],
        "exact_unit_id": None,
        "formula": settings.get("satisfaction_formula", "standard"),
        "min_replies": _int(settings.get("min_replies"), DEFAULT_MIN_REPLIES),
        "min_respondents": _int(settings.get("min_respondents"), DEFAULT_MIN_RESPONDENTS),
    }
    base.update(filters)
    return base


def resolve_unit(con, unit: str) -> str:
    """A unit id from an id, a full name or the short label the sidebar shows."""
    units = queries.run(con, "filter_units", scope="*")
    for column in ("unit_id", "name", "label"):
        match = units[units[column] == unit.strip()]
        if not match.empty:
            return str(match["unit_id"].iloc[0])
    short = units[units["label"].str.split(" / ").str[-1] == unit.strip()]
    if len(short) == 1:
        return str(short["unit_id"].iloc[0])
    raise BriefingError(f"没有单位 {unit!r}：请给出单位编码或全称")


def document(
    period: Period,
    *,
    db_path: Path | None = None,
    unit: str | None = None,
    masked: bool = True,
    base: dict[str, Any] | None = None,
    today: date | None = None,
) -> Document:
    """The briefing for `period`; `base` (the page's filters and the user's scope) wins over unit."""
    with _read(db_path) as con:
        params = base if base is not None else base_params(con, unit)
        source = content.Source(
            con,
            params,
            masked,
            datetime.now().replace(microsecond=0),
            rule_settings.overrides(db_path),
            assessment=assess_store.current(db_path),
        )
        return content.build(source, period, today or date.today())


def render(doc: Document, fmt: str) -> bytes:
    """The document as .docx or .pdf bytes."""
    if fmt == "pdf":
        return render_pdf.render(doc)
    buffer = io.BytesIO()
    render_docx.write(doc, buffer)
    return buffer.getvalue()


def write_file(out: Path, period: Period, **options: Any) -> Path:
    """Write the briefing to `out` in the format its extension names."""
    fmt = FORMATS[out.suffix.lower()]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(document(period, **options), fmt))
    return out


def alerts(
    period: Period,
    *,
    db_path: Path | None = None,
    unit: str | None = None,
    base: dict[str, Any] | None = None,
) -> list[alert_rules.Alert]:
    """The alerts that hold at the end of `period` for a unit tree."""
    with _read(db_path) as con:
        params = base if base is not None else base_params(con, unit)
        source = content.Source(
            con,
            params,
            True,
            datetime.now().replace(microsecond=0),
            rule_settings.overrides(db_path),
        )
        return alert_rules.evaluate(source, period)


def _read(db_path: Path | None):
    path = db_path or db.db_path()
    if not path.exists():
        raise BriefingError(f"数据库 {path} 不存在。先生成演示数据：python -m etl demo --db {path}")
    return db.read(path)


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
