-- reply_flags_by_unit
-- 答复质量 per handling unit: cases received in the period in the filters that have an official
-- reply, how many of them each flag of reply_flags marks (超时, 模板, 答非所问, 过短), how many any
-- flag marks, and that share; units with most flagged first. A case's unit is its handling unit,
-- else its receiving unit; cases with neither are one row with no unit.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $categories        VARCHAR[]  problem categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
select
    k.unit_id,
    u.name as unit_name,
    count(*) as replies,
    count_if(r.is_late) as late_replies,
    count_if(r.is_template) as template_replies,
    count_if(r.is_off_topic) as off_topic_replies,
    count_if(r.is_short) as short_replies,
    count_if(r.is_late or r.is_template or r.is_off_topic or r.is_short) as flagged,
    count_if(r.is_late or r.is_template or r.is_off_topic or r.is_short) / count(*)
        as flagged_share,

from cases_in_filters($start, $end, $unit_ids, $scope, $channels, $categories) as k
join reply_flags as r on r.source_system = k.source_system and r.case_id = k.case_id
left join units as u on u.unit_id = k.unit_id
group by all
order by flagged desc, replies desc, unit_name nulls last
