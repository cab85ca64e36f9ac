-- rectification_review_results
-- One row per 回头看 (follow-up review) result of rectified items found in the period; rectified
-- items not yet reviewed have review_result NULL.
-- $start, $end       DATE       inclusive range of found_on
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
with rectified_items as (

    select
        r.review_result,

    from rectifications as r
    where r.found_on between $start::date and $end::date
        and (len($unit_ids::varchar[]) = 0 or r.unit_id in (
            select unit_id from unit_closure
            where list_contains($unit_ids::varchar[], ancestor_id)))
        and ($scope = '*' or r.unit_id in (
            select unit_id from unit_closure where ancestor_id = $scope))
        and (len($categories::varchar[]) = 0
            or list_contains($categories::varchar[], r.category))
        and is_rectified(r.status)

)

select
    review_result,
    count(*) as items,
    count(*) / sum(count(*)) over () as share,

from rectified_items
group by review_result
order by review_result is null, items desc, review_result
