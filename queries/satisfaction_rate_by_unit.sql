-- satisfaction_rate_by_unit
-- One row per unit with call records (league table): counts, satisfaction under a formula, reply
-- rate, 95% Wilson interval, and a rank that small units (fewer valid replies than $min_replies)
-- do not get, so pages do not rank them as if their rate were certain.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $police_types      VARCHAR[]  police types (警种); empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted
-- $min_replies       INTEGER    fewest valid replies for a unit to be ranked

-- Records are counted per callback result first (call_counts: daily counts), so the metric
-- macros run once per group.
with records_by_result as (

    select
        c.unit_id,
        c.callback_result,
        sum(c.records)::bigint as records,

    from call_counts($start, $end, $unit_ids, $scope, $channels, $police_types, $categories)
        as c
    group by all

),

counted as (

    select
        unit_id,
        sum(records)::bigint as records,
        coalesce(sum(records) filter (where is_valid_reply(callback_result)), 0)::bigint
            as valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_valid_reply(callback_result)), 0) as satisfied,

    from records_by_result
    group by unit_id

),

rated as (

    select
        unit_id,
        records,
        valid_replies,
        satisfied,
        satisfied / nullif(valid_replies, 0) as satisfaction_rate,
        valid_replies / nullif(records, 0) as reply_rate,
        wilson_low(satisfied, valid_replies) as wilson_low,
        wilson_high(satisfied, valid_replies) as wilson_high,
        valid_replies < $min_replies::integer as is_small,

    from counted

)

select
    r.unit_id,
    u.name as unit_name,
    u.unit_type,
    parent.name as parent_name,
    r.records,
    r.valid_replies,
    r.satisfied,
    r.satisfaction_rate,
    r.reply_rate,
    r.wilson_low,
    r.wilson_high,
    r.is_small,
    case when not r.is_small then
        rank() over (partition by r.is_small order by r.satisfaction_rate desc)
    end as league_rank,

from rated as r
left join units as u on u.unit_id = r.unit_id
left join units as parent on parent.unit_id = u.parent_id
order by r.is_small, r.satisfaction_rate desc nulls last, r.valid_replies desc, r.unit_id
