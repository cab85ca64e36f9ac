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

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r
    where is_rectified(r.status)

)

select
    review_result,
    count(*) as items,
    count(*) / sum(count(*)) over () as share,

from rectified_items
group by review_result
order by review_result is null, items desc, review_result
