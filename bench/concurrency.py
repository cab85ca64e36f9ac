"""Concurrency section: a load of new call records while four sessions keep opening pages.

A session opens the pages in turn; opening a page runs that page's named queries (as recorded by
bench.pages) on the app's read path, uncached, as after a filter change. The same sessions run
first with nothing loading (idle), then during `python -m etl load` of the extra call records into
a copy of the warehouse. Errors on either side, and page-query p95 under load against idle.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import queries
from bench import procs
from bench.plan import decode, percentile
from queries import db as warehouse

SESSIONS = 4


def _pages(plan: list[dict]) -> list[list[tuple[str, dict]]]:
    """Each page's default-filter queries, in the order the page ran them."""
    pages: dict[str, list[tuple[str, dict]]] = {}
    for entry in plan:
        if entry["variant"] == "default" and not entry.get("synthesised"):
            pages.setdefault(entry["page"], []).append((entry["name"], decode(entry["params"])))
    return list(pages.values())


def _browse(
    db: Path, pages: list, offset: int, stop: threading.Event, latencies: list, errors: list
) -> None:
    i = offset
    while not stop.is_set():
        for name, params in pages[i % len(pages)]:
            started = time.perf_counter()
            try:
                with warehouse.read(db) as con:
                    queries.run(con, name, **params)
            except Exception as exc:  # noqa: BLE001 - any reader failure is what this measures
                errors.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
            latencies.append(time.perf_counter() - started)
            if stop.is_set():
                return
        i += 1


def _phase(db: Path, pages: list, until) -> dict:
    """Run SESSIONS sessions until until() returns; their query latencies and errors."""
    stop = threading.Event()
    latencies: list[float] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=_browse, args=(db, pages, n, stop, latencies, errors))
        for n in range(SESSIONS)
    ]
    for thread in threads:
        thread.start()
    try:
        result = until()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return {
        "queries": len(latencies),
        "errors": errors[:20],
        "error_count": len(errors),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95) * 1000, 1) if latencies else None,
        "result": result,
    }


def run_section(
    db: Path,
    plan: list[dict],
    extra_calls: Path,
    work: Path,
    *,
    idle_seconds: float = 30.0,
    log=print,
) -> dict:
    """Idle sessions for idle_seconds, then the same sessions during the load of extra_calls."""
    pages = _pages(plan)
    if not pages:
        return {"error": "no page queries were recorded"}
    folder = work / "concurrency"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy = folder / db.name
    shutil.copyfile(db, copy)
    try:
        log(f"  idle: {SESSIONS} sessions for {idle_seconds:.0f} s")
        idle = _phase(copy, pages, lambda: time.sleep(idle_seconds))
        log(f"  during the load of {extra_calls.name}")
        loading = _phase(
            copy,
            pages,
            lambda: procs.python(
                ["-m", "etl", "load", str(extra_calls), "--kind", "call_records", "--db", str(copy)]
            ),
        )
        loader: procs.Run = loading.pop("result")
        idle.pop("result")
        return {
            "sessions": SESSIONS,
            "idle": idle,
            "during_load": loading,
            "loader": {**loader.figures(), "stderr": loader.stderr[-1000:]},
            "p95_ratio": round(loading["p95_ms"] / idle["p95_ms"], 2)
            if idle["p95_ms"] and loading["p95_ms"]
            else None,
        }
    finally:
        warehouse.close_readers()
        shutil.rmtree(folder, ignore_errors=True)
