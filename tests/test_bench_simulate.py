"""python -m bench.simulate on a small warehouse, so it cannot rot: its cold and warm figures and
the simulated counts the page would show."""

from __future__ import annotations

import datetime as dt

from bench import simulate as simulate_bench
from etl.load import load_files
from tests import intel_fixtures as fx
from tests.test_intel_classify import trained, trained_folder  # noqa: F401  (fixtures)


def test_the_simulator_benchmark_replays_each_month_and_times_the_warm_page(trained, tmp_path):
    # June's 12 cases are proposed (at 0.9 and right) by a model of May's labelled cases; May's 38
    # cases with a final handling unit have too few earlier ones for a model.
    june = [
        [cell.replace("2024-05-", "2024-06-") for cell in row]
        for row in fx.rows("JN", 4, labelled=True)
    ]
    load_files(trained, [fx.write(tmp_path / "june.csv", june)], "complaints")
    out = simulate_bench.run(trained, dt.date(2024, 5, 1), dt.date(2024, 6, 30), 3, log=print)
    assert list(out["cold_s"]) == ["2024-05-01", "2024-06-01"]
    assert out["runs"] == 3 and 0 < out["warm_p50_ms"] <= out["warm_p95_ms"]
    assert (out["cases"], out["routed_at_090"], out["right_at_090"]) == (50, 12, 12)


def test_the_stored_mode_times_the_page_on_the_months_the_job_stored(trained, tmp_path):
    import pytest

    from intel import jobs

    june = [
        [cell.replace("2024-05-", "2024-06-") for cell in row]
        for row in fx.rows("JN", 4, labelled=True)
    ]
    load_files(trained, [fx.write(tmp_path / "june.csv", june)], "complaints")
    with pytest.raises(SystemExit):  # nothing stored yet: it says so rather than replay
        simulate_bench.run_stored(trained, dt.date(2024, 5, 1), dt.date(2024, 6, 30), 3)
    jobs.run(trained, 2, train=False)
    out = simulate_bench.run_stored(trained, dt.date(2024, 5, 1), dt.date(2024, 6, 30), 3)
    assert out["runs"] == 3 and 0 < out["p50_ms"] <= out["p95_ms"]
    # The figures of the live replay (the test above).
    assert (out["cases"], out["routed_at_090"], out["right_at_090"]) == (50, 12, 12)
