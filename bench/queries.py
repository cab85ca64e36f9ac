"""Query section: every named query the pages run, DuckDB on a kept connection against pandas.

Both sides answer the same plan (bench.pages records it) with the default filters and a narrow
one; each entry is run once to warm up, then timed `runs` times (the slower pandas side fewer
times, see --pandas-runs). DuckDB runs here, as the app runs
it (a cursor of the cached reader per query, result as a DataFrame); the pandas route runs in its
own process (bench.pandas_route) so its memory is measured apart.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import queries
from bench import procs
from bench.plan import decode, distinct, percentile
from queries import db as warehouse


def time_duckdb(db: Path, entries: list[dict], runs: int, *, log=print) -> dict[str, dict]:
    """p50/p95 of each entry through queries.run on the app's own read path."""
    out = {}
    for entry in entries:
        params = decode(entry["params"])
        try:
            with warehouse.read(db) as con:
                result = queries.run(con, entry["name"], **params)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                with warehouse.read(db) as con:
                    queries.run(con, entry["name"], **params)
                times.append(time.perf_counter() - started)
            out[entry["key"]] = {
                "rows": len(result.index),
                "p50_ms": round(statistics.median(times) * 1000, 2),
                "p95_ms": round(percentile(times, 95) * 1000, 2),
            }
        except Exception as exc:  # noqa: BLE001 - a failing query is a finding, not a crash
            log(f"  query {entry['name']} failed: {exc}")
            out[entry["key"]] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def time_pandas(
    db: Path, entries: list[dict], runs: int, work: Path, cap_mb: float | None = None
) -> tuple[dict, dict]:
    """The pandas route of each entry, in a child process; (results by key, process figures)."""
    plan_file, out_file = work / "pandas-plan.json", work / "pandas-out.json"
    plan_file.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    run = procs.python(
        ["-m", "bench.pandas_route", str(db), str(plan_file), str(out_file), str(runs)],
        cap_mb=cap_mb,
    )
    if run.returncode != 0:
        return {}, {**run.figures(), "error": run.stderr[-2000:]}
    data = json.loads(out_file.read_text(encoding="utf-8"))
    run.self_hwm_mb = data["hwm_mb"]
    return (
        {r["key"]: r for r in data["results"]},
        {**run.figures(), "load_seconds": data["load_seconds"], "frames_mb": data["frames_mb"]},
    )


def run_section(
    db: Path,
    plan: list[dict],
    runs: int,
    work: Path,
    *,
    pandas_runs: int = 5,
    pandas: bool = True,
    cap_mb: float | None = None,
    log=print,
) -> dict:
    """Time the plan both ways; one row per (query, parameters) with both sides and the ratio."""
    entries = distinct(plan, {name: queries.params_of(name) for name in {e["name"] for e in plan}})
    log(f"  duckdb: {len(entries)} distinct queries × {runs} runs")
    duck = time_duckdb(db, entries, runs, log=log)
    panda, process = ({}, {})
    if pandas:
        log(f"  pandas route (whole tables in memory): {len(entries)} × {pandas_runs} runs")
        panda, process = time_pandas(db, entries, pandas_runs, work, cap_mb)
    rows = []
    for entry in entries:
        d, p = duck.get(entry["key"], {}), panda.get(entry["key"], {})
        row = {
            "name": entry["name"],
            "variant": entry["variant"],
            "pages": entry["pages"],
            "synthesised": entry["synthesised"],
            "params": entry["params"],
            "duckdb": d,
            "pandas": p,
        }
        if d.get("p50_ms") and p.get("p50_ms"):
            row["ratio_p50"] = round(p["p50_ms"] / d["p50_ms"], 1)
            row["same_rows"] = d["rows"] == p["rows"]
        rows.append(row)
    return {"runs": runs, "pandas_runs": pandas_runs, "entries": rows, "pandas_process": process}


def summary(section: dict) -> list[dict]:
    """Per query and variant: the slowest DuckDB p95 and the smallest ratio of its entries."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in section["entries"]:
        grouped.setdefault((row["name"], row["variant"]), []).append(row)
    out = []
    for (name, variant), rows in sorted(grouped.items()):
        timed = [r for r in rows if "p95_ms" in r["duckdb"]]
        ratios = [r["ratio_p50"] for r in rows if "ratio_p50" in r]
        worst = max(timed, key=lambda r: r["duckdb"]["p95_ms"]) if timed else None
        out.append(
            {
                "name": name,
                "variant": variant,
                "entries": len(rows),
                "duckdb_p50_ms": worst["duckdb"]["p50_ms"] if worst else None,
                "duckdb_p95_ms": worst["duckdb"]["p95_ms"] if worst else None,
                "pandas_p50_ms": worst["pandas"].get("p50_ms") if worst else None,
                "min_ratio": min(ratios) if ratios else None,
                "same_rows": all(r.get("same_rows", True) for r in rows),
                "errors": [
                    r["duckdb"].get("error") or r["pandas"].get("error")
                    for r in rows
                    if r["duckdb"].get("error")
                    or r["pandas"].get("error") not in (None, "duckdb only")
                ],
            }
        )
    return out
