"""路由模拟: what rules + model would have done with a past period's cases, as they arrived.

A month is the unit of replay: its cases are proposed by a model trained on cases received before
that month began (with their final handling unit), so no case is judged by a model that saw it or
anything after it, and a month's proposals are the same whichever period, unit tree or role asks
for it (intel.simulate_store reads a month; the page keeps each month it replayed). Rules are the
rules as they are now (the table keeps no history of past rules); where one matches, it routes
the case whatever the model says. A case is "routed automatically" at threshold t when a rule matched it or the model's
confidence reached t; it is right when the proposal is its final handling unit.

The functions take the frames of named queries (intel_simulation_cases, intel_simulation_history,
intel_simulation_texts, intel_routing_rules) and return frames the page draws; none reads the
warehouse itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from intel import route
from intel.features import record_text

THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.0, 1.0001, 0.05))


def training_sample(window: pd.DataFrame, rows: int) -> pd.DataFrame:
    """The rows of `window` (case_id, received_at, handling_unit_id: the cases before a month)
    that month's model learns from: the `rows` most recent, then the sample classify.learnable
    draws of them (by position, as fit_quick would), in that order. Only these need their text."""
    from intel import classify

    # case_id breaks ties of received_at: an unstable sort would reorder them run to run, and the
    # sample is drawn by position.
    recent = window.sort_values(["received_at", "case_id"]).tail(rows).reset_index(drop=True)
    positions = range(len(recent))
    _, kept, _, _ = classify.learnable(
        positions, positions, recent["handling_unit_id"].astype(str).tolist()
    )
    return recent.iloc[list(kept)].reset_index(drop=True)


def replay_month(cases: pd.DataFrame, sample: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """One row per case of `cases` (one month's): proposal, confidence (1 for a rule), by_rule,
    rule_id, model_month, correct.

    cases: case_id, received_at, channel, category, title, content, handling_unit_id (final).
    sample: title, content, handling_unit_id of the rows training_sample chose from the cases
    received before the month began (the sample is already learnable: fit_quick keeps it whole).
    """
    from intel import classify

    out = cases.copy()
    out["text"] = [record_text(t, c) for t, c in zip(out["title"], out["content"])]
    out["proposal"], out["confidence"] = None, 0.0
    out["by_rule"], out["rule_id"] = False, None
    if out.empty:
        return finish(out)
    out["model_month"] = out["received_at"].dt.to_period("M").astype(str)
    try:
        model = classify.fit_quick(
            [record_text(t, c) for t, c in zip(sample["title"], sample["content"])],
            sample["handling_unit_id"].astype(str).tolist(),
        )
    except classify.NotEnoughLabels:
        model = None
    if model is not None:
        values, confidence = model.predict(out["text"].tolist())
        out["proposal"] = pd.Series(values, index=out.index, dtype=object)
        out["confidence"] = confidence
    matcher = route.Matcher(
        [r for r in route.rules_from(rules) if r.handling_unit_id] if len(rules) else []
    )
    matched = matcher.match_all(
        out["text"].tolist(), out["channel"].tolist(), out["category"].tolist()
    )
    for index, rule in zip(out.index, matched):
        if rule is not None:
            out.loc[index, ["proposal", "confidence", "by_rule", "rule_id"]] = (
                rule.handling_unit_id,
                1.0,
                True,
                rule.rule_id,
            )
    return finish(out)


def keep(months: list[pd.DataFrame], start, end, units) -> pd.DataFrame:
    """The period's rows of replayed months: received in [start, end] (dates), handled by one of
    `units` (the user's tree), in the months' order."""
    replayed = pd.concat(months, ignore_index=True)
    received = replayed["received_at"]
    inside = (received >= pd.Timestamp(start)) & (
        received < pd.Timestamp(end) + pd.Timedelta(days=1)
    )
    inside &= replayed["handling_unit_id"].isin(units)
    return replayed[inside].reset_index(drop=True)


def finish(out: pd.DataFrame) -> pd.DataFrame:
    """The replay's last columns: whether each proposal is right; no text."""
    out["correct"] = out["proposal"].notna() & (out["proposal"] == out["handling_unit_id"])
    out["confidence"] = out["confidence"].astype(float)
    # The texts go: a replay is kept per month, and no page shows them.
    return out.drop(columns=["text", "title", "content"], errors="ignore")


def curve(replayed: pd.DataFrame, thresholds=THRESHOLDS) -> pd.DataFrame:
    """Per confidence threshold: cases, routed (rule or confidence ≥ t), routed_share, right,
    precision (right / routed)."""
    rows = []
    for t in thresholds:
        routed = replayed["by_rule"] | (
            replayed["proposal"].notna() & (replayed["confidence"] >= t)
        )
        right = int((routed & replayed["correct"]).sum())
        n = int(routed.sum())
        rows.append(
            {
                "threshold": t,
                "cases": len(replayed),
                "routed": n,
                "routed_share": n / len(replayed) if len(replayed) else None,
                "right": right,
                "precision_rate": right / n if n else None,
            }
        )
    return pd.DataFrame(rows)


def breakdown(replayed: pd.DataFrame, threshold: float, by: str) -> pd.DataFrame:
    """Per value of `by` (a column of the cases, e.g. unit_name, category) at `threshold`:
    cases, routed, routed_share, right, precision; most cases first."""
    routed = replayed["by_rule"] | (
        replayed["proposal"].notna() & (replayed["confidence"] >= threshold)
    )
    frame = pd.DataFrame(
        {
            by: replayed[by].fillna("（未知）"),
            "routed": routed,
            "right": routed & replayed["correct"],
        }
    )
    out = (
        frame.groupby(by, sort=False)
        .agg(cases=("routed", "size"), routed=("routed", "sum"), right=("right", "sum"))
        .reset_index()
    )
    out["routed_share"] = out["routed"] / out["cases"]
    out["precision_rate"] = (out["right"] / out["routed"]).where(out["routed"] > 0)
    return out.sort_values(["cases", by], ascending=[False, True]).reset_index(drop=True)


def try_rule(cases: pd.DataFrame, rule: route.Rule) -> dict:
    """What one rule would have done with `cases`: caught (cases it matches), right (of those,
    whose final handling unit is the rule's unit), precision."""
    texts = [record_text(t, c) for t, c in zip(cases["title"], cases["content"])]
    matched = route.Matcher([rule]).match_all(
        texts, cases["channel"].tolist(), cases["category"].tolist()
    )
    hit = np.array([m is not None for m in matched], dtype=bool)
    right = int((hit & (cases["handling_unit_id"].to_numpy() == rule.handling_unit_id)).sum())
    caught = int(hit.sum())
    return {"caught": caught, "right": right, "precision": right / caught if caught else None}
