"""The text intelligence at load and on the pages, at a scale you choose:

python -m bench.intel [--complaints N] [--runs R] [--work DIR]

Generates bench-style exports (bench.generate), loads the units and N complaints into a fresh
warehouse twice, without and with the repeat linking and reply screening (intel.repeats), and
reports the linking cost per 10^5 complaints; then, on the warehouse with links, the warm p95 over
R runs of the hot-topic, rising-word, distinctive-word and keyword queries for the last quarter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

import queries
from bench import generate
from etl.load import load_files
from queries import db


def _load(exports: generate.Exports, warehouse: Path, *, linking: bool) -> float:
    load_files(warehouse, [exports.units], "units")
    started = time.perf_counter()
    if linking:
        load_files(warehouse, [exports.complaints], "complaints")
    else:
        with mock.patch("intel.repeats.link_import"):
            load_files(warehouse, [exports.complaints], "complaints")
    return time.perf_counter() - started


def _p95(con, name: str, params: dict, runs: int) -> float:
    queries.run(con, name, **params)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        queries.run(con, name, **params)
        times.append(time.perf_counter() - started)
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="minyi-bench-intel-"))
    exports = generate.generate(
        work / "exports",
        calls=1_000,
        complaints=args.complaints,
        suggestions=200,
        extra_calls=1_000,
        log=lambda m: None,
    )
    result = {"complaints": args.complaints}
    for linking in (False, True):
        folder = work / ("linked" if linking else "plain")
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("minyi.duckdb*"):
            old.unlink()
        result["load_s_" + ("with_linking" if linking else "without")] = round(
            _load(exports, folder / "minyi.duckdb", linking=linking), 2
        )
    extra = result["load_s_with_linking"] - result["load_s_without"]
    result["linking_s_per_100k"] = round(extra / args.complaints * 100_000, 1)
    result["load_slower_share"] = round(extra / result["load_s_without"], 3)
    with db.read(work / "linked" / "minyi.duckdb") as con:
        result["groups"], result["cases_in_groups"] = con.execute(
            "select count(distinct group_id), count(*) from case_groups"
        ).fetchone()
        last = con.execute("select max(received_at)::date from complaints").fetchone()[0]
        start = last - dt.timedelta(days=89)
        unit = con.execute(
            "select unit_id from complaint_case_facts group by unit_id order by count(*) desc"
            " limit 1"
        ).fetchone()[0]
        token = con.execute(
            "select token from token_days group by token order by sum(n) desc limit 1"
        ).fetchone()[0]
        base = {
            "start": start,
            "end": last,
            "prev_start": start - dt.timedelta(days=90),
            "prev_end": start - dt.timedelta(days=1),
            "unit_ids": [],
            "channels": [],
            "categories": [],
            "scope": "*",
            "sources": [],
            "min_count": 5,
            "top_n": 100,
            "limit": 20,
            "offset": 0,
            "min_respondents": 5,
            "token": token,
        }
        for name, extra_params in (
            ("hot_topics", {}),
            ("keyword_rising", {}),
            ("keyword_distinctive", {"unit_ids": [unit]}),
            ("keyword_counts", {}),
            ("keyword_records", {}),
            ("repeat_groups", {}),
        ):
            params = {**base, **extra_params}
            wanted = {k: v for k, v in params.items() if k in queries.params_of(name)}
            result[f"p95_ms_{name}"] = round(_p95(con, name, wanted, args.runs) * 1000, 1)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
