-- assessment_unit_values
-- One row per unit in the chosen units and the user's tree: the figures an assessment scheme
-- scores (assess/), each counted over the unit and its descendants, as choosing that unit in the
-- sidebar counts them in satisfaction_summary, complaint_summary and rectification_summary. The
-- same table macros and metric macros as those queries; only the grouping (per ancestor through
-- unit_closure) is added, so every unit is valued in one pass. Report burden is per station and
-- comes from report_burden_by_station.
-- $start, $end       DATE       inclusive range of received_at (calls, cases) and found_on (items)
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted
-- $as_of             TIMESTAMP  "now" for open cases and items past their deadline
with assessed as (

    select
        u.unit_id,
        u.name as unit_name,
        u.unit_type,
        parent.name as parent_name,

    from units as u
    left join units as parent on parent.unit_id = u.parent_id
    where in_chosen_units(u.unit_id, $unit_ids) and in_scope(u.unit_id, $scope)

),

calls as (

    select
        t.ancestor_id as unit_id,
        sum(c.records)::bigint as records,
        coalesce(sum(c.records) filter (where is_valid_reply(c.callback_result)), 0)::bigint
            as valid_replies,
        coalesce(sum(c.records * satisfied_weight(c.callback_result, $formula))
            filter (where is_valid_reply(c.callback_result)), 0) as satisfied,

    from call_counts($start, $end, $unit_ids, $scope, [], [], []) as c
    join unit_closure as t on t.unit_id = c.unit_id
    group by t.ancestor_id

),

cases as (

    select
        t.ancestor_id as unit_id,
        count(*) as received,
        coalesce(count_if(k.is_closed), 0)::bigint as closed,
        coalesce(count_if(k.is_on_time), 0)::bigint as on_time,
        coalesce(count_if(k.overdue_since < $as_of::timestamp), 0)::bigint as overdue,
        coalesce(count_if(k.is_repeat), 0)::bigint as repeat_cases,

    from cases_in_filters($start, $end, $unit_ids, $scope, [], []) as k
    join unit_closure as t on t.unit_id = k.unit_id
    group by t.ancestor_id

),

items as (

    select
        t.ancestor_id as unit_id,
        count(*) as items,
        count(*) filter (where is_rectified(r.status)) as rectified,
        count(*) filter (where is_rectification_overdue(r.status, r.deadline_on,
            $as_of::timestamp)) as overdue_items,

    from items_in_filters($start, $end, $unit_ids, $scope, []) as r
    join unit_closure as t on t.unit_id = r.unit_id
    group by t.ancestor_id

)

select
    a.unit_id,
    a.unit_name,
    a.unit_type,
    a.parent_name,
    coalesce(c.records, 0) as records,
    coalesce(c.valid_replies, 0) as valid_replies,
    c.satisfied / nullif(c.valid_replies, 0) as satisfaction_rate,
    c.valid_replies / nullif(c.records, 0) as reply_rate,
    coalesce(k.received, 0) as received,
    coalesce(k.closed, 0) as closed,
    k.closed / nullif(k.received, 0) as closure_rate,
    k.on_time / nullif(k.closed, 0) as on_time_rate,
    coalesce(k.overdue, 0) as overdue,
    1000.0 * k.overdue / nullif(k.received, 0) as overdue_per_1000,
    coalesce(k.repeat_cases, 0) as repeat_cases,
    k.repeat_cases / nullif(k.received, 0) as repeat_rate,
    coalesce(i.items, 0) as items,
    i.rectified / nullif(i.items, 0) as rectification_rate,
    coalesce(i.overdue_items, 0) as overdue_items,

from assessed as a
left join calls as c on c.unit_id = a.unit_id
left join cases as k on k.unit_id = a.unit_id
left join items as i on i.unit_id = a.unit_id
order by a.unit_type, a.unit_id
