-- unit_weekly_series
-- One row per unit and ISO week (Monday) from $start to $end: the unit's valid callback replies,
-- satisfied replies (by $formula), and complaint cases received, each unit counting its own
-- records and those of every unit below it, so a 分局 is the sum of its stations. The series the
-- alert rules test (briefing/alerts.py); weeks without records are absent.
-- $start, $end       DATE       inclusive range of each record's own date (whole weeks)
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted
with calls_by_week as (

    select
        c.unit_id,
        date_trunc('week', c.day)::date as week,
        sum(c.records) filter (where is_valid_reply(c.callback_result)) as valid_replies,
        sum(c.records * satisfied_weight(c.callback_result, $formula)) as satisfied,

    from call_counts($start, $end, [], $scope, [], [], []) as c
    group by all

),

cases_by_week as (

    select
        k.unit_id,
        date_trunc('week', k.received_at)::date as week,
        count(*) as cases_received,

    from cases_in_filters($start, $end, [], $scope, [], []) as k
    group by all

),

own as (

    select
        coalesce(c.unit_id, k.unit_id) as unit_id,
        coalesce(c.week, k.week) as week,
        coalesce(c.valid_replies, 0) as valid_replies,
        coalesce(c.satisfied, 0) as satisfied,
        coalesce(k.cases_received, 0) as cases_received,

    from calls_by_week as c
    full join cases_by_week as k on k.unit_id = c.unit_id and k.week = c.week

)

select
    uc.ancestor_id as unit_id,
    u.name as unit_name,
    u.unit_type,
    o.week,
    sum(o.valid_replies)::bigint as valid_replies,
    sum(o.satisfied)::double as satisfied,
    sum(o.cases_received)::bigint as cases_received,

from own as o
join unit_closure as uc on uc.unit_id = o.unit_id
join units as u on u.unit_id = uc.ancestor_id
where in_scope(uc.ancestor_id, $scope)
group by all
order by unit_id, week
