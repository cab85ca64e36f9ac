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
-- $limit, $offset    INTEGER    page size and rows to skip
with matching as (

    select
        k.case_id,
        k.received_at,
        k.channel,
        k.kind,
        k.title,
        k.category,
        coalesce(k.handling_unit_id, k.receiving_unit_id) as unit_id,
        k.status,
        k.deadline_at,
        k.closed_at,
        k.satisfaction,
        k.duplicate_of,
        k.routed_by,

    from complaints as k
    where k.received_at >= $start::date
        and k.received_at < $end::date + 1
        and (len($unit_ids::varchar[]) = 0
            or coalesce(k.handling_unit_id, k.receiving_unit_id) in (
                select unit_id from unit_closure
                where list_contains($unit_ids::varchar[], ancestor_id)))
        and ($scope = '*' or coalesce(k.handling_unit_id, k.receiving_unit_id) in (
            select unit_id from unit_closure where ancestor_id = $scope))
        and (len($channels::varchar[]) = 0
            or list_contains($channels::varchar[], k.channel))
        and (len($categories::varchar[]) = 0
            or list_contains($categories::varchar[], k.category))
        and (len($kinds::varchar[]) = 0 or list_contains($kinds::varchar[], k.kind))
        and (not $open_only::boolean or not is_closed(k.status))
        and (not $repeat_only::boolean or k.duplicate_of is not null)

)

select
    m.case_id,
    m.received_at,
    m.channel,
    m.kind,
    m.title,
    m.category,
    u.name as handling_unit_name,
    m.status,
    m.deadline_at,
    m.closed_at,
    m.satisfaction,
    m.duplicate_of,
    m.routed_by,
    count(*) over () as total_rows,

from matching as m
left join units as u on u.unit_id = m.unit_id
order by m.received_at desc, m.case_id
limit $limit offset $offset
