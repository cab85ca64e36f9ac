"""总览's 「生成周报」 (the briefing for the current filters, as Word or PDF, audited) and its alerts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from auth import audit
from briefing import make
from briefing import period as periods
from pages.ui import gate, tables
from pages.ui import labels_briefing as labels
from pages.ui.filters import Filters
from queries import db

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHOICES = 12  # weeks or months offered, newest first


def base_params(f: Filters) -> dict[str, Any]:
    """The briefing's query parameters: the page's filters, in the signed-in account's scope."""
    params = f.params()
    return {
        k: params[k]
        for k in (
            "unit_ids",
            "channels",
            "police_types",
            "categories",
            "formula",
            "min_replies",
            "min_respondents",
            "exact_unit_id",
        )
        if k in params
    } | {"scope": gate.scope()}


def offer(f: Filters) -> None:
    """Pick a week or a month ending by the filters' last day; download it as DOCX or PDF."""
    with st.expander(labels.BRIEFING, icon=":material/description:"):
        st.caption(labels.BRIEFING_CAPTION)
        kind = (
            st.segmented_control(
                labels.KIND,
                list(labels.KINDS),
                default="week",
                format_func=labels.KINDS.get,
                key="ov_briefing_kind",
            )
            or "week"
        )
        options = _weeks(f.end) if kind == "week" else _months(f.end)
        period = st.selectbox(labels.WHICH, options, format_func=_option, key="ov_briefing_period")
        base, masked = base_params(f), not gate.sees_personal_data()
        who, client = gate.username(), gate.client()
        stem = f"民意工作{period.document_name}_{period.slug}"
        filters = _describe(base)

        def made(fmt: str):
            def build() -> bytes:
                doc = make.document(period, base=base, masked=masked)
                audit.record(
                    "briefing",
                    username=who,
                    client=client,
                    detail=labels.AUDIT_DETAIL.format(
                        file=f"{stem}.{fmt}", period=period.label, filters=filters
                    ),
                )
                return make.render(doc, fmt)

            return build

        row = st.container(horizontal=True, gap="small")
        row.download_button(
            labels.DOWNLOAD_DOCX,
            made("docx"),
            file_name=f"{stem}.docx",
            mime=DOCX_MIME,
            on_click="ignore",
            key="ov_briefing_docx",
            icon=":material/download:",
        )
        row.download_button(
            labels.DOWNLOAD_PDF,
            made("pdf"),
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            on_click="ignore",
            key="ov_briefing_pdf",
            icon=":material/download:",
        )


def alerts(f: Filters) -> tuple[str, dict[str, Any], str] | None:
    """The alerts at the filters' last day; the chosen one's records as (query, params, what)."""
    st.markdown(f"**{labels.ALERTS}**")
    st.caption(labels.ALERTS_CAPTION.format(end=f.end.isoformat()))
    period = periods.days(f.start, f.end)
    found = _alerts(_identity(), period.start, period.end, base_params(f))
    if not found:
        st.success(labels.NO_ALERTS)
        return None
    frame = pd.DataFrame(found)
    shown = frame[list(labels.ALERT_COLUMNS)].assign(rule=frame["rule"].map(labels.RULES))
    chosen = tables.show(shown.rename(columns=labels.ALERT_COLUMNS), key="ov_alerts", select=True)
    if chosen.empty:
        return None
    alert = found[int(chosen.index[0])]
    extra = {
        k: date.fromisoformat(v) if k in ("start", "end") else v
        for k, v in alert["records"]["params"].items()
    }
    return alert["records"]["query"], f.params(**extra), f"{alert['where']} · {alert['what']}"


# identity is in the signature so that a newly loaded warehouse changes the cache key; base
# carries the account's scope, so one tree's alerts are never served to another (docs/pitfalls.md S5).
@st.cache_data(ttl="1h", max_entries=200, show_spinner=False)
def _alerts(identity: tuple, start: date, end: date, base: dict[str, Any]) -> list[dict]:
    return [asdict(a) for a in make.alerts(periods.days(start, end), base=base)]


def _identity() -> tuple:
    """The warehouse's identity and the configuration store's (an admin's saved rule counts)."""
    config = db.config_path()
    return (db.file_identity(db.db_path()), db.file_identity(config) if config.exists() else None)


def _weeks(end: date) -> list[periods.Period]:
    last = periods.last_full_week(end + timedelta(days=1))
    return [
        periods.week(*(last.start - timedelta(weeks=n)).isocalendar()[:2]) for n in range(CHOICES)
    ]


def _months(end: date) -> list[periods.Period]:
    first = end.replace(day=1)
    out = []
    for _ in range(CHOICES):
        out.append(periods.month(first))
        first = (first - timedelta(days=1)).replace(day=1)
    return out


def _option(period: periods.Period) -> str:
    if period.kind == "week":
        return labels.WEEK_OPTION.format(number=period.start.isocalendar()[1], label=period.label)
    return labels.MONTH_OPTION.format(year=period.start.year, month=period.start.month)


def _describe(base: dict[str, Any]) -> str:
    parts = [
        f"{name} {'、'.join(base[key]) if base.get(key) else labels.ALL}"
        for key, name in labels.FILTER_PARTS.items()
    ]
    return "，".join(parts) + f"，范围 {base['scope']}"
