-- report_burden_by_dept
-- One row per demanding office (要求部门) and year of the report ledger: demands listed, retained
-- (保留) demands and distinct retained report types, stations it still demands of, retained demands
-- filled by hand, and whether it is at zero (every demand merged or cancelled).
-- $start, $end       DATE       years from year($start) to year($end), inclusive
-- $unit_ids          VARCHAR[]  chosen units (stations), each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
with ledger_in_scope as (

    select
        l.year,
        l.station_unit_id,
        l.report_name,
        l.demanding_dept,
        l.status = '保留' as is_retained,
        l.status = '保留' and l.fill_method = '手工' as is_hand_filled,

    from report_ledger as l
    where l.year between year($start::date) and year($end::date)
        and in_chosen_units(l.station_unit_id, $unit_ids)
        and in_scope(l.station_unit_id, $scope)

),

per_office as (

    select
        year,
        demanding_dept,
        count(*) as listed_demands,
        count(*) filter (where is_retained) as retained_demands,
        count(distinct report_name) filter (where is_retained) as retained_types,
        count(distinct station_unit_id) filter (where is_retained) as stations,
        count(*) filter (where is_hand_filled) as hand_filled_demands,

    from ledger_in_scope
    group by year, demanding_dept

)

select
    year,
    demanding_dept,
    listed_demands,
    retained_demands,
    retained_types,
    stations,
    hand_filled_demands,
    retained_demands = 0 as at_zero,

from per_office
order by year, retained_demands desc, demanding_dept
