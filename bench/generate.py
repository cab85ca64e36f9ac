"""Exports at province scale as the bureau's systems write them: CSV, Chinese headers, unsorted.

Small pools of realistic pieces are built in Python from the demo bureau's (each city's unit tree
from demo.units, the systems' headers and filled text templates from demo.templates); DuckDB then
composes millions of rows from them by hashing the row number, so a file is the same on every run
and takes seconds, not minutes, to write. Files are kept and reused.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from demo import templates as texts
from demo.units import city_tree

VERSION = 2  # bump when the generated content changes, so old files are not reused
YEAR = 2025
SEED = 7
CITIES = 12
DISTRICTS_PER_CITY = 8  # 96 分局
STATIONS_PER_DISTRICT = 16  # 1,536 派出所
OFFICES_PER_CITY = len(texts.OFFICES)  # 21: 7 × (4, 5, 6) stay distinct modulo it
OFFICE_ITEM = "6、您对{office}服务基层工作的评价"
SUGGESTIONS_PER_RESPONDENT = 4
RECTIFICATION_SHARE = 0.2  # items per suggestion
REPORTS_PER_STATION = (100, 180)
# Filled variants per complaint category; joins pick by these constants (equi-joins, not loops).
TITLES, DETAILS, ASKS = 300, 600, 100

_CITY_NAMES = [
    "江城",
    "临川",
    "云州",
    "安平",
    "青阳",
    "泰和",
    "永宁",
    "兴安",
    "海陵",
    "南屏",
    "东原",
    "石城",
    "汉川",
    "平湖",
    "宜丰",
    "洛安",
]
_PLACE_FIRST = (
    "东西南北中新老上下大小金银石水山河湖江桥林花柳松竹梅兰青白红黄长平安宁福寿康乐和丰永兴"
)
_PLACE_SECOND = "关门街桥湾塘坪岗坡营庄镇集店铺园苑湖口港堡岭峰沟坝洲滩场路里村寨屯渡亭"
_DISTRICT_SUFFIX = [
    "城区",
    "开发区",
    "高新区",
    "新区",
    "港区",
    "县",
    "湖区",
    "山区",
    "北区",
    "南区",
]

# The demo bureau's systems' headers ({contract column: header}), so the benchmark's files are
# read by the same recognition as the demo's. One provincial file holds all three call channels,
# so its calls carry a channel column the 110 system's own export has not.
UNITS = texts.HEADERS["units"]
CALLS = {**texts.HEADERS["calls_110_new"], "channel": texts.HEADERS["complaints_new"]["channel"]}
COMPLAINTS = texts.HEADERS["complaints_old"]
EVENTS = texts.HEADERS["complaint_events"]
SURVEY = texts.HEADERS["survey"]
RECTIFICATIONS = texts.HEADERS["rectifications"]
LEDGER = texts.HEADERS["report_ledger_old"]
UNIT_HEADER = list(UNITS.values())


def _as(headers: dict[str, str], column: str) -> str:
    """SQL: `as "<header>"` for a contract column in a system's export."""
    return f'as "{headers[column]}"'


COMPLAINT_CHANNELS = [
    ("12345", 40),
    ("市长信箱", 12),
    ("来信来访", 10),
    ("110短信评警", 10),
    ("平安民声", 8),
    ("政风热线", 6),
    ("民生警务连线", 8),
    ("人大政协建议提案", 2),
    ("批示督办", 4),
]


@dataclass(frozen=True)
class Exports:
    """Paths of one generated set of exports (units first, then facts)."""

    units: Path
    calls: Path
    complaints: Path
    events: Path
    survey: Path
    rectifications: Path
    ledger: Path
    calls_extra: Path  # new records for the concurrent load

    def rows(self) -> dict[str, int]:
        """Data rows per file (lines minus the header), counted once and cached beside the file."""
        out = {}
        for name, path in self.__dict__.items():
            count = path.with_suffix(".rows")
            if not count.exists():
                with path.open("rb") as f:
                    lines = sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 24), b""))
                count.write_text(str(lines - 1))
            out[name] = int(count.read_text())
        return out


