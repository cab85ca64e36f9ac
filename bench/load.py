"""Load section: `python -m etl load` beside DuckDB's own read_csv of the same file."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from bench import generate, loadprobe, procs
from bench.generate import Exports

# DuckDB's own route: the same file into a table of its own, every type auto-detected.
BASELINE = (
    "import duckdb, sys\n"
    "con = duckdb.connect(sys.argv[1])\n"
    'path = sys.argv[2].replace("\'", "\'\'")\n'
    "con.execute(f\"create table t as select * from read_csv('{path}')\")\n"
    "con.close()\n"
    "hwm = [line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')]\n"
    "print(hwm[0])\n"
)
# Above this many call records an untimed build loads them as monthly files (one file of 15M
# outgrows the memory of a 24 GB machine: see RESULTS.md).
IN_PROCESS_ROWS = 3_000_000
# Exports compared with the baseline; ORDER is the load order (units first).
TIMED = ("complaints", "calls")
ORDER = (
    ("units", "units"),
    ("complaints", "complaints"),
    ("calls", "call_records"),
    ("events", "complaint_events"),
    ("survey", "survey_responses"),
    ("rectifications", "rectifications"),
    ("ledger", "report_ledger"),
)


def warm(path: Path) -> None:
    """Read a file once so both contenders find it in the page cache."""
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass


def baseline(csv: Path, work: Path, cap_mb: float | None = None) -> procs.Run:
    """DuckDB's CREATE TABLE AS SELECT * FROM read_csv(...) of `csv`, in its own process."""
    target = work / "baseline.duckdb"
    target.unlink(missing_ok=True)
    try:
        run = procs.python(["-c", BASELINE, str(target), str(csv)], cap_mb=cap_mb)
        if run.returncode == 0:
            run.self_hwm_mb = int(run.stdout.split()[-1]) / 1024
        return run
    finally:
        target.unlink(missing_ok=True)
        Path(f"{target}.wal").unlink(missing_ok=True)


class LoadFailed(RuntimeError):
    """`python -m etl load` exited with an error (not the memory cap)."""


