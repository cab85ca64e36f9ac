"""The routing simulator (路由模拟) on an existing warehouse, as its page runs it:

    python -m bench.simulate --db PATH --start 2025-10-01 --end 2025-12-31 [--runs 20] [--json P]
    python -m bench.simulate --db PATH --start … --end … --stored   # months `etl simulate` stored

Cold: each month of the period replayed from the warehouse (intel.simulate_store.replay_month:
its queries, the model's training and its predictions), which the page does once per warehouse
file and month. Warm: what the page then does for any period, tree or role made of replayed
months (the kept months unpickled, as st.cache_data hands out copies; the period and the tree
kept; the curve over every threshold; the breakdowns by unit and by category), timed `runs`
times; p50/p95 in ms. The warehouse is opened read-only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import resource
import statistics
import time
from pathlib import Path

import queries
from bench.plan import percentile
from intel import simulate, simulate_store
from queries import db


def run(path: Path, start: dt.date, end: dt.date, runs: int, *, log=print) -> dict:
    """Cold seconds per month, then the warm page work's p50/p95 (ms) over `runs` runs."""
    out: dict = {"db": str(path), "start": str(start), "end": str(end), "cold_s": {}}
    months = []
    with db.read(path) as con:
        for month in simulate_store.month_starts(start, end):
            started = time.perf_counter()
            months.append(simulate_store.replay_month(con, month))
            out["cold_s"][str(month)] = round(time.perf_counter() - started, 1)
            log(f"  {month}: {len(months[-1]):,} cases replayed in {out['cold_s'][str(month)]} s")
        units = queries.run(con, "scope_units", scope="*")["unit_id"]
    kept = [pickle.dumps(month) for month in months]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        replayed = simulate.keep([pickle.loads(month) for month in kept], start, end, units)
        curve = simulate.curve(replayed)
        simulate.breakdown(replayed, 0.9, "unit_name")
        simulate.breakdown(replayed, 0.9, "category")
        times.append(time.perf_counter() - started)
    at = curve.set_index("threshold").loc[0.9]
    out.update(
        cases=len(replayed),
        cold_total_s=round(sum(out["cold_s"].values()), 1),
        warm_p50_ms=round(statistics.median(times) * 1000, 1),
        warm_p95_ms=round(percentile(times, 95) * 1000, 1),
        runs=runs,
        routed_at_090=int(at["routed"]),
        right_at_090=int(at["right"]),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    return out


def run_stored(path: Path, start: dt.date, end: dt.date, runs: int) -> dict:
    """The page's work on stored months, reads included: p50/p95 (ms) over `runs` runs."""
    starts = simulate_store.month_starts(start, end)
    with db.read(path) as con:
        missing = [str(m) for m in starts if simulate_store.stored(con, m) is None]
        units = queries.run(con, "scope_units", scope="*")["unit_id"]
    if missing:
        raise SystemExit(
            f"未预先计算或已过期的月份：{', '.join(missing)}（python -m etl simulate）"
        )
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with db.read(path) as con:
            months = [simulate_store.stored(con, m) for m in starts]
        replayed = simulate.keep(months, start, end, units)
        curve = simulate.curve(replayed)
        simulate.breakdown(replayed, 0.9, "unit_name")
        simulate.breakdown(replayed, 0.9, "category")
        times.append(time.perf_counter() - started)
    at = curve.set_index("threshold").loc[0.9]
    return {
        "db": str(path),
        "start": str(start),
        "end": str(end),
        "stored": True,
        "cases": len(replayed),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 95) * 1000, 1),
        "runs": runs,
        "routed_at_090": int(at["routed"]),
        "right_at_090": int(at["right"]),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.simulate")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--start", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--end", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--stored", action="store_true", help="time the page on months etl simulate stored"
    )
    args = parser.parse_args(argv)
    if args.stored:
        result = run_stored(args.db, args.start, args.end, args.runs)
    else:
        result = run(args.db, args.start, args.end, args.runs)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
