"""重复诉求: link each complaint to the earlier ones and to the rest of its file that raise the same
matter, across channels, into groups (contract table case_groups).

How two cases are judged the same matter (one definition, stated on the page):
1. candidates: cases within the window (setting repeat_window_days, counted between the two cases,
   so a matter that keeps coming back stays one group however long it lasts) that share at least
   two rare words of their text (words from text_tokens used by few cases) or the same complainant;
2. score: cosine of TF-IDF character 2–3-grams of title + content, plus boosts: same handling unit
   +0.05, same complainant +0.2, otherwise two units neither above the other −0.15, a shared place
   word (…小区/路/村 …) +0.1, place names on both sides and none shared −0.3;
3. linked when the score reaches repeat_threshold. The export's own link (duplicate_of) is a link.
Groups are the connected components of the links, after the people's decisions are replayed
(intel.repeats_groups), each case kept only where its text resembles its group's first case.
A record is its key (source_system, case_id): two systems' case 6 are two records; the export's
own link names a case of its own source. Everything here runs on the loader's connection inside
its transaction.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from intel import replies
from intel.repeats_groups import MODEL, Key, group_members, regroup
from intel.repeats_text import (
    TextModel,
    complainant_key,
    complainant_ref,
    places_in,
    reference_model,
    texts_of,
    warehouse_dir,
)

SIGNATURE_WORDS = 12  # rarest words of a case used to find its candidates
RARE_WORD_CASES = 50  # a word used by more cases than this finds no candidates (too common)
MIN_SHARED_WORDS = 2
# Each case is scored against the cases sharing most of its rare words, at most this many: a
# template text shared by thousands would otherwise cost a score for every pair.
CANDIDATES_PER_CASE = 20
BOOST_UNIT, BOOST_COMPLAINANT, BOOST_PLACE, PENALTY_PLACE = 0.05, 0.2, 0.1, 0.3
# Two stations neither of which is above the other handle two matters, unless one person wrote
# both: the same complaint about "态度差" at forty stations is forty matters.
PENALTY_UNIT = 0.15


def prepare_incoming(con: duckdb.DuckDBPyConnection) -> None:
    """Before the loader compares incoming complaint rows with the stored ones (_incoming):
    replace each complainant value by its keyed hash (nothing else ever holds the value), and keep
    a stored inferred duplicate_of where the export gives none, so reloading a file changes nothing.
    """
    raw = [
        v
        for (v,) in con.execute(
            "select distinct complainant_ref from _incoming where complainant_ref is not null"
        ).fetchall()
    ]
    if raw:
        key = complainant_key(warehouse_dir(con))
        refs = pd.DataFrame(
            {
                "raw": raw,
                "ref": [complainant_ref(key, v) if key else None for v in raw],
            }
        )
        con.register("_complainant_refs", refs)
        try:
            con.execute(
                "update _incoming set complainant_ref = r.ref from _complainant_refs as r"
                " where _incoming.complainant_ref = r.raw"
            )
        finally:
            con.unregister("_complainant_refs")
    con.execute(
        """
        create or replace temp table _inferred_links as
        select i.source_system, i.case_id, k.duplicate_of
        from _incoming as i join complaints as k using (source_system, case_id)
        where i.duplicate_of is null and k.duplicate_source in ('模型', '人工')
        """
    )
    con.execute(
        "update _incoming set duplicate_of = l.duplicate_of from _inferred_links as l"
        " where _incoming.source_system = l.source_system and _incoming.case_id = l.case_id"
    )


# ---------------------------------------------------------------- linking


def link_import(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """After a complaint load wrote its rows: mark the export's own links and relink its cases."""
    found = con.execute(
        "select 1 from duckdb_tables() where temporary and table_name = '_inferred_links'"
    ).fetchall()
    carried = (
        "_inferred_links"
        if found
        else "(select null::varchar as source_system, null::varchar as case_id)"
    )
    inferred = (
        f"exists (select 1 from {carried} as l"
        " where l.source_system = complaints.source_system and l.case_id = complaints.case_id)"
    )
    # The export's link names a case of the export's own source.
    con.execute(
        f"""
        update complaints set
            duplicate_source = case when duplicate_of is not null then '导入' end,
            duplicate_of_source = case when duplicate_of is not null then source_system end
        where import_id = $id and not {inferred}
        """,
        {"id": import_id},
    )
    con.execute(f"update complaints set duplicate_source = null where {inferred}")
    con.execute("drop table if exists _inferred_links")
    relink(
        con,
        "select source_system, case_id from complaints where import_id = $id",
        {"id": import_id},
    )


