-- keyword_rising
-- 上升词: words whose share of all words rose significantly from the previous period of the same
-- length to this one, in the filters: occurrences now and before, shares, and Dunning's
-- log-likelihood G² (log_likelihood_g2); only words used at least $min_count times now with
-- G² ≥ 10.83 (p < 0.001), strongest first.
-- $start, $end            DATE       this period (inclusive)
-- $prev_start, $prev_end  DATE       the previous period
-- $sources                VARCHAR[]  text sources: complaint, call_note, survey_suggestion; empty = all
-- $unit_ids               VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels               VARCHAR[]  channels; empty = all
-- $categories             VARCHAR[]  categories; empty = all
-- $scope                  VARCHAR    unit tree the user may see; '*' = whole bureau
-- $min_respondents        INTEGER    fewest respondents for survey suggestions' words to count
--                                    (in each period; k-anonymity, word_source_shown)
-- $min_count              INTEGER    fewest occurrences this period
-- $top_n                  INTEGER    how many words
with now_words as (

    select token, sum(n) as n, sum(records) as records
    from shown_word_totals_in_filters($start, $end, $sources, $unit_ids, $scope, $channels,
        $categories, $min_respondents)
    group by token

),

before_words as (

    select token, sum(n) as n
    from shown_word_totals_in_filters($prev_start, $prev_end, $sources, $unit_ids, $scope,
        $channels, $categories, $min_respondents)
    group by token

),

totals as (

    select
        (select coalesce(sum(n), 0) from now_words) as n1,
        (select coalesce(sum(n), 0) from before_words) as n2,

),

scored as (

    select
        w.token,
        w.n,
        w.records,
        coalesce(b.n, 0) as previous_n,
        w.n / t.n1 as share,
        coalesce(b.n, 0) / nullif(t.n2, 0) as previous_share,
        log_likelihood_g2(w.n, coalesce(b.n, 0), t.n1, t.n2) as g2,

    from now_words as w
    left join before_words as b on b.token = w.token
    cross join totals as t
    where w.n >= $min_count::integer
        and t.n2 > 0
        and w.n * t.n2 > coalesce(b.n, 0) * t.n1

)

select token, n, records, previous_n, share, previous_share, round(g2, 2) as g2
from scored
where g2 >= 10.83
order by g2 desc, token
limit $top_n
