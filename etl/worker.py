"""Loads for the upload page, run in a child process: `python -m etl.worker` reads a job as JSON
on stdin and writes the results as JSON on stdout.

Segmenting text holds the GIL, and a large load holds gigabytes: in the dashboard's own process
either would stall every other session and swell the server (PITFALLS S9). The child does the
same load_files as the command line; the warehouse is still written by copy-and-swap, so a child
that dies leaves it exactly as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from etl.load import FileRefused, LoadResult

ROOT = Path(__file__).resolve().parents[1]
REFUSED = 2


def load_files(db_path: Path, paths: list[Path], kind: str, **options: Any) -> list[LoadResult]:
    """etl.load.load_files in a child process; FileRefused as there, also when the child fails."""
    job = {"db": str(db_path), "paths": [str(p) for p in paths], "kind": kind, "options": options}
    done = subprocess.run(
        [sys.executable, "-m", "etl.worker"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    if done.returncode == REFUSED:
        raise FileRefused(json.loads(done.stdout)["refused"])
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        raise FileRefused(f"导入进程意外结束（{done.returncode}）：{last}。数据库未改动。")
    return [LoadResult(**r) for r in json.loads(done.stdout)]


def main() -> int:
    from etl import load

    job = json.loads(sys.stdin.read())
    try:
        results = load.load_files(
            Path(job["db"]), [Path(p) for p in job["paths"]], job["kind"], **job["options"]
        )
    except FileRefused as exc:
        print(json.dumps({"refused": str(exc)}))
        return REFUSED
    print(json.dumps([asdict(r) for r in results], default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
