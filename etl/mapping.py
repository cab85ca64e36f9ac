"""Map a file's headers onto a kind's contract columns, and check that the mapping can load.

One mapping rule for the loader, `etl inspect` and the upload page: `resolve_mapping` applies an
explicit mapping over the proposed one, `mapping_problem` names what stops it from loading.
"""

from __future__ import annotations

import re

import pandas as pd
from rapidfuzz import process

from etl import category_tree, problem_map
from etl.errors import FileRefused
from etl.sources import LIKERT_SCORES, Column, Kind, normalise_header, propose_mapping

# Columns the product puts in front of the rejected rows it gives back to fix (the row number and
# the reason). A fixed file comes back with them: they are the product's, never the export's.
FIXUP_ROW_HEADER = "行号"
FIXUP_REASON_HEADER = "错误原因"
FIXUP_HEADERS = (FIXUP_ROW_HEADER, FIXUP_REASON_HEADER)


def resolve_mapping(
    spec: Kind, headers: list[str], explicit: dict[str, str | None] | None
) -> dict[str, str | None]:
    """Each header -> its column: the proposal from the synonyms, overridden by `explicit`
    (header -> column, None to ignore; headers compared as normalise_header does). The columns
    the rejected-rows file adds (FIXUP_HEADERS) are left out unless mapped explicitly."""
    mapping = propose_mapping(spec, headers)
    added = {normalise_header(h) for h in FIXUP_HEADERS}
    for header in headers:
        if normalise_header(header) in added:
            mapping[header] = None
    if explicit:
        by_norm = {normalise_header(h): h for h in headers}
        chosen: dict[str, str | None] = {}
        for header, column in explicit.items():
            actual = header if header in mapping else by_norm.get(normalise_header(header))
            if actual is None:
                continue
            if column is not None and column not in spec.column_names:
                raise FileRefused(f"映射中的 {column!r} 不是 {spec.name} 的字段。")
            chosen[actual] = column
        # A column mapped explicitly wins over a header merely proposed for it; two headers
        # mapped explicitly to one column stay so, for mapping_problem to name.
        for header, target in mapping.items():
            if header not in chosen and target in chosen.values():
                mapping[header] = None
        mapping.update(chosen)
    return mapping


_QUESTION_HEADER = re.compile(r"^\s*\d+\s*[、.．:：]")


def questionnaire_columns(spec: Kind, headers: list[str], mapping: dict, fixed: dict) -> list[int]:
    """Numbered question columns of a wide questionnaire export (问卷星 "按文本"), if this is one."""
    if spec.name != "survey_responses" or "question" in mapping.values() or "question" in fixed:
        return []
    return [
        i for i, h in enumerate(headers) if mapping.get(h) is None and _QUESTION_HEADER.match(h)
    ]


