-- upload_unit_chains
-- Every unit with each of its ancestors, itself included (depth 0), top first: unit_id, name (the
-- unit's own name, as a rejected row's value gives it), ancestor_id, ancestor (its short name,
-- else its name) and depth. No parameters: the upload page works out which tree a unit outside a
-- clerk's own belongs to, to say so in the advice (pages/ui/upload_advice.py).
select
    u.unit_id,
    u.name,
    c.ancestor_id,
    coalesce(a.short_name, a.name) as ancestor,
    c.depth,

from unit_closure as c
inner join units as u on u.unit_id = c.unit_id
inner join units as a on a.unit_id = c.ancestor_id
order by u.unit_id, c.depth desc
