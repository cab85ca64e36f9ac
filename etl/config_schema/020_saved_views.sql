-- 020_saved_views
-- 保存的视图: a page and its sidebar filters an account saved under a name, to open again or, when
-- shared, for every account of the bureau to open (each within its own unit scope). `query` holds
-- only known filter keys (etl/saved_views.py KNOWN_KEYS) as {"key": ["value", ...]}; units by id.
-- Written by etl/saved_views.py.
create table saved_views (
    view_id     integer primary key,
    owner       varchar not null,   -- the account's username
    name        varchar not null,
    page        varchar not null,   -- url path of the page (app.py), e.g. satisfaction
    query       varchar not null,   -- JSON object: filter key -> list of values
    shared      boolean not null,
    created_at  timestamp not null,
    updated_at  timestamp not null,
    unique (owner, name)
);
