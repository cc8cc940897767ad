"""The benchmark's ingest comparison runs on real landing files and reports what it measured
(its speed figures live in docs/benchmarks.md, never asserted here)."""

from bench.__main__ import bench_ingest


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
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from bench.__main__ import own_peak_rss_kb

    ballast = b"x" * (300 * 2**20)  # this process: larger than what the child uses
    code = "import time; x = b'x' * (200 * 2**20); time.sleep(0.5)"
    proc = subprocess.Popen([sys.executable, "-c", code])
    with ThreadPoolExecutor(1) as pool:
        peak = pool.submit(own_peak_rss_kb, proc.pid)
        proc.wait()
    assert 200 * 1024 <= peak.result() < 260 * 1024
    assert len(ballast) == 300 * 2**20
