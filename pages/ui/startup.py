"""The app's first start on a warehouse path, before anything is served from it: migrate it, or
build the demo when there is none. Page runs never write the warehouse.

Both steps run as child processes of the loader's own commands (`python -m etl migrate`,
`python -m demo`), once per path per server process; after that a page run only reads. A warehouse
that is behind the code later (an older file swapped in while the server runs) is not migrated by a
page: the page says which command to run.

MINYI_DEMO=0 turns the demo off (tests of the empty state, deployments that must start empty).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from pathlib import Path

import streamlit as st

from etl import config_store
from etl.store import pending_migrations
from pages.ui import labels
from queries import db

ROOT = Path(__file__).resolve().parents[2]
_started: set[str] = set()
_lock = threading.Lock()


def prepare() -> bool:
    """Make the configured warehouse ready on the first run for its path; on every run, False
    (after saying why) when it is behind the code, so the page must not query it."""
    path = db.db_path()
    key = str(path.resolve())
    if key not in _started:
        with _lock:
            if key not in _started:
                _first_start(path)
                _started.add(key)
    if path.exists() and _behind(db.file_identity(path)):
        st.error(labels.MIGRATION_PENDING.format(path=path))
        return False
    return True


def _first_start(path: Path) -> None:
    if path.exists():
        # An absent configuration store is made by its first save, or now when alias proposals or
        # round confirmations of the older SQLite file beside the warehouse wait to move into it;
        # one behind is migrated.
        store_behind = (
            db.config_path(path).exists() or config_store.old_sqlite_path(path).exists()
        ) and config_store.pending_migrations(path)
        if _behind(db.file_identity(path)) or store_behind:
            with st.spinner(labels.MIGRATING):
                _run_child(
                    ["-m", "etl", "migrate", "--db", str(path)], labels.MIGRATION_FAILED, path
                )
        return
    if os.environ.get("MINYI_DEMO", "1") == "0":
        return
    with st.spinner(labels.BUILDING_DEMO):
        _run_child(["-m", "demo", "--db", str(path)], labels.DEMO_FAILED, path)


def _run_child(args: list[str], failed: str, path: Path) -> None:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        # The child's last line is its one-line reason; its traceback stays in the server log.
        reason = (done.stderr.strip().splitlines() or ["?"])[-1]
        print(done.stderr, file=sys.stderr)
        st.error(failed.format(error=reason, path=path))


@functools.lru_cache(maxsize=8)
def _behind(identity: tuple) -> bool:
    """Whether the warehouse file with this identity lacks a migration (cached per file version)."""
    return bool(pending_migrations(Path(identity[0])))
