"""重复诉求 groups: the connected components of the links (case_links) once people's split/merge
decisions are replayed, each record kept only where its text resembles its group's first record.
A record is its key (source_system, case_id): two systems' case 6 are two records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

import pandas as pd

from intel.repeats_text import TextModel, Vectors, id_table, places_in, texts_of

Key = tuple[str, str]  # (source_system, case_id)

# Links chain: A like B like C … can join cases that have nothing in common (a year of generic
# "态度差" complaints of forty stations). A case stays in a group only when its text is at least
# this similar to the group's first case, or the export or a person linked it; the others
# regroup apart.
# On the real message board the wrong joins read by hand were at 0.14–0.15, the right ones 0.23 up.
FIRST_CASE_FLOOR = 0.2
MANUAL, MODEL, EXPORTED = "人工", "模型", "导入"


def group_members(con, keys: Iterable[Key]) -> set[Key]:
    """Every record of the groups the given records belong to."""
    table = id_table(con, "_members_of", keys)
    return {
        (s, c)
        for s, c in con.execute(
            "select source_system, case_id from case_groups where (group_source, group_id) in"
            " (select group_source, group_id from case_groups"
            f" join {table} using (source_system, case_id))"
        ).fetchall()
    }


def decisions(con) -> list[tuple[str, list[Key]]]:
    """People's split/merge decisions, in the order they were made."""
    return [
        (action, list(zip(sources, cases)))
        for action, sources, cases in con.execute(
            "select action, case_sources, case_ids from case_group_decisions order by decision_id"
        ).fetchall()
    ]


def effective_edges(
    links: dict[tuple[Key, Key], tuple[float, str]], made: list[tuple[str, list[Key]]]
) -> dict[tuple[Key, Key], str]:
    """The links that hold once the decisions are replayed in order, each with who made it.

    A split pins its cases together: from then on the export's and the model's links join a case
    only to cases of the same pin (so the split-off cases never drift back), and earlier manual
    links across the cut are dropped. A merge adds manual links between the cases it names.
    """
    pins: dict[Key, int] = {}
    manual: set[tuple[Key, Key]] = set()
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


def components(cases: Iterable[Key], edges: Iterable[tuple[Key, Key]]) -> list[set[Key]]:
    parent = {c: c for c in cases}

    def find(c: Key) -> Key:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[Key, set[Key]] = defaultdict(set)
    for c in parent:
        groups[find(c)].add(c)
    return [g for g in groups.values() if len(g) > 1]


def _first(members: Iterable[Key], received: dict) -> Key:
    return min(members, key=lambda c: (received[c] or dt.datetime.max, c))


def _held_by_first(
    linked: list[set[Key]],
    inner: dict[int, list[tuple[Key, Key]]],
    received: dict,
    vectors: Vectors,
    stated: set[Key],
) -> list[set[Key]]:
    """The groups of the linked components once each case must resemble its group's first case
    (FIRST_CASE_FLOOR); cases the export or a person linked always stay. `inner`: each
    component's links. The cases left out of a group regroup by their own links and are tried
    again, all parts of a round in one batch of cosines (one sparse product, not one per group).
    """
    groups, pending = [], list(enumerate(linked))
    while pending:
        rounds = []
        for n, part in pending:
            first = _first(part, received)
            rest = sorted(part - {first}, key=lambda c: (received[c] or dt.datetime.max, c))
            rounds.append((n, part, first, rest))
        similar = iter(vectors.cosines([(first, c) for _, _, first, rest in rounds for c in rest]))
        pending = []
        for n, part, first, rest in rounds:
            held = {first} | {
                c for c, s in zip(rest, similar) if s >= FIRST_CASE_FLOOR or c in stated
            }
            if len(held) > 1:
                groups.append(held)
            left = part - held
            pending += [
                (n, p)
                for p in components(left, [e for e in inner[n] if e[0] in left and e[1] in left])
            ]
    return groups


def _neighbourhood(con, seed: set[Key], made: list[tuple[str, list[Key]]]) -> set[Key]:
    """`seed` grown to everything connected to it (links, old groups, decisions). Leaves temp
    table _affected holding it: each round adds only the records it found, as a round that
    rewrote the whole set cost a second at 10^5 records."""
    affected = set(seed)
    id_table(con, "_affected", affected)
    while True:
        found = {
            (s, c)
            for s, c in con.execute(
                """
            select * from (
                select l.source_b, l.case_b from case_links as l join _affected as a
                    on a.source_system = l.source_a and a.case_id = l.case_a
                union select l.source_a, l.case_a from case_links as l join _affected as a
                    on a.source_system = l.source_b and a.case_id = l.case_b
                union select source_system, case_id from case_groups
                where (group_source, group_id) in (select g.group_source, g.group_id
                    from case_groups as g join _affected using (source_system, case_id))
            ) except select source_system, case_id from _affected
            """
            ).fetchall()
        }
        found |= {c for _, cases in made if affected & set(cases) for c in cases}
        found -= affected
        if not found:
            return affected
        affected |= found
        id_table(con, "_affected_more", found)
        con.execute("insert into _affected select * from _affected_more")
        con.execute("drop table _affected_more")


