"""The hot-topic, rising/distinctive-word and keyword queries timed on an existing warehouse:

python -m bench.intel_queries WAREHOUSE [--runs R] [--queries NAME ...]

The warehouse is opened read-only (the app's read path, queries.db.read); each query runs once to
warm up, then R times, and its p95 is reported (bench.plan.percentile, as in the query section of
python -m bench). bench.intel times the same queries on the small warehouse it loads; this is for
a province-scale one (bench/RESULTS_intel.md).

Three filters: `quarter`, the whole bureau over the 90 days up to the newest complaint; `narrow`,
the 分局 with the most cases over the 30 days up to it; `year`, the whole bureau over 365 days. The
previous period is the one of the same length just before; keyword_records looks up the filter's
most frequent word, as a click on the cloud does; keyword_distinctive compares the 分局 with the
rest in each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import queries
from bench.plan import percentile
from queries import db

QUERIES = (
    "hot_topics",
    "keyword_rising",
    "keyword_distinctive",
    "keyword_counts",
    "keyword_records",
    "repeat_groups",
)
# filter variant -> (days up to the newest complaint, whole bureau?); year is about the app's
# default period (近12个月), the default of python -m bench's query section.
VARIANTS = {"quarter": (90, True), "narrow": (30, False), "year": (365, True)}


def p95(con, name: str, params: dict, runs: int) -> float:
    """Warm p95 of `runs` timed runs of query `name` (one untimed run first)."""
    queries.run(con, name, **params)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        queries.run(con, name, **params)
        times.append(time.perf_counter() - started)
    return percentile(times, 95)


def query_params(start: dt.date, end: dt.date, days: int, unit_ids: list[str]) -> dict:
    """Every parameter the word and hot-topic queries bind, for `days` days up to `end` compared
    with the `days` before."""
    return {
        "start": start,
        "end": end,
        "prev_start": start - dt.timedelta(days=days),
        "prev_end": start - dt.timedelta(days=1),
        "unit_ids": unit_ids,
        "channels": [],
        "categories": [],
        "scope": "*",
        "sources": [],
        "min_count": 5,
        "top_n": 100,
        "limit": 20,
        "offset": 0,
        "min_respondents": 5,
    }


def _filters(con) -> dict[str, dict]:
    """Each variant's parameters (every parameter any of QUERIES binds)."""
    last = con.execute("select max(received_at)::date from complaints").fetchone()[0]
    branch = con.execute(
        """
        select c.ancestor_id
        from complaint_case_facts as k
        join unit_closure as c on c.unit_id = k.unit_id
        join units as u on u.unit_id = c.ancestor_id
        where u.unit_type = '分局'
        group by c.ancestor_id
        order by count(*) desc, c.ancestor_id
        limit 1
        """
    ).fetchone()
    out = {}
    for variant, (days, whole) in VARIANTS.items():
        start = last - dt.timedelta(days=days - 1)
        unit_ids = [] if whole or branch is None else [branch[0]]
        out[variant] = query_params(start, last, days, unit_ids)
        # 特征词 needs chosen units: the 分局 in both variants.
        out[variant]["distinctive_units"] = [branch[0]] if branch else []
    return out


def measure(con, runs: int, names: tuple[str, ...] = QUERIES) -> dict:
    """Warm p95 (ms) of each named query for each filter variant, with its parameters' gist."""
    result = {}
    for variant, params in _filters(con).items():
        units = params.pop("distinctive_units")
        top = queries.run(con, "keyword_counts", **_bound("keyword_counts", {**params, "top_n": 1}))
        params["token"] = top["token"].iloc[0] if len(top.index) else ""
        result[variant] = {
            "start": params["start"].isoformat(),
            "end": params["end"].isoformat(),
            "unit_ids": params["unit_ids"],
            "token": params["token"],
        }
        for name in names:
            extra = {"unit_ids": units} if name == "keyword_distinctive" else {}
            bound = _bound(name, {**params, **extra})
            result[variant][f"p95_ms_{name}"] = round(p95(con, name, bound, runs) * 1000, 1)
    return result


def _bound(name: str, params: dict) -> dict:
    return {k: v for k, v in params.items() if k in queries.params_of(name)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--queries", nargs="*", choices=QUERIES, default=list(QUERIES))
    args = parser.parse_args(argv)
    with db.read(args.warehouse) as con:
        result = {"warehouse": str(args.warehouse), "runs": args.runs}
        result.update(measure(con, args.runs, tuple(args.queries)))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
