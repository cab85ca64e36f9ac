-- filter_categories
-- One row per category (类别) seen in the call records, complaints, rectifications or survey
-- answers of the user's unit tree: category.
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
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
) as seen
where category is not null
order by category
