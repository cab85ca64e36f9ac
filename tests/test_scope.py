"""Unit scope, metamorphically: every query taking $scope, walked over every unit of the sample.

The rule (etl/schema/009_unit_scope.sql, in_scope): a user scoped to unit X sees exactly what a
whole-bureau user sees with X chosen in the sidebar, and a user scoped to another tree sees none of
X's rows. Queries are found through queries.names()/params_of, so one added later is walked too.
"""

from __future__ import annotations

import pandas as pd
import pytest

import queries
from queries import db
from tests.test_queries import FULL

pytestmark = pytest.mark.usefixtures("sample_db")

NO_UNIT = "no-such-unit"

SCOPED = [n for n in queries.names() if "scope" in queries.params_of(n)]
# Queries with a scope but no sidebar unit filter (the sidebar's own choices, the data's age, the
# survey rounds): they get the weaker checks of test_scope_without_unit_filter_*.
WITHOUT_UNIT_FILTER = [n for n in SCOPED if "unit_ids" not in queries.params_of(n)]
WITH_UNIT_FILTER = [n for n in SCOPED if n not in WITHOUT_UNIT_FILTER]
# Queries data/sample gives no row in any unit, so their walk below checks nothing yet; the list
# must shrink when the sample gains such records (the walk fails for a query listed with rows).
# Queries the sample gives no rows in any unit: its complaints name no complainant and carry no
# reply, and its few words never reach the G² threshold of a rising or distinctive word. They
# still get the "another tree sees nothing" half of the walk.
NO_SAMPLE_ROWS = {
    "repeat_complainants",
    "reply_flagged_cases",
    "reply_flags_by_unit",
    "keyword_rising",
    "keyword_distinctive",
}

# The sample makes no model proposals: the review queue is walked on a trained warehouse instead
# (tests/test_intel_classify.py); here it must stay empty, or it belongs in the walk below.
NO_SAMPLE_PROPOSALS = {"intel_review_queue"}


def run(name: str, **overrides) -> pd.DataFrame:
    with db.read() as con:
        return queries.run(con, name, **{**FULL, **overrides}).reset_index(drop=True)


def closure() -> dict[str, set[str]]:
    """Each unit of the sample with its descendants (itself included)."""
    with db.read() as con:
        rows = con.execute("select ancestor_id, unit_id from unit_closure").fetchall()
    tree: dict[str, set[str]] = {}
    for ancestor, unit in rows:
        tree.setdefault(ancestor, set()).add(unit)
    return tree


def other_tree(tree: dict[str, set[str]], unit: str) -> str | None:
    """A unit whose tree shares no unit with `unit`'s, if there is one."""
    for other in sorted(tree):
        if not tree[other] & tree[unit]:
            return other
    return None


def same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    except AssertionError:
        return False
    return True


def test_the_sample_has_units_and_scoped_queries():
    # 10 units in data/sample/units.csv; 44 queries took $scope when the macro came in.
    assert len(closure()) == 10
    assert len(WITH_UNIT_FILTER) >= 35


@pytest.mark.parametrize("name", WITH_UNIT_FILTER)
def test_scope_of_a_unit_is_the_whole_bureau_with_that_unit_chosen(name):
    tree = closure()
    nothing = run(name, unit_ids=[NO_UNIT])
    units_with_rows = 0
    for unit in sorted(tree):
        chosen = run(name, scope="*", unit_ids=[unit])
        scoped = run(name, scope=unit, unit_ids=[])
        assert same(scoped, chosen), f"{name}: scope={unit} differs from unit_ids=[{unit}]"
        units_with_rows += not same(chosen, nothing)
        other = other_tree(tree, unit)
        if other is not None:
            # Scoped to a disjoint tree, choosing X selects nothing: none of X's rows.
            outside = run(name, scope=other, unit_ids=[unit])
            assert same(outside, nothing), f"{name}: scope={other} shows rows of {unit}"
    # The check can fail: the sample has rows for this query in some unit, not only "nothing".
    if name in NO_SAMPLE_ROWS:
        assert units_with_rows == 0, f"{name} has sample rows now: take it off NO_SAMPLE_ROWS"
    else:
        assert units_with_rows > 0, f"{name}: the sample gives it no rows in any unit"


@pytest.mark.parametrize("name", WITHOUT_UNIT_FILTER)
def test_scope_without_unit_filter_narrows_and_differs_between_trees(name):
    tree = closure()
    whole = run(name, scope="*")
    if name in NO_SAMPLE_PROPOSALS:
        assert whole.empty, f"{name} has sample rows now: take it off NO_SAMPLE_PROPOSALS"
        return
    results = {unit: run(name, scope=unit) for unit in sorted(tree)}
    # The scope is not ignored: some unit's tree sees less than the whole bureau.
    assert any(not same(frame, whole) for frame in results.values()), f"{name} ignores $scope"
    for unit, frame in results.items():
        if all(frame[c].dtype == object for c in frame.columns):
            # A list (of choices): a unit's tree sees a part of its parent's, and of the bureau's.
            rows = set(map(tuple, frame.astype(str).values))
            assert rows <= set(map(tuple, whole.astype(str).values)), f"{name}: scope={unit}"
            for parent, members in tree.items():
                if unit in members and parent != unit:
                    above = set(map(tuple, results[parent].astype(str).values))
                    assert rows <= above, f"{name}: scope={unit} sees more than {parent}"
