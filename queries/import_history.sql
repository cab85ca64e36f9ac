-- import_history
-- One row per file loaded, newest first: who loaded it and when, its row counts, whether it is in
-- force (已导入) or undone (已撤销), and the headline figures before and after it (JSON).
-- $limit  INTEGER  most recent imports to return
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
    i.figures,

from imports as i
order by i.import_id desc
limit $limit
