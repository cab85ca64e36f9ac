"""The period a briefing covers: an ISO week, a calendar month or a range of days, with the
period it is compared with (上周/上月/上期) and the same period a year earlier (同期)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """Inclusive days start..end; kind is week, month or range."""

    start: date
    end: date
    kind: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before: last week, last month, or the same number of days before."""
        if self.kind == "month":
            return month(_shift_month(self.start, -1))
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.kind
        )

    def last_year(self) -> Period:
        """The same period a year earlier: the same ISO week, month, or dates."""
        if self.kind == "week":
            year, number, _ = self.start.isocalendar()
            return week(year - 1, min(number, _weeks_in(year - 1)))
        if self.kind == "month":
            return month(_shift_month(self.start, -12))
        return Period(_year_earlier(self.start), _year_earlier(self.end), self.kind)

    @property
    def title(self) -> str:
        """The part of the document title that names the period: （第48周）, （2026年11月）."""
        if self.kind == "week":
            return f"（第{self.start.isocalendar()[1]}周）"
        if self.kind == "month":
            return f"（{self.start.year}年{self.start.month}月）"
        return f"（{self.start.isoformat()}至{self.end.isoformat()}）"

    @property
    def document_name(self) -> str:
        return {"week": "周报", "month": "月报"}.get(self.kind, "简报")

    @property
    def previous_name(self) -> str:
        """How a sentence names the comparison period: 较上周, 较上月, 较上期."""
        return {"week": "上周", "month": "上月"}.get(self.kind, "上期")

    @property
    def label(self) -> str:
        """The period as a reader reads it: 2026年11月23日至11月29日."""
        end = f"{self.end.month}月{self.end.day}日"
        if self.end.year != self.start.year:
            end = f"{self.end.year}年{end}"
        return f"{self.start.year}年{self.start.month}月{self.start.day}日至{end}"

    @property
    def slug(self) -> str:
        """For file names: 2026-W48, 2026-11, 2026-11-01_2026-11-30."""
        if self.kind == "week":
            year, number, _ = self.start.isocalendar()
            return f"{year}-W{number:02d}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def week(year: int, number: int) -> Period:
    """ISO week `number` of `year` (Monday to Sunday)."""
    start = date.fromisocalendar(year, number, 1)
    return Period(start, start + timedelta(days=6), "week")


def month(day: date) -> Period:
    """The calendar month that contains `day`."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), "month")


def days(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(f"结束日期 {end} 早于开始日期 {start}")
    return Period(start, end, "range")


def parse_week(text: str) -> Period:
    """2026-W48 (also 2026W48, 2026-w48)."""
    match = re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", text.strip())
    if not match:
        raise ValueError(f"周的写法应为 2026-W48，得到 {text!r}")
    year, number = int(match[1]), int(match[2])
    if not 1 <= number <= _weeks_in(year):
        raise ValueError(f"{year} 年没有第 {number} 周")
    return week(year, number)


def parse_month(text: str) -> Period:
    """2026-11."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"月的写法应为 2026-11，得到 {text!r}")
    return month(date(int(match[1]), int(match[2]), 1))


def last_full_week(today: date) -> Period:
    """The last Monday-to-Sunday week that has ended before `today`."""
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(days=7)
    return Period(start, start + timedelta(days=6), "week")


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
