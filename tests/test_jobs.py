"""The work a load leaves to the background (intel.jobs): the upload page's load commits without
fitting a model, the job trains and fills the waiting records' predictions as the load would have,
a second job leaves while one runs, and an undo afterwards restores the model state before the load."""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pytest

from etl import store, worker
from etl.load import load_files, load_manifest, rebuild
from etl.undo import undo_import
from intel import jobs
from queries import db
from tests import intel_fixtures as fx
from tests.conftest import SAMPLE
from tests.test_intel_classify import state, trained, trained_folder  # noqa: F401  (fixtures)


@pytest.fixture(scope="session")
def labelled_folder(tmp_path_factory):
    """trained_folder's warehouse before its unlabelled load: 36 labelled cases, no model."""
    folder = tmp_path_factory.mktemp("labelled")
    path = folder / "data" / "minyi.duckdb"
    load_manifest(path, SAMPLE / "manifest.json")
    load_files(
        path, [fx.write(folder / "labelled.csv", fx.rows("LB", 12, labelled=True))], "complaints"
    )
    return path.parent


@pytest.fixture
def labelled(labelled_folder, tmp_path):
    shutil.copytree(labelled_folder, tmp_path / "labelled")
    return tmp_path / "labelled" / "minyi.duckdb"


def unlabelled(tmp_path):
    return fx.write(tmp_path / "new.csv", fx.rows("NW", 2, labelled=False))


def counts(path) -> tuple:
    with db.read(path) as con:
        return con.execute(
            "select (select count(*) from models), (select count(*) from predictions),"
            " (select count(*) from complaints where case_id like 'NW%' and category is not null)"
        ).fetchone()


def test_a_background_load_commits_before_training_and_the_job_trains_as_the_load_would(
    labelled, trained, tmp_path
):
    result = load_files(labelled, [unlabelled(tmp_path)], "complaints", background=True)[0]
    # Committed: the 6 cases are in, waiting; the load fitted nothing and says what it left.
    assert result.rows_inserted == 6
    assert result.training == ["category", "handling_unit"]
    assert counts(labelled) == (0, 0, 0)
    done = jobs.run(labelled, train=True)
    assert done["trained"] == ["category", "handling_unit"]
    # The models, predictions and categories a load training inline arrives at (trained_folder),
    # the models under the import that asked for them (13), as inline.
    assert state(labelled) == state(trained)
    with db.read(labelled) as con:
        assert con.execute("select distinct import_id from models").fetchall() == [(13,)]
    # etl rebuild (the command line trains inside each load) arrives at the same state.
    trained_by_the_job = state(labelled)
    rebuild(labelled)
    assert state(labelled) == trained_by_the_job


def test_a_second_job_leaves_while_one_runs(labelled, tmp_path):
    load_files(labelled, [unlabelled(tmp_path)], "complaints", background=True)
    with store.job_lock(labelled) as held:
        assert held
        assert jobs.run(labelled) is None
        assert counts(labelled) == (0, 0, 0)
    assert jobs.run(labelled)["trained"] == ["category", "handling_unit"]
    assert counts(labelled)[0] == 2
    # Nothing changed since: a job finds nothing to train or replay, and writes nothing.
    before = db.file_identity(labelled)
    assert jobs.run(labelled) == {"trained": [], "replayed": []}
    assert db.file_identity(labelled) == before


def test_undo_after_the_job_restores_the_model_state_before_the_load(labelled, tmp_path):
    before = state(labelled)
    result = load_files(labelled, [unlabelled(tmp_path)], "complaints", background=True)[0]
    jobs.run(labelled)
    assert counts(labelled)[:2] == (2, 12)
    undo_import(labelled, result.import_id)
    assert state(labelled) == before


def test_a_model_fitted_on_a_snapshot_a_load_overtook_is_not_written(
    labelled, tmp_path, monkeypatch
):
    # A load lands while the job fits: the model learnt without it, so the job writes nothing
    # and fits again on what is there now (its second round).
    from intel import classify_store

    load_files(labelled, [unlabelled(tmp_path)], "complaints", background=True)
    fit, loads = classify_store.fit, []

    def fit_while_a_file_lands(con, target):
        if not loads:
            more = fx.write(tmp_path / "more.csv", fx.rows("MR", 12, labelled=True))
            loads.append(load_files(labelled, [more], "complaints", background=True)[0])
        return fit(con, target)

    monkeypatch.setattr(classify_store, "fit", fit_while_a_file_lands)
    done = jobs.run(labelled)
    assert done["trained"] == ["category", "handling_unit"]
    with db.read(labelled) as con:
        # One model per target, of the second round, under the later import, on its 87 rows.
        assert con.execute("select target, import_id from models order by target").fetchall() == [
            ("category", loads[0].import_id),
            ("handling_unit", loads[0].import_id),
        ]


def test_the_upload_pages_load_leaves_the_fit_to_a_detached_job(labelled, tmp_path, monkeypatch):
    monkeypatch.setenv("MINYI_JOBS", "on")
    [loaded] = worker.load_files(labelled, [unlabelled(tmp_path)], "complaints")
    assert loaded.result.training == ["category", "handling_unit"]
    deadline = time.monotonic() + 240
    while counts(labelled)[0] < 2 and time.monotonic() < deadline:
        time.sleep(1)
    # Wait for the job to let go of its lock (it replays the months after training).
    while time.monotonic() < deadline:
        with store.job_lock(labelled) as held:
            if held:
                break
        time.sleep(1)
    assert counts(labelled)[:2] == (2, 12)
    log = (labelled.parent / "minyi.duckdb.jobs.log").read_text(encoding="utf-8")
    assert "路由模拟已预先计算的月份" in log


def test_the_upload_page_says_the_model_is_being_trained_in_the_background(
    labelled, tmp_path, monkeypatch
):
    import tempfile

    from pages.ui import labels_intel as L
    from tests.test_upload import alerts, open_upload, upload

    monkeypatch.setenv("MINYI_DB", str(labelled))
    monkeypatch.setenv("MINYI_DEMO", "0")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    at = upload(open_upload(), ("new.csv", unlabelled(tmp_path).read_bytes()))
    at.button(key="upl_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert alerts(at, "info") == [L.TRAINING_IN_BACKGROUND.format(targets="诉求类别、承办单位")]
    assert counts(labelled) == (0, 0, 0)  # jobs are off here: nothing trained the models


def test_an_undo_from_the_page_starts_the_job_that_replays_the_months_it_changed(
    labelled, tmp_path, monkeypatch
):
    from intel import simulate_store

    may = dt.date(2024, 5, 1)
    result = load_files(labelled, [unlabelled(tmp_path)], "complaints", background=True)[0]
    assert may in jobs.run(labelled)["replayed"]
    monkeypatch.setenv("MINYI_JOBS", "on")
    worker.undo_import(labelled, result.import_id)

    def may_stored():
        with db.read(labelled) as con:
            return simulate_store.stored(con, may)

    assert may_stored() is None  # the undo took 6 of May's cases: the stored month is stale
    deadline = time.monotonic() + 240
    while may_stored() is None and time.monotonic() < deadline:
        time.sleep(1)
    import pandas as pd

    with db.read(labelled) as con:
        pd.testing.assert_frame_equal(may_stored(), simulate_store.replay_month(con, may))