def regroup(con, seed: set[Key], model: TextModel) -> None:
    """Recompute the groups of `seed` and of every record connected to it, and write them back."""
    made = decisions(con)
    affected = _neighbourhood(con, seed, made)
    received = {
        (s, c): r
        for s, c, r in con.execute(
            "select source_system, case_id, received_at from complaints"
            " join _affected using (source_system, case_id)"
        ).fetchall()
    }
    links = {
        ((sa, a), (sb, b)): (s, by)
        for sa, a, sb, b, s, by in con.execute(
            "select l.source_a, l.case_a, l.source_b, l.case_b, l.similarity, l.linked_by"
            " from case_links as l"
            " join _affected as x on x.source_system = l.source_a and x.case_id = l.case_a"
            " join _affected as y on y.source_system = l.source_b and y.case_id = l.case_b"
        ).fetchall()
    }
    edges = effective_edges(links, made)
    # Only records with a link can be in a group: the other 10^5 of a load need no union-find.
    groups = components({c for e in edges for c in e if c in received}, edges)
    pinned = {c for action, cases in made if action == "split" for c in cases}
    texts = texts_of(con, set().union(*groups)) if groups else {}
    vectors = model.table(texts)
    stated = pinned | {c for e, by in edges.items() if by in (MANUAL, EXPORTED) for c in e}
    component = {c: n for n, members in enumerate(groups) for c in members}
    inner: dict[int, list[tuple[Key, Key]]] = defaultdict(list)
    for a, b in edges:
        if a in component and component[a] == component.get(b):
            inner[component[a]].append((a, b))
    groups = _held_by_first(groups, inner, received, vectors, stated)
    _write(con, groups, edges, pinned, received, vectors, texts)


def _write(con, groups, edges, pinned, received, vectors, texts) -> None:
    """case_groups, case_places and the inferred duplicate_of of the records in _affected."""
    firsts: dict[Key, Key] = {}
    for members in groups:  # the first case once per group: a group may hold thousands
        firsts.update(dict.fromkeys(members, _first(members, received)))
    to_first = dict(zip(firsts, vectors.cosines(list(firsts.items()))))
    by_case: dict[Key, set[str]] = defaultdict(set)
    for (a, b), by in edges.items():
        by_case[a].add(by)
        by_case[b].add(by)
    rows = []
    for members in groups:
        for case in sorted(members):
            first, how = firsts[case], by_case[case]
            linked_by = (
                MANUAL
                if MANUAL in how or case in pinned
                else (EXPORTED if EXPORTED in how else MODEL)
            )
            similarity = 1.0 if case == first else round(float(to_first[case]), 4)
            rows.append((*first, *case, similarity, linked_by))
    places = [(*case, place) for case, text in texts.items() for place in sorted(places_in(text))]
    for table, frame in (
        (
            "case_groups",
            pd.DataFrame(
                rows,
                columns=[
                    "group_source",
                    "group_id",
                    "source_system",
                    "case_id",
                    "similarity",
                    "linked_by",
                ],
            ),
        ),
        ("case_places", pd.DataFrame(places, columns=["source_system", "case_id", "place"])),
    ):
        con.execute(
            f"delete from {table} where (source_system, case_id) in"
            " (select source_system, case_id from _affected)"
        )
        if len(frame.index):
            con.register("_written", frame)
            try:
                con.execute(f"insert into {table} by name select * from _written")
            finally:
                con.unregister("_written")
    # An inferred duplicate_of follows the groups, naming the first record's source as well
    # (it may be another system's); the export's own is never touched.
    con.execute(
        """
        update complaints as k set
            duplicate_of = case when g.is_repeat then g.group_id end,
            duplicate_of_source = case when g.is_repeat then g.group_source end,
            duplicate_source = case when g.is_repeat then
                case when g.linked_by = '人工' then '人工' else '模型' end end
        from (select c.source_system, c.case_id, g.group_source, g.group_id, g.linked_by,
                  coalesce(g.group_source <> c.source_system or g.group_id <> c.case_id, false)
                      as is_repeat
              from _affected as c left join case_groups as g using (source_system, case_id)) as g
        where k.source_system = g.source_system and k.case_id = g.case_id
            and k.duplicate_source is distinct from '导入'
        """
    )
    # The per-case facts (is_repeat) of these cases follow at etl.derived.refresh (keyed by id:
    # another source's record of the same id is refreshed too, unchanged).
    con.execute("create temp table if not exists _touched_cases (case_id varchar)")
    con.execute("insert into _touched_cases select case_id from _affected")
