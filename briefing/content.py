"""The briefing's content: every figure from a named query (the same ones the pages run), for
one unit tree and period, compared with the previous period and the same period last year.

Sections in the order the county platform's weekly report to the leadership meeting used:
一、总体情况 二、民意诉求 三、满意度 四、重点问题 五、整改 六、需要关注 附：口径说明.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import duckdb
import pandas as pd

import queries
from assess import score, store
from assess.report import summary_line
from assess.values import unit_values
from briefing import alerts, charts
from briefing.document import Chart, Document, Heading, Paragraph, Table
from briefing.period import Period
from briefing.wording import count, kpi_sentence, listing, missing, pct, points
from etl import masking
from pages.ui import labels

HEADLINE = (
    "satisfaction",
    "reply_rate",
    "closure",
    "on_time",
    "callback_satisfaction",
    "routing_automation",
    "rectification",
    "participation",
)
LIST_ROWS = 10  # rows of a list (overdue cases, items) printed; the rest counted


@dataclass
class Source:
    """Runs named queries for one unit tree and filter set; periods vary per call."""

    con: duckdb.DuckDBPyConnection
    base: dict[str, Any]  # scope, unit_ids, channels, police_types, categories, formula, …
    masked: bool
    now: datetime
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # an admin's alert settings
    assessment: store.Version | None = None  # the 考核方案 in force; None: no assessment line

    def frame(self, name: str, period: Period, **extra: Any) -> pd.DataFrame:
        frame = self.counts(name, period, **extra)
        return masking.mask_frame(frame) if self.masked else frame

    def counts(self, name: str, period: Period, **extra: Any) -> pd.DataFrame:
        """A named query's result unmasked: for figures per unit or category, with no text to mask."""
        params = {
            **self.base,
            "start": period.start,
            "end": period.end,
            "as_of": self.as_of(period),
            **extra,
        }
        return queries.run(self.con, name, **params)

    def row(self, name: str, period: Period, **extra: Any) -> dict[str, Any]:
        frame = self.frame(name, period, **extra)
        return frame.iloc[0].to_dict() if not frame.empty else {}

    def as_of(self, period: Period) -> datetime:
        """Deadlines are judged at the end of the period, or now for a period not yet over."""
        return min(self.now, datetime.combine(period.end + timedelta(days=1), time()))


def build(source: Source, period: Period, today: date) -> Document:
    """The whole briefing for `period`."""
    issuer = source.row("scope_unit", period)
    issuer_name = issuer.get("name") or "公安局"
    doc = Document(
        title=f"{issuer_name}民意工作{period.document_name}{period.title}",
        issuer=issuer_name,
        period_label=period.label,
        made_on=f"{today.year}年{today.month}月{today.day}日",
    )
    kpis = {
        p: source.frame("overview_kpis", p).set_index("metric")
        for p in (period, period.previous(), period.last_year())
    }
    _overall(doc, source, period, kpis)
    _complaints(doc, source, period)
    _satisfaction(doc, source, period)
    _key_problems(doc, source, period)
    _rectification(doc, source, period)
    _attention(doc, source, period)
    _definitions(doc, source, period, kpis[period])
    return doc


def _overall(doc: Document, source: Source, period: Period, kpis) -> None:
    doc.add(Heading("一、总体情况"))
    now, before, year_ago = kpis[period], kpis[period.previous()], kpis[period.last_year()]
    for metric in HEADLINE:
        if metric not in now.index:
            continue
        row = now.loc[metric].to_dict()
        doc.add(
            Paragraph(
                kpi_sentence(
                    metric,
                    row["label"],
                    row,
                    before.loc[metric].to_dict() if metric in before.index else None,
                    year_ago.loc[metric].to_dict() if metric in year_ago.index else None,
                    period.previous_name,
                )
            )
        )
    cases = source.row("complaint_summary", period)
    previous = source.row("complaint_summary", period.previous())
    doc.add(
        Paragraph(
            f"本期受理的诉求中{labels.KPI_OVERDUE_OPEN} {count(cases.get('overdue_open'))} 件"
            f"（{period.previous_name} {count(previous.get('overdue_open'))} 件）。"
        )
    )
    doc.add(Chart(charts.trend(_trend(source, period)), "满意率走势（虚线为目标）"))
    _assessment(doc, source, period)


