"""The great-expectations gate on DuckDB: real metrics (the upstream bug worked around in
ipwh.validate), severities, stable ids, the file free for writing afterwards, and Data Docs
that render each run's results once under a bounded index."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ipwh import validate
from ipwh.strings import strings


@pytest.fixture()
def checked_db(tmp_path, monkeypatch) -> Path:
    """A DuckDB file with one table and a suite of one met expectation, one failed critical
    expectation and one failed warning."""
    db = tmp_path / "t.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.scores as select * from (values (1), (5), (99)) v(x)")
    suites = tmp_path / "suites"
    suites.mkdir()
    suite = {
        "name": "scores",
        "meta": {"stage": "test", "schema": "marts", "table": "scores"},
        "expectations": [
            {
                "type": "expect_table_row_count_to_equal",
                "meta": {"id": "scores.rows"},
                "kwargs": {"value": 3},
            },
            {
                "type": "expect_column_values_to_be_between",
                "meta": {"id": "scores.x.in_range"},
                "kwargs": {"column": "x", "min_value": 0, "max_value": 10},
            },
            {
                "type": "unexpected_rows_expectation",
                "meta": {"id": "scores.x.mostly_small"},
                "severity": "warning",
                "kwargs": {"unexpected_rows_query": "select * from {batch} where x > 50"},
            },
        ],
    }
    (suites / "scores.json").write_text(json.dumps(suite), encoding="utf-8")
    monkeypatch.setattr(validate, "SUITES_DIR", suites)
    return db


def test_gx_on_duckdb_computes_real_metrics_and_releases_the_file(checked_db, tmp_path):
    report = validate.run_suites(checked_db, "test", tmp_path / "gx")
    by_id = {o.expectation_id: o for o in report.outcomes}
    # without the buffered-rows patch every expectation errors with `list index out of range`
    assert not any(o.error for o in report.outcomes), report.summary()
    assert by_id["scores.rows"].success and by_id["scores.rows"].observed == "3"
    between = by_id["scores.x.in_range"]
    assert not between.success and between.observed == "1"  # the one row of 99
    assert "scores.x.in_range:  (observed 1)" in report.summary()  # described nowhere
    # GX's engines are disposed: this process can open the file read-write again
    with duckdb.connect(str(checked_db)) as con:
        con.execute("insert into marts.scores values (2)")


def test_upstream_gx_still_returns_empty_metrics_on_duckdb_without_the_fix(checked_db, tmp_path):
    """great_expectations#10738 / #11579. When this fails, upstream has fixed the bug:
    remove patch_gx_for_duckdb and this test."""
    code = (
        "import sys, json; from pathlib import Path; from ipwh import validate;"
        "validate.patch_gx_for_duckdb = lambda: None;"
        f"validate.SUITES_DIR = Path({str(validate.SUITES_DIR)!r});"
        f"r = validate.run_suites(Path({str(checked_db)!r}), 'test', Path({str(tmp_path)!r}));"
        "print(json.dumps([o.error for o in r.outcomes]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    errors = json.loads(done.stdout.strip().splitlines()[-1])
    # every expectation errors: the metrics it needs came back empty
    assert len(errors) == 3 and all(errors) and "list index out of range" in errors[0], errors


def test_a_failed_warning_is_reported_but_only_a_critical_failure_fails_the_gate(
    checked_db, tmp_path
):
    report = validate.run_suites(checked_db, "test", tmp_path / "gx")
    assert [o.expectation_id for o in report.failures] == ["scores.x.in_range"]
    assert [o.expectation_id for o in report.warnings] == ["scores.x.mostly_small"]
    assert report.warnings[0].observed == "x=99"  # what the query found, not a row count
    assert not report.success
    skipped = validate.run_suites(checked_db, "test", tmp_path / "gx", skip={"scores.x.in_range"})
    assert skipped.success and "1 warnings" in skipped.summary()
    assert "scores.x.in_range" not in {o.expectation_id for o in skipped.outcomes}


def test_every_shipped_expectation_of_the_raw_gate_is_run(tmp_path):
    """Several checks of one kind on one table (two unexpected-rows queries on raw_patents)
    each run and report under their own id; none is silently replaced by another."""
    from ingest.load import connect_raw

    raw = tmp_path / "raw.duckdb"
    connect_raw(raw).close()
    extra = validate.reconciliation_expectations()
    report = validate.run_suites(raw, "raw", tmp_path, extra)
    shipped = [e["meta"]["id"] for s in validate.load_suites("raw") for e in s["expectations"]]
    shipped += [e["meta"]["id"] for es in extra.values() for e in es]
    assert sorted(o.expectation_id for o in report.outcomes) == sorted(shipped)
    for o in report.outcomes:  # described as the app describes it (ipwh/strings.csv)
        zh, en = strings()[("check", o.expectation_id)]
        assert o.description == f"{zh} / {en}", o.expectation_id


def test_every_shipped_expectation_has_a_unique_stable_id_and_a_known_severity():
    ids = []
    for stage in ("raw", "marts"):
        for suite in validate.load_suites(stage):
            for exp in suite["expectations"]:
                ids.append(exp["meta"]["id"])
                assert exp["meta"]["id"].startswith(suite["name"] + ".")
                assert exp.get("severity", "critical") in ("critical", "warning")
    generated = [
        e["meta"]["id"] for es in validate.reconciliation_expectations().values() for e in es
    ]
    assert validate.JUMP_CHECK_ID in ids
    assert len(set(ids + generated)) == len(ids + generated)


def test_data_docs_render_each_result_once_and_cap_the_index(checked_db, tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "DOCS_INDEX_LIMIT", 2)
    root = tmp_path / "gx"
    pages = root / "gx" / "uncommitted" / "data_docs" / "local_site" / "validations"

    def run() -> tuple[validate.ValidationReport, set[Path]]:
        report = validate.run_suites(checked_db, "test", root)
        return report, set(pages.rglob("*.html"))

    first, after_first = run()
    assert len(after_first) == 1
    (old_page,) = after_first
    old_page.write_text("rendered once", encoding="utf-8")
    runs = [first] + [run()[0] for _ in range(2)]
    assert len(set(pages.rglob("*.html"))) == 3  # one page per run ...
    assert old_page.read_text(encoding="utf-8") == "rendered once"  # ... none re-rendered
    index = (pages.parent / "index.html").read_text(encoding="utf-8")
    listed = {r.run_id for r in runs if re.search(re.escape(r.run_id), index)}
    assert listed == {runs[1].run_id, runs[2].run_id}  # the newest DOCS_INDEX_LIMIT only
