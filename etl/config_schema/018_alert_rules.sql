-- 018_alert_rules
-- 预警规则: an admin's thresholds for the alert rules of briefing/alerts.py (DEFAULT_RULES holds
-- the defaults; a row here overrides one setting of one rule). Written by briefing/rule_settings.py.
create table alert_rules (
    rule        varchar not null,
    setting     varchar not null,
    value       double not null,
    changed_by  varchar,
    changed_at  timestamp not null,
    primary key (rule, setting)
);
