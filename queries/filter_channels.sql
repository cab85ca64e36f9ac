-- filter_channels
-- One row per channel (渠道) seen in call records or complaints: channel.
select distinct channel
from (
    select channel from call_records
    union all
    select channel from complaints
) as seen
where channel is not null
order by channel
