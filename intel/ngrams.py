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
import scipy.sparse as sp

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
    """A CSR matrix of the count of each (row, column) pair, each row's indices sorted."""
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


def hashed_columns(keys: np.ndarray, n_features: int) -> np.ndarray:
    """HashingVectorizer's column of each n-gram key: |murmurhash3_32(UTF-8, seed 0)| mod
    n_features, each distinct n-gram hashed once, all of them at once."""
    codes, distinct = pd.factorize(keys)
    signed = murmurhash3_utf8(distinct).astype(np.int64)
    columns = np.abs(signed) % n_features
    # as scikit-learn's _hashing_fast, where abs(-2**31) of an int32 is undefined
    columns[signed == -(2**31)] = (2**31 - 1 - (n_features - 1)) % n_features
    return columns[codes] if len(keys) else columns


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def murmurhash3_utf8(keys: np.ndarray) -> np.ndarray:
    """murmurhash3_32 (x86, seed 0, signed) of the UTF-8 bytes of each n-gram key, in numpy:
    an n-gram of up to three characters is at most 12 bytes, three blocks of four."""
    data = np.zeros((len(keys), 12), dtype=np.uint8)
    length = np.zeros(len(keys), dtype=np.int64)
    rows = np.arange(len(keys))
    for slot in range(MAX_N):  # the first character is in the highest field
        field = (keys >> np.uint64(_BITS * (MAX_N - 1 - slot))) & np.uint64((1 << _BITS) - 1)
        present = field > 0
        code = np.where(present, field - np.uint64(1), 0).astype(np.uint32)
        size = np.select(
            [~present, code < 0x80, code < 0x800, code < 0x10000], [0, 1, 2, 3], default=4
        )
        lead = np.select(
            [size == 1, size == 2, size == 3],
            [code, 0xC0 | code >> 6, 0xE0 | code >> 12],
            default=0xF0 | code >> 18,
        )
        for j in range(4):
            # byte j of a character of `size` bytes: the lead, then six bits each, highest first
            shift = (np.clip(size - 1 - j, 0, None) * 6).astype(np.uint32)
            byte = lead if j == 0 else 0x80 | (code >> shift) & 0x3F
            take = j < size
            data[rows[take], length[take] + j] = byte[take].astype(np.uint8)
        length += size
    blocks = data.view("<u4")  # (n, 3), little-endian as murmurhash reads them
    h = np.zeros(len(keys), dtype=np.uint32)
    whole = length // 4
    for i in range(3):
        k = _mix(blocks[:, i])
        body = i < whole
        h = np.where(body, _rotl(h ^ k, 13) * np.uint32(5) + np.uint32(0xE6546B64), h)
        h = np.where(i == whole, h ^ k, h)  # the tail: the bytes after the last whole block
    h ^= length.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def _mix(k: np.ndarray) -> np.ndarray:
    return _rotl(k * _C1, 15) * _C2


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))
