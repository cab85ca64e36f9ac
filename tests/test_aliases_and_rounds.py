"""What a clerk proposes and an admin confirms: unit aliases (issue 10 point 4), and survey rounds
a clerk opened, which are no page's default until confirmed (issue 11 point 8)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from auth import audit
from etl import aliases, config_store, survey_rounds
from etl.load import load_files
from queries import db as warehouse_db
from tests.test_load import rows, write
from tests.test_pages import open_page
from tests.test_survey_scope import UNITS


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    load_files(path, [write(tmp_path / "units.csv", UNITS)], "units")
    return path


def test_a_clerk_proposes_an_alias_for_their_tree_and_an_admin_confirms_it(db, tmp_path):
    aliases.propose_alias(db, " 滨江 柳湾所 ", "BJ1", user="clerk", scope_unit_id="BJ")
    with pytest.raises(aliases.AliasError, match="不在本账号的单位范围内"):
        aliases.propose_alias(db, "城南白沙所", "CN1", user="clerk", scope_unit_id="BJ")
    assert [(p["alias"], p["unit_id"], p["proposed_by"]) for p in aliases.proposed(db)] == [
        ("滨江 柳湾所", "BJ1", "clerk")
    ]
    # Written to the configuration store beside the warehouse, not to the warehouse.
    assert warehouse_db.config_path(db).is_file()
    assert rows(db, "select count(*) from unit_aliases") == [(0,)]

    assert aliases.confirm_aliases(db, ["滨江 柳湾所"], user="admin", load=load_files) == 1
    assert aliases.proposed(db) == []
    assert [p["status"] for p in aliases.proposed(db, None)] == [aliases.CONFIRMED]
    calls = write(tmp_path / "c.csv", "警情编号,报警时间,处警单位\n1,2024-03-05,滨江柳湾所\n")
    [result] = load_files(db, [calls], "call_records")
    assert result.errors == []
    assert rows(db, "select unit_id from call_records") == [("BJ1",)]


def test_an_admin_may_turn_a_proposal_down(db):
    aliases.propose_alias(db, "柳湾", "BJ1", user="clerk", scope_unit_id="BJ")
    aliases.decline_alias(db, "柳湾", user="admin")
    assert [(p["alias"], p["status"], p["decided_by"]) for p in aliases.proposed(db, None)] == [
        ("柳湾", aliases.DECLINED, "admin")
    ]
    assert rows(db, "select count(*) from unit_aliases") == [(0,)]


CLERK_ROUND = """答卷编号,调查编号,提交时间,所在单位,被评单位,题目,得分
C1,JY2024补充,2024-06-20 09:00,东风派出所,东风派出所,总体评价,1
"""


def clerk_opens_a_round(scratch_db, monkeypatch, tmp_path) -> None:
    """The app reads scratch_db, where a clerk of 东城分局 has loaded round JY2024补充."""
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    load_files(
        scratch_db,
        [write(tmp_path / "clerk.csv", CLERK_ROUND)],
        "survey_responses",
        user="clerk",
        scope_unit_id="FJ1",
    )


def test_a_round_a_clerk_opened_is_not_the_default_until_an_admin_confirms_it(
    scratch_db, monkeypatch, tmp_path
):
    clerk_opens_a_round(scratch_db, monkeypatch, tmp_path)
    assert [r["survey_id"] for r in survey_rounds.awaiting(scratch_db)] == ["JY2024补充"]
    period = {"flt_period": "自定义", "flt_dates": ["2024-01-01", "2024-12-31"]}

    at = open_page("survey", **period)
    # Both rounds are listed, the later one is the clerk's: the admin's stays the default.
    assert [o.split("（")[0] for o in at.selectbox(key="sv_survey").options] == [
        "JY2024",
        "JY2024补充",
    ]
    assert at.selectbox(key="sv_survey").value == "JY2024"

    survey_rounds.confirm(scratch_db, [("JY2024补充", "未注明")], user="admin")
    assert survey_rounds.awaiting(scratch_db) == []
    assert open_page("survey", **period).selectbox(key="sv_survey").value == "JY2024补充"


def test_a_round_confirmation_is_a_row_of_the_configuration_store(db):
    survey_rounds.confirm(db, [("JY2024补充", "未注明")], user="admin")
    with config_store.read(db) as con:
        assert con.execute(
            "select survey_id, source_system, confirmed_by from survey_round_confirmations"
        ).fetchall() == [("JY2024补充", "未注明", "admin")]
    # No second small file beside the warehouse any more.
    assert not config_store.old_sqlite_path(db).exists()
    assert survey_rounds.confirmed(db) == {("JY2024补充", "未注明")}


OLD_SQLITE = """
create table unit_alias_proposals (
    alias text primary key, unit_id text not null, proposed_by text, proposed_at text not null,
    status text not null, decided_by text, decided_at text
);
insert into unit_alias_proposals values
    ('柳湾所', 'BJ1', 'clerk', '2024-05-01 09:00:00', '待确认', null, null),
    ('滨江柳湾', 'BJ1', 'clerk', '2024-04-01 08:00:00', '未采纳', 'admin', '2024-04-02 10:00:00');
