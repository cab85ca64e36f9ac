"""What the repeat linker compares: texts (normalised, TF-IDF over character n-grams, the place
names they mention) and complainants (a keyed hash of the export's field, never the value)."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from intel import ngrams

KEY_ENV = "MINYI_COMPLAINANT_KEY"
KEY_FILE = "minyi.complainant.key"  # beside the warehouse file, never inside it

REFERENCE_TEXTS = 20_000
TEXT_CHARS = 300

# A place named in the text: the name (two to six characters) before a place ending, without what
# precedes it in the sentence (阳光花园, 翠湖小区, 联丰路; "孩子在公园" names no place).
PLACE_WORD = re.compile(
    r"([\u4e00-\u9fff]{2,6}?)(小区|花园|花苑|家园|公寓|大厦|广场|市场|社区|街道|大道|路|街|巷|村|镇|乡"
    r"|学校|小学|中学|医院|公园)(?!舞)"  # 广场舞 is a dance, not a square
)
PLACE_LEAD = re.compile(r"^.*[在的于区市县省向从到和与]")

# ---------------------------------------------------------------- complainant (keyed hash)


def complainant_key(folder: Path | None) -> bytes | None:
    """The HMAC key: $MINYI_COMPLAINANT_KEY, else a file beside the warehouse, made on first use."""
    value = os.environ.get(KEY_ENV)
    if value:
        return value.encode("utf-8")
    if folder is None:
        return None
    path = Path(folder) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def complainant_ref(key: bytes, value: str) -> str:
    """Same person → same ref: full-width, spaces, dashes and letter case do not matter."""
    text = unicodedata.normalize("NFKC", value).strip().upper()
    text = re.sub(r"[\s\-－—()（）]", "", text)
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def warehouse_dir(con: duckdb.DuckDBPyConnection) -> Path | None:
    found = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    return Path(found[0][0]).resolve().parent if found and found[0][0] else None


def texts_of(con, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Each record's normalised title + content, by its key (source_system, case_id)."""
    table = id_table(con, "_text_ids", keys)
    frame = con.execute(
        "select source_system, case_id, concat_ws(' ', title, content) as text from complaints"
        f" join {table} using (source_system, case_id)"
    ).df()
    return dict(
        zip(zip(frame["source_system"], frame["case_id"]), frame["text"].map(normalise_text))
    )


def normalise_text(text: object) -> str:
    """Half-width, one space between runs: padded and re-typed copies compare equal."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).split())


def reference_model(con) -> TextModel:
    """The n-gram weights, from up to REFERENCE_TEXTS complaint texts, the same ones whenever the
    warehouse is the same (a phrase every message uses counts little)."""
    # The keys first, then the texts of those alone: a text of every complaint before the limit
    # cost 1 s CPU at 10^6 complaints. Every load is a process of its own and hashing is cheap
    # (intel.ngrams), so the counts are made afresh: a copy kept beside the warehouse took as
    # long to read and write as hashing them again.
    frame = con.execute(
        "with reference as (select source_system, case_id from complaints"
        # case_id first: a warehouse of one source takes the same texts as before 016
        " order by hash(case_id), case_id, source_system limit $n)"
        " select k.source_system, k.case_id, concat_ws(' ', k.title, k.content) as text"
        " from reference join complaints as k using (source_system, case_id)",
        {"n": REFERENCE_TEXTS},
    ).df()
    keys = list(zip(frame["source_system"], frame["case_id"]))
    texts = [normalise_text(t) for t in frame["text"]]
    return TextModel(texts, keys, _count(texts) if keys else None)


# scikit-learn's HashingVectorizer(analyzer="char", ngram_range=(2, 3), n_features=2**20,
# alternate_sign=False, norm=None), counted by intel.ngrams: the same matrix, each distinct n-gram
# hashed once, in numpy, instead of every occurrence in Python (most of what linking cost).
N_FEATURES = 1 << 20


def _count(texts: list[str]):
    """Hashed n-gram counts of the texts' first TEXT_CHARS characters, one row a text."""
    cut = ngrams.prepared([(t or " ")[:TEXT_CHARS] for t in texts])
    rows, keys = ngrams.ngram_keys(cut, (2, 3))
    return sp.csr_matrix(
        ngrams.counts(
            rows, ngrams.hashed_columns(keys, N_FEATURES), len(cut), N_FEATURES, np.float64
        )
    )


