-- reply_flagged_cases
-- The replied cases received in the period in the filters that a flag of reply_flags marks (all
-- flags, or only $flag), each named by its source and id, with each flag, the figures behind
-- them and the reply's first 120 characters; one page, latest first, with total_rows.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $flag              VARCHAR    '' = any flag; late, template, off_topic or short = that one
-- $limit, $offset    INTEGER    page size and rows to skip
with flagged as (

    select
        k.source_system,
        k.case_id,
        k.received_at,
        r.replied_at,
        k.title,
        u.name as handling_unit_name,
        r.reply_workdays,
        r.is_late,
        r.similar_replies,
        r.is_template,
        r.relevance,
        r.is_off_topic,
        r.own_chars,
        r.is_short,

    from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
    join reply_flags as r on r.source_system = k.source_system and r.case_id = k.case_id
    left join units as u on u.unit_id = k.unit_id
    where case $flag
        when 'late' then r.is_late
        when 'template' then r.is_template
        when 'off_topic' then r.is_off_topic
        when 'short' then r.is_short
        else r.is_late or r.is_template or r.is_off_topic or r.is_short
    end

),

page as (

    select * from flagged
    order by received_at desc, case_id, source_system
    limit $limit offset $offset

)

select
    p.*,
    left(c.reply_text, 120) as reply_excerpt,
    (select count(*) from flagged) as total_rows,

from page as p
join complaints as c on c.source_system = p.source_system and c.case_id = p.case_id
order by p.received_at desc, p.case_id, p.source_system
