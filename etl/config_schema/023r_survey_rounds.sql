-- 023r_survey_rounds
-- 问卷轮次确认: a survey round only staff accounts loaded, confirmed by an admin as one that may be
-- 警意调查's default 问卷 (etl/survey_rounds.py). Moved from the SQLite file beside the warehouse
-- (<warehouse>.proposals.sqlite), whose rows are copied once when this table is made.
create table survey_round_confirmations (
    survey_id      varchar not null,
    source_system  varchar not null,
    confirmed_by   varchar,
    confirmed_at   timestamp not null,
    primary key (survey_id, source_system)
);
