-- unit_profile_units
-- One row per chosen unit and each unit below it that the user may see: id, name, short name,
-- type, its parent's id and name, and headcount.
-- The unit profile reads its unit (and, for a 分局, its children) here; an empty result for a unit
-- means it is outside the user's tree or unknown.
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
select
    u.unit_id,
    u.name as unit_name,
    u.short_name,
    u.unit_type,
    u.parent_id,
    parent.name as parent_name,
    u.headcount,

from units as u
left join units as parent on parent.unit_id = u.parent_id
where in_chosen_units(u.unit_id, $unit_ids)
    and in_scope(u.unit_id, $scope)
order by u.unit_id
