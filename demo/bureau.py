"""Demo exports of a fictional city bureau (江城市公安局), loaded through the real loader.

`python -m demo` writes what the bureau's systems would export over the previous calendar year
and the current one (110 and 12345 callbacks, window-service callbacks, the opinion-supervision
platform's cases and their workflow, the officer survey and its 回头看 round, the rectification
ledger and the report ledger), as CSV (UTF-8 with BOM or GBK) and XLSX with title rows, then loads
them with etl.load.load_manifest. The figures the bureau published (tests/test_demo.py) hold
exactly on the rows the loader accepts: counts are chosen first and then shuffled into records,
never hoped for from random draws.
The few dirty rows are either normalised by the loader to their clean value or rejected by it.
The survey figures (participation, top five problems) are those of the first round, in April of
the previous year; the 回头看 round some weeks before today has figures of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import math
import random
import tempfile
from collections import Counter
from itertools import accumulate, pairwise
from pathlib import Path

import chinese_calendar
import openpyxl

from demo import templates as T
from demo.units import Unit, city_tree
from etl.sources import LIKERT_SCORES

CITY_ID = "990100000000"

# The figures the bureau published, in percent, with the digits they were published to.
CLOSURE = (91.3, 1)
CLOSED_CALLBACKS_SATISFIED = (97.9, 1)
ROUTING_BY_RULE = (77.0, 1)
RECTIFIED = (96.4, 1)
PARTICIPATION = (94.15, 2)
WINDOW_FIRST_MONTH = (97.2, 1)
WINDOW_LAST_MONTH = (99.62, 2)
STATIONS_OVER_LINE = 0.70  # share of stations keeping 150 or more report types in the first year
HAND_FILLED = (90.0, 1)
BURDEN_LINE = 150
# The second survey round: the top ten problems of the first, re-surveyed (回头看).
REVIEW_NAME = "江城市公安局{year}年度警意调查回头看"
REVIEW_OVERALL = "1、与去年警意调查时相比，基层反映问题的整改总体成效"
REVIEW_ITEM = "{n}、您对「{category}」问题整改成效的评价"
REVIEW_SUGGESTION = "7、仍需解决的问题和建议"

COMPLAINT_CHANNELS = {
    "12345": 30,
    "110短信评警": 17,
    "市长信箱": 12,
    "平安民声": 10,
    "民生警务连线": 8,
    "来信来访": 8,
    "政风热线": 7,
    "批示督办": 4,
    "人大政协建议提案": 4,
}
# Working days a channel allows for a case (时限).
CHANNEL_DAYS = {
    "12345": 5,
    "110短信评警": 5,
    "市长信箱": 10,
    "平安民声": 7,
    "民生警务连线": 5,
    "来信来访": 30,
    "政风热线": 10,
    "批示督办": 5,
    "人大政协建议提案": 60,
}
CHANNEL_DESK = {
    "12345": "指挥中心",
    "110短信评警": "指挥中心",
    "平安民声": "指挥中心",
    "市长信箱": "办公室",
    "人大政协建议提案": "办公室",
    "批示督办": "办公室",
    "政风热线": "督察支队",
    "民生警务连线": "新闻宣传处",
}
SYSTEMIC = {"经费装备保障", "警力配置", "辅警管理", "信息系统建设", "被装管理", "收押提讯服务"}
# Share of calls by hour of day: 110 peaks in the evening, hotlines and platforms by day.
HOURS_110 = [3, 2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 7, 8, 8, 7, 6, 4]
HOURS_HOTLINE = [0.1] * 6 + [0.5, 2, 5, 7, 7, 6, 4, 5, 6, 6, 6, 5, 4, 4, 3, 2, 1, 0.5]
HOURS_PLATFORM = [0.1] * 6 + [0.5, 2, 5, 7, 7, 6, 4, 5, 6, 6, 6, 5, 3, 2, 2, 1, 1, 0.5]
# Shares of complaint texts (_Bureau._blurred) and officer suggestions (_Bureau._suggestion_blur)
# that carry a careless clerk's label (the whole text is another category's), that tell two
# matters (another category's detail beside or instead of their own), and that say almost nothing:
# the demo's categories are then learnt about as well as real ones, not perfectly.
CARELESS_LABEL_SHARE = 0.07
MIXED_TEXT_SHARE = 0.08
VAGUE_TEXT_SHARE = 0.06
FULLWIDTH = str.maketrans("0123456789-:", "０１２３４５６７８９－：")


def build_demo(
    db_path: Path, *, seed: int = 7, today: dt.date | None = None, out_dir: Path | None = None
) -> Path:
    """Write the demo exports (to out_dir if given) and load them into a fresh
    warehouse at db_path, replacing a previous demo warehouse in one atomic swap; return db_path.

    A warehouse that holds anyone's real loads is never replaced (FileExistsError).
    """
    from etl.load import load_manifest
    from queries import db

    db_path = Path(db_path)
    if db_path.exists():
        with db.read(db_path) as con:
            real = con.execute(
                "select count(*) from imports where uploaded_by is distinct from 'demo'"
            ).fetchone()[0]
        if real:
            raise FileExistsError(
                f"{db_path} 已有 {real} 次非演示导入：演示数据不会覆盖它。请用 --db 指定另一个路径。"
            )
    from auth.accounts import create_demo_accounts

    if out_dir is not None:
        load_manifest(db_path, write_exports(Path(out_dir), seed=seed, today=today), fresh=True)
    else:
        # The loader archives every file it takes beside the warehouse, so the exports can live in
        # a private folder: two builds at once (app first start, a test) never share files.
        with tempfile.TemporaryDirectory(prefix="minyi-demo-") as folder:
            load_manifest(db_path, write_exports(Path(folder), seed=seed, today=today), fresh=True)
    create_demo_accounts(db_path)
    return db_path


def write_exports(out_dir: Path, *, seed: int = 7, today: dt.date | None = None) -> Path:
    """Write the demo exports and their manifest.json into out_dir; return the manifest's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    old = out_dir / "manifest.json"
    if old.is_file():
        for entry in json.loads(old.read_text(encoding="utf-8")):
            (out_dir / entry["file"]).unlink(missing_ok=True)
    # By default the exports run to the end of yesterday, as a nightly export does: records are
    # timed up to 23:59 of their last day, which for today would still be in the future.
    bureau = _Bureau(seed, today or dt.date.today() - dt.timedelta(days=1))
    entries = _Writer(bureau, out_dir).write_all()
    old.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    return old


def fit_count(total: int, pct: float, digits: int) -> int | None:
    """Successes out of `total` whose rate shows as `pct` at `digits` decimals, well inside the
    rounding interval (so any rounding rule agrees); None when no count does."""
    hits = round(total * pct / 100)
    if abs(100 * hits / total - pct) < 0.3 * 10**-digits:
        return hits
    return None


def fit_total(near: int, pct: float, digits: int) -> tuple[int, int]:
    """The first total from `near` upwards that some count fits (see fit_count): (total, hits)."""
    for total in range(max(near, 1), max(near, 1) * 2 + 1000):
        hits = fit_count(total, pct, digits)
        if hits is not None:
            return total, hits
    raise ValueError(f"no total near {near} gives {pct}%")


def _exact(total: int, figure: tuple[float, int]) -> int:
    hits = fit_count(total, *figure)
    if hits is None:
        raise ValueError(f"{total} rows cannot show {figure[0]}%")
    return hits


