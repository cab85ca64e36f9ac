"""Work a load starts that the uploader does not wait for: fitting the classifiers it made stale,
and replaying the routing simulator's recent months (intel.simulate_store).

A model fit on 20,000 rows takes 46 s on a quiet machine and a province month's replay minutes;
the upload page's load (etl.worker) commits without them and calls `start`, which runs
`python -m etl jobs --db PATH` as a detached process. Meanwhile records whose target has no model
wait, as they do when training is impossible, and the page replays months live.

`run` does the work under the job lock (one job per warehouse: a second one leaves at once, since
the running one, or the job of the next load, sees what changed). It fits and replays on a
read-only snapshot, without the writer lock, so other uploads are not held up for minutes, and
writes through the loader's one write path (etl.store.write, copy-and-swap under the writer
lock) only what still holds there: a model if no import was loaded or undone since its snapshot,
a month if its fingerprint is unchanged. What moved is tried again, for at most ROUNDS rounds.

A model the job trains carries the newest import of its snapshot that can change labelled rows, as
a model trained inside that load would: undoing that import removes the model and its predictions
(after_undo), which puts back the model state from before it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from queries import db

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
# Months the job replays after a load (the page's usual periods: a month, a quarter); older ones
# with `python -m etl simulate --months N`, or live on the page.
RECENT_MONTHS = 3
ROUNDS = 3
# Kinds whose load or undo can change a model or a month's replay.
KINDS = ("complaints", "survey_responses", "labels", "routing_rules", "units")


def enabled() -> bool:
    """$MINYI_JOBS=off stops loads from starting jobs (the tests start them themselves)."""
    return os.environ.get("MINYI_JOBS", "on").lower() != "off"


def start(db_path: Path) -> subprocess.Popen | None:
    """Start `python -m etl jobs --db db_path` detached from the caller (its own session, output
    appended to <warehouse>.jobs.log); None when jobs are off."""
    if not enabled():
        return None
    with open(f"{db_path}.jobs.log", "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "etl", "jobs", "--db", str(db_path)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )


def run(db_path: Path, months: int = RECENT_MONTHS, *, train: bool = True) -> dict | None:
    """Train what wants training (with `train`), then replay the `months` latest months whose
    inputs changed. Returns {"trained": [targets], "replayed": [months]}, or None when another
    job holds the lock."""
    from etl import store

    done: dict = {"trained": [], "replayed": []}
    with store.job_lock(db_path) as held:
        if not held:
            return None
        for _ in range(ROUNDS):
            moved = False
            if train:
                trained, stale = _train(db_path)
                done["trained"] += trained
                moved |= stale
            replayed, stale = _replay(db_path, months)
            done["replayed"] += replayed
            if not (moved or stale):
                break
    return done


class _Stale(Exception):
    """What a job computed no longer holds in the warehouse it would write."""


def _imports(con) -> tuple:
    """What any load or undo changes (how many imports stand, the newest), and the newest
    standing import that can change labelled rows: the one a model trained now is recorded
    under, as the load that asked for it would have recorded it."""
    from intel import classify_store

    return con.execute(
        "select count(*) filter (where status = '已导入'),"
        " max(import_id) filter (where status = '已导入'),"
        " max(import_id) filter (where status = '已导入' and kind in $kinds) from imports",
        {"kinds": list(classify_store.TARGETS_OF_KIND)},
    ).fetchone()


def _train(db_path: Path) -> tuple[list[str], bool]:
    """Fit the targets that want it; write them if nothing was loaded or undone meanwhile.
    Returns (targets trained, whether the snapshot went stale)."""
    from etl import derived, learn, store
    from intel import classify, classify_store

    with db.read(db_path) as con:
        snapshot = _imports(con)
        config = classify_store.settings(con)
        models = []
        for target in learn.TARGET_CHOICES:
            if not classify_store.wants_training(con, target, config):
                continue
            try:
                models.append(classify_store.fit(con, target))
            except (classify.NotEnoughLabels, ValueError):
                continue  # the records wait; `etl train` says why
    if not models:
        return [], False
    try:
        with store.write(db_path) as con:
            if _imports(con) != snapshot:
                raise _Stale  # publishes nothing: the copy is dropped
            for model in models:
                classify_store.record(con, db_path, model, snapshot[2])
                classify_store.predict(con, db_path, model.target, snapshot[2], [], config)
            classify_store.refresh_categories(con, touched_only=True)
            derived.refresh(con, [])
    except _Stale:
        return [], True
    return [model.target for model in models], False


def _replay(db_path: Path, months: int) -> tuple[list, bool]:
    """Replay the latest `months` months whose stored fingerprint is not the warehouse's; store
    those whose fingerprint still holds. Returns (months stored, whether any went stale)."""
    from etl import store
    from intel import simulate_store

    replays = []
    with db.read(db_path) as con:
        for month in simulate_store.recent_months(con, months):
            made_from = simulate_store.fingerprint(con, month)
            if _stored_print(con, month) == made_from:
                continue
            started = time.perf_counter()
            replays.append((month, made_from, simulate_store.replay_month(con, month)))
            log.info(
                "路由模拟 %s：%d 件，%.1f 秒",
                str(month)[:7],
                len(replays[-1][2]),
                time.perf_counter() - started,
            )
    if not replays:
        return [], False
    stored, stale = [], False
    with store.write(db_path) as con:
        for month, made_from, replay in replays:
            if simulate_store.fingerprint(con, month) != made_from:
                stale = True
                continue
            simulate_store.save(con, month, made_from, replay)
            stored.append(month)
    return stored, stale


def _stored_print(con, month) -> str | None:
    found = con.execute(
        "select fingerprint from simulation_replay_months where month = $month", {"month": month}
    ).fetchone()
    return found[0] if found else None
