"""Which survey rounds may be a page's default: one an admin loaded or confirmed (issue 11 point 8).

A clerk who loads answers under a new 调查编号 opens a round; leaders should not see it as the
default 问卷 on 警意调查 until an admin says so. Who loaded a round's answers is in the warehouse
(imports.scope_unit_id, read by the named query survey_rounds_opened); confirmations are one small
row each in the configuration store (table survey_round_confirmations, etl/config_store.py: a small
write, never a copy of the warehouse).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from etl import config_store


def confirmed(db_path: Path | None = None) -> set[tuple[str, str]]:
    """(survey_id, source_system) of every round an admin confirmed."""
    with config_store.read(db_path) as con:
        if con is None or not config_store.has_table(con, "survey_round_confirmations"):
            return set()  # none confirmed yet (or a store the next `etl migrate` brings up to date)
        return set(
            con.execute(
                "select survey_id, source_system from survey_round_confirmations"
            ).fetchall()
        )


def may_be_default(rounds, confirmed_rounds: set[tuple[str, str]]) -> list[bool]:
    """For rows of survey_rounds_opened: whether each round may be a page's default."""
    return [
        bool(row.is_opened_by_admin) or (row.survey_id, row.source_system) in confirmed_rounds
        for row in rounds.itertuples()
    ]


def awaiting(db_path: Path | None = None) -> list[dict[str, Any]]:
    """Rounds only staff accounts loaded and no admin confirmed, newest first (whole bureau)."""
    import queries
    from queries import db

    path = Path(db_path or db.db_path())
    if not path.exists():
        return []
    with db.read(path) as con:
        rounds = queries.run(con, "survey_rounds_opened", scope="*")
    done = confirmed(path)
    waiting = rounds[[not ok for ok in may_be_default(rounds, done)]]
    return waiting.drop(columns="is_opened_by_admin").to_dict("records")


def confirm(db_path: Path | None, rounds: list[tuple[str, str]], *, user: str | None) -> None:
    """Confirm rounds [(survey_id, source_system)]: each may then be the page's default."""
    at = dt.datetime.now().replace(microsecond=0)
    with config_store.write(db_path) as con:
        con.executemany(
            "insert or replace into survey_round_confirmations values (?, ?, ?, ?)",
            [(survey_id, source, user, at) for survey_id, source in rounds],
        )
