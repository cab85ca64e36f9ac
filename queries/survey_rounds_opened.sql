-- survey_rounds_opened
-- One row per survey round (survey and source system) with answers the user may see: whether an
-- unscoped load (an admin's or the command line's) wrote any of its answers, respondents and the
-- days they answered. A round only staff accounts loaded is no page's default until an admin
-- confirms it (etl/survey_rounds.py). Counts only: no suppression needed.
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
select
    r.survey_id,
    r.source_system,
    bool_or(i.scope_unit_id is null) as is_opened_by_admin,
    count(distinct r.response_id) as respondents,
    min(r.submitted_at)::date as first_on,
    max(r.submitted_at)::date as last_on,

from survey_responses as r
join imports as i on i.import_id = r.import_id
where in_scope(r.respondent_unit_id, $scope)
group by r.survey_id, r.source_system
order by last_on desc nulls last, r.survey_id, r.source_system
