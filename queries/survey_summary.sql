-- survey_summary
-- One row per survey round whose respondents the user may see, oldest first: the first and last
-- day answers were submitted, respondents, suggestions written, and whether any answer falls in
-- the period (so a page can say which rounds lie outside it). Counts only: no suppression needed.
-- $start, $end       DATE       the period is_in_period is about (inclusive)
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
with responses_in_scope as (

    select
        r.survey_id,
        r.response_id,
        r.submitted_at,
        nullif(trim(r.suggestion), '') is not null as has_suggestion,

    from survey_responses as r
    where in_scope(r.respondent_unit_id, $scope)

)

select
    survey_id,
    min(submitted_at)::date as first_on,
    max(submitted_at)::date as last_on,
    count(distinct response_id) as respondents,
    count(*) filter (where has_suggestion) as suggestions,
    bool_or(submitted_at >= $start::date and submitted_at < $end::date + 1) as is_in_period,

from responses_in_scope
group by survey_id
order by first_on, survey_id
