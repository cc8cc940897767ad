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
