-- complaint_funnel
-- One row per workflow stage 受理 → 交办 → 转办 → 反馈 → 评议: complaint cases received in the period
-- that reached it, by a workflow event of that stage or a status at or past it. 转办 is optional
-- (only transferred cases reach it), so the funnel need not narrow there.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- The workflow stages each case reached come precomputed from its events (complaint_case_facts).
-- count_if of no rows is NULL, and unpivot would drop a NULL stage.
with reached as (

    select
        count(*) as accepted,
        coalesce(count_if(k.status <> '受理' or k.has_assigned_event), 0) as assigned,
        coalesce(count_if(k.status = '转办' or k.has_transferred_event), 0) as transferred,
        coalesce(count_if(k.status in ('已反馈', '已办结', '已评议')
            or k.has_answered_event), 0) as answered,
        coalesce(count_if(k.status = '已评议' or k.has_reviewed_event), 0) as reviewed,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k

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
