-- rectification_by_unit
-- One row per responsible unit with rectification items found in the period: items, rectified,
-- rectification rate, long-term items, open items past their deadline at $as_of and the earliest
-- of their deadlines (the 整改超期 alert's count and since when).
-- $start, $end       DATE       inclusive range of found_on
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now": unrectified items with an earlier deadline are overdue
with items_in_scope as (

    select
        r.unit_id,
        r.status,
        r.deadline_on,

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r

),

counted as (

    select
        unit_id,
        count(*) as items,
        count(*) filter (where is_rectified(status)) as rectified,
        count(*) filter (where status = '长期整改') as long_term,
        count(*) filter (where is_rectification_overdue(status, deadline_on, $as_of::timestamp)) as overdue_open,
        min(deadline_on) filter (where is_rectification_overdue(status, deadline_on, $as_of::timestamp))
            as first_overdue_deadline,

    from items_in_scope
    group by unit_id

)

select
    c.unit_id,
    u.name as unit_name,
    u.unit_type,
    c.items,
    c.rectified,
    c.rectified / c.items as rectification_rate,
    c.long_term,
    c.overdue_open,
    c.first_overdue_deadline,

from counted as c
left join units as u on u.unit_id = c.unit_id
order by rectification_rate, c.items desc, c.unit_id
