-- 006_page_facts: facts the pages need, computed at load time beside the contract tables: per-case
-- facts of the complaint workflow (so the complaint pages read one row per case instead of
-- re-aggregating every workflow event), and call records counted per day (so a year of
-- satisfaction figures reads a few million counts, not fifteen million records).

-- The one definition of each per-case fact, from the contract tables. complaint_case_facts below
-- is this view materialised (etl.derived.refresh keeps it so after every load and undo); tests
-- assert the two never differ.
create view complaint_case_facts_source as
with events_by_case as (

    select
        e.case_id,
        -- Routing accuracy (docs/pitfalls.md M4): the unit of the first 交办/转办 step.
        first(e.to_unit_id order by e.event_at, e.stage)
            filter (where e.stage in ('交办', '转办')) as first_unit_id,
        coalesce(bool_or(is_return_stage(e.stage)), false) as is_returned,
        count(*) filter (where e.stage = '退回') as returns,
        count(*) filter (where e.stage = '改派') as reassignments,
        max(e.event_at) filter (where is_return_stage(e.stage)) as last_return_at,
        arg_max(e.stage, (e.event_at, e.stage))
            filter (where is_return_stage(e.stage)) as last_return_stage,
        arg_max(e.note, (e.event_at, e.stage))
            filter (where is_return_stage(e.stage)) as last_return_note,
        coalesce(bool_or(e.stage in ('交办', '转办')), false) as has_assigned_event,
        coalesce(bool_or(e.stage = '转办'), false) as has_transferred_event,
        coalesce(bool_or(e.stage = '反馈'), false) as has_answered_event,
        coalesce(bool_or(e.stage = '评议'), false) as has_reviewed_event,

    from complaint_events as e
    group by e.case_id

)

select
    k.case_id,
    k.received_at,
    -- A case's unit is its handling unit, else its receiving unit.
    coalesce(k.handling_unit_id, k.receiving_unit_id) as unit_id,
    k.handling_unit_id,
    k.channel,
    k.kind,
    k.title,  -- record lists show it: a page of cases then needs no second scan of complaints
    k.category,
    k.status,
    k.deadline_at,
    k.closed_at,
    k.satisfaction,
    k.duplicate_of,
    k.routed_by,
    is_closed(k.status) as is_closed,
    is_on_time(k.status, k.closed_at, k.deadline_at) as is_on_time,
    -- 超期 depends on "now" only through the deadline: the instant after which is_overdue holds
    -- ('-infinity': closed late, overdue whatever "now" is; NULL: never overdue), so that
    -- is_overdue(status, deadline_at, closed_at, $as_of) = overdue_since < $as_of.
    case
        when is_overdue(k.status, k.deadline_at, k.closed_at, '-infinity'::timestamp)
            then '-infinity'::timestamp
        when is_overdue(k.status, k.deadline_at, k.closed_at, 'infinity'::timestamp)
            then k.deadline_at
    end as overdue_since,
    is_closed(k.status) and is_valid_reply(k.satisfaction) as is_callback_reply,
    -- Each valid callback reply of a closed case, so a formula can weight their counts.
    is_closed(k.status) and is_valid_reply(k.satisfaction) and k.satisfaction = '满意'
        as is_reply_satisfied,
    is_closed(k.status) and is_valid_reply(k.satisfaction) and k.satisfaction = '基本满意'
        as is_reply_basic,
    is_closed(k.status) and is_valid_reply(k.satisfaction) and k.satisfaction = '不满意'
        as is_reply_dissatisfied,
    k.duplicate_of is not null as is_repeat,
    e.first_unit_id,
    e.first_unit_id is not null and k.handling_unit_id is not null as is_dispatched,
    coalesce(e.first_unit_id = k.handling_unit_id, false) as is_dispatched_correctly,
    coalesce(e.is_returned, false) as is_returned,
    coalesce(e.returns, 0) as returns,
    coalesce(e.reassignments, 0) as reassignments,
    e.last_return_at,
    e.last_return_stage,
    e.last_return_note,
    coalesce(e.has_assigned_event, false) as has_assigned_event,
    coalesce(e.has_transferred_event, false) as has_transferred_event,
    coalesce(e.has_answered_event, false) as has_answered_event,
    coalesce(e.has_reviewed_event, false) as has_reviewed_event,
    -- Chinese working days from receipt to closure, for closed cases with a closing time.
    case when is_closed(k.status) and k.closed_at is not null then
        working_days_between(k.received_at::date, k.closed_at::date)
    end as working_days_to_close,

from complaints as k
left join events_by_case as e on e.case_id = k.case_id;

-- Materialised, in receiving order so a date range reads only the row groups it needs.
create table complaint_case_facts as
select * from complaint_case_facts_source
order by received_at, case_id;

-- Call records counted per day, unit, channel, police type and callback result: the one
-- definition (a view), and its materialisation that etl.derived.refresh keeps equal to it.
create view call_record_days_source as
select
    c.received_at::date as day,
    c.unit_id,
    c.channel,
    c.police_type,
    c.callback_result,
    count(*) as records,
    max(c.received_at) as newest_received_at,

from call_records as c
group by all;

create table call_record_days as
select * from call_record_days_source
order by day, unit_id, channel, police_type, callback_result;

-- Call records received from start_day to end_day (inclusive) in the filters, counted per day,
-- unit, channel, police type and callback result. The daily counts carry no category, so a
-- category filter counts the records themselves (same rows, same columns).
create macro call_counts(start_day, end_day, unit_ids, scope_id, channels, police_types,
        categories) as table
    select
        d.day,
        d.unit_id,
        d.channel,
        d.police_type,
        d.callback_result,
        d.records,
        d.newest_received_at,

    from call_record_days as d
    where len(categories::varchar[]) = 0
        and d.day between start_day::date and end_day::date
        and (len(unit_ids::varchar[]) = 0 or d.unit_id in (
            select unit_id from unit_closure
            where list_contains(unit_ids::varchar[], ancestor_id)))
        and (scope_id = '*' or d.unit_id in (
            select unit_id from unit_closure where ancestor_id = scope_id))
        and (len(channels::varchar[]) = 0
            or list_contains(channels::varchar[], d.channel))
        and (len(police_types::varchar[]) = 0
            or list_contains(police_types::varchar[], d.police_type))

    union all

    select
        c.received_at::date as day,
        c.unit_id,
        c.channel,
        c.police_type,
        c.callback_result,
        count(*) as records,
        max(c.received_at) as newest_received_at,

    from call_records as c
    where len(categories::varchar[]) > 0
        and c.received_at >= start_day::date
        and c.received_at < end_day::date + 1
        and (len(unit_ids::varchar[]) = 0 or c.unit_id in (
            select unit_id from unit_closure
            where list_contains(unit_ids::varchar[], ancestor_id)))
        and (scope_id = '*' or c.unit_id in (
            select unit_id from unit_closure where ancestor_id = scope_id))
        and (len(channels::varchar[]) = 0
            or list_contains(channels::varchar[], c.channel))
        and (len(police_types::varchar[]) = 0
            or list_contains(police_types::varchar[], c.police_type))
        and list_contains(categories::varchar[], c.category)
    group by all;
