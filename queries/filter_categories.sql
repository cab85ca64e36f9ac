-- filter_categories
-- One row per category (类别) seen in call records, complaints, rectifications or survey answers:
-- category.
select distinct category
from (
    select category from call_records
    union all
    select category from complaints
    union all
    select category from rectifications
    union all
    select category from survey_responses
) as seen
where category is not null
order by category
