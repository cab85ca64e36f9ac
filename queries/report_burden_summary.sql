-- report_burden_summary
-- One row per year of the report ledger: stations, stations at or above the burden line and their
-- share, retained report types (a type counts once per station, see report_burden_by_station) and
-- the share filled by hand, offices demanding retained types, and offices listed whose every
-- demand was merged or cancelled (at zero).
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
        count(*) filter (where is_retained) as retained_types,
        count(*) filter (where is_hand_filled) as hand_filled_types,

    from report_types
    group by year, station_unit_id

),

per_year as (

    select
        year,
        count(*) as stations,
        count(*) filter (where retained_types >= $line::integer) as stations_at_line,
        sum(retained_types)::bigint as retained_types,
        sum(hand_filled_types)::bigint as hand_filled_types,
        max(retained_types) as max_retained_types,

    from per_station
    group by year

),

offices as (

    select
        year,
        count(distinct demanding_dept) as depts_listed,
        count(distinct demanding_dept) filter (where is_retained) as demanding_depts,

    from ledger_in_scope
    group by year

)

select
    y.year,
    y.stations,
    y.stations_at_line,
    y.stations_at_line / y.stations as share_at_line,
    y.retained_types,
    y.retained_types / y.stations as avg_retained_types,
    y.max_retained_types,
    y.hand_filled_types,
    y.hand_filled_types / nullif(y.retained_types, 0) as hand_share,
    o.depts_listed,
    o.demanding_depts,
    o.depts_listed - o.demanding_depts as depts_at_zero,

from per_year as y
join offices as o on o.year = y.year
order by y.year
