-- Temporary macros the loader uses to turn export text into contract values. One place, loaded on
-- the write connection before each load. Values arrive as VARCHAR (readers never infer types).

-- Full-width ASCII (０-９, Ａ-Ｚ, ：, －, ／ …) and the ideographic space to their half-width forms.
create or replace temp macro halfwidth(s) as translate(
    s,
    '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　',
    '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ '
);

-- Free text: padding such as "\n\t\t\t" trimmed, runs of blanks collapsed, blank lines dropped.
create or replace temp macro clean_text(s) as nullif(
    trim(
        regexp_replace(regexp_replace(s, '[ \t\r\f\v　]+', ' ', 'g'), '\s*\n\s*', chr(10), 'g'),
        ' ' || chr(10)
    ),
    ''
);

-- Identifiers stay text (leading zeros, 18-digit ID numbers); only blanks and full-width go.
create or replace temp macro clean_id(s) as nullif(regexp_replace(halfwidth(s), '\s+', '', 'g'), '');

-- Lookup key for labels and unit names: half-width, no blanks, lower case.
create or replace temp macro lookup_key(s) as lower(regexp_replace(halfwidth(s), '\s+', '', 'g'));
-- A unit name as etl/unit_names.py compares them: 派出所 and 所 as one word.
create or replace temp macro unit_name_key(s) as replace(lookup_key(s), '派出所', '所');

-- Dates as exports write them: 2024-03-05, 2024/3/5 9:30, 2024.3.5, 2024年3月5日, 20240305, and
-- Excel serial day numbers (days since 1899-12-30, as Excel counts them).
create or replace temp macro date_text(s) as trim(regexp_replace(regexp_replace(
    replace(replace(replace(replace(replace(halfwidth(trim(s)), '年', '-'), '月', '-'), '日', ' '),
        '时', ':'), '分', ''),
    '[/.](\d)', '-\1', 'g'), '\s+', ' ', 'g'));

create or replace temp macro parse_ts(s) as coalesce(
    try_strptime(date_text(s), [
        '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M', '%Y-%m-%d',
        '%Y-%m-%dT%H:%M:%S', '%Y%m%d', '%Y%m%d %H:%M:%S', '%Y%m%d%H%M%S', '%Y-%m'
    ]),
    case when regexp_full_match(halfwidth(trim(s)), '[1-9][0-9]{4}(\.[0-9]+)?')
        then timestamp '1899-12-30'
            + to_microseconds(round(halfwidth(trim(s))::double * 86400000000)::bigint)
    end
);

-- Timestamps outside these years are typos (20240 for 2024) or unset fields (1900-01-00).
create or replace temp macro plausible_ts(t) as t between timestamp '1990-01-01' and timestamp '2100-01-01';

-- Numbers: half-width, thousands separators and a trailing unit such as 分钟 or 人 removed.
create or replace temp macro parse_number(s) as try_cast(
    regexp_replace(regexp_replace(halfwidth(trim(s)), '[,，\s]', '', 'g'), '[^0-9.eE+-]+$', '')
    as double
);

-- Fast paths. The general macros above cost tens of seconds per million values (translate and
-- regexp_replace are slow in DuckDB), and most values of a clean export need none of it. CASE only
-- evaluates a branch for the rows that reach it, so clean values skip the slow path entirely.
create or replace temp macro to_text(s) as case
    when not contains(s, chr(9)) and not contains(s, chr(10)) and not contains(s, chr(13))
        and not contains(s, '  ') and not contains(s, '　')
        and left(s, 1) <> ' ' and right(s, 1) <> ' '
        then nullif(s, '')
    else clean_text(s)
end;

create or replace temp macro to_id(s) as case
    when strlen(s) = length(s) and not contains(s, ' ') then nullif(s, '')
    else clean_id(s)
end;

create or replace temp macro to_ts(s) as case
    when try_cast(s as timestamp) is not null then try_cast(s as timestamp)
    else parse_ts(s)
end;

create or replace temp macro to_double(s) as case
    when try_cast(s as double) is not null then try_cast(s as double)
    else parse_number(s)
end;

create or replace temp macro to_bigint(s) as case
    when try_cast(s as bigint) is not null then try_cast(s as bigint)
    when parse_number(s) = round(parse_number(s)) then parse_number(s)::bigint
end;

-- Year-last dates rewritten year first: 12/31/2016 9:30 month first, 31/12/2016 day first. The
-- loader picks one per column, and only when the column's values leave no doubt (etl/dates.py).
create or replace temp macro to_ts_mdy(s) as to_ts(
    regexp_replace(trim(s), '^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})', '\3-\1-\2'));
create or replace temp macro to_ts_dmy(s) as to_ts(
    regexp_replace(trim(s), '^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})', '\3-\2-\1'));

-- A value as error messages show it: in single quotes.
create or replace temp macro quote(s) as '''' || s || '''';
