-- keyword_records
-- One row per record whose free text uses the word $token, one page of them, with the text:
-- complaint title and content, callback note, or survey suggestion, and the source in Chinese.
-- Survey suggestions never show the answer they came from (no record_id), and when the survey
-- suggestions in the filters (before $token) come from fewer than $min_respondents respondents,
-- theirs are is_suppressed with no text, as survey_suggestions does (k-anonymity).
-- $token             VARCHAR    the word, as keyword_counts returns it
-- $start, $end       DATE       inclusive range of the record's day
-- $sources           VARCHAR[]  text sources: complaint, call_note, survey_suggestion; empty = all
-- $unit_ids          VARCHAR[]  chosen units, each with its descendants; empty = all
-- $channels          VARCHAR[]  channels; empty = all
-- $categories        VARCHAR[]  categories; empty = all
-- $scope             VARCHAR    unit tree the user may see; '*' = whole bureau
-- $min_respondents   INTEGER    fewest respondents for survey suggestion texts to be shown
-- $limit, $offset    INTEGER    page size and rows to skip
with records_using_token as (

    select
        t.source,
        t.record_id,
        t.unit_id,
        t.day,
        t.channel,
        t.category,
        t.n,

    from text_tokens as t
    where t.token = $token
        and t.day between $start::date and $end::date
        and (len($sources::varchar[]) = 0 or list_contains($sources::varchar[], t.source))
        and in_chosen_units(t.unit_id, $unit_ids)
        and in_scope(t.unit_id, $scope)
        and (len($channels::varchar[]) = 0
            or list_contains($channels::varchar[], t.channel))
        and category_in(t.category, $categories)

),

-- total_rows: the records using the word, from the daily word counts (their records are counts of
-- text_tokens rows): text_tokens is read only by the page's Top-N, which skips rows below its cut.
token_records as (

    select coalesce(sum(w.records), 0)::bigint as total_rows
    from word_totals_in_filters($start, $end, $sources, $unit_ids, $scope, $channels, $categories)
        as w
    where w.token = $token

),

-- Survey suggestions of a group under $min_respondents respondents keep their row, not their text.
survey_guard as (

    select survey_text_hidden($start, $end, $unit_ids, $scope, $categories, $min_respondents)
        as is_suppressed

),

-- The page is cut before any text is fetched, so only its 20-odd texts are read (materialised:
-- each source's lookup reads it).
page as materialized (

    select *
    from records_using_token
    order by n desc, day desc, source, record_id
    limit $limit offset $offset

),

-- The page's days per source; no row for a source the page lacks, so its table is not scanned.
page_days as materialized (

    select source, min(day) as first_day, max(day) + 1 as after_day
    from page
    group by source

),

-- Each source's rows of the page are found on their key and time columns alone (the day bounds
-- keep text out of that scan), then their texts are read by rowid: only the page's texts are
-- decompressed, not those of every record the scan passes.
complaint_rows as materialized (

    select k.rowid as row_id
    from complaints as k
    join page_days as d on d.source = 'complaint'
        and k.received_at >= d.first_day and k.received_at < d.after_day
    where k.case_id in (select record_id from page where source = 'complaint')

),

call_rows as materialized (

    select c.rowid as row_id
    from call_records as c
    join page_days as d on d.source = 'call_note'
        and c.received_at >= d.first_day and c.received_at < d.after_day
    where c.record_id in (select record_id from page where source = 'call_note')

),

texts as (

    select
        'complaint' as source,
        k.case_id as record_id,
        concat_ws(chr(10), k.title, k.content) as text,

    from complaints as k
    where k.rowid in (select row_id from complaint_rows)

    union all

    select
        'call_note' as source,
        c.record_id,
        c.note as text,

    from call_records as c
    where c.rowid in (select row_id from call_rows)

    union all

    select
        'survey_suggestion' as source,
        concat_ws('|', s.survey_id, s.response_id, s.question) as record_id,
        s.suggestion as text,

    from survey_responses as s
    where concat_ws('|', s.survey_id, s.response_id, s.question) in (
        select record_id from page where source = 'survey_suggestion')

)

select
    r.source,
    case r.source
        when 'complaint' then '民意诉求'
        when 'call_note' then '回访备注'
        when 'survey_suggestion' then '警意建议'
    end as source_label,
    case when r.source <> 'survey_suggestion' then r.record_id end as record_id,
    r.day,
    r.unit_id,
    u.name as unit_name,
    r.channel,
    r.category,
    r.n,
    case when r.source <> 'survey_suggestion' or not g.is_suppressed then x.text end as text,
    r.source = 'survey_suggestion' and g.is_suppressed as is_suppressed,
    (select total_rows from token_records) as total_rows,

from page as r
cross join survey_guard as g
left join texts as x on x.source = r.source and x.record_id = r.record_id
left join units as u on u.unit_id = r.unit_id
order by r.n desc, r.day desc, r.source, r.record_id
