"""A tiny run of the benchmark (python -m bench), so it cannot rot: every section reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.pandas_route import DUCKDB_ONLY

ROOT = Path(__file__).resolve().parents[1]


def test_tiny_benchmark_reports_every_section(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--calls",
            "2000",
            "--complaints",
            "200",
            "--suggestions",
            "100",
            "--extra-calls",
            "100",
            "--runs",
            "1",
            "--pandas-runs",
            "1",
            "--skip",
            "browser",
            "concurrency",
            "--data",
            str(tmp_path / "data"),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert {
        "args",
        "machine",
        "exports",
        "load",
        "pages",
        "queries",
        "wordcloud",
        "browser",
        "concurrency",
        "table",
        "seconds_total",
    } <= figures.keys()
    assert figures["browser"] == {"skipped": True}
    assert figures["concurrency"] == {"skipped": True}

    # 25 respondents (100 suggestions, 4 each) answer 6 scored items: 150 + 100 rows;
    # rectification items are a fifth of the suggestions.
    rows = {name: entry["rows"] for name, entry in figures["exports"].items()}
    assert (
        rows["calls"],
        rows["complaints"],
        rows["survey"],
        rows["rectifications"],
        rows["calls_extra"],
    ) == (2000, 200, 250, 20, 100)

    files = figures["load"]["files"]
    for name, count in (("calls", 2000), ("complaints", 200)):
        loaded = files[name]["etl_load"]["results"][0]
        assert (loaded["rows_inserted"], loaded["rows_rejected"]) == (count, 0)
        assert files[name]["time_ratio"] > 0 and files[name]["memory_ratio"] > 0
        assert files[name]["etl_load"]["profile"]
    assert files["complaints"]["segmentation"]["chars"] > 0

    pages = figures["pages"]["pages"]
    assert pages and all(page["errors"] == [] for page in pages.values()), pages
    entries = figures["queries"]["entries"]
    assert {e["variant"] for e in entries} == {"default", "narrow"}
    for entry in entries:
        assert "p95_ms" in entry["duckdb"], entry["duckdb"]
        if entry["name"] in DUCKDB_ONLY:
            continue
        assert "p50_ms" in entry["pandas"], (entry["name"], entry["pandas"])
        assert entry["same_rows"], (entry["name"], entry["duckdb"]["rows"], entry["pandas"]["rows"])
    assert set(figures["wordcloud"]) == {"province", "one_station"}
    for fmt in ("docx", "pdf"):
        assert figures["briefing"][fmt]["bytes"] > 5_000, figures["briefing"]
    assert figures["table"]
