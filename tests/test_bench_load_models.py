"""python -m bench.load_models on a small trained warehouse, so it cannot rot: each of its four
loads does what its name says (proposals only where the model is kept, links only with linking)."""

from __future__ import annotations

from bench import load_models
from queries import db
from tests import intel_fixtures as fx
from tests.test_intel_classify import trained, trained_folder  # noqa: F401  (fixtures)


def test_the_four_loads_propose_only_with_the_model_and_link_only_with_linking(trained, tmp_path):
    # 6 cases of the fixture's three stories, twice (ids UL… and, in the copy, NUL…): the copy's
    # 6 get a category and a handling unit proposed where the model is kept.
    export = fx.write(tmp_path / "export.csv", fx.rows("UL", 2, labelled=True))
    unlabelled = load_models.unlabelled_copy(export, tmp_path / "unlabelled.csv")
    out = load_models.run(trained, unlabelled, tmp_path / "ways")
    assert {name: figures["proposals"] for name, figures in out.items()} == {
        "neither": 0,
        "linking": 0,
        "model": 12,
        "both": 12,
    }
    assert out["neither"]["slower_share_cpu"] == 0
    linked = {}
    for name in load_models.WAYS:
        with db.read(tmp_path / "ways" / name / "minyi.duckdb") as con:
            linked[name] = con.execute(
                "select count(*) from case_groups where case_id like 'NUL%'"
            ).fetchone()[0]
    assert linked["neither"] == linked["model"] == 0
    assert linked["linking"] == linked["both"] > 0


def test_loads_into_a_given_trained_warehouse_take_the_first_rows_of_the_export(trained, tmp_path):
    import json

    export = fx.write(tmp_path / "export.csv", fx.rows("UL", 2, labelled=True))
    out = tmp_path / "out.json"
    argv = ["--warehouse", str(trained), "--export", str(export), "--complaints", "4"]
    load_models.main([*argv, "--folder", str(tmp_path / "work"), "--json", str(out)])
    loads = json.loads(out.read_text(encoding="utf-8"))["loads"]
    assert loads["model"]["proposals"] == loads["both"]["proposals"] == 8  # 4 cases, 2 targets
    assert loads["neither"]["proposals"] == 0
