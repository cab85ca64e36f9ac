"""Learn a category (or a handling unit) from labelled texts; measure it honestly; predict.

The method: TF-IDF over character 1–3-grams (intel.features), a linear SVM with balanced class
weights (rare categories are not drowned by common ones), calibrated by Platt scaling on held-out
folds so a confidence of 0.9 means about nine in ten right. Everything is seeded and the rows are
sorted by record id first, so the same labels always give the same model (`rebuild` relies on it).

A confidence threshold is chosen per target precision (0.95, 0.90) from out-of-fold predictions of
the training rows only: the smallest threshold above which the share right reaches the target.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from intel.features import char_tfidf

METHOD = "char13-tfidf+linearsvc-balanced+sigmoid/v1"  # part of model_id: a new method, new ids
PRECISIONS = ("0.95", "0.90")  # reported by evaluate
THRESHOLDS = ("0.99", "0.95", "0.90", "0.85", "0.80")  # kept with a model: the setting picks one
MIN_PER_CLASS = 5  # a label with fewer rows is not learnt (too few to calibrate or to test)
# Bounds that keep training inside a load at province scale: a linear model costs rows × labels
# per fit, and a load fits a dozen times (calibration, thresholds). Beyond MAX_LABELS the rarest
# labels are not learnt; beyond MAX_TRAINING_ROWS each label keeps an equal share of its rows,
# drawn by a hash of the record id so the same labels always give the same sample.
MAX_LABELS = 300
MAX_TRAINING_ROWS = 20_000
CALIBRATION_FOLDS = 3
# Folds of the out-of-fold pass that picks thresholds: two halve its cost against three, and
# models trained on half the rows are a little less sure, which errs towards higher thresholds.
THRESHOLD_FOLDS = 2
SEED = 0


@dataclass
class Model:
    """A trained classifier with what it was trained on and its thresholds."""

    target: str
    pipeline: Pipeline
    training_rows: int
    label_counts: dict[str, int]  # every labelled row's label, the rare ones not learnt too
    thresholds: dict[str, float | None]  # target precision -> confidence threshold
    model_id: str
    skipped_labels: dict[str, int] = field(default_factory=dict)  # too rare to learn

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(value, confidence) of each text: the most probable label and its probability."""
        if not len(texts):
            return np.array([], dtype=object), np.array([], dtype=float)
        proba = self.pipeline.predict_proba(list(texts))
        classes = self.pipeline.classes_
        best = proba.argmax(axis=1)
        return classes[best], proba[np.arange(len(best)), best]


class NotEnoughLabels(ValueError):
    """Too few labelled rows (or labels) to train or to evaluate."""


def make_pipeline(rows: int, smallest_class: int = CALIBRATION_FOLDS) -> Pipeline:
    """The untrained classifier. Small sets keep every n-gram (min_df 1); larger ones need two.
    Calibration uses at most as many folds as the smallest class has rows (two at least)."""
    svm = LinearSVC(class_weight="balanced", C=0.5, random_state=SEED)
    folds = max(2, min(CALIBRATION_FOLDS, smallest_class))
    return Pipeline(
        [
            ("tfidf", char_tfidf(min_df=1 if rows < 500 else 2)),
            ("svm", CalibratedClassifierCV(svm, method="sigmoid", cv=folds, ensemble=False)),
        ]
    )


def learnable(
    ids: Sequence[str], texts: Sequence[str], labels: Sequence[str]
) -> tuple[list[str], list[str], list[str], dict[str, int]]:
    """The rows the model learns from, sorted by id, and the labels left out with their row
    counts: labels with fewer than MIN_PER_CLASS rows or beyond the MAX_LABELS most frequent,
    and at most MAX_TRAINING_ROWS rows in all (each label an equal share, the rarest all theirs)."""
    counts = Counter(labels)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    kept = {label for label, n in ranked[:MAX_LABELS] if n >= MIN_PER_CLASS}
    rare = {label: n for label, n in counts.items() if label not in kept}
    share = _shares({label: counts[label] for label in kept}, MAX_TRAINING_ROWS)
    taken: Counter = Counter()
    rows = []
    for i, t, y in sorted(
        ((i, t, y) for i, t, y in zip(ids, texts, labels) if y in kept),
        key=lambda row: (_draw(row[0]), str(row[0])),
    ):
        if taken[y] < share[y]:
            taken[y] += 1
            rows.append((i, t, y))
    rows.sort(key=lambda row: row[0])
    return (
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        dict(sorted(rare.items())),
    )


