"""答复质量: what the screening of official replies needs computed from the texts at load time.

Per reply (complaints.reply_text): how much of its message's subject it takes up (the share of the
title's two-character runs the reply repeats; low = 答非所问 candidate), its own length (outside quotes of the message and whitespace), and
MinHash band keys of its text, so that near-identical replies (templates) fall into the same
bucket and a query counts them. The flags themselves are defined once, in SQL (view reply_flags).
A reply is its record's, (source_system, case_id): two systems' case 6 are screened apart.
"""

from __future__ import annotations

import hashlib
import re

import duckdb
import numpy as np
import pandas as pd
from datasketch import MinHash

from intel.repeats_text import normalise_text

BANDS, ROWS = 4, 16  # 64 permutations; a shared band ≈ Jaccard above ~0.92 of 3-gram shingles
SEED = 13
# What every reply of a board repeats is not the reply's own content: quotes of the message,
# digits (dates, case numbers) and spacing.
_QUOTED = re.compile(r"[“\"《「『][^”\"》」』]{0,120}[”\"》」』]")
_DIGITS = re.compile(r"\d+")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def own_text(reply: str) -> str:
    """The reply without quoted passages, digits and spaces."""
    text = _QUOTED.sub("", normalise_text(reply))
    return _DIGITS.sub("", text).replace(" ", "")


def _bigrams(text: str) -> set[str]:
    runs = _HAN_RUN.findall(normalise_text(text))
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}


def coverage(subject: str, reply: str) -> float:
    """Share of the subject's two-character runs (its title, else its opening) the reply repeats:
    a reply about the matter names it; near 0 is a 答非所问 candidate."""
    wanted = _bigrams(subject)
    return round(len(wanted & _bigrams(reply)) / len(wanted), 4) if wanted else 1.0


def band_keys(text: str) -> list[int]:
    """BANDS keys of the text's MinHash over character 3-grams (equal keys: near-identical)."""
    shingles = {text[i : i + 3] for i in range(max(1, len(text) - 2))} if text else {""}
    sketch = MinHash(num_perm=BANDS * ROWS, seed=SEED)
    sketch.update_batch([s.encode("utf-8") for s in shingles])
    values = np.asarray(sketch.hashvalues, dtype=np.uint64).reshape(BANDS, ROWS)
    return [
        int.from_bytes(hashlib.blake2b(row.tobytes(), digest_size=8).digest(), "big", signed=True)
        for row in values
    ]


def screen(con: duckdb.DuckDBPyConnection, cases_table: str) -> None:
    """Recompute the screening of the replies of the cases in temp table `cases_table`
    (source_system, case_id)."""
    cases = f"(source_system, case_id) in (select source_system, case_id from {cases_table})"
    for table in ("reply_screening", "reply_bands"):
        con.execute(f"delete from {table} where {cases}")
    frame = con.execute(
        f"""
        select source_system, case_id,
            coalesce(nullif(trim(title), ''), left(content, 60)) as subject, reply_text
        from complaints
        where {cases} and nullif(trim(reply_text), '') is not null
        order by source_system, case_id
        """
    ).df()
    if frame.empty:
        return
    relevance = [coverage(m, r) for m, r in zip(frame["subject"], frame["reply_text"])]
    own = [own_text(r) for r in frame["reply_text"]]
    screening = pd.DataFrame(
        {
            "source_system": frame["source_system"],
            "case_id": frame["case_id"],
            "relevance": relevance,
            "own_chars": [len(t) for t in own],
        }
    )
    bands = pd.DataFrame(
        [
            (source, case, band, key)
            for source, case, text in zip(frame["source_system"], frame["case_id"], own)
            for band, key in enumerate(band_keys(text))
        ],
        columns=["source_system", "case_id", "band", "key"],
    )
    for table, rows in (("reply_screening", screening), ("reply_bands", bands)):
        con.register("_screened", rows)
        try:
            con.execute(f"insert into {table} by name select * from _screened")
        finally:
            con.unregister("_screened")
