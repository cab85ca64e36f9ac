-- 017_import_profiles: column mappings people save in the browser (moved here from the warehouse,
-- whose copy-and-swap is far too heavy for one row). Same shape as the warehouse's old table.

create table import_profiles (
    name        varchar primary key,
    kind        varchar not null,
    headers     json not null,       -- the header fingerprint the profile was saved for
    mapping     json not null,       -- file header -> contract column
    fixed       json,                -- contract column -> value for the whole file
    created_by  varchar,
    created_at  timestamp
);
