"""Type, resolve and check every row of a mapped file: _raw → _typed (+ _errors).

Labels and unit names are resolved through lookup tables built once per load (`build_lookups`);
each failed check becomes a Chinese message naming the row, the column and the value.
"""

from __future__ import annotations

import duckdb
import pandas as pd
from rapidfuzz import process

from etl import dates
from etl.errors import FileRefused
from etl.sources import VOCABULARIES, Kind
from etl.unit_names import resolve_by_ancestry
from etl.upsert import key_sql

ERROR_COLUMNS = "(_rid, row_number, column_name, value, error)"  # of _errors, as checks fill it


def build_lookups(con: duckdb.DuckDBPyConnection, spec: Kind) -> None:
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


def _target_errors(con, scope_unit_id: str, scope_name: str, tree: str, valid: str) -> None:
    """A staff account's answers may score only units it may assess: its own tree, or the
    offices the survey declares as targets (those its unscoped loads, an admin's, name)."""
    con.execute(
        f"""
        insert into _errors {ERROR_COLUMNS}
        select t._rid, t._row, '被评单位', coalesce(u.name, t.target_unit_id),
            '被评单位「' || coalesce(u.name, t.target_unit_id) || '」不在本账号范围（'
                || $scope_name || '）内，也不是问卷「' || t.survey_id || '」的评议对象'
        from _typed as t {valid}
        left join units as u on u.unit_id = t.target_unit_id
        where t.target_unit_id is not null and t.target_unit_id not in {tree}
            and not exists (
                select 1 from survey_responses as s join imports as i using (import_id)
                where i.scope_unit_id is null and s.survey_id = t.survey_id
                    and s.source_system = t.source_system
                    and s.target_unit_id = t.target_unit_id)
        """,
        {"scope": scope_unit_id, "scope_name": scope_name},
    )


def _source(headers: list[str], mapping: dict, fixed: dict, column: str) -> str:
    """SQL for the raw text of a contract column: a file column, a bound fixed value, or NULL."""
    for index, header in enumerate(headers):
        if mapping.get(header) == column:
            return f"r.c{index}"
    if column in fixed:
        return f"$fixed_{column}::varchar"
    return "null::varchar"


