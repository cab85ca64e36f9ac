"""A load never breaks a reader, and a reader never blocks a load (STYLE.md B.12, habit 1)."""

from __future__ import annotations

import threading
import time

from etl.load import load_files
from queries import db
from tests.test_load import CALLS, UNITS, write


def test_queries_keep_answering_while_loads_swap_the_file(tmp_path):
    path = tmp_path / "w.duckdb"
    load_files(path, [write(tmp_path / "units.csv", UNITS)], "units")
    failures: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def browse():
        while not stop.is_set():
            try:
                with db.read(path) as con:
                    seen.add(con.execute("select count(*) from call_records").fetchone()[0])
            except BaseException as exc:  # noqa: BLE001 - any failure of a reader is the bug under test
                failures.append(exc)
                return

    readers = [threading.Thread(target=browse) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        # Each file adds records with new ids: 4 accepted rows per load (2 are rejected).
        for n in range(5):
            text = CALLS.replace("\n000", f"\n{n}00")
            load_files(path, [write(tmp_path / f"calls{n}.csv", text)], "call_records")
            time.sleep(0.05)
    finally:
        stop.set()
        for reader in readers:
            reader.join()

    assert failures == []
    with db.read(path) as con:
        assert con.execute("select count(*) from call_records").fetchone()[0] == 20
    assert seen <= {0, 4, 8, 12, 16, 20}  # never half a load
