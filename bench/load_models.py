"""What the classifier and the repeat linking cost a complaint load, apart and together:

python -m bench.load_models [--complaints N] [--folder DIR] [--json PATH]
python -m bench.load_models --warehouse TRAINED.duckdb --export COMPLAINTS.csv [--complaints N]

Generates bench-style exports (bench.generate), loads the N complaints labelled, trains the
category model (`etl train`; a load only trains once records wait for a proposal, and that fit is
timed apart), then loads the same complaints again under new ids without category or handling unit
(a message board's export) into four copies of that warehouse: with neither the model nor the
linking, with each alone, and with both.
With --warehouse, the first N complaints of --export go into copies of that trained warehouse
instead (a province's day of messages into its year). Reports CPU seconds of this process
(DuckDB's threads included; on a shared machine they vary less than wall seconds) and each load's
share slower than the load with neither. The issues' targets: the model ≤ 25 %, model and linking
together ≤ 50 %.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import pandas as pd

from bench import generate
from etl import store
from etl.load import load_files
from queries import db

WAYS = {  # name: (model kept, linking on)
    "neither": (False, False),
    "linking": (False, True),
    "model": (True, False),
    "both": (True, True),
}


def unlabelled_copy(complaints: Path, out: Path, rows: int | None = None) -> Path:
    """The same complaints (the first `rows`) under new ids (N…) without category or handling
    unit."""
    frame = pd.read_csv(complaints, dtype=str, keep_default_na=False, nrows=rows)
    frame[frame.columns[0]] = "N" + frame[frame.columns[0]]
    frame["问题类别"] = ""
    frame["承办单位"] = ""
    frame.to_csv(out, index=False, encoding="utf-8-sig")
    return out


def without_models(path: Path) -> None:
    """No model, and none trained by a load."""
    with store.write(path) as con:
        con.execute("delete from models")
        con.execute("update settings set value = '1e12' where key = 'classify_min_rows'")


def run(labelled: Path, unlabelled: Path, work: Path) -> dict:
    """Load `unlabelled` into a copy of the trained warehouse `labelled` (its models folder beside
    it) each of the four ways; CPU and wall seconds, shares slower, proposals made."""
    out: dict = {}
    for name, (model, linking) in WAYS.items():
        path = work / name / "minyi.duckdb"
        shutil.rmtree(path.parent, ignore_errors=True)
        shutil.copytree(labelled.parent, path.parent)
        if not model:
            without_models(path)
        off = mock.patch("intel.repeats.link_import", lambda con, import_id: None)
        with contextlib.nullcontext() if linking else off:
            cpu, wall = time.process_time(), time.perf_counter()
            load_files(path, [unlabelled], "complaints")
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        with db.read(path) as con:
            proposals = con.execute(
                "select count(*) from predictions"
                " where import_id = (select max(import_id) from imports)"
            ).fetchone()[0]
        out[name] = {"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "proposals": proposals}
    base = out["neither"]["cpu_s"]
    for figures in out.values():
        figures["slower_share_cpu"] = round(figures["cpu_s"] / base - 1, 3)
    return out


def _labelled(folder: Path, complaints: int, result: dict) -> tuple[Path, Path]:
    """A warehouse of bench.generate's `complaints`, labelled, and its category model trained."""
    exports = generate.generate(
        folder / "exports", 1_000, complaints, 1_000, 1_000, log=lambda m: None
    )
    labelled = folder / "labelled" / "minyi.duckdb"
    shutil.rmtree(labelled.parent, ignore_errors=True)
    load_files(labelled, [exports.units], "units")
    load_files(labelled, [exports.complaints], "complaints")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "etl", "train", "--db", str(labelled), "--target", "category"],
        check=True,
    )
    result["train_category_s"] = time.perf_counter() - started
    return labelled, exports.complaints


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="a trained warehouse (its models folder beside it) to load into instead, e.g. a"
        " province's; its folder is copied once per way",
    )
    parser.add_argument("--export", type=Path, help="with --warehouse: the complaints to load")
    args = parser.parse_args(argv)
    if bool(args.warehouse) != bool(args.export):
        parser.error("--warehouse and --export go together")
    folder = args.folder or Path(tempfile.mkdtemp(prefix="minyi-bench-load-models-"))
    folder.mkdir(parents=True, exist_ok=True)
    result: dict = {"complaints": args.complaints}
    if args.warehouse:
        labelled, export = args.warehouse, args.export
    else:
        labelled, export = _labelled(folder, args.complaints, result)
    unlabelled = unlabelled_copy(export, folder / "unlabelled.csv", args.complaints)
    result["loads"] = run(labelled, unlabelled, folder / "ways")
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
