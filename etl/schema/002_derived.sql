-- 002_derived: tables the loader maintains beside the contract, and the one definition of each metric.

-- Every unit paired with itself and each of its ancestors, so "a 分局 includes its stations" is a join.
create table unit_closure (
    ancestor_id  varchar not null,
    unit_id      varchar not null,
    depth        integer not null
);

-- Words of free text, segmented at load time: a keyword cloud for any filter is one GROUP BY.
create table text_tokens (
    source     varchar not null,   -- complaint / call_note / survey_suggestion
    record_id  varchar not null,
    unit_id    varchar,
    day        date,
    channel    varchar,
    category   varchar,
    token      varchar not null,
    n          integer not null
);

-- Chinese working days: weekends and public holidays off, 调休 make-up days on.
create table work_calendar (
    day           date primary key,
    is_workday    boolean not null,
    workday_seq   integer not null   -- working days from the calendar's start up to this day
);

-- Settings a bureau may change (satisfaction formula, targets) without touching SQL.
create table settings (
    key    varchar primary key,
    value  varchar not null,
    note   varchar
);

insert into settings values
    ('satisfaction_formula', 'standard', '满意率口径: standard=(满意+基本满意)/有效回访; strict=满意/有效回访; weighted=(满意+0.5×基本满意)/有效回访'),
    ('target_satisfaction', '0.98', '满意率目标'),
    ('target_closure', '0.90', '办结率目标'),
    ('target_on_time', '0.95', '按期办结率目标'),
    ('target_rectification', '0.95', '整改率目标'),
    ('target_participation', '0.90', '参与率目标'),
    ('target_routing', '0.75', '自动分派率目标'),
    ('report_burden_line', '150', '报表负担线: 保留报表种类数');

-- Metric definitions (docs/metrics.md); queries use these macros and never restate them.

-- 满意率: a callback reply counts when it is 满意, 基本满意 or 不满意 (未回访 is outside the denominator).
create macro is_valid_reply(result) as result in ('满意', '基本满意', '不满意');

-- Numerator weight of one reply under a formula: standard counts 基本满意 as satisfied, strict does
-- not, weighted counts it half (the Dongguan reconstruction, docs/pitfalls.md M1).
create macro satisfied_weight(result, formula) as
    case
        when formula = 'strict' then case when result = '满意' then 1.0 else 0.0 end
        when formula = 'weighted' then
            case result when '满意' then 1.0 when '基本满意' then 0.5 else 0.0 end
        else case when result in ('满意', '基本满意') then 1.0 else 0.0 end
    end;

-- 办结率: closed means 已办结 or 已评议.
create macro is_closed(status) as status in ('已办结', '已评议');

-- 超期: open past its deadline at the as-of time, or closed after its deadline.
create macro is_overdue(status, deadline_at, closed_at, as_of) as
    deadline_at is not null and (
        (not is_closed(status) and deadline_at < as_of)
        or (is_closed(status) and closed_at > deadline_at)
    );

-- 按期办结: closed no later than its deadline (a case without a deadline is never on time).
create macro is_on_time(status, closed_at, deadline_at) as
    is_closed(status) and closed_at <= deadline_at;

-- 整改率: only 已整改 counts; 长期整改 is not yet rectified.
create macro is_rectified(status) as status = '已整改';

-- An item not yet rectified whose deadline has passed at the as-of time.
create macro is_rectification_overdue(status, deadline_on, as_of) as
    not is_rectified(status) and deadline_on < as_of::date;

-- Working days strictly after `from_day` up to and including `to_day` (0 when to_day <= from_day):
-- two lookups in the running count instead of a range scan per pair.
create macro working_days_between(from_day, to_day) as greatest(0,
    (select workday_seq from work_calendar where day = to_day::date)
    - (select workday_seq from work_calendar where day = from_day::date)
);

-- 95% Wilson score interval for k successes out of n (z = 1.96).
create macro wilson_low(k, n) as case when n > 0 then
    (k / n + 1.96 * 1.96 / (2 * n) - 1.96 * sqrt((k / n) * (1 - k / n) / n + 1.96 * 1.96 / (4 * n * n)))
    / (1 + 1.96 * 1.96 / n) end;
create macro wilson_high(k, n) as case when n > 0 then
    (k / n + 1.96 * 1.96 / (2 * n) + 1.96 * sqrt((k / n) * (1 - k / n) / n + 1.96 * 1.96 / (4 * n * n)))
    / (1 + 1.96 * 1.96 / n) end;
