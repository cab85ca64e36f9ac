-- settings
-- One row per setting a bureau may change without touching SQL (satisfaction formula, targets,
-- report burden line): key, value in force as text (an admin's override from the configuration
-- store, else the warehouse's default: queries/db.py), note.
select
    key,
    value,
    note,

from settings
order by key
