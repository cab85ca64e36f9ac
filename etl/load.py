"""Load exports into the warehouse: read → map headers → normalise → validate → upsert → tokenise.

The stages live in their own modules (etl.mapping, etl.validate, etl.upsert, etl.tokens,
etl.derived); this one reads the file and runs them in order.

One function for the command line, the demo, the tests and the upload page. A call is one
transaction published by an atomic swap (etl.store): a file that is refused, or a crash half-way,
leaves the warehouse exactly as it was. Rows are keyed on the record's own id, so loading the same
file twice changes nothing and a newer export of the same records updates them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl import category_tree, derived, problem_map, readers, safety, store
from etl.derived import refresh_unit_closure
from etl.errors import FileRefused
from etl.mapping import (
    detected_profile,
    mapping_problem,
    melt_questionnaire,
    metric_warnings,
    questionnaire_columns,
    resolve_mapping,
)
from etl.sources import KINDS, Kind
from etl.tokens import retokenise, tokenise
from etl.upsert import (
    DEFAULT_SOURCE,
    apply,
    changed_fields,
    classify,
    dedupe,
    drop_work_tables,
    other_sources,
    sourced,
)
from etl.validate import build_lookups, nearest_units, row_errors, scope_errors, type_rows
from intel import classify_store, repeats

# Callers import these from here: the loader's public names, whichever stage defines them.
__all__ = [
    "FileRefused",
    "LoadOptions",
    "LoadResult",
    "Preview",
    "headline_figures",
    "load_files",
    "load_manifest",
    "preview_file",
    "questionnaire_columns",
    "read_profile",
    "rebuild",
    "refresh_unit_closure",
    "retokenise",
]

NORMALISE_SQL = Path(__file__).resolve().parent / "normalise.sql"
PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
# A load may hold this many bytes in DuckDB per byte of its file (at least MEMORY_FLOOR), up
# to the ceiling of etl.store: a CSV of 150 MB (1M call records) loads in under 400 MB.
MEMORY_PER_FILE_BYTE = 2.5
MEMORY_FLOOR = 256 << 20
CHANGES_SHOWN = 1000  # changed fields a preview lists (an update of a whole export has millions)


@dataclass
class LoadResult:
    """What one file did to the warehouse."""

    import_id: int
    file_name: str
    kind: str
    rows_read: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    encoding: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)
    source_system: str | None = None  # what the rows are keyed under with their id (None: units)
    figures: list[dict[str, Any]] = field(default_factory=list)  # headline KPIs before and after
    # Before anything is written: which figures the file will move and how (Chinese sentences).
    warnings: list[str] = field(default_factory=list)
    # The classifier targets whose training this load left to the background job (intel.jobs).
    training: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The --json shape: counts and every rejected row."""
        keys = (
            "import_id",
            "rows_read",
            "rows_inserted",
            "rows_updated",
            "rows_rejected",
            "errors",
            "warnings",
        )
        data = asdict(self)
        return {k: data[k] for k in keys}


@dataclass
class LoadOptions:
    """How to read and map one file; recorded with the import so `rebuild` replays it exactly."""

    sheet: str | None = None
    header_row: int | None = None
    encoding: str | None = None
    mapping: dict[str, str | None] | None = None  # file header -> contract column (None = ignore)
    fixed: dict[str, str] = field(default_factory=dict)  # contract column -> value for every row
    profile: str | None = None
    source: str | None = None  # the system the file came from; None: the profile's, else detected


def load_files(
    db_path: Path,
    paths: Iterable[Path],
    kind: str,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    profile: str | None = None,
    fixed: dict[str, str] | None = None,
    mapping: dict[str, str | None] | None = None,
    user: str | None = None,
    scope_unit_id: str | None = None,
    source: str | None = None,
    background: bool = False,
) -> list[LoadResult]:
    """Load files of one kind in one transaction; raise FileRefused (writing nothing) if any is refused.

    With `scope_unit_id` (a staff account's unit) only rows of that unit's tree are taken. With
    `background` (the upload page) a model the load would train is left to the job the caller
    starts (intel.jobs.start): LoadResult.training names its targets.
    """
    spec = _kind(kind)
    options = _with_profile(
        LoadOptions(sheet, header_row, encoding, mapping, dict(fixed or {}), profile, source),
        spec,
        db_path,
    )
    with store.write(db_path) as con:
        before = headline_figures(con, scope_unit_id or "*")
        results = [
            _load_one(
                con,
                Path(db_path),
                Path(p),
                spec,
                options,
                user,
                scope_unit_id=scope_unit_id,
                background=background,
            )
            for p in paths
        ]
        derived.refresh(con, [r.import_id for r in results])
        after = headline_figures(con, scope_unit_id or "*")
        figures = [
            {"metric": m, "label": label, "before": before.get(m, (label, None))[1], "after": value}
            for m, (label, value) in after.items()
        ]
        for result in results:
            result.figures = figures
            con.execute(
                "update imports set figures = $figures where import_id = $id",
                {"figures": json.dumps(figures, ensure_ascii=False), "id": result.import_id},
            )
        return results


