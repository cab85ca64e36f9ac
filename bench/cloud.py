"""Word cloud section: from a change of filter to the image, for the whole province and one station.

A changed filter is a cache miss, so each run does what the keyword page then does: the
keyword_counts query on a kept connection, the cloud drawn from its counts, the PNG encoded.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

import queries
from bench.plan import decode, percentile
from queries import db as warehouse

WORDS = 100  # pages/keywords.py CLOUD_WORDS
WIDTH, HEIGHT = 900, 450  # the single, wide cloud of the keyword page


def _once(db: Path, params: dict) -> dict:
    from pages.ui import wordcloud

    started = time.perf_counter()
    with warehouse.read(db) as con:
        counts = queries.run(con, "keyword_counts", **{**params, "top_n": WORDS})
    queried = time.perf_counter()
    image = wordcloud.render(dict(zip(counts["token"], counts["n"])), width=WIDTH, height=HEIGHT)
    buffer = io.BytesIO()
    if image is not None:
        image.save(buffer, format="PNG", optimize=False)
    ended = time.perf_counter()
    return {
        "query": queried - started,
        "draw": ended - queried,
        "total": ended - started,
        "words": len(counts.index),
        "png_bytes": buffer.tell(),
    }


def run_section(db: Path, plan: list[dict], station_id: str, runs: int = 5) -> dict:
    """p50 and p95 of query + draw with the keyword page's filters: province-wide, one station."""
    default = next(
        (e["params"] for e in plan if e["name"] == "keyword_counts" and e["variant"] == "default"),
        None,
    )
    if default is None:
        return {"error": "the keyword page ran no keyword_counts query"}
    base = decode(default)
    out = {}
    for label, params in (
        ("province", {**base, "unit_ids": []}),
        ("one_station", {**base, "unit_ids": [station_id]}),
    ):
        _once(db, params)  # warm: font loaded, reader attached
        runs_ = [_once(db, params) for _ in range(runs)]
        totals = [r["total"] for r in runs_]
        out[label] = {
            "words": runs_[0]["words"],
            "png_bytes": runs_[0]["png_bytes"],
            "query_ms": round(statistics.median(r["query"] for r in runs_) * 1000, 1),
            "draw_ms": round(statistics.median(r["draw"] for r in runs_) * 1000, 1),
            "p50_ms": round(statistics.median(totals) * 1000, 1),
            "p95_ms": round(percentile(totals, 95) * 1000, 1),
        }
    return out
