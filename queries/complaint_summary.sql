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
-- Per-case facts (closure, overdue, first dispatch, returns) come precomputed in
-- complaint_case_facts. Callback replies are counted per value (满意/基本满意/不满意), so the
-- satisfaction formula runs once per value, not once per case. count_if of no rows is NULL.
with counted_by_reply as (

    select
        count(*) as received,
        coalesce(count_if(k.is_closed), 0) as closed,
        coalesce(count_if(k.is_on_time), 0) as on_time,
        coalesce(count_if(k.overdue_since < $as_of::timestamp), 0) as overdue,
        coalesce(count_if(not k.is_closed and k.overdue_since < $as_of::timestamp), 0)
            as overdue_open,
        coalesce(count_if(k.is_returned), 0) as returned_or_reassigned,
        coalesce(count_if(k.is_repeat), 0) as repeat_cases,
        coalesce(count_if(k.routed_by is not null), 0) as routed,
        coalesce(count_if(k.routed_by = '规则'), 0) as routed_by_rule,
        coalesce(count_if(k.is_dispatched), 0) as dispatched,
        coalesce(count_if(k.is_dispatched_correctly), 0) as dispatched_correctly,
        coalesce(count_if(k.routed_by = '规则' and k.is_dispatched), 0) as rule_dispatched,
        coalesce(count_if(k.routed_by = '规则' and k.is_dispatched_correctly), 0)
            as rule_dispatched_correctly,
        coalesce(count_if(k.is_callback_reply), 0) as callback_replies,
        coalesce(count_if(k.is_reply_satisfied), 0) as replies_satisfied,
        coalesce(count_if(k.is_reply_basic), 0) as replies_basic,
        coalesce(count_if(k.is_reply_dissatisfied), 0) as replies_dissatisfied,
        max(k.received_at) as newest_record_at,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k

),

counted as (

    select
        * exclude (replies_satisfied, replies_basic, replies_dissatisfied),
        replies_satisfied * satisfied_weight('满意', $formula)
            + replies_basic * satisfied_weight('基本满意', $formula)
            + replies_dissatisfied * satisfied_weight('不满意', $formula) as callback_satisfied,

    from counted_by_reply

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
