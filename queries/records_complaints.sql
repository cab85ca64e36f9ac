-- records_complaints
-- One row per complaint case received in the period behind a complaint figure, optionally only
-- given kinds, only open cases, or only repeat complaints; one page of them, newest first, with
-- total_rows (all matching cases) for the pager. A case's unit is its handling unit, else its
-- receiving unit.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $kinds             VARCHAR[]  kinds (投诉/建议/求助/咨询/举报/表扬); empty = all
-- $open_only         BOOLEAN    only cases not yet closed (is_closed)
-- $repeat_only       BOOLEAN    only repeat complaints (duplicate_of set)
-- $inferred          VARCHAR    cases whose category a model inferred (category_source 模型):
--                               'include' them, 'exclude' them, or 'only' them
-- $limit, $offset    INTEGER    page size and rows to skip
-- Cases come from complaint_case_facts; the page of keys is cut first, then its columns and unit
-- names are joined, and the matching cases are counted apart.
with matching as not materialized (

    select
        k.source_system,
        k.case_id,
        k.received_at,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    where (len($kinds::varchar[]) = 0 or list_contains($kinds::varchar[], k.kind))
        and (not $open_only::boolean or not k.is_closed)
        and (not $repeat_only::boolean or k.is_repeat)
        and ($inferred = 'include' or ($inferred = 'only') = ((k.source_system, k.case_id) in (
            select source_system, case_id from complaints where category_source = '模型')))

),

page as (

    select source_system, case_id, received_at
    from matching
    order by received_at desc, case_id, source_system
    limit $limit offset $offset

)

select
    k.case_id,
    k.received_at,
    k.channel,
    k.kind,
    k.title,
    k.category,
    c.category_source,
    u.name as handling_unit_name,
    k.status,
    k.deadline_at,
    k.closed_at,
    k.satisfaction,
    k.duplicate_of,
    k.routed_by,
    (select count(*) from matching) as total_rows,

-- Joining on received_at too lets the table's zone maps skip all but the page's row groups.
from page as p
join complaint_case_facts as k on k.case_id = p.case_id and k.received_at = p.received_at
    and k.source_system = p.source_system
left join units as u on u.unit_id = k.unit_id
-- A record is its source and its id: another system's case of the same id is another row.
left join complaints as c on c.source_system = k.source_system and c.case_id = k.case_id
order by k.received_at desc, k.case_id, k.source_system
