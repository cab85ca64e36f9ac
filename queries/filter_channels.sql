-- filter_channels
-- One row per channel (渠道) seen in the call records or complaints of the user's unit tree:
-- channel.
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
with visible_units as (

    select unit_id from unit_closure where $scope = '*' or ancestor_id = $scope

)

select distinct channel
from (
    select channel from call_records
    where $scope = '*' or unit_id in (select unit_id from visible_units)
    union all
    select channel from complaints
    where $scope = '*'
        or coalesce(handling_unit_id, receiving_unit_id) in (select unit_id from visible_units)
) as seen
where channel is not null
order by channel
