-- repeat_complainants
-- Complainants with at least $min_cases cases received in the period in the filters (重复诉求人),
-- each as a short pseudonym of the keyed hash (the number is never stored), with the case count,
-- channels, first and last case and the groups of repeats their cases are in; most cases first.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $min_cases         INTEGER    fewest cases in the period to be listed
-- $limit, $offset    INTEGER    page size and rows to skip
with cases as (

    select
        c.complainant_ref,
        k.case_id,
        k.received_at,
        k.channel,
        g.group_source,
        g.group_id,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    join complaints as c on c.source_system = k.source_system and c.case_id = k.case_id
    left join case_groups as g on g.source_system = k.source_system and g.case_id = k.case_id
    where c.complainant_ref is not null

),

people as (

    select
        left(complainant_ref, 6) as complainant,
        count(*) as cases,
        string_agg(distinct channel, '、' order by channel) as channels,
        min(received_at) as first_received_at,
        max(received_at) as last_received_at,
        count(distinct (group_source, group_id)) as repeat_groups,
        min(complainant_ref) as ref,

    from cases
    group by complainant_ref
    having count(*) >= $min_cases::integer

)

select
    complainant,
    cases,
    channels,
    first_received_at,
    last_received_at,
    repeat_groups,
    (select count(*) from people) as total_rows,

from people
order by cases desc, last_received_at desc, ref
limit $limit offset $offset