"""


def test_proposals_made_in_the_sqlite_file_move_to_the_configuration_store_once(db):
    # Before the move, proposals were rows of <warehouse>.proposals.sqlite.
    old = sqlite3.connect(config_store.old_sqlite_path(db))
    old.executescript(OLD_SQLITE)
    old.close()

    assert "020u_alias_proposals.sql" in config_store.migrate_file(db)
    moved = [
        (p["alias"], p["status"], p["proposed_at"], p["decided_by"])
        for p in aliases.proposed(db, None)
    ]
    assert moved == [
        ("滨江柳湾", aliases.DECLINED, dt.datetime(2024, 4, 1, 8), "admin"),
        ("柳湾所", aliases.PENDING, dt.datetime(2024, 5, 1, 9), None),
    ]
    # Once: a later migration or write copies nothing again, and new proposals go to the store.
    assert config_store.migrate_file(db) == []
    aliases.propose_alias(db, "柳湾派出所分部", "BJ1", user="clerk", scope_unit_id="BJ")
    assert [p["alias"] for p in aliases.proposed(db)] == ["柳湾所", "柳湾派出所分部"]
    with sqlite3.connect(config_store.old_sqlite_path(db)) as old:
        assert old.execute("select count(*) from unit_alias_proposals").fetchone() == (2,)


OLD_ROUNDS = """
create table survey_round_confirmations (
    survey_id text not null, source_system text not null, confirmed_by text,
    confirmed_at text not null, primary key (survey_id, source_system)
);
insert into survey_round_confirmations values
    ('JY2024补充', '未注明', 'admin', '2024-06-21 10:00:00'),
    ('JY2023', '问卷星', null, '2023-12-01 08:30:00');
"""


def _confirmations(db) -> list[tuple]:
    with config_store.read(db) as con:
        return con.execute(
            "select survey_id, source_system, confirmed_by, confirmed_at"
            " from survey_round_confirmations order by survey_id"
        ).fetchall()


def test_round_confirmations_in_the_sqlite_file_move_to_the_configuration_store_once(db):
    # A store made after alias proposals moved, before round confirmations did: its older file
    # holds both tables, and only the rounds are still to be copied.
    old = sqlite3.connect(config_store.old_sqlite_path(db))
    old.executescript(OLD_SQLITE + OLD_ROUNDS)
    old.close()
    config_store.migrate_file(db)
    with config_store.write(db) as con:
        con.execute("drop table survey_round_confirmations")
        con.execute("delete from schema_migrations where name = '023r_survey_rounds.sql'")

    assert config_store.migrate_file(db) == ["023r_survey_rounds.sql"]
    assert _confirmations(db) == [
        ("JY2023", "问卷星", None, dt.datetime(2023, 12, 1, 8, 30)),
        ("JY2024补充", "未注明", "admin", dt.datetime(2024, 6, 21, 10)),
    ]
    assert survey_rounds.confirmed(db) == {("JY2024补充", "未注明"), ("JY2023", "问卷星")}
    assert len(aliases.proposed(db, None)) == 2  # copied by 020u once, not again by 023r
    # Once: a later write copies nothing again; a new confirmation goes to the store only.
    assert config_store.migrate_file(db) == []
    survey_rounds.confirm(db, [("JY2025", "未注明")], user="admin")
    assert [r[0] for r in _confirmations(db)] == ["JY2023", "JY2024补充", "JY2025"]
    with sqlite3.connect(config_store.old_sqlite_path(db)) as old:  # left as it was
        assert old.execute("select count(*) from survey_round_confirmations").fetchone() == (2,)


def test_a_new_store_takes_both_tables_of_the_sqlite_file(db):
    old = sqlite3.connect(config_store.old_sqlite_path(db))
    old.executescript(OLD_SQLITE + OLD_ROUNDS)
    old.close()
    applied = config_store.migrate_file(db)
    assert {"020u_alias_proposals.sql", "023r_survey_rounds.sql"} <= set(applied)
    assert [p["alias"] for p in aliases.proposed(db, None)] == ["滨江柳湾", "柳湾所"]
    assert [r[:3] for r in _confirmations(db)] == [
        ("JY2023", "问卷星", None),
        ("JY2024补充", "未注明", "admin"),
    ]


def test_the_first_start_moves_an_older_files_confirmations_before_a_page_reads_them(
    scratch_db, monkeypatch, tmp_path
):
    clerk_opens_a_round(scratch_db, monkeypatch, tmp_path)
    old = sqlite3.connect(config_store.old_sqlite_path(scratch_db))
    old.executescript(OLD_ROUNDS)
    old.close()
    assert not config_store.path(scratch_db).exists()

    at = open_page("survey", flt_period="自定义", flt_dates=["2024-01-01", "2024-12-31"])
    # The clerk's round was confirmed in the older file: it is the default at once.
    assert at.selectbox(key="sv_survey").value == "JY2024补充"
    assert [r[:3] for r in _confirmations(scratch_db)] == [
        ("JY2023", "问卷星", None),
        ("JY2024补充", "未注明", "admin"),
    ]


def test_an_admins_round_confirmation_on_the_page_is_in_the_audit_trail(
    scratch_db, monkeypatch, tmp_path
):
    clerk_opens_a_round(scratch_db, monkeypatch, tmp_path)
    admin = open_page("admin", role="admin")
    admin.multiselect(key="adm_round_pick").set_value(["JY2024补充（未注明）"]).run()
    admin.button(key="adm_round_confirm").click().run()
    assert not admin.exception
    assert survey_rounds.awaiting(scratch_db) == []
    found = audit.entries(actions=["round_confirm"])
    assert list(zip(found["username"], found["detail"])) == [("admin", "JY2024补充（未注明）")]
