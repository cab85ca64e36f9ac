-- 001_contract: the tables of the data contract (docs/data-contract.md). Names are a public interface.
-- Every fact row keeps the import_id that last wrote it.
-- Fact tables declare their key in a comment, not as a PRIMARY KEY: the loader keeps keys unique
-- (one upsert path, tested), and an ART index would make province-scale loads ~3x slower.

create table units (
    unit_id      varchar primary key,
    name         varchar not null,
    short_name   varchar,
    parent_id    varchar,
    unit_type    varchar,   -- 市局/分局/派出所/机关/支队大队/窗口
    police_type  varchar,
    headcount    integer,
    import_id    bigint
);

create table unit_aliases (
    alias      varchar primary key,
    unit_id    varchar not null,
    import_id  bigint
);

create table call_records (   -- key: record_id
    record_id         varchar not null,
    received_at       timestamp,
    channel           varchar,
    unit_id           varchar,
    police_type       varchar,
    category          varchar,
    callback_at       timestamp,
    callback_result   varchar,   -- 满意/基本满意/不满意/未回访
    response_minutes  double,
    note              varchar,
    import_id         bigint
);

create table complaints (   -- key: case_id
    case_id            varchar not null,
    received_at        timestamp,
    channel            varchar,
    kind               varchar,   -- 投诉/建议/求助/咨询/举报/表扬
    title              varchar,
    content            varchar,
    receiving_unit_id  varchar,
    handling_unit_id   varchar,
    status             varchar,   -- 受理/交办/转办/办理中/已反馈/已办结/已评议
    deadline_at        timestamp,
    closed_at          timestamp,
    satisfaction       varchar,   -- 满意/基本满意/不满意/未回访
    substantiated      boolean,
    category           varchar,
    duplicate_of       varchar,
    routed_by          varchar,   -- 规则/人工
    import_id          bigint
);

create table complaint_events (   -- key: case_id, event_at, stage
    case_id       varchar not null,
    event_at      timestamp not null,
    stage         varchar not null,   -- 受理/交办/转办/退回/改派/反馈/评议/办结
    from_unit_id  varchar,
    to_unit_id    varchar,
    note          varchar,
    import_id     bigint
);

create table survey_responses (   -- key: survey_id, response_id, question
    response_id         varchar not null,   -- one submitted questionnaire (one respondent)
    survey_id           varchar not null,
    submitted_at        timestamp,
    respondent_unit_id  varchar,
    respondent_role     varchar,   -- 民警/辅警/群众
    target_unit_id      varchar,   -- office under review, if the item is about one
    question            varchar not null,
    answer              varchar,
    score               integer,   -- 1-5, or NULL for free text and choices
    suggestion          varchar,
    category            varchar,   -- problem category of the suggestion
    import_id           bigint
);

create table rectifications (   -- key: item_id
    item_id        varchar not null,
    source         varchar,   -- 警意调查/民意诉求/自查/督察/其他
    source_ref     varchar,
    unit_id        varchar,
    category       varchar,
    description    varchar,
    found_on       date,
    deadline_on    date,
    status         varchar,   -- 待整改/整改中/已整改/长期整改
    rectified_on   date,
    review_result  varchar,
    import_id      bigint
);

create table report_ledger (   -- key: year, station_unit_id, report_name, demanding_dept
    year             integer not null,
    station_unit_id  varchar not null,
    report_name      varchar not null,
    demanding_dept   varchar not null,
    frequency        varchar,   -- 日/周/月/季/半年/年/不定期
    fill_method      varchar,   -- 手工/系统
    status           varchar,   -- 保留/合并/取消
    import_id        bigint
);

create table imports (
    import_id      bigint primary key,
    kind           varchar not null,
    file_name      varchar not null,
    file_sha256    varchar not null,
    uploaded_by    varchar,
    started_at     timestamp not null,
    finished_at    timestamp,
    rows_read      integer,
    rows_inserted  integer,
    rows_updated   integer,
    rows_rejected  integer,
    status         varchar,   -- 已导入/已撤销
    options        json       -- sheet, profile and fixed values, so rebuild replays the same load
);

create table import_errors (
    import_id    bigint not null,
    row_number   integer,   -- the row as a spreadsheet shows it (header rows counted)
    column_name  varchar,
    value        varchar,
    error        varchar
);
