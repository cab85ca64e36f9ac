-- complaint_returned_cases
-- One row per complaint case received in the period that was sent back or to another unit
-- (is_return_stage: 退回/改派) at least once, one page of them: how often, the unit it was first
-- assigned to and the unit handling it now, the latest such step and the latest note given on one;
-- total_rows for the pager. A case's unit is its handling unit, else its receiving unit.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $kinds             VARCHAR[]  kinds (投诉/建议/求助/咨询/举报/表扬); empty = all
-- $limit, $offset    INTEGER    page size and rows to skip
-- Returns and first dispatch come precomputed in complaint_case_facts; the page is cut before the
-- unit names are joined, and counted apart.
with returned_in_scope as not materialized (

    select
        k.case_id,
        k.received_at,
        k.channel,
        k.kind,
        k.title,
        k.category,
        k.unit_id,
        k.first_unit_id,
        k.status,
        k.returns,
        k.reassignments,
        k.last_return_at,
        k.last_return_stage,
        k.last_return_note,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    where (len($kinds::varchar[]) = 0 or list_contains($kinds::varchar[], k.kind))
        and k.is_returned

),

page as (

    select *
    from returned_in_scope
    order by last_return_at desc, case_id
    limit $limit offset $offset

)

select
    p.case_id,
    p.received_at,
    p.channel,
    p.kind,
    p.title,
    p.category,
    first_unit.name as first_unit_name,
    u.name as handling_unit_name,
    p.status,
    p.returns,
    p.reassignments,
    p.last_return_at,
    p.last_return_stage,
    p.last_return_note,
    (select count(*) from returned_in_scope) as total_rows,

from page as p
left join units as first_unit on first_unit.unit_id = p.first_unit_id
left join units as u on u.unit_id = p.unit_id
order by p.last_return_at desc, p.case_id
