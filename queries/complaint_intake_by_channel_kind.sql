-- complaint_intake_by_channel_kind
-- One row per channel (来源渠道) and kind (投诉/建议/…) of complaint cases received in the period:
-- received and closed cases.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels (来源渠道); empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
with cases_in_scope as (

    select
        k.channel,
        k.kind,
        k.status,

    from complaints as k
    where k.received_at >= $start::date
        and k.received_at < $end::date + 1
        and in_chosen_units(coalesce(k.handling_unit_id, k.receiving_unit_id), $unit_ids)
        and in_scope(coalesce(k.handling_unit_id, k.receiving_unit_id), $scope)
        and (len($channels::varchar[]) = 0
            or list_contains($channels::varchar[], k.channel))
        and category_in(k.category, $categories)

)

select
    channel,
    kind,
    count(*) as received,
    count(*) filter (where is_closed(status)) as closed,
    count(*) filter (where is_closed(status)) / count(*) as closure_rate,

from cases_in_scope
group by channel, kind
order by channel nulls last, kind nulls last
