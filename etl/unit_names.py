"""Unit names written with their ancestors in front: 「滨江分局柳湾派出所」, 「XX市公安局XX分局XX派出所」.

Exports name a station as the branch's name (full or short) and the station's, or the city
bureau's, the branch's and the station's. A name resolves when it is a unit's own name (full,
short, the full name without its parent's in front, or an alias) with any chain of its ancestors'
names in front, top down (each ancestor at most once, any of them left out). 派出所 and 所 are one
word here, as in the exact lookup. A name that two units could claim is left unresolved.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pandas as pd


def resolve_by_ancestry(con, table: str) -> None:
    """Fill `table` (raw, value: a unit lookup of etl.validate) where `value` is still NULL and
    the raw name is a unit's own name behind a chain of its ancestors' names."""
    pending = con.execute(
        f"select raw, unit_name_key(raw) from {table} where value is null and raw is not null"
    ).fetchall()
    if not pending:
        return
    units = con.execute(
        "select unit_id, unit_name_key(name), unit_name_key(short_name), parent_id from units"
    ).fetchall()
    if not units:
        return
    aliases = con.execute("select unit_id, unit_name_key(alias) from unit_aliases").fetchall()
    resolver = _Resolver(units, aliases)
    found = [(raw, unit) for raw, name in pending if (unit := resolver.resolve(name))]
    if not found:
        return
    resolved = pd.DataFrame(found, columns=["raw", "unit_id"])
    con.execute(f"update {table} as m set value = r.unit_id from resolved as r where m.raw = r.raw")


class _Resolver:
    def __init__(self, units: list[tuple], aliases: list[tuple]) -> None:
        self.parent = {unit_id: parent for unit_id, _, _, parent in units}
        self.given = defaultdict(set)
        for unit_id, name, short, _ in units:
            self.given[unit_id] |= {n for n in (name, short) if n}
        for unit_id, alias in aliases:
            if unit_id in self.given and alias:
                self.given[unit_id].add(alias)
        self.by_name = defaultdict(set)
        for unit_id in self.given:
            for name in self.names(unit_id):
                self.by_name[name].add(unit_id)

    @cache  # noqa: B019 - the index lives for one load; its cache goes with it
    def names(self, unit_id: str) -> frozenset[str]:
        """Its own names: given ones, and the full name without a parent's name in front."""
        own = set(self.given[unit_id])
        parent = self.parent.get(unit_id)
        if parent in self.given:
            for name in list(own):
                for prefix in self.names(parent):
                    if name.startswith(prefix) and len(name) > len(prefix):
                        own.add(name[len(prefix) :])
        return frozenset(own)

    def ancestors(self, unit_id: str) -> list[str]:
        """Its ancestors, top down."""
        chain, seen = [], {unit_id}
        parent = self.parent.get(unit_id)
        while parent in self.given and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = self.parent.get(parent)
        return chain[::-1]

    def resolve(self, name: str) -> str | None:
        """The one unit `name` names as own name behind an ancestor chain, else None."""
        matches = set()
        for cut in range(1, len(name)):
            prefix, own = name[:cut], name[cut:]
            for unit_id in self.by_name.get(own, ()):
                if self._is_chain(prefix, tuple(self.ancestors(unit_id))):
                    matches.add(unit_id)
        return matches.pop() if len(matches) == 1 else None

    def _is_chain(self, text: str, ancestors: tuple[str, ...]) -> bool:
        if not text:
            return True
        return any(
            text.startswith(name) and self._is_chain(text[len(name) :], ancestors[i + 1 :])
            for i, ancestor in enumerate(ancestors)
            for name in self.names(ancestor)
        )
