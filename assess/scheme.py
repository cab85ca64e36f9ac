"""An assessment scheme (考核方案): which metrics count, with what weight and scoring rule, for which
unit types. Plain data, checked here; kept as JSON in the configuration store (assess/store.py).

Metrics are those of docs/metrics.md, read per unit from queries/assessment_unit_values.sql and
report_burden_by_station.sql (assess/values.py); METRICS says which column holds each value, which
holds the sample it rests on, and which counts its events for points-per-event scoring (计点赋分).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field

from assess import wording

LINEAR = "linear"  # full points at the target, none at the floor, in a straight line between
PER_EVENT = "per_event"  # full points less a fixed deduction per event (计点赋分), never below 0
RULES = (LINEAR, PER_EVENT)


@dataclass(frozen=True)
class Metric:
    label: str
    column: str  # the value in the unit's row
    sample: str  # the count the value rests on; under the indicator's minimum it is neutralised
    kind: str  # pct (0–1) | per_mille | count: how the value reads
    higher_is_better: bool
    events: str | None = None  # the count points-per-event scoring deducts for


METRICS: dict[str, Metric] = {
    "satisfaction": Metric("满意率", "satisfaction_rate", "valid_replies", "pct", True),
    "reply_rate": Metric("回访率", "reply_rate", "records", "pct", True),
    "closure": Metric("办结率", "closure_rate", "received", "pct", True),
    "on_time": Metric("按期办结率", "on_time_rate", "closed", "pct", True),
    "overdue": Metric("每千件超期", "overdue_per_1000", "received", "per_mille", False, "overdue"),
    "repeat": Metric("重复诉求率", "repeat_rate", "received", "pct", False, "repeat_cases"),
    "rectification": Metric("整改率", "rectification_rate", "items", "pct", True),
    "rectification_overdue": Metric(
        "整改超期", "overdue_items", "items", "count", False, "overdue_items"
    ),
    "report_burden": Metric("保留报表种类", "retained_types", "listed_types", "count", False),
}


class SchemeError(ValueError):
    """A scheme that cannot score (unknown metric, no weight, floor equal to target …); nothing
    is saved. The message is for the admin, in Chinese."""


@dataclass(frozen=True)
class Indicator:
    metric: str
    weight: float  # points at full marks
    rule: str = LINEAR
    floor: float | None = None  # linear: the value worth no points
    target: float | None = (
        None  # linear: the value worth full points (below floor: lower is better)
    )
    per_event: float | None = None  # per_event: points deducted per event
    min_sample: int = 0  # fewer in the metric's sample: neutralised, neither gains nor costs
    unit_types: tuple[str, ...] = ()  # the unit types it applies to

    @property
    def label(self) -> str:
        return METRICS[self.metric].label


@dataclass(frozen=True)
class Scheme:
    name: str
    indicators: tuple[Indicator, ...] = field(default_factory=tuple)

    def unit_types(self) -> list[str]:
        """The unit types some indicator applies to, in the order the indicators name them."""
        return list(dict.fromkeys(t for i in self.indicators for t in i.unit_types))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Scheme:
        raw = json.loads(text)
        return cls(
            name=raw["name"],
            indicators=tuple(
                Indicator(**{**i, "unit_types": tuple(i.get("unit_types", ()))})
                for i in raw["indicators"]
            ),
        )


def _number(value: float | None) -> bool:
    return value is not None and not math.isnan(float(value))


def validate(scheme: Scheme) -> Scheme:
    """The scheme itself when it can score every unit it names; SchemeError otherwise."""
    if not scheme.name.strip():
        raise SchemeError(wording.ERR_NAME)
    if not scheme.indicators:
        raise SchemeError(wording.ERR_EMPTY)
    seen: set[str] = set()
    for ind in scheme.indicators:
        metric = METRICS.get(ind.metric)
        if metric is None:
            raise SchemeError(wording.ERR_METRIC.format(metric=ind.metric))
        if ind.metric in seen:
            raise SchemeError(wording.ERR_TWICE.format(label=metric.label))
        seen.add(ind.metric)
        if not ind.weight > 0:
            raise SchemeError(wording.ERR_WEIGHT.format(label=metric.label))
        if not ind.unit_types:
            raise SchemeError(wording.ERR_TYPES.format(label=metric.label))
        if ind.min_sample < 0:
            raise SchemeError(wording.ERR_SAMPLE.format(label=metric.label))
        if ind.rule == LINEAR:
            if not (_number(ind.floor) and _number(ind.target)) or ind.floor == ind.target:
                raise SchemeError(wording.ERR_LINEAR.format(label=metric.label))
            if (ind.target > ind.floor) != metric.higher_is_better:
                raise SchemeError(
                    wording.ERR_DIRECTION.format(
                        label=metric.label,
                        way=wording.HIGHER if metric.higher_is_better else wording.LOWER,
                    )
                )
        elif ind.rule == PER_EVENT:
            if metric.events is None:
                raise SchemeError(wording.ERR_NO_EVENTS.format(label=metric.label))
            if not (_number(ind.per_event) and ind.per_event > 0):
                raise SchemeError(wording.ERR_PER_EVENT.format(label=metric.label))
        else:
            raise SchemeError(wording.ERR_RULE.format(rule=ind.rule))
    return scheme


_STATIONS = ("派出所",)
_CASE_UNITS = ("派出所", "分局", "支队大队")
_ALL = ("派出所", "分局", "支队大队", "窗口")

# The scheme in force until an admin saves one (version 0): 100 points for a station, with the
# targets of the settings table (满意率 98%, 办结率 90%, 按期办结率 95%, 整改率 95%) as full marks
# and the burden line (150 retained report types) as the floor of report burden. Minimum samples
# follow the satisfaction league's (30 valid replies) and keep a handful of cases from deciding.
DEFAULT = Scheme(
    name="默认考核方案",
    indicators=(
        Indicator(
            "satisfaction", 30, LINEAR, floor=0.90, target=0.98, min_sample=30, unit_types=_ALL
        ),
        Indicator("reply_rate", 5, LINEAR, floor=0.50, target=0.80, min_sample=30, unit_types=_ALL),
        Indicator(
            "closure", 10, LINEAR, floor=0.60, target=0.90, min_sample=10, unit_types=_CASE_UNITS
        ),
        Indicator(
            "on_time", 10, LINEAR, floor=0.70, target=0.95, min_sample=10, unit_types=_CASE_UNITS
        ),
        Indicator(
            "overdue", 10, LINEAR, floor=400, target=50, min_sample=10, unit_types=_CASE_UNITS
        ),
        Indicator(
            "repeat", 10, LINEAR, floor=0.90, target=0.30, min_sample=10, unit_types=_CASE_UNITS
        ),
        Indicator(
            "rectification", 10, LINEAR, floor=0.60, target=0.95, min_sample=3, unit_types=_ALL
        ),
        Indicator("rectification_overdue", 5, PER_EVENT, per_event=2, unit_types=_ALL),
        Indicator(
            "report_burden", 10, LINEAR, floor=150, target=40, min_sample=1, unit_types=_STATIONS
        ),
    ),
)