def headline_figures(
    con: duckdb.DuckDBPyConnection, scope: str = "*"
) -> dict[str, tuple[str, float | None]]:
    """The overview KPIs over all data of a unit tree ('*': the whole bureau; a staff account's
    load reports its own tree only): metric -> (label, value)."""
    import queries

    every_day = {"start": dt.date(1900, 1, 1), "end": dt.date(2999, 12, 31)}
    kpis = queries.run(
        con,
        "overview_kpis",
        **every_day,
        unit_ids=[],
        channels=[],
        police_types=[],
        categories=[],
        scope=scope,
        formula="standard",
    )
    return {
        row.metric: (row.label, None if pd.isna(row.value) else float(row.value))
        for row in kpis.itertuples()
    }


def load_manifest(
    db_path: Path, manifest: Path, *, user: str | None = "demo", fresh: bool = False
) -> list[LoadResult]:
    """Load every file a manifest lists, in order, in one transaction (into an empty warehouse
    that replaces the old one when `fresh`).

    The manifest is a JSON list of {"file", "kind", "set"?, "sheet"?, "header_row"?, "mapping"?}
    with file paths relative to the manifest.
    """
    manifest = Path(manifest)
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    results = []
    with store.write(db_path, fresh=fresh) as con:
        for entry in entries:
            spec = _kind(entry["kind"])
            options = _with_profile(
                LoadOptions(
                    sheet=entry.get("sheet"),
                    header_row=entry.get("header_row"),
                    encoding=entry.get("encoding"),
                    mapping=entry.get("mapping"),
                    fixed=dict(entry.get("set") or {}),
                    profile=entry.get("profile"),
                    source=entry.get("source"),
                ),
                spec,
                db_path,
            )
            path = manifest.parent / entry["file"]
            results.append(_load_one(con, Path(db_path), path, spec, options, user))
        derived.refresh(con, None if fresh else [r.import_id for r in results])
    return results


@dataclass
class Preview:
    """What loading a file would do, computed without writing anything."""

    result: LoadResult  # counts as they would be (rows_inserted = new rows, …) and every error
    rows: (
        pd.DataFrame
    )  # the first rows as they would be stored, with their change (new/changed/same)
    unresolved_units: list[dict[str, Any]]  # {"value", "rows", "nearest": [names]}
    # What the clerk should know before loading (as result.warnings): Chinese sentences.
    warnings: list[str] = field(default_factory=list)
    # Each field an update changes: {"row", "record_id", "field", "before", "after"}.
    changes: list[dict[str, Any]] = field(default_factory=list)


def preview_file(
    db_path: Path,
    path: Path,
    kind: str,
    *,
    file_name: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    profile: str | None = None,
    fixed: dict[str, str] | None = None,
    mapping: dict[str, str | None] | None = None,
    limit: int = 20,
    scope_unit_id: str | None = None,
    source: str | None = None,
) -> Preview:
    """Run the load of one file against the live warehouse, read-only, and report what it would do."""
    spec = _kind(kind)
    options = _with_profile(
        LoadOptions(sheet, header_row, encoding, mapping, dict(fixed or {}), profile, source),
        spec,
        db_path,
    )
    con = duckdb.connect(":memory:")
    try:
        con.execute("set enable_progress_bar = false")
        if Path(db_path).exists():
            con.execute("attach $path as live (read_only)", {"path": str(db_path)})
            con.execute("use live")
        else:
            store.migrate(con)
        result = _prepare(
            con,
            Path(path),
            spec,
            options,
            file_name or Path(path).name,
            scope_unit_id,
            db_path=Path(db_path),
        )
        rows = con.execute(
            f"""
            select i._row as row_number, c.change, {", ".join("i." + n for n in spec.column_names)}
            from _incoming as i join _changes as c using (_rid)
            order by i._row, i._rid limit $limit
            """,
            {"limit": limit},
        ).df()
        unresolved = [
            {"value": v, "rows": n, "nearest": nearest_units(con, v)}
            for v, n in con.execute(
                "select value, count(*) from _errors where error like '%不是已知单位%'"
                " group by value order by count(*) desc, value"
            ).fetchall()
        ]
        return Preview(
            result,
            rows,
            unresolved,
            warnings=result.warnings,
            changes=changed_fields(con, spec, CHANGES_SHOWN),
        )
    finally:
        con.close()


