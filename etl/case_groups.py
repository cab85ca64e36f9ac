"""A person's split or merge of repeated-complaint groups (重复诉求): the page calls these, and
they write through etl.store like every other change; intel.repeats regroups inside the write.
A case is (source_system, case_id), or its bare id where only one source holds that id."""

from __future__ import annotations

from pathlib import Path

from etl import derived, store
from intel import repeats

Case = str | tuple[str, str]

DecisionRefused = repeats.DecisionRefused


def split(db_path: Path, case_ids: list[Case], *, user: str | None, note: str = "") -> int:
    """Take the given cases out of their group (they stay together); return the decision id."""
    return _decide(db_path, "split", case_ids, user, note)


def merge(db_path: Path, case_ids: list[Case], *, user: str | None, note: str = "") -> int:
    """Join the groups of the given cases into one; return the decision id."""
    return _decide(db_path, "merge", case_ids, user, note)


def _decide(db_path: Path, action: str, case_ids: list[Case], user: str | None, note: str) -> int:
    with store.write(db_path) as con:
        decision_id = repeats.decide(con, action, case_ids, user=user, note=note)
        derived.refresh(con, [])  # is_repeat of the cases regrouped
    return decision_id