def _assessment(doc: Document, source: Source, period: Period) -> None:
    """The best and worst stations under the scheme in force (assess/), when any are ranked."""
    if source.assessment is None:
        return
    line = _int_setting(source, "report_burden_line", 150)
    values = unit_values(lambda name, **_: source.frame(name, period, line=line), {})
    scores, _ = score.score_units(values, source.assessment.scheme)
    sentence = summary_line(scores, source.assessment.scheme.name, source.assessment.version)
    if sentence:
        doc.add(Paragraph(sentence))


def _int_setting(source: Source, key: str, default: int) -> int:
    settings = queries.run(source.con, "settings")
    value = dict(zip(settings["key"], settings["value"])).get(key)
    return int(float(value)) if value not in (None, "") else default


def _trend(source: Source, period: Period) -> pd.DataFrame:
    """Weekly satisfaction over the 12 weeks to the period's end (months for a month or longer)."""
    if period.kind == "week" or period.days < 28:
        span = Period(period.end - timedelta(weeks=12) + timedelta(days=1), period.end, "range")
        frame = source.frame("satisfaction_rate_by_week", span).rename(columns={"week": "at"})
    else:
        start = date(period.end.year - 1, period.end.month, 1) + timedelta(days=31)
        span = Period(start.replace(day=1), period.end, "range")
        frame = source.frame("satisfaction_rate_by_month", span).rename(columns={"month": "at"})
    target = source.frame("overview_kpis", period).set_index("metric")["target"]
    frame.attrs["target"] = target.get("satisfaction")
    return frame


def _complaints(doc: Document, source: Source, period: Period) -> None:
    doc.add(Heading("二、民意诉求"))
    intake = source.frame("complaint_intake_by_channel_kind", period)
    summary = source.row("complaint_summary", period)
    received = int(summary.get("received") or 0)
    if not received:
        doc.add(Paragraph("本期未受理民意诉求。"))
        return
    by_channel = (
        intake.groupby("channel", sort=False)["received"].sum().sort_values(ascending=False)
    )
    by_kind = intake.groupby("kind", sort=False)["received"].sum().sort_values(ascending=False)
    doc.add(
        Paragraph(
            f"本期受理民意诉求 {count(received)} 件。按渠道：{listing(list(by_channel.items()))}；"
            f"按类型：{listing(list(by_kind.items()))}。"
        )
    )
    doc.add(
        Paragraph(
            f"办结 {count(summary['closed'])} 件，办结率 {pct(summary['closure_rate'])}；"
            f"按期办结 {count(summary['on_time'])} 件，按期办结率 {pct(summary['on_time_rate'])}；"
            f"超期 {count(summary['overdue'])} 件，其中尚未办结 {count(summary['overdue_open'])} 件；"
            f"退回、改派 {count(summary['returned_or_reassigned'])} 件；"
            f"重复诉求 {count(summary['repeat_cases'])} 件（重复率 {pct(summary['repeat_rate'])}）。"
        )
    )
    overdue = source.frame(
        "complaint_overdue_cases", period, open_only=False, limit=LIST_ROWS, offset=0
    )
    if not overdue.empty:
        doc.add(
            Table(
                ["编号", "受理时间", "渠道", "标题", "承办单位", "状态", "超期工作日"],
                [
                    [
                        str(r.case_id),
                        _day(r.received_at),
                        str(r.channel),
                        str(r.title or ""),
                        str(r.unit_name or ""),
                        str(r.status),
                        count(r.working_days_overdue),
                    ]
                    for r in overdue.itertuples()
                ],
                caption=_more("超期诉求", overdue),
            )
        )
    returned = source.frame("complaint_returned_cases", period, kinds=[], limit=5, offset=0)
    if not returned.empty:
        doc.add(
            Table(
                ["编号", "标题", "首次交办", "最终承办", "退回", "改派"],
                [
                    [
                        str(r.case_id),
                        str(r.title or ""),
                        str(r.first_unit_name or ""),
                        str(r.handling_unit_name or ""),
                        count(r.returns),
                        count(r.reassignments),
                    ]
                    for r in returned.itertuples()
                ],
                caption=_more("退回、改派的诉求", returned),
            )
        )


