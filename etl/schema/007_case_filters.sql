-- The complaint cases of a period in the dashboard's filters, one definition for every complaint
-- query (they all filtered complaint_case_facts by these same nine lines).
-- Received from start_day to end_day (inclusive), in the chosen units and their descendants, in
-- the user's unit tree (scope_id '*' = whole bureau), channels and categories (empty = all).
create macro cases_in_filters(start_day, end_day, unit_ids, scope_id, channels, categories)
    as table
    select k.*
    from complaint_case_facts as k
    where k.received_at >= start_day::date
        and k.received_at < end_day::date + 1
        and (len(unit_ids::varchar[]) = 0 or k.unit_id in (
            select unit_id from unit_closure
            where list_contains(unit_ids::varchar[], ancestor_id)))
        and (scope_id = '*' or k.unit_id in (
            select unit_id from unit_closure where ancestor_id = scope_id))
        and (len(channels::varchar[]) = 0 or list_contains(channels::varchar[], k.channel))
        and (len(categories::varchar[]) = 0
            or list_contains(categories::varchar[], k.category));
