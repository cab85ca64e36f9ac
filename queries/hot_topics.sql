-- hot_topics
-- 热点问题: one row per group of similar cases (case_groups) with cases received in the period in
-- the filters, ranked by heat_index (cases + distinct complainants + channels + ln(1 + supporters)
-- + growth over the previous period of the same length), with its first and latest titles, the
-- place names its texts mention and the units handling it; one page, with total_rows.
-- $start, $end            DATE       inclusive range of received_at (this period)
-- $prev_start, $prev_end  DATE       the previous period of the same length
-- $unit_ids               VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels               VARCHAR[]  channels; empty = all
-- $categories             VARCHAR[]  problem categories; empty = all
-- $scope                  VARCHAR    unit tree the user may see; '*' = whole bureau
-- $limit, $offset         INTEGER    page size and rows to skip
with now_cases as (

    select
        g.group_source,
        g.group_id,
        k.case_id,
        k.received_at,
        k.channel,
        k.title,
        u.name as unit_name,
        c.complainant_ref,
        c.supporters,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    join case_groups as g on g.source_system = k.source_system and g.case_id = k.case_id
    join complaints as c on c.source_system = k.source_system and c.case_id = k.case_id
        -- the case's own time (complaint_case_facts copies it): the scan reads its other
        -- columns only for the period's cases
        and c.received_at >= $start::date and c.received_at < $end::date + 1
    left join units as u on u.unit_id = k.unit_id

),

before as (

    select g.group_source, g.group_id, count(*) as previous_cases
    from cases_in_filters($prev_start, $prev_end, $unit_ids, $scope, $channels, $categories) as k
    join case_groups as g on g.source_system = k.source_system and g.case_id = k.case_id
    group by g.group_source, g.group_id

),

places as (

    select g.group_source, g.group_id,
        string_agg(distinct p.place, '、' order by p.place) as places
    from case_places as p
    join case_groups as g on g.source_system = p.source_system and g.case_id = p.case_id
    where (g.group_source, g.group_id) in (select group_source, group_id from now_cases)
    group by g.group_source, g.group_id

),

topics as (

    select
        n.group_source,
        n.group_id,
        arg_min(n.title, (n.received_at, n.case_id)) as first_title,
        arg_max(n.title, (n.received_at, n.case_id)) as latest_title,
        count(*) as cases,
        -- distinct values as lists: one aggregate, where count/string_agg(distinct) each split
        -- the grouping in two and join it back
        len(list_distinct(list(n.complainant_ref))) as complainants,
        len(list_distinct(list(n.channel))) as channel_count,
        list_sort(list_distinct(list(n.channel))) as channel_list,
        coalesce(sum(n.supporters), 0) as supporters,
        list_sort(list_distinct(list(n.unit_name))) as unit_list,
        min(n.received_at) as first_received_at,
        max(n.received_at) as last_received_at,

    from now_cases as n
    group by n.group_source, n.group_id

)

select
    t.group_source,
    t.group_id,
    round(heat_index(t.cases, t.complainants, t.channel_count, t.supporters,
        b.previous_cases), 2) as heat,
    t.first_title,
    t.latest_title,
    t.cases,
    coalesce(b.previous_cases, 0) as previous_cases,
    t.complainants,
    t.channel_count,
    case when len(t.channel_list) > 0 then array_to_string(t.channel_list, '、') end as channels,
    t.supporters,
    p.places,
    case when len(t.unit_list) > 0 then array_to_string(t.unit_list, '、') end as units,
    t.first_received_at,
    t.last_received_at,
    (select count(*) from topics) as total_rows,

from topics as t
left join before as b on b.group_source = t.group_source and b.group_id = t.group_id
left join places as p on p.group_source = t.group_source and p.group_id = t.group_id
order by heat desc, t.last_received_at desc, t.group_id, t.group_source
limit $limit offset $offset
