-- 010_source_system: records are keyed by the system they came from as well as by their own id.
-- A message board's 留言编号 6 and a 12345 hotline's 工单编号 6 are two records. The source is a
-- property of the import (chosen on the page or with --source, else the import profile, else the
-- profile whose headers the file has, else 未注明); every fact row, its words and its case facts
-- carry it. Rows loaded before this migration take their import's profile name, else 未注明.

alter table imports add column source_system varchar;
-- The unit tree a staff account loaded for (NULL: an unscoped load, by an admin or the command
-- line): a survey's targets are those its unscoped loads name (etl/validate.py, scope_errors).
alter table imports add column scope_unit_id varchar;
update imports set source_system = coalesce(json_extract_string(options, '$.profile'), '未注明')
where kind not in ('units', 'unit_aliases');

alter table call_records add column source_system varchar default '未注明';
update call_records as t set source_system = i.source_system from imports as i
    where i.import_id = t.import_id;
alter table complaints add column source_system varchar default '未注明';
update complaints as t set source_system = i.source_system from imports as i
    where i.import_id = t.import_id;
-- A case's workflow events belong to the case's source (events files came without a profile).
alter table complaint_events add column source_system varchar default '未注明';
update complaint_events as e set source_system = c.source_system from complaints as c
    where c.case_id = e.case_id;
alter table survey_responses add column source_system varchar default '未注明';
update survey_responses as t set source_system = i.source_system from imports as i
    where i.import_id = t.import_id;
alter table rectifications add column source_system varchar default '未注明';
update rectifications as t set source_system = i.source_system from imports as i
    where i.import_id = t.import_id;
alter table report_ledger add column source_system varchar default '未注明';
update report_ledger as t set source_system = i.source_system from imports as i
    where i.import_id = t.import_id;

-- The previous versions an undo puts back carry the source of the import that wrote them.
update import_row_history as h
set previous = json_merge_patch(h.previous, json_object('source_system', i.source_system))
from imports as i
where i.import_id = (h.previous ->> 'import_id')::bigint and h.table_name <> 'units'
    and h.table_name <> 'unit_aliases';

-- Words are filed under their record's source too, so a record's words are its own.
alter table text_tokens add column source_system varchar default '未注明';
update text_tokens as t set source_system = c.source_system from complaints as c
    where t.source = 'complaint' and t.record_id = c.case_id;
update text_tokens as t set source_system = c.source_system from call_records as c
    where t.source = 'call_note' and t.record_id = c.record_id;
update text_tokens as t set source_system = s.source_system from survey_responses as s
    where t.source = 'survey_suggestion'
        and t.record_id = s.survey_id || '|' || s.response_id || '|' || s.question;

-- One row per (source, case): the workflow events of a case are those of its own source.
create or replace view complaint_case_facts_source as
with events_by_case as (

    select
        e.source_system,
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
    group by e.source_system, e.case_id

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
    k.source_system,  -- last: the column 010 added to the table it materialises

from complaints as k
left join events_by_case as e on e.source_system = k.source_system and e.case_id = k.case_id;

alter table complaint_case_facts add column source_system varchar default '未注明';
update complaint_case_facts as f set source_system = c.source_system from complaints as c
    where c.case_id = f.case_id;

-- A rejected row that a later row of the same file replaced ("已按第 45 行导入"): that row's number.
-- Such rows are not for fixing and sending again; the rejected-rows file leaves them out.
alter table import_errors add column superseded_by integer;
