-- survey_suggestions
-- One row per survey suggestion (free text) matching $search, one page of them; no respondent
-- unit, role or answer id, so a suggestion is not traced to an officer. When the filtered set
-- (before $search) has fewer than $min_respondents respondents, every row is is_suppressed with no
-- text (k-anonymity). A suggestion's unit is its target unit, else the respondent's unit.
-- $start, $end       DATE       inclusive range of submitted_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $min_respondents   INTEGER    fewest respondents for the list to be shown
-- $search            VARCHAR    text the suggestion or its category contains, taken literally
--                               (% and _ are not wildcards); '' = all
-- $masked            BOOLEAN    the reader sees personal data masked: the search runs on the
--                               masked text (mask_text, etl/masking.py), so it confirms nothing
--                               the rows hide
-- $limit, $offset    INTEGER    page size and rows to skip
with suggestions_in_scope as (

    select
        r.survey_id,
        r.response_id,
        r.question,
        r.submitted_at,
        r.target_unit_id,
        r.category,
        r.suggestion,

    from survey_responses as r
    where r.submitted_at >= $start::date
        and r.submitted_at < $end::date + 1
        and nullif(trim(r.suggestion), '') is not null
        and in_chosen_units(coalesce(r.target_unit_id, r.respondent_unit_id), $unit_ids)
        and in_scope(coalesce(r.target_unit_id, r.respondent_unit_id), $scope)
        and category_in(r.category, $categories)

),

guard as (

    select count(distinct (survey_id, response_id)) < $min_respondents::integer as is_suppressed
    from suggestions_in_scope

),

matching as (

    select *
    from suggestions_in_scope
    where $search = ''
        or contains(case when $masked::boolean then mask_text(suggestion) else suggestion end,
            $search)
        or contains(category, $search)

)

select
    m.survey_id,
    case when not g.is_suppressed then m.submitted_at::date end as submitted_on,
    case when not g.is_suppressed then u.name end as target_unit_name,
    case when not g.is_suppressed then m.category end as category,
    case when not g.is_suppressed then m.suggestion end as suggestion,
    g.is_suppressed,
    count(*) over () as total_rows,

from matching as m
cross join guard as g
left join units as u on u.unit_id = m.target_unit_id
order by m.submitted_at desc, m.survey_id, m.response_id, m.question
limit $limit offset $offset
