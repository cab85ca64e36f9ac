-- rectification_summary
-- One row: rectification items (整改台账) found in the period, by status, the rectification rate,
-- open items past their deadline at $as_of, items rectified after their deadline, and 回头看 reviews.
-- $start, $end       DATE       inclusive range of found_on
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now": unrectified items with an earlier deadline are overdue
with items_in_scope as (

    select
        r.status,
        r.found_on,
        r.deadline_on,
        r.rectified_on,
        r.review_result,

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r

),

counted as (

    select
        count(*) as items,
        count(*) filter (where is_rectified(status)) as rectified,
        count(*) filter (where status = '整改中') as in_progress,
        count(*) filter (where status = '待整改') as pending,
        count(*) filter (where status = '长期整改') as long_term,
        count(*) filter (where is_rectification_overdue(status, deadline_on, $as_of::timestamp)) as overdue_open,
        count(*) filter (where is_rectified(status)
            and rectified_on > deadline_on) as rectified_late,
        count(*) filter (where review_result is not null) as reviewed,
        max(found_on) as newest_record_on,

    from items_in_scope

)

select
    items,
    rectified,
    rectified / nullif(items, 0) as rectification_rate,
    in_progress,
    pending,
    long_term,
    overdue_open,
    rectified_late,
    reviewed,
    newest_record_on,

from counted
order by items
