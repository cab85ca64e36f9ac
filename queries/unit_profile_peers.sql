-- unit_profile_peers
-- One row per unit with call records in its tree (its own and its descendants'), for the unit
-- profile's rank among units of its own type: the same counts, satisfaction under a formula,
-- reply rate and 95% Wilson interval as the league table (satisfaction_rate_by_unit), rolled up
-- over each unit's tree so a 分局 is the sum of its stations; a peer_rank within the unit type
-- that small units (fewer valid replies than $min_replies) do not get, and how many were ranked.
-- $start, $end       DATE       inclusive range of received_at
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $police_types      VARCHAR[]  police types (警种); empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $formula           VARCHAR    satisfaction formula: standard | strict | weighted
-- $min_replies       INTEGER    fewest valid replies for a unit to be ranked

-- Records are counted per unit and callback result first, then credited to every ancestor the
-- user may see and chose, so an ancestor outside the view never gets a partial sum.
with records_by_result as (

    select
        c.unit_id,
        c.callback_result,
        sum(c.records)::bigint as records,

    from call_counts($start, $end, $unit_ids, $scope, $channels, $police_types, $categories)
        as c
    group by all

),

rolled_up as (

    select
        a.ancestor_id as unit_id,
        r.callback_result,
        sum(r.records)::bigint as records,

    from records_by_result as r
    join unit_closure as a on a.unit_id = r.unit_id
    where in_chosen_units(a.ancestor_id, $unit_ids)
        and in_scope(a.ancestor_id, $scope)
    group by all

),

counted as (

    select
        unit_id,
        sum(records)::bigint as records,
        coalesce(sum(records) filter (where is_valid_reply(callback_result)), 0)::bigint
            as valid_replies,
        coalesce(sum(records * satisfied_weight(callback_result, $formula))
            filter (where is_valid_reply(callback_result)), 0) as satisfied,

    from rolled_up
    group by unit_id

),

rated as (

    select
        c.unit_id,
        u.name as unit_name,
        u.unit_type,
        c.records,
        c.valid_replies,
        c.satisfied,
        c.satisfied / nullif(c.valid_replies, 0) as satisfaction_rate,
        c.valid_replies / nullif(c.records, 0) as reply_rate,
        wilson_low(c.satisfied, c.valid_replies) as wilson_low,
        wilson_high(c.satisfied, c.valid_replies) as wilson_high,
        c.valid_replies < $min_replies::integer as is_small,

    from counted as c
    join units as u on u.unit_id = c.unit_id

)

select
    *,
    case when not is_small then
        rank() over (partition by unit_type, is_small order by satisfaction_rate desc)
    end as peer_rank,
    count(*) filter (where not is_small) over (partition by unit_type) as peers_ranked,

from rated
order by unit_type, is_small, satisfaction_rate desc nulls last, valid_replies desc, unit_id
