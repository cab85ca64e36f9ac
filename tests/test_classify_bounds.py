"""Training stays bounded at province scale: the most frequent labels, an equal share of rows each,
the same sample for the same labels."""

from intel import classify


def _rows(counts: dict[str, int]):
    ids, texts, labels = [], [], []
    for label, n in counts.items():
        for k in range(n):
            ids.append(f"{label}-{k:04d}")
            texts.append(f"{label} 文本 {k}")
            labels.append(label)
    return ids, texts, labels


def test_beyond_the_label_cap_the_rarest_labels_are_left_out(monkeypatch):
    monkeypatch.setattr(classify, "MAX_LABELS", 2)
    ids, texts, labels = _rows({"噪音": 9, "态度": 7, "交通": 6, "少": 3})
    _, _, kept, left_out = classify.learnable(ids, texts, labels)
    assert set(kept) == {"噪音", "态度"}
    assert left_out == {"交通": 6, "少": 3}


def test_beyond_the_row_cap_each_label_keeps_an_equal_share_and_small_ones_all_theirs(monkeypatch):
    monkeypatch.setattr(classify, "MAX_TRAINING_ROWS", 30)
    ids, texts, labels = _rows({"噪音": 100, "态度": 40, "交通": 6})
    kept_ids, _, kept, _ = classify.learnable(ids, texts, labels)
    # 交通 keeps its 6; the 24 left are split equally between the two large labels.
    assert {label: kept.count(label) for label in set(kept)} == {"交通": 6, "噪音": 12, "态度": 12}
    assert kept_ids == sorted(kept_ids)
    again, _, _, _ = classify.learnable(ids[::-1], texts[::-1], labels[::-1])
    assert again == kept_ids  # the sample depends on the records, not on their order
