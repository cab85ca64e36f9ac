-- 015_category_tree: the bureau's own category tree (kind category_tree, 分类体系) and the one
-- category match of every filter, so that choosing a parent category selects its descendants too.
-- One row per edge: `category` sits directly under `parent`; `level` is the category's level
-- (2 = under a level-1 category). Level-1 categories need no row of their own. Names are the
-- records' flat category strings; a name under several parents (其他) rolls up to each of them.
create table category_tree (
    category  varchar not null,
    parent    varchar not null,
    level     integer,
    import_id bigint
);

-- Every category below an ancestor, at any depth. A view, not a table: the tree is small
-- (hundreds of rows) and a view can never be stale after a load or an undo. `union` (not
-- `union all`) ends the recursion on a tree that loops back on itself.
create view category_closure as
with recursive below(ancestor, descendant) as (
    select t.parent, t.category from category_tree as t where t.category <> t.parent
    union
    select b.ancestor, t.category
    from below as b
    join category_tree as t on t.parent = b.descendant and t.category <> t.parent
)
select ancestor, descendant from below;

-- The level-1 categories: parents of level-2 rows, and parents that are nobody's child (a file
-- without levels).
create view category_roots as
select parent as root from category_tree where level = 2
union
select t.parent from category_tree as t
where not exists (
    select 1 from category_tree as c where c.category = t.parent and c.category <> c.parent);

-- The records' category is one of the chosen ones or below one of them; an empty list = all.
-- A category outside the tree matches only itself, exactly as before the tree existed.
create or replace macro category_in(category, categories) as
    len(categories::varchar[]) = 0
    or list_contains(categories::varchar[], category)
    or category in (
        select c.descendant from category_closure as c
        where list_contains(categories::varchar[], c.ancestor));

-- The level-1 category a category rolls up to (itself if it is one), several joined by 、 when
-- its name sits under more than one; NULL outside the tree.
create or replace macro category_level1(category) as (
    select string_agg(distinct r.root, '、' order by r.root)
    from category_roots as r
    where r.root = category
        or exists (
            select 1 from category_closure as c
            where c.ancestor = r.root and c.descendant = category));

-- The macros of 009, 013b and 014 matched categories exactly; redefined on category_in.
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
        and category_in(c.category, categories)
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
        and category_in(k.category, categories);

create or replace macro items_in_filters(start_day, end_day, unit_ids, scope_id, categories)
    as table
    select r.*
    from rectifications as r
    where r.found_on between start_day::date and end_day::date
        and in_chosen_units(r.unit_id, unit_ids)
        and in_scope(r.unit_id, scope_id)
        and category_in(r.category, categories);

create or replace macro words_in_filters(start_day, end_day, sources, unit_ids, scope_id,
        channels, categories) as table
    select d.*
    from token_days as d
    where d.day between start_day::date and end_day::date
        and (len(sources::varchar[]) = 0 or list_contains(sources::varchar[], d.source))
        and in_chosen_units(d.unit_id, unit_ids)
        and in_scope(d.unit_id, scope_id)
        and (len(channels::varchar[]) = 0 or list_contains(channels::varchar[], d.channel))
        and category_in(d.category, categories);

create or replace macro survey_text_hidden(start_day, end_day, unit_ids, scope_id, categories,
        min_respondents) as (
    select count(distinct (s.survey_id, s.response_id))
    from survey_responses as s
    where nullif(trim(s.suggestion), '') is not null
        and s.submitted_at >= start_day::date
        and s.submitted_at < end_day::date + 1
        and in_chosen_units(s.target_unit_id, unit_ids)
        and in_scope(s.target_unit_id, scope_id)
        and category_in(s.category, categories)
) < min_respondents::integer;
