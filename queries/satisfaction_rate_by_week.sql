-- satisfaction_rate_by_week
-- One row per ISO week (week = its Monday) with call records: reply counts, satisfaction under a
-- formula, reply rate and 95% Wilson interval.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $police_types      VARCHAR[]  police types (警种); empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted

-- Records are counted per callback result first (call_counts: daily counts), so the metric
-- macros run once per group.
with records_by_result as (

    select
        date_trunc('week', c.day)::date as week,
        c.callback_result,
        sum(c.records)::bigint as records,

    from call_counts($start, $end, $unit_ids, $scope, $channels, $police_types, $categories)
        as c
    group by all

),

counted as (

    select
        week,
        sum(records)::bigint as records,
        coalesce(sum(records) filter (where is_valid_reply(callback_result)), 0)::bigint
            as valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_valid_reply(callback_result)), 0) as satisfied,

    from records_by_result
    group by week

)

select
    week,
    records,
    valid_replies,
    satisfied,
    satisfied / nullif(valid_replies, 0) as satisfaction_rate,
    valid_replies / nullif(records, 0) as reply_rate,
    wilson_low(satisfied, valid_replies) as wilson_low,
    wilson_high(satisfied, valid_replies) as wilson_high,

from counted
order by week
