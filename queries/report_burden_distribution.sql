-- report_burden_distribution
-- One row per year and histogram bucket of retained report types per station (a type counts once
-- per station, see report_burden_by_station): buckets of $bucket_width from 0 up to the year's
-- largest count, empty buckets included.
-- $start, $end       DATE       years from year($start) to year($end), inclusive
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $bucket_width      INTEGER    width of a bucket in report types (e.g. 50)
with ledger_in_scope as (

    select
        l.year,
        l.station_unit_id,
        l.report_name,
        l.status = '保留' as is_retained,

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

    from ledger_in_scope
    group by year, station_unit_id, report_name

),

per_station as (

    select
        year,
        station_unit_id,
        count(*) filter (where is_retained) as retained_types,

    from report_types
    group by year, station_unit_id

),

buckets as (

    select
        year,
        unnest(range(0, max(retained_types) + 1, $bucket_width::integer)) as bucket_low,

    from per_station
    group by year

)

select
    b.year,
    b.bucket_low,
    b.bucket_low + $bucket_width::integer - 1 as bucket_high,
    count(s.station_unit_id) as stations,

from buckets as b
left join per_station as s
    on s.year = b.year
    and s.retained_types >= b.bucket_low
    and s.retained_types < b.bucket_low + $bucket_width::integer
group by b.year, b.bucket_low
order by b.year, b.bucket_low
