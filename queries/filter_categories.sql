-- filter_categories
-- One row per category (类别) seen in the call records, complaints, rectifications or survey
-- answers of the user's unit tree, and per category above one of them in the bureau's category
-- tree (choosing it selects everything below it): category, level (1 = 一级分类; NULL outside the
-- tree). Level-1 categories first, then by level, then by name.
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
with seen as (

    select distinct category
    from (
        select category from call_records
        where in_scope(unit_id, $scope)
        union all
        select category from complaint_case_facts
        where in_scope(unit_id, $scope)
        union all
        select category from rectifications
        where in_scope(unit_id, $scope)
        union all
        select category from survey_responses
        where in_scope(coalesce(target_unit_id, respondent_unit_id), $scope)
    ) as records
    where category is not null

),

offered as (

    select category from seen
    union
    select c.ancestor from category_closure as c join seen as s on s.category = c.descendant

),

levels as (

    select root as category, 1 as level from category_roots
    union all
    select category, level from category_tree

)

select
    o.category,
    min(l.level) as level,

from offered as o
left join levels as l using (category)
group by o.category
order by level nulls last, o.category
