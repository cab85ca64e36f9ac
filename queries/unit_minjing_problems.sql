-- unit_minjing_problems
-- 民意与警意: what citizens complain about and what officers raise, on the shared problems of
-- problem_map. One row per shared problem that either side names in the period: the unit's
-- complaint cases (its handling unit, else receiving unit, as on every complaint page) and the
-- suggestions of the unit's own officers (respondent unit) or about it (target unit: an office
-- under review), with up to two example texts of each side, newest first. Then one row per
-- category that no mapping reaches (problem NULL: 未对应), without examples. A category maps when
-- it is a mapped one or below one in category_tree (category_in). A case or suggestion counts
-- once under each problem its category maps to. When the unit's suggestions in the filters come
-- from fewer than $min_respondents respondents, every row is is_suppressed with neither officer
-- count nor text (k-anonymity: the rule of survey_suggestions and survey_text_hidden, on this
-- query's suggestions; from k respondents on, the profile lists each suggestion anyway).
-- $start, $end       DATE       inclusive range of received_at / submitted_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  complaint channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $min_respondents   INTEGER    fewest respondents for an officer count or text to be shown
with cases as (

    select
        k.case_id,
        k.received_at,
        k.category,
        coalesce(nullif(trim(c.content), ''), c.title) as text,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    join complaints as c on c.case_id = k.case_id

),

suggestions as (

    select
        r.survey_id,
        r.response_id,
        r.question,
        r.submitted_at,
        r.category,
        r.suggestion as text,

    from survey_responses as r
    where r.submitted_at >= $start::date
        and r.submitted_at < $end::date + 1
        and nullif(trim(r.suggestion), '') is not null
        and (
            (in_chosen_units(r.respondent_unit_id, $unit_ids)
                and in_scope(r.respondent_unit_id, $scope))
            or (in_chosen_units(r.target_unit_id, $unit_ids)
                and in_scope(r.target_unit_id, $scope))
        )
        and category_in(r.category, $categories)

),

-- Each category met on a side, with the problems it maps to: category_in runs on the few distinct
-- categories, not on every record.
case_problems as (

    select distinct m.problem, c.category
    from (select distinct category from cases where category is not null) as c
    join problem_map as m on m.side = '群众诉求' and category_in(c.category, [m.category])

),

suggestion_problems as (

    select distinct m.problem, s.category
    from (select distinct category from suggestions where category is not null) as s
    join problem_map as m on m.side = '民警建议' and category_in(s.category, [m.category])

),

complaint_side as (

    select
        p.problem,
        count(distinct k.case_id) as complaints,
        list(k.text order by k.received_at desc, k.case_id)[1:2] as examples,

    from cases as k
    join case_problems as p on p.category = k.category
    group by p.problem

),

officer_side as (

    select
        p.problem,
        count(*) as suggestions,
        count(distinct (s.survey_id, s.response_id)) as respondents,
        list(s.text order by s.submitted_at desc, s.survey_id, s.response_id, s.question)[1:2]
            as examples,

    from suggestions as s
    join suggestion_problems as p on p.category = s.category
    group by p.problem

),

mapped as (

    select
        coalesce(c.problem, o.problem) as problem,
        null::varchar as category,
        coalesce(c.complaints, 0) as complaints,
        coalesce(o.suggestions, 0) as suggestions,
        coalesce(o.respondents, 0) as respondents,
        c.examples as complaint_examples,
        o.examples as suggestion_examples,

    from complaint_side as c
    full join officer_side as o on o.problem = c.problem

),

unmapped_cases as (

    select category, count(*) as complaints
    from cases
    where category is null or category not in (select category from case_problems)
    group by category

),

unmapped_suggestions as (

    select
        category,
        count(*) as suggestions,
        count(distinct (survey_id, response_id)) as respondents,

    from suggestions
    where category is null or category not in (select category from suggestion_problems)
    group by category

),

unmapped as (

    select
        null::varchar as problem,
        coalesce(c.category, s.category) as category,
        coalesce(c.complaints, 0) as complaints,
        coalesce(s.suggestions, 0) as suggestions,
        coalesce(s.respondents, 0) as respondents,
        null::varchar[] as complaint_examples,
        null::varchar[] as suggestion_examples,

    from unmapped_cases as c
    full join unmapped_suggestions as s on s.category is not distinct from c.category

),

guard as (

    select count(distinct (survey_id, response_id)) as respondents from suggestions

),

guarded as (

    select
        r.*,
        g.respondents > 0 and g.respondents < $min_respondents::integer as is_suppressed,

    from (select * from mapped union all select * from unmapped) as r
    cross join guard as g

)

select
    problem,
    category,
    complaints,
    case when not is_suppressed then suggestions end as suggestions,
    case when not is_suppressed then respondents end as respondents,
    is_suppressed,
    array_to_string(complaint_examples, ' ｜ ') as complaint_examples,
    case when not is_suppressed then array_to_string(suggestion_examples, ' ｜ ') end
        as suggestion_examples,

from guarded
-- Mapped problems first; by citizens' count, so the order never reveals a suppressed count.
order by problem is null, complaints desc, problem, category nulls last
