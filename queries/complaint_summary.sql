-- complaint_summary
-- One row: complaint cases received in the period, closure, on-time closure, overdue, returned or
-- reassigned cases, repeat complaints, routing automation and accuracy, callback satisfaction of
-- closed cases. A case's unit is its handling unit, else its receiving unit.
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
        k.received_at,
        k.status,
        k.deadline_at,
        k.closed_at,
        k.satisfaction,
        k.duplicate_of,
        k.routed_by,
        k.handling_unit_id,

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

events_of_cases as (

    select
        e.case_id,
        e.event_at,
        e.stage,
        e.to_unit_id,

    from complaint_events as e
    where e.case_id in (select case_id from cases_in_scope)

),

returned_cases as (

    select distinct case_id
    from events_of_cases
    where is_return_stage(stage)

),

first_dispatch as (

    select
        case_id,
        first(to_unit_id order by event_at, stage) as first_unit_id,

    from events_of_cases
    where stage in ('交办', '转办')
    group by case_id

),

cases_flagged as (

    select
        k.*,
        is_closed(k.status) as closed,
        r.case_id is not null as was_returned,
        f.first_unit_id,

    from cases_in_scope as k
    left join returned_cases as r on r.case_id = k.case_id
    left join first_dispatch as f on f.case_id = k.case_id

),

counted as (

    select
        count(*) as received,
        count(*) filter (where closed) as closed,
        count(*) filter (where is_on_time(status, closed_at, deadline_at)) as on_time,
        count(*) filter (where is_overdue(status, deadline_at, closed_at, $as_of::timestamp))
            as overdue,
        count(*) filter (where not closed
            and is_overdue(status, deadline_at, closed_at, $as_of::timestamp)) as overdue_open,
        count(*) filter (where was_returned) as returned_or_reassigned,
        count(*) filter (where duplicate_of is not null) as repeat_cases,
        count(*) filter (where routed_by is not null) as routed,
        count(*) filter (where routed_by = '规则') as routed_by_rule,
        count(*) filter (where first_unit_id is not null
            and handling_unit_id is not null) as dispatched,
        count(*) filter (where first_unit_id = handling_unit_id) as dispatched_correctly,
        count(*) filter (where routed_by = '规则' and first_unit_id is not null
            and handling_unit_id is not null) as rule_dispatched,
        count(*) filter (where routed_by = '规则'
            and first_unit_id = handling_unit_id) as rule_dispatched_correctly,
        count(*) filter (where closed and is_valid_reply(satisfaction)) as callback_replies,
        coalesce(sum(satisfied_weight(satisfaction, $formula))
            filter (where closed and is_valid_reply(satisfaction)), 0) as callback_satisfied,
        max(received_at) as newest_record_at,

    from cases_flagged

)

select
    received,
    closed,
    closed / nullif(received, 0) as closure_rate,
    on_time,
    on_time / nullif(closed, 0) as on_time_rate,
    overdue,
    overdue_open,
    overdue - overdue_open as closed_late,
    returned_or_reassigned,
    repeat_cases,
    repeat_cases / nullif(received, 0) as repeat_rate,
    routed,
    routed_by_rule,
    routed_by_rule / nullif(routed, 0) as routing_automation_rate,
    dispatched,
    dispatched_correctly,
    dispatched_correctly / nullif(dispatched, 0) as routing_accuracy,
    rule_dispatched,
    rule_dispatched_correctly,
    rule_dispatched_correctly / nullif(rule_dispatched, 0) as rule_routing_accuracy,
    callback_replies,
    callback_satisfied,
    callback_satisfied / nullif(callback_replies, 0) as callback_satisfaction_rate,
    newest_record_at,

from counted
order by received
