-- filter_settings
-- One row per setting a bureau may change without touching SQL (satisfaction formula, targets,
-- thresholds): key, value.
select
    key,
    value,

from settings
order by key
