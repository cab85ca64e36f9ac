"""The configuration store: a saved mapping is one small write beside the warehouse, never a copy
of it, and every warehouse reader sees the store's tables at once."""

from __future__ import annotations

import hashlib
from pathlib import Path

from etl import config_store, saved_mappings, store
from queries import db

HEADERS = ["单号", "日期"]


def fingerprint(path: Path) -> tuple:
    """What any rewrite of the file changes: inode (copy-and-swap), mtime and the bytes."""
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def save_x(warehouse: Path, name: str = "x") -> None:
    saved_mappings.save(
        warehouse,
        name,
        "call_records",
        HEADERS,
        {"单号": "record_id", "日期": "received_at"},
        {"channel": "110"},
        user="李四",
    )


def test_a_saved_profile_round_trips_and_the_warehouse_is_not_rewritten(scratch_db):
    before = fingerprint(scratch_db)
    save_x(scratch_db)
    assert fingerprint(scratch_db) == before
    assert config_store.path(scratch_db) == scratch_db.with_suffix(".config.duckdb")
    assert config_store.path(scratch_db).is_file()
    assert saved_mappings.get(scratch_db, "x") | {"created_at": None} == {
        "name": "x",
        "kind": "call_records",
        "headers": HEADERS,
        "mapping": {"单号": "record_id", "日期": "received_at"},
        "set": {"channel": "110"},
        "created_by": "李四",
        "created_at": None,
    }
    # Saving it again replaces it: still one profile.
    save_x(scratch_db)
    assert [p["name"] for p in saved_mappings.list_profiles(scratch_db)] == ["x"]
    assert fingerprint(scratch_db) == before


def test_the_store_is_small_beside_the_warehouse(scratch_db):
    save_x(scratch_db)
    # The sample warehouse is some megabytes; the store with one profile is a few hundred KB.
    assert config_store.path(scratch_db).stat().st_size < scratch_db.stat().st_size / 4


def test_warehouse_readers_see_the_store_as_catalog_config(scratch_db):
    save_x(scratch_db, "first")
    with db.read(scratch_db) as con:
        assert con.execute("select name from config.import_profiles").fetchall() == [("first",)]
    save_x(scratch_db, "second")  # a new file version: the next reader attaches it
    with db.read(scratch_db) as con:
        names = con.execute("select name from config.import_profiles order by name").fetchall()
    assert names == [("first",), ("second",)]


def test_a_failed_save_changes_nothing(scratch_db):
    save_x(scratch_db)
    before = fingerprint(config_store.path(scratch_db))
    try:
        with config_store.write(scratch_db) as con:
            con.execute("delete from import_profiles")
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert fingerprint(config_store.path(scratch_db)) == before
    assert [p["name"] for p in saved_mappings.list_profiles(scratch_db)] == ["x"]


def test_profiles_saved_in_the_warehouse_before_the_store_existed_are_kept(scratch_db):
    # Before the store, profiles were rows of the warehouse's import_profiles.
    con = db.connect_write(scratch_db)
    con.execute(
        "insert into import_profiles values ('旧配置', 'complaints', '[\"编号\"]',"
        " '{\"编号\": \"case_id\"}', '{}', '王五', timestamp '2024-01-02 03:04:05')"
    )
    con.close()
    db.close_readers()
    assert [p["name"] for p in saved_mappings.list_profiles(scratch_db)] == []  # no store yet
    assert store.migrate_file(scratch_db) == [
        "017_import_profiles.sql",
        "018_alert_rules.sql",
        "019_assessment.sql",
        "020_saved_views.sql",
        "020u_alias_proposals.sql",
        "022_setting_overrides.sql",
        "023r_survey_rounds.sql",
    ]
    assert saved_mappings.get(scratch_db, "旧配置")["mapping"] == {"编号": "case_id"}
    before = fingerprint(config_store.path(scratch_db))
    assert store.migrate_file(scratch_db) == []  # nothing pending: no file is touched
    assert fingerprint(config_store.path(scratch_db)) == before


def test_the_store_path_follows_its_variable(scratch_db, monkeypatch, tmp_path):
    monkeypatch.setenv("MINYI_CONFIG_DB", str(tmp_path / "elsewhere.duckdb"))
    save_x(scratch_db)
    assert (tmp_path / "elsewhere.duckdb").is_file()
    assert not scratch_db.with_suffix(".config.duckdb").exists()
