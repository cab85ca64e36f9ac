-- unit_profile_data_as_of
-- One row per fact table ("数据截至") for the chosen units: rows of those units (with their
-- descendants) the user may see, the newest record's own date, and when a file of that kind was
-- last loaded. As data_as_of, narrowed to units; the report ledger's newest record is 1 January of
-- its latest year.
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
with per_table as (

    select
        1 as table_order,
        'call_records' as table_name,
        coalesce(sum(records), 0)::bigint as rows,
        max(newest_received_at) as newest_record_at,

    from call_record_days
    where in_chosen_units(unit_id, $unit_ids)
        and in_scope(unit_id, $scope)

    union all

    select
        2,
        'complaints',
        count(*),
        max(received_at),

    from complaint_case_facts
    where in_chosen_units(unit_id, $unit_ids)
        and in_scope(unit_id, $scope)

    union all

    -- A survey answer belongs to the unit that answered and to the office it scored.
    select
        3,
        'survey_responses',
        count(distinct (survey_id, response_id)),
        max(submitted_at),

    from survey_responses
    where (in_chosen_units(respondent_unit_id, $unit_ids)
            and in_scope(respondent_unit_id, $scope))
        or (in_chosen_units(target_unit_id, $unit_ids)
            and in_scope(target_unit_id, $scope))

    union all

    select
        4,
        'rectifications',
        count(*),
        max(found_on)::timestamp,

    from rectifications
    where in_chosen_units(unit_id, $unit_ids)
        and in_scope(unit_id, $scope)

    union all

    select
        5,
        'report_ledger',
        count(*),
        make_timestamp(max(year), 1, 1, 0, 0, 0),

    from report_ledger
    where in_chosen_units(station_unit_id, $unit_ids)
        and in_scope(station_unit_id, $scope)

),

last_loads as (

    select
        kind,
        max(finished_at) as last_loaded_at,

    from imports
    where status = '已导入'
    group by kind

)

select
    p.table_name,
    p.rows,
    p.newest_record_at,
    l.last_loaded_at,

from per_table as p
left join last_loads as l on l.kind = p.table_name
order by p.table_order
