"""python -m bench: the province-scale benchmark of issue 5 (run with -h for the options)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench import generate, procs, report

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("load", "pandas", "wordcloud", "briefing", "browser", "concurrency")


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _station(db: Path) -> str:
    """A 派出所 from the middle of the unit tree: the narrow filter and the one-station cloud."""
    import queries
    from queries import db as warehouse

    with warehouse.read(db) as con:
        units = queries.run(con, "filter_units", scope="*")
    stations = units[units["unit_type"] == "派出所"]["unit_id"].tolist()
    return stations[len(stations) // 2]


def _warehouse(args, exports: generate.Exports, work: Path, results: dict) -> Path:
    """The warehouse the other sections read: loaded (and timed) now, or kept from before."""
    from bench import load

    db = work / "minyi.duckdb"
    marker = work / "built.json"
    wanted = {"version": generate.VERSION, "sizes": [args.calls, args.complaints, args.suggestions]}
    if "load" in args.skip:
        results["load"] = {"skipped": True}
        if marker.exists() and json.loads(marker.read_text()) == wanted and db.exists():
            _log(f"warehouse kept from an earlier run: {db}")
            return db
        _log("loading the warehouse (untimed)")
        load.build(exports, work, timed=False, cap_mb=args.memory_cap_gb * 1024, log=_log)
    else:
        _log("load: etl against DuckDB's read_csv")
        results["load"] = load.build(
            exports, work, timed=True, cap_mb=args.memory_cap_gb * 1024, log=_log
        )
    marker.write_text(json.dumps(wanted))
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--calls", type=int, default=15_000_000)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--suggestions", type=int, default=100_000)
    parser.add_argument(
        "--extra-calls",
        type=int,
        default=1_000_000,
        help="call records loaded during the concurrency section",
    )
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (DuckDB)")
    parser.add_argument(
        "--pandas-runs",
        type=int,
        default=5,
        help="timed runs per query of the pandas route (its p50 is the yardstick)",
    )
    parser.add_argument(
        "--idle-seconds",
        type=float,
        default=30.0,
        help="how long the idle sessions of the concurrency section run",
    )
    parser.add_argument(
        "--memory-cap-gb",
        type=float,
        default=round(procs.memory_cap_mb() / 1024, 1),
        help="stop a contender that holds more memory than this (default: 60%% "
        "of this machine's), so a runaway load ends as a figure",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT / "bench" / "data",
        help="generated exports and warehouses (kept between runs)",
    )
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=SECTIONS,
        help="sections to leave out; without load, a warehouse of the same "
        "sizes from an earlier run is reused",
    )
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    started = time.perf_counter()

    from bench import briefing, browser, cloud, concurrency, pages, queries

    results: dict = {
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine": report.machine(),
    }
    _log(
        f"exports: {args.calls:,} calls, {args.complaints:,} complaints, "
        f"{args.suggestions:,} suggestions"
    )
    exports = generate.generate(
        args.data / "exports",
        args.calls,
        args.complaints,
        args.suggestions,
        args.extra_calls,
        log=_log,
    )
    results["exports"] = generate.describe(exports)
    work = args.data / f"run-{args.calls}-{args.complaints}-{args.suggestions}"
    db = _warehouse(args, exports, work, results)
    station = _station(db)
    results["narrow_filter"] = {"unit_id": station, "preset": pages.NARROW_PRESET}

    _log("pages: AppTest on every page (records the queries each page runs)")
    rendered = pages.render_pages(db, station, log=_log)
    plan = rendered.pop("plan")
    results["pages"] = rendered

    _log("queries: DuckDB against the pandas route")
    results["queries"] = queries.run_section(
        db,
        plan,
        args.runs,
        work,
        pandas_runs=args.pandas_runs,
        cap_mb=args.memory_cap_gb * 1024,
        pandas="pandas" not in args.skip,
        log=_log,
    )
    if "wordcloud" in args.skip:
        results["wordcloud"] = {"skipped": True}
    else:
        _log("word cloud")
        results["wordcloud"] = cloud.run_section(db, plan, station)
    if "briefing" in args.skip:
        results["briefing"] = {"skipped": True}
    else:
        _log("briefing: the newest month, DOCX and PDF")
        results["briefing"] = briefing.run_section(db)
    if "browser" in args.skip:
        results["browser"] = {"skipped": True}
    else:
        _log("browser: streamlit run + chromium")
        try:
            results["browser"] = browser.run_section(db, log=_log)
        except Exception as exc:  # noqa: BLE001 - no browser on this machine is reported
            results["browser"] = {"error": f"{type(exc).__name__}: {exc}"}
    if "concurrency" in args.skip:
        results["concurrency"] = {"skipped": True}
    else:
        _log("concurrency: load while four sessions browse")
        results["concurrency"] = concurrency.run_section(
            db, plan, exports.calls_extra, work, idle_seconds=args.idle_seconds, log=_log
        )

    table = report.rows(results)
    results["table"] = [asdict(row) for row in table]
    results["seconds_total"] = round(time.perf_counter() - started, 1)
    print(report.render(table))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
        _log(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