def _satisfaction(doc: Document, source: Source, period: Period) -> None:
    doc.add(Heading("三、满意度"))
    channels = source.frame("satisfaction_rate_by_channel", period)
    if channels.empty:
        doc.add(Paragraph("本期没有回访记录。"))
        return
    doc.add(
        Table(
            ["渠道", "回访记录", "有效回访", "满意率", "有效回访率"],
            [
                [
                    str(r.channel),
                    count(r.records),
                    count(r.valid_replies),
                    pct(r.satisfaction_rate),
                    pct(r.reply_rate),
                ]
                for r in channels.itertuples()
            ],
            caption="按渠道的满意率",
        )
    )
    previous = period.previous()
    movers = source.frame(
        "overview_unit_movers", period, prev_start=previous.start, prev_end=previous.end, top_n=6
    ).dropna(subset=["change"])
    if not movers.empty:
        words = [
            f"{r.unit_name} {pct(r.rate)}（{points(r.change)}{'，样本少' if r.is_small else ''}）"
            for r in movers.itertuples()
        ]
        doc.add(
            Paragraph(
                f"较{period.previous_name}变化最大的单位：" + "；".join(words) + "。"
                f"样本少：任一期有效回访少于 {source.base['min_replies']} 条，仅供参考。"
            )
        )
    units = source.frame("satisfaction_rate_by_unit", period)
    ranked = units[~units["is_small"].astype(bool)]
    if not ranked.empty:
        doc.add(Chart(charts.unit_bar(ranked), "各单位满意率（有效回访达到最少条数的单位）"))
    small = int(units["is_small"].astype(bool).sum())
    if small:
        doc.add(
            Paragraph(
                f"另有 {small} 个单位有效回访少于 {source.base['min_replies']} 条，未参加排名。"
            )
        )


def _key_problems(doc: Document, source: Source, period: Period) -> None:
    doc.add(Heading("四、重点问题"))
    top = source.frame("complaint_top_categories", period, top_n=5)
    if top.empty:
        doc.add(Paragraph("本期没有分类的诉求。"))
    else:
        doc.add(
            Table(
                ["问题类别", "诉求件数", "占比", "已办结", "超期未办结", "重复诉求"],
                [
                    [
                        str(r.category or "未分类"),
                        count(r.cases),
                        pct(r.share),
                        count(r.closed),
                        count(r.overdue_open),
                        count(r.repeat_cases),
                    ]
                    for r in top.itertuples()
                ],
                caption="诉求最多的问题类别",
            )
        )
    groups = source.frame("repeat_groups", period, limit=5, offset=0)
    if not groups.empty:
        doc.add(
            Table(
                ["首件标题", "件数", "渠道", "首次", "最近", "涉及单位", "未办结"],
                [
                    [
                        str(r.first_title or ""),
                        count(r.cases),
                        _few(r.channels),
                        _day(r.first_received_at),
                        _day(r.last_received_at),
                        _few(r.units, "个单位"),
                        count(r.open_cases),
                    ]
                    for r in groups.itertuples()
                ],
                caption=_more("重复诉求（同一事项多次反映，跨渠道归并）", groups),
            )
        )
    survey = source.frame("survey_top_categories", period, top_n=5)
    survey = survey[~survey["is_suppressed"].astype(bool)] if not survey.empty else survey
    if not survey.empty:
        doc.add(
            Paragraph(
                "警意调查反映最多的问题："
                + "、".join(
                    f"{r.category}（{count(r.suggestions)} 条）" for r in survey.itertuples()
                )
                + "。"
            )
        )


