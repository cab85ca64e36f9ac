-- keyword_distinctive
-- 特征词: words distinctive of the chosen units (with their descendants) against the rest of the
-- user's unit tree, in the period and filters: occurrences in the units and elsewhere, shares, and
-- Dunning's log-likelihood G² (log_likelihood_g2); only words used at least $min_count times in the
-- units, more often there than elsewhere, with G² ≥ 10.83 (p < 0.001), strongest first.
-- $start, $end       DATE       inclusive range of the record's day
-- $sources           VARCHAR[]  text sources: complaint, call_note, survey_suggestion; empty = all
-- $unit_ids          VARCHAR[]  the units compared with the rest (empty: no rows)
-- $channels          VARCHAR[]  channels; empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $min_respondents   INTEGER    fewest respondents for survey suggestions' words to count, in
--                               the chosen units and in the whole tree (k-anonymity)
-- $min_count         INTEGER    fewest occurrences in the units
-- $top_n             INTEGER    how many words
-- Survey suggestions' words are read apart: the survey guard (survey_text_hidden) is then tested on
-- their rows alone, not on each of the tree's complaint and call-note words, where it cost half of
-- the query (a province's 24M daily word rows); for the other sources shown_words_in_filters is
-- words_in_filters.
with words as (

    select token, in_chosen_units(unit_id, $unit_ids) as is_chosen, n, records,
    from words_in_filters($start, $end, $sources, [], $scope, $channels, $categories)
    where len($unit_ids::varchar[]) > 0 and source <> 'survey_suggestion'

    union all

    select token, in_chosen_units(unit_id, $unit_ids) as is_chosen, n, records,
    from shown_words_in_filters($start, $end, $sources, [], $scope, $channels, $categories,
        $min_respondents)
    where len($unit_ids::varchar[]) > 0 and source = 'survey_suggestion'
        -- the chosen units' survey words count only if their own group is large enough
        and (not in_chosen_units(unit_id, $unit_ids)
            or not survey_text_hidden($start, $end, $unit_ids, $scope, $categories,
                $min_respondents))

),

grouped as (

    select token, is_chosen, sum(n) as n, sum(records) as records,
    from words
    group by all

),

totals as (

    select
        coalesce(sum(n) filter (where is_chosen), 0) as n1,
        coalesce(sum(n) filter (where not is_chosen), 0) as n2,

    from grouped

),

scored as (

    select
        w.token,
        w.n,
        w.records,
        coalesce(o.n, 0) as elsewhere_n,
        w.n / t.n1 as share,
        coalesce(o.n, 0) / nullif(t.n2, 0) as elsewhere_share,
        log_likelihood_g2(w.n, coalesce(o.n, 0), t.n1, t.n2) as g2,

    from grouped as w
    left join grouped as o on o.token = w.token and not o.is_chosen
    cross join totals as t
    where w.is_chosen
        and w.n >= $min_count::integer
        and t.n2 > 0
        and w.n * t.n2 > coalesce(o.n, 0) * t.n1

)

select token, n, records, elsewhere_n, share, elsewhere_share, round(g2, 2) as g2
from scored
where g2 >= 10.83
order by g2 desc, token
limit $top_n
