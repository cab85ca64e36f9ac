"""The classifiers in the warehouse: a label from an export or a person is never overwritten,
inferred values are marked with their confidence, undo and rebuild restore models and
predictions, and the command line answers with the keys it documents."""

from __future__ import annotations

import json
import shutil

import pytest

from etl import learn
from etl.load import load_files, load_manifest, rebuild
from etl.undo import undo_import
from queries import db
from tests import intel_fixtures as fx
from tests.conftest import SAMPLE

# The sample's 15 complaints carry categories too; 12 cases of each of the three stories make
# 36 + 15 = 51 labelled rows, above classify_min_rows (30): the first load trains.


def state(path) -> dict:
    """Models, predictions and categories as they are, for before/after comparisons."""
    with db.read(path) as con:
        return {
            "models": con.execute(
                "select target, model_id, training_rows from models order by target, trained_at"
            ).fetchall(),
            "predictions": con.execute(
                "select record_id, target, value, round(confidence, 4), model_id from predictions"
                " order by all"
            ).fetchall(),
            "categories": con.execute(
                "select case_id, category, category_source, round(category_confidence, 4)"
                " from complaints order by case_id"
            ).fetchall(),
        }


def categories(path) -> dict[str, tuple]:
    with db.read(path) as con:
        rows = con.execute(
            "select case_id, category, category_source, category_confidence from complaints"
        ).fetchall()
    return {r[0]: r[1:] for r in rows}


@pytest.fixture(scope="session")
def trained_folder(tmp_path_factory):
    """The sample warehouse, built in a folder of its own (its archive and models beside it, as
    rebuild needs), with 36 labelled cases loaded and then 6 unlabelled ones (which trains)."""
    folder = tmp_path_factory.mktemp("trained")
    path = folder / "data" / "minyi.duckdb"
    load_manifest(path, SAMPLE / "manifest.json")
    labelled = fx.write(folder / "labelled.csv", fx.rows("LB", 12, labelled=True))
    load_files(path, [labelled], "complaints")
    load_files(path, [fx.write(folder / "new.csv", fx.rows("NW", 2, labelled=False))], "complaints")
    return path.parent


@pytest.fixture
def trained(trained_folder, tmp_path):
    """A private copy of the trained warehouse, archive and models included."""
    shutil.copytree(trained_folder, tmp_path / "data")
    return tmp_path / "data" / "minyi.duckdb"


def test_a_load_with_records_to_propose_for_trains_and_predicts_them(trained):
    with db.read(trained) as con:
        models = con.execute("select target, training_rows, import_id from models").fetchall()
        made = con.execute(
            "select target, count(*) from predictions group by target order by target"
        ).fetchall()
    # The labelled load (import 12; the sample made 11) had nothing to propose for, so it did not
    # train; the unlabelled one (13) did, both complaint targets. category learns 40 rows: the
    # 36 and the sample's four 噪音扰民 (its other categories have under 5 rows each).
    assert sorted(models) == [("category", 40, 13), ("handling_unit", models[1][1], 13)]
    # The 6 unlabelled cases (NW01-NW06) got one prediction per target each.
    assert made == [("category", 6), ("handling_unit", 6)]


def test_inferred_categories_are_marked_and_carry_their_confidence(trained):
    with db.read(trained) as con:
        rows = con.execute(
            """
            select c.case_id, c.category, c.category_source, c.category_confidence,
                p.value, p.confidence, p.threshold
            from complaints as c join predictions as p
                on p.record_id = c.case_id and p.target = 'category'
            where c.case_id like 'NW%' order by c.case_id
            """
        ).fetchall()
    assert len(rows) == 6
    for _, category, source, confidence, value, p_conf, threshold in rows:
        if p_conf >= threshold:  # filled, flagged 模型, with the prediction's confidence
            assert (category, source, confidence) == (value, "模型", p_conf)
        else:  # below the threshold: left empty, waiting in the review queue
            assert (category, source, confidence) == (None, None, None)
    assert any(r[2] == "模型" for r in rows)


