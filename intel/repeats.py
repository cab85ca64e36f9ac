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
(see `_effective_edges`), each case kept only where its text resembles its group's first case
(cosine FIRST_CASE_FLOOR, see `_held_by_first`). Everything here runs on the loader's connection
inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

import duckdb
import numpy as np
import pandas as pd

from intel import replies
from intel.repeats_text import (
    TextModel,
    Vectors,
    complainant_key,
    complainant_ref,
    id_table,
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
# Links chain: A like B like C … can join cases that have nothing in common (a year of generic
# "态度差" complaints of forty stations). A case stays in a group only when its text is at least
# this similar to the group's first case, or the export or a person linked it; the others
# regroup apart.
# On the real message board the wrong joins read by hand were at 0.14–0.15, the right ones 0.23 up.
FIRST_CASE_FLOOR = 0.2
MANUAL, MODEL, EXPORTED = "人工", "模型", "导入"


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
        select i.case_id, k.duplicate_of
        from _incoming as i join complaints as k using (case_id)
        where i.duplicate_of is null and k.duplicate_source in ('模型', '人工')
        """
    )
    con.execute(
        "update _incoming set duplicate_of = l.duplicate_of from _inferred_links as l"
        " where _incoming.case_id = l.case_id"
    )


# ---------------------------------------------------------------- linking


def link_import(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """After a complaint load wrote its rows: mark the export's own links and relink its cases."""
    found = con.execute(
        "select 1 from duckdb_tables() where temporary and table_name = '_inferred_links'"
    ).fetchall()
    carried = "_inferred_links" if found else "(select null::varchar as case_id)"
    con.execute(
        f"""
        update complaints set duplicate_source = case when duplicate_of is not null then '导入' end
        where import_id = $id and case_id not in (select case_id from {carried} where case_id is not null)
        """,
        {"id": import_id},
    )
    con.execute(
        f"update complaints set duplicate_source = null where case_id in"
        f" (select case_id from {carried} where case_id is not null)"
    )
    con.execute("drop table if exists _inferred_links")
    relink(con, "select case_id from complaints where import_id = $id", {"id": import_id})


def relink(con: duckdb.DuckDBPyConnection, cases_sql: str, params: dict | None = None) -> None:
    """Recompute the links of the cases `cases_sql` selects (new, changed, restored or removed
    ones) and the groups they belong to before and after; and the screening of their replies."""
    con.execute(
        f"create or replace temp table _relink as select distinct case_id from ({cases_sql})",
        params or {},
    )
    touched = {c for (c,) in con.execute("select case_id from _relink").fetchall()}
    old_groups = _group_members(con, touched)
    con.execute(
        "delete from case_links where case_a in (select case_id from _relink)"
        " or case_b in (select case_id from _relink)"
    )
    _exported_links(con)
    model = reference_model(con)
    _model_links(con, _settings(con), model)
    _regroup(con, touched | old_groups, model)
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
    """The export's own duplicate_of, where the case it names is loaded."""
    con.execute(
        """
        insert into case_links
        select least(k.case_id, k.duplicate_of), greatest(k.case_id, k.duplicate_of), 1.0, '导入'
        from complaints as k
        where k.duplicate_source = '导入' and k.duplicate_of <> k.case_id
            and (k.case_id in (select case_id from _relink)
                 or k.duplicate_of in (select case_id from _relink))
            and k.duplicate_of in (select case_id from complaints)
        """
    )
    _dedupe_links(con)


def _dedupe_links(con) -> None:
    con.execute(
        """
        create or replace temp table _links as
        select case_a, case_b, max(similarity) as similarity,
            min(linked_by) as linked_by  -- 导入 sorts before 模型: the export's word wins
        from case_links group by case_a, case_b
        """
    )
    con.execute("delete from case_links")
    con.execute("insert into case_links select * from _links")
    con.execute("drop table _links")


def _model_links(con, settings: dict, model: TextModel) -> None:
    """Candidates by rare shared words or the same complainant, scored, linked above threshold."""
    window = settings["window"]
    con.execute(
        """
        create or replace temp table _new as
        select k.case_id, k.received_at, coalesce(k.handling_unit_id, k.receiving_unit_id) as unit_id,
            k.complainant_ref
        from complaints as k where k.case_id in (select case_id from _relink)
        """
    )
    if not con.execute("select count(*) from _new").fetchone()[0]:
        return
    con.execute(
        """
        create or replace temp table _pool as
        select k.case_id, k.received_at, coalesce(k.handling_unit_id, k.receiving_unit_id) as unit_id,
            k.complainant_ref
        from complaints as k
        where k.received_at >= (select min(received_at) from _new) - to_days($window)
            and k.received_at <= (select max(received_at) from _new) + to_days($window)
        """,
        {"window": window},
    )
    con.execute(
        """
        create or replace temp table _pool_words as
        select t.record_id as case_id, t.token,
            count(*) over (partition by t.token) as cases
        from text_tokens as t
        where t.source = 'complaint' and t.record_id in (select case_id from _pool)
        """
    )
    con.execute(
        """
        create or replace temp table _candidates as
        with signature as (
            select case_id, token from (
                select w.case_id, w.token,
                    row_number() over (partition by w.case_id order by w.cases, w.token) as rank
                from _pool_words as w
                where w.case_id in (select case_id from _new)
                    and w.cases between 2 and $rare
            ) where rank <= $words
        ),
        by_words as (
            select a, b from (
                select a, b, row_number() over (partition by a order by shared desc, b) as rank
                from (
                    select s.case_id as a, w.case_id as b, count(*) as shared
                    from signature as s join _pool_words as w using (token)
                    where w.case_id <> s.case_id
                    group by s.case_id, w.case_id having count(*) >= $shared
                )
            ) where rank <= $per_case
        ),
        by_person as (
            select n.case_id as a, p.case_id as b
            from _new as n join _pool as p using (complainant_ref)
            where p.case_id <> n.case_id
        )
        select distinct least(a, b) as case_a, greatest(a, b) as case_b
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
        select c.case_a, c.case_b,
            coalesce(a.unit_id = b.unit_id, false) as same_unit,
            coalesce(a.complainant_ref = b.complainant_ref, false) as same_person,
            coalesce(a.unit_id <> b.unit_id and not exists (
                select 1 from unit_closure as u
                where (u.ancestor_id = a.unit_id and u.unit_id = b.unit_id)
                    or (u.ancestor_id = b.unit_id and u.unit_id = a.unit_id)), false) as other_unit
        from _candidates as c
        join _pool as a on a.case_id = c.case_a
        join _pool as b on b.case_id = c.case_b
        where abs(datediff('day', a.received_at, b.received_at)) <= $window
        """,
        {"window": window},
    ).df()
    for table in ("_new", "_pool", "_pool_words", "_candidates"):
        con.execute(f"drop table {table}")
    if pairs.empty:
        return
    ids = sorted(set(pairs["case_a"]) | set(pairs["case_b"]))
    texts = texts_of(con, ids)
    cosines = model.cosines(texts, list(zip(pairs["case_a"], pairs["case_b"])))
    places = {case: places_in(text) for case, text in texts.items()}
    boosts = [
        BOOST_UNIT * same_unit
        + (BOOST_COMPLAINANT if same_person else -PENALTY_UNIT * other_unit)
        + _place_boost(places.get(a, set()), places.get(b, set()))
        for a, b, same_unit, same_person, other_unit in zip(
            pairs["case_a"],
            pairs["case_b"],
            pairs["same_unit"],
            pairs["same_person"],
            pairs["other_unit"],
        )
    ]
    pairs["similarity"] = np.round(np.minimum(cosines + np.asarray(boosts), 1.0), 4)
    kept = pairs[pairs["similarity"] >= settings["threshold"]][["case_a", "case_b", "similarity"]]
    if kept.empty:
        return
    kept = kept.assign(linked_by=MODEL)
    con.register("_scored", kept)
    try:
        con.execute(
            "insert into case_links select case_a, case_b, similarity, linked_by from _scored"
        )
    finally:
        con.unregister("_scored")
    _dedupe_links(con)


def _place_boost(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return BOOST_PLACE if a & b else -PENALTY_PLACE


# ---------------------------------------------------------------- groups


def _group_members(con, ids: Iterable[str]) -> set[str]:
    """Every case of the groups the given cases belong to."""
    table = id_table(con, "_members_of", ids)
    return {
        c
        for (c,) in con.execute(
            "select case_id from case_groups where group_id in"
            f" (select group_id from case_groups where case_id in (select case_id from {table}))"
        ).fetchall()
    }


def decisions(con) -> list[tuple[str, list[str]]]:
    """People's split/merge decisions, in the order they were made."""
    return [
        (a, list(c))
        for a, c in con.execute(
            "select action, case_ids from case_group_decisions order by decision_id"
        ).fetchall()
    ]


def _effective_edges(
    links: dict[tuple[str, str], tuple[float, str]], made: list[tuple[str, list[str]]]
) -> dict[tuple[str, str], str]:
    """The links that hold once the decisions are replayed in order, each with who made it.

    A split pins its cases together: from then on the export's and the model's links join a case
    only to cases of the same pin (so the split-off cases never drift back), and earlier manual
    links across the cut are dropped. A merge adds manual links between the cases it names.
    """
    pins: dict[str, int] = {}
    manual: set[tuple[str, str]] = set()
    for n, (action, cases) in enumerate(made):
        chosen = set(cases)
        if action == "split":
            for case in chosen:
                pins[case] = n
            manual = {e for e in manual if (e[0] in chosen) == (e[1] in chosen)}
        elif action == "merge":
            ordered = sorted(chosen)
            manual |= {tuple(sorted(p)) for p in pairwise(ordered)}
    edges = {e: by for e, (_, by) in links.items() if pins.get(e[0]) == pins.get(e[1])}
    edges.update({e: MANUAL for e in manual})
    return edges


def _components(cases: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[set[str]]:
    parent = {c: c for c in cases}

    def find(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = defaultdict(set)
    for c in parent:
        groups[find(c)].add(c)
    return [g for g in groups.values() if len(g) > 1]


def _held_by_first(
    members: set[str],
    inner: list[tuple[str, str]],
    received: dict,
    vectors: Vectors,
    stated: set[str],
) -> list[set[str]]:
    """The groups of one linked component once each case must resemble its group's first case
    (FIRST_CASE_FLOOR); cases the export or a person linked always stay. `inner`: its links."""
    groups, pending = [], [members]
    while pending:
        part = pending.pop()
        ordered = sorted(part, key=lambda c: (received[c] or dt.datetime.max, c))
        first, rest = ordered[0], ordered[1:]
        similar = vectors.cosines([(first, c) for c in rest])
        held = {first} | {c for c, s in zip(rest, similar) if s >= FIRST_CASE_FLOOR or c in stated}
        if len(held) > 1:
            groups.append(held)
        left = part - held
        pending += _components(left, [e for e in inner if e[0] in left and e[1] in left])
    return groups


def _regroup(con, seed: set[str], model: TextModel) -> None:
    """Recompute the groups of `seed` and of every case connected to it, and write them back."""
    made = decisions(con)
    affected = set(seed)
    while True:  # grow to the whole connected neighbourhood (links, old groups, decisions)
        id_table(con, "_affected", affected)
        found = {
            c
            for (c,) in con.execute(
                """
            select case_b from case_links where case_a in (select case_id from _affected)
            union select case_a from case_links where case_b in (select case_id from _affected)
            union select case_id from case_groups where group_id in (select group_id
                from case_groups where case_id in (select case_id from _affected))
            """
            ).fetchall()
        }
        found |= {c for _, cases in made if affected & set(cases) for c in cases}
        if found <= affected:
            break
        affected |= found
    id_table(con, "_affected", affected)
    existing = con.execute(
        "select case_id, received_at from complaints"
        " where case_id in (select case_id from _affected)"
    ).fetchall()
    received = {c: r for c, r in existing}
    links = {
        (a, b): (s, by)
        for a, b, s, by in con.execute(
            "select case_a, case_b, similarity, linked_by from case_links"
            " where case_a in (select case_id from _affected)"
            " and case_b in (select case_id from _affected)"
        ).fetchall()
    }
    edges = _effective_edges(links, made)
    groups = _components(received, edges)
    pinned = {c for action, cases in made if action == "split" for c in cases}
    texts = texts_of(con, sorted(set().union(*groups))) if groups else {}
    vectors = model.table(texts)
    stated = pinned | {c for e, by in edges.items() if by in (MANUAL, EXPORTED) for c in e}
    component = {c: n for n, members in enumerate(groups) for c in members}
    inner: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for a, b in edges:
        if a in component and component[a] == component.get(b):
            inner[component[a]].append((a, b))
    groups = [
        held
        for n, members in enumerate(groups)
        for held in _held_by_first(members, inner[n], received, vectors, stated)
    ]
    rows = []
    firsts: dict[str, str] = {}
    for members in groups:  # the first case once per group: a group may hold thousands
        first = min(members, key=lambda c: (received[c] or dt.datetime.max, c))
        firsts.update(dict.fromkeys(members, first))
    to_first = dict(zip(firsts, vectors.cosines(list(firsts.items()))))
    by_case: dict[str, set[str]] = defaultdict(set)
    for (a, b), by in edges.items():
        by_case[a].add(by)
        by_case[b].add(by)
    for members in groups:
        for case in sorted(members):
            first = firsts[case]
            how = by_case[case]
            linked_by = (
                MANUAL
                if MANUAL in how or case in pinned
                else (EXPORTED if EXPORTED in how else MODEL)
            )
            similarity = 1.0 if case == first else round(float(to_first[case]), 4)
            rows.append((first, case, similarity, linked_by))
    places = [(case, place) for case, text in texts.items() for place in sorted(places_in(text))]
    for table, frame in (
        (
            "case_groups",
            pd.DataFrame(rows, columns=["group_id", "case_id", "similarity", "linked_by"]),
        ),
        ("case_places", pd.DataFrame(places, columns=["case_id", "place"])),
    ):
        con.execute(f"delete from {table} where case_id in (select case_id from _affected)")
        if len(frame.index):
            con.register("_written", frame)
            try:
                con.execute(f"insert into {table} by name select * from _written")
            finally:
                con.unregister("_written")
    # An inferred duplicate_of follows the groups; the export's own is never touched.
    con.execute(
        """
        update complaints as k set
            duplicate_of = case when g.group_id <> k.case_id then g.group_id end,
            duplicate_source = case when g.group_id <> k.case_id then
                case when g.linked_by = '人工' then '人工' else '模型' end end
        from (select c.case_id, g.group_id, g.linked_by
              from _affected as c left join case_groups as g using (case_id)) as g
        where k.case_id = g.case_id and k.duplicate_source is distinct from '导入'
        """
    )
    # The per-case facts (is_repeat) of these cases follow at etl.derived.refresh.
    con.execute("create temp table if not exists _touched_cases (case_id varchar)")
    con.execute("insert into _touched_cases select case_id from _affected")


# ---------------------------------------------------------------- people's decisions


class DecisionRefused(ValueError):
    """A split or merge that cannot be made; the message is one Chinese line."""


def decide(
    con: duckdb.DuckDBPyConnection,
    action: str,
    case_ids: list[str],
    *,
    user: str | None,
    note: str = "",
) -> int:
    """Record a split or merge and regroup; return the decision's id."""
    cases = sorted(dict.fromkeys(c for c in case_ids if c))
    if action not in ("split", "merge"):
        raise DecisionRefused(f"未知的操作 {action!r}。")
    known = {
        c
        for (c,) in con.execute(
            "select case_id from complaints where list_contains($ids, case_id)", {"ids": cases}
        ).fetchall()
    }  # a handful of ids: the list is short
    missing = [c for c in cases if c not in known]
    if missing:
        raise DecisionRefused(f"没有编号为 {'、'.join(missing)} 的诉求。")
    if action == "merge" and len(cases) < 2:
        raise DecisionRefused("合并至少需要两件诉求（或两组中的各一件）。")
    if action == "split" and not cases:
        raise DecisionRefused("请选择要拆出的诉求。")
    decision_id = con.execute(
        "select coalesce(max(decision_id), 0) + 1 from case_group_decisions"
    ).fetchone()[0]
    con.execute(
        "insert into case_group_decisions values ($id, $action, $cases, $user, now(), $note)",
        {"id": decision_id, "action": action, "cases": cases, "user": user, "note": note or None},
    )
    _regroup(con, set(cases) | _group_members(con, cases), reference_model(con))
    return int(decision_id)


def saved_decisions(con) -> pd.DataFrame:
    """Every decision as stored, to carry across a rebuild."""
    return con.execute("select * from case_group_decisions order by decision_id").df()


def restore_decisions(con, saved: pd.DataFrame) -> None:
    """Put carried decisions into a fresh warehouse before its loads are replayed."""
    if saved is None or saved.empty:
        return
    saved = saved.assign(case_ids=saved["case_ids"].map(lambda v: [str(c) for c in np.asarray(v)]))
    con.register("_saved_decisions", saved)
    try:
        con.execute("insert into case_group_decisions by name select * from _saved_decisions")
    finally:
        con.unregister("_saved_decisions")
