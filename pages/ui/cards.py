"""KPI cards: value, target with red/amber/green, 环比 and 同比, and the formula behind the figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import pandas as pd
import streamlit as st

from pages.ui import charts, data, labels

Kind = Literal["pct", "count", "days"]
# Amber is "close to target": within 2 percentage points for a rate, within 10% of the target
# for a count or a number of days. Beyond that the card is red.
AMBER_PCT_POINTS = 0.02
AMBER_RELATIVE = 0.10
_BADGE_COLORS = {"green": "green", "amber": "orange", "red": "red"}


def fmt(value: float | None, kind: Kind) -> str:
    """A KPI value as shown on a card."""
    if charts.is_missing(value):
        return labels.NONE
    if kind == "pct":
        return charts.pct(value)
    if kind == "days":
        return f"{value:.1f}{labels.DAYS}"
    return charts.number(value)


def status(
    value: float | None, target: float | None, *, kind: Kind = "pct", higher_is_better: bool = True
) -> str | None:
    """green (target met), amber (close), red (far off), or None when there is nothing to judge."""
    if charts.is_missing(value) or charts.is_missing(target):
        return None
    gap = (value - target) if higher_is_better else (target - value)
    if gap >= 0:
        return "green"
    tolerance = AMBER_PCT_POINTS if kind == "pct" else abs(target) * AMBER_RELATIVE
    return "amber" if -gap <= tolerance else "red"


def delta(value: float | None, before: float | None, kind: Kind) -> str | None:
    """The change against an earlier figure: percentage points for rates, % for counts."""
    if charts.is_missing(value) or charts.is_missing(before):
        return None
    if kind == "pct":
        return f"{(value - before) * 100:+.1f}{labels.PP}"
    if kind == "days":
        return f"{value - before:+.1f}{labels.DAYS}"
    if before == 0:
        return f"{value - before:+,.0f}"
    return f"{(value - before) / abs(before) * 100:+.1f}%"


def _when(as_of: date | datetime | str | None) -> str:
    if charts.is_missing(as_of):
        return labels.NONE
    if isinstance(as_of, str):
        return as_of[:16]
    if isinstance(as_of, date) and not isinstance(as_of, datetime):
        return as_of.isoformat()
    return pd.Timestamp(as_of).strftime("%Y-%m-%d %H:%M")


def explanation(
    formula: str,
    numerator: float | None,
    denominator: float | None,
    as_of: date | datetime | str | None,
    period: str = "",
) -> str:
    """The Markdown that explains a figure: formula, numerator, denominator, 数据截至."""
    lines = [formula] if formula else []
    if not charts.is_missing(numerator):
        lines.append(f"{labels.NUMERATOR}：{charts.number(numerator)}")
    if not charts.is_missing(denominator):
        lines.append(f"{labels.DENOMINATOR}：{charts.number(denominator)}")
    if period:
        lines.append(f"{labels.PERIOD_LABEL}：{period}")
    lines.append(f"{labels.AS_OF}：{_when(as_of)}")
    return "  \n".join(lines)


def kpi(
    label: str,
    value: float | None,
    *,
    target: float | None = None,
    previous: float | None = None,
    last_year: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    formula: str = "",
    as_of: date | datetime | str | None = None,
    kind: Kind = "pct",
    higher_is_better: bool = True,
    period: str = "",
    trend: Sequence[float] | None = None,
) -> None:
    """Render one KPI card in the current container."""
    explain = explanation(formula, numerator, denominator, as_of, period)
    color = "normal" if higher_is_better else "inverse"
    mom = delta(value, previous, kind)
    with st.container(border=True):
        st.metric(
            label,
            fmt(value, kind),
            delta=mom,
            delta_color=color,
            delta_description=labels.MOM if mom else None,
            help=explain,
            chart_data=list(trend) if trend is not None and len(trend) > 1 else None,
        )
        yoy = delta(value, last_year, kind)
        parts = [
            labels.TARGET.format(value=fmt(target, kind))
            if not charts.is_missing(target)
            else labels.NO_TARGET,
            labels.VS.format(name=labels.YOY, delta=yoy)
            if yoy
            else labels.NOT_COMPARABLE.format(name=labels.YOY),
        ]
        if not mom:
            parts.append(labels.NOT_COMPARABLE.format(name=labels.MOM))
        state = status(value, target, kind=kind, higher_is_better=higher_is_better)
        row = st.container(horizontal=True, gap="small", vertical_alignment="center")
        if state:
            row.badge(labels.STATUS[state], color=_BADGE_COLORS[state])
        row.caption(" · ".join(parts))
        with st.expander(labels.EXPLAIN):
            st.markdown(explain)


@dataclass(frozen=True)
class Card:
    """A KPI card read from a one-row summary: the columns of its value, numerator, denominator,
    and the settings key of its target (e.g. target_closure)."""

    label: str
    value: str
    formula: str = ""
    numerator: str | None = None
    denominator: str | None = None
    kind: Kind = "pct"
    higher_is_better: bool = True
    target: str | None = None


def row(
    specs: Sequence[Card],
    now: Mapping[str, Any],
    before: Mapping[str, Any],
    year_ago: Mapping[str, Any],
    *,
    period: str = "",
    as_of: date | datetime | str | None = None,
    trends: Mapping[str, Sequence[float]] | None = None,
    **formula_args: Any,
) -> None:
    """A row of cards comparing one summary row (now) with the 环比 and 同比 rows; formula texts
    are filled with formula_args, trends maps a value column to its sparkline."""
    for column, card in zip(st.columns(len(specs)), specs):
        with column:
            kpi(
                card.label,
                now.get(card.value),
                target=data.target(card.target) if card.target else None,
                previous=before.get(card.value),
                last_year=year_ago.get(card.value),
                numerator=now.get(card.numerator) if card.numerator else None,
                denominator=now.get(card.denominator) if card.denominator else None,
                formula=card.formula.format(**formula_args),
                as_of=as_of,
                kind=card.kind,
                higher_is_better=card.higher_is_better,
                period=period,
                trend=(trends or {}).get(card.value),
            )
