-- records_calls
-- One row per call record (110/12345/窗口) received in the period behind a satisfaction figure,
-- optionally only those with given callback results; one page of them, newest first, with
-- total_rows (all matching records) for the pager.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $police_types      VARCHAR[]  police types (警种); empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $results           VARCHAR[]  callback results (满意/基本满意/不满意/未回访); empty = all
-- $exact_unit_id     VARCHAR    this unit alone, not its descendants (a per-unit row's drill);
--                               NULL = no such restriction
-- $limit, $offset    INTEGER    page size and rows to skip
-- Counted from the daily counts (call_counts), newest day first, to find the earliest day the
-- page can reach: the page is then cut from the records of those days only, and the total comes
-- from the counts.
with days as (

    select
        c.day,
        sum(c.records) as records,

    from call_counts($start, $end, $unit_ids, $scope, $channels, $police_types, $categories)
        as c
    where (len($results::varchar[]) = 0
            or list_contains($results::varchar[], c.callback_result))
        and ($exact_unit_id::varchar is null or c.unit_id = $exact_unit_id::varchar)
    group by c.day

),

counted as (

    select
        coalesce(sum(records), 0)::bigint as total_rows,
        -- The newest day by which offset + limit records have been received, newest first.
        coalesce(max(day) filter (where newer_or_same >= $offset::bigint + $limit::bigint),
            $start::date) as first_day,

    from (
        select
            day,
            records,
            sum(records) over (order by day desc) as newer_or_same,

        from days
    )

),

matching as (

    select
        c.record_id,
        c.received_at,
        c.channel,
        c.unit_id,
        c.police_type,
        c.category,
        c.callback_at,
        c.callback_result,
        c.response_minutes,
        c.note,

    from call_records as c
    where c.received_at >= greatest($start::date, (select first_day from counted))
        and c.received_at < $end::date + 1
        and in_chosen_units(c.unit_id, $unit_ids)
        and in_scope(c.unit_id, $scope)
        and (len($channels::varchar[]) = 0
            or list_contains($channels::varchar[], c.channel))
        and (len($police_types::varchar[]) = 0
            or list_contains($police_types::varchar[], c.police_type))
        and category_in(c.category, $categories)
        and (len($results::varchar[]) = 0
            or list_contains($results::varchar[], c.callback_result))
        and ($exact_unit_id::varchar is null or c.unit_id = $exact_unit_id::varchar)

)

select
    m.record_id,
    m.received_at,
    m.channel,
    u.name as unit_name,
    m.police_type,
    m.category,
    m.callback_at,
    m.callback_result,
    m.response_minutes,
    m.note,
    (select total_rows from counted) as total_rows,

from matching as m
left join units as u on u.unit_id = m.unit_id
order by m.received_at desc, m.record_id
limit $limit offset $offset
