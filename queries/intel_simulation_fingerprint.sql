-- intel_simulation_fingerprint
-- What one month's replay of the routing simulator depends on, as one string that changes when
-- any of it does: the complaints received from $months months before the month to its end (each
-- one's key, the import that last wrote it, its final handling unit, category and channel; a new
-- text always comes with a new import), the routing rules and the units (names and the join that
-- keeps a case). Aggregates only: cheap enough for the page to ask before reading a stored replay.
-- $start   DATE     first day of the month
-- $months  INTEGER  how many months before it the month's model looks back
with window_cases as (
    select
        count(*) as n,
        bit_xor(hash(source_system, case_id, import_id, handling_unit_id, category, channel)) as h,
    from complaints
    where received_at >= $start::date - to_months($months::integer)
        and received_at < $start::date + interval 1 month
),
rules as (
    select
        count(*) as n,
        bit_xor(hash(rule_id, phrase, channel, category, handling_unit_id, set_category,
            deadline_days)) as h,
    from routing_rules
),
unit_rows as (
    select count(*) as n, bit_xor(hash(unit_id, name)) as h from units
)
select
    concat_ws(':', c.n, coalesce(c.h, 0), r.n, coalesce(r.h, 0), u.n, coalesce(u.h, 0))
        as fingerprint,
from window_cases as c, rules as r, unit_rows as u
