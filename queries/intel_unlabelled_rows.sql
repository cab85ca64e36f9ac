-- intel_unlabelled_rows
-- The records a model of $target proposes a value for: those whose export gave none and no person
-- labelled, written by the imports $import_ids (empty = every import). Earlier model values are
-- included (a newer model predicts them again). One row per record: source_system, record_id,
-- title, content, and for complaints channel and category (routing rules may require them).
-- $target      VARCHAR   category / handling_unit / suggestion_category
-- $import_ids  BIGINT[]  imports whose records to take; empty = all
with person as (

    select record_source, record_id
    from labels
    where target = $target

)

select c.source_system, c.case_id as record_id, c.title, c.content, c.channel, c.category
from complaints as c
anti join person as p on p.record_source = c.source_system and p.record_id = c.case_id
where (len($import_ids::bigint[]) = 0 or list_contains($import_ids::bigint[], c.import_id))
    and case $target
        when 'category' then c.category is null or c.category_source = '模型'
        when 'handling_unit' then c.handling_unit_id is null
        else false
    end

union all

select
    r.source_system, r.survey_id || '|' || r.response_id || '|' || r.question, null, r.suggestion,
    null, null
from survey_responses as r
anti join person as p
    on p.record_source = r.source_system
    and p.record_id = r.survey_id || '|' || r.response_id || '|' || r.question
where $target = 'suggestion_category'
    and (len($import_ids::bigint[]) = 0 or list_contains($import_ids::bigint[], r.import_id))
    and nullif(trim(r.suggestion), '') is not null
    and (r.category is null or r.category_source = '模型')

order by record_id, source_system