class TextModel:
    """TF-IDF over character 2–3-grams (hashed, so no vocabulary is built) of a text's first
    TEXT_CHARS characters: a message states its matter first, and long ones would cost the most.

    Hashing the n-grams is most of the cost: the counts of every text hashed (the reference's
    first) are kept by record key and text, so a record is hashed once for all its vectors (a
    row depends on its text alone).
    """

    def __init__(self, reference: list[str], keys: list | None = None, counts=None) -> None:
        """`counts`: the reference texts' hashed counts where already known (one row a text)."""
        self._idf = TfidfTransformer(sublinear_tf=True)
        self._counts = counts if counts is not None else _count(reference or [" "])
        self._idf.fit(self._counts)
        self._known = {key: (row, reference[row]) for row, key in enumerate(keys or [])}

    def vectors(self, texts: list[str]):
        """Unit-length rows, one per text."""
        return self._idf.transform(_count(texts))

    def cosines(self, texts: dict, pairs: list[tuple]) -> np.ndarray:
        """Cosine of each (a, b) pair of keys of `texts`."""
        return self.table(texts).cosines(pairs) if pairs else np.zeros(0)

    def table(self, texts: dict) -> Vectors:
        """The texts' vectors, for many cosines among them without vectorising again."""
        if not texts:
            return Vectors([], None)
        keys, values = list(texts), list(texts.values())
        new = [n for n, key in enumerate(keys) if self._known.get(key, (0, None))[1] != values[n]]
        if new:
            start = self._counts.shape[0]
            self._counts = sp.vstack([self._counts, _count([values[n] for n in new])], format="csr")
            self._known.update({keys[n]: (start + i, values[n]) for i, n in enumerate(new)})
        return Vectors(keys, self._idf.transform(self._counts[[self._known[k][0] for k in keys]]))


class Vectors:
    """Unit-length vectors of some cases, by record key."""

    def __init__(self, ids: list, matrix) -> None:
        self._index = {case: i for i, case in enumerate(ids)}
        self._matrix = matrix

    def cosines(self, pairs: list[tuple]) -> np.ndarray:
        if not pairs:
            return np.zeros(0)
        left = self._matrix[[self._index[a] for a, _ in pairs]]
        right = self._matrix[[self._index[b] for _, b in pairs]]
        return np.asarray(left.multiply(right).sum(axis=1)).ravel()


def places_in(text: str) -> set[str]:
    """The place names a text mentions, e.g. {'阳光花园'} for '阳光花园小区东门的夜市'."""
    places = set()
    for match in PLACE_WORD.finditer(text or ""):
        name = PLACE_LEAD.sub("", match.group(1))
        if len(name) >= 2:
            places.add(name + match.group(2))
    return places


def id_table(con, name: str, keys: Iterable[tuple[str, str]]) -> str:
    """A temp table `name` (source_system, case_id) of the given record keys, one row each, in key
    order: joins stay fast where a long list would not. DuckDB dedupes and sorts: sorting 10^5
    key tuples in Python cost a second."""
    found = keys if isinstance(keys, (set, frozenset, list, tuple)) else list(keys)
    frame = pd.DataFrame(
        {"source_system": [s for s, _ in found], "case_id": [c for _, c in found]}, dtype=object
    )
    con.register("_id_frame", frame)
    try:
        con.execute(
            f"create or replace temp table {name} as select distinct source_system::varchar as"
            " source_system, case_id::varchar as case_id from _id_frame order by all"
        )
    finally:
        con.unregister("_id_frame")
    return name
