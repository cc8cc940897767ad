"""The great-expectations gate on DuckDB: real metrics (the upstream bug worked around in
ipwh.validate), the file free for writing afterwards, and Data Docs that render only the
new results and keep a bounded index."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ipwh import validate


@pytest.fixture()
def checked_db(tmp_path, monkeypatch) -> Path:
    """A DuckDB file with one table and a suite of one met and one failed expectation."""
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
            {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}},
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "x", "min_value": 0, "max_value": 10},
                "description": "scores are 0-10",
            },
        ],
    }
    (suites / "scores.json").write_text(json.dumps(suite), encoding="utf-8")
    monkeypatch.setattr(validate, "SUITES_DIR", suites)
    return db


def test_gx_on_duckdb_computes_real_metrics_and_releases_the_file(checked_db, tmp_path):
    report = validate.run_suites(checked_db, "test", tmp_path / "gx", build_docs=False)
    by_type = {o.expectation: o for o in report.outcomes}
    # without the buffered-rows patch every expectation errors with `list index out of range`
    assert not any(o.error for o in report.outcomes), report.summary()
    assert by_type["expect_table_row_count_to_equal"].success
    assert by_type["expect_table_row_count_to_equal"].observed == "3"
    between = by_type["expect_column_values_to_be_between"]
    assert not between.success and between.observed == "1"  # the one row of 99
    assert "scores are 0-10" in report.summary()
    # GX's engines are disposed: this process can open the file read-write again
    with duckdb.connect(str(checked_db)) as con:
        con.execute("insert into marts.scores values (2)")


def test_a_gate_set_up_as_before_reuses_its_stored_checkpoint(checked_db, tmp_path, monkeypatch):
    """The datasource, suites and checkpoint are stored again only when the gate's setup
    (file, suites, rows) differs from the last; the data is read anew either way."""
    setups = []
    store = validate._store_checkpoint
    monkeypatch.setattr(
        validate, "_store_checkpoint", lambda *args: setups.append(1) or store(*args)
    )
    root = tmp_path / "gx"

    def run(**kwargs) -> dict[str, str]:
        report = validate.run_suites(checked_db, "test", root, build_docs=False, **kwargs)
        assert not any(o.error for o in report.outcomes), report.summary()
        return {o.expectation: o.observed for o in report.outcomes}

    between = "expect_column_values_to_be_between"
    assert run()[between] == "1" and len(setups) == 1
    with duckdb.connect(str(checked_db)) as con:
        con.execute("insert into marts.scores values (11)")
    assert run()[between] == "2" and len(setups) == 1  # the stored setup, today's rows
    assert between not in run(skip={"scores are 0-10"}) and len(setups) == 2
    assert run()[between] == "2" and len(setups) == 3  # changed back: set up again
    for stored in (root / "gx" / "checkpoints").iterdir():
        stored.unlink()  # GX cannot load it: set up anew, not fail
    assert run()[between] == "2" and len(setups) == 4
    assert run()[between] == "2" and len(setups) == 4


def test_data_docs_render_only_new_results_and_cap_the_index(checked_db, tmp_path, monkeypatch):
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
    all_pages = set(pages.rglob("*.html"))
    assert len(all_pages) == 3  # one page per run ...
    assert old_page.read_text(encoding="utf-8") == "rendered once"  # ... none re-rendered
    index = (pages.parent / "index.html").read_text(encoding="utf-8")
    listed = {r.run_id for r in runs if re.search(re.escape(r.run_id), index)}
    assert listed == {runs[1].run_id, runs[2].run_id}  # the newest DOCS_INDEX_LIMIT only


def test_gx_keeps_only_the_newest_results_and_their_pages(checked_db, tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "DOCS_INDEX_LIMIT", 2)
    monkeypatch.setattr(validate, "DOCS_KEEP_RESULTS", 2)
    root = tmp_path / "gx"
    store = root / "gx" / "uncommitted" / "validations"
    pages = root / "gx" / "uncommitted" / "data_docs" / "local_site" / "validations"
    runs = [validate.run_suites(checked_db, "test", root).run_id for _ in range(4)]

    def run_names(folder: Path, suffix: str) -> list[str]:
        return sorted(p.parent.parent.name for p in folder.rglob("*" + suffix))

    assert run_names(store, ".json") == run_names(pages, ".html") == sorted(runs[2:])
    # no folder of a deleted result is left behind
    assert sorted(p.name for p in store.glob("*/*")) == sorted(runs[2:])
    index = (pages.parent / "index.html").read_text(encoding="utf-8")
    assert [r for r in runs if r in index] == runs[2:]


def test_gx_reads_back_the_run_times_it_wrote_without_dateutil(tmp_path, monkeypatch):
    import datetime as dt

    from great_expectations.core import run_identifier

    validate.gx_context(tmp_path / "gx")
    fast = run_identifier.parse
    assert fast._ipwh_fast  # in place for every RunIdentifier GX reads from its stores
    general = fast._ipwh_general
    for text in ("20261203T173835.735287Z", "20250101T000000.000000Z", "2026-12-03T17:38:35Z"):
        assert fast(text) == general(text)
    written = run_identifier.RunIdentifier(
        "marts-run", dt.datetime(2026, 12, 3, 17, 38, 35, 735287, tzinfo=dt.UTC)
    )

    def no_dateutil(*args, **kwargs):
        raise AssertionError("dateutil parsed a run time GX wrote")

    monkeypatch.setattr(fast, "_ipwh_general", no_dateutil, raising=False)
    read = run_identifier.RunIdentifier.from_tuple(written.to_tuple())
    assert read.run_time == written.run_time and read.run_name == "marts-run"


def test_modules_gx_imports_but_never_uses_are_deferred_until_used():
    # a fresh interpreter: the refresh imports great-expectations with scipy.stats and
    # altair deferred (1.3 s of its import); code that does use them still gets the real ones
    code = (
        "import sys, json; from ipwh.deferred import import_great_expectations;"
        "gx = import_great_expectations();"
        "before = {n: type(sys.modules[n]).__name__ for n in ('scipy.stats', 'altair')};"
        "from scipy import stats; import altair as alt;"
        "used = [stats.norm.cdf(0), alt.Chart.__name__];"
        "after = {n: type(sys.modules[n]).__name__ for n in ('scipy.stats', 'altair')};"
        "print(json.dumps([before, used, after, type(sys.modules['scipy'].stats).__name__]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    before, used, after, parent_attr = json.loads(done.stdout.strip().splitlines()[-1])
    assert before == {"scipy.stats": "DeferredModule", "altair": "DeferredModule"}
    assert used == [0.5, "Chart"]
    assert after == {"scipy.stats": "module", "altair": "module"}
    assert parent_attr == "module"  # scipy.stats, as an attribute of scipy, is the real one
