-- 020u_alias_proposals
-- 单位别名申请: a name the loader does not know, proposed by a clerk as a name of a unit of their
-- own tree, waiting for an admin (etl/aliases.py). A confirmed one is loaded into the warehouse's
-- unit_aliases; the row stays here with its decision. Moved from the SQLite file beside the
-- warehouse (<warehouse>.proposals.sqlite), whose rows are copied once when this table is made.
create table unit_alias_proposals (
    alias        varchar primary key,  -- as the export writes it (spaces collapsed)
    unit_id      varchar not null,
    proposed_by  varchar,
    proposed_at  timestamp not null,
    status       varchar not null,     -- 待确认 / 已确认 / 未采纳
    decided_by   varchar,
    decided_at   timestamp
);