def rebuild(db_path: Path) -> list[LoadResult]:
    """Build the warehouse afresh from the archive, replaying every import still in force, in order."""
    db_path = Path(db_path)
    from queries import db

    with db.read(db_path) as con:
        imports = con.execute(
            "select import_id, kind, file_name, file_sha256, uploaded_by, options, source_system"
            " from imports where status = '已导入' order by import_id"
        ).fetchall()
        decisions = repeats.saved_decisions(con)
    archive = store.archive_dir(db_path)
    results = []
    with store.write(db_path, fresh=True) as con:
        repeats.restore_decisions(con, decisions)  # people's split/merge, reapplied by each load
        for import_id, kind, file_name, sha, user, options_json, source in imports:
            saved = json.loads(options_json or "{}")
            matches = sorted(archive.glob(f"{sha}*"))
            if not matches:
                raise FileRefused(f"归档中缺少导入 {import_id} 的文件 {file_name}（{sha}）。")
            options = LoadOptions(**{k: saved.get(k) for k in LoadOptions.__dataclass_fields__})
            options.fixed = options.fixed or {}
            options.source = options.source or source  # imports from before 010 have it there
            results.append(
                _load_one(
                    con,
                    db_path,
                    matches[0],
                    _kind(kind),
                    options,
                    user,
                    import_id=import_id,
                    file_name=file_name,
                )
            )
        derived.refresh(con)
    return results


def read_profile(name: str, db_path: Path | None = None) -> dict[str, Any]:
    """A saved column mapping: one saved in the browser (import_profiles) or etl/profiles/<name>.json."""
    from etl import saved_mappings

    saved = saved_mappings.get(db_path, name) if db_path and Path(db_path).exists() else None
    if saved is not None:
        return saved
    path = PROFILE_DIR / f"{name}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    known = sorted(p.stem for p in PROFILE_DIR.glob("*.json"))
    raise FileRefused(f"没有名为 {name!r} 的导入配置。可用：{', '.join(known) or '无'}")


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise FileRefused(f"未知的数据类型 {kind!r}。可选：{', '.join(KINDS)}")
    return KINDS[kind]


def _with_profile(options: LoadOptions, spec: Kind, db_path: Path | None = None) -> LoadOptions:
    if not options.profile:
        return options
    saved = read_profile(options.profile, db_path)
    if saved.get("kind") not in (None, spec.name):
        raise FileRefused(f"导入配置 {options.profile!r} 用于 {saved['kind']}，不是 {spec.name}。")
    options.mapping = {**saved.get("mapping", {}), **(options.mapping or {})}
    options.fixed = {**saved.get("set", {}), **options.fixed}
    return options


def _source_system(
    spec: Kind, options: LoadOptions, headers: list[str], db_path: Path | None
) -> str | None:
    """The system a file's rows come from: chosen (page, --source), else its import profile, else
    the profile whose headers the file has, else 未注明. None for units and aliases."""
    if not sourced(spec):
        return None
    chosen = (options.source or "").strip()
    return chosen or options.profile or detected_profile(spec, headers, db_path) or DEFAULT_SOURCE


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _prepare(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: Kind,
    options: LoadOptions,
    file_name: str,
    scope_unit_id: str | None = None,
    *,
    db_path: Path | None = None,
) -> LoadResult:
    """Read, map, normalise, validate and classify a file into temp tables; write nothing yet.

    Leaves _incoming (valid rows, one per key), _changes (new/changed/same per row) and _errors.
    """
    if not path.is_file():
        raise FileRefused(f"{file_name}：文件不存在。")
    if scope_unit_id and not spec.owner:
        raise FileRefused(f"{file_name}：{spec.label}只能由管理员导入。")
    try:
        safety.check_container(path, file_name)
        export = readers.read_export(
            path, sheet=options.sheet, encoding=options.encoding, header_row=options.header_row
        )
    except readers.ExportError as exc:
        raise FileRefused(str(exc)) from exc

    headers = list(export.headers)
    mapping = resolve_mapping(spec, headers, options.mapping)
    fixed = dict(options.fixed)
    questions = questionnaire_columns(spec, headers, mapping, fixed)
    if questions:
        fixed.setdefault("survey_id", Path(file_name).stem)
    problem = mapping_problem(spec, headers, mapping, fixed)
    if problem:
        raise FileRefused(f"{file_name}：{problem}")

    result = LoadResult(
        0,
        file_name,
        spec.name,
        encoding=export.encoding,
        sheet=export.sheet,
        header_row=export.header_row,
        mapping=mapping,
        warnings=metric_warnings(spec, headers, mapping, fixed),
        source_system=_source_system(spec, options, headers, db_path),
    )
    con.execute(NORMALISE_SQL.read_text(encoding="utf-8"))
    result.rows_read = export.to_duckdb(con, "_raw")
    try:
        safety.scan(con, "_raw", export)  # formula / DDE payloads: refuse the file, write nothing
    except readers.ExportError as exc:
        raise FileRefused(str(exc)) from exc
    if questions:
        headers, mapping = melt_questionnaire(con, headers, mapping, questions)
    levels = category_tree.level_columns(spec, headers)
    if levels:
        headers, mapping = category_tree.melt(con, headers, levels)
    sides = problem_map.side_columns(spec, headers)
    if sides:
        headers, mapping = problem_map.melt(con, spec, headers, sides)
    build_lookups(con, spec)
    type_rows(con, spec, headers, mapping, fixed, result.source_system)
    row_errors(con, spec)
    if spec.name == "labels":
        classify_store.resolve_label_sources(con)  # the source of each labelled record
    if scope_unit_id:
        scope_errors(con, spec, scope_unit_id)
    dedupe(con, spec)
    if spec.name == "complaints":
        repeats.prepare_incoming(con)  # complainant → keyed hash; inferred links carried
    counts = classify(con, spec)
    result.rows_inserted, result.rows_updated, result.rows_unchanged = (
        counts.get("new", 0),
        counts.get("changed", 0),
        counts.get("same", 0),
    )
    result.warnings += other_sources(con, spec, result.source_system)
    result.rows_rejected = con.execute("select count(distinct _rid) from _errors").fetchone()[0]
    # A row superseded by a later row of the same file says which (superseded_by): it is not
    # one to fix and send again, so the rejected-rows file leaves it out.
    result.errors = [
        {"row": r, "column": c, "value": v, "error": e}
        | ({"superseded_by": kept} if kept is not None else {})
        for r, c, v, e, kept in con.execute(
            "select row_number, column_name, value, error, superseded_by from _errors"
            " order by row_number, _rid, column_name"
        ).fetchall()
    ]
    return result


