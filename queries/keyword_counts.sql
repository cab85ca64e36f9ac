-- keyword_counts
-- One row per word (token) of segmented free text, the $top_n most frequent: occurrences and the
-- records that use it. Tokens keep their record's unit, day, channel and category; they are read
-- from daily counts stored by day (bureau_token_days for the whole bureau, else token_days:
-- shown_word_totals_in_filters), which a period filter skips through by day;
-- survey suggestions' words only from a group of at least $min_respondents respondents.
-- $start, $end       DATE       inclusive range of the record's day
-- $sources           VARCHAR[]  text sources: complaint, call_note, survey_suggestion; empty = all
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $min_respondents   INTEGER    fewest respondents for survey suggestions' words to count
--                               (k-anonymity, word_source_shown)
-- $top_n             INTEGER    how many words
with tokens_in_scope as (

    select t.token, t.n, t.records
    from shown_word_totals_in_filters($start, $end, $sources, $unit_ids, $scope, $channels,
        $categories, $min_respondents) as t

)

select
    token,
    sum(n)::bigint as n,
    sum(records)::bigint as records,

from tokens_in_scope
group by token
order by n desc, token
limit $top_n
