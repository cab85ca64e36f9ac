-- overview_kpis
-- One row per headline metric of the period: value, numerator, denominator, target from settings
-- (NULL where none), and the newest record it was computed from. Metrics: satisfaction and reply
-- rate of call records, closure, on-time closure, routing automation and callback satisfaction of
-- complaints, rectification rate, survey participation (respondents over headcount × surveys).
-- $start, $end       DATE       inclusive range of each record's own date
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (call records, complaints); empty = all
-- $police_types      VARCHAR[]  police types (call records); empty = all
-- $categories        VARCHAR[]  categories (call records, complaints, rectifications); empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted

-- Call records are counted per callback result first (call_counts: daily counts), so the
-- metric macros run once per group.
with calls_by_result as (

    select
        c.callback_result,
        sum(c.records)::bigint as records,
        max(c.newest_received_at) as newest_record_at,

    from call_counts($start, $end, $unit_ids, $scope, $channels, $police_types, $categories)
        as c
    group by c.callback_result

),

calls as (

    select
        coalesce(sum(records), 0) as records,
        coalesce(sum(records) filter (where is_valid_reply(callback_result)), 0)
            as valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_valid_reply(callback_result)), 0) as satisfied,
        max(newest_record_at) as newest_record_at,

    from calls_by_result

),

-- Per-case facts come precomputed in complaint_case_facts; callback replies are counted per value,
-- so the satisfaction formula runs once per value. count_if of no rows is NULL.
case_counts as (

    select
        count(*) as received,
        coalesce(count_if(k.is_closed), 0) as closed,
        coalesce(count_if(k.is_on_time), 0) as on_time,
        coalesce(count_if(k.routed_by is not null), 0) as routed,
        coalesce(count_if(k.routed_by = '规则'), 0) as routed_by_rule,
        coalesce(count_if(k.is_callback_reply), 0) as callback_replies,
        coalesce(count_if(k.is_reply_satisfied), 0)
            as replies_satisfied,
        coalesce(count_if(k.is_reply_basic), 0)
            as replies_basic,
        coalesce(count_if(k.is_reply_dissatisfied), 0)
            as replies_dissatisfied,
        max(k.received_at) as newest_record_at,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k

),

cases as (

    select
        * exclude (replies_satisfied, replies_basic, replies_dissatisfied),
        replies_satisfied * satisfied_weight('满意', $formula)
            + replies_basic * satisfied_weight('基本满意', $formula)
            + replies_dissatisfied * satisfied_weight('不满意', $formula) as callback_satisfied,

    from case_counts

),

items as (

    select
        count(*) as found,
        count(*) filter (where is_rectified(r.status)) as rectified,
        max(r.found_on)::timestamp as newest_record_at,

    from items_in_filters($start, $end, $unit_ids, $scope, $categories) as r

),

respondents as (

    select
        count(distinct (s.survey_id, s.response_id)) as respondents,
        count(distinct s.survey_id) as surveys,
        max(s.submitted_at) as newest_record_at,

    from survey_responses as s
    where s.submitted_at >= $start::date
        and s.submitted_at < $end::date + 1
        and coalesce(s.respondent_role, '') <> '群众'
        and in_chosen_units(s.respondent_unit_id, $unit_ids)
        and in_scope(s.respondent_unit_id, $scope)

),

headcount as (

    select sum(u.headcount) as headcount
    from units as u
    where u.headcount > 0
        and in_chosen_units(u.unit_id, $unit_ids)
        and in_scope(u.unit_id, $scope)

),

targets as (

    select
        max(try_cast(value as double)) filter (where key = 'target_satisfaction')
            as satisfaction,
        max(try_cast(value as double)) filter (where key = 'target_closure') as closure,
        max(try_cast(value as double)) filter (where key = 'target_on_time') as on_time,
        max(try_cast(value as double)) filter (where key = 'target_routing') as routing,
        max(try_cast(value as double)) filter (where key = 'target_rectification')
            as rectification,
        max(try_cast(value as double)) filter (where key = 'target_participation')
            as participation,

    from settings

),

metrics as (

    select 1 as metric_order, 'satisfaction' as metric, '满意率' as label,
        calls.satisfied::double as numerator, calls.valid_replies::double as denominator,
        targets.satisfaction as target, calls.newest_record_at,
    from calls, targets

    union all

    select 2, 'reply_rate', '有效回访率',
        calls.valid_replies, calls.records, null, calls.newest_record_at,
    from calls

    union all

    select 3, 'closure', '办结率',
        cases.closed, cases.received, targets.closure, cases.newest_record_at,
    from cases, targets

    union all

    select 4, 'on_time', '按期办结率',
        cases.on_time, cases.closed, targets.on_time, cases.newest_record_at,
    from cases, targets

    union all

    select 5, 'routing_automation', '自动分派率',
        cases.routed_by_rule, cases.routed, targets.routing, cases.newest_record_at,
    from cases, targets

    union all

    select 6, 'callback_satisfaction', '诉求回访满意率',
        cases.callback_satisfied, cases.callback_replies, targets.satisfaction,
        cases.newest_record_at,
    from cases, targets

    union all

    select 7, 'rectification', '整改率',
        items.rectified, items.found, targets.rectification, items.newest_record_at,
    from items, targets

    union all

    select 8, 'participation', '参与率',
        respondents.respondents, headcount.headcount * respondents.surveys,
        targets.participation, respondents.newest_record_at,
    from respondents, headcount, targets

)

select
    metric_order,
    metric,
    label,
    numerator / nullif(denominator, 0) as value,
    numerator,
    denominator,
    target,
    newest_record_at,

from metrics
order by metric_order