@functools.cache
def is_workday(day: dt.date) -> bool:
    """Chinese working day; weekends only for years chinesecalendar does not ship."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(moment: dt.datetime, days: int) -> dt.datetime:
    """The deadline `days` working days after `moment`, at 18:00."""
    day = moment.date()
    while days > 0:
        day += dt.timedelta(days=1)
        days -= is_workday(day)
    return dt.datetime.combine(day, dt.time(18, 0))


def _day_code(moment: dt.datetime | dt.date) -> str:
    return f"{moment.year}{moment.month:02d}{moment.day:02d}"


def _daytime(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    """Move a moment outside 8:00-21:00 into daytime: callbacks and sign-offs happen by day."""
    if 8 <= moment.hour < 21:
        return moment
    day = moment.date() + dt.timedelta(days=moment.hour >= 21)
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 20), rng.randrange(60), rng.randrange(60)
    )


def _pick(rng: random.Random, items: list, k: int, weight) -> list:
    """k items drawn without replacement, each with probability growing with weight(item)."""
    keyed = sorted(items, key=lambda x: rng.random() ** (1.0 / weight(x)), reverse=True)
    return keyed[:k]


def _split(total: int, shares: list[float]) -> list[int]:
    """Integers proportional to shares summing to total (largest remainder)."""
    raw = [total * s / sum(shares) for s in shares]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _Bureau:
    """Every record of the demo, as clean values; _Writer renders them as the systems export."""

    def __init__(self, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        # _blurred's and _suggestion_blur's own draws: every other record stays as it was
        self.mixing = random.Random(f"{seed}-mixed-texts")
        self.suggestion_mixing = random.Random(f"{seed}-mixed-suggestions")
        self.today = today
        self.y1, self.y2 = today.year - 1, today.year
        self.start = dt.date(self.y1, 1, 1)
        self.days = [self.start + dt.timedelta(n) for n in range((today - self.start).days + 1)]
        self.end = dt.datetime.combine(today, dt.time(23, 59))
        self.months = sorted({(d.year, d.month) for d in self.days})
        self.rejected_expected = 0
        self._units()
        self.calls_110 = self._calls_110()
        self.calls_12345 = self._calls_12345()
        self.windows = self._windows()
        self.complaints, self.events = self._complaints()
        self.survey = self._survey()
        self.rectifications = self._rectifications()
        self.ledger = self._ledger()
        # Its own generator: the first round and every record drawn after it stay as they were.
        self.review = self._review_survey(random.Random(f"{seed}-review"))

    # ---------------------------------------------------------------- units
    def _units(self) -> None:
        rng = self.rng
        tree = city_tree(rng, city_id=CITY_ID)
        self.office, self.brigades, self.halls = tree.office, tree.brigades, tree.halls
        self.districts, self.stations = tree.districts, tree.stations
        self.windows_units = tree.windows
        units = tree.units
        self.units = self._fit_headcount(units)
        self.by_id = {u.unit_id: u for u in self.units}
        self.stations = [self.by_id[u.unit_id] for u in self.stations]
        # How busy and how good each station is; rural districts are slower and less satisfied.
        self.busy = {
            u.unit_id: u.headcount * (0.55 if u.rural else 1.0) * rng.uniform(0.7, 1.4)
            for u in self.stations
        }
        base = [
            rng.uniform(0.05, 0.08) if r else rng.uniform(0.025, 0.06) for _, r, _ in T.DISTRICTS
        ]
        self.unsat = {u.unit_id: base[u.district] * rng.uniform(0.6, 1.5) for u in self.stations}
        self.slowness = [
            rng.uniform(1.2, 1.8) if r else rng.uniform(0.7, 1.2) for _, r, _ in T.DISTRICTS
        ]

    def _fit_headcount(self, units: list[Unit]) -> list[Unit]:
        """Nudge the largest station so a respondent count gives the published participation."""
        total = sum(u.headcount or 0 for u in units)
        biggest = max((u for u in units if u.unit_type == "派出所"), key=lambda u: u.headcount)
        for extra in range(200):
            if fit_count(total + extra, *PARTICIPATION) is not None:
                break
        self.respondents_total = fit_count(total + extra, *PARTICIPATION)
        return [
            Unit(**{**u.__dict__, "headcount": u.headcount + extra}) if u is biggest else u
            for u in units
        ]

    def brigade_for(self, station: Unit) -> Unit:
        return self.brigades[min(station.district // 2, len(self.brigades) - 1)]

    def district_of(self, unit: Unit) -> Unit:
        return self.districts[unit.district]

    # ---------------------------------------------------------------- time
    def _season(self, day: dt.date) -> float:
        summer = 1 + 0.18 * math.sin((day.timetuple().tm_yday - 100) / 365 * 2 * math.pi)
        return summer * (1.12 if day.weekday() >= 4 else 1.0)

    def _moments(self, n: int, weight, hours: list[float]) -> list[dt.datetime]:
        days = self.rng.choices(
            self.days, cum_weights=list(accumulate(weight(d) for d in self.days)), k=n
        )
        days.sort()
        hour_list = self.rng.choices(range(24), weights=hours, k=n)
        rng = self.rng
        return [
            dt.datetime(d.year, d.month, d.day, h, rng.randrange(60), rng.randrange(60))
            for d, h in zip(days, hour_list)
        ]

    def _progress(self, moment: dt.datetime) -> float:
        """0 at the start of the period, 1 at its end."""
        return (moment.date() - self.start).days / max(len(self.days) - 1, 1)

    # ---------------------------------------------------------------- call records
    def _calls_110(self) -> list[dict]:
        rng = self.rng
        hours = HOURS_110
        moments = self._moments(100 * len(self.days), self._season, hours)
        categories = list(T.CALL_110)
        cats = rng.choices(
            categories, weights=[T.CALL_110[c]["w"] for c in categories], k=len(moments)
        )
        stations = rng.choices(
            self.stations, weights=[self.busy[s.unit_id] for s in self.stations], k=len(moments)
        )
        police = {"交通事故": "交警", "刑事案件": "刑侦"}
        rows, seq = [], {}
        for moment, cat, station in zip(moments, cats, stations):
            day = _day_code(moment)
            seq[day] = seq.get(day, 0) + 1
            unit = self.brigade_for(station) if cat == "交通事故" else station
            mean = (24 if station.rural else 11) * self.slowness[station.district] ** 0.5
            row = {
                "record_id": f"J{CITY_ID[:6]}{day}{seq[day]:05d}",
                "received_at": moment,
                "unit": unit,
                "police_type": police.get(cat, "治安"),
                "category": cat,
                "response_minutes": round(rng.lognormvariate(math.log(mean), 0.45), 1),
            }
            unsat = self.unsat[station.unit_id] * (1.15 - 0.5 * self._progress(moment))
            self._callback(
                row,
                rng.random() < 0.72,
                0.9,
                unsat,
                0.07,
                T.CALL_110[cat]["good"],
                T.CALL_110[cat]["bad"],
                hours_after=(1, 72),
            )
            rows.append(row)
        return rows

    def _callback(self, row, attempted, reached, unsat, basic, good, bad, *, hours_after) -> None:
        """Fill callback_at / result / note of a call record from probabilities."""
        rng = self.rng
        row.update(callback_at=None, result=None, note=None)
        if not attempted:
            return
        at = _daytime(row["received_at"] + dt.timedelta(hours=rng.uniform(*hours_after)), rng)
        if at > self.end:
            return
        row["callback_at"] = at.replace(microsecond=0)
        if rng.random() > reached:
            row["result"] = "未回访"
            return
        draw = rng.random()
        row["result"] = "不满意" if draw < unsat else "基本满意" if draw < unsat + basic else "满意"
        self._note(row, good, bad)

    def _note(self, row, good, bad, neutral=T.CALL_NOTES_NEUTRAL) -> None:
        rng = self.rng
        if row["result"] == "不满意":
            row["note"] = T.fill(rng.choice(bad), rng) + rng.choice(T.NOTE_TAILS["bad"])
        elif row["result"] == "基本满意" and rng.random() < 0.5:
            row["note"] = rng.choice(neutral)
        elif row["result"] == "满意" and rng.random() < 0.18:
            row["note"] = T.fill(rng.choice(good), rng) + rng.choice(T.NOTE_TAILS["good"])

    def _calls_12345(self) -> list[dict]:
        rng = self.rng
        hours = HOURS_HOTLINE
        moments = self._moments(
            28 * len(self.days), lambda d: 1.0 if d.weekday() < 5 else 0.6, hours
        )
        categories = list(T.CALL_12345)
        cats = rng.choices(
            categories, weights=[T.CALL_12345[c]["w"] for c in categories], k=len(moments)
        )
        stations = rng.choices(
            self.stations, weights=[self.busy[s.unit_id] for s in self.stations], k=len(moments)
        )
        rows, seq = [], {}
        for moment, cat, station in zip(moments, cats, stations):
            day = _day_code(moment)
            seq[day] = seq.get(day, 0) + 1
            unit = station
            if cat in ("违章停车", "交通拥堵"):
                unit = self.brigade_for(station)
            elif cat == "出入境业务":
                unit = self.office["出入境管理支队"]
            elif cat == "户籍业务" and rng.random() < 0.3:
                unit = self.office["人口管理支队"]
            row = {
                "record_id": f"GD{day}{seq[day]:06d}",
                "received_at": moment,
                "unit": unit,
                "police_type": None,
                "category": cat,
                "response_minutes": None,
            }
            unsat = (0.03 + self.unsat[station.unit_id]) * (1.2 - 0.45 * self._progress(moment))
            self._callback(
                row,
                rng.random() < 0.85,
                0.88,
                unsat,
                0.1,
                T.CALL_12345_GOOD,
                T.CALL_12345[cat]["bad"],
                hours_after=(24, 24 * 6),
            )
            rows.append(row)
        return rows

    def _windows(self) -> list[dict]:
        """Window callbacks: per month, counts chosen so the bureau-wide rate follows the published
        trend exactly in the first and last month."""
        rng = self.rng
        weight = {u.unit_id: 7.0 if u in self.halls.values() else 1.0 for u in self.windows_units}
        quality = {u.unit_id: rng.uniform(0.6, 1.8) for u in self.windows_units}
        rows, last = [], len(self.months) - 1
        window_no = {u.unit_id: n for n, u in enumerate(self.windows_units)}
        for index, (year, month) in enumerate(self.months):
            days = [d for d in self.days if (d.year, d.month) == (year, month)]
            open_days = [d for d in days if is_workday(d) or d.weekday() == 5] or days
            day_weights = [1.0 if is_workday(d) else 0.35 for d in open_days]
            volume = round(46 * sum(day_weights) * (1 + 0.1 * math.sin(month / 12 * 2 * math.pi)))
            valid_near = round(volume * rng.uniform(0.68, 0.76))
            if index == 0:
                valid, happy = fit_total(valid_near, *WINDOW_FIRST_MONTH)
            elif index == last:
                valid, happy = fit_total(max(valid_near, 300), *WINDOW_LAST_MONTH)
            else:
                rate = (
                    WINDOW_FIRST_MONTH[0]
                    + (WINDOW_LAST_MONTH[0] - WINDOW_FIRST_MONTH[0]) * (index / last) ** 0.8
                    + rng.uniform(-0.25, 0.2)
                )
                rate = min(rate, WINDOW_LAST_MONTH[0] - 0.08)
                valid, happy = valid_near, round(valid_near * rate / 100)
            volume = max(volume, round(valid * 1.25))
            chosen_days = sorted(rng.choices(open_days, weights=day_weights, k=volume))
            units = rng.choices(
                self.windows_units,
                weights=[weight[u.unit_id] for u in self.windows_units],
                k=volume,
            )
            month_rows = []
            for n, (day, unit) in enumerate(zip(chosen_days, units)):
                moment = dt.datetime(
                    day.year,
                    day.month,
                    day.day,
                    rng.choice([8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 15, 16]),
                    rng.randrange(60),
                    rng.randrange(60),
                )
                month_rows.append(
                    {
                        "record_id": f"00{window_no[unit.unit_id]:02d}{_day_code(day)}"
                        f"{len(rows) + n:06d}",
                        "received_at": moment,
                        "unit": unit,
                        "police_type": unit.police_type,
                        "category": rng.choice(T.WINDOW_BUSINESS[unit.police_type]),
                        "response_minutes": None,
                        "callback_at": None,
                        "result": None,
                        "note": None,
                    }
                )
            answered = rng.sample(month_rows, valid)
            unhappy = _pick(rng, answered, valid - happy, lambda r: quality[r["unit"].unit_id])
            unhappy_ids = {id(r) for r in unhappy}
            for row in answered:
                at = _daytime(
                    row["received_at"] + dt.timedelta(minutes=rng.randint(5, 60 * 20)), rng
                )
                row["callback_at"] = min(at, max(self.end, row["received_at"]))
                if id(row) in unhappy_ids:
                    row["result"] = "不满意"
                else:
                    row["result"] = "基本满意" if rng.random() < 0.09 else "满意"
                self._note(row, T.WINDOW_GOOD, T.WINDOW_BAD, T.WINDOW_NEUTRAL)
            for row in month_rows:
                if row["result"] is None and rng.random() < 0.6:
                    row["result"] = "未回访"
            rows += month_rows
        return rows

    # ---------------------------------------------------------------- complaints
    def _complaints(self) -> tuple[list[dict], list[dict]]:
        rng = self.rng
        total, closed_n = fit_total(round(4.6 * len(self.days)), *CLOSURE)
        hours = HOURS_PLATFORM
        moments = self._moments(total, lambda d: 1.0 if is_workday(d) else 0.45, hours)
        channels = rng.choices(
            list(COMPLAINT_CHANNELS), weights=list(COMPLAINT_CHANNELS.values()), k=total
        )
        categories = list(T.COMPLAINTS)
        cat_weights = [14, 9, 10, 6, 9, 7, 8, 6, 4, 6, 7, 4, 4, 2, 4, 3]
        cases, seq = [], {}
        for moment, channel in zip(moments, channels):
            day = _day_code(moment)
            seq[day] = seq.get(day, 0) + 1
            category = rng.choices(categories, weights=cat_weights)[0]
            spec = T.COMPLAINTS[category]
            kind = rng.choices(list(spec["kinds"]), weights=list(spec["kinds"].values()))[0]
            if channel == "人大政协建议提案":
                kind = "建议"
            elif channel in ("政风热线", "批示督办") and kind in ("咨询", "表扬"):
                kind = "投诉"
            station = rng.choices(
                self.stations, weights=[self.busy[s.unit_id] for s in self.stations]
            )[0]
            cases.append(
                {
                    "case_id": f"MY{day}{seq[day]:04d}",
                    "received_at": moment,
                    "channel": channel,
                    "kind": kind,
                    "category": category,
                    "station": station,
                    "duplicate_of": None,
                }
            )
        self._repeat_cases(cases)
        for case in cases:
            self._case_text(case)
            case["handling"] = self._handling_unit(case)
            case["receiving"] = self._receiving_unit(case)
            case["deadline_at"] = add_workdays(case["received_at"], CHANNEL_DAYS[case["channel"]])
        self._case_outcomes(cases, closed_n)
        events = [e for case in cases for e in self._case_events(case)]
        return cases, events

    def _repeat_cases(self, cases: list[dict]) -> None:
        """About 4% of cases repeat an earlier one of the same place and category (duplicate_of)."""
        rng = self.rng
        repeatable = ("噪音扰民", "违章停车", "治安隐患", "养犬管理", "交通秩序", "出警不及时")
        for index in rng.sample(range(50, len(cases)), len(cases) // 25):
            case = cases[index]
            for earlier in reversed(cases[max(0, index - 400) : index]):
                gap = (case["received_at"] - earlier["received_at"]).days
                if gap > 60 or gap < 3:
                    continue
                if earlier["category"] in repeatable and earlier["duplicate_of"] is None:
                    case.update(
                        category=earlier["category"],
                        station=earlier["station"],
                        kind="投诉",
                        duplicate_of=earlier["case_id"],
                        repeats=earlier,
                    )
                    break

    def _case_text(self, case: dict) -> None:
        rng = self.rng
        spec = T.COMPLAINTS[case["category"]]
        when_day = case["received_at"] - dt.timedelta(days=rng.randint(0, 6))
        fixed = (
            case["repeats"]["places"]
            if case.get("repeats")
            else {
                "station": case["station"].short,
                "road": rng.choice(T.ROADS),
                "community": rng.choice(T.COMMUNITIES),
                "venue": rng.choice(T.VENUES),
            }
        )
        case["places"] = fixed
        values = {**fixed, "when": f"{when_day.month}月{when_day.day}日"}
        # Title and text tell the same story: one draw of each number and time for both.
        for slot in ("road2", "minutes", "days", "times", "amount", "building", "night", "part"):
            values[slot] = T.fill(f"{{{slot}}}", rng, **values)
        title = T.fill(rng.choice(spec["titles"]), rng, **values)
        parts = [
            T.fill(rng.choice(parts), rng, **values)
            for parts in (T.OPENERS, spec["detail"], spec["ask"])
        ]
        title, parts[1], parts[2] = self._blurred(case["category"], title, parts, values)
        text = "".join(parts)
        if case["duplicate_of"]:
            title = f"再次反映：{title}"
            text = rng.choice(["此前已经反映过，", "上次反映后问题依旧，", "第二次反映："]) + text
        if rng.random() < 0.006:
            phone = rng.choice(
                [f"1380000{rng.randint(0, 9999):04d}", f"138****{rng.randint(0, 9999):04d}"]
            )
            text += f"联系电话{phone}。"
        case["title"], case["content"] = title, text

    def _blurred(
        self, category: str, title: str, parts: list[str], values: dict
    ) -> tuple[str, str, str]:
        """Real complaints are not all clear-cut: some carry a careless clerk's category (the
        whole story is another matter's), some tell two matters, some say almost nothing.
        Returns (title, detail, ask)."""
        mix = self.mixing
        detail, ask = parts[1], parts[2]
        roll = mix.random()
        other = T.COMPLAINTS[mix.choice([c for c in T.COMPLAINTS if c != category])]
        if roll < CARELESS_LABEL_SHARE:
            title = T.fill(mix.choice(other["titles"]), mix, **values)
            detail = T.fill(mix.choice(other["detail"]), mix, **values)
            ask = T.fill(mix.choice(other["ask"]), mix, **values)
        elif roll < CARELESS_LABEL_SHARE + MIXED_TEXT_SHARE:
            detail = T.fill(mix.choice(other["detail"]), mix, **values)
            if mix.random() < 0.5:
                title = T.fill(mix.choice(other["titles"]), mix, **values)
        elif roll < CARELESS_LABEL_SHARE + MIXED_TEXT_SHARE + VAGUE_TEXT_SHARE:
            detail = T.fill(mix.choice(T.VAGUE_DETAILS), mix, **values)
            ask = T.fill(mix.choice(T.VAGUE_ASKS), mix, **values)
            if mix.random() < 0.5:
                title = T.fill(mix.choice(T.VAGUE_TITLES), mix, **values)
        return title, detail, ask

    def _suggestion_blur(self, category: str, text: str, unit: Unit) -> str:
        """An officer's suggestion filed under `category`, as loosely as real ones are."""
        mix = self.suggestion_mixing
        roll = mix.random()
        other = mix.choice([c for c in T.SUGGESTIONS if c != category])
        if roll < CARELESS_LABEL_SHARE:
            return self._suggestion_text(T.SUGGESTIONS[other][1], unit, mix)
        if roll < CARELESS_LABEL_SHARE + MIXED_TEXT_SHARE:
            return text + "另外，" + self._suggestion_text(T.SUGGESTIONS[other][1], unit, mix)
        if roll < CARELESS_LABEL_SHARE + MIXED_TEXT_SHARE + VAGUE_TEXT_SHARE:
            return mix.choice(T.VAGUE_SUGGESTIONS)
        return text

    def _handling_unit(self, case: dict) -> Unit:
        route = T.COMPLAINTS[case["category"]]["route"]
        station = case["station"]
        if route == "traffic":
            return self.office["交警支队"] if case["kind"] == "建议" else self.brigade_for(station)
        if route == "exit":
            return self.office["出入境管理支队"]
        if route == "inspection":
            return self.office["督察支队"] if self.rng.random() < 0.6 else station
        if route == "household" and self.rng.random() < 0.3:
            return self.office["人口管理支队"]
        return station

    def _receiving_unit(self, case: dict) -> Unit:
        if case["channel"] == "来信来访":
            return (
                self.district_of(case["station"])
                if self.rng.random() < 0.6
                else self.office["办公室"]
            )
        return self.office[CHANNEL_DESK[case["channel"]]]

    def _case_outcomes(self, cases: list[dict], closed_n: int) -> None:
        """Status, routing, closing time and callback of every case, with the published counts."""
        rng = self.rng
        now = self.end

        def open_weight(case):
            age = (now - case["received_at"]).days
            slow = self.slowness[case["station"].district]
            return (40.0 if age < 10 else 12.0 if age < 30 else 1.0) * slow

        open_cases = _pick(rng, cases, len(cases) - closed_n, open_weight)
        open_ids = {c["case_id"] for c in open_cases}
        for case in cases:
            case["closed"] = case["case_id"] not in open_ids
        # Open cases taken in within the last day are still at intake: not routed yet.
        intake = [c for c in open_cases if (now - c["received_at"]).total_seconds() < 36 * 3600]
        for case in intake:
            case["stage"] = "受理"
        questions = [
            c
            for c in cases
            if c["closed"]
            and c["kind"] in ("咨询", "求助")
            and c["channel"] in ("12345", "民生警务连线", "平安民声", "市长信箱")
        ]
        rng.shuffle(questions)
        direct = round(0.06 * len(cases))
        while fit_count(len(cases) - len(intake) - direct, *ROUTING_BY_RULE) is None:
            direct += 1
        if len(questions) < direct:
            raise ValueError("too few questions answered at intake for the published routing share")
        for case in questions[:direct]:
            case["stage"] = "直接答复"
        routed = [c for c in cases if c.get("stage") not in ("受理", "直接答复")]
        by_rule = {
            id(c)
            for c in _pick(
                rng,
                routed,
                _exact(len(routed), ROUTING_BY_RULE),
                lambda c: (
                    0.4 if c["channel"] in ("来信来访", "批示督办", "人大政协建议提案") else 1.0
                ),
            )
        }
        for case in cases:
            case["routed_by"] = None
            case["first_unit"] = case["handling"]
        for case in routed:
            case["routed_by"] = "规则" if id(case) in by_rule else "人工"
            wrong = rng.random() < (0.11 if case["routed_by"] == "规则" else 0.05)
            if wrong:
                case["first_unit"] = self._wrong_unit(case)
        for case in cases:
            self._case_timing(case)
        # Callbacks on closed, routed cases: the published share of satisfied replies.
        called = [c for c in routed if c["closed"] and rng.random() < 0.86]
        while fit_count(len(called), *CLOSED_CALLBACKS_SATISFIED) is None:
            called.pop()
        happy = _exact(len(called), CLOSED_CALLBACKS_SATISFIED)
        unhappy = {id(c) for c in _pick(rng, called, len(called) - happy, self._unhappy_weight)}
        called_ids = {id(c) for c in called}
        for case in cases:
            case["satisfaction"] = None
            if id(case) in unhappy:
                case["satisfaction"] = "不满意"
            elif id(case) in called_ids:
                case["satisfaction"] = "基本满意" if rng.random() < 0.12 else "满意"
            elif case["closed"] and case["routed_by"] and rng.random() < 0.3:
                case["satisfaction"] = "未回访"
            case["status"] = self._status(case, id(case) in called_ids)
            case["substantiated"] = None
            if case["closed"] and case["kind"] in ("投诉", "举报"):
                case["substantiated"] = rng.random() < (0.45 if id(case) in unhappy else 0.32)

    def _unhappy_weight(self, case: dict) -> float:
        heavy = {"执法不公": 3.0, "出警不及时": 2.0, "案件进度": 2.0, "电信诈骗": 2.0, "表扬": 0.05}
        return heavy.get(case["category"], 1.0) * self.slowness[case["station"].district]

    def _wrong_unit(self, case: dict) -> Unit:
        handling = case["handling"]
        if handling.unit_type == "派出所":
            siblings = [
                s for s in self.stations if s.parent_id == handling.parent_id and s != handling
            ]
            return self.rng.choice(siblings or self.stations)
        if handling.unit_type == "支队大队":
            return case["station"]
        return self.office["治安支队"] if handling != self.office["治安支队"] else case["station"]

    def _case_timing(self, case: dict) -> None:
        rng = self.rng
        received = case["received_at"]
        limit = (case["deadline_at"] - received).total_seconds() / 86400
        slow = self.slowness[case["station"].district]
        case["closed_at"] = None
        if case.get("stage") == "直接答复":
            case["closed_at"] = received + dt.timedelta(minutes=rng.randint(10, 240))
        elif case["closed"]:
            late = rng.random() < 0.06 * slow
            span = limit * (
                rng.uniform(1.02, 1.6) if late else rng.uniform(0.2, 0.95) ** (1 / slow)
            )
            case["closed_at"] = received + dt.timedelta(days=span)
        if case["closed_at"] is not None:
            if case.get("stage") != "直接答复":
                case["closed_at"] = _daytime(case["closed_at"], rng)
            latest = self.end - dt.timedelta(hours=1)
            case["closed_at"] = min(
                case["closed_at"], max(latest, received + dt.timedelta(hours=1))
            )
            case["closed_at"] = case["closed_at"].replace(microsecond=0)

    def _status(self, case: dict, called: bool) -> str:
        if case["closed"]:
            return "已评议" if called else "已办结"
        if case.get("stage") == "受理":
            return "受理"
        age = (self.end - case["received_at"]).total_seconds() / 86400
        if age < 2:
            return "交办"
        return self.rng.choices(["转办", "办理中", "已反馈"], weights=[15, 60, 25])[0]

    def _case_events(self, case: dict) -> list[dict]:
        """受理 → 交办 (→ 退回 → 改派) (→ 转办) → 反馈 → 办结 → 评议, as far as the case has got."""
        rng = self.rng
        received = case["received_at"]
        desk = case["receiving"]
        events = [
            {
                "case_id": case["case_id"],
                "event_at": received,
                "stage": "受理",
                "from": None,
                "to": desk,
                "note": f"{case['channel']}渠道登记",
            }
        ]
        if case.get("stage") == "直接答复":
            events.append(
                {
                    "case_id": case["case_id"],
                    "event_at": case["closed_at"],
                    "stage": "办结",
                    "from": desk,
                    "to": None,
                    "note": "受理时直接答复，群众无异议",
                }
            )
            return events
        if case["routed_by"] is None:
            return events
        end = case["closed_at"] or self.end
        span = max((end - received).total_seconds(), 3600)
        steps = sorted(rng.uniform(0.02, 0.9) for _ in range(4))
        at = [received + dt.timedelta(seconds=span * s) for s in steps]
        handling, first = case["handling"], case["first_unit"]
        keyword = case["category"]
        to_district = handling.unit_type == "派出所" and rng.random() < 0.45
        first_to = self.district_of(handling) if to_district and first == handling else first
        note = T.fill(rng.choice(T.ROUTING_NOTES[case["routed_by"]]), rng, keyword=keyword)
        events.append(self._event(case, at[0], "交办", desk, first_to, note))
        if case["status"] == "交办":
            return events
        if first != handling:
            events.append(self._event(case, at[1], "退回", first, desk, rng.choice(T.RETURN_NOTES)))
            events.append(
                self._event(
                    case,
                    at[1] + dt.timedelta(minutes=rng.randint(20, 300)),
                    "改派",
                    desk,
                    handling,
                    "重新分派至属地单位",
                )
            )
        elif first_to != handling:
            events.append(self._event(case, at[1], "转办", first_to, handling, "转属地派出所办理"))
        if case["status"] in ("办理中", "转办"):
            return [e for e in events if e["event_at"] <= self.end]
        feedback_at = (
            at[3]
            if not case["closed"]
            else case["closed_at"] - dt.timedelta(hours=rng.uniform(1, 20))
        )
        events.append(
            self._event(
                case,
                max(feedback_at, at[2]),
                "反馈",
                handling,
                desk,
                rng.choice(T.FEEDBACK_NOTES[case["kind"]]),
            )
        )
        if case["closed"]:
            events.append(
                self._event(case, case["closed_at"], "办结", desk, None, "审核通过，予以办结")
            )
            if case["satisfaction"] in ("满意", "基本满意", "不满意"):
                callback = _daytime(case["closed_at"] + dt.timedelta(hours=rng.uniform(4, 60)), rng)
                callback = min(callback, self.end)
                events.append(
                    self._event(
                        case,
                        max(callback, case["closed_at"] + dt.timedelta(minutes=1)),
                        "评议",
                        desk,
                        None,
                        f"回访：{case['satisfaction']}",
                    )
                )
        return [e for e in events if e["event_at"] <= self.end + dt.timedelta(days=3)]

    def _event(self, case, at, stage, source, target, note) -> dict:
        return {
            "case_id": case["case_id"],
            "event_at": at.replace(microsecond=0),
            "stage": stage,
            "from": source,
            "to": target,
            "note": note,
        }

    # ---------------------------------------------------------------- officer survey
    def _survey(self) -> list[dict]:
        rng = self.rng
        respondents = self._respondents()
        opened = dt.datetime(self.y1, 4, 8, 8, 0)
        self.survey_id = T.SURVEY_NAME.format(year=self.y1)
        self.survey_closed = dt.date(self.y1, 4, 30)
        offices = list(self.office.values())
        office_mood = {u.short: rng.uniform(-0.5, 0.5) for u in offices}
        for short in ("警务保障部", "政治部", "监管支队"):
            office_mood[short] -= 0.6
        slots = self._suggestion_slots(respondents)
        rows = []
        for number, (unit, role) in enumerate(respondents, 1):
            response_id = f"{self.y1}{number:05d}"
            submitted = opened + dt.timedelta(minutes=rng.randint(0, 22 * 24 * 60))
            base = {
                "response_id": response_id,
                "submitted_at": submitted,
                "unit": unit,
                "role": role,
            }
            mood = rng.gauss(0.3 if unit.unit_type == "机关" else 0.0, 0.8)
            for question, scale in T.SURVEY_GENERAL:
                rows.append(
                    {
                        **base,
                        "target": None,
                        "question": question,
                        "answer": self._likert(scale, mood),
                    }
                )
            rated = rng.sample(offices, 4)
            for office in rated:
                rows.append(
                    {
                        **base,
                        "target": office,
                        "question": T.SURVEY_OFFICE_ITEM.format(office=office.short),
                        "answer": self._likert("satisfy", mood + office_mood[office.short]),
                    }
                )
            for n, category in enumerate(slots[number - 1], 1):
                office_short, templates = T.SUGGESTIONS[category]
                text = self._suggestion_blur(category, self._suggestion_text(templates, unit), unit)
                rows.append(
                    {
                        **base,
                        "target": self.office[office_short],
                        "question": T.SURVEY_SUGGESTION_ITEM.format(n=n),
                        "answer": None,
                        "suggestion": text,
                        "category": category,
                    }
                )
        return rows

    def _respondents(self) -> list[tuple[Unit, str]]:
        """(unit, role) per respondent: every unit with a headcount answers, most of its people."""
        rng = self.rng
        units = [u for u in self.units if u.headcount]
        counts = {u.unit_id: max(1, round(u.headcount * rng.uniform(0.84, 1.0))) for u in units}
        gap = self.respondents_total - sum(counts.values())
        while gap:
            unit = rng.choice(units)
            step = 1 if gap > 0 else -1
            if 1 <= counts[unit.unit_id] + step <= unit.headcount:
                counts[unit.unit_id] += step
                gap -= step
        people = []
        for unit in units:
            auxiliary = 0.35 if unit.unit_type in ("派出所", "窗口") else 0.12
            people += [
                (unit, "辅警" if rng.random() < auxiliary else "民警")
                for _ in range(counts[unit.unit_id])
            ]
        rng.shuffle(people)
        return people

    def _suggestion_slots(self, respondents: list) -> list[list[str]]:
        """Suggestion categories per respondent (0-3 each), with the published top five in order."""
        rng = self.rng
        capacity = [rng.choices([0, 1, 2, 3], weights=[22, 38, 27, 13])[0] for _ in respondents]
        total = sum(capacity)
        categories = list(T.SUGGESTIONS)
        top = [0.13, 0.11, 0.095, 0.082, 0.07]
        rest = sorted((rng.uniform(0.25, 1.0) for _ in categories[5:]), reverse=True)
        shares = top + [r * (1 - sum(top)) / sum(rest) for r in rest]
        counts = _split(total, shares)
        if not all(a > b for a, b in pairwise(counts[:6])):
            raise AssertionError("suggestion counts do not keep the published top five in order")
        pool = [c for c, n in zip(categories, counts) for _ in range(n)]
        rng.shuffle(pool)
        slots, position = [], 0
        for size in capacity:
            chosen = pool[position : position + size]
            position += size
            slots.append(chosen)
        return slots

    def _suggestion_text(
        self, templates: list[str], unit: Unit, rng: random.Random | None = None
    ) -> str:
        rng = rng or self.rng
        own = rng.choice(
            [unit.short, "我们单位", "我所" if unit.unit_type == "派出所" else "我们部门"]
        )
        text = T.fill(
            rng.choice(templates),
            rng,
            unit=own,
            count=str(rng.randint(2, 9)),
            hours=str(rng.randint(2, 6)),
        )
        lead = rng.choice(
            [
                "",
                "",
                "",
                "",
                "结合本单位实际，",
                "一线反映比较集中的是：",
                "个人意见：",
                "同事们普遍反映，",
                "以本单位为例，",
                "说点实际情况：",
            ]
        )
        tail = rng.choice(
            [
                "",
                "",
                "",
                "",
                "希望尽快解决。",
                "望领导重视。",
                "这个问题反映多年了。",
                "请机关部门多到基层听听意见。",
                "去年也提过，希望这次能落实。",
                "建议列入今年整改清单。",
                "希望能有回音。",
            ]
        )
        return lead + text + tail

    def _likert(self, scale: str, mood: float, rng: random.Random | None = None) -> str:
        labels = T.LIKERT[scale]
        value = mood + (rng or self.rng).gauss(0.9, 0.9)
        index = (
            0
            if value > 1.6
            else 1
            if value > 0.2
            else 2
            if value > -0.9
            else 3
            if value > -1.9
            else 4
        )
        return labels[index]

    def _review_survey(self, rng: random.Random) -> list[dict]:
        """The 回头看 round: the top ten problems of the first round re-surveyed some
        weeks before today, so the default 近12个月 view has a survey. Each respondent rates half
        of them (A卷 1-5, B卷 6-10), the responsible office as the unit under review; the
        published figures (participation 94.15%, the top five) are the first round's."""
        opened_on = self.today - dt.timedelta(days=70)
        opened_on -= dt.timedelta(days=opened_on.weekday())
        opened = dt.datetime.combine(opened_on, dt.time(8, 0))
        self.review_id = REVIEW_NAME.format(year=self.y1)
        said = Counter(r["category"] for r in self.survey if r.get("suggestion"))
        top = sorted(said, key=lambda c: (-said[c], c))[:10]
        improved = {c: rng.uniform(0.2, 0.9) for c in top}
        improved[top[0]] = 0.05  # 辅警管理 needs money and posts: officers see little change yet
        categories = list(T.SUGGESTIONS)
        weights = [said[c] * (0.45 if c in top else 1.0) for c in categories]
        rows = []
        units = [u for u in self.units if u.headcount]
        people = [
            (
                unit,
                "辅警"
                if rng.random() < (0.35 if unit.unit_type in ("派出所", "窗口") else 0.12)
                else "民警",
            )
            for unit in units
            for _ in range(max(1, round(unit.headcount * rng.uniform(0.8, 0.99))))
        ]
        rng.shuffle(people)
        for number, (unit, role) in enumerate(people, 1):
            base = {
                "response_id": f"H{self.y1}{number:05d}",
                "submitted_at": opened + dt.timedelta(minutes=rng.randint(0, 20 * 24 * 60)),
                "unit": unit,
                "role": role,
            }
            mood = rng.gauss(0.3 if unit.unit_type == "机关" else 0.0, 0.8)
            rows.append(
                {
                    **base,
                    "target": None,
                    "question": REVIEW_OVERALL,
                    "answer": self._likert("satisfy", mood + 0.3, rng),
                }
            )
            half = top[:5] if number % 2 else top[5:]
            for n, category in enumerate(half, 2):
                rows.append(
                    {
                        **base,
                        "target": self.office[T.SUGGESTIONS[category][0]],
                        "question": REVIEW_ITEM.format(n=n, category=category),
                        "answer": self._likert("satisfy", mood + improved[category], rng),
                    }
                )
            if rng.random() < 0.3:
                category = rng.choices(categories, weights=weights)[0]
                office_short, templates = T.SUGGESTIONS[category]
                rows.append(
                    {
                        **base,
                        "target": self.office[office_short],
                        "question": REVIEW_SUGGESTION,
                        "answer": None,
                        "suggestion": self._suggestion_blur(
                            category, self._suggestion_text(templates, unit, rng), unit
                        ),
                        "category": category,
                    }
                )
        return rows

    # ---------------------------------------------------------------- rectification ledger
    def _rectifications(self) -> list[dict]:
        rng = self.rng
        total, rectified = fit_total(1500, *RECTIFIED)
        suggestions = [r for r in self.survey if r.get("suggestion")]
        top = list(T.SUGGESTIONS)[:10]
        from_survey = _pick(rng, suggestions, 520, lambda r: 4.0 if r["category"] in top else 1.0)
        substantiated = [c for c in self.complaints if c["substantiated"]]
        from_cases = rng.sample(substantiated, min(430, len(substantiated)))
        items = []
        for row in from_survey:
            found = self.survey_closed + dt.timedelta(days=rng.randint(7, 80))
            summary = row["suggestion"].split("：", 1)[-1]
            items.append(
                {
                    "source": "警意调查",
                    "source_ref": row["response_id"],
                    "unit": row["target"],
                    "category": row["category"],
                    "found_on": found,
                    "description": T.RECT_FROM_SURVEY.format(summary=summary),
                }
            )
        for case in from_cases:
            title = case["title"].removeprefix("再次反映：")
            items.append(
                {
                    "source": "民意诉求",
                    "source_ref": case["case_id"],
                    "unit": case["handling"],
                    "category": case["category"],
                    "found_on": case["closed_at"].date(),
                    "description": f"群众反映“{title}”，经核查属实",
                }
            )
        targets = self.stations + self.districts + self.windows_units
        inspections = 0
        while len(items) < total:
            source = "自查" if rng.random() < 0.58 else "督察"
            category = rng.choice(list(T.RECT_SELF_CHECK))
            found = rng.choice(self.days)
            ref = None
            if source == "督察":
                inspections += 1
                ref = T.INSPECTION_REF.format(year=found.year, n=inspections % 40 + 1)
            unit = rng.choice(targets)
            items.append(
                {
                    "source": source,
                    "source_ref": ref,
                    "unit": unit,
                    "category": category,
                    "found_on": found,
                    "description": f"{unit.short}{rng.choice(T.RECT_SELF_CHECK[category])}",
                }
            )
        items.sort(key=lambda i: (i["found_on"], i["source"]))
        for number, item in enumerate(items, 1):
            item["item_id"] = f"ZG{item['found_on'].year}{number:05d}"
            item["deadline_on"] = item["found_on"] + dt.timedelta(
                days=rng.choice([15, 30, 30, 60, 90])
            )

        def open_weight(item):
            age = (self.today - item["found_on"]).days
            return (30.0 if age < 45 else 6.0 if age < 120 else 1.0) * (
                5.0 if item["category"] in SYSTEMIC else 1.0
            )

        still_open = {id(i) for i in _pick(rng, items, total - rectified, open_weight)}
        for item in items:
            item["rectified_on"], item["review"] = None, None
            if id(item) in still_open:
                age = (self.today - item["found_on"]).days
                if item["category"] in SYSTEMIC and age > 90:
                    item["status"] = "长期整改"
                else:
                    item["status"] = "待整改" if age < 10 else "整改中"
                continue
            item["status"] = "已整改"
            span = (item["deadline_on"] - item["found_on"]).days
            late = rng.random() < 0.09
            days = round(span * (rng.uniform(1.05, 1.5) if late else rng.uniform(0.3, 1.0)))
            item["rectified_on"] = min(item["found_on"] + dt.timedelta(days=days), self.today)
            if (self.today - item["rectified_on"]).days > 60 and (
                item["source"] == "警意调查" and item["category"] in top or rng.random() < 0.35
            ):
                item["review"] = rng.choice(T.REVIEW_BAD if rng.random() < 0.06 else T.REVIEW_GOOD)
        return items

    # ---------------------------------------------------------------- report ledger
    def _ledger(self) -> list[dict]:
        rng = self.rng
        catalogue = []
        for office, subjects in T.REPORT_SUBJECTS.items():
            for subject in subjects:
                for form, frequency in rng.sample(T.REPORT_FORMS, rng.choice([2, 2, 3])):
                    catalogue.append(
                        {
                            "name": f"{subject}{form}",
                            "dept": office,
                            "frequency": frequency,
                            "popularity": rng.uniform(0.2, 1.0),
                        }
                    )
        over = round(STATIONS_OVER_LINE * len(self.stations))
        ranked = sorted(
            self.stations, key=lambda s: s.headcount * rng.uniform(0.7, 1.3), reverse=True
        )
        targets = {
            s.unit_id: rng.randint(BURDEN_LINE, 205)
            if n < over
            else rng.randint(96, BURDEN_LINE - 1)
            for n, s in enumerate(ranked)
        }
        rows = []
        for station in self.stations:
            kept = _pick(rng, catalogue, targets[station.unit_id], lambda r: r["popularity"])
            for report in kept:
                rows.append({"year": self.y1, "station": station, **report, "status": "保留"})
            kept_ids = {id(r) for r in kept}
            extra = [r for r in catalogue if id(r) not in kept_ids]
            for report in rng.sample(extra, rng.randint(1, 4)):
                rows.append(
                    {
                        "year": self.y1,
                        "station": station,
                        **report,
                        "status": "取消",
                        "method": "手工",
                    }
                )
        retained = [r for r in rows if r["status"] == "保留"]
        by_system = len(retained) - _exact(len(retained), HAND_FILLED)
        by_name: dict[str, list[dict]] = {}
        for row in retained:
            by_name.setdefault(row["name"], []).append(row)
        names = list(by_name)
        rng.shuffle(names)
        for name in names:
            for row in by_name[name]:
                row["method"] = "系统" if by_system > 0 else "手工"
                by_system -= 1
        # Second year: the review leaves the reports of six offices; the other 15 demand none.
        for row in retained:
            keeps = row["dept"] in T.OFFICES_KEEPING_REPORTS
            if keeps and rng.random() < 0.82:
                status = "保留"
            else:
                status = "合并" if rng.random() < 0.55 else "取消"
            method = "系统" if status == "保留" and rng.random() < 0.4 else row["method"]
            rows.append({**row, "year": self.y2, "status": status, "method": method})
        return rows