def type_rows(
    con, spec: Kind, headers: list[str], mapping: dict, fixed: dict, source: str | None = None
) -> None:
    """_typed: one row per data row with each contract column converted (and `source` as its
    source_system), and _bad: whether any check of row_errors fails for it. Only the rows that
    fail keep their raw text (_checked).

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
            if col.type == "unit":
                resolve_by_ancestry(con, f"_map{n}")  # 滨江分局柳湾派出所 and the like
            joins.append(f"left join _map{n} as m{n} on m{n}.raw = {raw}")
            value = f"m{n}.value"
        else:
            dated = col.type in ("timestamp", "date")
            value = {
                "text": "to_text({raw})",
                "id": "to_id({raw})",
                "timestamp": "{ts}({raw})",
                "date": "{ts}({raw})::date",
                "int": "to_bigint({raw})",
                "float": "to_double({raw})",
            }[col.type].format(raw=raw, ts=dates.parser(con, raw, params) if dated else "")
        selects.append(f"{value} as {col.name}")
    # The raw text stays in the inner query: only the typed values and the flag are stored.
    checks = [condition for col in spec.columns for condition, _ in _checks(col)]
    bad = f"coalesce({' or '.join(f'({c})' for c in checks)}, false)" if checks else "false"
    source_sql = ""
    if source is not None:
        params["source_system"] = source
        source_sql = " $source_system::varchar as source_system,"
    sql = (
        f"create or replace temp table _typed as select _rid, _row,"
        f" {', '.join(spec.column_names)},{source_sql} {bad} as _bad from (select "
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
        "timestamp": "不是有效日期",
        "date": "不是有效日期",
        "int": "不是整数",
        "float": "不是数字",
        "bool": "无法识别为 是/否",
    }.get(col.type)
    if col.type.startswith("label:"):
        choices = "、".join(dict.fromkeys(VOCABULARIES[col.type.split(":", 1)[1]].values()))
        what = f"不是可识别的取值（可选：{choices}）"
    if col.type == "unit":
        what = "不是已知单位"
    checks = []
    if col.type == "id":
        # Excel turned a long number into 1.23E+17: the digits are gone and cannot be recovered.
        checks.append(
            (
                (
                    f"case when contains({value}, 'e') or contains({value}, 'E') then"
                    f" regexp_full_match({value}, '[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+') end"
                ),
                f"'{name} ''' || {raw} || ''' 是科学计数法，编号的末几位已丢失，请把该列设为文本后重新导出'",
            )
        )
    if col.type in ("timestamp", "date"):
        checks.append(
            (
                f"{value} is not null and not plausible_ts({value})",
                f"'{name} ' || quote({raw}) || ' 超出合理范围'",
            )
        )
    if what:
        checks.append(
            (f"not ({blank}) and {value} is null", f"'{name} ''' || {raw} || ''' {what}'")
        )
    if col.required:
        checks.append((f"{value} is null and ({blank})", f"'{name} 为空（必填）'"))
    return checks


def row_errors(con, spec: Kind) -> None:
    """_errors: every problem of every row, in Chinese, naming the row, the column and the value."""
    parts = [
        f"select _rid, _row, '{col.display.replace(chr(39), chr(39) * 2)}', {col.name}__raw,"
        f" {message} from _checked where {condition}"
        for col in spec.columns
        for condition, message in _checks(col)
    ]
    con.execute(
        "create or replace temp table _errors (_rid bigint, row_number integer,"
        " column_name varchar, value varchar, error varchar,"
        " superseded_by integer)"  # the row of the same file that was loaded in its place
    )
    if parts:
        con.execute(f"insert into _errors {ERROR_COLUMNS} " + "\nunion all\n".join(parts))
    con.execute("drop table _checked")
    _suggest_units(con, spec)


def _suggest_units(con, spec: Kind) -> None:
    """Name the nearest known units in the error of a unit name that does not resolve."""
    unresolved = [
        v
        for (v,) in con.execute(
            "select distinct value from _errors where error like '%不是已知单位'"
        ).fetchall()
    ]
    if not unresolved:
        return
    rows = []
    for value in unresolved:
        near = nearest_units(con, value)
        hint = f"，最接近：{'、'.join(near)}" if near else "（单位表为空：请先导入单位）"
        rows.append((value, hint))
    hints = pd.DataFrame(rows, columns=["value", "hint"])
    con.execute(
        "update _errors set error = error || h.hint from hints as h"
        " where _errors.value = h.value and _errors.error like '%不是已知单位'"
    )


def nearest_units(con, value: str, limit: int = 3) -> list[str]:
    """Known unit names closest to `value`, best first (ties by name, so messages are stable)."""
    names = [
        n
        for (n,) in con.execute(
            "select name from units union select short_name from units where short_name is not null"
            " order by 1"
        ).fetchall()
    ]
    scored = process.extract(value, names, limit=None) if names else []
    return [m[0] for m in sorted(scored, key=lambda m: (-m[1], m[0]))[:limit]]


def scope_errors(con, spec: Kind, scope_unit_id: str) -> None:
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
        insert into _errors {ERROR_COLUMNS}
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
    if spec.name == "survey_responses":
        _target_errors(con, scope_unit_id, found[0], tree, valid)
    # Which unit holds that id is none of this account's business: the message says only that
    # it is taken, naming the row's own id, never the other unit.
    stored_owner = spec.owner.format(a="s")
    key = spec.column(spec.key[0])
    con.execute(
        f"""
        insert into _errors {ERROR_COLUMNS}
        select t._rid, t._row, $key_label, t.{key.name}::varchar, '编号已被其他单位使用'
        from _typed as t {valid}
        join {spec.table} as s on {key_sql(spec, "t", "s")}
        where {stored_owner} is null or {stored_owner} not in {tree}
        """,
        {"scope": scope_unit_id, "key_label": key.display},
    )