def generate(
    folder: Path,
    calls: int,
    complaints: int,
    suggestions: int,
    extra_calls: int = 1_000_000,
    *,
    log=print,
) -> Exports:
    """Write (or reuse) every export for these sizes under `folder`; return their paths."""
    folder = Path(folder) / f"v{VERSION}-seed{SEED}"
    folder.mkdir(parents=True, exist_ok=True)
    units = _units()
    exports = Exports(
        units=folder / "单位信息.csv",
        calls=folder / f"110_12345_窗口回访_{calls}.csv",
        complaints=folder / f"民意诉求工单_{complaints}.csv",
        events=folder / f"民意诉求流转记录_{complaints}.csv",
        survey=folder / f"警意调查_{suggestions}.csv",
        rectifications=folder / f"整改台账_{suggestions}.csv",
        ledger=folder / f"基层报表台账_{_ledger_stations(calls)}.csv",
        calls_extra=folder / f"110_12345_窗口回访_追加_{calls}_{extra_calls}.csv",
    )
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    _register_pools(con, units)
    jobs = [
        (exports.units, lambda p: _write_frame(units[UNIT_HEADER], p)),
        (exports.calls, lambda p: _copy(con, _calls_sql(0, calls), p)),
        (exports.complaints, lambda p: _copy(con, _complaints_sql(complaints), p)),
        (exports.events, lambda p: _copy(con, _events_sql(complaints), p)),
        (exports.survey, lambda p: _copy(con, _survey_sql(suggestions), p)),
        (exports.rectifications, lambda p: _copy(con, _rect_sql(suggestions), p)),
        (exports.ledger, lambda p: _copy(con, _ledger_sql(_ledger_stations(calls)), p)),
        (exports.calls_extra, lambda p: _copy(con, _calls_sql(calls, extra_calls), p)),
    ]
    for path, write in jobs:
        if path.exists():
            continue
        log(f"  generating {path.name}")
        partial = path.with_name(f"{path.stem}.partial.csv")
        write(partial)
        partial.rename(path)
    con.close()
    return exports


