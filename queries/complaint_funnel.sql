-- complaint_funnel
-- One row per workflow stage 受理 → 交办 → 转办 → 反馈 → 评议: complaint cases received in the period
-- that reached it, by a workflow event of that stage or a status at or past it. 转办 is optional
-- (only transferred cases reach it), so the funnel need not narrow there.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
with cases_in_scope as (

    select
        k.case_id,
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

),

stages_seen as (

    select
        e.case_id,
        bool_or(e.stage in ('交办', '转办')) as assigned,
        bool_or(e.stage = '转办') as transferred,
        bool_or(e.stage = '反馈') as answered,
        bool_or(e.stage = '评议') as reviewed,

    from complaint_events as e
    where e.case_id in (select case_id from cases_in_scope)
    group by e.case_id

),

reached as (

    select
        count(*) as accepted,
        count(*) filter (where k.status <> '受理' or s.assigned) as assigned,
        count(*) filter (where k.status = '转办' or s.transferred) as transferred,
        count(*) filter (where k.status in ('已反馈', '已办结', '已评议') or s.answered)
            as answered,
        count(*) filter (where k.status = '已评议' or s.reviewed) as reviewed,

    from cases_in_scope as k
    left join stages_seen as s on s.case_id = k.case_id

),

funnel as (

    unpivot reached
    on accepted, assigned, transferred, answered, reviewed
    into name step value cases

)

select
    list_position(['accepted', 'assigned', 'transferred', 'answered', 'reviewed'], f.step)
        as stage_order,
    case f.step
        when 'accepted' then '受理'
        when 'assigned' then '交办'
        when 'transferred' then '转办'
        when 'answered' then '反馈'
        when 'reviewed' then '评议'
    end as stage,
    f.cases,
    f.cases / nullif(r.accepted, 0) as share_of_received,

from funnel as f
cross join reached as r
order by stage_order
