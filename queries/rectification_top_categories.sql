-- rectification_top_categories
-- One row per problem category of rectification items found in the period, the $top_n with most
-- items: items, rectified, rectification rate.
-- $start, $end       DATE       inclusive range of found_on
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $top_n             INTEGER    how many categories
with items_in_scope as (

    select
        r.category,
        r.status,

    from rectifications as r
    where r.found_on between $start::date and $end::date
        and (len($unit_ids::varchar[]) = 0 or r.unit_id in (
            select unit_id from unit_closure
            where list_contains($unit_ids::varchar[], ancestor_id)))
        and ($scope = '*' or r.unit_id in (
            select unit_id from unit_closure where ancestor_id = $scope))
        and (len($categories::varchar[]) = 0
            or list_contains($categories::varchar[], r.category))

)

select
    category,
    count(*) as items,
    count(*) filter (where is_rectified(status)) as rectified,
    count(*) filter (where is_rectified(status)) / count(*) as rectification_rate,

from items_in_scope
group by category
order by items desc, category nulls last
limit $top_n
