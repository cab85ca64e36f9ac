-- filter_units
-- One row per unit the user may pick in the sidebar, in tree order: unit_id, name, unit_type, depth
-- below the top, and label, the path of short names from below the top unit ("东城分局 / 东风派出所").
-- When the tree has a single top unit (市局), it is left out: choosing nothing means all of it.
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
with tops as (

    select unit_id from units where parent_id is null

),

single_top as (

    select case when count(*) = 1 then min(unit_id) end as unit_id from tops

),

paths as (

    select
        c.unit_id,
        string_agg(coalesce(a.short_name, a.name), ' / ' order by c.depth desc) as label,
        count(*) as depth,

    from unit_closure as c
    inner join units as a on a.unit_id = c.ancestor_id
    where c.ancestor_id is distinct from (select unit_id from single_top)
    group by c.unit_id

)

select
    u.unit_id,
    u.name,
    u.unit_type,
    p.depth,
    p.label,

from units as u
inner join paths as p on p.unit_id = u.unit_id
where in_scope(u.unit_id, $scope)
order by p.label, u.unit_id
