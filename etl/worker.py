"""The upload page's heavy steps, each in a child process: `python -m etl.worker` reads a job as
JSON on stdin and leaves its answer in the file the job names.

Parsing an upload, segmenting its text and loading it all happen here, never in the dashboard's
own process: a hostile workbook (a zip bomb) or a large load would otherwise swell the server and
stall every other session (docs/pitfalls.md S9). Parsing and previewing run under a memory limit
($MINYI_UPLOAD_MEMORY): a file that needs more is refused with that figure. The warehouse is only
written by the load and the undo, by copy-and-swap, so a child that dies leaves it as it was.
"""

from __future__ import annotations

import json
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from etl import store
from etl.load import FileRefused, LoadResult, Preview

ROOT = Path(__file__).resolve().parents[1]
REFUSED = 2
# What parsing and previewing one upload may hold (address space the child may allocate): far
# more than any real export needs (a 4,326-row workbook previews in 300 MB), far less than a bomb.
UPLOAD_MEMORY = "2GB"
# The fix-up file the page gives out: the file's own columns with these two in front. When that
# file comes back, its old row numbers and reasons are dropped before the new ones are written.
ROW_COLUMN = "行号"
REASON_COLUMN = "错误原因"


@dataclass
class Examined:
    """What the upload page needs of a file before loading it, from one read of it."""

    info: dict[str, Any] | None  # etl.inspect.inspect; None when the file was refused
    sample: pd.DataFrame | None  # the first rows under the header, as the file has them
    refused: str | None = None  # why the file cannot be read at all (one Chinese line)
    sheets: list[str] | None = None  # the workbook's sheets, to pick another when refused
    kind: str | None = None  # the kind the preview was made for
    options: dict[str, Any] | None = None  # the mapping and fixed values it was made with
    preview: Preview | None = None
    preview_refused: str | None = None  # why loading it would be refused (FileRefused)


def upload_memory_bytes() -> int:
    """The memory limit of a parse or preview ($MINYI_UPLOAD_MEMORY or UPLOAD_MEMORY)."""
    return store.size_setting("MINYI_UPLOAD_MEMORY", UPLOAD_MEMORY)


def examine(
    db_path: Path,
    path: Path,
    *,
    file_name: str,
    read: dict[str, Any],
    kind: str | None = None,
    options: dict[str, Any] | None = None,
    limit: int = 20,
    scope_unit_id: str | None = None,
) -> Examined:
    """Read the file, recognise it and preview its load (with `kind` and `options`, else as
    recognised), in a memory-limited child."""
    job = {
        "db": str(db_path),
        "path": str(path),
        "file_name": file_name,
        "read": read,
        "kind": kind,
        "options": options,
        "limit": limit,
        "scope_unit_id": scope_unit_id,
    }
    return _run("examine", job, file_name=file_name, limited=True)


@dataclass
class Loaded:
    """One file's load, and its rejected rows as the fix-up file the page gives out."""

    result: LoadResult
    rejected: pd.DataFrame | None  # None: no row was rejected, or the file could not be re-read
    rejected_failed: str | None = None  # why the fix-up file could not be made


def load_files(db_path: Path, paths: list[Path], kind: str, **options: Any) -> list[Loaded]:
    """etl.load.load_files in a child; FileRefused as there, also when the child fails. A model
    the load would train is left to the background job the child starts (intel.jobs): the page
    does not wait for a fit (LoadResult.training names what is being trained)."""
    options = {"background": True, **options}
    job = {"db": str(db_path), "paths": [str(p) for p in paths], "kind": kind, "options": options}
    return _run("load", job, file_name=None, limited=False)


def undo_import(db_path: Path, import_id: int, **options: Any) -> dict[str, int]:
    """etl.undo.undo_import in a child (restoring rows segments their text again)."""
    job = {"db": str(db_path), "import_id": import_id, "options": options}
    return _run("undo", job, file_name=None, limited=False)


def _run(step: str, job: dict[str, Any], *, file_name: str | None, limited: bool) -> Any:
    with tempfile.TemporaryDirectory(prefix="minyi-worker-") as folder:
        answer = Path(folder) / "answer.pickle"
        job = {**job, "step": step, "answer": str(answer), "limited": limited}
        done = subprocess.run(
            [sys.executable, "-m", "etl.worker"],
            input=json.dumps(job, ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            check=False,
        )
        if done.returncode == 0:
            # Written by this module's own child from its own objects: plain data, no one else's.
            with answer.open("rb") as f:
                return pickle.load(f)
        if done.returncode == REFUSED:
            raise FileRefused(json.loads(done.stdout)["refused"])
    if limited and _out_of_memory(done):
        raise FileRefused(_too_big(file_name))
    last = (done.stderr.strip().splitlines() or ["?"])[-1]
    raise FileRefused(f"导入进程意外结束（{done.returncode}）：{last}。数据库未改动。")


def _out_of_memory(done: subprocess.CompletedProcess) -> bool:
    """A child stopped by its memory limit: Python's MemoryError, DuckDB's out-of-memory, or an
    abort where a library could not allocate."""
    if done.returncode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL):
        return True
    return any(
        sign in done.stderr
        for sign in ("MemoryError", "Out of Memory", "cannot allocate memory", "std::bad_alloc")
    )