def _write_frame(frame: pd.DataFrame, path: Path) -> None:
    # Units come from a desktop tool: Excel's "CSV UTF-8", with its byte-order mark.
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def _copy(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> None:
    con.execute(f"copy ({sql}) to '{path}' (header, delimiter ',', quote '\"')")


def _place_names(rng: random.Random) -> list[str]:
    """Every distinct two-character place name the character lists make, shuffled."""
    names = list(dict.fromkeys(a + b for a in _PLACE_FIRST for b in _PLACE_SECOND + _PLACE_FIRST))
    rng.shuffle(names)
    return names


def _units() -> pd.DataFrame:
    """The province's unit tree: each city's is the demo bureau's (demo/units.py: 市局 → 机关
    offices, brigades and halls; 分局 → 派出所 and a 户政窗口), its 分局 and 派出所 named from
    the place-name pool, so station names are unique in the province and exports may use them
    alone."""
    rng = random.Random(SEED)
    places = iter(_place_names(rng))
    rows = []
    for c, city in enumerate(_CITY_NAMES[:CITIES]):
        districts = [
            (
                f"{next(places)}{_DISTRICT_SUFFIX[d % len(_DISTRICT_SUFFIX)]}分局",
                False,
                [next(places) for _ in range(STATIONS_PER_DISTRICT)],
            )
            for d in range(DISTRICTS_PER_CITY)
        ]
        tree = city_tree(
            rng,
            bureau=f"{city}市公安局",
            city_id=f"{320100 + c * 100}000000",
            districts=districts,
            exit_entry=(),
            prefix=city,
        )
        for u in tree.units:
            quality = rng.random() if u.unit_type == "派出所" else None
            rows.append(
                (
                    u.unit_id,
                    u.name,
                    u.short,
                    u.parent_id,
                    u.unit_type,
                    u.police_type,
                    u.headcount,
                    c,
                    quality,
                )
            )
    frame = pd.DataFrame(rows, columns=[*UNIT_HEADER, "city", "quality"])
    frame[UNITS["headcount"]] = frame[UNITS["headcount"]].astype("Int64")
    return frame


# Slots demo.bureau fills from its own state; here they get fixed or per-row values.
_ROW_SLOTS = {"station": "{station}", "when": "{when}", "unit": "{unit}"}


def _fill_all(templates: list[str], rng: random.Random, k: int) -> list[str]:
    """k texts, each a random template with its slots filled ({station}, {when}, {unit} kept)."""
    out = []
    for _ in range(k):
        fixed = {**_ROW_SLOTS, "count": str(rng.randint(2, 9)), "hours": str(rng.randint(2, 48))}
        out.append(texts.fill(rng.choice(templates), rng, **fixed))
    return out


def _register_pools(con: duckdb.DuckDBPyConnection, units: pd.DataFrame) -> None:
    """Lookup tables the row generators pick from by hashed index: units, texts, categories."""
    rng = random.Random(SEED + 1)
    stations = units[units[UNITS["unit_type"]] == "派出所"].reset_index(drop=True)
    windows = units[units[UNITS["unit_type"]] == "窗口"].reset_index(drop=True)
    offices = units[units[UNITS["unit_type"]] == "机关"].reset_index(drop=True)
    bureaus = units[units[UNITS["unit_type"]] == "市局"].reset_index(drop=True)
    con.register(
        "stations_df",
        pd.DataFrame(
            {
                "idx": range(len(stations)),
                "short_name": stations[UNITS["short_name"]],
                "name": stations[UNITS["name"]],
                "city": stations["city"],
                "quality": stations["quality"],
                "window_name": stations[UNITS["parent_id"]].map(
                    dict(zip(windows[UNITS["parent_id"]], windows[UNITS["name"]]))
                ),
            }
        ),
    )
    con.register(
        "offices_df",
        pd.DataFrame(
            {
                "idx": range(len(offices)),
                "name": offices[UNITS["name"]],
                "city": offices["city"],
                "short": [
                    s[len(_CITY_NAMES[c]) :]
                    for s, c in zip(offices[UNITS["short_name"]], offices["city"])
                ],
            }
        ),
    )
    con.register(
        "bureaus_df", pd.DataFrame({"city": bureaus["city"], "name": bureaus[UNITS["name"]]})
    )

    # Call categories: channel, category, police type, weight (110 by demo weights, 12345, windows).
    cats = [
        (
            "110",
            name,
            "刑侦" if name == "刑事案件" else "交警" if name == "交通事故" else "治安",
            spec["w"],
        )
        for name, spec in texts.CALL_110.items()
    ]
    cats += [("12345", name, "治安", spec["w"]) for name, spec in texts.CALL_12345.items()]
    cats += [
        ("窗口", business, police_type, 3)
        for police_type, items in texts.WINDOW_BUSINESS.items()
        for business in items
    ]
    con.register(
        "call_cats_df",
        _cumulative(pd.DataFrame(cats, columns=["channel", "category", "police_type", "w"])),
    )
    good = [t for spec in texts.CALL_110.values() for t in spec["good"]] + texts.CALL_12345_GOOD
    good += texts.WINDOW_GOOD
    bad = [t for spec in texts.CALL_110.values() for t in spec["bad"]]
    bad += [t for spec in texts.CALL_12345.values() for t in spec["bad"]] + texts.WINDOW_BAD
    neutral = texts.CALL_NOTES_NEUTRAL + texts.WINDOW_NEUTRAL
    notes = []
    for klass, templates, tails in (
        ("good", good, texts.NOTE_TAILS["good"]),
        ("neutral", neutral, texts.NOTE_TAILS["good"]),
        ("bad", bad, texts.NOTE_TAILS["bad"]),
    ):
        notes += [(klass, t + rng.choice(tails)) for t in _fill_all(templates, rng, 4000)]
    con.register("notes_df", _indexed(pd.DataFrame(notes, columns=["klass", "note"]), "klass"))

    # Complaint texts: per category, filled titles, accounts and requests ({station} kept).
    titles, details, asks, kinds = [], [], [], []
    for category, spec in texts.COMPLAINTS.items():
        titles += [(category, t) for t in _fill_all(spec["titles"], rng, TITLES)]
        details += [(category, t) for t in _fill_all(spec["detail"], rng, DETAILS)]
        asks += [(category, t) for t in _fill_all(spec["ask"], rng, ASKS)]
        kinds += [(category, kind, w) for kind, w in spec["kinds"].items()]
    openers = _fill_all(texts.OPENERS, rng, 200)
    con.register(
        "c_titles_df", _indexed(pd.DataFrame(titles, columns=["category", "t"]), "category")
    )
    con.register(
        "c_details_df", _indexed(pd.DataFrame(details, columns=["category", "t"]), "category")
    )
    con.register("c_asks_df", _indexed(pd.DataFrame(asks, columns=["category", "t"]), "category"))
    con.register("c_openers_df", pd.DataFrame({"idx": range(len(openers)), "t": openers}))
    con.register(
        "c_kinds_df",
        _cumulative(pd.DataFrame(kinds, columns=["category", "kind", "w"]), by="category"),
    )
    con.register(
        "c_cats_df",
        pd.DataFrame({"idx": range(len(texts.COMPLAINTS)), "category": list(texts.COMPLAINTS)}),
    )
    con.register(
        "c_channels_df", _cumulative(pd.DataFrame(COMPLAINT_CHANNELS, columns=["channel", "w"]))
    )

    # Officer suggestions: category, the office that answers for it, filled texts ({unit} kept).
    suggestions = []
    office_short = [short for short, *_ in texts.OFFICES]
    for category, (office, templates) in texts.SUGGESTIONS.items():
        suggestions += [
            (category, office if office in office_short else "办公室", t)
            for t in _fill_all(templates, rng, 300)
        ]
    con.register(
        "s_texts_df", _indexed(pd.DataFrame(suggestions, columns=["category", "office", "t"]), None)
    )
    con.register(
        "s_cats_df",
        pd.DataFrame({"idx": range(len(texts.SUGGESTIONS)), "category": list(texts.SUGGESTIONS)}),
    )
    rect = [
        (category, problem)
        for category, problems in texts.RECT_SELF_CHECK.items()
        for problem in problems
    ]
    con.register(
        "r_self_df",
        pd.DataFrame(
            {"idx": range(len(rect)), "category": [c for c, _ in rect], "t": [t for _, t in rect]}
        ),
    )
    reports = [
        (f"{subject}{form}", freq, office)
        for office, subjects in texts.REPORT_SUBJECTS.items()
        for subject in subjects
        for form, freq in texts.REPORT_FORMS
    ]
    con.register(
        "reports_df",
        pd.DataFrame(
            {
                "idx": range(len(reports)),
                "report": [r for r, _, _ in reports],
                "freq": [f for _, f, _ in reports],
                "office": [o for _, _, o in reports],
            }
        ),
    )


def _indexed(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Number rows 0..n-1 (within each `by` group) as idx, the key the generators pick by."""
    frame["idx"] = range(len(frame)) if by is None else frame.groupby(by).cumcount()
    return frame


def _cumulative(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Weights as [lo, hi) ranges out of 10,000 (within each `by` group), for hashed picks."""
    groups = [frame] if by is None else [g for _, g in frame.groupby(by, sort=False)]
    out = []
    for group in groups:
        hi = (group["w"].cumsum() / group["w"].sum() * 10_000).round().astype(int)
        out.append(group.assign(lo=hi.shift(1, fill_value=0), hi=hi))
    return pd.concat(out, ignore_index=True)


def _h(i: str, salt: int, mod: int | str) -> str:
    """SQL: a deterministic pseudo-random integer in [0, mod) from row number i and a salt."""
    return f"(hash({i}, {salt}) % {mod})::bigint"


def _ts(moment: str) -> str:
    return f"strftime({moment}, '%Y-%m-%d %H:%M:%S')"


def _calls_sql(first: int, n: int) -> str:
    """Call records 110/12345/窗口 with their callbacks; ids first..first+n-1, times at random."""
    seconds = 365 * 86400
    return f"""
    with base as (
        select i,
            timestamp '{YEAR}-01-01' + to_seconds({_h("i", 1, seconds)}) as received,
            {_h("i", 2, 10_000)} as cat_pick,
            {_h("i", 3, "n_stations")} as station_idx,
            {_h("i", 4, 10_000)} as result_pick,
            {_h("i", 5, 10_000)} as note_pick,
            {_h("i", 6, 100)} as variant_pick,
            {_h("i", 7, 4000)} as note_idx
        from range({first}, {first + n}) as r(i),
            (select count(*) as n_stations from stations_df)
    ),
    picked as (
        select b.*, k.channel, k.category, k.police_type, s.short_name, s.name, s.window_name,
            s.quality,
            -- A station's quality moves its dissatisfied share between 1% and 5%.
            case
                when b.result_pick < 700 then '未回访'
                when b.result_pick < 700 + 100 + 400 * (1 - s.quality) then '不满意'
                when b.result_pick < 2000 then '基本满意'
                else '满意'
            end as result
        from base as b
        join call_cats_df as k on b.cat_pick >= k.lo and b.cat_pick < k.hi
        join stations_df as s on s.idx = b.station_idx
    )
    select
        'JQ{YEAR}' || lpad(p.i::varchar, 10, '0') {_as(CALLS, "record_id")},
        {_ts("p.received")} {_as(CALLS, "received_at")},
        p.channel {_as(CALLS, "channel")},
        case p.channel when '窗口' then p.window_name when '12345' then p.name
            else p.short_name end {_as(CALLS, "unit_id")},
        p.police_type {_as(CALLS, "police_type")},
        p.category {_as(CALLS, "category")},
        case when p.result <> '未回访' or p.variant_pick < 50
            then {_ts(f"p.received + to_minutes(30 + {_h('p.i', 8, 4000)})")} end
            {_as(CALLS, "callback_at")},
        case p.result
            when '满意' then (['满意', '非常满意', '满意', '满意'])[p.variant_pick % 4 + 1]
            when '基本满意' then (['基本满意', '一般', '基本满意'])[p.variant_pick % 3 + 1]
            when '不满意' then (['不满意', '很不满意', '不满意'])[p.variant_pick % 3 + 1]
            else (['未接通', '未回访', '拒访', '关机', '无人接听'])[p.variant_pick % 5 + 1]
        end {_as(CALLS, "callback_result")},
        case when p.channel = '110'
            then round(3 + {_h("p.i", 9, 5000)} / 100.0, 1) end {_as(CALLS, "response_minutes")},
        -- Callback staff often type two remarks; a third of the notes have a second one.
        n.note || case when p.note_pick % 3 = 0 and n2.note is not null
            then '；' || n2.note else '' end {_as(CALLS, "note")}
    from picked as p
    left join notes_df as n
        on n.idx = p.note_idx
        and n.klass = case
            when p.result = '不满意' then 'bad'
            when p.result = '基本满意' and p.note_pick < 7000 then 'neutral'
            when p.result = '满意' and p.note_pick < 2500 then 'good'
        end
    left join notes_df as n2
        on n2.klass = n.klass and n2.idx = (p.note_idx * 7 + p.note_pick) % 4000
    -- Exports list records by id; ids are not in time order (the time is random per record).
    order by p.i
    """


def _complaints_sql(n: int) -> str:
    """Complaint cases with their texts, units, workflow status, deadline and callback."""
    seconds = 365 * 86400
    return f"""
    with base as (
        select i,
            timestamp '{YEAR}-01-01' + to_seconds({_h("i", 11, seconds)}) as received,
            {_h("i", 12, "n_cats")} as cat_idx,
            {_h("i", 13, "n_stations")} as station_idx,
            {_h("i", 14, 10_000)} as channel_pick,
            {_h("i", 15, 10_000)} as kind_pick,
            {_h("i", 16, 10_000)} as status_pick,
            {_h("i", 17, 10_000)} as misc_pick,
            {_h("i", 18, 1_000_000)} as text_pick
        from range({n}) as r(i),
            (select count(*) as n_cats from c_cats_df),
            (select count(*) as n_stations from stations_df)
    ),
    picked as (
        select b.*, c.category, s.short_name, s.name as station, bu.name as bureau, ch.channel,
            coalesce(k.kind, '投诉') as kind,
            case
                when b.status_pick < 300 then '受理'
                when b.status_pick < 700 then '交办'
                when b.status_pick < 1100 then '办理中'
                when b.status_pick < 1500 then '已反馈'
                when b.status_pick < 8000 then '已办结'
                else '已评议'
            end as status,
            b.received + to_days(case when ch.channel in ('人大政协建议提案', '批示督办') then 30
                else 10 end) as deadline
        from base as b
        join c_cats_df as c on c.idx = b.cat_idx
        join stations_df as s on s.idx = b.station_idx
        join bureaus_df as bu on bu.city = s.city
        join c_channels_df as ch on b.channel_pick >= ch.lo and b.channel_pick < ch.hi
        left join c_kinds_df as k on k.category = c.category
            and b.kind_pick >= k.lo and b.kind_pick < k.hi
    ),
    texted as (
        select p.*,
            replace(t.t, '{{station}}', p.short_name) as title,
            replace(replace(
                o.t || d.t || case when p.text_pick % 2 = 0 then d2.t else '' end || a.t,
                '{{station}}', p.short_name), '{{when}}',
                strftime(p.received - to_days(3), '%-m月%-d日')) as content
        from picked as p
        join c_titles_df as t on t.category = p.category and t.idx = p.text_pick % {TITLES}
        join c_details_df as d on d.category = p.category
            and d.idx = (p.text_pick // 7) % {DETAILS}
        join c_details_df as d2 on d2.category = p.category
            and d2.idx = (p.text_pick // 13 + 1) % {DETAILS}
        join c_asks_df as a on a.category = p.category and a.idx = (p.text_pick // 11) % {ASKS}
        join c_openers_df as o on o.idx = p.text_pick % 200
    )
    select
        'GD{YEAR}' || lpad(i::varchar, 9, '0') {_as(COMPLAINTS, "case_id")},
        {_ts("received")} {_as(COMPLAINTS, "received_at")},
        channel {_as(COMPLAINTS, "channel")},
        kind {_as(COMPLAINTS, "kind")},
        title {_as(COMPLAINTS, "title")},
        content {_as(COMPLAINTS, "content")},
        bureau {_as(COMPLAINTS, "receiving_unit_id")},
        case when status <> '受理' then station end {_as(COMPLAINTS, "handling_unit_id")},
        status {_as(COMPLAINTS, "status")},
        {_ts("deadline")} {_as(COMPLAINTS, "deadline_at")},
        case when status in ('已办结', '已评议') then {
        _ts(f"received + to_hours(2 + {_h('i', 19, 24 * 14)})")
    } end {_as(COMPLAINTS, "closed_at")},
        case when status in ('已办结', '已评议') then case
            when misc_pick < 600 then '未回访' when misc_pick < 900 then '不满意'
            when misc_pick < 1800 then '基本满意' else '满意' end end
            {_as(COMPLAINTS, "satisfaction")},
        case when status in ('已办结', '已评议') then case
            when misc_pick % 3 = 0 then '属实' when misc_pick % 3 = 1 then '不属实' end end
            {_as(COMPLAINTS, "substantiated")},
        category {_as(COMPLAINTS, "category")},
        case when misc_pick >= 9700 and i > 1000
            then 'GD{YEAR}' || lpad((i - 1 - {_h("i", 20, 1000)})::varchar, 9, '0') end
            {_as(COMPLAINTS, "duplicate_of")},
        case when status <> '受理' then case when misc_pick % 100 < 77 then '自动分派'
            else '人工分派' end end {_as(COMPLAINTS, "routed_by")}
    from texted
    order by i
    """


def _events_sql(n: int) -> str:
    """The workflow steps of each complaint case (受理, 交办, sometimes 退回/改派, 反馈, 办结, 评议)."""
    case_cte = f"""
    with cases as (
        select 'GD{YEAR}' || lpad(i::varchar, 9, '0') as case_id,
            timestamp '{YEAR}-01-01' + to_seconds({_h("i", 11, 365 * 86400)}) as received,
            {_h("i", 16, 10_000)} as status_pick,
            {_h("i", 21, 100)} as redo_pick,
            s.name as station, s2.name as other_station, bu.name as bureau, i
        from range({n}) as r(i)
        cross join (select count(*) as n_stations from stations_df) as ns
        join stations_df as s on s.idx = {_h("i", 13, "ns.n_stations")}
        join stations_df as s2 on s2.idx = {_h("i", 22, "ns.n_stations")}
        join bureaus_df as bu on bu.city = s.city
    )
    """
    closed_at = f"c.received + to_hours(2 + {_h('c.i', 19, 24 * 14)})"
    steps = [
        ("c.received + to_minutes(5)", "'受理'", "null", "c.bureau", "null", "true"),
        (
            "c.received + to_minutes(60)",
            "'交办'",
            "c.bureau",
            "case when c.redo_pick < 8 then c.other_station else c.station end",
            "'按辖区分派'",
            "c.status_pick >= 300",
        ),
        (
            "c.received + to_minutes(300)",
            "case when c.redo_pick < 4 then '退回' else '改派' end",
            "c.other_station",
            "c.station",
            "'非本单位辖区，申请退回'",
            "c.status_pick >= 300 and c.redo_pick < 8",
        ),
        (
            f"{closed_at} - to_minutes(30)",
            "'反馈'",
            "c.station",
            "c.bureau",
            "'已联系诉求人'",
            "c.status_pick >= 1100",
        ),
        (closed_at, "'办结'", "c.station", "c.bureau", "null", "c.status_pick >= 1500"),
        (
            f"{closed_at} + to_days(2)",
            "'评议'",
            "c.bureau",
            "null",
            "null",
            "c.status_pick >= 8000",
        ),
    ]
    parts = [
        f"""select c.case_id {_as(EVENTS, "case_id")}, {_ts(at)} {_as(EVENTS, "event_at")},
            {stage} {_as(EVENTS, "stage")}, {frm} {_as(EVENTS, "from_unit_id")},
            {to} {_as(EVENTS, "to_unit_id")}, {note} {_as(EVENTS, "note")}
        from cases as c where {cond}"""
        for at, stage, frm, to, note, cond in steps
    ]
    return case_cte + "\nunion all\n".join(parts) + "\norder by 1, 2"


def _survey_sql(suggestions: int) -> str:
    """A questionnaire export (one row per answered item): scored items and free suggestions."""
    respondents = -(-suggestions // SUGGESTIONS_PER_RESPONDENT)
    seconds = 30 * 86400
    return f"""
    with people as (
        select j, s.name as unit, s.short_name, s.city,
            case when {_h("j", 31, 10)} < 7 then '民警' else '辅警' end as role,
            timestamp '{YEAR}-11-01' + to_seconds({_h("j", 32, seconds)}) as submitted,
            '{YEAR}年度警意调查（' || bu.name || '）' as survey
        from range({respondents}) as r(j)
        cross join (select count(*) as n_stations from stations_df) as ns
        join stations_df as s on s.idx = {_h("j", 33, "ns.n_stations")}
        join bureaus_df as bu on bu.city = s.city
    ),
    scored as (
        select p.*, q.q, q.item,
            (['非常满意', '满意', '一般', '不满意', '非常不满意'])[
                case when {_h("p.j * 8 + q.item", 34, 100)} < 45 then 1
                     when {_h("p.j * 8 + q.item", 34, 100)} < 80 then 2
                     when {_h("p.j * 8 + q.item", 34, 100)} < 93 then 3
                     when {_h("p.j * 8 + q.item", 34, 100)} < 98 then 4 else 5 end] as answer,
            o.name as target
        from people as p
        cross join (values (1, '1、您对本单位工作氛围的总体评价'), (2, '2、您对当前执法环境的评价'),
                           (3, '3、您对警务保障工作的总体评价'), (4, '{OFFICE_ITEM}'),
                           (5, '{OFFICE_ITEM}'), (6, '{OFFICE_ITEM}')) as q(item, q)
        -- Three different offices per respondent: 7 × (4, 5, 6) are distinct modulo 21.
        left join offices_df as o on q.item >= 4 and o.city = p.city
            and o.idx % {OFFICES_PER_CITY}
                = ({_h("p.j", 35, OFFICES_PER_CITY)} + 7 * q.item) % {OFFICES_PER_CITY}
    ),
    suggested as (
        select k, p.*, t.category, t.t, o.name as target
        from range({suggestions}) as r(k)
        join people as p on p.j = k // {SUGGESTIONS_PER_RESPONDENT}
        cross join (select count(*) as n_texts from s_texts_df) as nt
        join s_texts_df as t on t.idx = {_h("k", 36, "nt.n_texts")}
        left join offices_df as o on o.city = p.city and o.short = t.office
    )
    select 'WJ' || lpad(j::varchar, 7, '0') {_as(SURVEY, "response_id")},
        survey {_as(SURVEY, "survey_id")}, {_ts("submitted")} {_as(SURVEY, "submitted_at")},
        unit {_as(SURVEY, "respondent_unit_id")}, role {_as(SURVEY, "respondent_role")},
        target {_as(SURVEY, "target_unit_id")},
        replace(q, '{{office}}', coalesce(target, '')) {_as(SURVEY, "question")},
        answer {_as(SURVEY, "answer")},
        case answer when '非常满意' then 5 when '满意' then 4 when '一般' then 3
            when '不满意' then 2 else 1 end {_as(SURVEY, "score")},
        null {_as(SURVEY, "suggestion")}, null {_as(SURVEY, "category")}
    from scored
    union all
    select 'WJ' || lpad(j::varchar, 7, '0'), survey, {_ts("submitted")}, unit, role, target,
        '7、意见建议（第' || (k % {SUGGESTIONS_PER_RESPONDENT} + 1) || '条）', null, null,
        replace(t, '{{unit}}', short_name), category
    from suggested
    order by 1, 7
    """


def _rect_sql(suggestions: int) -> str:
    """The rectification ledger: items from the survey and from self-checks, with their progress."""
    n = max(1, int(suggestions * RECTIFICATION_SHARE))
    return f"""
    with items as (
        select i, s.name as unit, r.category, r.t,
            date '{YEAR}-01-01' + {_h("i", 41, 330)}::integer as found,
            {_h("i", 42, 100)} as status_pick
        from range({n}) as g(i)
        cross join (select count(*) as n_stations from stations_df) as ns
        cross join (select count(*) as n_self from r_self_df) as nr
        join stations_df as s on s.idx = {_h("i", 43, "ns.n_stations")}
        join r_self_df as r on r.idx = {_h("i", 44, "nr.n_self")}
    )
    select 'ZG{YEAR}' || lpad(i::varchar, 7, '0') {_as(RECTIFICATIONS, "item_id")},
        (['自查', '警意调查', '督察', '民意诉求'])[i % 4 + 1] {_as(RECTIFICATIONS, "source")},
        'LY' || lpad((i * 7)::varchar, 8, '0') {_as(RECTIFICATIONS, "source_ref")},
        unit {_as(RECTIFICATIONS, "unit_id")}, category {_as(RECTIFICATIONS, "category")},
        t {_as(RECTIFICATIONS, "description")},
        strftime(found, '%Y.%-m.%-d') {_as(RECTIFICATIONS, "found_on")},
        strftime(found + 30, '%Y.%-m.%-d') {_as(RECTIFICATIONS, "deadline_on")},
        case when status_pick < 80 then '整改完成' when status_pick < 92 then '正在整改'
            when status_pick < 97 then '未整改' else '长期整改' end {_as(RECTIFICATIONS, "status")},
        case when status_pick < 80 then strftime(found + (10 + {_h("i", 45, 40)})::integer,
            '%Y.%-m.%-d') end {_as(RECTIFICATIONS, "rectified_on")},
        case when status_pick < 40 then '已巩固' when status_pick < 45 then '有反弹' end
            {_as(RECTIFICATIONS, "review_result")}
    from items
    """


def _ledger_stations(calls: int) -> int:
    """Stations in the report ledger: all at a million calls or more, fewer in small runs."""
    return min(CITIES * DISTRICTS_PER_CITY * STATIONS_PER_DISTRICT, max(10, calls // 650))


def _ledger_sql(stations: int) -> str:
    """Each station's report types for the year, the office demanding each, the review result."""
    low, high = REPORTS_PER_STATION
    return f"""
    with wanted as (
        select s.idx as station_idx, s.short_name, s.city,
            {low} + {_h("s.idx", 51, high - low)} as n_reports
        from stations_df as s
        where s.idx < {stations}
    )
    select {YEAR} {_as(LEDGER, "year")}, w.short_name {_as(LEDGER, "station_unit_id")},
        r.report {_as(LEDGER, "report_name")},
        o.name {_as(LEDGER, "demanding_dept")},
        r.freq {_as(LEDGER, "frequency")},
        case when {_h("w.station_idx * 1000 + r.idx", 52, 10)} < 9 then '手工填报' else '系统生成' end
            {_as(LEDGER, "fill_method")},
        case when {_h("w.station_idx * 1000 + r.idx", 53, 10)} < 7 then '保留'
            when {_h("w.station_idx * 1000 + r.idx", 53, 10)} < 9 then '合并' else '取消' end
            {_as(LEDGER, "status")}
    from wanted as w
    join reports_df as r on r.idx < w.n_reports
    join offices_df as o on o.city = w.city and o.short = r.office
    """


def split_by_month(path: Path, column: str = CALLS["received_at"]) -> list[Path]:
    """The same export as twelve monthly files (as monthly exports would arrive), kept beside it."""
    parts = [path.with_name(f"{path.stem}_{YEAR}-{month:02d}.csv") for month in range(1, 13)]
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    for month, part in enumerate(parts, 1):
        if part.exists():
            continue
        partial = part.with_name(f"{part.stem}.partial.csv")
        # Text in, text out: the monthly files keep the export's own spelling of every value.
        _copy(
            con,
            f"select * from read_csv('{path}', all_varchar = true)"
            f" where substr(\"{column}\", 6, 2) = '{month:02d}'",
            partial,
        )
        partial.rename(part)
    con.close()
    return parts


def describe(exports: Exports) -> dict[str, dict]:
    """Size, rows and text volume of each generated file, for the report."""
    rows = exports.rows()
    return {
        name: {"file": path.name, "bytes": path.stat().st_size, "rows": rows[name]}
        for name, path in exports.__dict__.items()
    }