def test_a_value_from_an_export_is_never_overwritten(trained, tmp_path):
    # LB01 is a noise story; an export that files it under 电信诈骗 is taken as it is, even after
    # more labelled rows retrain the model (12 more per story: 51 -> 87 rows, above the 10 %).
    wrong = fx.rows("LB", 1, labelled=True)[:1]
    wrong[0][9] = "电信诈骗"
    load_files(trained, [fx.write(tmp_path / "relabel.csv", wrong)], "complaints")
    load_files(
        trained, [fx.write(tmp_path / "more.csv", fx.rows("MR", 12, labelled=True))], "complaints"
    )
    with db.read(trained) as con:
        assert (
            con.execute("select count(*) from models where target = 'category'").fetchone()[0] == 2
        )
    assert categories(trained)["LB01"] == ("电信诈骗", "导入", None)
    assert categories(trained)["SQ01"] == ("噪音扰民", "导入", None)


def test_a_label_from_a_person_is_never_overwritten(trained, tmp_path):
    label = tmp_path / "label.csv"
    label.write_text(
        "标注记录编号,标注目标,标注值,标注人\nNW01,category,出入境办证,analyst\n", encoding="utf-8"
    )
    load_files(trained, [label], "labels", user="analyst")
    assert categories(trained)["NW01"] == ("出入境办证", "人工", None)
    # The export again, still without a category, and a retraining: the person's label stays.
    load_files(
        trained, [fx.write(tmp_path / "new2.csv", fx.rows("NW", 2, labelled=False))], "complaints"
    )
    load_files(
        trained, [fx.write(tmp_path / "more.csv", fx.rows("MR", 12, labelled=True))], "complaints"
    )
    assert categories(trained)["NW01"] == ("出入境办证", "人工", None)
    with db.read(trained) as con:
        # The label is a training row of the newest model: 36 + 36 + 15 sample + NW01.
        newest = json.loads(
            con.execute(
                "select label_counts from models where target = 'category'"
                " order by trained_at desc limit 1"
            ).fetchone()[0]
        )
    assert sum(newest.values()) == 36 + 36 + 15 + 1


def test_loading_the_same_export_again_changes_nothing(trained, tmp_path):
    before = state(trained)
    again = load_files(
        trained, [fx.write(tmp_path / "new.csv", fx.rows("NW", 2, labelled=False))], "complaints"
    )[0]
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 0, 6)
    after = state(trained)
    assert after["models"] == before["models"] and after["categories"] == before["categories"]


def test_undo_restores_the_previous_models_and_predictions(trained, tmp_path):
    before = state(trained)
    result = load_files(
        trained, [fx.write(tmp_path / "more.csv", fx.rows("MR", 12, labelled=True))], "complaints"
    )[0]
    retrained = state(trained)
    assert len(retrained["models"]) == 4  # both targets retrained: 51 -> 87 labelled rows
    assert retrained["predictions"] != before["predictions"]
    undo_import(trained, result.import_id)
    assert state(trained) == before


def test_rebuild_arrives_at_the_same_models_and_predictions(trained):
    before = state(trained)
    rebuild(trained)
    assert state(trained) == before


