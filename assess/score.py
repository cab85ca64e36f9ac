"""Scoring: a scheme applied to every unit's figures (assess/values.py), pure functions on frames.

An indicator gives `weight` points at its target and none at its floor, linearly between (lower
is better when the target lies below the floor), or `weight` less `per_event` per event, never
below 0. An indicator whose sample is under its minimum, or without data, is neutralised: it
is not measured on the unit but given the average points it gave the measured units of the same
type (left out of the total when no unit of the type was measured). The score is the points over
the weight that counted, out of 100. A unit measured on under half its applicable weight gets a
score but no rank: too little of it was measured to stand beside the others.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from assess import wording
from assess.scheme import LINEAR, METRICS, Indicator, Scheme

SCORE_COLUMNS = [
    "unit_id",
    "unit_name",
    "unit_type",
    "parent_name",
    "score",
    "points",
    "weight_counted",
    "weight_applicable",
    "neutralised",
    "rank",
    "rank_note",
]
BREAKDOWN_COLUMNS = [
    "unit_id",
    "unit_name",
    "unit_type",
    "indicator_order",
    "metric",
    "label",
    "value",
    "sample",
    "events",
    "weight",
    "points",
    "lost",
    "status",
    "text",
]
MOVE_COLUMNS = [
    "unit_id",
    "unit_name",
    "unit_type",
    "score_before",
    "score_after",
    "score_change",
    "rank_before",
    "rank_after",
    "rank_move",
]


def _value(row: dict[str, Any], column: str | None) -> float | None:
    if column is None:
        return None
    value = row.get(column)
    return None if wording.missing(value) or value is None else float(value)


def score_indicator(ind: Indicator, row: dict[str, Any]) -> dict[str, Any]:
    """One indicator on one unit's figures: points, whether it counted, and the sentence."""
    metric = METRICS[ind.metric]
    value = _value(row, metric.column)
    sample = _value(row, metric.sample) or 0.0
    events = _value(row, metric.events)
    out = {
        "metric": ind.metric,
        "label": metric.label,
        "value": value,
        "sample": sample,
        "events": events,
        "weight": float(ind.weight),
        "points": None,
        "lost": None,
    }
    shown = wording.figure(value, metric.kind)
    if sample == 0 or (ind.rule == LINEAR and value is None):
        return {
            **out,
            "status": wording.STATUS_NO_DATA,
            "text": wording.NO_DATA_LINE.format(label=metric.label),
        }
    if sample < ind.min_sample:
        return {
            **out,
            "status": wording.STATUS_SMALL,
            "text": wording.NEUTRAL_LINE.format(
                label=metric.label,
                value=shown,
                sample_label=wording.SAMPLE_LABELS.get(metric.sample, metric.sample),
                sample=f"{sample:.0f}",
                minimum=ind.min_sample,
            ),
        }
    if ind.rule == LINEAR:
        share = (value - ind.floor) / (ind.target - ind.floor)
        points = ind.weight * min(1.0, max(0.0, share))
        text = wording.LINEAR_LINE.format(
            label=metric.label,
            value=shown,
            points=wording.points(points),
            weight=wording.weight(ind.weight),
            target=wording.bound(ind.target, metric.kind),
            floor=wording.bound(ind.floor, metric.kind),
        )
    else:
        points = max(0.0, ind.weight - ind.per_event * (events or 0.0))
        text = wording.PER_EVENT_LINE.format(
            label=metric.label,
            value=shown,
            points=wording.points(points),
            weight=wording.weight(ind.weight),
            events=wording.EVENT_LABELS.get(metric.events, metric.events),
            n=f"{events or 0:.0f}",
            per_event=wording.weight(ind.per_event),
        )
    return {
        **out,
        "points": points,
        "lost": ind.weight - points,
        "status": wording.STATUS_SCORED,
        "text": text,
    }


