-- survey_scores_by_target
-- One row per survey and office under review (target unit): respondents who scored it, scored
-- answers, mean score (1-5) and share of scores 4 or 5. A target scored by fewer than
-- $min_respondents respondents is returned with is_suppressed and no figures (k-anonymity).
-- $start, $end       DATE       inclusive range of submitted_at
-- $unit_ids          VARCHAR[]  chosen target units, each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see (target units); '*' = whole bureau
-- $min_respondents   INTEGER    fewest respondents for a breakdown to be shown
with scores_in_scope as (

    select
        r.survey_id,
        r.response_id,
        r.target_unit_id,
        r.score,

    from survey_responses as r
    where r.submitted_at >= $start::date
        and r.submitted_at < $end::date + 1
        and r.target_unit_id is not null
        and r.score is not null
        and in_chosen_units(r.target_unit_id, $unit_ids)
        and in_scope(r.target_unit_id, $scope)

),

per_target as (

    select
        survey_id,
        target_unit_id,
        count(distinct response_id) as respondents,
        count(*) as answers,
        avg(score) as avg_score,
        count(*) filter (where score >= 4) / count(*) as share_high,

    from scores_in_scope
    group by survey_id, target_unit_id

),

guarded as (

    select
        *,
        respondents < $min_respondents::integer as is_suppressed,

    from per_target

)

select
    g.survey_id,
    g.target_unit_id,
    u.name as target_unit_name,
    g.is_suppressed,
    case when not g.is_suppressed then g.respondents end as respondents,
    case when not g.is_suppressed then g.answers end as answers,
    case when not g.is_suppressed then g.avg_score end as avg_score,
    case when not g.is_suppressed then g.share_high end as share_high,

from guarded as g
left join units as u on u.unit_id = g.target_unit_id
order by g.survey_id, g.is_suppressed, avg_score desc nulls last, g.target_unit_id
