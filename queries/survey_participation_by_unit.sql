-- survey_participation_by_unit
-- One row per survey and respondent unit with a headcount: officers (民警/辅警, not 群众) who
-- answered and the participation rate (respondents / headcount). Units in scope with a headcount
-- and no respondent appear with 0. Counts only, so no k-anonymity suppression is needed here.
-- $start, $end       DATE       inclusive range of submitted_at (a survey is in if any answer is)
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
with respondents_in_scope as (

    select
        r.survey_id,
        r.respondent_unit_id as unit_id,
        count(distinct r.response_id) as respondents,

    from survey_responses as r
    where r.submitted_at >= $start::date
        and r.submitted_at < $end::date + 1
        and coalesce(r.respondent_role, '') <> '群众'
        and in_chosen_units(r.respondent_unit_id, $unit_ids)
        and in_scope(r.respondent_unit_id, $scope)
    group by r.survey_id, r.respondent_unit_id

),

units_with_headcount as (

    select
        u.unit_id,
        u.name,
        u.unit_type,
        u.headcount,

    from units as u
    where u.headcount > 0
        and in_chosen_units(u.unit_id, $unit_ids)
        and in_scope(u.unit_id, $scope)

),

surveys as (

    select distinct survey_id
    from respondents_in_scope

),

unit_survey_pairs as (

    select
        s.survey_id,
        u.unit_id,

    from surveys as s
    cross join units_with_headcount as u
    union
    select
        survey_id,
        unit_id,

    from respondents_in_scope

)

select
    p.survey_id,
    p.unit_id,
    u.name as unit_name,
    u.unit_type,
    u.headcount,
    coalesce(r.respondents, 0) as respondents,
    coalesce(r.respondents, 0) / nullif(u.headcount, 0) as participation_rate,

from unit_survey_pairs as p
left join respondents_in_scope as r
    on r.survey_id = p.survey_id and r.unit_id is not distinct from p.unit_id
left join units as u on u.unit_id = p.unit_id
order by p.survey_id, participation_rate nulls last, p.unit_id nulls last
