-- rectification_top_categories
-- One row per problem category of rectification items found in the period, the $top_n with most
-- items: its level-1 category in the bureau's tree (level1, NULL outside it), items, rectified,
-- rectification rate.
-- $start, $end       DATE       inclusive range of found_on
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $top_n             INTEGER    how many categories
with items_in_scope as (

    select
        r.category,
        r.status,

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r

)

select
    category,
    category_level1(category) as level1,
    count(*) as items,
    count(*) filter (where is_rectified(status)) as rectified,
    count(*) filter (where is_rectified(status)) / count(*) as rectification_rate,

from items_in_scope
group by category
order by items desc, category nulls last
limit $top_n