def _shares(counts: dict[str, int], budget: int) -> dict[str, int]:
    """Rows per label within `budget`: labels under an equal share keep all theirs, the rest split
    what is left equally (water-filling)."""
    share, left, open_labels = {}, budget, sorted(counts, key=lambda label: counts[label])
    while open_labels:
        equal = max(MIN_PER_CLASS, left // len(open_labels))
        label = open_labels[0]
        if counts[label] > equal:
            share.update(dict.fromkeys(open_labels, equal))
            break
        share[label] = counts[label]
        left -= counts[label]
        open_labels.pop(0)
    return share


def _draw(record_id: object) -> bytes:
    return hashlib.blake2b(str(record_id).encode(), digest_size=8).digest()


def model_id_of(
    target: str, ids: Sequence[str], texts: Sequence[str], labels: Sequence[str]
) -> str:
    """A hash of the method and the training rows: the same rows give the same id."""
    digest = hashlib.sha256(f"{METHOD}\n{target}\n".encode())
    for row in zip(ids, texts, labels):
        digest.update(json.dumps(row, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def fit(target: str, ids: Sequence[str], texts: Sequence[str], labels: Sequence[str]) -> Model:
    """Train on the labelled rows; raise NotEnoughLabels when fewer than two labels are learnable."""
    every_label = dict(sorted(Counter(labels).items()))
    ids, texts, labels, rare = learnable(ids, texts, labels)
    if len(set(labels)) < 2:
        raise NotEnoughLabels(f"可学习的类别不足两个（每类至少 {MIN_PER_CLASS} 条）")
    y = np.array(labels, dtype=object)
    confidence, correct = _out_of_fold(texts, y, THRESHOLD_FOLDS)
    thresholds = {p: threshold_for(confidence, correct, float(p)) for p in THRESHOLDS}
    pipeline = _fitted(texts, y)
    return Model(
        target,
        pipeline,
        len(labels),
        every_label,
        thresholds,
        model_id_of(target, ids, texts, labels),
        rare,
    )


def fit_quick(texts: Sequence[str], labels: Sequence[str]) -> Model:
    """A model of the labels with at least MIN_PER_CLASS rows, without thresholds (no extra
    cross-validation): for a replay that draws its own curve over every threshold."""
    _, texts, labels, rare = learnable(range(len(texts)), texts, labels)
    if len(set(labels)) < 2:
        raise NotEnoughLabels(f"可学习的类别不足两个（每类至少 {MIN_PER_CLASS} 条）")
    pipeline = _fitted(list(texts), np.array(labels, dtype=object))
    return Model("", pipeline, len(labels), dict(Counter(labels)), {}, "", rare)


def evaluate(texts: Sequence[str], labels: Sequence[str], folds: int = 5) -> dict:
    """Stratified k-fold cross-validation: n, macro_f1, accuracy, per_class F1, and per target
    precision the share of test rows at or above the threshold chosen on the training folds
    (coverage) and the precision reached on them."""
    _, texts, labels, rare = learnable(range(len(texts)), texts, labels)
    y = np.array(labels, dtype=object)
    if len(set(labels)) < 2:
        raise NotEnoughLabels(f"可学习的类别不足两个（每类至少 {MIN_PER_CLASS} 条）")
    folds = min(folds, min(Counter(labels).values()))
    predicted = np.empty(len(y), dtype=object)
    routed = {p: np.zeros(len(y), dtype=bool) for p in PRECISIONS}
    x = np.array(texts, dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(x, y):
        # The threshold comes from the training folds' own out-of-fold predictions.
        confidence, correct = _out_of_fold(list(x[train]), y[train], THRESHOLD_FOLDS)
        model = Model("", _fitted(list(x[train]), y[train]), 0, {}, {}, "")
        values, test_confidence = model.predict(list(x[test]))
        predicted[test] = values
        for p in PRECISIONS:
            threshold = threshold_for(confidence, correct, float(p))
            if threshold is not None:
                routed[p][test] = test_confidence >= threshold
    classes = sorted(set(labels))
    per_class = f1_score(y, predicted, labels=classes, average=None, zero_division=0)
    at_precision = {}
    for p in PRECISIONS:
        mask = routed[p]
        at_precision[p] = {
            "coverage": round(float(mask.mean()), 4),
            "precision": round(float((predicted[mask] == y[mask]).mean()), 4)
            if mask.any()
            else None,
        }
    return {
        "n": len(y),
        "macro_f1": round(float(f1_score(y, predicted, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(y, predicted)), 4),
        "per_class": {c: round(float(f), 4) for c, f in zip(classes, per_class)},
        "at_precision": at_precision,
        "folds": folds,
        "skipped_labels": rare,
    }


def threshold_for(confidence: np.ndarray, correct: np.ndarray, precision: float) -> float | None:
    """The lowest confidence t such that the predictions at or above t are at least `precision`
    right (None: not even the most confident ones are)."""
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    good = np.nonzero(hits >= precision)[0]
    if not len(good):
        return None
    cut = good.max()
    # Ties: every row with the cut's confidence is routed, so check precision there as well.
    threshold = float(confidence[order][cut])
    routed = confidence >= threshold
    while routed.any() and correct[routed].mean() < precision:
        above = confidence[confidence > threshold]
        if not len(above):
            return None
        threshold = float(above.min())
        routed = confidence >= threshold
    return threshold


def save(model: Model, folder: Path) -> tuple[str, Path]:
    """Write the model to folder/<sha256>.joblib (content-addressed); return (sha256, path)."""
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    data = buffer.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha}.joblib"
    if not path.exists():
        part = path.with_suffix(".part")
        part.write_bytes(data)
        part.replace(path)
    return sha, path


_loaded: dict[str, Model] = {}


def load(folder: Path, sha: str) -> Model:
    """The model stored as folder/<sha>.joblib (kept in memory after the first use)."""
    if sha not in _loaded:
        _loaded[sha] = joblib.load(folder / f"{sha}.joblib")
    return _loaded[sha]


def _fitted(texts: list[str], y: np.ndarray) -> Pipeline:
    pipeline = make_pipeline(len(texts), min(Counter(y.tolist()).values()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline.fit(texts, y)
    return pipeline


def _out_of_fold(texts: list[str], y: np.ndarray, folds: int) -> tuple[np.ndarray, np.ndarray]:
    """Confidence and rightness of each row's prediction by a model that did not see it."""
    folds = max(2, min(folds, min(Counter(y.tolist()).values())))
    confidence = np.zeros(len(y))
    correct = np.zeros(len(y), dtype=bool)
    x = np.array(texts, dtype=object)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(x, y):
        classes_in_train = set(y[train].tolist())
        if len(classes_in_train) < 2:
            continue
        model = Model("", _fitted(list(x[train]), y[train]), 0, {}, {}, "")
        values, conf = model.predict(list(x[test]))
        confidence[test], correct[test] = conf, values == y[test]
    return confidence, correct