def etl_load(csv: Path, kind: str, db: Path, work: Path, cap_mb: float | None = None) -> dict:
    """`python -m etl load csv --kind kind --db db` with its step profile (bench.loadprobe).

    A load stopped by the memory cap returns its figures with "killed_in" (the step it was in,
    from the probe's trace) instead of a profile; any other failure raises LoadFailed.
    """
    probe, trace = work / f"probe-{kind}.json", work / f"trace-{kind}.jsonl"
    probe.unlink(missing_ok=True)
    trace.unlink(missing_ok=True)
    run = procs.python(
        [
            "-m",
            "bench.loadprobe",
            str(probe),
            "--",
            "load",
            str(csv),
            "--kind",
            kind,
            "--db",
            str(db),
        ],
        env={"BENCH_LOAD_TRACE": str(trace)},
        cap_mb=cap_mb,
    )
    if run.killed:
        return {"run": run, "killed_in": loadprobe.last_step(trace)}
    if run.returncode != 0:
        raise LoadFailed(f"etl load {csv.name} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    detail = json.loads(probe.read_text(encoding="utf-8"))
    run.self_hwm_mb = detail["hwm_mb"]
    return {"run": run, "detail": detail}


def fresh(work: Path) -> Path:
    """An empty working folder for the warehouse (and its archive); returns the warehouse path."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work / "minyi.duckdb"


def load_in_process(csv: Path, kind: str, db: Path) -> dict:
    """Load a file with etl.load.load_files in this process (no interpreter start-up to pay)."""
    from etl.load import load_files

    started = time.perf_counter()
    results = load_files(db, [csv], kind)
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "results": [
            {k: getattr(r, k) for k in ("rows_read", "rows_inserted", "rows_rejected")}
            for r in results
        ],
    }


def _figures(rows: int, loaded: dict) -> dict:
    run = loaded["run"]
    out = {**run.figures(), "rows_per_second": round(rows / run.seconds)}
    if "killed_in" in loaded:
        return {**out, "killed_in": loaded["killed_in"]}
    detail = loaded["detail"]
    return {
        **out,
        "results": detail["results"],
        "profile": detail["profile"],
        "import_seconds": detail["import_seconds"],
    }


def _segmentation(detail: dict) -> dict:
    seconds = detail["segment_seconds"]
    return {
        "texts": detail["texts"],
        "chars": detail["chars"],
        "distinct_texts": detail["distinct_texts"],
        "distinct_chars": detail["distinct_chars"],
        "seconds": seconds,
        "chars_per_second": round(detail["chars"] / seconds) if seconds else None,
    }


def _monthly(path: Path, kind: str, db: Path, work: Path, cap_mb: float | None, log) -> dict:
    """Load the same records as twelve monthly files, one `etl load` each (after a killed load)."""
    parts = generate.split_by_month(path)
    runs = []
    for part in parts:
        log(f"  etl load {part.name}")
        loaded = etl_load(part, kind, db, work, cap_mb)
        if "killed_in" in loaded:
            return {"files": len(parts), "killed": _figures(1, loaded), "file": part.name}
        runs.append(loaded["run"])
    return {
        "files": len(parts),
        "seconds": round(sum(r.seconds for r in runs), 1),
        "peak_mb": round(max(r.peak_mb for r in runs), 1),
        "seconds_per_file": [round(r.seconds, 1) for r in runs],
    }


def build(
    exports: Exports, work: Path, *, timed: bool, cap_mb: float | None = None, log=print
) -> dict:
    """Load every export in order into a fresh warehouse.

    With timed=True the call records and complaints are loaded by `python -m etl load` in a child
    process, each beside DuckDB's own read_csv of the same file; the other files (and all files
    with timed=False) are loaded in this process and only their time is kept. A timed load that
    outgrows cap_mb is stopped, and the records are loaded as monthly files instead.
    """
    db = fresh(work)
    rows = exports.rows()
    out: dict = {"files": {}, "memory_cap_mb": round(cap_mb) if cap_mb else None}
    for name, kind in ORDER:
        path = getattr(exports, name)
        entry: dict = {
            "kind": kind,
            "file": path.name,
            "bytes": path.stat().st_size,
            "rows": rows[name],
        }
        log(f"  etl load {path.name} ({rows[name]:,} rows)")
        if not (timed and name in TIMED):
            if name == "calls" and rows[name] > IN_PROCESS_ROWS:
                entry["etl_load_monthly"] = _monthly(path, kind, db, work, cap_mb, log)
            else:
                entry["etl_load_in_process"] = load_in_process(path, kind, db)
            out["files"][name] = entry
            continue
        warm(path)
        base = baseline(path, work, cap_mb)
        if base.returncode != 0:
            raise LoadFailed(f"baseline read_csv failed: {base.stderr[-2000:]}")
        entry["duckdb_read_csv"] = {
            **base.figures(),
            "rows_per_second": round(rows[name] / base.seconds),
        }
        loaded = etl_load(path, kind, db, work, cap_mb)
        run = loaded["run"]
        entry["etl_load"] = _figures(rows[name], loaded)
        # A killed load's time and memory are lower bounds: it had not finished.
        entry["time_ratio"] = round(run.seconds / base.seconds, 2)
        entry["memory_ratio"] = round(run.peak_mb / base.peak_mb, 2)
        if "killed_in" in loaded:
            log(f"  stopped at {run.killed_over_mb:,.0f} MB in {loaded['killed_in']['step']}")
            entry["etl_load_monthly"] = _monthly(path, kind, db, work, cap_mb, log)
        elif loaded["detail"]["chars"]:
            entry["segmentation"] = _segmentation(loaded["detail"])
        out["files"][name] = entry
    out["warehouse_mb"] = round(db.stat().st_size / 2**20, 1)
    return out
