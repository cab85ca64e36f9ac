-- filter_police_types
-- One row per police type (警种) seen in call records or units: police_type.
select distinct police_type
from (
    select police_type from call_records
    union all
    select police_type from units
) as seen
where police_type is not null
order by police_type
