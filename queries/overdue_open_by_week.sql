-- overdue_open_by_week
-- One row per week ending in $start..$end (its Monday, `week`): complaint cases that at the end
-- of that week (Sunday 24:00, capped at $as_of) were received, not yet closed (still open, or
-- closed only later) and past their deadline. Cases received up to a year before $start count:
-- older open cases are the ledger's business, not this week's.
-- $start, $end       DATE       weeks whose Sunday falls in this range
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now": a week not over yet is judged at this time
with week_ends as (

    select
        (sunday - interval 6 day)::date as week,
        least(sunday + interval 1 day, $as_of::timestamp) as ends_at,

    from generate_series(
        $start::date + ((7 - isodow($start::date)) % 7)::integer, $end::date, interval 7 day
    ) as s(sunday)

),

cases as (

    select
        k.received_at,
        k.deadline_at,
        case when k.is_closed then k.closed_at end as closed_at,

    from cases_in_filters($start::date - interval 1 year, $end, $unit_ids, $scope, $channels, $categories) as k
    where k.deadline_at is not null

)

select
    w.week,
    count(c.received_at) as overdue_open,

from week_ends as w
left join cases as c
    on c.received_at < w.ends_at
    and c.deadline_at < w.ends_at
    and (c.closed_at is null or c.closed_at > w.ends_at)
group by w.week
order by w.week
