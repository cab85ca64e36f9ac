-- 012b_routing_rules: the bureau's preset routing keywords (kind routing_rules, 分派规则).
-- A case whose title or content contains `phrase` (and, where given, comes by `channel` and is of
-- `category`) goes to `handling_unit_id`, filed under `set_category`, due in `deadline_days`
-- working days. Where several match, the longest phrase wins, then the smallest rule_id. Rules
-- win over the model where they match (intel/route.py).
create table routing_rules (
    rule_id           varchar not null,
    phrase            varchar not null,
    channel           varchar,
    category          varchar,
    handling_unit_id  varchar,
    set_category      varchar,
    deadline_days     integer,
    import_id         bigint
);
