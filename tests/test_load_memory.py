"""A small file's load may hold little memory while its own rows are read, but the steps after it
(upsert, words, linking, models, derived tables) work on the whole warehouse: a 20,000-row file
loaded into a province's warehouse ran out of memory in derived.refresh under the small file's
256 MiB."""

from __future__ import annotations

from etl import derived, store
from etl.load import load_files
from intel import repeats
from tests import intel_fixtures as fx


def test_the_warehouse_wide_steps_of_a_load_get_the_whole_memory_ceiling(tmp_path, monkeypatch):
    monkeypatch.setenv("MINYI_LOAD_MEMORY", "3GB")
    seen = {}
    link, refresh = repeats.link_import, derived.refresh

    def linking(con, import_id):
        seen["linking"] = con.execute("select current_setting('memory_limit')").fetchone()[0]
        return link(con, import_id)

    def refreshing(con, import_ids=None):
        seen["derived"] = con.execute("select current_setting('memory_limit')").fetchone()[0]
        return refresh(con, import_ids)

    monkeypatch.setattr(repeats, "link_import", linking)
    monkeypatch.setattr(derived, "refresh", refreshing)
    export = fx.write(tmp_path / "small.csv", fx.rows("M", 1, labelled=True))
    load_files(tmp_path / "minyi.duckdb", [export], "complaints")
    ceiling = f"{store.load_memory_bytes() >> 20}MiB"
    with store.write(tmp_path / "probe.duckdb", fresh=True) as con:
        expected = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert ceiling == "2861MiB"
    assert seen == {"linking": expected, "derived": expected}
