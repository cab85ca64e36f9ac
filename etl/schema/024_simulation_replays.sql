-- 024_simulation_replays: the routing simulator's month replays, precomputed by the job a load
-- starts (intel.jobs) or by `python -m etl simulate`, so the page does not fit a model on first
-- request. A month's rows are used only while its fingerprint (intel_simulation_fingerprint) is
-- still the fingerprint of the warehouse: what the month depended on has not changed since.
create table if not exists simulation_replay_months (
    month date primary key,
    fingerprint varchar not null,
    cases integer not null,
    made_at timestamp not null,
);
create table if not exists simulation_replays (
    month date not null,
    source_system varchar not null,
    case_id varchar not null,
    proposal varchar,
    confidence double not null,
    by_rule boolean not null,
    rule_id varchar,
);
