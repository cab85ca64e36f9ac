-- satisfaction_summary
-- One row: callback counts, satisfaction under a formula, reply rate and 95% Wilson interval of the
-- call records (110/12345/窗口) received in the period.
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
        c.callback_result,
        sum(c.records)::bigint as records,
        max(c.newest_received_at) as newest_record_at,

    from call_counts($start, $end, $unit_ids, $scope, $channels, $police_types, $categories)
        as c
    group by c.callback_result

),

counted as (

    select
        coalesce(sum(records), 0)::bigint as records,
        coalesce(sum(records) filter (where callback_result = '满意'), 0)::bigint as n_satisfied,
        coalesce(sum(records) filter (where callback_result = '基本满意'), 0)::bigint as n_basic,
        coalesce(sum(records) filter (where callback_result = '不满意'), 0)::bigint
            as n_dissatisfied,
        coalesce(sum(records) filter (where is_valid_reply(callback_result)), 0)::bigint
            as valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_valid_reply(callback_result)), 0) as satisfied,
        max(newest_record_at) as newest_record_at,

    from records_by_result

)

select
    records,
    n_satisfied,
    n_basic,
    n_dissatisfied,
    records - valid_replies as n_no_reply,
    valid_replies,
    satisfied,
    satisfied / nullif(valid_replies, 0) as satisfaction_rate,
    valid_replies / nullif(records, 0) as reply_rate,
    wilson_low(satisfied, valid_replies) as wilson_low,
    wilson_high(satisfied, valid_replies) as wilson_high,
    newest_record_at,

from counted
order by records