def _load_one(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    path: Path,
    spec: Kind,
    options: LoadOptions,
    user: str | None,
    *,
    import_id: int | None = None,
    file_name: str | None = None,
    scope_unit_id: str | None = None,
    background: bool = False,
) -> LoadResult:
    started = dt.datetime.now()
    _fit_memory(con, path)
    result = _prepare(
        con, path, spec, options, file_name or path.name, scope_unit_id, db_path=db_path
    )
    # What follows works on the whole warehouse, whatever the file's size (a small file into a
    # province's warehouse ran out of memory in derived.refresh under its own limit).
    store.set_memory_limit(con, store.load_memory_bytes())
    if import_id is None:
        import_id = con.execute("select coalesce(max(import_id), 0) + 1 from imports").fetchone()[0]
    result.import_id = import_id
    apply(con, spec, import_id)
    tokenise(con, spec, import_id)
    if spec.name == "complaints":
        repeats.link_import(con, import_id)  # after its words are stored: they find candidates
    if spec.name == "units":
        refresh_unit_closure(con)
    result.training = classify_store.after_load(
        con, db_path, import_id, spec.name, background=background
    )
    con.execute(
        "insert into import_errors (import_id, row_number, column_name, value, error, superseded_by)"
        " select $id, row_number, column_name, value, error, superseded_by from _errors"
        " order by row_number, _rid",
        {"id": import_id},
    )
    sha = _sha256(path)
    saved_options = {
        "sheet": result.sheet,
        "header_row": result.header_row,
        "encoding": result.encoding,
        "mapping": options.mapping,
        "fixed": options.fixed,
        "profile": options.profile,
        "source": result.source_system,
    }
    con.execute(
        """
        insert into imports (import_id, kind, file_name, file_sha256, uploaded_by, started_at,
            finished_at, rows_read, rows_inserted, rows_updated, rows_rejected, status, options,
            source_system, scope_unit_id)
        values ($id, $kind, $file, $sha, $user, $started, now(), $read, $ins, $upd, $rej, '已导入',
            $options, $source, $scope)
        """,
        {
            "id": import_id,
            "kind": spec.name,
            "file": result.file_name,
            "sha": sha,
            "user": user,
            "started": started,
            "read": result.rows_read,
            "ins": result.rows_inserted,
            "upd": result.rows_updated,
            "rej": result.rows_rejected,
            "options": json.dumps(saved_options, ensure_ascii=False),
            "source": result.source_system,
            "scope": scope_unit_id,
        },
    )
    _archive(db_path, path, sha)
    drop_work_tables(con)
    return result


def _fit_memory(con, path: Path) -> None:
    """Let DuckDB hold about as much as the file needs while it reads it, then spill (the limit of
    etl.store is the ceiling): a small file then costs little memory, and a big one never more
    than the ceiling."""
    size = path.stat().st_size if path.is_file() else 0
    store.set_memory_limit(con, max(MEMORY_FLOOR, int(MEMORY_PER_FILE_BYTE * size)))


def _archive(db_path: Path, path: Path, sha: str) -> None:
    folder = store.archive_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha}{path.suffix.lower()}"
    if not target.exists():
        shutil.copyfile(path, target)
