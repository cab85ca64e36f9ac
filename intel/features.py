"""Text features of complaints and suggestions, shared by the classifiers and anyone linking texts.

The API is two functions: `record_text` joins what a record says into one string, and
`char_tfidf` makes the vectorizer. Character 1–3-grams need no segmentation and no model
download, and carry the short Chinese words (噪音, 扰民, 出入境) that decide a category.
"""

from __future__ import annotations

import re

import numpy as np

# Exports pad cells with tabs and newlines (the message board wraps text in "\n\t\t\t").
_SPACE = re.compile(r"\s+")


def record_text(*parts: str | None) -> str:
    """One record's text: its non-empty parts (title, content …) joined by '。', spaces squeezed."""
    return "。".join(_SPACE.sub(" ", p).strip() for p in parts if p and str(p).strip())


def char_tfidf(min_df: int = 2):
    """A TfidfVectorizer over character 1–3-grams, sublinear counts; n-grams seen in fewer than
    `min_df` texts are dropped (they cannot generalise and make the model large). It counts the
    n-grams with intel.ngrams (the same matrix as scikit-learn's, several times faster)."""
    # Imported here: the loader imports this module on every load, scikit-learn takes a second.
    from intel.char_tfidf import CharTfidf

    return CharTfidf(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df, dtype=np.float32
    )
