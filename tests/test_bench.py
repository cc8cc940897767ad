"""The benchmark's ingest comparison runs on real landing files and reports what it measured
(its speed figures live in docs/benchmarks.md, never asserted here)."""

import json
import shutil

import duckdb

from bench.__main__ import ROOT, bench_ingest, bench_peer, bench_refresh, run_child


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


def test_refresh_runs_interleave_with_a_baseline_tree_and_report_ratios(city_home, tmp_path):
    """Two runs of ours and of a baseline tree (here the same code, another path): each row
    has both series, and the ratio is the median of ours over the baseline's."""
    home = tmp_path / "home"
    shutil.copytree(city_home / "inbox", home / "inbox")
    baseline = tmp_path / "tree"
    shutil.copytree(
        ROOT, baseline, ignore=shutil.ignore_patterns(".venv", ".git", "data", "target")
    )
    full, delivery, nochange = bench_refresh(home, 2, baseline)
    for row in (full, delivery, nochange):
        assert len(row["runs_s"]) == len(row["baseline_runs_s"]) == 2
        median = sum(row["runs_s"]) / 2 / (sum(row["baseline_runs_s"]) / 2)
        assert abs(row["ratio_to_baseline"] - median) < 1e-9
    assert "new records" in delivery["what"] and nochange["goal"] == "<= 1 s"
    assert json.loads((home / "status.json").read_text())["last_refresh"]["outcome"] == "unchanged"
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        (delivered,) = con.execute(
            "select count(*) from staging.stg_raw__patents where source_file like 'delta_bench%'"
        ).fetchone()
    assert delivered > 0  # our last run's state: the full build and its delivery


def test_peer_is_timed_over_runs_and_its_disagreements_name_our_figures(city_home, warehouse):
    row, disagreements = bench_peer(city_home, full=30.0, runs=2)
    assert len(row["runs_s"]) == 2 and row["note"] == ""
    assert abs(row["seconds"] - sum(row["runs_s"]) / 2) < 1e-9  # the median of two
    assert abs(row["ratio_full_refresh_to_peer"] - 30.0 / row["seconds"]) < 1e-9
    ours = dict(
        warehouse.execute(
            "select report_year, numerator from marts.fct_indicator_values where "
            "indicator_code = 'valid_invention_patents' and unit_code = '421000'"
        ).fetchall()
    )
    assert disagreements  # the script counts by its own rule (docs/benchmarks.md)
    for year, (theirs, mine) in disagreements.items():
        assert theirs != mine == ours.get(year, 0)
