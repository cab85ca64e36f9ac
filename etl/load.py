"""Load exports into the warehouse: read → map headers → normalise → validate → upsert → tokenise.

One function for the command line, the demo, the tests and the upload page. A call is one
transaction published by an atomic swap (etl.store): a file that is refused, or a crash half-way,
leaves the warehouse exactly as it was. Rows are keyed on the record's own id, so loading the same
file twice changes nothing and a newer export of the same records updates them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Iterable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from rapidfuzz import process

from etl import derived, readers, safety, store
from etl.sources import (
    KINDS,
    LIKERT_SCORES,
    VOCABULARIES,
    Kind,
    normalise_header,
    propose_mapping,
)

NORMALISE_SQL = Path(__file__).resolve().parent / "normalise.sql"
PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
TOKEN_BATCH = 50_000  # distinct texts segmented per batch
# A load may hold this many bytes in DuckDB per byte of its file (at least MEMORY_FLOOR), up
# to the ceiling of etl.store: a CSV of 150 MB (1M call records) loads in under 400 MB.
MEMORY_PER_FILE_BYTE = 2.5
MEMORY_FLOOR = 256 << 20


class FileRefused(Exception):
    """The whole file was refused (not a table, a required column missing, …); nothing was written."""


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
    figures: list[dict[str, Any]] = field(default_factory=list)  # headline KPIs before and after

    def summary(self) -> dict[str, Any]:
        """The --json shape: counts and every rejected row."""
        keys = ("import_id", "rows_read", "rows_inserted", "rows_updated", "rows_rejected", "errors")
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
) -> list[LoadResult]:
    """Load files of one kind in one transaction; raise FileRefused (writing nothing) if any is refused.

    With `scope_unit_id` (a staff account's unit) only rows of that unit's tree are taken.
    """
    spec = _kind(kind)
    options = _with_profile(
        LoadOptions(sheet, header_row, encoding, mapping, dict(fixed or {}), profile), spec, db_path
    )
    with store.write(db_path) as con:
        before = headline_figures(con, scope_unit_id or "*")
        results = [
            _load_one(con, Path(db_path), Path(p), spec, options, user, scope_unit_id=scope_unit_id)
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
        con, "overview_kpis", **every_day, unit_ids=[], channels=[], police_types=[],
        categories=[], scope=scope, formula="standard",
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
    rows: pd.DataFrame  # the first rows as they would be stored, with their change (new/changed/same)
    unresolved_units: list[dict[str, Any]]  # {"value", "rows", "nearest": [names]}


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
) -> Preview:
    """Run the load of one file against the live warehouse, read-only, and report what it would do."""
    spec = _kind(kind)
    options = _with_profile(
        LoadOptions(sheet, header_row, encoding, mapping, dict(fixed or {}), profile), spec, db_path
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
            con, Path(path), spec, options, file_name or Path(path).name, scope_unit_id
        )
        rows = con.execute(
            f"""
            select i._row as row_number, c.change, {', '.join('i.' + n for n in spec.column_names)}
            from _incoming as i join _changes as c using (_rid)
            order by i._row, i._rid limit $limit
            """,
            {"limit": limit},
        ).df()
        unresolved = [
            {"value": v, "rows": n, "nearest": _nearest_units(con, v)}
            for v, n in con.execute(
                "select value, count(*) from _errors where error like '%不是已知单位%'"
                " group by value order by count(*) desc, value"
            ).fetchall()
        ]
        return Preview(result, rows, unresolved)
    finally:
        con.close()


def rebuild(db_path: Path) -> list[LoadResult]:
    """Build the warehouse afresh from the archive, replaying every import still in force, in order."""
    db_path = Path(db_path)
    from queries import db

    with db.read(db_path) as con:
        imports = con.execute(
            "select import_id, kind, file_name, file_sha256, uploaded_by, options from imports"
            " where status = '已导入' order by import_id"
        ).fetchall()
    archive = store.archive_dir(db_path)
    results = []
    with store.write(db_path, fresh=True) as con:
        for import_id, kind, file_name, sha, user, options_json in imports:
            saved = json.loads(options_json or "{}")
            matches = sorted(archive.glob(f"{sha}*"))
            if not matches:
                raise FileRefused(f"归档中缺少导入 {import_id} 的文件 {file_name}（{sha}）。")
            options = LoadOptions(**{k: saved.get(k) for k in LoadOptions.__dataclass_fields__})
            options.fixed = options.fixed or {}
            results.append(
                _load_one(
                    con, db_path, matches[0], _kind(kind), options, user,
                    import_id=import_id, file_name=file_name,
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
    mapping = _resolve_mapping(spec, headers, options.mapping)
    fixed = dict(options.fixed)
    questions = questionnaire_columns(spec, headers, mapping, fixed)
    if questions:
        fixed.setdefault("survey_id", Path(file_name).stem)
    melted = {"response_id", "question", "answer", "score"} if questions else set()
    _check_columns(spec, file_name, headers, mapping, fixed, melted)

    result = LoadResult(
        0, file_name, spec.name, encoding=export.encoding, sheet=export.sheet,
        header_row=export.header_row, mapping=mapping,
    )
    con.execute(NORMALISE_SQL.read_text(encoding="utf-8"))
    result.rows_read = export.to_duckdb(con, "_raw")
    try:
        safety.scan(con, "_raw", export)  # formula / DDE payloads: refuse the file, write nothing
    except readers.ExportError as exc:
        raise FileRefused(str(exc)) from exc
    if questions:
        headers, mapping = _melt_questionnaire(con, headers, mapping, questions)
    _lookups(con, spec)
    _typed(con, spec, headers, mapping, fixed)
    _row_errors(con, spec)
    if scope_unit_id:
        _scope_errors(con, spec, scope_unit_id)
    _dedupe(con, spec)
    counts = _classify(con, spec)
    result.rows_inserted, result.rows_updated, result.rows_unchanged = (
        counts.get("new", 0), counts.get("changed", 0), counts.get("same", 0)
    )
    result.rows_rejected = con.execute("select count(distinct _rid) from _errors").fetchone()[0]
    result.errors = [
        {"row": r, "column": c, "value": v, "error": e}
        for r, c, v, e in con.execute(
            "select row_number, column_name, value, error from _errors"
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
) -> LoadResult:
    started = dt.datetime.now()
    _fit_memory(con, path)
    result = _prepare(con, path, spec, options, file_name or path.name, scope_unit_id)
    if import_id is None:
        import_id = con.execute("select coalesce(max(import_id), 0) + 1 from imports").fetchone()[0]
    result.import_id = import_id
    _apply(con, spec, import_id)
    _tokenise(con, spec, import_id)
    if spec.name == "units":
        refresh_unit_closure(con)
    con.execute(
        "insert into import_errors select $id, row_number, column_name, value, error from _errors"
        " order by row_number, _rid",
        {"id": import_id},
    )
    sha = _sha256(path)
    saved_options = {
        "sheet": result.sheet, "header_row": result.header_row, "encoding": result.encoding,
        "mapping": options.mapping, "fixed": options.fixed, "profile": options.profile,
    }
    con.execute(
        """
        insert into imports (import_id, kind, file_name, file_sha256, uploaded_by, started_at,
            finished_at, rows_read, rows_inserted, rows_updated, rows_rejected, status, options)
        values ($id, $kind, $file, $sha, $user, $started, now(), $read, $ins, $upd, $rej, '已导入',
            $options)
        """,
        {
            "id": import_id, "kind": spec.name, "file": result.file_name, "sha": sha, "user": user,
            "started": started, "read": result.rows_read, "ins": result.rows_inserted,
            "upd": result.rows_updated, "rej": result.rows_rejected,
            "options": json.dumps(saved_options, ensure_ascii=False),
        },
    )
    _archive(db_path, path, sha)
    _drop_work_tables(con)
    return result


def _fit_memory(con, path: Path) -> None:
    """Let DuckDB hold about as much as the file needs, then spill (the limit of etl.store is the
    ceiling): a small file then costs little memory, and a big one never more than the ceiling."""
    size = path.stat().st_size if path.is_file() else 0
    store.set_memory_limit(con, max(MEMORY_FLOOR, int(MEMORY_PER_FILE_BYTE * size)))


def _drop_work_tables(con) -> None:
    for table in ("_raw", "_typed", "_incoming", "_repeats", "_changes", "_errors"):
        _drop_temp(con, table)


def _drop_temp(con, name: str) -> None:
    """Drop the temp table or view `name`, if there is one."""
    found = con.execute(
        "select 'table' from duckdb_tables() where temporary and table_name = $name"
        " union all select 'view' from duckdb_views() where temporary and view_name = $name",
        {"name": name},
    ).fetchall()
    for (kind,) in found:
        con.execute(f"drop {kind} {name}")


def _resolve_mapping(
    spec: Kind, headers: list[str], explicit: dict[str, str | None] | None
) -> dict[str, str | None]:
    mapping = propose_mapping(spec, headers)
    if explicit:
        by_norm = {normalise_header(h): h for h in headers}
        for header, column in explicit.items():
            actual = header if header in mapping else by_norm.get(normalise_header(header))
            if actual is None:
                continue
            if column is not None and column not in spec.column_names:
                raise FileRefused(f"映射中的 {column!r} 不是 {spec.name} 的字段。")
            # A column mapped explicitly wins over a proposed header for the same column.
            for other, target in mapping.items():
                if target == column and other != actual:
                    mapping[other] = None
            mapping[actual] = column
    return mapping


_QUESTION_HEADER = re.compile(r"^\s*\d+\s*[、.．:：]")


def questionnaire_columns(spec: Kind, headers: list[str], mapping: dict, fixed: dict) -> list[int]:
    """Numbered question columns of a wide questionnaire export (问卷星 "按文本"), if this is one."""
    if spec.name != "survey_responses" or "question" in mapping.values() or "question" in fixed:
        return []
    return [i for i, h in enumerate(headers) if mapping.get(h) is None and _QUESTION_HEADER.match(h)]


def _melt_questionnaire(
    con, headers: list[str], mapping: dict, questions: list[int]
) -> tuple[list[str], dict]:
    """One row per respondent and question column → one row per answered item, words → scores.

    Matrix questions arrive as one column per item ("7、…—item" then "7、item"): each becomes its
    own question. A repeated 序号 (two exports pasted together) is made unique by its occurrence, so
    loading the same file again still finds the same ids.
    """
    n = len(headers)
    response_col = next(
        (f"c{i}" for i, h in enumerate(headers) if mapping.get(h) == "response_id"), None
    )
    question_map = pd.DataFrame(
        {"_qcol": [f"c{i}" for i in questions], "question": [headers[i] for i in questions]}
    )
    likert = pd.DataFrame(list(LIKERT_SCORES.items()), columns=["answer", "score"])
    unique_id = "_row::varchar"
    if response_col:
        unique_id = (
            f"{response_col} || case when count(*) over (partition by {response_col}) > 1"
            f" then '-' || row_number() over (partition by {response_col} order by _row)"
            f" else '' end"
        )
    kept = [f"c{i}" for i in range(n) if i not in questions and f"c{i}" != response_col]
    on = ", ".join(f"c{i}" for i in questions)
    con.execute(
        f"""
        create or replace temp table _raw as
        with respondents as (
            select *, {unique_id} as _response from _raw
        ),
        items as (
            unpivot respondents on {on} into name _qcol value _answer
        )
        select i._row, {', '.join(f'i.{c}' for c in kept) + ',' if kept else ''}
            i._response as c{n}, q.question as c{n + 1}, i._answer as c{n + 2},
            coalesce(l.score::varchar,
                case when regexp_full_match(trim(i._answer), '[1-5]') then trim(i._answer) end
            ) as c{n + 3}
        from items as i
        join question_map as q using (_qcol)
        left join likert as l on l.answer = trim(i._answer)
        """
    )
    melted = [*headers, "答卷编号", "题目", "答案", "得分"]
    new_mapping = {h: (c if headers.index(h) not in questions and c != "response_id" else None)
                   for h, c in mapping.items()}
    new_mapping.update({"答卷编号": "response_id", "题目": "question", "答案": "answer", "得分": "score"})
    return melted, new_mapping


def _check_columns(
    spec: Kind, file_name: str, headers: list[str], mapping: dict, fixed: dict[str, str],
    melted: set[str],
) -> None:
    for column in fixed:
        if column not in spec.column_names:
            raise FileRefused(
                f"--set {column}：{spec.name} 没有这个字段。可用：{', '.join(spec.column_names)}"
            )
    mapped = {c for c in mapping.values() if c} | melted
    for col in spec.columns:
        if col.required and col.name not in mapped and col.name not in fixed:
            unmapped = [h for h in headers if mapping.get(h) is None]
            nearest = process.extractOne(col.display, unmapped) if unmapped else None
            hint = f"最接近的表头：'{nearest[0]}'" if nearest else "文件中没有未使用的列"
            raise FileRefused(
                f"{file_name}：缺少必需列 '{col.display}'（{col.name}）；{hint}。"
                f"可用 --set {col.name}=值 为整个文件指定，或用映射指定对应的列。"
            )


def _lookups(con: duckdb.DuckDBPyConnection, spec: Kind) -> None:
    """Temp tables mapping label variants and unit names, as exports write them, to contract values."""
    vocab = [
        (name, variant, label)
        for name, variants in VOCABULARIES.items()
        for variant, label in variants.items()
    ]
    frame = pd.DataFrame(vocab, columns=["vocabulary", "variant", "label"])
    con.execute(
        "create or replace temp table _vocab as"
        " select distinct vocabulary, lookup_key(variant) as variant, label from frame"
    )
    # Every unit is known by its id, its name, its short name and any alias; also by the name
    # without its parents' names in front, and with 派出所 written as 所 (and back). A key that
    # names two units is dropped rather than guessed.
    con.execute(
        """
        create or replace temp table _unit_keys as
        with names as (
            select u.unit_id, u.unit_id as name, 0 as priority from units as u
            union all select u.unit_id, u.name, 1 from units as u
            union all select u.unit_id, u.short_name, 2 from units as u where u.short_name is not null
            union all select a.unit_id, a.alias, 1 from unit_aliases as a
            union all
            select u.unit_id, replace(u.name, p.name, ''), 3
            from units as u
            join units as p on p.unit_id = u.parent_id
            where starts_with(u.name, p.name) and u.name <> p.name
        ),
        variants as (
            select unit_id, name, priority from names
            union all
            select unit_id, regexp_replace(name, '派出所$', '所'), priority + 10
            from names where name like '%派出所'
            union all
            select unit_id, regexp_replace(name, '所$', '派出所'), priority + 10
            from names where name like '%所' and name not like '%派出所'
        ),
        keyed as (
            select lookup_key(name) as key, unit_id, min(priority) as priority
            from variants where name is not null and name <> ''
            group by all
        ),
        ranked as (
            select key, unit_id, priority,
                count(*) over (partition by key, priority) as same_rank,
                rank() over (partition by key order by priority) as rank_in_key
            from keyed
        )
        select key, unit_id from ranked where rank_in_key = 1 and same_rank = 1
        """
    )


def _source(headers: list[str], mapping: dict, fixed: dict, column: str) -> str:
    """SQL for the raw text of a contract column: a file column, a bound fixed value, or NULL."""
    for index, header in enumerate(headers):
        if mapping.get(header) == column:
            return f"r.c{index}"
    if column in fixed:
        return f"$fixed_{column}::varchar"
    return "null::varchar"


_SQL_TYPES = {
    "text": "varchar", "id": "varchar", "unit": "varchar", "timestamp": "timestamp",
    "date": "date", "int": "bigint", "float": "double", "bool": "boolean",
}


def _typed(con, spec: Kind, headers: list[str], mapping: dict, fixed: dict) -> None:
    """_typed: one row per data row with each contract column converted, and _bad: whether any
    check of _row_errors fails for it. Only the rows that fail keep their raw text (_checked).

    Labels and unit names are resolved once per distinct value (an export repeats a few hundred
    names over millions of rows), then joined back. _raw is dropped at the end.
    """
    params = {f"fixed_{k}": v for k, v in fixed.items()}
    selects, joins = ["r.rowid as _rid", "r._row"], []
    for n, col in enumerate(spec.columns):
        raw = _source(headers, mapping, fixed, col.name)
        selects.append(f"{raw} as {col.name}__raw")
        if col.type in ("bool", "unit") or col.type.startswith("label:"):
            if col.type == "unit":
                resolve = "left join _unit_keys as k on k.key = lookup_key(v.raw)"
                target = "k.unit_id"
            else:
                vocabulary = "bool" if col.type == "bool" else col.type.split(":", 1)[1]
                resolve = (
                    f"left join _vocab as k on k.vocabulary = '{vocabulary}'"
                    " and k.variant = lookup_key(v.raw)"
                )
                target = "k.label" + ("::boolean" if col.type == "bool" else "")
            con.execute(
                f"create or replace temp table _map{n} as select v.raw, {target} as value"
                f" from (select distinct {raw} as raw from _raw as r) as v {resolve}",
                {k: v for k, v in params.items() if f"${k}" in raw},
            )
            joins.append(f"left join _map{n} as m{n} on m{n}.raw = {raw}")
            value = f"m{n}.value"
        else:
            value = {
                "text": "to_text({raw})", "id": "to_id({raw})", "timestamp": "to_ts({raw})",
                "date": "to_ts({raw})::date", "int": "to_bigint({raw})", "float": "to_double({raw})",
            }[col.type].format(raw=raw)
        selects.append(f"{value} as {col.name}")
    # The raw text stays in the inner query: only the typed values and the flag are stored.
    checks = [condition for col in spec.columns for condition, _ in _checks(col)]
    bad = f"coalesce({' or '.join(f'({c})' for c in checks)}, false)" if checks else "false"
    sql = (
        f"create or replace temp table _typed as select _rid, _row,"
        f" {', '.join(spec.column_names)}, {bad} as _bad from (select "
        + ",\n    ".join(selects)
        + "\nfrom _raw as r\n"
        + "\n".join(joins)
        + ")"
    )
    con.execute(sql, params)
    for n in range(len(spec.columns)):
        con.execute(f"drop table if exists _map{n}")
    raws = ", ".join(
        f"{_source(headers, mapping, fixed, c)} as {c}__raw" for c in spec.column_names
    )
    has_bad = con.execute("select count(*) from _typed where _bad").fetchone()[0] > 0
    # The rows with a problem (few, usually none), with the raw text beside each value.
    con.execute(
        f"create or replace temp table _checked as select t.*, {raws}"
        " from _typed as t join _raw as r on r.rowid = t._rid where t._bad"
        + ("" if has_bad else " limit 0"),
        {k: v for k, v in params.items() if f"${k}" in raws},
    )
    con.execute("drop table _raw")


def _checks(col) -> list[tuple[str, str]]:
    """(condition, message) SQL of each check of a column, over {name}__raw and {name}."""
    raw, value, name = f"{col.name}__raw", col.name, col.display.replace("'", "''")
    blank = f"{raw} is null"  # readers strip cells and turn empty ones into NULL
    what = {
        "timestamp": "不是有效日期", "date": "不是有效日期", "int": "不是整数",
        "float": "不是数字", "bool": "无法识别为 是/否",
    }.get(col.type)
    if col.type.startswith("label:"):
        choices = "、".join(dict.fromkeys(VOCABULARIES[col.type.split(":", 1)[1]].values()))
        what = f"不是可识别的取值（可选：{choices}）"
    if col.type == "unit":
        what = "不是已知单位"
    checks = []
    if col.type == "id":
        # Excel turned a long number into 1.23E+17: the digits are gone and cannot be recovered.
        checks.append((
            f"case when contains({value}, 'e') or contains({value}, 'E') then"
            f" regexp_full_match({value}, '[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+') end",
            f"'{name} ''' || {raw} || ''' 是科学计数法，编号的末几位已丢失，请把该列设为文本后重新导出'",
        ))
    if col.type in ("timestamp", "date"):
        checks.append((
            f"{value} is not null and not plausible_ts({value})",
            f"'{name} ' || quote({raw}) || ' 超出合理范围'",
        ))
    if what:
        checks.append((f"not ({blank}) and {value} is null", f"'{name} ''' || {raw} || ''' {what}'"))
    if col.required:
        checks.append((f"{value} is null and ({blank})", f"'{name} 为空（必填）'"))
    return checks


def _row_errors(con, spec: Kind) -> None:
    """_errors: every problem of every row, in Chinese, naming the row, the column and the value."""
    parts = [
        f"select _rid, _row, '{col.display.replace(chr(39), chr(39) * 2)}', {col.name}__raw,"
        f" {message} from _checked where {condition}"
        for col in spec.columns
        for condition, message in _checks(col)
    ]
    con.execute(
        "create or replace temp table _errors (_rid bigint, row_number integer,"
        " column_name varchar, value varchar, error varchar)"
    )
    if parts:
        con.execute("insert into _errors " + "\nunion all\n".join(parts))
    con.execute("drop table _checked")
    _suggest_units(con, spec)


def _suggest_units(con, spec: Kind) -> None:
    """Name the nearest known units in the error of a unit name that does not resolve."""
    unresolved = [
        v for (v,) in con.execute(
            "select distinct value from _errors where error like '%不是已知单位'"
        ).fetchall()
    ]
    if not unresolved:
        return
    rows = []
    for value in unresolved:
        near = _nearest_units(con, value)
        hint = f"，最接近：{'、'.join(near)}" if near else "（单位表为空：请先导入单位）"
        rows.append((value, hint))
    hints = pd.DataFrame(rows, columns=["value", "hint"])
    con.execute(
        "update _errors set error = error || h.hint from hints as h"
        " where _errors.value = h.value and _errors.error like '%不是已知单位'"
    )


def _nearest_units(con, value: str, limit: int = 3) -> list[str]:
    """Known unit names closest to `value`, best first (ties by name, so messages are stable)."""
    names = [n for (n,) in con.execute(
        "select name from units union select short_name from units where short_name is not null"
        " order by 1"
    ).fetchall()]
    scored = process.extract(value, names, limit=None) if names else []
    return [m[0] for m in sorted(scored, key=lambda m: (-m[1], m[0]))[:limit]]


def _scope_errors(con, spec: Kind, scope_unit_id: str) -> None:
    """Reject what a staff account may not load: rows whose unit is outside its unit tree or not
    given, and rows whose key is already stored as another unit's record (no taking over)."""
    found = con.execute(
        "select name from units where unit_id = $unit", {"unit": scope_unit_id}
    ).fetchone()
    if found is None:
        raise FileRefused(f"本账号的单位 {scope_unit_id} 不在单位表中，请联系管理员。")
    params = {"scope": scope_unit_id, "scope_name": found[0], "label": spec.owner_label}
    tree = "(select unit_id from unit_closure where ancestor_id = $scope)"
    valid = "anti join (select distinct _rid from _errors) as e on e._rid = t._rid"
    con.execute(
        f"""
        insert into _errors
        select r._rid, r._row, $label, coalesce(u.name, r.owner),
            case when r.owner is null
                then $label || ' 为空：本账号只能导入「' || $scope_name || '」范围内的记录'
                else $label || ' 「' || coalesce(u.name, r.owner) || '」不在本账号范围（'
                    || $scope_name || '）内'
            end
        from (select t._rid, t._row, {spec.owner.format(a="t")} as owner
              from _typed as t {valid}) as r
        left join units as u on u.unit_id = r.owner
        where r.owner is null or r.owner not in {tree}
        """,
        params,
    )
    stored_owner = spec.owner.format(a="s")
    con.execute(
        f"""
        insert into _errors
        select t._rid, t._row, $label, coalesce(u.name, {stored_owner}),
            '编号已是「' || coalesce(u.name, {stored_owner}, '未知单位')
                || '」的记录，不在本账号范围（' || $scope_name || '）内，不能修改'
        from _typed as t {valid}
        join {spec.table} as s on {_key_sql(spec, 't', 's')}
        left join units as u on u.unit_id = {stored_owner}
        where {stored_owner} is null or {stored_owner} not in {tree}
        """,
        params,
    )


def _key_sql(spec: Kind, left: str, right: str) -> str:
    return " and ".join(f"{left}.{k} = {right}.{k}" for k in spec.key)


def _dedupe(con, spec: Kind) -> None:
    """_incoming: valid rows, one per key (the file's last row for a key wins, the others are reported)."""
    keys = ", ".join(spec.key)
    # _typed becomes _incoming in place: copying millions of rows to drop a few costs more.
    if con.execute("select count(*) from _errors").fetchone()[0]:
        con.execute("delete from _typed where _rid in (select _rid from _errors)")
    con.execute("alter table _typed rename to _incoming")
    # Rows with the same key have the same hash: when no hash repeats, no key does. Grouping on a
    # number is far cheaper than on the key's text at millions of rows.
    repeated_hashes = con.execute(
        f"select count(*) from (select 1 from _incoming group by hash({keys}) having count(*) > 1)"
    ).fetchone()[0]
    if not repeated_hashes:
        return
    # Grouping finds the (rare) repeated keys without ranking every row.
    con.execute(
        f"""
        create or replace temp table _repeats as
        select {keys}, arg_max(_rid, _row) as kept_rid, max(_row) as kept_row
        from _incoming group by {keys} having count(*) > 1
        """
    )
    if con.execute("select count(*) from _repeats").fetchone()[0] == 0:
        return
    con.execute(
        f"""
        insert into _errors
        select i._rid, i._row, null, null, '与第 ' || d.kept_row
            || ' 行是同一条记录（编号相同），已按第 ' || d.kept_row || ' 行导入'
        from _incoming as i join _repeats as d using ({keys})
        where i._rid <> d.kept_rid
        """
    )
    con.execute(
        f"""
        delete from _incoming as i using _repeats as d
        where {_key_sql(spec, 'i', 'd')} and i._rid <> d.kept_rid
        """
    )


def _classify(con, spec: Kind) -> dict[str, int]:
    """_changes: whether each incoming row is new, changes a stored row, or is the same."""
    table, cols = spec.table, spec.column_names
    _drop_temp(con, "_changes")  # a view (fast path below) or a table, from an earlier file
    if con.execute(f"select count(*) from (select 1 from {table} limit 1)").fetchone()[0] == 0:
        # Nothing stored yet (a first load): every row is new, no need to join or copy them.
        con.execute("create temp view _changes as select _rid, 'new' as change from _incoming")
        incoming = con.execute("select count(*) from _incoming").fetchone()[0]
        return {"new": incoming} if incoming else {}
    differs = " or ".join(f"i.{c} is distinct from t.{c}" for c in cols if c not in spec.key)
    con.execute(
        f"""
        create or replace temp table _changes as
        select i._rid,
            case when t.{spec.key[0]} is null then 'new'
                 when {differs or 'false'} then 'changed'
                 else 'same' end as change
        from _incoming as i
        left join {table} as t on {_key_sql(spec, 'i', 't')}
        """
    )
    return dict(con.execute("select change, count(*) from _changes group by change").fetchall())


def _all_new(con) -> bool:
    """Whether every incoming row is a new key (a first load): then nothing is replaced."""
    return not con.execute("select count(*) from _changes where change <> 'new'").fetchone()[0]


def _apply(con, spec: Kind, import_id: int) -> None:
    """Insert new keys, replace changed rows (keeping their previous version), skip unchanged ones."""
    table, cols = spec.table, spec.column_names
    if _all_new(con):
        con.execute(
            f"insert into {table} ({', '.join(cols)}, import_id)"
            f" select {', '.join(cols)}, $id from _incoming",
            {"id": import_id},
        )
        return
    changed = (
        "(select i.* from _incoming as i join _changes as c using (_rid)"
        " where c.change = 'changed')"
    )
    con.execute(
        f"""
        insert into import_row_history
        select $id, '{table}', to_json(t) from {table} as t semi join {changed} as i
            on {_key_sql(spec, 't', 'i')}
        """,
        {"id": import_id},
    )
    con.execute(f"delete from {table} as t using {changed} as i where {_key_sql(spec, 't', 'i')}")
    con.execute(
        f"""
        insert into {table} ({', '.join(cols)}, import_id)
        select {', '.join('i.' + c for c in cols)}, $id
        from _incoming as i join _changes as c using (_rid)
        where c.change in ('new', 'changed')
        """,
        {"id": import_id},
    )


def _token_record_id(spec: Kind, alias: str) -> str:
    return " || '|' || ".join(f"{alias}.{k}::varchar" for k in spec.key)


def _tokenise(con, spec: Kind, import_id: int) -> None:
    """Segment the free text of new and changed rows into text_tokens (each distinct text once)."""
    if not spec.text_columns:
        return
    if _all_new(con):
        retokenise(con, spec, "select * from _incoming")
        return
    con.execute(
        f"""
        delete from text_tokens as t
        using (select i.* from _incoming as i join _changes as c using (_rid)
               where c.change = 'changed') as i
        where t.source = '{spec.token_source}' and t.record_id = {_token_record_id(spec, 'i')}
        """
    )
    retokenise(
        con, spec,
        "select i.* from _incoming as i join _changes as c using (_rid)"
        " where c.change in ('new', 'changed')",
    )


def retokenise(con, spec: Kind, rows_sql: str) -> None:
    """Add text_tokens for the rows `rows_sql` selects (rows with the columns of spec's table).

    Each distinct text is segmented once, in batches (Python never holds all rows); the counts
    are joined back to the rows in SQL.
    """
    from etl import tokenizer

    text = " || chr(10) || ".join(f"coalesce(i.{c}, '')" for c in spec.text_columns)
    # A row whose text columns are all empty has no words.
    present = " or ".join(f"i.{c} is not null" for c in spec.text_columns)
    channel = "i.channel" if "channel" in spec.column_names else "null"
    category = "i.category" if "category" in spec.column_names else "null"
    unit = f"i.{spec.token_unit}"
    if spec.name == "complaints":
        unit = "coalesce(i.handling_unit_id, i.receiving_unit_id)"
    con.execute(
        f"""
        create or replace temp table _texts as
        select text, row_number() over () as tid
        from (select distinct {text} as text from ({rows_sql}) as i where {present})
        """
    )
    con.execute("create or replace temp table _text_counts (tid bigint, token varchar, n integer)")
    total = con.execute("select count(*) from _texts").fetchone()[0]
    for first in range(1, total + 1, TOKEN_BATCH):
        texts = con.execute(
            "select tid, text from _texts where tid between $first and $last",
            {"first": first, "last": first + TOKEN_BATCH - 1},
        ).fetchnumpy()
        counts = tokenizer.count_tokens(texts["text"].tolist())
        batch = pa.table({
            "tid": pa.array(np.repeat(texts["tid"], [len(words) for words in counts]), pa.int64()),
            "token": pa.array(list(chain.from_iterable(counts)), pa.string()),
            "n": pa.array(list(chain.from_iterable(words.values() for words in counts)), pa.int32()),
        })
        con.register("_token_batch", batch)
        try:
            con.execute("insert into _text_counts select * from _token_batch")
        finally:
            con.unregister("_token_batch")
    con.execute(
        f"""
        insert into text_tokens
        select '{spec.token_source}', {_token_record_id(spec, 'i')}, {unit},
            i.{spec.token_day}::date, {channel}, {category}, c.token, c.n
        from ({rows_sql}) as i
        join _texts as x on x.text = {text}
        join _text_counts as c on c.tid = x.tid
        where {present}
        """
    )
    con.execute("drop table _texts")
    con.execute("drop table _text_counts")


def refresh_unit_closure(con) -> None:
    """Rebuild unit_closure (every unit with itself and each ancestor) from units."""
    con.execute("delete from unit_closure")
    con.execute(
        """
        insert into unit_closure
        with recursive chain(ancestor_id, unit_id, depth) as (
            select unit_id, unit_id, 0 from units
            union all
            select p.parent_id, c.unit_id, c.depth + 1
            from chain as c join units as p on p.unit_id = c.ancestor_id
            where p.parent_id is not null and c.depth < 20
        )
        select distinct ancestor_id, unit_id, depth from chain
        """
    )


def _archive(db_path: Path, path: Path, sha: str) -> None:
    folder = store.archive_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha}{path.suffix.lower()}"
    if not target.exists():
        shutil.copyfile(path, target)
