-- intel_simulation_texts
-- The title and content of the complaints listed in $ids (the routing simulator's training
-- sample): case_id, title, content, in case_id order. Unmasked: the model reads them, no page
-- shows them.
-- $ids  VARCHAR[]  case ids
select
    c.case_id,
    c.title,
    c.content,

from complaints as c
where c.case_id in (select unnest($ids::varchar[]))
order by c.case_id
