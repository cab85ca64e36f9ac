-- 003_history: what a load replaced, so an import can be undone (its inserted rows removed, its
-- updated rows returned to their previous values), and saved column mappings for known exports.

create table import_row_history (
    import_id   bigint not null,    -- the load that replaced the row
    table_name  varchar not null,
    previous    json not null        -- the whole row as it was before, including its import_id
);

create table import_profiles (
    name        varchar primary key,
    kind        varchar not null,
    headers     json not null,       -- the header fingerprint the profile was saved for
    mapping     json not null,       -- file header -> contract column
    fixed       json,                -- contract column -> value for the whole file
    created_by  varchar,
    created_at  timestamp
);
