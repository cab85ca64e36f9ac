-- 005_returns_and_burden_targets: the one definition of a returned case, and report-burden targets.

-- 退回/改派: a workflow step that sends a case back or to another unit (docs/metrics.md: closed is not
-- resolved, so these are shown beside the closure rate).
create macro is_return_stage(stage) as stage in ('退回', '改派');

-- Targets of the report-burden review (报表减负, docs/metrics.md): no station at or above the burden line.
-- The other three are starting values for a bureau to set; for all four, lower is better.
insert or ignore into settings values
    ('target_report_avg_types', '100', '站均保留报表目标（种），不高于'),
    ('target_report_share_at_line', '0', '保留报表达到负担线的派出所占比目标，不高于'),
    ('target_report_hand_share', '0.5', '手工填报占比目标，不高于'),
    ('target_report_demanding_depts', '6', '仍要求派出所填报报表的部门数目标，不多于');
