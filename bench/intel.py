"""The text intelligence at load and on the pages, at a scale you choose:

python -m bench.intel [--complaints N] [--runs R] [--repeat K] [--work DIR]

Generates bench-style exports (bench.generate), loads the units and N complaints into a fresh
warehouse K times each way, alternating without and with the repeat linking and reply screening
(intel.repeats), and reports the fastest load of each way and the fastest linking itself, in wall
and in CPU seconds, and the linking cost per 10^5 complaints; then, on the warehouse with links,
the warm p95 over R runs of the hot-topic, rising-word, distinctive-word and keyword queries for
the last quarter. On a shared machine one load of each way says little: the first load of a
process also pays for loading the tokeniser.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import tempfile
import time
from pathlib import Path
from unittest import mock

import queries
from bench import generate, intel_queries
from etl.load import load_files
from intel import repeats
from queries import db


def _load(exports: generate.Exports, warehouse: Path, *, linking: bool) -> dict[str, float]:
    """Seconds of the complaint load and of the linking inside it, wall and CPU (this process's
    threads, DuckDB's included: on a shared machine CPU seconds vary less than wall seconds)."""
    load_files(warehouse, [exports.units], "units")
    linked = {"wall": 0.0, "cpu": 0.0}
    link_import = repeats.link_import

    def timed(con, import_id):
        wall, cpu = time.perf_counter(), time.process_time()
        link_import(con, import_id)
        linked["wall"] += time.perf_counter() - wall
        linked["cpu"] += time.process_time() - cpu

    wall, cpu = time.perf_counter(), time.process_time()
    with mock.patch("intel.repeats.link_import", timed if linking else lambda con, import_id: None):
        load_files(warehouse, [exports.complaints], "complaints")
    return {
        "load": time.perf_counter() - wall,
        "load_cpu": time.process_time() - cpu,
        "linking": linked["wall"],
        "linking_cpu": linked["cpu"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
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
    result = {"complaints": args.complaints, "repeat": args.repeat}
    seconds: dict[bool, list[dict]] = {False: [], True: []}
    for _ in range(args.repeat):
        for linking in (False, True):
            folder = work / ("linked" if linking else "plain")
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            seconds[linking].append(_load(exports, folder / "minyi.duckdb", linking=linking))

    def fastest(linking: bool, figure: str) -> float:
        return round(min(s[figure] for s in seconds[linking]), 2)

    for suffix in ("", "_cpu"):
        without, with_linking = fastest(False, "load" + suffix), fastest(True, "load" + suffix)
        result["load_s_without" + suffix] = without
        result["load_s_with_linking" + suffix] = with_linking
        result["linking_s" + suffix] = fastest(True, "linking" + suffix)
        result["linking_s_per_100k" + suffix] = round(
            result["linking_s" + suffix] / args.complaints * 100_000, 1
        )
        result["load_slower_share" + suffix] = round((with_linking - without) / without, 3)
    result["loads_s"] = {
        ("with_linking" if linking else "without"): [
            {k: round(v, 1) for k, v in s.items() if linking or not k.startswith("linking")}
            for s in runs
        ]
        for linking, runs in seconds.items()
    }
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
        base = {**intel_queries.query_params(start, last, 90, []), "token": token}
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
            result[f"p95_ms_{name}"] = round(
                intel_queries.p95(con, name, wanted, args.runs) * 1000, 1
            )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
