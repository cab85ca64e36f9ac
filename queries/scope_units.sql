-- scope_units
-- The unit_id of every unit in the user's tree, the top unit included (filter_units leaves a
-- single top out): for figures computed bureau-wide once and then kept to the user's tree.
-- $scope  VARCHAR  unit tree the user may see; '*' = whole bureau
select u.unit_id,

from units as u
where in_scope(u.unit_id, $scope)
order by u.unit_id
