-- settings
-- One row per setting a bureau may change without touching SQL (satisfaction formula, targets,
-- report burden line): key, value as text, note.
select
    key,
    value,
    note,

from settings
order by key
