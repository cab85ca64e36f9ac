"""Briefing section: the province-wide briefing of the newest whole month, as DOCX and as PDF,
timed from the named queries to the file's bytes (what 总览's download and the Monday cron do)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import queries
from queries import db as warehouse


def _newest_whole_month(db: Path) -> date:
    with warehouse.read(db) as con:
        last = queries.run(con, "filter_date_bounds", scope="*")["last_day"].iloc[0]
    last = last.date() if hasattr(last, "date") else last
    end = last + timedelta(days=1)
    return (end.replace(day=1) - timedelta(days=1)).replace(day=1)


def run_section(db: Path, runs: int = 2) -> dict:
    """Seconds to make the month's document and to render each format (best of `runs`)."""
    from briefing import make
    from briefing import period as periods

    month = periods.month(_newest_whole_month(db))
    out: dict = {"period": month.slug}
    for fmt in ("docx", "pdf"):
        best = None
        for _ in range(runs):
            started = time.perf_counter()
            doc = make.document(month, db_path=db)
            built = time.perf_counter()
            data = make.render(doc, fmt)
            ended = time.perf_counter()
            run = {
                "seconds": ended - started,
                "content_seconds": built - started,
                "render_seconds": ended - built,
                "bytes": len(data),
            }
            best = run if best is None or run["seconds"] < best["seconds"] else best
        out[fmt] = best
    return out
