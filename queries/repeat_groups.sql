-- repeat_groups
-- One row per group of repeated complaints (重复诉求, case_groups) that has a case received in the
-- period in the filters: its cases across every channel (inside the user's unit tree), how many
-- channels and which, the first and last case, the units involved, open cases and the latest
-- case's status, the first case's title; largest groups first, one page, with total_rows. A
-- group is named by its first case: group_source (its source system) and group_id (its id).
-- $start, $end       DATE       inclusive range of received_at of at least one case of the group
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all (a group then lists all its channels)
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $limit, $offset    INTEGER    page size and rows to skip
with touched as (

    select distinct g.group_source, g.group_id
    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    join case_groups as g using (source_system, case_id)

),

members as (

    select
        g.group_source,
        g.group_id,
        k.case_id,
        k.received_at,
        k.channel,
        k.title,
        k.status,
        k.is_closed,
        u.name as unit_name,

    from case_groups as g
    join complaint_case_facts as k using (source_system, case_id)
    left join units as u on u.unit_id = k.unit_id
    where (g.group_source, g.group_id) in (select group_source, group_id from touched)
        and in_scope(k.unit_id, $scope)

),

grouped as (

    select
        group_source,
        group_id,
        arg_min(title, (received_at, case_id)) as first_title,
        count(*) as cases,
        count(distinct channel) as channel_count,
        string_agg(distinct channel, '、' order by channel) as channels,
        min(received_at) as first_received_at,
        max(received_at) as last_received_at,
        string_agg(distinct unit_name, '、' order by unit_name) as units,
        count(*) filter (where not is_closed) as open_cases,
        arg_max(status, (received_at, case_id)) as latest_status,

    from members
    group by group_source, group_id
    having count(*) >= 2

)

select
    *,
    (select count(*) from grouped) as total_rows,

from grouped
order by cases desc, last_received_at desc, group_id, group_source
limit $limit offset $offset
