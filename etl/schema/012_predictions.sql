-- 012_predictions: what the classifiers infer, kept apart from what exports and people said.

-- Where a category came from: 导入 (the export), 人工 (a person, through a label), 模型 (a model,
-- at or above its threshold), NULL when there is none. The confidence is the model's, if inferred.
alter table complaints add column category_source varchar;
alter table complaints add column category_confidence double;
alter table survey_responses add column category_source varchar;
alter table survey_responses add column category_confidence double;

-- Every prediction a model made, those below the threshold too (they are the review queue).
-- record_id is the record's key as text (case_id; survey_id|response_id|question for suggestions).
create table predictions (
    record_id    varchar not null,
    target       varchar not null,   -- category / handling_unit / suggestion_category
    value        varchar not null,
    confidence   double not null,
    threshold    double,             -- the model's threshold for the target precision, when made
    model_id     varchar not null,
    made_at      timestamp not null,
    import_id    bigint              -- the load that made it: an undo removes it with the load
);

-- Every model trained: the artefact is models/<artefact_sha256>.joblib beside the warehouse.
-- model_id is a hash of the training rows and the method, so the same labels give the same id.
create table models (
    model_id         varchar not null,
    target           varchar not null,
    artefact_sha256  varchar not null,
    trained_at       timestamp not null,
    training_rows    integer not null,
    label_counts     json not null,      -- label -> rows
    thresholds       json not null,      -- target precision -> confidence threshold (null: never reached)
    import_id        bigint              -- the load that trained it (NULL: python -m etl train)
);

-- A person's label (review queue: confirm or correct), loaded like any export (kind labels) so it
-- is archived, audited, undoable and replayed by rebuild. The latest label of a record wins.
create table labels (
    record_id   varchar not null,
    target      varchar not null,
    value       varchar not null,
    labelled_by varchar,
    labelled_at timestamp,
    import_id   bigint
);

insert or ignore into settings values
    ('classify_precision', '0.95', '模型推断的目标精确率：置信度达到交叉验证中达到该精确率的阈值才写入分类'),
    ('classify_retrain_share', '0.1', '带标签记录数变化超过该比例时，导入后自动重新训练模型'),
    ('classify_min_rows', '30', '训练模型所需的最少带标签记录数');

-- Categories already in the warehouse came from exports.
update complaints set category_source = '导入' where category is not null;
update survey_responses set category_source = '导入' where category is not null;
