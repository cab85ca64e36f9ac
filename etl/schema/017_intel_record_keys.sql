-- 017_intel_record_keys: a prediction, a person's label and a reply's screening belong to one
-- record, and since 010 a record is its source and its id: a message board's 留言编号 6 and a
-- 12345 case 6 are two records, and a proposal or a reply flag of one is not the other's.
-- predictions, reply_screening and reply_bands gain source_system (the record's); labels gain
-- record_source (labels are an unsourced kind: the label file's own source means nothing).

-- Rows written before this migration named a record by its id alone. An id that one source holds
-- names that source's record. An id two sources hold cannot be told apart: its predictions and
-- screenings are left out (the next `etl train`, load of those cases or `etl rebuild` makes them
-- again), and a person's label is taken to mean the record loaded first (as 016 reads decisions).
create temp table _holders as
select false as suggestion, case_id as record_id, min(source_system) as source_system,
    count(distinct source_system) as sources, arg_min(source_system, import_id) as first_source
from complaints group by case_id
union all
select true, survey_id || '|' || response_id || '|' || question, min(source_system),
    count(distinct source_system), arg_min(source_system, import_id)
from survey_responses group by survey_id, response_id, question;

alter table predictions add column source_system varchar;
update predictions as p set source_system = h.source_system from _holders as h
    where h.suggestion = (p.target = 'suggestion_category') and h.record_id = p.record_id
        and h.sources = 1;
delete from predictions where source_system is null;

alter table labels add column record_source varchar;
update labels as l set record_source = h.first_source from _holders as h
    where h.suggestion = (l.target = 'suggestion_category') and h.record_id = l.record_id;
-- The previous versions an undo puts back name the same record.
update import_row_history as r
set previous = json_merge_patch(r.previous, json_object('record_source', h.first_source))
from _holders as h
where r.table_name = 'labels' and h.suggestion = (r.previous ->> 'target' = 'suggestion_category')
    and h.record_id = r.previous ->> 'record_id';

alter table reply_screening add column source_system varchar;
update reply_screening as r set source_system = h.source_system from _holders as h
    where not h.suggestion and h.record_id = r.case_id and h.sources = 1;
delete from reply_screening where source_system is null;
alter table reply_bands add column source_system varchar;
update reply_bands as r set source_system = h.source_system from _holders as h
    where not h.suggestion and h.record_id = r.case_id and h.sources = 1;
delete from reply_bands where source_system is null;

-- The category a person or a model gave a record of an id two sources hold was written to both
-- (one record's label or proposal on the other): it follows the facts above again, the record's
-- own label, else nothing until a model proposes anew (exported categories stay as they are).
create temp table _recategorised as
select 'complaint' as side, k.source_system, k.case_id as record_id, l.value as category
from complaints as k
left join labels as l
    on l.target = 'category' and l.record_source = k.source_system and l.record_id = k.case_id
where k.category_source in ('人工', '模型')
    and k.case_id in (select record_id from _holders where not suggestion and sources > 1)
union all
select 'suggestion', s.source_system, h.record_id, l.value
from survey_responses as s
join _holders as h
    on h.suggestion and h.record_id = s.survey_id || '|' || s.response_id || '|' || s.question
left join labels as l
    on l.target = 'suggestion_category' and l.record_source = s.source_system
    and l.record_id = h.record_id
where s.category_source in ('人工', '模型') and h.sources > 1;

update complaints as k set category = r.category,
    category_source = case when r.category is not null then '人工' end, category_confidence = null
from _recategorised as r
where r.side = 'complaint' and r.source_system = k.source_system and r.record_id = k.case_id;
update survey_responses as s set category = r.category,
    category_source = case when r.category is not null then '人工' end, category_confidence = null
from _recategorised as r
where r.side = 'suggestion' and r.source_system = s.source_system
    and r.record_id = s.survey_id || '|' || s.response_id || '|' || s.question;
update complaint_case_facts as f set category = r.category from _recategorised as r
where r.side = 'complaint' and r.source_system = f.source_system and r.record_id = f.case_id;
update text_tokens as t set category = r.category from _recategorised as r
where t.source = case r.side when 'complaint' then 'complaint' else 'survey_suggestion' end
    and t.source_system = r.source_system and t.record_id = r.record_id;
-- The days of those records' words are counted again. The range of days lets the scan skip the
-- rest (without it, no day to count, the usual case, still counts every word of the warehouse).
create temp table _word_days as
select distinct t.day from text_tokens as t join _recategorised as r
    on t.source = case r.side when 'complaint' then 'complaint' else 'survey_suggestion' end
    and t.source_system = r.source_system and t.record_id = r.record_id;
delete from token_days where day in (select day from _word_days);
insert into token_days select * from token_days_source
where day in (select day from _word_days)
    and day between coalesce((select min(day) from _word_days), 'infinity'::date)
        and coalesce((select max(day) from _word_days), '-infinity'::date)
order by day, token;

drop table _word_days;
drop table _recategorised;
drop table _holders;

-- reply_flags, as 013b defined it, per record: a reply's screening and its near-identical
-- replies are its own record's, never those of another source's case with the same id.
create or replace view reply_flags as
with limits as (

    select
        (max(value) filter (where key = 'reply_deadline_workdays'))::integer as workdays,
        (max(value) filter (where key = 'reply_template_min'))::integer as template_min,
        (max(value) filter (where key = 'reply_relevance_min'))::double as relevance_min,
        (max(value) filter (where key = 'reply_short_chars'))::integer as short_chars,

    from settings

),

buckets as (

    select source_system, case_id, max(size) - 1 as similar_replies
    from (
        select source_system, case_id, count(*) over (partition by band, key) as size
        from reply_bands
    )
    group by source_system, case_id

)

select
    k.source_system,
    k.case_id,
    k.replied_at,
    working_days_between(k.received_at::date, k.replied_at::date) as reply_workdays,
    coalesce(case
        when k.deadline_at is not null then k.replied_at > k.deadline_at
        else working_days_between(k.received_at::date, k.replied_at::date) > l.workdays
    end, false) as is_late,
    coalesce(b.similar_replies, 0) as similar_replies,
    coalesce(b.similar_replies, 0) >= l.template_min as is_template,
    r.relevance,
    coalesce(r.relevance < l.relevance_min, false) as is_off_topic,
    r.own_chars,
    coalesce(r.own_chars < l.short_chars, false) as is_short,

from complaints as k
join reply_screening as r on r.source_system = k.source_system and r.case_id = k.case_id
left join buckets as b on b.source_system = k.source_system and b.case_id = k.case_id
cross join limits as l;
