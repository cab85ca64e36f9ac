"""The query plan: (page, filter variant, query, parameters) entries, in JSON and back."""

from __future__ import annotations

import datetime as dt
import json
import math


def encode(value):
    """Parameters as JSON: dates and timestamps tagged so they come back with their type."""
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def decode(value):
    """The inverse of encode."""
    if isinstance(value, dict):
        if "__datetime__" in value:
            return dt.datetime.fromisoformat(value["__datetime__"])
        if "__date__" in value:
            return dt.date.fromisoformat(value["__date__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile with linear interpolation (numpy's default), without numpy."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def distinct(plan: list[dict], wanted: dict[str, set[str]]) -> list[dict]:
    """One entry per (variant, query, parameters), listing the pages that run it.

    `wanted` maps a query name to the parameters it binds; other parameters are dropped first, and
    `as_of` is ignored in the key (it is "now" and differs between runs of the same page).
    """
    out: dict[str, dict] = {}
    for entry in plan:
        params = {k: v for k, v in encode(entry["params"]).items() if k in wanted[entry["name"]]}
        key = json.dumps(
            [entry["variant"], entry["name"], {k: v for k, v in params.items() if k != "as_of"}],
            sort_keys=True,
            ensure_ascii=False,
        )
        if key not in out:
            out[key] = {
                "key": key,
                "name": entry["name"],
                "variant": entry["variant"],
                "params": params,
                "pages": [],
                "synthesised": entry.get("synthesised", False),
            }
        if entry["page"] not in out[key]["pages"]:
            out[key]["pages"].append(entry["page"])
    return list(out.values())
