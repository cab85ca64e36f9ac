-- complaint_by_unit
-- One row per unit handling complaint cases received in the period (handling unit, else receiving
-- unit): closure, on-time closure, overdue, returned or reassigned, repeat complaints and callback
-- satisfaction of closed cases; the closure rate's 95% Wilson interval and a rank by closure rate
-- that small units (fewer cases received than $min_replies, the settings' minimum sample) do not
-- get, listed last, as the satisfaction league (satisfaction_rate_by_unit) treats them.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula for callbacks: standard | strict | weighted
-- $as_of             TIMESTAMP  "now" for open cases past their deadline
-- $min_replies       INTEGER    fewest cases received for a unit to be ranked
-- Per-case facts (closure, overdue, returns) come precomputed in complaint_case_facts. Callback
-- replies are counted per value (满意/基本满意/不满意), so the satisfaction formula runs once per
-- unit and value, not once per case.
with counted_by_reply as (

    select
        k.unit_id,
        count(*) as received,
        count_if(k.is_closed) as closed,
        count_if(k.is_on_time) as on_time,
        count_if(k.overdue_since < $as_of::timestamp) as overdue,
        count_if(k.is_returned) as returned_or_reassigned,
        count_if(k.is_repeat) as repeat_cases,
        count_if(k.is_callback_reply) as callback_replies,
        count_if(k.is_reply_satisfied) as replies_satisfied,
        count_if(k.is_reply_basic) as replies_basic,
        count_if(k.is_reply_dissatisfied) as replies_dissatisfied,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    group by k.unit_id

),

counted as (

    select
        * exclude (replies_satisfied, replies_basic, replies_dissatisfied),
        replies_satisfied * satisfied_weight('满意', $formula)
            + replies_basic * satisfied_weight('基本满意', $formula)
            + replies_dissatisfied * satisfied_weight('不满意', $formula) as callback_satisfied,

    from counted_by_reply

),

rated as (

    select
        *,
        closed / nullif(received, 0) as closure_rate,
        received < $min_replies::integer as is_small,

    from counted

)

select
    c.unit_id,
    u.name as unit_name,
    u.unit_type,
    c.received,
    c.closed,
    c.closure_rate,
    wilson_low(c.closed, c.received) as wilson_low,
    wilson_high(c.closed, c.received) as wilson_high,
    c.is_small,
    case when not c.is_small then
        rank() over (partition by c.is_small order by c.closure_rate desc)
    end as league_rank,
    c.on_time,
    c.on_time / nullif(c.closed, 0) as on_time_rate,
    c.overdue,
    c.returned_or_reassigned,
    c.repeat_cases,
    c.callback_replies,
    c.callback_satisfied,
    c.callback_satisfied / nullif(c.callback_replies, 0) as callback_satisfaction_rate,

from rated as c
left join units as u on u.unit_id = c.unit_id
order by c.is_small, c.closure_rate desc nulls last, c.received desc, c.unit_id