def relink(con: duckdb.DuckDBPyConnection, cases_sql: str, params: dict | None = None) -> None:
    """Recompute the links of the records `cases_sql` selects (source_system, case_id: new,
    changed, restored or removed ones) and the groups they belong to before and after; and the
    screening of their replies."""
    con.execute(
        "create or replace temp table _relink as"
        f" select distinct source_system, case_id from ({cases_sql})",
        params or {},
    )
    touched = set(con.execute("select source_system, case_id from _relink").fetchall())
    old_groups = group_members(con, touched)
    con.execute(
        "delete from case_links where (source_a, case_a) in (select * from _relink)"
        " or (source_b, case_b) in (select * from _relink)"
    )
    _exported_links(con)
    model = reference_model(con)
    _model_links(con, _settings(con), model)
    regroup(con, touched | old_groups, model)
    replies.screen(con, "_relink")  # the same cases' replies, where exported
    con.execute("drop table _relink")


def _settings(con) -> dict[str, float]:
    rows = dict(
        con.execute(
            "select key, value from settings where key in ('repeat_window_days', 'repeat_threshold')"
        ).fetchall()
    )
    return {
        "window": int(rows.get("repeat_window_days", 90)),
        "threshold": float(rows.get("repeat_threshold", 0.5)),
    }


def _exported_links(con) -> None:
    """The export's own duplicate_of, where its source holds the case it names."""
    con.execute(
        """
        insert into case_links by name
        select k.source_system as source_a, least(k.case_id, k.duplicate_of) as case_a,
            k.source_system as source_b, greatest(k.case_id, k.duplicate_of) as case_b,
            1.0 as similarity, '导入' as linked_by
        from complaints as k
        where k.duplicate_source = '导入' and k.duplicate_of <> k.case_id
            and ((k.source_system, k.case_id) in (select * from _relink)
                 or (k.source_system, k.duplicate_of) in (select * from _relink))
            and (k.source_system, k.duplicate_of) in (select source_system, case_id from complaints)
        """
    )
    _dedupe_links(con)


def _dedupe_links(con) -> None:
    con.execute(
        """
        create or replace temp table _links as
        select source_a, case_a, source_b, case_b, max(similarity) as similarity,
            min(linked_by) as linked_by  -- 导入 sorts before 模型: the export's word wins
        from case_links group by source_a, case_a, source_b, case_b
        """
    )
    con.execute("delete from case_links")
    con.execute("insert into case_links by name select * from _links")
    con.execute("drop table _links")


