"""Character n-grams of many texts at once, in numpy: the counts scikit-learn's char analyzer
gives, without its Python loop over every n-gram of every text.

Predicting a category spent 95 % of its time in TfidfVectorizer's `_count_vocab` and linking
most of its own in HashingVectorizer, both a dictionary look-up or a hash per n-gram in Python.
Here an n-gram of up to three characters is one integer (each code point + 1 in 21 bits), so
the texts' n-grams are a few array operations, and a look-up or a hash is paid once per distinct
n-gram. The matrices are equal to scikit-learn's, entry for entry (tests/test_ngrams.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.utils import murmurhash3_32

# scikit-learn's char analyzer: lower-cased, runs of two or more white-space characters as one space
_WHITE_SPACES = re.compile(r"\s\s+")
_BITS = 21  # every code point is below 0x110000 < 2**21
MAX_N = 3


def prepared(texts: Sequence[str], lowercase: bool = True) -> list[str]:
    """The texts as scikit-learn's char analyzer sees them before cutting n-grams."""
    if lowercase:
        return [_WHITE_SPACES.sub(" ", t.lower()) for t in texts]
    return [_WHITE_SPACES.sub(" ", t) for t in texts]


def ngram_keys(texts: list[str], sizes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of every n-gram of the given sizes in the (prepared) texts, one pair per
    occurrence. A key packs the n-gram's code points + 1, so keys of different sizes differ."""
    if max(sizes) > MAX_N or min(sizes) < 1:
        raise ValueError(f"n-gram sizes 1..{MAX_N}, not {sizes}")
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = codes.astype(np.uint64) + 1
    total = len(codes)
    row_of = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    left = np.repeat(np.cumsum(lengths), lengths) - np.arange(total)  # to the end of its text
    rows, keys = [], []
    for n in sizes:
        count = total - n + 1
        if count <= 0:
            continue
        if n == 1:
            rows.append(row_of)
            keys.append(codes)
            continue
        key = codes[:count] << np.uint64(_BITS * (n - 1))
        for j in range(1, n):
            key |= codes[j : j + count] << np.uint64(_BITS * (n - 1 - j))
        inside = left[:count] >= n  # the n-gram ends within its own text
        rows.append(row_of[:count][inside])
        keys.append(key[inside])
    if not rows:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint64)
    return np.concatenate(rows), np.concatenate(keys)


def key_of(ngram: str) -> int:
    """The key ngram_keys gives this n-gram."""
    key = 0
    for char in ngram:
        key = (key << _BITS) | (ord(char) + 1)
    return key


def ngram_of(key: int) -> str:
    """The n-gram a key stands for (key_of's inverse)."""
    chars = []
    while key:
        chars.append(chr((key & ((1 << _BITS) - 1)) - 1))
        key >>= _BITS
    return "".join(reversed(chars))


def counts(rows: np.ndarray, columns: np.ndarray, n_rows: int, n_columns: int, dtype):
    """CSR data, indices and indptr of the count of each (row, column) pair, indices sorted."""
    import scipy.sparse as sp

    matrix = sp.csr_array(
        (np.ones(len(rows), dtype=dtype), (rows, columns)), shape=(n_rows, n_columns)
    )
    matrix.sum_duplicates()  # also sorts each row's indices
    return matrix


class Vocabulary:
    """Column of each n-gram key of a fitted vocabulary (n-gram → column), -1 for the unknown."""

    def __init__(self, vocabulary: dict[str, int]) -> None:
        self._index = pd.Index(
            np.fromiter((key_of(t) for t in vocabulary), dtype=np.uint64, count=len(vocabulary))
        )
        self._columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))

    def columns(self, keys: np.ndarray) -> np.ndarray:
        found = self._index.get_indexer(keys)
        return np.where(found >= 0, self._columns[found], -1)


def new_vocabulary(keys: np.ndarray) -> tuple[dict[str, int], np.ndarray]:
    """A vocabulary of the distinct keys (in order of first appearance) and each key's column."""
    columns, distinct = pd.factorize(keys)
    return {ngram_of(int(k)): n for n, k in enumerate(distinct)}, columns


class Hashed:
    """HashingVectorizer's column of each n-gram (murmurhash3 of its UTF-8, seed 0, |h| mod
    n_features), remembered by key: a process hashes each distinct n-gram once."""

    MAX_KNOWN = 4_000_000  # n-grams remembered (64 MB); past that, start again

    def __init__(self, n_features: int) -> None:
        self.n_features = n_features
        self._known = pd.Series(dtype=np.int64, index=pd.Index([], dtype=np.uint64))

    def columns(self, keys: np.ndarray) -> np.ndarray:
        codes, distinct = pd.factorize(keys)
        found = self._known.index.get_indexer(distinct)
        new = distinct[found < 0]
        if len(new) and len(self._known) + len(new) > self.MAX_KNOWN:
            self._known = self._known.iloc[:0]
            new, found = distinct, np.full(len(distinct), -1)
        if len(new):
            hashed = pd.Series(
                np.fromiter((self._column(ngram_of(int(k))) for k in new), np.int64, len(new)),
                index=pd.Index(new, dtype=np.uint64),
            )
            self._known = pd.concat([self._known, hashed])
            found = self._known.index.get_indexer(distinct)
        return self._known.to_numpy()[found][codes]

    def _column(self, ngram: str) -> int:
        h = murmurhash3_32(ngram.encode("utf-8"), seed=0)
        if h == -(2**31):  # as scikit-learn's _hashing_fast: abs(-2**31) is undefined there
            return (2**31 - 1 - (self.n_features - 1)) % self.n_features
        return abs(h) % self.n_features
