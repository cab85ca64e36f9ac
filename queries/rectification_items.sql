-- rectification_items
-- One row per rectification item found in the period, optionally only given sources or statuses,
-- or only those overdue at $as_of; one page of them, newest found first, with total_rows for the
-- pager, whether the item is overdue and the Chinese working days it is past its deadline.
-- $start, $end       DATE       inclusive range of found_on
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $sources           VARCHAR[]  sources (警意调查/民意诉求/自查/督察/其他); empty = all
-- $statuses          VARCHAR[]  statuses (待整改/整改中/已整改/长期整改); empty = all
-- $overdue_only      BOOLEAN    only items not rectified whose deadline is before $as_of
-- $as_of             TIMESTAMP  "now" for the deadline comparison
-- $limit, $offset    INTEGER    page size and rows to skip
with items_in_scope as (

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
        r.rectified_on,
        r.review_result,
        is_rectification_overdue(r.status, r.deadline_on, $as_of::timestamp) as is_overdue,

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r
    where (len($sources::varchar[]) = 0 or list_contains($sources::varchar[], r.source))
        and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], r.status))

),

matching as (

    select *
    from items_in_scope
    where not $overdue_only::boolean or coalesce(is_overdue, false)

)

select
    m.item_id,
    m.source,
    m.source_ref,
    m.unit_id,
    u.name as unit_name,
    m.category,
    m.description,
    m.found_on,
    m.deadline_on,
    m.status,
    m.rectified_on,
    m.review_result,
    coalesce(m.is_overdue, false) as is_overdue,
    case when m.is_overdue
        then working_days_between(m.deadline_on, $as_of::timestamp::date) end
        as working_days_overdue,
    count(*) over () as total_rows,

from matching as m
left join units as u on u.unit_id = m.unit_id
order by m.found_on desc, m.item_id
limit $limit offset $offset