def _model_links(con, settings: dict, model: TextModel) -> None:
    """Candidates by rare shared words or the same complainant, scored, linked above threshold.
    Records are numbered (rid) in (source_system, case_id) order for the candidate search."""
    window = settings["window"]
    con.execute(
        """
        create or replace temp table _new as
        select k.source_system, k.case_id, k.received_at
        from complaints as k join _relink using (source_system, case_id)
        """
    )
    if not con.execute("select count(*) from _new").fetchone()[0]:
        return
    con.execute(
        """
        create or replace temp table _pool as
        select row_number() over (order by k.source_system, k.case_id) as rid,
            k.source_system, k.case_id, k.received_at,
            coalesce(k.handling_unit_id, k.receiving_unit_id) as unit_id, k.complainant_ref,
            n.case_id is not null as is_new
        from complaints as k
        left join _new as n using (source_system, case_id)
        where k.received_at >= (select min(received_at) from _new) - to_days($window)
            and k.received_at <= (select max(received_at) from _new) + to_days($window)
        """,
        {"window": window},
    )
    # Only rare words find candidates: the pool's other words (most of its rows) are not kept.
    con.execute(
        """
        create or replace temp table _pool_words as
        with words as (
            select p.rid, t.token
            from text_tokens as t
            join _pool as p on p.source_system = t.source_system and p.case_id = t.record_id
            where t.source = 'complaint'
        ),
        rare as (select token, count(*) as cases from words group by token having count(*) <= $rare)
        select w.rid, w.token, r.cases from words as w join rare as r using (token)
        """,
        {"rare": RARE_WORD_CASES},
    )
    con.execute(
        """
        create or replace temp table _candidates as
        with signature as (
            select rid, token from (
                select w.rid, w.token,
                    row_number() over (partition by w.rid order by w.cases, w.token) as rank
                from _pool_words as w
                where w.rid in (select rid from _pool where is_new)
                    and w.cases between 2 and $rare
            ) where rank <= $words
        ),
        by_words as (
            select a, b from (
                select a, b, row_number() over (partition by a order by shared desc, b) as rank
                from (
                    select s.rid as a, w.rid as b, count(*) as shared
                    from signature as s join _pool_words as w using (token)
                    where w.rid <> s.rid
                    group by s.rid, w.rid having count(*) >= $shared
                )
            ) where rank <= $per_case
        ),
        by_person as (
            select n.rid as a, p.rid as b
            from _pool as n join _pool as p using (complainant_ref)
            where n.is_new and p.rid <> n.rid
        )
        select distinct least(a, b) as rid_a, greatest(a, b) as rid_b
        from (select * from by_words union all select * from by_person)
        """,
        {
            "rare": RARE_WORD_CASES,
            "words": SIGNATURE_WORDS,
            "shared": MIN_SHARED_WORDS,
            "per_case": CANDIDATES_PER_CASE,
        },
    )
    pairs = con.execute(
        """
        select a.source_system as source_a, a.case_id as case_a,
            b.source_system as source_b, b.case_id as case_b,
            coalesce(a.unit_id = b.unit_id, false) as same_unit,
            coalesce(a.complainant_ref = b.complainant_ref, false) as same_person,
            coalesce(a.unit_id <> b.unit_id and not exists (
                select 1 from unit_closure as u
                where (u.ancestor_id = a.unit_id and u.unit_id = b.unit_id)
                    or (u.ancestor_id = b.unit_id and u.unit_id = a.unit_id)), false) as other_unit
        from _candidates as c
        join _pool as a on a.rid = c.rid_a
        join _pool as b on b.rid = c.rid_b
        where abs(datediff('day', a.received_at, b.received_at)) <= $window
        """,
        {"window": window},
    ).df()
    for table in ("_new", "_pool", "_pool_words", "_candidates"):
        con.execute(f"drop table {table}")
    if pairs.empty:
        return
    left = list(zip(pairs["source_a"], pairs["case_a"]))
    right = list(zip(pairs["source_b"], pairs["case_b"]))
    texts = texts_of(con, set(left) | set(right))
    cosines = model.cosines(texts, list(zip(left, right)))
    places = {case: places_in(text) for case, text in texts.items()}
    boosts = [
        BOOST_UNIT * same_unit
        + (BOOST_COMPLAINANT if same_person else -PENALTY_UNIT * other_unit)
        + _place_boost(places.get(a, set()), places.get(b, set()))
        for a, b, same_unit, same_person, other_unit in zip(
            left, right, pairs["same_unit"], pairs["same_person"], pairs["other_unit"]
        )
    ]
    pairs["similarity"] = np.round(np.minimum(cosines + np.asarray(boosts), 1.0), 4)
    kept = pairs[pairs["similarity"] >= settings["threshold"]][
        ["source_a", "case_a", "source_b", "case_b", "similarity"]
    ]
    if kept.empty:
        return
    con.register("_scored", kept.assign(linked_by=MODEL))
    try:
        con.execute("insert into case_links by name select * from _scored")
    finally:
        con.unregister("_scored")
    _dedupe_links(con)


