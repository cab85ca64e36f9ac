-- 004_import_figures: the headline figures before and after each load (the "figures it moved"),
-- so the import history can show what a file changed on the dashboard.
alter table imports add column figures json;
