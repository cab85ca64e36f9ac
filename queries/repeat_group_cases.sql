-- repeat_group_cases
-- Every case of one group of repeated complaints (重复诉求) inside the user's unit tree, across
-- channels, oldest first: how it came into the group (导入/模型/人工), its similarity to the group's
-- first case, and its complainant as a short pseudonym of the keyed hash (never the number).
-- $group_source      VARCHAR    the group's first case's source system (case_groups.group_source)
-- $group_id          VARCHAR    the group's first case's id (case_groups.group_id)
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $limit, $offset    INTEGER    page size and rows to skip
with members as (

    select
        k.source_system,
        k.case_id,
        k.received_at,
        k.channel,
        k.kind,
        k.title,
        u.name as handling_unit_name,
        k.status,
        k.closed_at,
        g.similarity,
        g.linked_by,
        left(c.complainant_ref, 6) as complainant,

    from case_groups as g
    join complaint_case_facts as k using (source_system, case_id)
    join complaints as c on c.source_system = g.source_system and c.case_id = g.case_id
    left join units as u on u.unit_id = k.unit_id
    where g.group_source = $group_source and g.group_id = $group_id
        and in_scope(k.unit_id, $scope)

)

select
    *,
    (select count(*) from members) as total_rows,

from members
order by received_at, case_id, source_system
limit $limit offset $offset
