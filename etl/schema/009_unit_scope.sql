-- The unit tree a user may see, written once: every query that shows unit data filters with
-- in_scope(<the row's unit>, $scope), so a rule change (or a fix) reaches all of them at once.
-- scope_id '*' = the whole bureau; otherwise the unit scope_id and its descendants. A row with no
-- unit is outside every tree but the whole bureau's.
create or replace macro in_scope(unit, scope_id) as
    scope_id = '*' or unit in (
        select c.unit_id from unit_closure as c where c.ancestor_id = scope_id);

-- The units chosen in the sidebar, each with its descendants; an empty list = every unit.
create or replace macro in_chosen_units(unit, unit_ids) as
    len(unit_ids::varchar[]) = 0 or unit in (
        select c.unit_id from unit_closure as c
        where list_contains(unit_ids::varchar[], c.ancestor_id));

-- The table macros of 006-008 wrote both conditions out; redefined on the two above.
create or replace macro call_counts(start_day, end_day, unit_ids, scope_id, channels,
        police_types, categories) as table
    select
        d.day,
        d.unit_id,
        d.channel,
        d.police_type,
        d.callback_result,
        d.records,
        d.newest_received_at,

    from call_record_days as d
    where len(categories::varchar[]) = 0
        and d.day between start_day::date and end_day::date
        and in_chosen_units(d.unit_id, unit_ids)
        and in_scope(d.unit_id, scope_id)
        and (len(channels::varchar[]) = 0
            or list_contains(channels::varchar[], d.channel))
        and (len(police_types::varchar[]) = 0
            or list_contains(police_types::varchar[], d.police_type))

    union all

    select
        c.received_at::date as day,
        c.unit_id,
        c.channel,
        c.police_type,
        c.callback_result,
        count(*) as records,
        max(c.received_at) as newest_received_at,

    from call_records as c
    where len(categories::varchar[]) > 0
        and c.received_at >= start_day::date
        and c.received_at < end_day::date + 1
        and in_chosen_units(c.unit_id, unit_ids)
        and in_scope(c.unit_id, scope_id)
        and (len(channels::varchar[]) = 0
            or list_contains(channels::varchar[], c.channel))
        and (len(police_types::varchar[]) = 0
            or list_contains(police_types::varchar[], c.police_type))
        and list_contains(categories::varchar[], c.category)
    group by all;

create or replace macro cases_in_filters(start_day, end_day, unit_ids, scope_id, channels,
        categories) as table
    select k.*
    from complaint_case_facts as k
    where k.received_at >= start_day::date
        and k.received_at < end_day::date + 1
        and in_chosen_units(k.unit_id, unit_ids)
        and in_scope(k.unit_id, scope_id)
        and (len(channels::varchar[]) = 0 or list_contains(channels::varchar[], k.channel))
        and (len(categories::varchar[]) = 0
            or list_contains(categories::varchar[], k.category));

create or replace macro items_in_filters(start_day, end_day, unit_ids, scope_id, categories)
    as table
    select r.*
    from rectifications as r
    where r.found_on between start_day::date and end_day::date
        and in_chosen_units(r.unit_id, unit_ids)
        and in_scope(r.unit_id, scope_id)
        and (len(categories::varchar[]) = 0
            or list_contains(categories::varchar[], r.category));
