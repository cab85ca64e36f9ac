-- The rectification items found in a period in the dashboard's filters, one definition for every
-- rectification query (they all filtered rectifications by these same eight lines).
-- Found from start_day to end_day (inclusive), in the chosen units and their descendants, in the
-- user's unit tree (scope_id '*' = whole bureau) and categories (empty = all).
create macro items_in_filters(start_day, end_day, unit_ids, scope_id, categories) as table
    select r.*
    from rectifications as r
    where r.found_on between start_day::date and end_day::date
        and (len(unit_ids::varchar[]) = 0 or r.unit_id in (
            select unit_id from unit_closure
            where list_contains(unit_ids::varchar[], ancestor_id)))
        and (scope_id = '*' or r.unit_id in (
            select unit_id from unit_closure where ancestor_id = scope_id))
        and (len(categories::varchar[]) = 0
            or list_contains(categories::varchar[], r.category));