def test_evaluate_prints_the_documented_json_keys(trained, capsys):
    from etl.__main__ import main

    assert (
        main(["evaluate", "--db", str(trained), "--target", "category", "--folds", "3", "--json"])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["n", "macro_f1", "accuracy", "per_class", "at_precision"]
    assert set(report["at_precision"]) == {"0.95", "0.90"}
    assert set(report["at_precision"]["0.95"]) == {"coverage", "precision"}
    # n: 36 story cases + the sample's cases whose category has 5 or more rows.
    assert report["n"] >= 36 and set(fx.STORIES) <= set(report["per_class"])


def test_train_from_the_command_line_records_the_model_and_is_deterministic(scratch_db, tmp_path):
    # 5 per story (15) + the sample's 15 = 30 labelled rows and none waiting for a proposal: the
    # load does not train; `etl train` does, and trained again on the same rows it arrives at
    # the same model.
    load_files(
        scratch_db, [fx.write(tmp_path / "few.csv", fx.rows("FW", 5, labelled=True))], "complaints"
    )
    first = learn.train(scratch_db, ("category",))
    second = learn.train(scratch_db, ("category",))
    assert [row["target"] for row in first] == ["category"]
    with db.read(scratch_db) as con:
        models = con.execute(
            "select model_id, artefact_sha256, training_rows, import_id from models"
            " where target = 'category' order by trained_at"
        ).fetchall()
    assert [m[3] for m in models] == [None, None]
    assert models[0][0] == models[1][0] == first[0]["model_id"] == second[0]["model_id"]
    assert models[1][2] == 19  # 15 story cases + the sample's four 噪音扰民
    assert (scratch_db.parent / "models" / f"{models[1][1]}.joblib").is_file()


def test_a_rule_beats_the_model(trained, tmp_path):
    # NW01 and NW02 are noise stories the model files under 噪音扰民 (or leaves to review); a rule
    # on their phrase sends them elsewhere, and the rule wins. NW03 (fraud) matches no rule.
    rules = tmp_path / "rules.csv"
    rules.write_text(
        "规则编号,关键词,归入类别,分派单位,办理时限\nR1,半夜噪音,出入境办证,出入境窗口,5\n",
        encoding="utf-8",
    )
    load_files(trained, [rules], "routing_rules")
    with db.read(trained) as con:
        newest = {
            (r, t): (v, m)
            for r, t, v, m in con.execute(
                "select record_id, target, value, model_id from predictions"
                " qualify row_number() over (partition by record_id, target"
                " order by made_at desc) = 1"
            ).fetchall()
        }
    assert newest[("NW01", "category")] == ("出入境办证", "rule:R1")
    assert newest[("NW02", "handling_unit")] == ("CK1", "rule:R1")
    assert newest[("NW03", "category")][1] != "rule:R1"
    assert categories(trained)["NW01"] == ("出入境办证", "模型", 1.0)
    # A labelled noise case keeps its export's category: rules propose only where there is none.
    assert categories(trained)["LB01"] == ("噪音扰民", "导入", None)


def test_case_lists_include_exclude_or_show_only_inferred_categories(trained):
    import queries
    from tests.test_queries import FULL

    def listed(inferred: str) -> set[str]:
        with db.read(trained) as con:
            rows = queries.run(
                con, "records_complaints", **{**FULL, "inferred": inferred, "limit": 1000}
            )
        return set(rows["case_id"])

    with db.read(trained) as con:
        inferred = {
            r[0]
            for r in con.execute(
                "select case_id from complaints where category_source = '模型'"
            ).fetchall()
        }
    everything = listed("include")
    assert inferred and inferred < everything  # some NW cases, and every case is listed
    assert listed("only") == inferred
    assert listed("exclude") == everything - inferred


def test_load_maps_a_label_column_from_the_command_line(scratch_db, tmp_path):
    from etl.__main__ import main

    path = fx.write(tmp_path / "board.csv", fx.rows("MB", 2, labelled=True))
    text = path.read_text(encoding="utf-8-sig").replace("问题类别", "标签", 1)
    path.write_text(text, encoding="utf-8-sig")
    assert (
        main(
            [
                "load",
                str(path),
                "--kind",
                "complaints",
                "--db",
                str(scratch_db),
                "--map",
                "标签=category",
            ]
        )
        == 0
    )
    # MB01-MB06: two of each story, their 标签 taken as the exported category.
    assert {k: v for k, v in categories(scratch_db).items() if k.startswith("MB")} == {
        f"MB{n:02d}": (category, "导入", None)
        for n, category in enumerate([c for c in fx.STORIES for _ in range(2)], 1)
    }


def test_the_review_queue_keeps_to_the_readers_unit_tree(trained):
    import queries

    # Every proposal below its threshold: the queue holds the six NW cases, received by 市局 (SJ)
    # and handled by no one yet, so they belong to the bureau's tree and to no 分局's.
    from etl import store

    with store.write(trained) as con:
        con.execute("update predictions set confidence = 0.4, threshold = 0.9")
        con.execute(
            "update complaints set category = null, category_source = null,"
            " category_confidence = null, handling_unit_id = null where case_id like 'NW%'"
        )

    def queue(scope: str) -> list[str]:
        with db.read(trained) as con:
            return queries.run(
                con, "intel_review_queue", target="category", scope=scope, limit=100, offset=0
            )["record_id"].tolist()

    assert queue("*") == [f"NW{n:02d}" for n in range(1, 7)]
    assert queue("SJ") == queue("*")
    assert queue("FJ1") == [] and queue("P11") == []


def test_a_load_leaves_a_fit_beyond_its_budget_to_etl_train(scratch_db, tmp_path, monkeypatch):
    # The rows that train in `trained_folder`, with a budget one below the size of their fit:
    # the load proposes nothing, `etl train` still trains.
    import queries
    from intel import classify_store

    load_files(
        scratch_db, [fx.write(tmp_path / "lb.csv", fx.rows("LB", 12, labelled=True))], "complaints"
    )
    with db.read(scratch_db) as con:
        labels = queries.run(con, "intel_labelled_rows", target="category")["label"].tolist()
    size = classify_store._training_size(labels)
    assert size == 3 * 40  # 噪音扰民 16, 出入境办证 12, 电信诈骗 12: the others have under 5 rows
    monkeypatch.setattr(classify_store, "LOAD_TRAINING_BUDGET", size - 1)
    load_files(
        scratch_db, [fx.write(tmp_path / "nw.csv", fx.rows("NW", 2, labelled=False))], "complaints"
    )
    with db.read(scratch_db) as con:
        assert con.execute("select count(*) from models").fetchone() == (0,)
    learn.train(scratch_db, ("category",))
    with db.read(scratch_db) as con:
        assert con.execute("select count(*) from models where target = 'category'").fetchone() == (
            1,
        )


def test_categories_inferred_by_etl_train_reach_the_daily_word_counts(
    scratch_db, tmp_path, monkeypatch
):
    # NW's cases are loaded with no model to propose for them; `etl train` then infers their
    # category, and the word counts by day and category (what the cloud filters) must follow.
    from intel import classify_store

    load_files(
        scratch_db, [fx.write(tmp_path / "lb.csv", fx.rows("LB", 12, labelled=True))], "complaints"
    )
    monkeypatch.setattr(classify_store, "LOAD_TRAINING_BUDGET", 0)
    load_files(
        scratch_db, [fx.write(tmp_path / "nw.csv", fx.rows("NW", 2, labelled=False))], "complaints"
    )
    learn.train(scratch_db, ("category",))
    differs = (
        "select count(*) from ((select * from {0} except all select * from {0}_source)"
        " union all (select * from {0}_source except all select * from {0}))"
    )
    with db.read(scratch_db) as con:
        inferred = con.execute(
            "select count(*) from complaints where case_id like 'NW%' and category_source = '模型'"
        ).fetchone()[0]
        assert inferred > 0
        assert con.execute(differs.format("token_days")).fetchone()[0] == 0
        assert con.execute(differs.format("bureau_token_days")).fetchone()[0] == 0


def test_a_load_goes_on_when_a_models_file_is_missing(trained, tmp_path, caplog):
    # A warehouse copied or restored without the models folder beside it: the load must not fail
    # on the missing artefact; its records wait for the next `etl train`.
    from intel import classify

    for artefact in (trained.parent / "models").glob("*.joblib"):
        artefact.unlink()
    classify._loaded.clear()  # the artefacts this process read earlier
    new = fx.write(tmp_path / "later.csv", fx.rows("NX", 1, labelled=False))
    [result] = load_files(trained, [new], "complaints")
    assert result.errors == []
    with db.read(trained) as con:
        assert con.execute(
            "select count(*) from complaints where case_id like 'NX%'"
        ).fetchone() == (3,)
        assert con.execute(
            "select count(*) from predictions where record_id like 'NX%'"
        ).fetchone() == (0,)
    assert "etl train" in caplog.text
