-- import_history
-- One row per file loaded, newest first: who loaded it and when, its row counts, whether it is in
-- force (已导入) or undone (已撤销), and the headline figures before and after it
-- (a list of {metric, label, before, after}), and the source system its rows are keyed under
-- (source_id: named as an identifier, so masking leaves it as stored; NULL for units).
-- $limit        INTEGER  most recent imports to return
-- $uploaded_by  VARCHAR  only this account's imports (a staff account sees its own); NULL = all
select
    i.import_id,
    i.kind,
    i.file_name,
    i.uploaded_by,
    i.started_at,
    i.finished_at,
    i.rows_read,
    i.rows_inserted,
    i.rows_updated,
    i.rows_rejected,
    i.status,
    i.source_system as source_id,
    -- typed, not JSON text: text columns are masked for staff, and masking would break JSON
    from_json(i.figures, '[{"metric": "VARCHAR", "label": "VARCHAR", "before": "DOUBLE",
        "after": "DOUBLE"}]') as figures,

from imports as i
where $uploaded_by::varchar is null or i.uploaded_by = $uploaded_by
order by i.import_id desc
limit $limit