def _too_big(file_name: str | None) -> str:
    mb = upload_memory_bytes() >> 20
    return (
        f"文件「{file_name}」解开后超过 {mb:,} MB 的内存上限，未导入（可能是压缩炸弹，"
        "或文件过大）：请确认文件来源，或按月份、单位拆分后分别上传。"
    )


def to_fix(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors of rows to correct and send again: not a row a later row of the same file was
    loaded in place of (sent again, it would put its older values back)."""
    return [e for e in errors if e.get("superseded_by") is None]


def rejected_rows(path: Path, errors: list[dict[str, Any]], read: dict[str, Any]) -> pd.DataFrame:
    """The rejected rows to fix as the file has them (its own headers, to upload again), with the
    row number and every reason in front."""
    from etl import readers

    reasons: dict[int, list[str]] = {}
    for error in to_fix(errors):
        reasons.setdefault(int(error["row"]), []).append(error["error"])
    export = readers.read_export(path, **read)
    rows = export.preview(max(reasons) - export.header_row)
    rows = rows[rows["_row"].isin(reasons)]
    # A fix-up file uploaded again brings the old numbers and reasons: they are about another file.
    out = rows.drop(columns=["_row", ROW_COLUMN, REASON_COLUMN], errors="ignore")
    out = out.reset_index(drop=True)
    out.insert(0, REASON_COLUMN, ["；".join(dict.fromkeys(reasons[r])) for r in rows["_row"]])
    out.insert(0, ROW_COLUMN, rows["_row"].to_numpy())
    return out.fillna("")


def _limit_memory() -> None:
    limit = upload_memory_bytes()
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _examine(job: dict[str, Any]) -> Examined:
    from etl import readers, safety
    from etl.inspect import inspect
    from etl.load import preview_file

    db, path, name, read = Path(job["db"]), Path(job["path"]), job["file_name"], job["read"]
    try:
        export = readers.read_export(path, **read)
        info = inspect(path, export=export, db_path=db)
        sample = export.preview(5).drop(columns="_row")
    except readers.ExportError as exc:
        return Examined(None, None, refused=str(exc), sheets=_sheets(path))
    kind = job["kind"] or info["kind"]
    if kind is None:
        try:  # no preview will scan the cells: scan them here
            safety.check(path, export)
        except readers.ExportError as exc:
            return Examined(None, None, refused=str(exc), sheets=info["sheets"])
        return Examined(info, sample)
    options = job["options"]
    if options is None:
        options = {
            "mapping": info["mapping"],
            "fixed": {k: v for k, v in info["fixed"].items() if v},
        }
    examined = Examined(info, sample, kind=kind, options=options)
    try:
        examined.preview = preview_file(
            db,
            path,
            kind,
            file_name=name,
            limit=job["limit"],
            **read,
            **options,
            scope_unit_id=job["scope_unit_id"],
        )
    except FileRefused as exc:
        examined.preview_refused = str(exc)
    return examined


def _sheets(path: Path) -> list[str]:
    from etl import readers

    try:
        return readers.list_sheets(path)
    except readers.ExportError:
        return []


def _load(job: dict[str, Any]) -> list[Loaded]:
    from etl import load

    options = job["options"]
    results = load.load_files(
        Path(job["db"]), [Path(p) for p in job["paths"]], job["kind"], **options
    )
    _start_job(Path(job["db"]), job["kind"])
    read = {k: options.get(k) for k in ("sheet", "encoding", "header_row")}
    return [_loaded(Path(path), result, read) for path, result in zip(job["paths"], results)]


def _loaded(path: Path, result: LoadResult, read: dict[str, Any]) -> Loaded:
    """The fix-up file, made while the file is at hand. The load is written by now: whatever
    goes wrong here must not hide its summary, so it becomes a line beside the summary."""
    if not to_fix(result.errors):
        return Loaded(result, None)
    try:
        return Loaded(result, rejected_rows(path, result.errors, read))
    except Exception as exc:  # noqa: BLE001 - the summary of a written load comes first
        return Loaded(result, None, f"被拒绝的行无法整理成文件（{type(exc).__name__}）")


def _undo(job: dict[str, Any]) -> dict[str, int]:
    from etl.undo import undo_import as undo

    done = undo(Path(job["db"]), int(job["import_id"]), **job["options"])
    _start_job(Path(job["db"]), None)  # an undo of any kind may leave a month's replay stale
    return done


def _start_job(db_path: Path, kind: str | None) -> None:
    """After the load or undo is committed: the work it leaves to the background (intel.jobs)."""
    from intel import jobs

    if kind is None or kind in jobs.KINDS:
        jobs.start(db_path)


STEPS = {"examine": _examine, "load": _load, "undo": _undo}


def main() -> int:
    job = json.loads(sys.stdin.read())
    if job["limited"]:
        _limit_memory()
    try:
        answer = STEPS[job["step"]](job)
    except FileRefused as exc:
        print(json.dumps({"refused": str(exc)}, ensure_ascii=False))
        return REFUSED
    with open(job["answer"], "wb") as f:
        pickle.dump(answer, f)
    return 0


if __name__ == "__main__":
    # Run from the imported module, so what is pickled names etl.worker's classes, not __main__'s.
    from etl import worker  # noqa: PLW0406

    sys.exit(worker.main())
