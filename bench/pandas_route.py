"""The typical Streamlit route, for comparison: whole tables held in memory as pandas DataFrames
(what `@st.cache_data def load(): return con.table(...).df()` gives), each page figure computed
with pandas on every change of filter. One function per named query, same rows and figures.

Run as `python -m bench.pandas_route DB PLAN.json OUT.json RUNS` in its own process, so its memory
is measured apart from everything else.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bench.plan import decode, percentile
from bench.procs import status_mb

TABLES = (
    "units",
    "unit_closure",
    "call_records",
    "complaints",
    "complaint_events",
    "survey_responses",
    "rectifications",
    "report_ledger",
    "text_tokens",
    "settings",
    "work_calendar",
    "imports",
)
VALID = ("满意", "基本满意", "不满意")
CLOSED = ("已办结", "已评议")
MAX_SECONDS_PER_QUERY = 10.0  # stop repeating a slow pandas query after this long (≥ 3 runs)


class Frames:
    """Every table as a DataFrame, loaded once, plus the complaint unit column derived once."""

    def __init__(self, db: Path) -> None:
        con = duckdb.connect(str(db), read_only=True)
        con.execute("set enable_progress_bar = false")
        for table in TABLES:
            # Through Arrow: the same frame as .df() gives (pandas' default str dtype), but .df()
            # of 16M token rows peaks at 13 GB for a 2 GB frame, which at province scale would
            # not fit in memory; this peaks at the frame's size.
            arrow = con.table(table).to_arrow_reader(1_000_000).read_all()
            setattr(self, table, arrow.to_pandas(date_as_object=False))
            del arrow
        con.close()
        self.complaints["unit_id"] = self.complaints["handling_unit_id"].fillna(
            self.complaints["receiving_unit_id"]
        )
        self.seq = self.work_calendar.set_index("day")["workday_seq"]


def _member(col: pd.Series, values) -> pd.Series:
    """col.isin(values) for large value sets. pandas 3.1's isin on its default (pyarrow) strings
    takes ~10 s for a million ids where pyarrow.compute.is_in takes 0.4 s; the yardstick should
    not be held back by that."""
    hit = pc.fill_null(pc.is_in(pa.array(col), value_set=pa.array(values)), False)
    return pd.Series(hit.to_numpy(zero_copy_only=False), index=col.index)


def _within(f: Frames, unit_ids: list[str]) -> np.ndarray:
    c = f.unit_closure
    return c.loc[c["ancestor_id"].isin(unit_ids), "unit_id"].unique()


def _scope_ok(f: Frames, units: pd.Series, p: dict) -> pd.Series:
    ok = pd.Series(True, index=units.index)
    if p.get("unit_ids"):
        ok &= units.isin(_within(f, p["unit_ids"]))
    if p.get("scope", "*") != "*":
        ok &= units.isin(_within(f, [p["scope"]]))
    if p.get("exact_unit_id"):
        ok &= units == p["exact_unit_id"]
    return ok


def _period(col: pd.Series, p: dict, start: str = "start", end: str = "end") -> pd.Series:
    return (col >= pd.Timestamp(p[start])) & (col < pd.Timestamp(p[end]) + pd.Timedelta(days=1))


def _among(col: pd.Series, values: list | None) -> pd.Series | bool:
    return col.isin(values) if values else True


def _calls(f: Frames, p: dict, *, period: bool = True) -> pd.DataFrame:
    c = f.call_records
    m = _scope_ok(f, c["unit_id"], p)
    if period:
        m &= _period(c["received_at"], p)
    m &= _among(c["channel"], p.get("channels"))
    m &= _among(c["police_type"], p.get("police_types"))
    m &= _among(c["category"], p.get("categories"))
    return c[m]


def _cases(f: Frames, p: dict) -> pd.DataFrame:
    k = f.complaints
    m = _period(k["received_at"], p) & _scope_ok(f, k["unit_id"], p)
    m &= _among(k["channel"], p.get("channels")) & _among(k["category"], p.get("categories"))
    return k[m]


def _items(f: Frames, p: dict) -> pd.DataFrame:
    r = f.rectifications
    found = r["found_on"]
    m = (found >= pd.Timestamp(p["start"])) & (found <= pd.Timestamp(p["end"]))
    m &= _scope_ok(f, r["unit_id"], p) & _among(r["category"], p.get("categories"))
    return r[m]


def _weight(results: pd.Series, formula: str) -> np.ndarray:
    if formula == "strict":
        return (results == "满意").to_numpy(float)
    if formula == "weighted":
        return np.where(results == "满意", 1.0, np.where(results == "基本满意", 0.5, 0.0))
    return results.isin(("满意", "基本满意")).to_numpy(float)


def _wilson(k: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
    z = 1.96
    n = n.where(n > 0)
    phat = k / n
    centre = phat + z * z / (2 * n)
    spread = z * np.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n)


def _rated(c: pd.DataFrame, by, formula: str) -> pd.DataFrame:
    valid = c["callback_result"].isin(VALID)
    parts = pd.DataFrame(
        {
            "records": 1,
            "valid_replies": valid.astype(int),
            "satisfied": _weight(c["callback_result"], formula) * valid,
        },
        index=c.index,
    )
    g = parts.groupby(by, dropna=False).sum()
    g["satisfaction_rate"] = g["satisfied"] / g["valid_replies"].where(g["valid_replies"] > 0)
    g["reply_rate"] = g["valid_replies"] / g["records"]
    g["wilson_low"], g["wilson_high"] = _wilson(g["satisfied"], g["valid_replies"])
    return g


def satisfaction_summary(f, p):
    c = _calls(f, p)
    g = _rated(c, pd.Series(1, index=c.index, name="all"), p["formula"]).reindex([1]).fillna(0)
    counts = c["callback_result"].value_counts()
    g["n_satisfied"], g["n_basic"] = counts.get("满意", 0), counts.get("基本满意", 0)
    g["n_dissatisfied"] = counts.get("不满意", 0)
    g["n_no_reply"] = g["records"] - g["valid_replies"]
    g["newest_record_at"] = c["received_at"].max()
    return g.reset_index(drop=True)


def _by(name):
    def query(f, p):
        c = _calls(f, p)
        key = {
            "channel": c["channel"],
            "police_type": c["police_type"],
            "month": c["received_at"].dt.to_period("M").dt.start_time,
            "week": c["received_at"].dt.to_period("W-SUN").dt.start_time,
        }[name]
        return _rated(c, key.rename(name), p["formula"]).reset_index().sort_values(name)

    return query


def satisfaction_rate_by_unit(f, p):
    c = _calls(f, p)
    g = _rated(c, c["unit_id"], p["formula"]).reset_index()
    g["is_small"] = g["valid_replies"] < p["min_replies"]
    g["league_rank"] = (
        g["satisfaction_rate"].where(~g["is_small"]).rank(method="min", ascending=False)
    )
    units = f.units.set_index("unit_id")
    g["unit_name"] = g["unit_id"].map(units["name"])
    g["parent_name"] = g["unit_id"].map(units["parent_id"]).map(units["name"])
    return g.sort_values(
        ["is_small", "satisfaction_rate", "valid_replies", "unit_id"],
        ascending=[True, False, False, True],
    )


def records_calls(f, p):
    c = _calls(f, p)
    if p.get("results"):
        c = c[c["callback_result"].isin(p["results"])]
    page = c.sort_values(["received_at", "record_id"], ascending=[False, True])
    page = page.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    page["unit_name"] = page["unit_id"].map(f.units.set_index("unit_id")["name"])
    page["total_rows"] = len(c.index)
    return page


def _case_counts(k: pd.DataFrame, p: dict) -> pd.DataFrame:
    closed = k["status"].isin(CLOSED)
    as_of = pd.Timestamp(p.get("as_of") or pd.Timestamp.now())
    overdue = k["deadline_at"].notna() & (
        (~closed & (k["deadline_at"] < as_of)) | (closed & (k["closed_at"] > k["deadline_at"]))
    )
    replied = closed & k["satisfaction"].isin(VALID)
    return pd.DataFrame(
        {
            "received": 1,
            "closed": closed,
            "on_time": closed & (k["closed_at"] <= k["deadline_at"]),
            "overdue": overdue,
            "overdue_open": overdue & ~closed,
            "repeat_cases": k["duplicate_of"].notna(),
            "routed": k["routed_by"].notna(),
            "routed_by_rule": k["routed_by"] == "规则",
            "callback_replies": replied,
            "callback_satisfied": _weight(k["satisfaction"], p["formula"]) * replied,
        },
        index=k.index,
    )


def complaint_summary(f, p):
    k = _cases(f, p)
    e = f.complaint_events
    e = e[_member(e["case_id"], k["case_id"])]
    returned = e.loc[e["stage"].isin(("退回", "改派")), "case_id"].unique()
    dispatch = e[e["stage"].isin(("交办", "转办"))].sort_values(["event_at", "stage"])
    first = dispatch.groupby("case_id")["to_unit_id"].first()
    counts = _case_counts(k, p)
    first_unit = k["case_id"].map(first)
    handled = k["handling_unit_id"]
    counts["returned_or_reassigned"] = _member(k["case_id"], returned)
    counts["dispatched"] = first_unit.notna() & handled.notna()
    counts["dispatched_correctly"] = first_unit == handled
    rule = k["routed_by"] == "规则"
    counts["rule_dispatched"] = rule & counts["dispatched"]
    counts["rule_dispatched_correctly"] = rule & counts["dispatched_correctly"]
    row = counts.sum().to_frame().T
    row["closure_rate"] = row["closed"] / row["received"].where(row["received"] > 0)
    row["newest_record_at"] = k["received_at"].max()
    return row


def complaint_returned_cases(f, p):
    k = _cases(f, p)
    k = k[_among(k["kind"], p.get("kinds")) & pd.Series(True, index=k.index)]
    e = f.complaint_events
    e = e[e["stage"].isin(("退回", "改派")) & _member(e["case_id"], k["case_id"])]
    e = e.sort_values(["event_at", "stage"])
    steps = e.groupby("case_id").agg(
        returns=("stage", lambda x: (x == "退回").sum()),
        reassignments=("stage", lambda x: (x == "改派").sum()),
        last_return_at=("event_at", "max"),
        last_return_stage=("stage", "last"),
        last_return_note=("note", "last"),
    )
    d = f.complaint_events
    d = d[d["stage"].isin(("交办", "转办")) & _member(d["case_id"], steps.index)]
    first = d.sort_values(["event_at", "stage"]).groupby("case_id")["to_unit_id"].first()
    out = k.merge(steps.reset_index(), on="case_id")
    names = f.units.set_index("unit_id")["name"]
    out["first_unit_name"] = out["case_id"].map(first).map(names)
    out = out.sort_values(["last_return_at", "case_id"], ascending=[False, True])
    page = out.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    page["handling_unit_name"] = page["unit_id"].map(names)
    page["total_rows"] = len(out.index)
    return page


def complaint_by_unit(f, p):
    k = _cases(f, p)
    e = f.complaint_events
    returned = e.loc[e["stage"].isin(("退回", "改派")), "case_id"].unique()
    counts = _case_counts(k, p).drop(columns=["overdue_open", "routed", "routed_by_rule"])
    counts["returned_or_reassigned"] = _member(k["case_id"], returned)
    g = counts.groupby(k["unit_id"]).sum().reset_index()
    g["unit_name"] = g["unit_id"].map(f.units.set_index("unit_id")["name"])
    g["closure_rate"] = g["closed"] / g["received"]
    return g.sort_values(["received", "unit_id"], ascending=[False, True])


def complaint_funnel(f, p):
    k = _cases(f, p)
    e = f.complaint_events
    e = e[_member(e["case_id"], k["case_id"])]

    def seen(stages: tuple[str, ...]) -> pd.Series:
        return _member(k["case_id"], e.loc[e["stage"].isin(stages), "case_id"])

    status = k["status"]
    reached = {
        "受理": len(k.index),
        "交办": int(((status != "受理") | seen(("交办", "转办"))).sum()),
        "转办": int(((status == "转办") | seen(("转办",))).sum()),
        "反馈": int((status.isin(("已反馈", *CLOSED)) | seen(("反馈",))).sum()),
        "评议": int(((status == "已评议") | seen(("评议",))).sum()),
    }
    out = pd.DataFrame(
        {"stage_order": range(1, 6), "stage": list(reached), "cases": list(reached.values())}
    )
    out["share_of_received"] = out["cases"] / (len(k.index) or np.nan)
    return out


def complaint_intake_by_channel_kind(f, p):
    k = _cases(f, p)
    g = pd.DataFrame({"received": 1, "closed": k["status"].isin(CLOSED)}, index=k.index)
    g = g.groupby([k["channel"], k["kind"]], dropna=False).sum().reset_index()
    g["closure_rate"] = g["closed"] / g["received"]
    return g.sort_values(["channel", "kind"])


def _working_days(f: Frames, start: pd.Series, end: pd.Series) -> pd.Series:
    days = end.dt.normalize().map(f.seq) - start.dt.normalize().map(f.seq)
    return days.clip(lower=0)


_BUCKETS = [
    (1, "0-1", 0, 1),
    (2, "2-5", 2, 5),
    (3, "6-10", 6, 10),
    (4, "11-15", 11, 15),
    (5, "16-30", 16, 30),
    (6, ">30", 31, None),
]


def complaint_time_to_close(f, p):
    k = _cases(f, p)
    closed = k["status"].isin(CLOSED)
    k = k[~closed | k["closed_at"].notna()]
    closed = k["status"].isin(CLOSED)
    until = k["closed_at"].where(closed, pd.Timestamp(p["as_of"]))
    days = _working_days(f, k["received_at"], until)
    rows = []
    for order, population in ((1, "closed"), (2, "open")):
        mine = days[closed == (population == "closed")]
        for b_order, bucket, low, high in _BUCKETS:
            hit = (mine >= low) & (mine <= high if high is not None else True)
            rows.append((order, population, b_order, bucket, low, high, int(hit.sum())))
    return pd.DataFrame(
        rows,
        columns=[
            "population_order",
            "population",
            "bucket_order",
            "bucket",
            "low_days",
            "high_days",
            "cases",
        ],
    )


def complaint_overdue_cases(f, p):
    k = _cases(f, p)
    closed = k["status"].isin(CLOSED)
    as_of = pd.Timestamp(p["as_of"])
    overdue = k["deadline_at"].notna() & (
        (~closed & (k["deadline_at"] < as_of)) | (closed & (k["closed_at"] > k["deadline_at"]))
    )
    if p.get("open_only"):
        overdue &= ~closed
    o = k[overdue].copy()
    o["is_closed"] = o["status"].isin(CLOSED)
    o["working_days_overdue"] = _working_days(
        f, o["deadline_at"], o["closed_at"].where(o["is_closed"], as_of)
    )
    o = o.sort_values(
        ["is_closed", "working_days_overdue", "deadline_at", "case_id"],
        ascending=[True, False, True, True],
    )
    page = o.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    page["unit_name"] = page["unit_id"].map(f.units.set_index("unit_id")["name"])
    page["total_rows"] = len(o.index)
    return page


def records_complaints(f, p):
    k = _cases(f, p)
    if p.get("open_only"):
        k = k[~k["status"].isin(CLOSED)]
    if p.get("repeat_only"):
        k = k[k["duplicate_of"].notna()]
    page = k.sort_values(["received_at", "case_id"], ascending=[False, True])
    page = page.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    page["handling_unit_name"] = page["unit_id"].map(f.units.set_index("unit_id")["name"])
    page["total_rows"] = len(k.index)
    return page


def overview_kpis(f, p):
    c = _calls(f, p)
    valid = c["callback_result"].isin(VALID)
    k = _cases(f, p)
    kc = _case_counts(k, p).sum()
    r = _items(f, p)
    s = f.survey_responses
    sm = _period(s["submitted_at"], p) & (s["respondent_role"].fillna("") != "群众")
    s = s[sm & _scope_ok(f, s["respondent_unit_id"], p)]
    u = f.units
    headcount = u.loc[(u["headcount"] > 0) & _scope_ok(f, u["unit_id"], p), "headcount"].sum()
    respondents = len(s[["survey_id", "response_id"]].drop_duplicates().index)
    target = dict(zip(f.settings["key"], pd.to_numeric(f.settings["value"], errors="coerce")))
    rows = [
        (
            "satisfaction",
            (_weight(c["callback_result"], p["formula"]) * valid).sum(),
            valid.sum(),
            target.get("target_satisfaction"),
        ),
        ("reply_rate", valid.sum(), len(c.index), None),
        ("closure", kc["closed"], kc["received"], target.get("target_closure")),
        ("on_time", kc["on_time"], kc["closed"], target.get("target_on_time")),
        ("routing_automation", kc["routed_by_rule"], kc["routed"], target.get("target_routing")),
        (
            "callback_satisfaction",
            kc["callback_satisfied"],
            kc["callback_replies"],
            target.get("target_satisfaction"),
        ),
        (
            "rectification",
            (r["status"] == "已整改").sum(),
            len(r.index),
            target.get("target_rectification"),
        ),
        (
            "participation",
            respondents,
            headcount * s["survey_id"].nunique(),
            target.get("target_participation"),
        ),
    ]
    out = pd.DataFrame(rows, columns=["metric", "numerator", "denominator", "target"])
    out["value"] = out["numerator"] / out["denominator"].where(out["denominator"] > 0)
    return out


def overview_trend(f, p):
    calls = _by("week")(f, p)
    k = _cases(f, p)
    week = k["received_at"].dt.to_period("W-SUN").dt.start_time.rename("week")
    cases = _case_counts(k, p).groupby(week)[["received", "closed", "on_time"]].sum()
    cases = cases.reset_index()
    parts = [
        (calls, "satisfaction", "satisfied", "valid_replies"),
        (calls, "reply_rate", "valid_replies", "records"),
        (cases, "closure", "closed", "received"),
        (cases, "on_time", "on_time", "closed"),
    ]
    out = pd.concat(
        pd.DataFrame({"week": t["week"], "metric": m, "numerator": t[n], "denominator": t[d]})
        for t, m, n, d in parts
    )
    out = out[out["denominator"] > 0]
    out["value"] = out["numerator"] / out["denominator"]
    out["wilson_low"], out["wilson_high"] = _wilson(out["numerator"], out["denominator"])
    return out


def overview_unit_movers(f, p):
    c = _calls(f, p, period=False)
    now = _period(c["received_at"], p)
    before = _period(c["received_at"], p, "prev_start", "prev_end")
    c = c[now | before]
    now, before = now[c.index], before[c.index]
    valid = c["callback_result"].isin(VALID)
    weight = _weight(c["callback_result"], p["formula"]) * valid
    parts = pd.DataFrame(
        {
            "valid_replies": valid & now,
            "satisfied": weight * now,
            "prev_valid_replies": valid & before,
            "prev_satisfied": weight * before,
        },
        index=c.index,
    )
    g = parts.groupby(c["unit_id"]).sum().reset_index()
    g["rate"] = g["satisfied"] / g["valid_replies"].where(g["valid_replies"] > 0)
    prev = g["prev_valid_replies"]
    g["prev_rate"] = g["prev_satisfied"] / prev.where(prev > 0)
    g["change"] = g["rate"] - g["prev_rate"]
    g["is_small"] = g[["prev_valid_replies", "valid_replies"]].min(axis=1) < p["min_replies"]
    g["abs_change"] = g["change"].abs()
    g = g.sort_values(
        ["is_small", "abs_change", "unit_id"], ascending=[True, False, True], na_position="last"
    ).head(p["top_n"])
    g["unit_name"] = g["unit_id"].map(f.units.set_index("unit_id")["name"])
    return g


def overview_attention(f, p):
    as_of = pd.Timestamp(p["as_of"])
    k = _cases(f, p)
    open_ = ~k["status"].isin(CLOSED)
    late = k[open_ & k["deadline_at"].notna() & (k["deadline_at"] < as_of)]
    r = _items(f, p)
    r = r[(r["status"] != "已整改") & (r["deadline_on"] < as_of.normalize())]
    c = _calls(f, p)
    rated = _rated(c, c["unit_id"], p["formula"]).reset_index()
    target = float(f.settings.set_index("key")["value"].get("target_satisfaction", np.nan))
    low = rated[
        (rated["valid_replies"] >= p["min_replies"]) & (rated["satisfaction_rate"] < target)
    ]
    parts = [
        late.groupby("unit_id").size().rename("items").reset_index().assign(kind_order=1),
        r.groupby("unit_id").size().rename("items").reset_index().assign(kind_order=2),
        low[["unit_id", "valid_replies", "satisfaction_rate"]]
        .rename(columns={"valid_replies": "items", "satisfaction_rate": "rate"})
        .assign(kind_order=3),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["unit_name"] = out["unit_id"].map(f.units.set_index("unit_id")["name"])
    return out.sort_values(
        ["kind_order", "rate", "items", "unit_id"],
        ascending=[True, True, False, True],
        na_position="first",
    )


def _rect_counts(r: pd.DataFrame, p: dict) -> pd.DataFrame:
    rectified = r["status"] == "已整改"
    as_of = pd.Timestamp(p.get("as_of") or pd.Timestamp.now()).normalize()
    return pd.DataFrame(
        {
            "items": 1,
            "rectified": rectified,
            "long_term": r["status"] == "长期整改",
            "overdue_open": ~rectified & (r["deadline_on"] < as_of),
        },
        index=r.index,
    )


def rectification_summary(f, p):
    r = _items(f, p)
    counts = _rect_counts(r, p)
    counts["in_progress"] = r["status"] == "整改中"
    counts["pending"] = r["status"] == "待整改"
    counts["rectified_late"] = counts["rectified"] & (r["rectified_on"] > r["deadline_on"])
    counts["reviewed"] = r["review_result"].notna()
    row = counts.sum().to_frame().T
    row["rectification_rate"] = row["rectified"] / row["items"].where(row["items"] > 0)
    return row


def rectification_by_unit(f, p):
    r = _items(f, p)
    counts = _rect_counts(r, p)
    g = counts.groupby(r["unit_id"]).sum().reset_index()
    g["rectification_rate"] = g["rectified"] / g["items"]
    first = r[counts["overdue_open"]].groupby("unit_id")["deadline_on"].min()
    # map() casts an empty lookup to float, which a date column refuses.
    g["first_overdue_deadline"] = g["unit_id"].map(first) if len(first) else pd.NaT
    g["unit_name"] = g["unit_id"].map(f.units.set_index("unit_id")["name"])
    return g.sort_values(["rectification_rate", "items", "unit_id"], ascending=[True, False, True])


def rectification_by_source(f, p):
    r = _items(f, p)
    g = _rect_counts(r, p).groupby(r["source"], dropna=False).sum().reset_index()
    g["rectification_rate"] = g["rectified"] / g["items"]
    return g.sort_values(["items", "source"], ascending=[False, True])


def rectification_top_categories(f, p):
    r = _items(f, p)
    g = _rect_counts(r, p)[["items", "rectified"]].groupby(r["category"], dropna=False).sum()
    g = g.reset_index().sort_values(["items", "category"], ascending=[False, True])
    g["rectification_rate"] = g["rectified"] / g["items"]
    return g.head(p["top_n"])


def rectification_review_results(f, p):
    r = _items(f, p)
    r = r[r["status"] == "已整改"]
    g = r.groupby("review_result", dropna=False).size().rename("items").reset_index()
    g["share"] = g["items"] / g["items"].sum()
    return g.sort_values("items", ascending=False)


def rectification_by_month(f, p):
    r = f.rectifications
    r = r[_scope_ok(f, r["unit_id"], p) & _among(r["category"], p.get("categories"))]
    start, end = pd.Timestamp(p["start"]), pd.Timestamp(p["end"])
    found = r.loc[r["found_on"].between(start, end), "found_on"].dt.to_period("M")
    fixed = r.loc[(r["status"] == "已整改") & r["rectified_on"].between(start, end), "rectified_on"]
    g = (
        pd.DataFrame(
            {"found": found.value_counts(), "rectified": fixed.dt.to_period("M").value_counts()}
        )
        .fillna(0)
        .sort_index()
    )
    g["found_to_date"], g["rectified_to_date"] = g["found"].cumsum(), g["rectified"].cumsum()
    return g.reset_index(names="month")


def rectification_overdue_items(f, p):
    r = _items(f, p)
    as_of = pd.Timestamp(p["as_of"]).normalize()
    o = r[(r["status"] != "已整改") & (r["deadline_on"] < as_of)].copy()
    o["working_days_overdue"] = _working_days(f, o["deadline_on"], pd.Series(as_of, index=o.index))
    o = o.sort_values(
        ["working_days_overdue", "deadline_on", "item_id"], ascending=[False, True, True]
    )
    page = o.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    page["unit_name"] = page["unit_id"].map(f.units.set_index("unit_id")["name"])
    page["total_rows"] = len(o.index)
    return page


def rectification_items(f, p):
    r = _items(f, p)
    keep = pd.Series(True, index=r.index) & _among(r["source"], p.get("sources"))
    r = r[keep & _among(r["status"], p.get("statuses"))].copy()
    as_of = pd.Timestamp(p["as_of"]).normalize()
    r["is_overdue"] = (r["status"] != "已整改") & (r["deadline_on"] < as_of)
    if p.get("overdue_only"):
        r = r[r["is_overdue"]]
    page = r.sort_values(["found_on", "item_id"], ascending=[False, True])
    page = page.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    page["working_days_overdue"] = _working_days(
        f, page["deadline_on"], pd.Series(as_of, index=page.index)
    ).where(page["is_overdue"])
    page["unit_name"] = page["unit_id"].map(f.units.set_index("unit_id")["name"])
    page["total_rows"] = len(r.index)
    return page


def _ledger(f: Frames, p: dict) -> pd.DataFrame:
    led = f.report_ledger
    years = led["year"].between(pd.Timestamp(p["start"]).year, pd.Timestamp(p["end"]).year)
    led = led[years & _scope_ok(f, led["station_unit_id"], p)]
    return led.assign(
        is_retained=led["status"] == "保留",
        is_hand_filled=(led["status"] == "保留") & (led["fill_method"] == "手工"),
    )


def _per_station(led: pd.DataFrame) -> pd.DataFrame:
    types = led.groupby(["year", "station_unit_id", "report_name"])[
        ["is_retained", "is_hand_filled"]
    ].any()
    per = types.groupby(["year", "station_unit_id"]).agg(
        listed_types=("is_retained", "size"),
        retained_types=("is_retained", "sum"),
        hand_filled_types=("is_hand_filled", "sum"),
    )
    return per.reset_index()


def report_burden_summary(f, p):
    led = _ledger(f, p)
    per = _per_station(led)
    per["at_line"] = per["retained_types"] >= p["line"]
    y = per.groupby("year").agg(
        stations=("station_unit_id", "size"),
        stations_at_line=("at_line", "sum"),
        retained_types=("retained_types", "sum"),
        hand_filled_types=("hand_filled_types", "sum"),
        max_retained_types=("retained_types", "max"),
    )
    y["depts_listed"] = led.groupby("year")["demanding_dept"].nunique()
    y["demanding_depts"] = led[led["is_retained"]].groupby("year")["demanding_dept"].nunique()
    y["share_at_line"] = y["stations_at_line"] / y["stations"]
    return y.reset_index()


def report_burden_by_station(f, p):
    led = _ledger(f, p)
    per = _per_station(led)
    depts = led[led["is_retained"]].groupby(["year", "station_unit_id"])["demanding_dept"].nunique()
    per = per.merge(
        depts.rename("demanding_depts").reset_index(), how="left", on=["year", "station_unit_id"]
    ).fillna({"demanding_depts": 0})
    units = f.units.set_index("unit_id")
    per["station_name"] = per["station_unit_id"].map(units["name"])
    per["parent_name"] = per["station_unit_id"].map(units["parent_id"]).map(units["name"])
    per["at_or_above_line"] = per["retained_types"] >= p["line"]
    return per.sort_values(
        ["year", "retained_types", "station_unit_id"], ascending=[True, False, True]
    )


def report_burden_by_dept(f, p):
    led = _ledger(f, p)
    kept = led[led["is_retained"]]
    g = led.groupby(["year", "demanding_dept"]).agg(
        listed_demands=("report_name", "size"),
        retained_demands=("is_retained", "sum"),
        hand_filled_demands=("is_hand_filled", "sum"),
    )
    g["retained_types"] = kept.groupby(["year", "demanding_dept"])["report_name"].nunique()
    g["stations"] = kept.groupby(["year", "demanding_dept"])["station_unit_id"].nunique()
    g = g.fillna(0).reset_index()
    g["at_zero"] = g["retained_demands"] == 0
    return g.sort_values(
        ["year", "retained_demands", "demanding_dept"], ascending=[True, False, True]
    )


def report_burden_records(f, p):
    led = _ledger(f, p)
    led = led[
        pd.Series(True, index=led.index)
        & _among(led["demanding_dept"], p.get("depts"))
        & _among(led["status"], p.get("statuses"))
    ].copy()
    led["station_name"] = led["station_unit_id"].map(f.units.set_index("unit_id")["name"])
    page = led.sort_values(
        ["year", "station_name", "station_unit_id", "report_name", "demanding_dept"]
    )
    page = page.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    page["total_rows"] = len(led.index)
    return page


def report_burden_distribution(f, p):
    per = _per_station(_ledger(f, p))
    width = p["bucket_width"]
    rows = []
    for year, group in per.groupby("year"):
        counts = (group["retained_types"] // width).value_counts()
        for low in range(0, int(group["retained_types"].max()) + 1, width):
            rows.append((year, low, low + width - 1, int(counts.get(low // width, 0))))
    return pd.DataFrame(rows, columns=["year", "bucket_low", "bucket_high", "stations"])


def _answers(f: Frames, p: dict) -> pd.DataFrame:
    s = f.survey_responses
    return s[_period(s["submitted_at"], p)]


def survey_participation_by_unit(f, p):
    s = _answers(f, p)
    s = s[(s["respondent_role"].fillna("") != "群众") & _scope_ok(f, s["respondent_unit_id"], p)]
    got = s.groupby(["survey_id", "respondent_unit_id"])["response_id"].nunique()
    got = got.rename("respondents").reset_index().rename(columns={"respondent_unit_id": "unit_id"})
    u = f.units
    u = u[(u["headcount"] > 0) & _scope_ok(f, u["unit_id"], p)]
    pairs = pd.concat(
        [
            pd.MultiIndex.from_product(
                [got["survey_id"].unique(), u["unit_id"]], names=["survey_id", "unit_id"]
            ).to_frame(index=False),
            got[["survey_id", "unit_id"]],
        ]
    ).drop_duplicates()
    out = pairs.merge(got, how="left", on=["survey_id", "unit_id"]).fillna({"respondents": 0})
    heads = f.units.set_index("unit_id")["headcount"]
    out["respondents"] = out["respondents"].astype("float64")
    out["participation_rate"] = out["respondents"] / pd.to_numeric(out["unit_id"].map(heads))
    return out.sort_values(["survey_id", "participation_rate", "unit_id"])


def _share_high(scores: pd.Series) -> float:
    return (scores >= 4).mean()


def survey_scores_by_target(f, p):
    s = _answers(f, p)
    s = s[s["target_unit_id"].notna() & s["score"].notna() & _scope_ok(f, s["target_unit_id"], p)]
    g = s.groupby(["survey_id", "target_unit_id"]).agg(
        respondents=("response_id", "nunique"),
        answers=("score", "size"),
        avg_score=("score", "mean"),
        share_high=("score", _share_high),
    )
    g = g.reset_index()
    g["is_suppressed"] = g["respondents"] < p["min_respondents"]
    return g.sort_values(["survey_id", "is_suppressed", "avg_score"], ascending=[True, True, False])


def _suggestions(f: Frames, p: dict) -> pd.DataFrame:
    s = _answers(f, p)
    text = s["suggestion"].str.strip()
    s = s[text.notna() & (text != "")]
    unit = s["target_unit_id"].fillna(s["respondent_unit_id"])
    return s[_scope_ok(f, unit, p) & _among(s["category"], p.get("categories"))]


def survey_summary(f, p):
    s = f.survey_responses
    s = s[_scope_ok(f, s["respondent_unit_id"], {"scope": p["scope"]})]
    text = s["suggestion"].str.strip()
    s = s.assign(
        has_suggestion=text.notna() & (text != ""), in_period=_period(s["submitted_at"], p)
    )
    g = s.groupby("survey_id").agg(
        first_on=("submitted_at", "min"),
        last_on=("submitted_at", "max"),
        respondents=("response_id", "nunique"),
        suggestions=("has_suggestion", "sum"),
        is_in_period=("in_period", "any"),
    )
    return g.reset_index().sort_values(["first_on", "survey_id"])


def survey_suggestions(f, p):
    s = _suggestions(f, p)
    suppressed = len(s[["survey_id", "response_id"]].drop_duplicates().index) < p["min_respondents"]
    if p.get("search"):
        s = s[
            s["suggestion"].str.contains(p["search"], regex=False)
            | s["category"].str.contains(p["search"], regex=False).fillna(False)
        ]
    page = s.sort_values(
        ["submitted_at", "survey_id", "response_id", "question"],
        ascending=[False, True, True, True],
    )
    page = page.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    page["target_unit_name"] = page["target_unit_id"].map(f.units.set_index("unit_id")["name"])
    page["is_suppressed"] = suppressed
    page["total_rows"] = len(s.index)
    return page


def survey_top_categories(f, p):
    s = _suggestions(f, p)
    s = s[s["category"].notna()]
    g = s.groupby("category").agg(suggestions=("response_id", "size"))
    g["respondents"] = (
        s.drop_duplicates(["category", "survey_id", "response_id"]).groupby("category").size()
    )
    g = g.reset_index()
    g["is_suppressed"] = g["respondents"] < p["min_respondents"]
    return g.sort_values(
        ["is_suppressed", "suggestions", "category"], ascending=[True, False, True]
    ).head(p["top_n"])


def _tokens(f: Frames, p: dict) -> pd.DataFrame:
    t = f.text_tokens
    day = t["day"]
    m = (day >= pd.Timestamp(p["start"])) & (day <= pd.Timestamp(p["end"]))
    m &= _among(t["source"], p.get("sources")) & _scope_ok(f, t["unit_id"], p)
    m &= _among(t["channel"], p.get("channels")) & _among(t["category"], p.get("categories"))
    return t[m]


def keyword_counts(f, p):
    t = _tokens(f, p)
    g = t.groupby("token")["n"].agg(["sum", "size"]).rename(columns={"sum": "n", "size": "records"})
    return g.reset_index().sort_values(["n", "token"], ascending=[False, True]).head(p["top_n"])


def keyword_records(f, p):
    t = _tokens(f, p)
    t = t[t["token"] == p["token"]]
    page = t.sort_values(["n", "day", "source", "record_id"], ascending=[False, False, True, True])
    page = page.iloc[p["offset"] : p["offset"] + p["limit"]].copy()
    k = f.complaints
    k = k[k["case_id"].isin(page.loc[page["source"] == "complaint", "record_id"])]
    c = f.call_records
    c = c[c["record_id"].isin(page.loc[page["source"] == "call_note", "record_id"])]
    texts = pd.concat(
        [
            (k["title"].fillna("") + "\n" + k["content"].fillna("")).set_axis(k["case_id"]),
            c["note"].set_axis(c["record_id"]),
        ]
    )
    page["text"] = page["record_id"].map(texts)
    page["total_rows"] = len(t.index)
    return page


def filter_units(f, p):
    u, c = f.units, f.unit_closure
    tops = u.loc[u["parent_id"].isna(), "unit_id"]
    top = tops.iloc[0] if len(tops.index) == 1 else None
    c = c[c["ancestor_id"] != top].merge(
        u[["unit_id", "name", "short_name"]],
        left_on="ancestor_id",
        right_on="unit_id",
        suffixes=("", "_a"),
    )
    c["piece"] = c["short_name"].fillna(c["name"])
    c = c.sort_values("depth", ascending=False)
    paths = c.groupby("unit_id").agg(label=("piece", " / ".join), depth=("piece", "size"))
    out = u.merge(paths.reset_index(), on="unit_id")
    return out[_scope_ok(f, out["unit_id"], {"scope": p.get("scope", "*")})].sort_values(
        ["label", "unit_id"]
    )


def filter_date_bounds(f, p):
    firsts = [
        f.call_records["received_at"],
        f.complaints["received_at"],
        f.survey_responses["submitted_at"],
        f.rectifications["found_on"],
    ]
    return pd.DataFrame(
        {
            "first_day": [min(s.min() for s in firsts)],
            "last_day": [max(s.max() for s in firsts)],
            "has_data": [True],
        }
    )


def _distinct(*columns: pd.Series) -> pd.DataFrame:
    values = pd.concat(columns).dropna().unique()
    return pd.DataFrame({"value": sorted(values)})


def filter_channels(f, p):
    return _distinct(f.call_records["channel"], f.complaints["channel"])


def filter_categories(f, p):
    return _distinct(
        f.call_records["category"],
        f.complaints["category"],
        f.rectifications["category"],
        f.survey_responses["category"],
    )


def filter_police_types(f, p):
    return _distinct(f.call_records["police_type"], f.units["police_type"])


def settings(f, p):
    return f.settings.sort_values("key")


def data_as_of(f, p):
    rows = [
        ("call_records", len(f.call_records.index), f.call_records["received_at"].max()),
        ("complaints", len(f.complaints.index), f.complaints["received_at"].max()),
        (
            "survey_responses",
            len(f.survey_responses[["survey_id", "response_id"]].drop_duplicates().index),
            f.survey_responses["submitted_at"].max(),
        ),
        ("rectifications", len(f.rectifications.index), f.rectifications["found_on"].max()),
        ("report_ledger", len(f.report_ledger.index), f.report_ledger["year"].max()),
    ]
    return pd.DataFrame(rows, columns=["table_name", "rows", "newest_record_at"])


def import_history(f, p):
    return f.imports.sort_values("import_id", ascending=False).head(p["limit"])


ROUTES = {
    "satisfaction_rate_by_channel": _by("channel"),
    "satisfaction_rate_by_police_type": _by("police_type"),
    "satisfaction_rate_by_month": _by("month"),
    "satisfaction_rate_by_week": _by("week"),
    **{
        fn.__name__: fn
        for fn in (
            satisfaction_summary,
            satisfaction_rate_by_unit,
            records_calls,
            complaint_summary,
            complaint_by_unit,
            complaint_returned_cases,
            complaint_funnel,
            complaint_intake_by_channel_kind,
            complaint_time_to_close,
            complaint_overdue_cases,
            records_complaints,
            overview_kpis,
            overview_trend,
            overview_unit_movers,
            overview_attention,
            rectification_summary,
            rectification_by_unit,
            rectification_by_source,
            rectification_top_categories,
            rectification_review_results,
            rectification_by_month,
            rectification_overdue_items,
            rectification_items,
            report_burden_summary,
            report_burden_records,
            report_burden_by_station,
            report_burden_by_dept,
            report_burden_distribution,
            survey_participation_by_unit,
            survey_scores_by_target,
            survey_summary,
            survey_suggestions,
            survey_top_categories,
            keyword_counts,
            keyword_records,
            filter_units,
            filter_date_bounds,
            filter_channels,
            filter_categories,
            filter_police_types,
            settings,
            data_as_of,
            import_history,
        )
    },
}


# Queries with no pandas twin by choice: the alerts' series and the text-intelligence lists are
# measured against their own targets (the briefing section, python -m bench.intel), not against a
# whole-table pandas route; the unit profile and the assessment are timed as page renders.
DUCKDB_ONLY = frozenset(
    {
        "assessment_unit_values",
        "complaint_top_categories",
        "hot_topics",
        "intel_labelled_rows",
        "intel_review_queue",
        "intel_routing_rules",
        "intel_simulation_cases",
        "intel_simulation_fingerprint",
        "intel_simulation_history",
        "intel_simulation_replay",
        "intel_simulation_texts",
        "intel_unlabelled_rows",
        "keyword_distinctive",
        "keyword_rising",
        "overdue_open_by_week",
        "repeat_complainants",
        "repeat_group_cases",
        "repeat_groups",
        "reply_flagged_cases",
        "reply_flags_by_unit",
        "scope_unit",
        "scope_units",
        "settings_defaults",
        "survey_rounds_opened",
        "unit_minjing_problems",
        "unit_profile_data_as_of",
        "unit_profile_peers",
        "unit_profile_units",
        "unit_weekly_series",
        "upload_unit_chains",
    }
)


def _reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM (Linux), so each query's own peak can be read.
    try:
        with open(f"/proc/{os.getpid()}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def run_plan(f: Frames, plan: list[dict], runs: int) -> list[dict]:
    """Time each planned query's pandas route: p50 and p95 of up to `runs` warm runs."""
    out = []
    for entry in plan:
        route = ROUTES.get(entry["name"])
        if route is None:
            reason = "duckdb only" if entry["name"] in DUCKDB_ONLY else "no pandas route"
            out.append({"key": entry["key"], "error": reason})
            continue
        params = decode(entry["params"])
        _reset_peak()
        try:
            result = route(f, params)
            times: list[float] = []
            spent = 0.0
            while len(times) < runs and (spent < MAX_SECONDS_PER_QUERY or len(times) < 3):
                started = time.perf_counter()
                route(f, params)
                times.append(time.perf_counter() - started)
                spent += times[-1]
            out.append(
                {
                    "key": entry["key"],
                    "rows": len(result.index),
                    "runs": len(times),
                    "peak_mb": round(status_mb(os.getpid(), "VmHWM"), 1),
                    "p50_ms": round(statistics.median(times) * 1000, 2),
                    "p95_ms": round(percentile(times, 95) * 1000, 2),
                }
            )
        except Exception as exc:  # noqa: BLE001 - a broken route is reported per query
            out.append({"key": entry["key"], "error": f"{type(exc).__name__}: {exc}"[:300]})
    return out


def main(argv: list[str]) -> int:
    db, plan_path, out_path, runs = Path(argv[0]), Path(argv[1]), Path(argv[2]), int(argv[3])
    started = time.perf_counter()
    frames = Frames(db)
    loaded = time.perf_counter() - started
    frames_mb = status_mb(os.getpid(), "VmRSS")
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    results = run_plan(frames, plan, runs)
    hwm = max([frames_mb, *(r.get("peak_mb", 0) for r in results)])
    out_path.write_text(
        json.dumps(
            {
                "load_seconds": round(loaded, 2),
                "frames_mb": round(frames_mb, 1),
                "hwm_mb": round(hwm, 1),
                "results": results,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
