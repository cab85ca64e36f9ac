"""Benchmark of the classifiers: training time and memory, prediction throughput, the complaint
load with and without them, and the routing simulator on a quarter of cases.

    python -m bench.classify [--complaints N] [--folder DIR] [--json PATH]

The complaints are bench.generate's (categories and handling units as the bureau's exports carry
them). Two warehouses get the same units and the same labelled complaints; one then has its
models removed, and both load the same N complaints with the category column emptied: the
difference is what predicting at load costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import time
from pathlib import Path

from bench import generate, load_models


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(complaints: int, folder: Path) -> dict:
    from etl.load import load_files
    from intel import classify, classify_store
    from queries import db

    exports = generate.generate(folder / "exports", 1_000, complaints, 1_000, 1_000, log=print)
    work = folder / "classify"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    labelled = work / "with" / "minyi.duckdb"
    load_files(labelled, [exports.units], "units")

    started = time.perf_counter()
    load_files(labelled, [exports.complaints], "complaints")  # trains both complaint targets
    first_load = time.perf_counter() - started

    with db.read(labelled) as con:
        ids, texts, labels = classify_store.labelled(con, "category")
        _, _, units = classify_store.labelled(con, "handling_unit")
    out: dict = {"complaints": complaints, "first_load_with_training_s": round(first_load, 1)}
    for target, y in (("category", labels), ("handling_unit", units)):
        before = _peak_mb()
        started = time.perf_counter()
        model = classify.fit(target, ids, texts, y)
        out[f"train_{target}_s"] = round(time.perf_counter() - started, 1)
        out[f"train_{target}_peak_rss_mb"] = round(max(before, _peak_mb()), 0)
        out[f"train_{target}_classes"] = len(model.label_counts)
        started = time.perf_counter()
        model.predict(texts)
        out[f"predict_{target}_per_s"] = round(len(texts) / (time.perf_counter() - started))

    # The same complaints again, under new ids, without category or handling unit (a message
    # board's export): every one gets both predicted, and no labelled row is added (no retraining).
    unlabelled = load_models.unlabelled_copy(exports.complaints, work / "unlabelled.csv")
    without = work / "without" / "minyi.duckdb"
    without.parent.mkdir()
    shutil.copyfile(labelled, without)
    load_models.without_models(without)
    timings = {}
    for name, path in (("without", without), ("with", labelled)):
        started = time.perf_counter()
        load_files(path, [unlabelled], "complaints")
        timings[name] = time.perf_counter() - started
    out["load_unlabelled_without_models_s"] = round(timings["without"], 1)
    out["load_unlabelled_with_models_s"] = round(timings["with"], 1)
    out["load_slowdown"] = round(timings["with"] / timings["without"] - 1, 3)

    # The simulator on the last quarter of the year, as the page runs it (bench.simulate).
    from bench import simulate as simulate_bench

    quarter = simulate_bench.run(
        labelled,
        dt.date(generate.YEAR, 10, 1),
        dt.date(generate.YEAR, 12, 31),
        20,
        log=print,
    )
    out["simulator_quarter"] = {k: v for k, v in quarter.items() if k not in ("db", "peak_rss_mb")}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.classify")
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/minyi-bench"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run(args.complaints, args.folder)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
