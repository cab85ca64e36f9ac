-- intel_simulation_replay
-- A stored month replay of the routing simulator (simulation_replays, written by intel.jobs), with
-- its cases as intel_simulation_cases gives them bureau-wide, in the same order and without text:
-- source_system, case_id, received_at, channel, category, handling_unit_id, unit_name, proposal,
-- confidence, by_rule, rule_id, model_month. Valid only while the month's stored fingerprint is
-- intel_simulation_fingerprint's (intel.simulate_store.month checks).
-- $start  DATE  first day of the month
select
    c.source_system,
    c.case_id,
    c.received_at,
    c.channel,
    c.category,
    c.handling_unit_id,
    u.name as unit_name,
    r.proposal,
    r.confidence,
    r.by_rule,
    r.rule_id,
    strftime(c.received_at, '%Y-%m') as model_month,

from complaints as c
join units as u on u.unit_id = c.handling_unit_id
join simulation_replays as r
    on r.month = $start::date and r.source_system = c.source_system and r.case_id = c.case_id
where c.received_at >= $start::date
    and c.received_at < $start::date + interval 1 month
order by c.received_at, c.case_id, c.source_system
