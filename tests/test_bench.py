"""The benchmark's ingest comparison runs on real landing files and reports what it measured
(its speed figures live in docs/benchmarks.md, never asserted here)."""

import json
import shutil

import duckdb

from bench.__main__ import bench_ingest, bench_peer, bench_refresh, run_child


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


def test_refresh_pairs_each_delta_with_its_own_full_build_and_restores_the_home(
    city_home, tmp_path
):
    home = tmp_path / "home"
    shutil.copytree(city_home / "inbox", home / "inbox")
    landing = sorted(p.relative_to(home) for p in (home / "inbox").rglob("*") if p.is_file())
    full, delta, served, nochange = bench_refresh(home, 2, peer_cap_gb=4)

    assert len(full["runs_s"]) == len(delta["runs_s"]) == len(delta["first_after_full_s"]) == 2
    pairs = [d / f for f, d in zip(full["runs_s"], delta["runs_s"], strict=True)]
    assert delta["ratio_by_pair"] == pairs
    assert abs(delta["ratio"] - sum(pairs) / 2) < 1e-9  # the median of two
    assert "new records" in delta["what"] and nochange["goal"] == "no rebuild"
    # the peer beside each timed delivery: the ratio pair by pair, as the full build's
    beside = delta["peer_beside_s"]
    assert len(beside) == 2 and delta["peer_beside_notes"] == ["", ""]
    by_pair = [d / p for d, p in zip(delta["runs_s"], beside, strict=True)]
    assert delta["ratio_to_peer_by_pair"] == by_pair
    assert abs(delta["ratio_to_peer"] - sum(by_pair) / 2) < 1e-9
    # a full build leaves no standby, so the first delivery copies the published file; the
    # timed one updates the standby (the full build) in place, as daily deliveries do
    assert delta["first_after_full_delta_base"] == ["copy", "copy"]
    assert delta["delta_base"] == ["standby", "standby"]
    # the delivery through the refresh service (cli_refresh asserts the status's runner),
    # read against the same full build and its own peer run
    assert served["ratio_by_pair"] == [
        d / f for f, d in zip(full["runs_s"], served["runs_s"], strict=True)
    ]
    assert served["delta_base"] == ["standby", "standby"]
    assert served["ratio_to_peer_by_pair"] == [
        d / p for d, p in zip(served["runs_s"], served["peer_beside_s"], strict=True)
    ]
    assert not (home / "refresh.sock").exists()  # the service stopped with the bench
    assert not (home / "build" / "standby.duckdb").exists()
    assert json.loads((home / "status.json").read_text())["last_refresh"]["build_mode"] is None
    # the deliveries are gone: the landing files and the warehouse of a full build remain
    assert sorted(p.relative_to(home) for p in (home / "inbox").rglob("*") if p.is_file()) == (
        landing
    )
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        (delivered,) = con.execute(
            "select count(*) from staging.stg_raw__patents where source_file like 'delta_bench%'"
        ).fetchone()
        (vintages,) = con.execute("select count(*) from meta.vintages").fetchone()
    assert delivered == 0 and vintages == 1  # the first full build's own


def test_peer_is_timed_over_runs_and_its_disagreements_name_our_figures(city_home, warehouse):
    row, disagreements = bench_peer(city_home, full=30.0, delta=6.0, runs=2)
    assert len(row["runs_s"]) == 2 and row["note"] == ""
    assert abs(row["seconds"] - sum(row["runs_s"]) / 2) < 1e-9  # the median of two
    assert abs(row["ratio_delta_refresh_to_peer"] - 6.0 / row["seconds"]) < 1e-9
    ours = dict(
        warehouse.execute(
            "select report_year, numerator from marts.fct_indicator_values where "
            "indicator_code = 'valid_invention_patents' and unit_code = '421000'"
        ).fetchall()
    )
    assert disagreements  # the script counts by its own rule (docs/benchmarks.md)
    for year, (theirs, mine) in disagreements.items():
        assert theirs != mine == ours.get(year, 0)
