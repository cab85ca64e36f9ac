"""Page requests only read the warehouse: the app's first start migrates it through
`python -m etl migrate`, and no page run afterwards rewrites the file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import store
from pages.ui import labels
from queries import db
from tests.signin import signed_in
from tests.test_pages import PAGES

ROOT = Path(__file__).resolve().parents[1]


def fingerprint(path: Path) -> tuple:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def open_page(name: str, role: str = "admin") -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role)
    at.switch_page(f"pages/{name}.py")
    return at.run()


def one_migration_behind(source: Path, target: Path) -> Path:
    """A copy of `source` as a build from before migration 005 left it (005 is re-runnable)."""
    shutil.copyfile(source, target)
    con = db.connect_write(target)
    con.execute("drop macro is_return_stage")
    con.execute("delete from settings where key like 'target_report_%'")
    con.execute("delete from schema_migrations where name like '005_%'")
    con.close()
    return target


def files_beside(warehouse: Path) -> list[str]:
    """Files in the warehouse's folder but the accounts' database, which signing in writes."""
    return sorted(p.name for p in warehouse.parent.iterdir() if ".auth.sqlite" not in p.name)


@pytest.fixture
def served(scratch_db, monkeypatch) -> Path:
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    monkeypatch.setenv("MINYI_DEMO", "0")
    return scratch_db


def test_every_page_run_leaves_the_warehouse_file_as_it_was(served):
    before = fingerprint(served)
    beside = files_beside(served)
    for page in PAGES:
        at = open_page(page["name"])
        assert not at.exception, (page["name"], [e.value for e in at.exception])
    assert fingerprint(served) == before
    # Nor does a page make a file beside it: the configuration store, or the SQLite file that
    # survey rounds' confirmations were once read from (etl/survey_rounds.py made it on a read).
    assert files_beside(served) == beside


def test_first_start_migrates_then_no_page_run_migrates(served, sample_db, tmp_path):
    one_migration_behind(sample_db, served)
    at = open_page("complaints")  # the first start on this path: python -m etl migrate
    assert not at.exception, [e.value for e in at.exception]
    assert store.pending_migrations(served) == []
    # An older file swapped in while the server runs is left alone, and the page says what to do.
    os.replace(one_migration_behind(sample_db, tmp_path / "older.duckdb"), served)
    before = fingerprint(served)
    at = open_page("complaints")
    assert fingerprint(served) == before
    assert [e.value for e in at.error] == [labels.MIGRATION_PENDING.format(path=served)]


def test_migrate_command_brings_a_warehouse_and_its_store_up_to_date(sample_db, tmp_path):
    path = one_migration_behind(sample_db, tmp_path / "minyi.duckdb")
    command = [sys.executable, "-m", "etl", "migrate", "--db", str(path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "005_returns_and_burden_targets.sql" in done.stdout
    assert "017_import_profiles.sql" in done.stdout
    assert store.pending_migrations(path) == []
    before = fingerprint(path)
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == f"数据库 {path} 已是最新结构。"
    assert fingerprint(path) == before
