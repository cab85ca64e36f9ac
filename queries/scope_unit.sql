-- scope_unit
-- One row: the unit whose tree $scope names (the top unit of the bureau when $scope is '*'),
-- with its name, short name and type: the issuer of a document made for that tree.
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
select
    u.unit_id,
    u.name,
    u.short_name,
    u.unit_type,

from units as u
where ($scope = '*' and u.parent_id is null) or u.unit_id = $scope
order by u.unit_id
limit 1
