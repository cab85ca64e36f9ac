-- intel_simulation_history
-- What the routing simulator's models learn from: every case received before the end of the
-- period ($end, inclusive) with its final handling unit, bureau-wide (a model is the bureau's,
-- whichever tree the user sees; no text of it is shown). The simulator keeps, for each month it
-- replays, only the cases received before that month: case_id, received_at, title, content,
-- handling_unit_id.
-- $end  DATE  last day of the period
select
    c.case_id,
    c.received_at,
    c.title,
    c.content,
    c.handling_unit_id,

from complaints as c
where c.handling_unit_id is not null
    and c.received_at < $end::date + 1
order by c.case_id
