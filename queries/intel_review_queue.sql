-- intel_review_queue
-- 待复核: proposals below their threshold for records still without a value from an export or a
-- person, oldest record first, for a person to confirm or correct. One row per record (its source
-- and its id): source_system, record_id, received_at, title, content, value (the proposal),
-- value_name (the unit's name for a handling unit), confidence, threshold, model_id, total_rows
-- (the whole queue, for paging).
-- $target         VARCHAR  category / handling_unit / suggestion_category
-- $scope          VARCHAR  unit tree the user may see; '*' = whole bureau
-- $limit, $offset INTEGER  the page of the queue
with newest as (

    select source_system, record_id, value, confidence, threshold, model_id
    from predictions
    where target = $target
    qualify row_number() over (
        partition by source_system, record_id order by made_at desc, model_id) = 1

),

records as (

    select
        c.source_system,
        c.case_id as record_id,
        c.received_at,
        c.title,
        c.content,
        coalesce(c.handling_unit_id, c.receiving_unit_id) as unit_id,
        case $target when 'category' then c.category
            when 'handling_unit' then c.handling_unit_id end as stored,
    from complaints as c
    where $target in ('category', 'handling_unit')

    union all

    select
        r.source_system,
        r.survey_id || '|' || r.response_id || '|' || r.question,
        r.submitted_at,
        null,
        r.suggestion,
        coalesce(r.target_unit_id, r.respondent_unit_id),
        r.category,
    from survey_responses as r
    where $target = 'suggestion_category'

),

queue as (

    select
        k.source_system,
        k.record_id,
        k.received_at,
        k.title,
        k.content,
        n.value,
        u.name as value_name,
        n.confidence,
        n.threshold,
        n.model_id,

    from newest as n
    join records as k using (source_system, record_id)
    left join units as u on $target = 'handling_unit' and u.unit_id = n.value
    anti join labels as l
        on l.target = $target and l.record_source = n.source_system
        and l.record_id = n.record_id
    where k.stored is null
        and (n.threshold is null or n.confidence < n.threshold)
        and in_scope(k.unit_id, $scope)

)

select *, count(*) over () as total_rows
from queue
order by received_at, record_id, source_system
limit $limit offset $offset
