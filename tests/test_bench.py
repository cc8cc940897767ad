"""The benchmark's ingest comparison runs on real landing files and reports what it measured
(its speed figures live in docs/benchmarks.md, never asserted here)."""

from bench.__main__ import bench_ingest, run_child


def test_ingest_comparison_alternates_runs_and_reconciles_rows(city_home, tmp_path):
    rows = bench_ingest(city_home / "inbox", 2, tmp_path)
    assert [r["what"] for r in rows] == [
        "ingest patents CSV (UTF-8)",
        "ingest trademarks CSV (UTF-8)",
        "ingest GBK CSV",
    ]
    patents = city_home / "inbox" / "patents" / "incopat_patents_2020-2025.csv"
    assert rows[0]["rows"] == sum(1 for _ in patents.open("rb")) - 1
    for row in rows:
        assert len(row["runs_s"]["ours"]) == len(row["runs_s"]["bare_load"]) == 2
        assert all(t > 0 for ts in row["runs_s"].values() for t in ts)
        # the ratio is the median baseline over our median run
        ours = sorted(row["runs_s"]["ours"])
        base = sorted(row["runs_s"]["bare_load"])
        assert abs(row["ratio"] - (sum(base) / 2) / (sum(ours) / 2)) < 1e-9


def test_peak_rss_is_the_childs_own_address_space():
    """A child that touches 200 MiB reports about that much, whatever its parent holds
    (its rusage would also count the image it was forked from)."""
    ballast = b"x" * (300 * 2**20)  # this process: larger than what the child uses
    run = run_child(["-c", "import time; x = b'x' * (200 * 2**20); time.sleep(0.5)"])
    assert run.returncode == 0 and not run.killed
    assert 200 * 1024 <= run.peak_rss_kb < 260 * 1024
    assert len(ballast) == 300 * 2**20


def test_a_child_past_the_rss_cap_is_killed():
    code = "import time; x = b'x' * (300 * 2**20); time.sleep(30)"
    run = run_child(["-c", code], cap_kb=100 * 1024)
    assert run.killed and run.returncode == -9 and run.seconds < 30
    assert run.peak_rss_kb >= 100 * 1024
