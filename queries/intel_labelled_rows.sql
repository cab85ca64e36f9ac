-- intel_labelled_rows
-- The rows a model of $target learns from: labels from an export or a person, never a model's.
-- One row per record: source_system, record_id, title, content, label. A person's label (table
-- labels, naming its record's source) wins over the export's value. Suggestions: record_id is
-- survey_id|response_id|question, as in text_tokens.
-- $target  VARCHAR  category / handling_unit / suggestion_category
with person as (

    select record_source, record_id, value
    from labels
    where target = $target

),

complaint_labels as (

    select
        c.source_system,
        c.case_id as record_id,
        c.title,
        c.content,
        coalesce(p.value, case
            when $target = 'category' and c.category_source is distinct from '模型' then c.category
            when $target = 'handling_unit' then c.handling_unit_id
        end) as label,

    from complaints as c
    left join person as p on p.record_source = c.source_system and p.record_id = c.case_id
    where $target in ('category', 'handling_unit')

),

suggestion_labels as (

    select
        r.source_system,
        r.survey_id || '|' || r.response_id || '|' || r.question as record_id,
        null::varchar as title,
        r.suggestion as content,
        coalesce(p.value, case when r.category_source is distinct from '模型' then r.category end)
            as label,

    from survey_responses as r
    left join person as p
        on p.record_source = r.source_system
        and p.record_id = r.survey_id || '|' || r.response_id || '|' || r.question
    where $target = 'suggestion_category'
        and nullif(trim(r.suggestion), '') is not null

)

select source_system, record_id, title, content, label
from (select * from complaint_labels union all select * from suggestion_labels)
where label is not null
order by record_id, source_system
