-- report_burden_by_station
-- One row per station (填报单位) and year of the report ledger: report types listed and retained
-- (保留), retained types filled by hand and their share, offices demanding retained types, and
-- whether the station is at or above the burden line. A report type counts once per station and
-- year however many offices demand it; it is hand-filled if any retained demand is filled by hand.
-- $start, $end       DATE       years from year($start) to year($end), inclusive
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $line              INTEGER    burden line in retained types (settings report_burden_line)
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

report_types as (

    select
        year,
        station_unit_id,
        report_name,
        bool_or(is_retained) as is_retained,
        bool_or(is_hand_filled) as is_hand_filled,

    from ledger_in_scope
    group by year, station_unit_id, report_name

),

per_station as (

    select
        year,
        station_unit_id,
        count(*) as listed_types,
        count(*) filter (where is_retained) as retained_types,
        count(*) filter (where is_hand_filled) as hand_filled_types,

    from report_types
    group by year, station_unit_id

),

demanding_offices as (

    select
        year,
        station_unit_id,
        count(distinct demanding_dept) as demanding_depts,

    from ledger_in_scope
    where is_retained
    group by year, station_unit_id

)

select
    s.year,
    s.station_unit_id,
    u.name as station_name,
    parent.name as parent_name,
    s.listed_types,
    s.retained_types,
    s.hand_filled_types,
    s.hand_filled_types / nullif(s.retained_types, 0) as hand_share,
    coalesce(d.demanding_depts, 0) as demanding_depts,
    s.retained_types >= $line::integer as at_or_above_line,

from per_station as s
left join demanding_offices as d
    on d.year = s.year and d.station_unit_id = s.station_unit_id
left join units as u on u.unit_id = s.station_unit_id
left join units as parent on parent.unit_id = u.parent_id
order by s.year, s.retained_types desc, s.station_unit_id
