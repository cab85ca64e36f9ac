-- complaint_time_to_close
-- One row per population and bucket of Chinese working days: closed cases by working days from
-- receipt to closure ('closed'), and open cases by their age at $as_of ('open'), kept apart so
-- open cases do not flatter the handling time (PITFALLS M3). Empty buckets are rows with 0 cases.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $as_of             TIMESTAMP  "now" for the age of open cases
with cases_in_scope as (

    select
        k.received_at,
        k.closed_at,
        is_closed(k.status) as is_closed,

    from complaints as k
    where k.received_at >= $start::date
        and k.received_at < $end::date + 1
        and (len($unit_ids::varchar[]) = 0
            or coalesce(k.handling_unit_id, k.receiving_unit_id) in (
                select unit_id from unit_closure
                where list_contains($unit_ids::varchar[], ancestor_id)))
        and ($scope = '*' or coalesce(k.handling_unit_id, k.receiving_unit_id) in (
            select unit_id from unit_closure where ancestor_id = $scope))
        and (len($channels::varchar[]) = 0
            or list_contains($channels::varchar[], k.channel))
        and (len($categories::varchar[]) = 0
            or list_contains($categories::varchar[], k.category))

),

case_days as (

    select
        case when is_closed then 'closed' else 'open' end as population,
        received_at::date as from_day,
        case when is_closed then closed_at else $as_of::timestamp end::date as to_day,

    from cases_in_scope
    where not is_closed or closed_at is not null

),

-- The calendar is consulted once per distinct pair of days, not once per case.
day_pairs as (

    select
        from_day,
        to_day,
        working_days_between(from_day, to_day) as working_days,

    from (select distinct from_day, to_day from case_days)

),

measured as (

    select
        c.population,
        p.working_days,

    from case_days as c
    join day_pairs as p on p.from_day = c.from_day and p.to_day = c.to_day

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
    count(m.working_days) as cases,

from populations as p
cross join buckets as b
left join measured as m
    on m.population = p.population
    and m.working_days >= b.low_days
    and (b.high_days is null or m.working_days <= b.high_days)
group by all
order by p.population_order, b.bucket_order
