-- rectification_by_source
-- One row per source (警意调查/民意诉求/自查/督察/其他) of rectification items found in the period:
-- items, rectified, rectification rate, long-term items, open items past their deadline at $as_of.
-- $start, $end       DATE       inclusive range of found_on
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now": unrectified items with an earlier deadline are overdue
with items_in_scope as (

    select
        r.source,
        r.status,
        r.deadline_on,

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r

),

counted as (

    select
        source,
        count(*) as items,
        count(*) filter (where is_rectified(status)) as rectified,
        count(*) filter (where status = '长期整改') as long_term,
        count(*) filter (where is_rectification_overdue(status, deadline_on, $as_of::timestamp)) as overdue_open,

    from items_in_scope
    group by source

)

select
    c.source,
    c.items,
    c.rectified,
    c.rectified / c.items as rectification_rate,
    c.long_term,
    c.overdue_open,

from counted as c
order by c.items desc, c.source nulls last
