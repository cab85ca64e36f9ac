-- 019_assessment
-- 考核方案: every version of the assessment scheme an admin saved, newest in force (until the
-- first save, assess/scheme.py DEFAULT is, as version 0). Rows are only added, so any period can
-- be scored again under the scheme of its day, and who changed what stays on record. Written by
-- assess/store.py.
create table assessment_schemes (
    version   integer primary key,
    scheme    varchar not null,  -- assess.scheme.Scheme as JSON
    note      varchar,           -- the admin's reason for the change
    saved_by  varchar,
    saved_at  timestamp not null
);
