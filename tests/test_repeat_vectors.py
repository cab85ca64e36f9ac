"""The repeat linker's text vectors: a record's n-gram counts are hashed once per load and reused,
and a reused row is the very row hashing its text again would give (links must not move)."""

from __future__ import annotations

from intel.repeats_text import TextModel, Vectors

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