def score_units(values: pd.DataFrame, scheme: Scheme) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every unit of a type the scheme assesses: its score and rank within its type, and one
    breakdown row per indicator that applies to it."""
    types = scheme.unit_types()
    rows = values[values["unit_type"].isin(types)].to_dict("records")
    lines = [
        {
            "unit_id": row["unit_id"],
            "unit_name": row.get("unit_name"),
            "unit_type": row["unit_type"],
            "indicator_order": order,
            **score_indicator(ind, row),
        }
        for row in rows
        for order, ind in enumerate(scheme.indicators)
        if row["unit_type"] in ind.unit_types
    ]
    breakdown = pd.DataFrame(lines, columns=BREAKDOWN_COLUMNS)
    breakdown["points"] = breakdown["points"].astype(float)
    breakdown["lost"] = breakdown["lost"].astype(float)
    breakdown["measured"] = breakdown["points"].notna()
    _neutralise(breakdown)
    units = pd.DataFrame(rows, columns=["unit_id", "unit_name", "unit_type", "parent_name"])
    frame = units.merge(_unit_scores(breakdown), on="unit_id")
    ranked = frame[frame["rankable"]]
    frame["rank"] = ranked.groupby("unit_type")["score"].rank(method="min", ascending=False)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["rank_note"] = frame["rankable"].map({True: "", False: wording.NOT_RANKED})
    order = {t: i for i, t in enumerate(types)}
    frame = frame.assign(_type=frame["unit_type"].map(order)).sort_values(
        ["_type", "rank", "score", "unit_id"],
        ascending=[True, True, False, True],
        na_position="last",
    )
    return (
        frame[SCORE_COLUMNS].reset_index(drop=True),
        breakdown[BREAKDOWN_COLUMNS].reset_index(drop=True),
    )


def _neutralise(breakdown: pd.DataFrame) -> None:
    """Give each neutralised line the average points its indicator gave the units of the same
    type where it was measured: a small sample neither lifts a unit above its peers nor sinks it.
    Where no unit of the type was measured the line stays without points, out of the total."""
    if breakdown.empty:
        return
    average = breakdown[breakdown["measured"]].groupby(["unit_type", "metric"])["points"].mean()
    keys = pd.MultiIndex.from_frame(breakdown[["unit_type", "metric"]])
    peer = pd.Series(average.reindex(keys).to_numpy(), index=breakdown.index)
    neutral = ~breakdown["measured"]
    filled = neutral & peer.notna()
    breakdown.loc[filled, "points"] = peer[filled]
    breakdown.loc[filled, "lost"] = breakdown.loc[filled, "weight"] - peer[filled]
    breakdown.loc[filled, "text"] = [
        text + wording.PEER_AVERAGE.format(points=wording.points(p), weight=wording.weight(w))
        for text, p, w in zip(
            breakdown.loc[filled, "text"], peer[filled], breakdown.loc[filled, "weight"]
        )
    ]
    alone = neutral & peer.isna()
    breakdown.loc[alone, "text"] = breakdown.loc[alone, "text"] + wording.NO_PEERS


def _unit_scores(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Per unit: points, the weight that counted (measured or at its peers' average), the weight
    that applies, how many lines were neutralised, and whether enough was measured to rank."""
    counted = breakdown["points"].notna()
    lines = breakdown.assign(
        given=breakdown["points"].fillna(0.0),
        counted_weight=breakdown["weight"].where(counted, 0.0),
        measured_weight=breakdown["weight"].where(breakdown["measured"], 0.0),
        neutral=~breakdown["measured"],
    )
    out = (
        lines.groupby("unit_id", sort=False)
        .agg(
            points=("given", "sum"),
            weight_counted=("counted_weight", "sum"),
            weight_applicable=("weight", "sum"),
            weight_measured=("measured_weight", "sum"),
            neutralised=("neutral", "sum"),
        )
        .reset_index()
    )
    out["score"] = (100.0 * out["points"] / out["weight_counted"]).where(out["weight_counted"] > 0)
    out["neutralised"] = out["neutralised"].astype(int)
    out["rankable"] = (out["weight_measured"] > 0) & (
        2 * out["weight_measured"] >= out["weight_applicable"]
    )
    return out.drop(columns=["weight_measured"])


def compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Each unit scored under either scheme: its score and rank before and after, the change, and
    rank_move (places gained: positive moved up), biggest moves first."""
    keys = ["unit_id", "unit_name", "unit_type"]
    merged = before[[*keys, "score", "rank"]].merge(
        after[[*keys, "score", "rank"]], on=keys, how="outer", suffixes=("_before", "_after")
    )
    merged["score_change"] = merged["score_after"] - merged["score_before"]
    merged["rank_move"] = (merged["rank_before"] - merged["rank_after"]).astype("Int64")
    merged = merged.assign(
        _move=merged["rank_move"].abs().astype("Float64").fillna(-1),
        _change=merged["score_change"].abs().fillna(-1),
    ).sort_values(["_move", "_change", "unit_id"], ascending=[False, False, True])
    return merged[MOVE_COLUMNS].reset_index(drop=True)
