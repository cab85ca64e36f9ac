-- complaint_by_unit
-- One row per unit handling complaint cases received in the period (handling unit, else receiving
-- unit): closure, on-time closure, overdue, returned or reassigned, repeat complaints and callback
-- satisfaction of closed cases.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula for callbacks: standard | strict | weighted
-- $as_of             TIMESTAMP  "now" for open cases past their deadline
with cases_in_scope as (

    select
        k.case_id,
        coalesce(k.handling_unit_id, k.receiving_unit_id) as unit_id,
        k.status,
        k.deadline_at,
        k.closed_at,
        k.satisfaction,
        k.duplicate_of,

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

returned_cases as (

    select distinct e.case_id
    from complaint_events as e
    where is_return_stage(e.stage)
        and e.case_id in (select case_id from cases_in_scope)

),

counted as (

    select
        k.unit_id,
        count(*) as received,
        count(*) filter (where is_closed(k.status)) as closed,
        count(*) filter (where is_on_time(k.status, k.closed_at, k.deadline_at)) as on_time,
        count(*) filter (where is_overdue(k.status, k.deadline_at, k.closed_at,
            $as_of::timestamp)) as overdue,
        count(r.case_id) as returned_or_reassigned,
        count(*) filter (where k.duplicate_of is not null) as repeat_cases,
        count(*) filter (where is_closed(k.status)
            and is_valid_reply(k.satisfaction)) as callback_replies,
        coalesce(sum(satisfied_weight(k.satisfaction, $formula))
            filter (where is_closed(k.status) and is_valid_reply(k.satisfaction)), 0)
            as callback_satisfied,

    from cases_in_scope as k
    left join returned_cases as r on r.case_id = k.case_id
    group by k.unit_id

)

select
    c.unit_id,
    u.name as unit_name,
    u.unit_type,
    c.received,
    c.closed,
    c.closed / nullif(c.received, 0) as closure_rate,
    c.on_time,
    c.on_time / nullif(c.closed, 0) as on_time_rate,
    c.overdue,
    c.returned_or_reassigned,
    c.repeat_cases,
    c.callback_replies,
    c.callback_satisfied,
    c.callback_satisfied / nullif(c.callback_replies, 0) as callback_satisfaction_rate,

from counted as c
left join units as u on u.unit_id = c.unit_id
order by c.received desc, c.unit_id
