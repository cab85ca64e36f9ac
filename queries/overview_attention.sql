-- overview_attention
-- One row per unit and thing that needs attention: open complaint cases past their deadline at
-- $as_of, unrectified items past their deadline, and satisfaction below target (units with at
-- least $min_replies valid replies). items = cases, items or valid replies; rate and target only
-- for satisfaction. Complaints and items are those received or found in the period. Each kind
-- honours the filters of its card: complaints channel and category, items category, call records
-- channel, police type and category; the drill-down lists each row's records (its unit alone).
-- $start, $end       DATE       inclusive range of each record's own date
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (complaints, call records); empty = all
-- $police_types      VARCHAR[]  police types (call records); empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted
-- $as_of             TIMESTAMP  "now" for deadlines
-- $min_replies       INTEGER    fewest valid replies for a unit's satisfaction to be judged
-- Complaints come from complaint_case_facts (overdue_since: is_overdue at $as_of), call records as
-- daily counts (call_counts).
with overdue_cases as (

    select
        k.unit_id,
        count(*) as items,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    where not k.is_closed
        and k.overdue_since < $as_of::timestamp
    group by all

),

overdue_items as (

    select
        r.unit_id,
        count(*) as items,

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r
    where is_rectification_overdue(r.status, r.deadline_on, $as_of::timestamp)
    group by all

),

-- Call records are counted per callback result first, so the metric macros run once per group.
calls_by_result as (

    select
        c.unit_id,
        c.callback_result,
        sum(c.records)::bigint as records,

    from call_counts($start, $end, $unit_ids, $scope, $channels, $police_types, $categories)
        as c
    group by all

),

satisfaction as (

    select
        unit_id,
        coalesce(sum(records) filter (where is_valid_reply(callback_result)), 0)
            as valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_valid_reply(callback_result)), 0)
            / nullif(sum(records) filter (where is_valid_reply(callback_result)), 0) as rate,

    from calls_by_result
    group by unit_id

),

target as (

    select try_cast(value as double) as satisfaction
    from settings
    where key = 'target_satisfaction'

),

attention as (

    select
        1 as kind_order,
        'complaint_overdue' as kind,
        '诉求超期未办结' as kind_label,
        unit_id,
        items,
        null::double as rate,
        null::double as target,

    from overdue_cases

    union all

    select
        2,
        'rectification_overdue',
        '整改超期未完成',
        unit_id,
        items,
        null,
        null,

    from overdue_items

    union all

    select
        3,
        'satisfaction_below_target',
        '满意率低于目标',
        s.unit_id,
        s.valid_replies,
        s.rate,
        t.satisfaction,

    from satisfaction as s
    cross join target as t
    where s.valid_replies >= $min_replies::integer
        and s.rate < t.satisfaction

)

select
    a.kind_order,
    a.kind,
    a.kind_label,
    a.unit_id,
    u.name as unit_name,
    a.items,
    a.rate,
    a.target,

from attention as a
left join units as u on u.unit_id = a.unit_id
order by a.kind_order, a.rate nulls first, a.items desc, a.unit_id
