"""`python -m etl load …` with a stopwatch on each step: python -m bench.loadprobe OUT.json -- ARGS.

The loader runs unchanged. Every function of etl.load, and the readers, store and tokenizer calls it
makes, is wrapped (they are module attributes looked up at call time), and each call's time is
added to its place in the call tree, so the profile follows whatever steps the loader has today.
OUT.json gets seconds per step, the characters segmented and the process's memory high-water mark.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.procs import status_mb

SECONDS: dict[tuple[str, ...], float] = defaultdict(float)
CALLS: dict[tuple[str, ...], int] = defaultdict(int)
TEXTS = {"texts": 0, "chars": 0, "distinct_texts": 0, "distinct_chars": 0}
RESULTS: list[dict] = []
_stack: list[str] = []
MIN_SECONDS = 0.005  # steps shorter than this in total are left out of the profile
TRACE = os.environ.get("BENCH_LOAD_TRACE")
STARTED = time.perf_counter()


def _wrap(owner, name: str, label: str | None = None) -> None:
    original = getattr(owner, name)
    label = label or name

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        _stack.append(label(args) if callable(label) else label)
        path = tuple(_stack)
        _trace("enter", path)
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SECONDS[path] += time.perf_counter() - started
            CALLS[path] += 1
            _trace("leave", path)
            _stack.pop()

    setattr(owner, name, wrapper)


def _trace(event: str, path: tuple[str, ...]) -> None:
    # One line per step entered and left, written at once: when the process is killed (memory
    # cap), the last line says in which step and at what size.
    if TRACE:
        with open(TRACE, "a", encoding="utf-8") as f:
            f.write(
                json.dumps(
                    {
                        "t": round(time.perf_counter() - STARTED, 2),
                        "event": event,
                        "step": " > ".join(path),
                        "rss_mb": round(status_mb(os.getpid(), "VmRSS")),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


def last_step(trace: Path) -> dict | None:
    """The last line of a trace file: where a killed load was."""
    if not trace.exists():
        return None
    lines = trace.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[-1]) if lines else None


def _count_texts(texts, *args, **kwargs) -> None:
    present = [t for t in texts if t]
    distinct = set(present)
    TEXTS["texts"] += len(texts)
    TEXTS["chars"] += sum(map(len, present))
    TEXTS["distinct_texts"] += len(distinct)
    TEXTS["distinct_chars"] += sum(map(len, distinct))


def install() -> None:
    """Wrap the loader's steps."""
    from etl import derived, load, mapping, readers, store, tokenizer, tokens, upsert, validate

    # The loader's stages are called by bare name from etl.load: wrap them where load looks them up.
    for module in (load, mapping, validate, upsert, tokens, derived):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__:
                _wrap(module, name)
                if module is not load and hasattr(load, name):
                    _wrap(load, name)
    _wrap(readers, "read_export")
    _wrap(readers.Export, "to_duckdb", "Export.to_duckdb (csv → _raw)")
    _wrap(store, "migrate")
    _wrap(store, "replace_file", "swap (os.replace)")
    original = tokenizer.count_tokens

    @functools.wraps(original)
    def count_tokens(texts, *args, **kwargs):
        _count_texts(texts)
        return original(texts, *args, **kwargs)

    tokenizer.count_tokens = count_tokens
    _wrap(tokenizer, "count_tokens", "tokenizer.count_tokens (segment)")
    _wrap(
        shutil,
        "copyfile",
        lambda args: (
            "copy into archive" if Path(args[1]).parent.name == "archive" else "copy warehouse"
        ),
    )


def profile() -> list[dict]:
    """The call tree as rows plus each node's time outside its children."""
    rows = []
    for path, seconds in SECONDS.items():
        if seconds >= MIN_SECONDS:
            rows.append(
                {"step": " > ".join(path), "seconds": round(seconds, 3), "calls": CALLS[path]}
            )
        inner = sum(s for p, s in SECONDS.items() if len(p) == len(path) + 1 and p[:-1] == path)
        if inner and seconds - inner >= MIN_SECONDS:
            rows.append(
                {
                    "step": " > ".join((*path, "(own code: SQL and Python not wrapped)")),
                    "seconds": round(seconds - inner, 3),
                    "calls": CALLS[path],
                }
            )
    return sorted(rows, key=lambda r: r["step"])


def main(argv: list[str]) -> int:
    out, rest = Path(argv[0]), argv[argv.index("--") + 1 :]
    started = time.perf_counter()
    install()
    from etl import load
    from etl.__main__ import main as etl_main

    timed_load_files = load.load_files

    def load_files(*args, **kwargs):
        results = timed_load_files(*args, **kwargs)
        RESULTS.extend(
            {
                k: getattr(r, k)
                for k in (
                    "file_name",
                    "rows_read",
                    "rows_inserted",
                    "rows_updated",
                    "rows_rejected",
                )
            }
            for r in results
        )
        return results

    load.load_files = load_files
    imported = time.perf_counter()
    code = etl_main(rest)
    ended = time.perf_counter()
    segment = sum(s for p, s in SECONDS.items() if p[-1].startswith("tokenizer.count_tokens"))
    out.write_text(
        json.dumps(
            {
                "returncode": code,
                "seconds_inside": round(ended - started, 3),
                "import_seconds": round(imported - started, 3),
                "profile": profile(),
                "segment_seconds": round(segment, 3),
                **TEXTS,
                "results": RESULTS,
                "hwm_mb": round(status_mb(os.getpid(), "VmHWM"), 1),
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