class _Writer:
    """Render the bureau's records as its systems export them: headers, encodings, formats, dirt."""

    def __init__(self, bureau: _Bureau, out_dir: Path):
        self.b = bureau
        self.out = out_dir
        self.rng = random.Random(bureau.rng.random())
        self.entries: list[dict] = []

    def write_all(self) -> list[dict]:
        self._units()
        self._calls()
        self._complaints()
        self._survey(self.b.survey, self.b.survey_id, f"警意调查_{self.b.y1}.csv")
        self._rectifications()
        self._ledger()
        # Last, so the files before it are written exactly as they were without it.
        self._survey(self.b.review, self.b.review_id, f"警意调查回头看_{self.b.y1}.csv")
        self._category_tree()
        self._problem_map()
        return self.entries

    def _category_tree(self) -> None:
        """The bureau's taxonomy as its wide export: one row per leaf (no draw: the files before
        it stay as they were)."""
        rows = [
            [top, middle, leaf]
            for top, middles in T.CATEGORY_TREE.items()
            for middle, leaves in middles.items()
            for leaf in leaves
        ]
        self._csv("分类体系.csv", ["一级分类", "二级分类", "三级分类"], rows, "utf-8-sig")
        self._add("分类体系.csv", "category_tree")

    def _problem_map(self) -> None:
        """The shared problems (民意与警意) as a bureau writes them: one row per problem, each
        side's categories in one cell (no draw, like the tree)."""
        rows = [
            [problem, "、".join(cases), "、".join(ideas)] for problem, cases, ideas in T.PROBLEMS
        ]
        self._csv(
            "共同问题对应.csv", ["共同问题", "群众诉求类别", "民警建议类别"], rows, "utf-8-sig"
        )
        self._add("共同问题对应.csv", "problem_map")

    # ---------------------------------------------------------------- formats
    def _add(self, file: str, kind: str, **extra) -> None:
        self.entries.append({"file": file, "kind": kind, **extra})

    def _csv(
        self,
        name: str,
        header: list[str],
        rows: list[list],
        encoding: str,
        *,
        title: list[str] | None = None,
        footer: list[str] | None = None,
    ) -> None:
        with open(self.out / name, "w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            if title:
                writer.writerow(title)
            writer.writerow(header)
            writer.writerows(rows)
            if footer:
                writer.writerow(footer)

    def _xlsx(
        self, name: str, title: str, header: list[str], rows: list[list], footer: str
    ) -> None:
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Sheet1")
        sheet.append([title])
        sheet.append([f"导出时间：{self.b.today:%Y-%m-%d} 09:00"])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        sheet.append([footer])
        book.save(self.out / name)

    def _dirty(self) -> bool:
        return self.rng.random() < 0.006

    def _ts(self, value: dt.datetime | None, style: str, xlsx: bool = False):
        """A timestamp as one system writes it, now and then as another system would."""
        if value is None:
            return None
        if self._dirty():
            style = self.rng.choice(["cn", "fullwidth", "serial" if xlsx else "slash"])
        if style == "iso":
            return value.isoformat(sep=" ")
        if style == "slash":
            return f"{value.year}/{value.month}/{value.day} {value.hour}:{value.minute:02d}"
        if style == "cn":
            return f"{value.year}年{value.month}月{value.day}日 {value.hour}:{value.minute:02d}"
        if style == "fullwidth":
            return value.isoformat(sep=" ").translate(FULLWIDTH)
        if style == "serial":
            return round((value - dt.datetime(1899, 12, 30)).total_seconds() / 86400, 6)
        return value  # xlsx cell with a date format

    def _date(self, value: dt.date | None, xlsx: bool = False):
        if value is None:
            return None
        draw = self.rng.random()
        if draw < 0.04:
            return f"{value.year}年{value.month}月{value.day}日"
        if draw < 0.06 and xlsx:
            return (value - dt.date(1899, 12, 30)).days
        return dt.datetime.combine(value, dt.time()) if xlsx else value.isoformat()

    def _unit(self, unit: Unit | None, style: str) -> str | None:
        """A unit as one system names it: full name, short name, code or 12345 alias; sometimes
        with 所 for 派出所, the other spelling, or stray spaces."""
        if unit is None:
            return None
        rng = self.rng
        names = {
            "full": unit.name,
            "short": unit.short,
            "code": unit.unit_id,
            "hotline": self.hotline.get(unit.unit_id, unit.name),
        }
        text = names[style]
        draw = rng.random()
        if draw < 0.05 and unit.unit_type == "派出所" and style in ("full", "short"):
            text = text[: -len("派出所")] + "所"
        elif draw < 0.08 and style != "code":
            text = names["short" if style == "full" else "full"]
        elif draw < 0.085:
            text = rng.choice([f" {text}", f"{text} ", f"{text}\u3000"])
        return text

    # ---------------------------------------------------------------- units
    def _units(self) -> None:
        b = self.b
        header = T.header("units")
        type_labels = {
            "窗口": ["窗口", "服务窗口"],
            "支队大队": ["大队"],
            "派出所": ["派出所", "派出所", "所"],
        }
        rows = [
            [
                u.unit_id,
                u.name,
                u.short,
                u.parent_id,
                self.rng.choice(type_labels.get(u.unit_type, [u.unit_type])),
                u.police_type,
                u.headcount,
            ]
            for u in b.units
        ]
        self._csv("单位信息.csv", header, rows, "utf-8-sig")
        self._add("单位信息.csv", "units")
        # The 12345 platform names units after the districts (滨江区公安分局花桥派出所).
        self.hotline = {}
        for district in b.districts:
            area = district.short[:-2]
            area = area if area.endswith("区") else f"{area}区"
            self.hotline[district.unit_id] = f"{area}公安分局"
        for station in b.stations:
            self.hotline[station.unit_id] = f"{self.hotline[station.parent_id]}{station.short}"
        for unit in list(b.office.values()) + b.brigades:
            self.hotline[unit.unit_id] = f"市公安局{unit.short}"
        aliases = sorted(self.hotline.items(), key=lambda kv: kv[0])
        extra = [
            ("出入境大厅", b.halls["出入境"].unit_id),
            ("车管所", b.halls["交警"].unit_id),
            ("市户政大厅", b.halls["治安"].unit_id),
            ("市局指挥中心", b.office["指挥中心"].unit_id),
        ]
        rows = [[alias, unit_id] for unit_id, alias in aliases] + [list(e) for e in extra]
        self._csv("单位别名对照.csv", T.header("unit_aliases"), rows, "gbk")
        self._add("单位别名对照.csv", "unit_aliases")

    # ---------------------------------------------------------------- call records
    def _calls(self) -> None:
        b = self.b
        self._calls_110()
        halves: dict[tuple[int, int], list[dict]] = {}
        for row in b.calls_12345:
            halves.setdefault(
                (row["received_at"].year, (row["received_at"].month - 1) // 6), []
            ).append(row)
        labels = {
            "满意": ["非常满意", "满意"],
            "基本满意": ["一般", "基本满意"],
            "不满意": ["不满意"],
            "未回访": ["未接通", "拒访", "空号", "无人接听"],
        }
        header = T.header("calls_12345")
        for (year, half), rows in halves.items():
            out = [
                [
                    r["record_id"],
                    self._ts(r["received_at"], "iso"),
                    self._unit(r["unit"], "hotline"),
                    r["category"],
                    self._ts(r["callback_at"], "iso"),
                    self.rng.choice(labels[r["result"]]) if r["result"] else None,
                    r["note"],
                ]
                for r in rows
            ]
            if (year, half) == (b.y1, 0):
                out.insert(
                    40,
                    [
                        f"GD{year}0415999001",
                        f"{year}-04-15 10:12:00",
                        "市城管局",
                        "占道经营",
                        None,
                        None,
                        "非公安职责，已退回",
                    ],
                )
                out.insert(
                    90,
                    [
                        f"GD{year}0503999002",
                        f"{year}-05-03 16:40:00",
                        "市城管局",
                        "噪音扰民",
                        None,
                        None,
                        None,
                    ],
                )
                b.rejected_expected += 2
            name = f"12345热线工单回访_{year}{'上' if half == 0 else '下'}半年.csv"
            self._csv(name, header, out, "gbk")
            self._add(name, "call_records", set={"channel": "12345"})
        self._windows()

    def _calls_110(self) -> None:
        """The old 110 system (first year) exports a quarter per file, the new one a month."""
        b, rng = self.b, self.rng
        parts: dict[tuple[int, int], list[dict]] = {}
        for row in b.calls_110:
            moment = row["received_at"]
            part = (moment.month - 1) // 3 + 1 if moment.year == b.y1 else moment.month
            parts.setdefault((moment.year, part), []).append(row)
        old = T.header("calls_110_old")
        new = T.header("calls_110_new")
        unreached = ["未接通", "拒访", "空号", "关机"]

        def render(r, old_system, show_callback=True, xlsx=False):
            result = r["result"] if show_callback else None
            label = rng.choice(unreached) if result == "未回访" else result
            minutes = r["response_minutes"]
            return [
                r["record_id"],
                self._ts(r["received_at"], "iso" if old_system else "slash", xlsx),
                self._unit(r["unit"], "short"),
                r["category"],
                r["police_type"],
                f"{minutes}分钟" if old_system and rng.random() < 0.02 else minutes,
                self._ts(r["callback_at"] if show_callback else None, "iso", xlsx),
                label,
                r["note"] if show_callback else None,
            ]

        for (year, part), rows in parts.items():
            old_system = year == b.y1
            # The second quarter went out before most June callbacks; a supplement carries them.
            pending = []
            if (year, part) == (b.y1, 2):
                pending = [r for r in rows if r["callback_at"] and r["received_at"].month == 6][::3]
            pending_ids = {r["record_id"] for r in pending}
            out = [render(r, old_system, r["record_id"] not in pending_ids) for r in rows]
            if (year, part) == (b.y1, 1):
                out.insert(100, list(out[99]))  # the same call exported twice: the loader keeps one
                out.insert(
                    300,
                    [
                        f"J990100{year}011899001",
                        f"{year}-01-18 21:05:11",
                        "开发区派出所",
                        "纠纷",
                        "治安",
                        15,
                        None,
                        None,
                        None,
                    ],
                )
                out.insert(
                    3000,
                    [
                        f"J990100{year}023099002",
                        f"{year}-02-30 08:30:00",
                        "花桥派出所",
                        "求助",
                        "治安",
                        9,
                        None,
                        None,
                        None,
                    ],
                )
                b.rejected_expected += 3
            name = (
                f"110接警回访_{year}Q{part}.csv"
                if old_system
                else f"110接警回访_{year}-{part:02d}.csv"
            )
            self._csv(name, old if old_system else new, out, "gbk" if old_system else "utf-8-sig")
            self._add(name, "call_records", set={"channel": "110"})
            if pending:
                name = f"110接警回访_{year}-06_补充回访.xlsx"
                self._xlsx(
                    name,
                    f"{T.BUREAU}{year}年6月110接警补充回访情况表",
                    old,
                    [render(r, True, xlsx=True) for r in pending],
                    f"合计：{len(pending)} 条",
                )
                self._add(name, "call_records", set={"channel": "110"})

    def _windows(self) -> None:
        b, rng = self.b, self.rng
        first = [r for r in b.windows if r["received_at"].year == b.y1]
        second = [r for r in b.windows if r["received_at"].year == b.y2]
        old_labels = {
            "满意": ["满意"],
            "基本满意": ["基本满意"],
            "不满意": ["不满意"],
            "未回访": ["未评价"],
        }
        new_labels = {
            "满意": ["非常满意", "满意"],
            "基本满意": ["一般", "基本满意"],
            "不满意": ["不满意", "很不满意"],
            "未回访": ["未评价", "未回访"],
        }
        header = T.header("windows_old")
        rows = [
            [
                r["record_id"],
                self._ts(r["received_at"], "iso"),
                self._unit(r["unit"], "short"),
                r["police_type"],
                r["category"],
                self._ts(r["callback_at"], "iso"),
                rng.choice(old_labels[r["result"]]) if r["result"] else None,
                r["note"],
            ]
            for r in first
        ]
        name = f"窗口服务回访_{b.y1}.csv"
        title = [f"{T.BUREAU}{b.y1}年窗口服务回访情况表"]
        self._csv(name, header, rows, "gbk", title=title, footer=["制表：警务保障部"])
        self._add(name, "call_records", set={"channel": "窗口"})
        header = T.header("windows_new")
        rows = [
            [
                r["record_id"],
                self._ts(r["received_at"], "iso"),
                self._unit(r["unit"], "full"),
                r["police_type"],
                r["category"],
                self._ts(r["callback_at"], "iso"),
                rng.choice(new_labels[r["result"]]) if r["result"] else None,
                r["note"],
            ]
            for r in second
        ]
        rows.insert(
            min(500, len(rows)),
            [
                "00990" + f"{b.y2}0301" + "000001",
                f"{b.y2}-03-01 10:00:00",
                "流动服务车",
                "治安",
                "身份证换领",
                None,
                None,
                None,
            ],
        )
        b.rejected_expected += 1
        name = f"窗口服务回访_{b.y2}.csv"
        self._csv(name, header, rows, "utf-8-sig")
        self._add(name, "call_records", set={"channel": "窗口"})

    # ---------------------------------------------------------------- complaints
    def _complaints(self) -> None:
        b, rng = self.b, self.rng
        old = T.header("complaints_old")
        new = T.header("complaints_new")
        status_new = {
            "已办结": "办结",
            "已评议": "已评价",
            "办理中": "处理中",
            "受理": "已受理",
            "交办": "已交办",
            "转办": "已转办",
            "已反馈": "已回复",
        }
        routed = {
            (True, "规则"): "自动分派",
            (True, "人工"): "人工分派",
            (False, "规则"): "智能分派",
            (False, "人工"): "手工",
        }
        callback = {"未回访": ["未接通", "拒访"]}
        for year in (b.y1, b.y2):
            first = year == b.y1
            cases = [c for c in b.complaints if c["received_at"].year == year]
            rows = []
            for c in cases:
                truth = (
                    None
                    if c["substantiated"] is None
                    else (rng.choice(["属实", "部分属实"]) if c["substantiated"] else "不属实")
                )
                status = c["status"] if first else status_new.get(c["status"], c["status"])
                satisfaction = rng.choice(callback.get(c["satisfaction"], [c["satisfaction"]]))
                rows.append(
                    [
                        c["case_id"],
                        self._ts(c["received_at"], "cell" if first else "iso", first),
                        c["channel"],
                        c["kind"],
                        c["title"],
                        c["content"],
                        self._unit(c["receiving"], "full"),
                        self._unit(c["handling"], "full"),
                        status,
                        self._ts(c["deadline_at"], "cell" if first else "iso", first),
                        self._ts(c["closed_at"], "cell" if first else "iso", first),
                        satisfaction,
                        truth,
                        c["category"],
                        c["duplicate_of"],
                        routed[(first, c["routed_by"])] if c["routed_by"] else None,
                    ]
                )
            bad_day = f"{year}-02-30 09:12:00" if first else f"{year}-04-31 15:20:00"
            rows.insert(
                min(120, len(rows)),
                [
                    f"MY{year}0000{9901 if first else 9902}",
                    bad_day,
                    "市长信箱",
                    "投诉",
                    "反映小区停车难",
                    "小区车位紧张，晚上回来没有地方停车。",
                    T.BUREAU,
                    None,
                    "受理",
                    None,
                    None,
                    None,
                    None,
                    "违章停车",
                    None,
                    None,
                ],
            )
            b.rejected_expected += 1
            if first:
                name = f"民意督办平台工单_{year}.xlsx"
                self._xlsx(
                    name,
                    f"{T.BUREAU}民意督办平台工单汇总（{year}年）",
                    old,
                    rows,
                    f"合计：{len(rows)} 件",
                )
            else:
                name = f"民意督办平台工单_{year}.csv"
                self._csv(name, new, rows, "utf-8-sig")
            self._add(name, "complaints")
        header = T.header("complaint_events")
        variants = {
            "退回": "退单",
            "改派": "重新派单",
            "反馈": "答复",
            "评议": "回访",
            "办结": "结案",
        }
        for year in (b.y1, b.y2):
            events = [e for e in b.events if e["case_id"][2:6] == str(year)]
            rows = [
                [
                    e["case_id"],
                    self._ts(e["event_at"], "iso"),
                    variants.get(e["stage"], e["stage"]) if year == b.y2 else e["stage"],
                    self._unit(e["from"], "short"),
                    self._unit(e["to"], "short"),
                    e["note"],
                ]
                for e in events
            ]
            name = f"民意督办流转记录_{year}.csv"
            self._csv(name, header, rows, "utf-8-sig")
            self._add(name, "complaint_events")

    # ---------------------------------------------------------------- survey
    def _survey(self, rows_of: list[dict], survey_id: str, name: str) -> None:
        rng = self.rng
        header = T.header("survey")
        roles = {"民警": ["民警"] * 30 + ["警察"], "辅警": ["辅警"] * 8 + ["协警", "警务辅助人员"]}
        rows, said = [], {}
        for r in rows_of:
            answer = r["answer"]
            if r["response_id"] not in said:
                said[r["response_id"]] = rng.choice(roles[r["role"]])
            rows.append(
                [
                    r["response_id"],
                    survey_id,
                    self._ts(r["submitted_at"], "iso"),
                    self._unit(r["unit"], "short"),
                    said[r["response_id"]],
                    self._unit(r["target"], "short"),
                    r["question"],
                    answer,
                    LIKERT_SCORES[answer] if answer else None,
                    r.get("suggestion"),
                    r.get("category"),
                ]
            )
        self._csv(name, header, rows, "utf-8-sig")
        self._add(name, "survey_responses")

    # ---------------------------------------------------------------- rectification ledger
    def _rectifications(self) -> None:
        b, rng = self.b, self.rng
        header = T.header("rectifications")
        sources = {
            "警意调查": ["警意调查", "警意调查", "警意"],
            "民意诉求": ["民意诉求", "民意诉求", "群众诉求"],
            "自查": ["自查", "自查", "自查自纠"],
            "督察": ["督察", "督察", "督查"],
        }
        statuses = {
            "已整改": ["已整改", "已整改", "整改完成", "已销号"],
            "整改中": ["整改中", "正在整改"],
            "待整改": ["待整改", "未整改"],
            "长期整改": ["长期整改", "持续整改"],
        }
        rows = [
            [
                i["item_id"],
                rng.choice(sources[i["source"]]),
                i["source_ref"],
                self._unit(i["unit"], "short"),
                i["category"],
                i["description"],
                self._date(i["found_on"], True),
                self._date(i["deadline_on"], True),
                rng.choice(statuses[i["status"]]),
                self._date(i["rectified_on"], True),
                i["review"],
            ]
            for i in b.rectifications
        ]
        rows.insert(
            min(700, len(rows)),
            [
                f"ZG{b.y1}99901",
                "自查",
                None,
                "临时工作专班",
                "队伍管理",
                "专班人员考勤记录不全",
                dt.datetime(b.y1, 9, 1),
                dt.datetime(b.y1, 9, 30),
                "已整改",
                dt.datetime(b.y1, 9, 20),
                None,
            ],
        )
        b.rejected_expected += 1
        name = f"问题整改台账_{b.y1}-{b.y2}.xlsx"
        self._xlsx(
            name,
            f"{T.BUREAU}问题整改台账（{b.y1}—{b.y2}年）",
            header,
            rows,
            "填表说明：状态以督察支队核定为准",
        )
        self._add(name, "rectifications")

    # ---------------------------------------------------------------- report ledger
    def _ledger(self) -> None:
        b, rng = self.b, self.rng
        frequency = {
            "日": ["日", "日报", "每日"],
            "周": ["周", "周报"],
            "月": ["月", "月报", "每月"],
            "季": ["季", "季度"],
            "半年": ["半年"],
            "年": ["年", "年报"],
            "不定期": ["不定期", "临时"],
        }
        first = [r for r in b.ledger if r["year"] == b.y1]
        rows = [
            [
                r["year"],
                self._unit(r["station"], "full"),
                r["name"],
                r["dept"],
                rng.choice(frequency[r["frequency"]]),
                "手工填报" if r["method"] == "手工" else "系统生成",
                r["status"],
            ]
            for r in first
        ]
        rows.insert(
            min(3000, len(rows)), [b.y1, "花桥派出所", None, "治安支队", "月", "手工填报", "保留"]
        )
        b.rejected_expected += 1
        name = f"基层报表台账_{b.y1}.csv"
        self._csv(
            name,
            T.header("report_ledger_old"),
            rows,
            "gbk",
        )
        self._add(name, "report_ledger")
        second = [r for r in b.ledger if r["year"] == b.y2]
        rows = [
            [
                r["year"],
                self._unit(r["station"], "short"),
                r["name"],
                r["dept"],
                r["frequency"],
                r["method"],
                {"合并": "已合并", "取消": "已取消"}.get(r["status"], r["status"]),
            ]
            for r in second
        ]
        name = f"基层报表清理结果_{b.y2}.csv"
        self._csv(
            name,
            T.header("report_ledger_new"),
            rows,
            "utf-8-sig",
            footer=["注：清理结果经市局减负办审定"],
        )
        self._add(name, "report_ledger")
