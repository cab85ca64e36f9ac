-- rectification_by_month
-- One row per month of the period: rectification items found that month, items rectified that
-- month (by rectified_on, whenever found), and both cumulated since the start of the period.
-- $start, $end       DATE       inclusive range of found_on (found) and rectified_on (rectified)
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
with items_in_scope as (

    select
        r.found_on,
        r.rectified_on,
        r.status,

    from rectifications as r
    where (r.found_on between $start::date and $end::date
            or r.rectified_on between $start::date and $end::date)
        and in_chosen_units(r.unit_id, $unit_ids)
        and in_scope(r.unit_id, $scope)
        and category_in(r.category, $categories)

),

found_by_month as (

    select
        date_trunc('month', found_on)::date as month,
        count(*) as found,

    from items_in_scope
    where found_on between $start::date and $end::date
    group by month

),

rectified_by_month as (

    select
        date_trunc('month', rectified_on)::date as month,
        count(*) as rectified,

    from items_in_scope
    where is_rectified(status)
        and rectified_on between $start::date and $end::date
    group by month

),

months as (

    select month from found_by_month
    union
    select month from rectified_by_month

)

select
    m.month,
    coalesce(f.found, 0) as found,
    coalesce(r.rectified, 0) as rectified,
    sum(coalesce(f.found, 0)) over (order by m.month)::bigint as found_to_date,
    sum(coalesce(r.rectified, 0)) over (order by m.month)::bigint as rectified_to_date,

from months as m
left join found_by_month as f on f.month = m.month
left join rectified_by_month as r on r.month = m.month
order by m.month
