-- import_sources
-- The source systems records of one kind were loaded under (imports in force), for the upload
-- page's choice of a file's source: a newer export of the same system must be keyed alike.
-- source_id: the system's key, named as an identifier so that masking leaves it as stored.
-- $kind  VARCHAR  the kind of data (call_records, complaints, …)
select distinct source_system as source_id
from imports
where kind = $kind and status = '已导入' and source_system is not null
order by source_id
