-- rectification_overdue_items
-- One row per rectification item found in the period that is not rectified and whose deadline is
-- before $as_of, with the Chinese working days it is overdue; one page of them.
-- $start, $end       DATE       inclusive range of found_on
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now" for the deadline comparison
-- $exact_unit_id     VARCHAR    this unit alone, not its descendants (a per-unit row's drill);
--                               NULL = no such restriction
-- $limit, $offset    INTEGER    page size and rows to skip
with overdue_items as (

    select
        r.item_id,
        r.source,
        r.source_ref,
        r.unit_id,
        r.category,
        r.description,
        r.found_on,
        r.deadline_on,
        r.status,
        working_days_between(r.deadline_on, $as_of::timestamp::date) as working_days_overdue,

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r
    where is_rectification_overdue(r.status, r.deadline_on, $as_of::timestamp)
        and ($exact_unit_id::varchar is null or r.unit_id = $exact_unit_id::varchar)

)

select
    o.item_id,
    o.source,
    o.source_ref,
    o.unit_id,
    u.name as unit_name,
    o.category,
    o.description,
    o.found_on,
    o.deadline_on,
    o.status,
    o.working_days_overdue,
    count(*) over () as total_rows,

from overdue_items as o
left join units as u on u.unit_id = o.unit_id
order by o.working_days_overdue desc, o.deadline_on, o.item_id
limit $limit offset $offset
