-- complaint_top_categories
-- One row per problem category of complaint cases received in the period, the $top_n with most
-- cases: its level-1 category in the bureau's tree (level1, NULL outside it), cases, their share of
-- all cases of the period, closed, open past their deadline at $as_of, repeat complaints. Cases
-- without a category are one row with category NULL.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now" for open cases past their deadline
-- $top_n             INTEGER    how many categories
with cases_in_scope as (

    select
        k.category,
        k.is_closed,
        k.is_repeat,
        not k.is_closed and k.overdue_since < $as_of::timestamp as is_overdue_open,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k

)

select
    category,
    category_level1(category) as level1,
    count(*) as cases,
    count(*) / sum(count(*)) over () as share,
    count_if(is_closed) as closed,
    count_if(is_overdue_open) as overdue_open,
    count_if(is_repeat) as repeat_cases,

from cases_in_scope
group by category
order by cases desc, category nulls last
limit $top_n