def _rectification(doc: Document, source: Source, period: Period) -> None:
    doc.add(Heading("五、整改"))
    summary = source.row("rectification_summary", period)
    if not summary.get("items"):
        doc.add(Paragraph("本期没有新发现的问题。"))
        return
    doc.add(
        Paragraph(
            f"本期发现问题 {count(summary['items'])} 个，已整改 {count(summary['rectified'])} 个，"
            f"整改率 {pct(summary['rectification_rate'])}；整改中 {count(summary['in_progress'])} 个，"
            f"待整改 {count(summary['pending'])} 个，长期整改 {count(summary['long_term'])} 个；"
            f"超期未整改 {count(summary['overdue_open'])} 个。"
        )
    )
    overdue = source.frame("rectification_overdue_items", period, limit=LIST_ROWS, offset=0)
    if not overdue.empty:
        doc.add(
            Table(
                ["编号", "单位", "类别", "问题", "整改期限", "状态", "超期工作日"],
                [
                    [
                        str(r.item_id),
                        str(r.unit_name or ""),
                        str(r.category or ""),
                        str(r.description or ""),
                        _day(r.deadline_on),
                        str(r.status),
                        count(r.working_days_overdue),
                    ]
                    for r in overdue.itertuples()
                ],
                caption=_more("超期未整改的问题", overdue),
            )
        )


def _attention(doc: Document, source: Source, period: Period) -> None:
    doc.add(Heading("六、需要关注"))
    found = alerts.evaluate(source, period)
    if not found:
        doc.add(Paragraph("本期没有触发预警。"))
    for alert in found:
        if alert.rule != "rectification_overdue":
            doc.add(Paragraph(f"{alert.where}：{alert.what}（自{alert.since}起）。"))
    # One line per unit with an overdue item would fill the page: they read as one list.
    items = [a for a in found if a.rule == "rectification_overdue"]
    if items:
        doc.add(
            Paragraph(
                "整改超期未完成："
                + "；".join(f"{a.where} {a.count} 项（最早期限 {a.since}）" for a in items)
                + "。"
            )
        )


def _definitions(doc: Document, source: Source, period: Period, kpis: pd.DataFrame) -> None:
    doc.add(Heading("附：口径说明"))
    formula = labels.FORMULAS.get(source.base["formula"], source.base["formula"])
    for metric in HEADLINE:
        if metric not in kpis.index:
            continue
        row = kpis.loc[metric]
        doc.add(
            Paragraph(
                labels.KPI_FORMULAS[metric].format(formula=formula)
                + f"。本期分子 {count(row['numerator'])}，分母 {count(row['denominator'])}。"
            )
        )
    doc.add(
        Paragraph(
            f"{labels.KPI_OVERDUE_OPEN}：{labels.FORMULA_OVERDUE_OPEN}，"
            f"以 {source.as_of(period):%Y-%m-%d %H:%M} 为准。"
        )
    )
    freshness = source.frame("data_as_of", period)
    parts = [
        f"{_SOURCES.get(r.table_name, r.table_name)} {_day(r.newest_record_at)}"
        for r in freshness.itertuples()
        if not missing(r.newest_record_at)
    ]
    doc.add(Paragraph("数据截至：" + "；".join(parts) + "。"))


_SOURCES = {
    "call_records": "回访记录",
    "complaints": "民意诉求",
    "survey_responses": "警意调查",
    "rectifications": "整改台账",
    "report_ledger": "报表台账",
}


def _day(value: Any) -> str:
    return "" if missing(value) or value is pd.NaT else pd.Timestamp(value).strftime("%Y-%m-%d")


def _few(joined: Any, unit: str = "个", keep: int = 3) -> str:
    """A、B、C、D、E -> A、B、C 等 5 个: a table cell stays a line or two."""
    names = [] if missing(joined) else str(joined).split("、")
    if len(names) <= keep:
        return "、".join(names)
    return "、".join(names[:keep]) + f" 等 {len(names)} {unit}"


def _more(caption: str, frame: pd.DataFrame) -> str:
    total = int(frame["total_rows"].iloc[0]) if "total_rows" in frame else len(frame)
    return caption if total <= len(frame) else f"{caption}（共 {total} 条，列出前 {len(frame)} 条）"
