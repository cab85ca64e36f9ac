-- 013b_words_and_replies: words that say something (上升词, 特征词), daily token counts so keyword
-- queries skip what a filter excludes, place names of linked cases (hot topics), reply screening.

-- Dunning's log-likelihood G² of a 2×2 table: a of n1 tokens in one part, b of n2 in the other.
-- G² ≥ 10.83 ↔ p < 0.001 (one degree of freedom), 3.84 ↔ p < 0.05.
create macro g2_term(observed, expected) as
    case when observed > 0 then observed * ln(observed / expected) else 0 end;
create macro log_likelihood_g2(a, b, n1, n2) as 2 * (
    g2_term(a::double, (a + b) * n1::double / (n1 + n2))
    + g2_term(b::double, (a + b) * n2::double / (n1 + n2))
    + g2_term((n1 - a)::double, (n1 + n2 - a - b) * n1::double / (n1 + n2))
    + g2_term((n2 - b)::double, (n1 + n2 - a - b) * n2::double / (n1 + n2))
);

-- text_tokens counted per day, source, unit, channel, category and word: a keyword cloud for a
-- period reads these counts, stored by day, instead of every word of every record.
create view token_days_source as
select
    t.day,
    t.source,
    t.unit_id,
    t.channel,
    t.category,
    t.token,
    sum(t.n)::bigint as n,
    count(*) as records,

from text_tokens as t
group by all;

create table token_days as
select * from token_days_source order by day, token;

-- Place names a linked case's text mentions (intel.repeats.places_in): a hot topic's 地点.
create table case_places (
    case_id  varchar not null,
    place    varchar not null
);

-- Per reply, what the screening computed at load: how much of its message's title it takes up (low:
-- 答非所问 candidate), its length without the quoted message, and MinHash band keys of its text
-- (replies sharing a band are near-identical: a template reply is one shared by many).
create table reply_screening (
    case_id     varchar not null,
    relevance   double,    -- share of the message title's two-character runs the reply repeats
    own_chars   integer    -- characters of the reply outside quotes and the greeting
);
create table reply_bands (
    case_id  varchar not null,
    band     integer not null,
    key      bigint not null
);

insert into settings values
    ('reply_deadline_workdays', '15', '答复时限（工作日），导出没有办理时限时使用'),
    ('reply_template_min', '5', '模板答复：至少有这么多件答复与之几乎相同'),
    ('reply_relevance_min', '0.2', '答非所问候选：答复提到留言标题内容的比例低于此值'),
    ('reply_short_chars', '40', '过短答复：除引用和套话外少于此字数'),
    ('rising_min_count', '5', '上升词、特征词：本期至少出现的次数');

-- The one definition of each reply flag (答复质量): flags, not a score. A reply is
-- 超时 when given after the case's deadline, or, without one, after reply_deadline_workdays
-- working days; 模板 when at least reply_template_min other replies are near-identical to it;
-- 答非所问 when its similarity to the message is below reply_relevance_min; 过短 when its own text
-- (outside quotes) is under reply_short_chars characters.
create view reply_flags as
with limits as (

    select
        (max(value) filter (where key = 'reply_deadline_workdays'))::integer as workdays,
        (max(value) filter (where key = 'reply_template_min'))::integer as template_min,
        (max(value) filter (where key = 'reply_relevance_min'))::double as relevance_min,
        (max(value) filter (where key = 'reply_short_chars'))::integer as short_chars,

    from settings

),

buckets as (

    select case_id, max(size) - 1 as similar_replies
    from (select case_id, count(*) over (partition by band, key) as size from reply_bands)
    group by case_id

)

select
    k.case_id,
    k.replied_at,
    working_days_between(k.received_at::date, k.replied_at::date) as reply_workdays,
    coalesce(case
        when k.deadline_at is not null then k.replied_at > k.deadline_at
        else working_days_between(k.received_at::date, k.replied_at::date) > l.workdays
    end, false) as is_late,
    coalesce(b.similar_replies, 0) as similar_replies,
    coalesce(b.similar_replies, 0) >= l.template_min as is_template,
    r.relevance,
    coalesce(r.relevance < l.relevance_min, false) as is_off_topic,
    r.own_chars,
    coalesce(r.own_chars < l.short_chars, false) as is_short,

from complaints as k
join reply_screening as r on r.case_id = k.case_id
left join buckets as b on b.case_id = k.case_id
cross join limits as l;

-- 热度 of a hot topic (a group of similar cases) in a period, stated on the page: its cases, plus
-- its distinct complainants, plus its channels, plus ln(1 + supporters), plus its growth over the
-- previous period of the same length (cases now minus cases then, when positive).
create macro heat_index(cases, complainants, channels, supporters, previous_cases) as
    cases + complainants + channels + ln(1 + coalesce(supporters, 0))
    + greatest(0, cases - coalesce(previous_cases, 0));

-- Daily word counts of the records in the filters (the keyword queries' one filter): day from
-- start_day to end_day, text sources, chosen units, the user's unit tree, channels, categories.
create macro words_in_filters(start_day, end_day, sources, unit_ids, scope_id, channels,
        categories) as table
    select d.*
    from token_days as d
    where d.day between start_day::date and end_day::date
        and (len(sources::varchar[]) = 0 or list_contains(sources::varchar[], d.source))
        and in_chosen_units(d.unit_id, unit_ids)
        and in_scope(d.unit_id, scope_id)
        and (len(channels::varchar[]) = 0 or list_contains(channels::varchar[], d.channel))
        and (len(categories::varchar[]) = 0
            or list_contains(categories::varchar[], d.category));
