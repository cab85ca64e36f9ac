-- filter_date_bounds
-- One row: first and last day of the records of the user's unit tree, the newest record timestamp
-- (the "数据截至" and the anchor of the sidebar's date presets), and whether any fact table has
-- rows at all. Record dates: call_records/complaints.received_at, survey_responses.submitted_at,
-- rectifications.found_on; report_ledger has only a year, so it counts for has_data only.
-- Call records and complaints are read from their derived tables (etl/derived.py).
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
with record_times as (

    select min(day)::timestamp as first_at, max(newest_received_at) as last_at
    from call_record_days
    where in_scope(unit_id, $scope)
    union all
    select min(received_at), max(received_at) from complaint_case_facts
    where in_scope(unit_id, $scope)
    union all
    select min(submitted_at), max(submitted_at) from survey_responses
    where in_scope(coalesce(target_unit_id, respondent_unit_id), $scope)
    union all
    select min(found_on)::timestamp, max(found_on)::timestamp from rectifications
    where in_scope(unit_id, $scope)

)

select
    min(first_at)::date as first_day,
    max(last_at)::date as last_day,
    max(last_at) as newest_at,
    max(last_at) is not null or exists (
        select 1 from report_ledger
        where in_scope(station_unit_id, $scope)
    ) as has_data,

from record_times
