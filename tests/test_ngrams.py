"""intel.ngrams counts character n-grams in numpy; the matrices must be scikit-learn's, entry for
entry, or the models and the repeat links would change with the speed-up."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer

from intel import ngrams, repeats_text
from intel.features import char_tfidf

# Upper and full-width letters, runs of white space of every kind, a lone one, characters beyond
# the BMP, NUL, an empty text, a text of one character, one of two.
TEXTS = [
    "小区楼下烧烤摊油烟扰民，晚上十一点还在营业",
    "ＡＢＣ派出所 Abc\t\t民警态度很好\n\n谢谢",
    "  前后 空格  ",
    "表情😀😀和生僻字𠀀𠀁",
    "\x00零\x00",
    "",
    "噪",
    "音扰",
    "line\nbreak\ronce\x0bonly",
    "İstanbul ǅ ß 大写ΣΑΣ",
    "小区楼下烧烤摊油烟扰民" * 40,
]
OTHER = ["烧烤摊又来了，油烟很大", "ＡＢＣ", "", "😀𠀀 unseen 字", "\t \n"]


def _same(a, b) -> None:
    assert a.shape == b.shape
    assert (abs(a - b) > 0).nnz == 0
    assert a.dtype == b.dtype


@pytest.mark.parametrize("min_df", [1, 2])
def test_the_classifier_vectorizer_is_scikit_learns(min_df):
    ours = char_tfidf(min_df=min_df)
    theirs = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df, dtype=np.float32
    )
    _same(ours.fit_transform(TEXTS), theirs.fit_transform(TEXTS))
    assert ours.vocabulary_ == theirs.vocabulary_
    np.testing.assert_array_equal(ours.idf_, theirs.idf_)
    _same(ours.transform(OTHER), theirs.transform(OTHER))
    # a stored model: the look-up table is not pickled and is rebuilt on first use
    again = pickle.loads(pickle.dumps(ours))
    assert "_vocabulary_keys" not in again.__dict__
    _same(again.transform(OTHER + TEXTS), theirs.transform(OTHER + TEXTS))


def test_an_empty_vocabulary_is_refused_as_scikit_learn_does():
    with pytest.raises(ValueError, match="empty vocabulary"):
        char_tfidf(min_df=1).fit(["", ""])


def test_the_linkers_hashed_counts_are_the_hashing_vectorizers():
    hasher = HashingVectorizer(
        analyzer="char", ngram_range=(2, 3), n_features=1 << 20, alternate_sign=False, norm=None
    )
    texts = TEXTS + OTHER
    cut = [(t or " ")[: repeats_text.TEXT_CHARS] for t in texts]
    _same(repeats_text._count(texts), hasher.transform(cut))
    _same(repeats_text._count(texts[::-1]), hasher.transform(cut[::-1]))  # n-grams hashed before
    assert repeats_text._count([]).shape == (0, 1 << 20)


def test_keys_are_one_per_ngram_and_size():
    assert len({ngrams.key_of(g) for g in ["a", "aa", "aaa", "\x00", "\x00\x00", "a\x00"]}) == 6
    for gram in ["噪", "扰民", "😀𠀀字", "\x00a"]:
        assert ngrams.ngram_of(ngrams.key_of(gram)) == gram
    rows, keys = ngrams.ngram_keys(["ab", "c"], (1, 2, 3))
    assert sorted(zip(rows.tolist(), map(ngrams.ngram_of, keys.tolist()))) == [
        (0, "a"),
        (0, "ab"),
        (0, "b"),
        (1, "c"),
    ]


def test_murmurhash_in_numpy_is_scikit_learns_for_every_utf8_length():
    from sklearn.utils import murmurhash3_32

    rng = np.random.default_rng(0)
    # code points of one to four UTF-8 bytes, NUL and the edges of each range among them
    edges = [0, 1, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF, 0x4E00, 0x20000]
    points = np.concatenate([edges, rng.integers(0, 0x80, 300), rng.integers(0x80, 0x10FFFF, 900)])
    points = points[(points < 0xD800) | (points > 0xDFFF)]  # a lone surrogate has no UTF-8
    grams = ["".join(map(chr, rng.choice(points, size=n))) for n in (1, 2, 3) for _ in range(3000)]
    keys = np.array([ngrams.key_of(g) for g in grams], dtype=np.uint64)
    expected = [murmurhash3_32(g.encode("utf-8"), seed=0) for g in grams]
    assert ngrams.murmurhash3_utf8(keys).tolist() == expected
