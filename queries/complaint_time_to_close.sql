-- complaint_time_to_close
-- One row per population and bucket of Chinese working days: closed cases by working days from
-- receipt to closure ('closed'), and open cases by their age at $as_of ('open'), kept apart so
-- open cases do not flatter the handling time (docs/pitfalls.md M3). Empty buckets are rows with
-- 0 cases.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now" for the age of open cases
-- Closed cases' working days to closure come precomputed in complaint_case_facts; an open case's
-- age depends on $as_of, so the calendar is consulted once per day of the period, not per case.
with open_age as (

    select
        from_day,
        working_days_between(from_day, $as_of::date) as working_days,

    -- Renamed first: the macro's own lookup in work_calendar would capture a bare `day`.
    from (select c.day as from_day from work_calendar as c
        where c.day between $start::date and $end::date)

),

-- Counted per receiving day and working-day value first, so an open case's age is looked up once
-- per day and the bucket ranges are matched against a few hundred rows, not one per case.
cases_by_day as (

    select
        k.is_closed,
        k.working_days_to_close,
        k.received_at::date as from_day,
        count(*) as cases,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    where (not k.is_closed or k.closed_at is not null)
    group by all

),

measured as (

    select
        case when c.is_closed then 'closed' else 'open' end as population,
        case when c.is_closed then c.working_days_to_close else a.working_days end
            as working_days,
        sum(c.cases) as cases,

    from cases_by_day as c
    left join open_age as a on a.from_day = c.from_day and not c.is_closed
    group by all

),

buckets as (

    select *
    from (values
        (1, '0-1', 0, 1),
        (2, '2-5', 2, 5),
        (3, '6-10', 6, 10),
        (4, '11-15', 11, 15),
        (5, '16-30', 16, 30),
        (6, '>30', 31, null)
    ) as b(bucket_order, bucket, low_days, high_days)

),

populations as (

    select *
    from (values
        (1, 'closed', '已办结：受理至办结'),
        (2, 'open', '未办结：受理至今')
    ) as p(population_order, population, population_label)

)

select
    p.population_order,
    p.population,
    p.population_label,
    b.bucket_order,
    b.bucket,
    b.low_days,
    b.high_days,
    coalesce(sum(m.cases), 0)::bigint as cases,

from populations as p
cross join buckets as b
left join measured as m
    on m.population = p.population
    and m.working_days >= b.low_days
    and (b.high_days is null or m.working_days <= b.high_days)
group by all
order by p.population_order, b.bucket_order
