-- survey_top_categories
-- One row per problem category of survey suggestions, the $top_n with most suggestions: suggestions
-- and respondents, and its level-1 category in the bureau's tree (level1, NULL outside it). A
-- category raised by fewer than $min_respondents respondents is returned with is_suppressed and no
-- counts (k-anonymity), after the shown ones, by name. A suggestion's unit is
-- its target unit, else the respondent's unit.
-- $start, $end       DATE       inclusive range of submitted_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $min_respondents   INTEGER    fewest respondents for a breakdown to be shown
-- $top_n             INTEGER    how many categories
with suggestions_in_scope as (

    select
        r.survey_id,
        r.response_id,
        r.category,

    from survey_responses as r
    where r.submitted_at >= $start::date
        and r.submitted_at < $end::date + 1
        and r.category is not null
        and nullif(trim(r.suggestion), '') is not null
        and in_chosen_units(coalesce(r.target_unit_id, r.respondent_unit_id), $unit_ids)
        and in_scope(coalesce(r.target_unit_id, r.respondent_unit_id), $scope)
        and category_in(r.category, $categories)

),

per_category as (

    select
        category,
        count(*) as suggestions,
        count(distinct (survey_id, response_id)) as respondents,

    from suggestions_in_scope
    group by category

),

guarded as (

    select
        *,
        respondents < $min_respondents::integer as is_suppressed,

    from per_category

)

select
    category,
    category_level1(category) as level1,
    is_suppressed,
    case when not is_suppressed then suggestions end as suggestions,
    case when not is_suppressed then respondents end as respondents,

from guarded
-- Suppressed categories are listed by name only, so their order does not reveal their counts.
order by is_suppressed, case when not is_suppressed then guarded.suggestions end desc, category
limit $top_n