def _place_boost(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return BOOST_PLACE if a & b else -PENALTY_PLACE


# ---------------------------------------------------------------- people's decisions


class DecisionRefused(ValueError):
    """A split or merge that cannot be made; the message is one Chinese line."""


def _records(con, chosen: list[str | Key]) -> list[Key]:
    """The records a person chose: (source_system, case_id), or a bare id one source holds."""
    bare = sorted({c for c in chosen if isinstance(c, str) and c})
    keys = {(str(c[0]), str(c[1])) for c in chosen if c and not isinstance(c, str)}
    held: dict[str, list[str]] = {}
    for source, case in con.execute(
        "select source_system, case_id from complaints where list_contains($ids, case_id)"
        " order by source_system",
        {"ids": sorted(set(bare) | {c for _, c in keys})},
    ).fetchall():  # a handful of ids: the list is short
        held.setdefault(case, []).append(source)
    missing = [c for s, c in sorted(keys) if s not in held.get(c, [])]
    for case in bare:
        sources = held.get(case, [])
        if len(sources) > 1:
            raise DecisionRefused(f"编号 {case} 在多个来源中（{'、'.join(sources)}），请指明来源。")
        if sources:
            keys.add((sources[0], case))
        else:
            missing.append(case)
    if missing:
        raise DecisionRefused(f"没有编号为 {'、'.join(missing)} 的诉求。")
    return sorted(keys)


def decide(
    con: duckdb.DuckDBPyConnection,
    action: str,
    case_ids: list[str | Key],
    *,
    user: str | None,
    note: str = "",
) -> int:
    """Record a split or merge of the given records and regroup; return the decision's id."""
    if action not in ("split", "merge"):
        raise DecisionRefused(f"未知的操作 {action!r}。")
    cases = _records(con, case_ids)
    if action == "merge" and len(cases) < 2:
        raise DecisionRefused("合并至少需要两件诉求（或两组中的各一件）。")
    if action == "split" and not cases:
        raise DecisionRefused("请选择要拆出的诉求。")
    decision_id = con.execute(
        "select coalesce(max(decision_id), 0) + 1 from case_group_decisions"
    ).fetchone()[0]
    con.execute(
        "insert into case_group_decisions"
        " (decision_id, action, case_ids, case_sources, made_by, made_at, note)"
        " values ($id, $action, $cases, $sources, $user, now(), $note)",
        {
            "id": decision_id,
            "action": action,
            "cases": [c for _, c in cases],
            "sources": [s for s, _ in cases],
            "user": user,
            "note": note or None,
        },
    )
    regroup(con, set(cases) | group_members(con, cases), reference_model(con))
    return int(decision_id)


def saved_decisions(con) -> pd.DataFrame:
    """Every decision as stored, to carry across a rebuild."""
    return con.execute("select * from case_group_decisions order by decision_id").df()


def restore_decisions(con, saved: pd.DataFrame) -> None:
    """Put carried decisions into a fresh warehouse before its loads are replayed."""
    if saved is None or saved.empty:
        return
    as_lists = {
        column: saved[column].map(lambda v: [str(c) for c in np.asarray(v)])
        for column in ("case_ids", "case_sources")
    }
    con.register("_saved_decisions", saved.assign(**as_lists))
    try:
        con.execute("insert into case_group_decisions by name select * from _saved_decisions")
    finally:
        con.unregister("_saved_decisions")
