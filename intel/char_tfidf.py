"""scikit-learn's TfidfVectorizer over characters, its n-grams counted by intel.ngrams.

Only the counting (`_count_vocab`, a Python loop over every n-gram of every text) is replaced;
sorting, min_df, idf and normalisation stay scikit-learn's, so a fit and a transform give the
same vocabulary and the same matrix (tests/test_ngrams.py). scikit-learn is pinned: the private
method's contract is checked by those tests on every upgrade.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils._sparse import _align_api_if_sparse

from intel import ngrams


class CharTfidf(TfidfVectorizer):
    def _count_vocab(self, raw_documents, fixed_vocab):
        if self.analyzer != "char" or self.preprocessor or self.strip_accents or self.binary:
            return super()._count_vocab(raw_documents, fixed_vocab)
        low, high = self.ngram_range
        texts = ngrams.prepared(list(raw_documents), lowercase=self.lowercase)
        rows, keys = ngrams.ngram_keys(texts, range(low, high + 1))
        if fixed_vocab:
            vocabulary = self.vocabulary_
            columns = self._key_columns().columns(keys)
            found = columns >= 0
            rows, columns = rows[found], columns[found]
        else:
            vocabulary, columns = ngrams.new_vocabulary(keys)
            if not vocabulary:
                raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        matrix = ngrams.counts(rows, columns, len(texts), len(vocabulary), self.dtype)
        return vocabulary, _align_api_if_sparse(matrix)

    def _key_columns(self) -> ngrams.Vocabulary:
        """The fitted vocabulary by n-gram key, made once per fit (or per unpickled model)."""
        known = self.__dict__.get("_vocabulary_keys")
        if known is None or known[0] is not self.vocabulary_:
            known = (self.vocabulary_, ngrams.Vocabulary(self.vocabulary_))
            self._vocabulary_keys = known
        return known[1]

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_vocabulary_keys", None)  # rebuilt from vocabulary_ in milliseconds
        return state
