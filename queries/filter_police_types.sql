-- filter_police_types
-- One row per police type (警种) seen in the call records or units of the user's unit tree:
-- police_type. Call records are read from their derived daily counts (etl/derived.py).
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
select distinct police_type
from (
    select police_type from call_record_days
    where in_scope(unit_id, $scope)
    union all
    select police_type from units
    where in_scope(unit_id, $scope)
) as seen
where police_type is not null
order by police_type
