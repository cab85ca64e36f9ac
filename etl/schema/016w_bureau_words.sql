-- 016w_bureau_words: the whole bureau's words per day and source, so the keyword cloud and the
-- rising words of the default filter (every unit, channel and category) read about a thousand
-- rows a day instead of token_days' one row per unit, channel, category and word.

-- token_days summed over units, channels and categories (a record has one of each, so records
-- add up).
create or replace view bureau_token_days_source as
select
    d.day,
    d.source,
    d.token,
    sum(d.n)::bigint as n,
    sum(d.records)::bigint as records,

from token_days as d
group by all;

create table bureau_token_days as
select * from bureau_token_days_source order by day, token;

-- Do the filters keep every record of the whole bureau (beyond the period and text sources)?
create or replace macro is_whole_bureau(unit_ids, scope_id, channels, categories) as
    scope_id = '*'
    and len(unit_ids::varchar[]) = 0
    and len(channels::varchar[]) = 0
    and len(categories::varchar[]) = 0;

-- words_in_filters per day, source and word only: from bureau_token_days when the filters keep the
-- whole bureau, else from words_in_filters (the one filter). Either branch folds away once the
-- parameters are bound.
create or replace macro word_totals_in_filters(start_day, end_day, sources, unit_ids, scope_id,
        channels, categories) as table
    select b.day, b.source, b.token, b.n, b.records
    from bureau_token_days as b
    where is_whole_bureau(unit_ids, scope_id, channels, categories)
        and b.day between start_day::date and end_day::date
        and (len(sources::varchar[]) = 0 or list_contains(sources::varchar[], b.source))

    union all

    select d.day, d.source, d.token, d.n, d.records
    from words_in_filters(start_day, end_day, sources, unit_ids, scope_id, channels, categories)
        as d
    where not is_whole_bureau(unit_ids, scope_id, channels, categories);

-- Whether a word row of this source may be counted: survey suggestions' words only when their
-- group in the filters has at least min_respondents respondents (014, k-anonymity).
create or replace macro word_source_shown(source, start_day, end_day, unit_ids, scope_id,
        categories, min_respondents) as
    source <> 'survey_suggestion'
    or not survey_text_hidden(start_day, end_day, unit_ids, scope_id, categories, min_respondents);

create or replace macro shown_words_in_filters(start_day, end_day, sources, unit_ids, scope_id,
        channels, categories, min_respondents) as table
    select d.*
    from words_in_filters(start_day, end_day, sources, unit_ids, scope_id, channels, categories)
        as d
    where word_source_shown(d.source, start_day, end_day, unit_ids, scope_id, categories,
        min_respondents);

-- word_totals_in_filters under the same guard: what keyword_counts and keyword_rising read.
create or replace macro shown_word_totals_in_filters(start_day, end_day, sources, unit_ids,
        scope_id, channels, categories, min_respondents) as table
    select d.*
    from word_totals_in_filters(start_day, end_day, sources, unit_ids, scope_id, channels,
        categories) as d
    where word_source_shown(d.source, start_day, end_day, unit_ids, scope_id, categories,
        min_respondents);
