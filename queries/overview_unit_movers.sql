-- overview_unit_movers
-- One row per unit with call records in either period, the $top_n whose satisfaction moved most
-- between the previous period and the current one: valid replies and rate in each, the change,
-- and is_small when either period has fewer valid replies than $min_replies (such units come
-- after the others, as their change may be noise).
-- $prev_start, $prev_end  DATE       inclusive previous period (received_at)
-- $start, $end       DATE       inclusive current period (received_at)
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $police_types      VARCHAR[]  police types (警种); empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted
-- $min_replies       INTEGER    fewest valid replies in each period for a change to count
-- $top_n             INTEGER    how many units

-- Records are counted per callback result first, so the metric macros run once per group.
with records_by_result as (

    select
        c.unit_id,
        c.day between $start::date and $end::date as is_current,
        c.day between $prev_start::date and $prev_end::date as is_previous,
        c.callback_result,
        sum(c.records)::bigint as records,

    -- Daily counts (call_counts) over the span of both periods, then only the periods' days.
    from call_counts(least($start::date, $prev_start::date),
        greatest($end::date, $prev_end::date), $unit_ids, $scope, $channels, $police_types,
        $categories) as c
    where c.day between $start::date and $end::date
        or c.day between $prev_start::date and $prev_end::date
    group by all

),

counted as (

    select
        unit_id,
        coalesce(sum(records) filter (where is_previous
            and is_valid_reply(callback_result)), 0) as prev_valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_previous and is_valid_reply(callback_result)), 0)
            as prev_satisfied,
        coalesce(sum(records) filter (where is_current
            and is_valid_reply(callback_result)), 0) as valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_current and is_valid_reply(callback_result)), 0) as satisfied,

    from records_by_result
    group by unit_id

),

rated as (

    select
        unit_id,
        prev_valid_replies,
        prev_satisfied / nullif(prev_valid_replies, 0) as prev_rate,
        valid_replies,
        satisfied / nullif(valid_replies, 0) as rate,
        satisfied / nullif(valid_replies, 0)
            - prev_satisfied / nullif(prev_valid_replies, 0) as change,
        least(prev_valid_replies, valid_replies) < $min_replies::integer as is_small,

    from counted

)

select
    r.unit_id,
    u.name as unit_name,
    u.unit_type,
    r.prev_valid_replies,
    r.prev_rate,
    r.valid_replies,
    r.rate,
    r.change,
    r.is_small,

from rated as r
left join units as u on u.unit_id = r.unit_id
order by r.is_small, abs(r.change) desc nulls last, r.unit_id
limit $top_n
