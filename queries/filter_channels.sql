-- filter_channels
-- One row per channel (渠道) seen in the call records or complaints of the user's unit tree:
-- channel. Read from the derived daily counts and case facts (etl/derived.py): a fraction of
-- the rows of call_records and complaints.
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
select distinct channel
from (
    select channel from call_record_days
    where in_scope(unit_id, $scope)
    union all
    select channel from complaint_case_facts
    where in_scope(unit_id, $scope)
) as seen
where channel is not null
order by channel
