"""The shared filter sidebar: date range with presets, unit tree, channel, police type, category.

Every filter widget is bound to the URL (bind="query-params", key = parameter name), so a refresh,
a page switch or a pasted link restores the same view. Widgets are created only in
render_sidebar(), which only the frame calls; pages read the result through current().

The scope of every query is the signed-in account's (pages/ui/gate.py), never the URL's or a
widget's: the unit list offers only the account's unit tree, and a unit in a link that lies outside
it is dropped and audited.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import streamlit as st

from pages.ui import data, gate, labels, labels_cattree

PERIOD_KEY = "flt_period"
DATES_KEY = "flt_dates"
UNITS_KEY = "flt_units"
CHANNELS_KEY = "flt_channels"
POLICE_TYPES_KEY = "flt_police_types"
CATEGORIES_KEY = "flt_categories"
DEFAULT_PRESET = "近12个月"
FORMULAS = ("standard", "strict", "weighted")
# Thresholds used when the settings table does not set them: a unit with fewer valid replies is
# shown with its interval but not ranked; a survey breakdown with fewer respondents is suppressed.
DEFAULT_MIN_REPLIES = 30
DEFAULT_MIN_RESPONDENTS = 5


@dataclass(frozen=True)
class Filters:
    """The view the user chose; params() turns it into the standard query parameters."""

    start: date
    end: date
    preset: str = DEFAULT_PRESET
    unit_ids: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    police_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    formula: str = "standard"
    as_of: datetime | None = None
    min_replies: int = DEFAULT_MIN_REPLIES
    min_respondents: int = DEFAULT_MIN_RESPONDENTS
    scope: str = "*"

    def params(self, **extra: Any) -> dict[str, Any]:
        """Standard query parameters (lists for list filters), overridden and extended by extra."""
        out = {
            "start": self.start,
            "end": self.end,
            "unit_ids": list(self.unit_ids),
            "channels": list(self.channels),
            "police_types": list(self.police_types),
            "categories": list(self.categories),
            "scope": self.scope,
            "formula": self.formula,
            "as_of": self.as_of or datetime.now().replace(microsecond=0),
            "min_replies": self.min_replies,
            "min_respondents": self.min_respondents,
            # Set only by a drill from a per-unit row: that unit without its descendants.
            "exact_unit_id": None,
            # Cases whose category a model inferred: 'include', 'exclude' or 'only' (record lists).
            "inferred": "include",
        }
        out.update(extra)
        return out

    def previous(self) -> Filters:
        """The 环比 period: the previous week/month/quarter/year up to the same day for a calendar
        preset (本月 1–15 → last month 1–15), else the period of the same length just before."""
        months = {"本月": 1, "本季度": 3, "本年": 12}.get(self.preset)
        if months:
            return replace(
                self, start=shift_months(self.start, -months), end=shift_months(self.end, -months)
            )
        length = (self.end - self.start).days + 1
        return replace(
            self,
            start=self.start - timedelta(days=length),
            end=self.end - timedelta(days=length),
        )

    def last_year(self) -> Filters:
        """The 同比 period: the same dates a year earlier (29 Feb → 28 Feb)."""
        return replace(self, start=shift_months(self.start, -12), end=shift_months(self.end, -12))

    def narrowed(self, start: date, end: date) -> Filters:
        """These filters limited to the days from start to end (a drill into one month or week)."""
        return replace(self, start=max(self.start, start), end=min(self.end, end))

    def period_label(self) -> str:
        """The date range as the user reads it."""
        return labels.PERIOD_CAPTION.format(start=self.start.isoformat(), end=self.end.isoformat())


def shift_months(day: date, months: int) -> date:
    """The same day `months` months away, clamped to the length of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def preset_range(preset: str, anchor: date) -> tuple[date, date]:
    """The date range of a preset ending at `anchor` (the newest data day)."""
    if preset == "本周":
        return anchor - timedelta(days=anchor.weekday()), anchor
    if preset == "本月":
        return anchor.replace(day=1), anchor
    if preset == "本季度":
        return date(anchor.year, (anchor.month - 1) // 3 * 3 + 1, 1), anchor
    if preset == "本年":
        return date(anchor.year, 1, 1), anchor
    # 近12个月: twelve calendar months including the anchor's own, so monthly charts have 12 bars.
    return shift_months(anchor.replace(day=1), -11), anchor


def _anchor() -> date:
    # A mistyped future date in one export must not move every preset into the future.
    last_day = data.bounds()["last_day"]
    return min(last_day, date.today()) if last_day else date.today()


def _as_of() -> datetime | None:
    newest = data.bounds()["newest_at"]
    return min(newest, datetime.now().replace(microsecond=0)) if newest else None


def _dates_from_state(value: Any, fallback: tuple[date, date]) -> tuple[date, date]:
    # While a range is being picked the widget returns one date; treat it as a single day.
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(value):
        return min(value), max(value)
    if isinstance(value, (tuple, list)) and len(value) >= 1 and value[0]:
        return value[0], value[0]
    if isinstance(value, date):
        return value, value
    return fallback


def _unit_options() -> dict[str, str]:
    if not data.database_exists():
        return {}
    units = data.fetch("filter_units", scope=gate.scope())
    return dict(zip(units["unit_id"], units["label"]))


def _options(query: str, column: str) -> list[str]:
    if not data.database_exists():
        return []
    return data.fetch(query)[column].tolist()


def _int_setting(settings: dict[str, str], key: str, default: int) -> int:
    try:
        return int(settings.get(key, default))
    except ValueError:
        return default


def current() -> Filters:
    """The filters in effect on this run, read from the sidebar's widget state."""
    state = st.session_state
    preset = state.get(PERIOD_KEY, DEFAULT_PRESET)
    if preset not in labels.PRESETS:
        preset = DEFAULT_PRESET
    default_range = preset_range(DEFAULT_PRESET if preset == labels.CUSTOM else preset, _anchor())
    start, end = (
        _dates_from_state(state.get(DATES_KEY), default_range)
        if preset == labels.CUSTOM
        else default_range
    )
    settings = data.settings()
    formula = settings.get("satisfaction_formula", "standard")
    allowed = _unit_options()
    return Filters(
        start=start,
        end=end,
        preset=preset,
        unit_ids=tuple(u for u in state.get(UNITS_KEY) or () if u in allowed),
        channels=tuple(state.get(CHANNELS_KEY) or ()),
        police_types=tuple(state.get(POLICE_TYPES_KEY) or ()),
        categories=tuple(state.get(CATEGORIES_KEY) or ()),
        formula=formula if formula in FORMULAS else "standard",
        as_of=_as_of(),
        min_replies=_int_setting(settings, "min_replies", DEFAULT_MIN_REPLIES),
        min_respondents=_int_setting(settings, "min_respondents", DEFAULT_MIN_RESPONDENTS),
        scope=gate.scope(),
    )


def _reset() -> None:
    # Bound widgets change only through session state; their defaults also clear the URL.
    st.session_state[PERIOD_KEY] = DEFAULT_PRESET
    for key in (UNITS_KEY, CHANNELS_KEY, POLICE_TYPES_KEY, CATEGORIES_KEY):
        st.session_state[key] = []


def _refuse_units_outside(units: dict[str, str]) -> None:
    """A link naming units the account may not see: say so and audit it (once per link); the
    bound widget then drops them from its value and from the URL."""
    # The URL names a unit by its label (format_func), as the bound widget writes it, or its id.
    outside = sorted(set(st.query_params.get_all(UNITS_KEY)) - set(units) - set(units.values()))
    if not outside:
        return
    st.sidebar.warning(labels.UNITS_OUTSIDE_SCOPE)
    seen = st.session_state.setdefault("flt_refused_units", set())
    if tuple(outside) not in seen:
        seen.add(tuple(outside))
        gate.record("scope_violation", "、".join(outside))


def render_sidebar() -> Filters:
    """Draw the filter widgets in the sidebar (frame only) and return the filters they set."""
    sidebar = st.sidebar
    sidebar.header(labels.SIDEBAR_HEADER)
    preset = sidebar.selectbox(
        labels.PERIOD,
        labels.PRESETS,
        index=labels.PRESETS.index(DEFAULT_PRESET),
        key=PERIOD_KEY,
        bind="query-params",
        help=labels.ANCHOR_HELP,
    )
    if preset == labels.CUSTOM:
        start, end = preset_range(DEFAULT_PRESET, _anchor())
        sidebar.date_input(
            labels.DATES,
            value=(start, end),
            min_value=date(2000, 1, 1),
            max_value=max(date.today(), end),
            key=DATES_KEY,
            bind="query-params",
            format="YYYY-MM-DD",
        )
    units = _unit_options()
    _refuse_units_outside(units)
    sidebar.multiselect(
        labels.UNITS,
        list(units),
        format_func=units.get,
        key=UNITS_KEY,
        bind="query-params",
        placeholder=labels.ALL,
        select_all=False,
        help=labels.UNITS_HELP,
    )
    for title, key, query, column, help_text in (
        (labels.CHANNELS, CHANNELS_KEY, "filter_channels", "channel", None),
        (labels.POLICE_TYPES, POLICE_TYPES_KEY, "filter_police_types", "police_type", None),
        # Parents of the bureau's category tree are offered too (queries/filter_categories.sql).
        (
            labels.CATEGORIES,
            CATEGORIES_KEY,
            "filter_categories",
            "category",
            labels_cattree.CATEGORIES_HELP,
        ),
    ):
        sidebar.multiselect(
            title,
            _options(query, column),
            key=key,
            bind="query-params",
            placeholder=labels.ALL,
            select_all=False,
            help=help_text,
        )
    sidebar.button(labels.RESET, on_click=_reset, key="flt_reset", width="stretch")
    chosen = current()
    sidebar.caption(chosen.period_label())
    newest = data.bounds()["newest_at"]
    sidebar.caption(
        labels.DATA_AS_OF.format(when=newest.strftime("%Y-%m-%d %H:%M"))
        if newest
        else labels.NO_DATA_AS_OF
    )
    return chosen