def melt_questionnaire(
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
        select i._row, {", ".join(f"i.{c}" for c in kept) + "," if kept else ""}
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
    new_mapping = {
        h: (c if headers.index(h) not in questions and c != "response_id" else None)
        for h, c in mapping.items()
    }
    new_mapping.update(
        {"答卷编号": "response_id", "题目": "question", "答案": "answer", "得分": "score"}
    )
    return melted, new_mapping


def detected_profile(spec: Kind, headers: list[str], db_path=None) -> str | None:
    """The import profile (saved in the warehouse, else shipped) whose headers this file all has,
    the most specific first: the export of a known system. As `etl inspect` recognises one."""
    import json

    from etl import saved_mappings
    from etl.load import PROFILE_DIR

    present = {normalise_header(h) for h in headers}
    saved = [(p["name"], p) for p in saved_mappings.list_profiles(db_path)] if db_path else []
    shipped = [
        (p.stem, json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(PROFILE_DIR.glob("*.json"))
    ]
    matches = []
    for name, profile in saved + shipped:
        wanted = {normalise_header(h) for h in profile.get("mapping", {})}
        if profile.get("kind") == spec.name and wanted and wanted <= present:
            matches.append((-len(wanted), len(matches), name))
    return min(matches)[2] if matches else None


# Columns a wide questionnaire fills itself: one row per answered item, the file's name as survey.
MELTED_COLUMNS = frozenset({"response_id", "question", "answer", "score", "survey_id"})


def missing_required(
    spec: Kind, headers: list[str], mapping: dict[str, str | None], fixed: dict[str, str]
) -> list[Column]:
    """Required columns of `spec` that neither a header, a fixed value nor a melted questionnaire fills."""
    covered = {c for c in mapping.values() if c} | set(fixed)
    if questionnaire_columns(spec, headers, mapping, fixed):
        covered |= MELTED_COLUMNS
    if wide_columns(spec, headers):
        covered |= WIDE_FILLS[spec.name]
    return [c for c in spec.columns if c.required and c.name not in covered]


# Contract columns a wide file's melt fills, per kind: the loader reads such a file through its
# melt alone (etl/load.py), whatever the mapping says.
WIDE_FILLS = {
    "category_tree": frozenset(category_tree.MELTED.values()),
    "problem_map": frozenset(problem_map.MELTED.values()),
}


def wide_columns(spec: Kind, headers: list[str]) -> dict[str, dict]:
    """The columns of a wide category tree or problem map that its melt reads → what each gives
    ({"level": n}, {"column": "problem"} or {"column": "category", "side": …}); {} for any
    other file. `etl inspect` and the upload page show these, so the preview is what loads."""
    return category_tree.roles(spec, headers) or problem_map.roles(spec, headers)


def mapping_problem(
    spec: Kind, headers: list[str], mapping: dict[str, str | None], fixed: dict[str, str]
) -> str | None:
    """The first reason this mapping cannot load, in Chinese, or None when it can.

    The one check of a mapping: the loader refuses the file with it, the upload page shows it
    before a preview, and `etl inspect` lists what it would still miss.
    """
    for column in [*fixed, *(c for c in mapping.values() if c)]:
        if column not in spec.column_names:
            return f"{spec.label}没有字段 {column!r}。可用：{', '.join(spec.column_names)}"
    headers_of: dict[str, list[str]] = {}
    for header, column in mapping.items():
        if column:
            headers_of.setdefault(column, []).append(header)
    for column, sources in headers_of.items():
        if len(sources) > 1:
            return (
                f"「{spec.column(column).display}」同时对应了多列（{'、'.join(sources)}）："
                "请只保留一列。"
            )
    missing = missing_required(spec, headers, mapping, fixed)
    if not missing:
        return None
    col = missing[0]
    unmapped = [h for h in headers if mapping.get(h) is None]
    nearest = process.extractOne(col.display, unmapped) if unmapped else None
    hint = f"最接近的表头：'{nearest[0]}'" if nearest else "文件中没有未使用的列"
    return (
        f"缺少必需列 '{col.display}'；{hint}。请为它选择对应的列，或为整个文件填写"
        f"统一取值（命令行：--map 表头={col.name} 或 --set {col.name}=值）。"
    )


# Columns the figures depend on, per kind: (columns, what a file with none of them does to which
# figures). Such a file is not refused, but the clerk is told before loading (Preview.warnings).
METRIC_COLUMNS: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "complaints": [
        (
            ("status",),
            "导入后这些诉求都将算作未办结，办结率和按期办结率会下降，超期未办结数可能上升",
        ),
        (
            ("handling_unit_id", "receiving_unit_id"),
            "这些诉求不属于任何单位，不计入各单位的诉求数、办结率和超期数",
        ),
        (("deadline_at",), "这些诉求没有办理时限，不计入超期数，按期办结率只按有时限的诉求计算"),
        (("closed_at",), "这些诉求没有办结时间，按期办结率和办理用时不含它们"),
        (("satisfaction",), "这些诉求没有回访结果，诉求的回访满意率不含它们"),
    ],
    "call_records": [
        (("callback_result",), "这些记录都将算作未回访，回访率会下降，满意率只按其他记录计算"),
        (("channel",), "这些记录没有渠道，按渠道的满意率不含它们"),
        (("police_type",), "这些记录没有警种，按警种的满意率不含它们"),
    ],
    "survey_responses": [
        (("target_unit_id",), "这些答卷没有被评单位，不计入任何单位的得分"),
        (("respondent_unit_id",), "这些答卷没有所在单位，参与率不含它们"),
    ],
    "rectifications": [
        (("deadline_on",), "这些问题没有整改时限，不计入超期未整改数"),
    ],
    "report_ledger": [
        (("status",), "这些报表没有处理结果，保留报表数和 150 张线的统计不含它们"),
        (("fill_method",), "这些报表没有填报方式，手工填报占比只按其他报表计算"),
    ],
}


def metric_warnings(
    spec: Kind, headers: list[str], mapping: dict[str, str | None], fixed: dict[str, str]
) -> list[str]:
    """One Chinese sentence for each column the figures depend on that this file neither has nor
    is given a fixed value for, saying which figures it will move."""
    covered = {c for c in mapping.values() if c} | set(fixed)
    if questionnaire_columns(spec, headers, mapping, fixed):
        covered |= MELTED_COLUMNS
    return [
        f"文件没有「{'」或「'.join(spec.column(c).display for c in columns)}」列：{effect}。"
        "如文件中有这一列，请为它选择对应字段，或为整个文件填写统一取值。"
        for columns, effect in METRIC_COLUMNS.get(spec.name, [])
        if not covered & set(columns)
    ]
