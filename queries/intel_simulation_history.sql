-- intel_simulation_history
-- What the routing simulator's model of one month may learn from: every case received in the
-- $months months before the month began ($start), with its final handling unit, bureau-wide (a
-- model is the bureau's, whichever tree the user sees): case_id, received_at, handling_unit_id.
-- No text: the simulator keeps the most recent of these, samples them, and reads the texts of the
-- sample alone (intel_simulation_texts).
-- $start   DATE     first day of the month replayed
-- $months  INTEGER  how many months before it the model looks back
select
    c.case_id,
    c.received_at,
    c.handling_unit_id,

from complaints as c
where c.handling_unit_id is not null
    and c.received_at < $start::date
    and c.received_at >= $start::date - to_months($months::integer)
order by c.case_id
