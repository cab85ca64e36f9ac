-- filter_date_bounds
-- One row: first and last day of the loaded records, the newest record timestamp (the "数据截至"
-- of the whole warehouse and the anchor of the sidebar's date presets), and whether any fact table
-- has rows at all. Record dates: call_records/complaints.received_at, survey_responses.submitted_at,
-- rectifications.found_on; report_ledger has only a year, so it counts for has_data only.
with record_times as (

    select min(received_at) as first_at, max(received_at) as last_at from call_records
    union all
    select min(received_at), max(received_at) from complaints
    union all
    select min(submitted_at), max(submitted_at) from survey_responses
    union all
    select min(found_on)::timestamp, max(found_on)::timestamp from rectifications

)

select
    min(first_at)::date as first_day,
    max(last_at)::date as last_day,
    max(last_at) as newest_at,
    max(last_at) is not null or exists (select 1 from report_ledger) as has_data,

from record_times
