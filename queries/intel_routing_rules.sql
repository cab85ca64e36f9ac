-- intel_routing_rules
-- Every routing rule, in rule_id order: rule_id, phrase, channel, category (the conditions),
-- handling_unit_id with its unit_name, set_category, deadline_days (working days).
select
    r.rule_id,
    r.phrase,
    r.channel,
    r.category,
    r.handling_unit_id,
    u.name as unit_name,
    r.set_category,
    r.deadline_days,

from routing_rules as r
left join units as u on u.unit_id = r.handling_unit_id
order by r.rule_id
