-- report_burden_records
-- One row per report ledger entry (a report type an office demands of a station in a year) in the
-- years of the period, optionally only given demanding offices or statuses; one page of them,
-- with total_rows for the pager.
-- $start, $end       DATE       years from year($start) to year($end), inclusive
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $depts             VARCHAR[]  demanding offices (要求部门); empty = all
-- $statuses          VARCHAR[]  statuses (保留/合并/取消); empty = all
-- $limit, $offset    INTEGER    page size and rows to skip
with ledger_in_scope as (

    select
        l.year,
        l.station_unit_id,
        l.report_name,
        l.demanding_dept,
        l.frequency,
        l.fill_method,
        l.status,

    from report_ledger as l
    where l.year between year($start::date) and year($end::date)
        and in_chosen_units(l.station_unit_id, $unit_ids)
        and in_scope(l.station_unit_id, $scope)
        and (len($depts::varchar[]) = 0
            or list_contains($depts::varchar[], l.demanding_dept))
        and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], l.status))

)

select
    l.year,
    l.station_unit_id,
    u.name as station_name,
    l.report_name,
    l.demanding_dept,
    l.frequency,
    l.fill_method,
    l.status,
    count(*) over () as total_rows,

from ledger_in_scope as l
left join units as u on u.unit_id = l.station_unit_id
order by l.year, u.name, l.station_unit_id, l.report_name, l.demanding_dept
limit $limit offset $offset
