-- overview_trend
-- One row per ISO week (week = its Monday) and headline metric, for 总览's weekly trend: the
-- metric's numerator, denominator, value and 95% Wilson interval, computed as overview_kpis
-- computes the period's figure but per week of each record's own date. Metrics: satisfaction and
-- reply rate of call records, closure and on-time closure of complaints (by week received).
-- Weeks without records for a metric (no denominator) are absent.
-- $start, $end       DATE       inclusive range of each record's own date
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (call records, complaints); empty = all
-- $police_types      VARCHAR[]  police types (call records); empty = all
-- $categories        VARCHAR[]  categories (call records, complaints); empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted

-- Call records are counted per week and callback result first (call_counts: daily counts), so
-- the metric macros run once per group, as in overview_kpis.
with calls_by_result as (

    select
        date_trunc('week', c.day)::date as week,
        c.callback_result,
        sum(c.records)::bigint as records,

    from call_counts($start, $end, $unit_ids, $scope, $channels, $police_types, $categories)
        as c
    group by all

),

calls as (

    select
        week,
        sum(records) as records,
        coalesce(sum(records) filter (where is_valid_reply(callback_result)), 0)
            as valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_valid_reply(callback_result)), 0) as satisfied,

    from calls_by_result
    group by week

),

-- Per-case facts come precomputed in complaint_case_facts, as overview_kpis reads them.
cases as (

    select
        date_trunc('week', k.received_at)::date as week,
        count(*) as received,
        count_if(k.is_closed) as closed,
        count_if(k.is_on_time) as on_time,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    group by all

),

metrics as (

    select 1 as metric_order, 'satisfaction' as metric, week,
        satisfied::double as numerator, valid_replies::double as denominator,
    from calls

    union all

    select 2, 'reply_rate', week, valid_replies, records,
    from calls

    union all

    select 3, 'closure', week, closed, received,
    from cases

    union all

    select 4, 'on_time', week, on_time, closed,
    from cases

)

select
    week,
    metric_order,
    metric,
    numerator,
    denominator,
    numerator / nullif(denominator, 0) as value,
    wilson_low(numerator, denominator) as wilson_low,
    wilson_high(numerator, denominator) as wilson_high,

from metrics
where denominator > 0
order by metric_order, week
