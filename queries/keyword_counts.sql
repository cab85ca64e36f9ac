-- keyword_counts
-- One row per word (token) of segmented free text, the $top_n most frequent: occurrences and the
-- records that use it. Tokens keep their record's unit, day, channel and category; they are read
-- from token_days (text_tokens counted per day), which a period filter skips through by day.
-- $start, $end       DATE       inclusive range of the record's day
-- $sources           VARCHAR[]  text sources: complaint, call_note, survey_suggestion; empty = all
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $top_n             INTEGER    how many words
with tokens_in_scope as (

    select
        t.token,
        t.n,
        t.records,

    from token_days as t
    where t.day between $start::date and $end::date
        and (len($sources::varchar[]) = 0 or list_contains($sources::varchar[], t.source))
        and in_chosen_units(t.unit_id, $unit_ids)
        and in_scope(t.unit_id, $scope)
        and (len($channels::varchar[]) = 0
            or list_contains($channels::varchar[], t.channel))
        and (len($categories::varchar[]) = 0
            or list_contains($categories::varchar[], t.category))

)

select
    token,
    sum(n)::bigint as n,
    sum(records)::bigint as records,

from tokens_in_scope
group by token
order by n desc, token
limit $top_n
