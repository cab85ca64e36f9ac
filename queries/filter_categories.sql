-- filter_categories
-- One row per category (类别) seen in the call records, complaints, rectifications or survey
-- answers of the user's unit tree: category.
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
with visible_units as (

    select unit_id from unit_closure where $scope = '*' or ancestor_id = $scope

)

select distinct category
from (
    select category from call_records
    where $scope = '*' or unit_id in (select unit_id from visible_units)
    union all
    select category from complaint_case_facts
    where $scope = '*' or unit_id in (select unit_id from visible_units)
    union all
    select category from rectifications
    where $scope = '*' or unit_id in (select unit_id from visible_units)
    union all
    select category from survey_responses
    where $scope = '*'
        or coalesce(target_unit_id, respondent_unit_id) in (select unit_id from visible_units)
) as seen
where category is not null
order by category
