-- 022_setting_overrides
-- 目标与阈值: an admin's value for a key of the warehouse's `settings` table (its rows are the
-- defaults). Every warehouse reader takes an override over the default (queries/db.py, the one
-- rule), so a saved value is in force on the next page run. Written by etl/targets.py.
create table setting_overrides (
    key         varchar primary key,
    value       varchar not null,
    changed_by  varchar,
    changed_at  timestamp not null
);
