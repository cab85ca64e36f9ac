-- intel_simulation_cases
-- The cases of a past period the routing simulator replays, oldest first: source_system, case_id,
-- received_at, channel, category, title, content, handling_unit_id (the final one) and its
-- unit_name (a case is its source and its id: two systems' case 6 are two cases). Only
-- cases with a final handling unit (the simulator measures against it), in the user's tree.
-- $start, $end  DATE     inclusive range of received_at
-- $scope        VARCHAR  unit tree the user may see; '*' = whole bureau
select
    c.source_system,
    c.case_id,
    c.received_at,
    c.channel,
    c.category,
    c.title,
    c.content,
    c.handling_unit_id,
    u.name as unit_name,

from complaints as c
join units as u on u.unit_id = c.handling_unit_id
where c.received_at >= $start::date
    and c.received_at < $end::date + 1
    and in_scope(c.handling_unit_id, $scope)
order by c.received_at, c.case_id, c.source_system
