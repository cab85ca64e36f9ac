-- 014_survey_text_guard
-- Survey suggestions are read only as a group of at least min_respondents respondents
-- (k-anonymity), in every view of their text: the cloud and word lists, rising and distinctive
-- words, a word's records. (survey_suggestions applies the same rule to its own rows.)
-- survey_text_hidden: do the suggestions that the filters select come from fewer respondents?
-- Counted on the unit their words are filed under (the target unit, text_tokens.unit_id).
create or replace macro survey_text_hidden(start_day, end_day, unit_ids, scope_id, categories,
        min_respondents) as (
    select count(distinct (s.survey_id, s.response_id))
    from survey_responses as s
    where nullif(trim(s.suggestion), '') is not null
        and s.submitted_at >= start_day::date
        and s.submitted_at < end_day::date + 1
        and in_chosen_units(s.target_unit_id, unit_ids)
        and in_scope(s.target_unit_id, scope_id)
        and (len(categories::varchar[]) = 0
            or list_contains(categories::varchar[], s.category))
) < min_respondents::integer;

-- words_in_filters (013b) without the survey suggestions' words when their group is too small.
create or replace macro shown_words_in_filters(start_day, end_day, sources, unit_ids, scope_id,
        channels, categories, min_respondents) as table
    select d.*
    from words_in_filters(start_day, end_day, sources, unit_ids, scope_id, channels, categories)
        as d
    where d.source <> 'survey_suggestion'
        or not survey_text_hidden(start_day, end_day, unit_ids, scope_id, categories,
            min_respondents);
