-- settings_defaults
-- One row per setting: the value in force (`settings`: an admin's override from the
-- configuration store, else the default; queries/db.py) beside the warehouse's own default
-- (`minyi.settings`, the table itself) and its note. No parameters.
select
    d.key,
    s.value,
    d.value as default_value,
    d.note,

from minyi.settings as d
join settings as s on s.key = d.key
order by d.key
