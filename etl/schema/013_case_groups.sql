-- 013_case_groups: repeated complaints linked into groups (重复诉求), the complainant's keyed hash,
-- the official reply, and the people's split/merge decisions that every relink replays.

-- Where a case's duplicate_of came from: 导入 (the export), 模型 (the linker), 人工 (a person's
-- merge). NULL with duplicate_of NULL: not a repeat. An exported link is never overwritten.
alter table complaints add column duplicate_source varchar;
-- Keyed hash (HMAC-SHA256, key outside the warehouse) of the complainant field of the export
-- (来电号码, 留言用户, 身份证号 …): equal for the same person, never the value itself.
alter table complaints add column complainant_ref varchar;
-- Supporters of a message where the board exports them (点赞数): part of a hot topic's heat.
alter table complaints add column supporters integer;
-- The official reply and when it was given, where the export has them.
alter table complaints add column reply_text varchar;
alter table complaints add column replied_at timestamp;

-- Pairs of cases found to be the same matter: by the export's own link (导入) or the linker (模型).
-- Groups are the connected components of these links, less what people split, plus what they
-- merged (case_group_decisions). case_a < case_b.
create table case_links (
    case_a      varchar not null,
    case_b      varchar not null,
    similarity  double not null,   -- score that linked them: text cosine plus the stated boosts
    linked_by   varchar not null   -- 导入/模型
);

-- Contract: each case in a group of two or more repeats of one matter.
create table case_groups (
    group_id    varchar not null,   -- the case_id of the group's first case (earliest received)
    case_id     varchar not null,
    similarity  double,             -- text similarity to the group's first case (1 for itself)
    linked_by   varchar not null    -- 导入/模型/人工: how this case came into the group
);

-- What people decided, in order, replayed by every relink and carried across `etl rebuild`:
-- split = the listed cases leave their group (they link only among themselves, and whatever a
-- person merges them with); merge = the groups of the listed cases become one.
create table case_group_decisions (
    decision_id  bigint primary key,
    action       varchar not null,   -- split/merge
    case_ids     varchar[] not null,
    made_by      varchar,
    made_at      timestamp not null,
    note         varchar
);

insert into settings values
    ('repeat_window_days', '90', '重复诉求：与组内最近一件相隔不超过的天数'),
    ('repeat_threshold', '0.5', '重复诉求：判为同一事项的最低相似度（文本余弦加同单位、同地点、同诉求人加分）'),
    ('repeat_complainant_min_cases', '3', '重复诉求人：统计窗口内至少的件数');

-- Links the exports gave before this migration: the export's word, and the groups they make (a
-- load or `etl rebuild` adds the linker's).
update complaints set duplicate_source = '导入' where duplicate_of is not null;
insert into case_links
select distinct least(k.case_id, k.duplicate_of), greatest(k.case_id, k.duplicate_of), 1.0, '导入'
from complaints as k
where k.duplicate_of <> k.case_id and k.duplicate_of in (select case_id from complaints);

insert into case_groups
with recursive up(case_id, root, depth) as (
    select case_id, case_id, 0 from complaints
    union all
    select up.case_id, k.duplicate_of, up.depth + 1
    from up join complaints as k on k.case_id = up.root
    where k.duplicate_of in (select case_id from complaints) and up.depth < 50
),
roots as (select case_id, arg_max(root, depth) as root from up group by case_id),
sized as (select *, count(*) over (partition by root) as size from roots)
select root, case_id, case when case_id = root then 1.0 end, '导入' from sized where size > 1;

-- The repeat-complaint rate (重复投诉率) counts the groups: a case is a repeat when it is in a group
-- and is not the group's first. Same columns as 010's view (source_system last), so
-- complaint_case_facts is unchanged; a case's events are those of its own source system.
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
    -- 重复诉求: in a group of repeats (case_groups) and not its first case.
    coalesce(g.is_repeat, false) as is_repeat,
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
left join events_by_case as e on e.source_system = k.source_system and e.case_id = k.case_id
left join (
    select case_id, bool_or(group_id <> case_id) as is_repeat from case_groups group by case_id
) as g on g.case_id = k.case_id;

delete from complaint_case_facts;
insert into complaint_case_facts select * from complaint_case_facts_source order by received_at, case_id;
