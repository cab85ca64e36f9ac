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
with cases_in_scope as (

    select
        k.case_id,
        k.received_at,
        k.channel,
        k.kind,
        k.title,
        k.category,
        coalesce(k.handling_unit_id, k.receiving_unit_id) as unit_id,
        k.status,

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

),

steps as (

    select
        e.case_id,
        count(*) filter (where e.stage = '退回') as returns,
        count(*) filter (where e.stage = '改派') as reassignments,
        max(e.event_at) as last_return_at,
        arg_max(e.stage, (e.event_at, e.stage)) as last_return_stage,
        arg_max(e.note, (e.event_at, e.stage)) as last_return_note,

    from complaint_events as e
    where is_return_stage(e.stage)
        and e.case_id in (select case_id from cases_in_scope)
    group by e.case_id

),

first_dispatch as (

    select
        e.case_id,
        first(e.to_unit_id order by e.event_at, e.stage) as first_unit_id,

    from complaint_events as e
    where e.stage in ('交办', '转办')
        and e.case_id in (select case_id from steps)
    group by e.case_id

)

select
    c.case_id,
    c.received_at,
    c.channel,
    c.kind,
    c.title,
    c.category,
    first_unit.name as first_unit_name,
    u.name as handling_unit_name,
    c.status,
    s.returns,
    s.reassignments,
    s.last_return_at,
    s.last_return_stage,
    s.last_return_note,
    count(*) over () as total_rows,

from cases_in_scope as c
join steps as s on s.case_id = c.case_id
left join first_dispatch as f on f.case_id = c.case_id
left join units as first_unit on first_unit.unit_id = f.first_unit_id
left join units as u on u.unit_id = c.unit_id
order by s.last_return_at desc, c.case_id
limit $limit offset $offset
