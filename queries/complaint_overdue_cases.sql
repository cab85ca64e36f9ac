-- complaint_overdue_cases
-- One row per overdue complaint case received in the period (open past its deadline at $as_of,
-- or closed after it; with $open_only the open ones alone), with the Chinese working days it is
-- or was overdue; one page of them.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now": open cases past their deadline at this time are overdue
-- $open_only         BOOLEAN    only cases not yet closed (超期未办结), not those closed late
-- $exact_unit_id     VARCHAR    this unit alone, not its descendants (a per-unit row's drill);
--                               NULL = no such restriction
-- $limit, $offset    INTEGER    page size and rows to skip
-- Cases come from complaint_case_facts (overdue_since: is_overdue at $as_of); the page of keys is
-- cut first, then its columns and unit names are joined, and the overdue cases counted apart.
with overdue_cases as not materialized (

    select
        k.case_id,
        k.received_at,
        k.deadline_at,
        k.closed_at,
        k.is_closed,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    where k.overdue_since < $as_of::timestamp
        and (not $open_only::boolean or not k.is_closed)
        and ($exact_unit_id::varchar is null or k.unit_id = $exact_unit_id::varchar)

),

overdue_spans as (

    select
        o.*,
        o.deadline_at::date as from_day,
        case when o.is_closed then o.closed_at else $as_of::timestamp end::date as to_day,

    from overdue_cases as o

),

-- The calendar is consulted once per distinct pair of days, not once per case.
day_pairs as (

    select
        from_day,
        to_day,
        working_days_between(from_day, to_day) as working_days,

    from (select distinct from_day, to_day from overdue_spans)

),

measured as (

    select
        o.*,
        p.working_days as working_days_overdue,

    from overdue_spans as o
    join day_pairs as p on p.from_day = o.from_day and p.to_day = o.to_day

),

page as (

    select *
    from measured
    order by is_closed, working_days_overdue desc, deadline_at, case_id
    limit $limit offset $offset

)

select
    m.case_id,
    m.received_at,
    k.channel,
    k.kind,
    k.title,
    k.category,
    k.unit_id,
    u.name as unit_name,
    k.status,
    m.deadline_at,
    m.closed_at,
    m.is_closed,
    m.working_days_overdue,
    (select count(*) from overdue_cases) as total_rows,

-- Joining on received_at too lets the table's zone maps skip row groups without page rows.
from page as m
join complaint_case_facts as k on k.case_id = m.case_id and k.received_at = m.received_at
left join units as u on u.unit_id = k.unit_id
order by m.is_closed, m.working_days_overdue desc, m.deadline_at, m.case_id
