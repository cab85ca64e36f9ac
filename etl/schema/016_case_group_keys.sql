-- 016_case_group_keys: a repeated-complaint group holds records, and since 010 a record is its
-- source and its id: a message board's 留言编号 6 and a 12345 case 6 are two records, and a repeat
-- of one is not a repeat of the other. Links, groups, decisions, place words and an inferred
-- duplicate_of name the source beside the id (columns, not one composite string: every other
-- table joins on (source_system, case_id), and so do these).

-- The export's own link (重复件) names a case of its own source; an inferred one names its group's
-- first case, which may have come from another system: duplicate_of_source says which.
alter table complaints add column duplicate_of_source varchar;
update complaints set duplicate_of_source = source_system
    where duplicate_of is not null and duplicate_source = '导入';

-- Rows written before this migration named a case by its id alone. An id that one source holds
-- names that source's record; an id two sources hold cannot be told apart: links and groups
-- touching it are left out (the next load of those cases or `etl rebuild` relinks them), and a
-- person's decision is taken to mean the record loaded first (the one a person could have seen).
create temp table _sole_source as
select case_id, min(source_system) as source_system
from complaints group by case_id having count(distinct source_system) = 1;
create temp table _first_source as
select case_id, arg_min(source_system, import_id) as source_system
from complaints group by case_id;

create temp table _old_links as select * from case_links;
drop table case_links;
-- (source_a, case_a) < (source_b, case_b).
create table case_links (
    source_a    varchar not null,
    case_a      varchar not null,
    source_b    varchar not null,
    case_b      varchar not null,
    similarity  double not null,   -- score that linked them: text cosine plus the stated boosts
    linked_by   varchar not null   -- 导入/模型
);
-- The export's links, from the rows that name them, within their own source.
insert into case_links
select distinct
    k.source_system, least(k.case_id, k.duplicate_of),
    k.source_system, greatest(k.case_id, k.duplicate_of),
    1.0, '导入'
from complaints as k
where k.duplicate_source = '导入' and k.duplicate_of <> k.case_id
    and exists (select 1 from complaints as t
                where t.source_system = k.source_system and t.case_id = k.duplicate_of);
insert into case_links
select
    case when l.ordered then l.source_a else l.source_b end,
    case when l.ordered then l.case_a else l.case_b end,
    case when l.ordered then l.source_b else l.source_a end,
    case when l.ordered then l.case_b else l.case_a end,
    l.similarity, l.linked_by
from (
    select a.source_system as source_a, o.case_a, b.source_system as source_b, o.case_b,
        o.similarity, o.linked_by,
        (a.source_system, o.case_a) < (b.source_system, o.case_b) as ordered
    from _old_links as o
    join _sole_source as a on a.case_id = o.case_a
    join _sole_source as b on b.case_id = o.case_b
    where o.linked_by <> '导入'
) as l;
drop table _old_links;

create temp table _old_groups as select * from case_groups;
drop table case_groups;
-- Contract: each record in a group of two or more repeats of one matter. A group is named by its
-- first record (earliest received): (group_source, group_id).
create table case_groups (
    group_source   varchar not null,   -- source_system of the group's first case
    group_id       varchar not null,   -- case_id of the group's first case
    source_system  varchar not null,
    case_id        varchar not null,
    similarity     double,             -- text similarity to the group's first case (1 for itself)
    linked_by      varchar not null    -- 导入/模型/人工: how this case came into the group
);
-- A group is carried over only whole: one unknown member would leave it misnamed or cut.
insert into case_groups
select f.source_system, g.group_id, s.source_system, g.case_id, g.similarity, g.linked_by
from _old_groups as g
join _sole_source as s on s.case_id = g.case_id
join _sole_source as f on f.case_id = g.group_id
where g.group_id not in (
    select group_id from _old_groups where case_id not in (select case_id from _sole_source)
);
drop table _old_groups;

-- An inferred duplicate_of follows its group (none where the group was left out above).
update complaints as k set
    duplicate_of = case when g.group_id is not null then g.group_id end,
    duplicate_of_source = case when g.group_id is not null then g.group_source end,
    duplicate_source = case when g.group_id is not null then k.duplicate_source end
from (
    select c.source_system, c.case_id, g.group_source, g.group_id
    from complaints as c
    left join case_groups as g
        on g.source_system = c.source_system and g.case_id = c.case_id
        and (g.group_source <> g.source_system or g.group_id <> g.case_id)
    where c.duplicate_source in ('模型', '人工')
) as g
where k.source_system = g.source_system and k.case_id = g.case_id;

-- Each listed case's source, in the same order as case_ids.
alter table case_group_decisions add column case_sources varchar[];
update case_group_decisions as d set case_sources = c.sources
from (
    select u.decision_id, list(coalesce(f.source_system, '未注明') order by u.n) as sources
    from (
        select decision_id, unnest(case_ids) as case_id, generate_subscripts(case_ids, 1) as n
        from case_group_decisions
    ) as u
    left join _first_source as f on f.case_id = u.case_id
    group by u.decision_id
) as c
where c.decision_id = d.decision_id;

create temp table _old_places as select * from case_places;
drop table case_places;
-- Place names a linked record's text mentions (intel.repeats.places_in): a hot topic's 地点.
create table case_places (
    source_system  varchar not null,
    case_id        varchar not null,
    place          varchar not null
);
insert into case_places
select s.source_system, p.case_id, p.place
from _old_places as p join _sole_source as s using (case_id);
drop table _old_places;
drop table _sole_source;
drop table _first_source;

-- 重复诉求 (is_repeat): the record is in a group and is not its first record. Same columns as
-- 013's view, so complaint_case_facts is unchanged.
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
    select source_system, case_id,
        bool_or(group_source <> source_system or group_id <> case_id) as is_repeat
    from case_groups group by source_system, case_id
) as g on g.source_system = k.source_system and g.case_id = k.case_id;

delete from complaint_case_facts;
insert into complaint_case_facts select * from complaint_case_facts_source order by received_at, case_id;
