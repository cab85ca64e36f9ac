"""The repeat linker's text vectors: a record's n-gram counts are hashed once per load and reused,
and a reused row is the very row hashing its text again would give (links must not move)."""

from __future__ import annotations

import duckdb
import numpy as np

from intel import repeats_text
from intel.repeats_text import TextModel, Vectors, normalise_text, reference_model

NIGHT_MARKET = "阳光花园小区东门夜市摊贩占道经营，音响噪音很大"
NIGHT_MARKET_AGAIN = "阳光花园小区东门的夜市摊贩天天占道，音响噪音扰民到深夜"
OTHER_ESTATE = "翠湖小区西门夜市摊贩占道经营，音响噪音很大"
LOST_CHILD = "孩子在公园走失请求帮助"


def _model() -> TextModel:
    return TextModel(
        [NIGHT_MARKET, OTHER_ESTATE, LOST_CHILD],
        [("12345", "R1"), ("12345", "R3"), ("12345", "Q1")],
    )


def test_reused_counts_give_the_same_vectors_as_hashing_again():
    model = _model()
    texts = {("市长信箱", "R2"): NIGHT_MARKET_AGAIN, ("12345", "R1"): NIGHT_MARKET}
    table = model.table(texts)
    again = model.table(texts)  # R2 is known now too
    fresh = model.vectors(list(texts.values()))
    pairs = [(("12345", "R1"), ("市长信箱", "R2"))]
    assert (table._matrix != fresh).nnz == 0
    assert (again._matrix != fresh).nnz == 0
    [cosine] = Vectors(list(texts), fresh).cosines(pairs).tolist()
    assert table.cosines(pairs).tolist() == again.cosines(pairs).tolist() == [cosine]
    assert round(cosine, 4) == 0.4368


def test_a_record_whose_text_changed_is_hashed_anew():
    model = _model()
    changed = {("12345", "R1"): OTHER_ESTATE, ("12345", "R3"): OTHER_ESTATE}
    table = model.table(changed)
    assert table.cosines([(("12345", "R1"), ("12345", "R3"))]).round(6).tolist() == [1.0]
    assert (table._matrix != model.vectors([OTHER_ESTATE, OTHER_ESTATE])).nnz == 0


def _warehouse(tmp_path):
    con = duckdb.connect(str(tmp_path / "minyi.duckdb"))
    con.execute(
        "create table complaints (source_system varchar, case_id varchar, title varchar,"
        " content varchar)"
    )
    rows = [
        ("12345", "R1", "夜市", NIGHT_MARKET),
        ("12345", "R3", "夜市", OTHER_ESTATE),
        ("12345", "Q1", None, LOST_CHILD),
    ]
    con.executemany("insert into complaints values (?, ?, ?, ?)", rows)
    return con


def test_the_reference_model_weighs_the_warehouses_texts_and_reuses_their_counts(
    tmp_path, monkeypatch
):
    con = _warehouse(tmp_path)
    con.execute(
        "insert into complaints values ('市长信箱', 'R2', '夜市扰民', $text)",
        {"text": OTHER_ESTATE},
    )
    hashed = []
    count = repeats_text._count
    monkeypatch.setattr(
        repeats_text, "_count", lambda texts: hashed.append(len(texts)) or count(texts)
    )
    model = reference_model(con)
    assert hashed == [4]
    fresh = TextModel(
        [
            normalise_text("夜市 " + NIGHT_MARKET),
            normalise_text("夜市 " + OTHER_ESTATE),
            normalise_text(LOST_CHILD),
            normalise_text("夜市扰民 " + OTHER_ESTATE),
        ],
        [("12345", "R1"), ("12345", "R3"), ("12345", "Q1"), ("市长信箱", "R2")],
    )
    assert np.array_equal(model._idf.idf_, fresh._idf.idf_)
    texts = {
        ("12345", "R3"): normalise_text("夜市 " + OTHER_ESTATE),
        ("市长信箱", "R2"): normalise_text("夜市扰民 " + OTHER_ESTATE),
    }
    hashed.clear()
    assert (model.table(texts)._matrix != fresh.table(texts)._matrix).nnz == 0
    assert hashed == []  # both texts are reference texts: their counts are reused
