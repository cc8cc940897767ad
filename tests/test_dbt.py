"""dbt beyond the refresh: unit tests of the counting rules, rule guards, and offline docs."""

import json
import shutil

import pytest

from ipwh.paths import PROJECT_DIR
from ipwh.refresh import _release_dbt_duckdb


def dbt(args: list[str], city_home, tmp_path, monkeypatch, prepare: str = ""):
    """dbt in-process against a copy of the published city warehouse (`prepare`: SQL run on
    the copy first)."""
    import duckdb
    from dbt.cli.main import dbtRunner

    build = tmp_path / "copy.duckdb"
    shutil.copy(city_home / "warehouse.duckdb", build)
    if prepare:
        with duckdb.connect(str(build)) as con:
            con.execute(prepare)
    monkeypatch.setenv("IPWH_BUILD_PATH", str(build))
    monkeypatch.setenv("IPWH_RAW_PATH", str(city_home / "raw.duckdb"))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    try:
        return dbtRunner().invoke(
            [
                *args,
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(tmp_path / "target"),
                "--log-path",
                str(tmp_path),
                "--no-partial-parse",
                "--quiet",
            ]
        )
    finally:
        _release_dbt_duckdb()


def failures_of_one_test(select: list[str], city_home, tmp, monkeypatch, prepare: str) -> int:
    """The failing rows of the one data test `select` picks, on a prepared copy."""
    tmp.mkdir()
    result = dbt(select, city_home, tmp, monkeypatch, prepare)
    (ran,) = result.result.results
    return ran.failures


def test_every_unit_test_of_the_counting_rules_passes(city_home, tmp_path, monkeypatch):
    result = dbt(["test", "--select", "test_type:unit"], city_home, tmp_path, monkeypatch)
    assert result.success, result.exception
    ran = [r for r in result.result.results if r.node.resource_type == "unit_test"]
    assert len(ran) >= 11 and all(str(r.status) == "pass" for r in ran)


def test_an_unsupported_attribution_rule_stops_the_build(city_home, tmp_path, monkeypatch):
    result = dbt(
        [
            "compile",
            "--select",
            "int_patent_holders_dated",
            "--vars",
            "{attribution_rule: fractional}",
        ],
        city_home,
        tmp_path,
        monkeypatch,
    )
    assert not result.success
    assert "attribution_rule 'fractional' is not supported" in (tmp_path / "dbt.log").read_text()


def test_docs_generate_offline_lists_models_and_exposures(city_home, tmp_path, monkeypatch):
    result = dbt(["docs", "generate"], city_home, tmp_path, monkeypatch)
    assert result.success, result.exception
    target = tmp_path / "target"
    assert (target / "index.html").exists()
    catalog = json.loads((target / "catalog.json").read_text())
    assert any(k.endswith("fct_indicator_values") for k in catalog["nodes"])
    manifest = json.loads((target / "manifest.json").read_text())
    exposures = {e["name"] for e in manifest["exposures"].values()}
    assert {"app_overview", "provincial_export"} <= exposures


def test_a_delta_checks_the_uniqueness_of_the_grants_it_recomputed(
    city_home, tmp_path, monkeypatch, warehouse
):
    """unique_changed_right on fct_patent_grants: a full build checks every key; a delta
    build (a boundary in the build) the rights it recomputed, the only ones it wrote; a
    missing key fails either."""
    (a, b) = [
        r[0]
        for r in warehouse.execute(
            "select patent_id from marts.fct_patent_grants order by patent_id limit 2"
        ).fetchall()
    ]
    duplicates = (
        "insert into marts.fct_patent_grants select * from marts.fct_patent_grants "
        f"where patent_id in ('{a}', '{b}');"
    )
    delta = (
        "create schema build_state; create table build_state.delta_boundary as "
        "select 999999 as after_load_id; insert into intermediate.int_rights_changed "
        f"values ('patent', '{a}', 999999);"
    )
    select = ["test", "--select", "fct_patent_grants,test_name:unique_changed_right"]

    def failures(tmp, prepare: str) -> int:
        return failures_of_one_test(select, city_home, tmp, monkeypatch, prepare)

    missing = (
        "insert into marts.fct_patent_grants select * replace (null as patent_id) "
        f"from marts.fct_patent_grants where patent_id = '{a}';"
    )
    assert failures(tmp_path / "clean_delta", delta) == 0
    assert failures(tmp_path / "full", duplicates) == 2
    assert failures(tmp_path / "delta", duplicates + delta) == 1  # a's: b was not recomputed
    assert failures(tmp_path / "delta_missing", duplicates + missing + delta) == 2  # a's, null


def test_a_staged_key_must_be_present_and_unique_and_a_delta_checks_its_loads_rows(
    city_home, tmp_path, monkeypatch, warehouse
):
    """staged_key on stg_raw__patents: a full build checks every row; a delta build (a
    boundary in the build) the rows of its loads and the rows holding the keys they
    delivered."""
    a, b, c = [
        r[0]
        for r in warehouse.execute(
            "select patent_id from staging.stg_raw__patents order by patent_id limit 3"
        ).fetchall()
    ]
    stg = "staging.stg_raw__patents"

    def copy_of(key: str, load_id: str = "load_id", new_key: str | None = None) -> str:
        new_key = "null" if new_key is None else f"'{new_key}'"
        return (
            f"insert into {stg} select * replace ({new_key} as patent_id, {load_id} as load_id) "
            f"from {stg} where patent_id = '{key}';"
        )

    old = copy_of(a, new_key=a) + copy_of(b)  # a duplicate and a missing key, both old
    new = copy_of(c, "999999", new_key=c) + copy_of(c, "999999")  # the same, newly loaded
    delta = (
        "create schema build_state; create table build_state.delta_boundary as "
        "select 999998 as after_load_id;"
    )
    select = ["test", "--select", "stg_raw__patents,test_name:staged_key"]

    def failures(tmp, prepare: str) -> int:
        return failures_of_one_test(select, city_home, tmp, monkeypatch, prepare)

    assert failures(tmp_path / "clean_delta", delta) == 0
    assert failures(tmp_path / "full", old + new) == 3  # keys a and c duplicated, nulls
    assert failures(tmp_path / "delta", old + new + delta) == 2  # c's, the new null


def test_the_marts_refuse_rows_that_break_their_rules(city_home, tmp_path):
    """The rules once checked by data tests after the build are constraints of the tables,
    enforced by DuckDB as the rows are written: one row per grain, no missing key or count,
    per-10k = count ÷ population in 10,000s, a known progress or reconciliation status."""
    import duckdb

    copy = tmp_path / "copy.duckdb"
    shutil.copy(city_home / "warehouse.duckdb", copy)
    values, progress = "marts.fct_indicator_values", "marts.fct_target_progress"
    reconciliation = "marts.rpt_reconciliation"
    per_10k = f"from {values} where denominator_persons > 0 limit 1"
    broken = {
        f"insert into {values} select * {per_10k}": "primary key",
        f"insert into {values} select * replace (1901 as report_year, null as numerator) "
        f"{per_10k}": "not null",
        f"insert into {values} select * replace (1902 as report_year, value + 0.01 as value) "
        f"{per_10k}": "check",
        f"insert into {progress} select * replace (1903 as report_year) from {progress} "
        "limit 1": None,  # a row that breaks no rule is taken
        f"update {progress} set status_code = 'unknown' where report_year = 1903": "check",
        f"insert into {progress} select * from {progress} where report_year = 1903": "primary key",
        f"insert into {reconciliation} select * from {reconciliation} limit 1": "primary key",
        f"update {reconciliation} set reconciliation_status = 'unknown'": "check",
    }
    with duckdb.connect(str(copy)) as con:
        for sql, refused in broken.items():
            if refused is None:
                con.execute(sql)
                continue
            with pytest.raises(duckdb.ConstraintException) as err:
                con.execute(sql)
            assert refused in str(err.value).lower(), sql


# dbt-duckdb's temporary (__dbt_tmp) and backup (__dbt_backup) tables
DBT_WORK_TABLES = "select table_name from duckdb_tables() where table_name like '%dbt%'"


def test_a_build_that_breaks_the_grain_stops_at_the_model_and_keeps_its_table(
    city_home, tmp_path, monkeypatch, warehouse
):
    """The table is replaced in place (macros/materializations/table.sql): the old one is
    dropped in the transaction that fails, so it is back, whole, after the failure."""
    import duckdb

    values = "select count(*), sum(numerator) from marts.fct_indicator_values"
    before = warehouse.execute(values).fetchall()
    duplicate_target = (
        "insert into seeds.table3_targets select * from seeds.table3_targets "
        "where indicator_code = 'patent_grants'"
    )
    result = dbt(
        ["run", "--select", "fct_indicator_values"], city_home, tmp_path, monkeypatch,
        duplicate_target,
    )  # fmt: skip
    assert not result.success
    (ran,) = result.result.results
    assert ran.node.name == "fct_indicator_values" and str(ran.status) == "error"
    assert "primary key" in ran.message.lower() and "patent_grants" in ran.message
    with duckdb.connect(str(tmp_path / "copy.duckdb"), read_only=True) as con:
        assert con.execute(values).fetchall() == before
        assert con.execute(DBT_WORK_TABLES).fetchall() == []  # no temporary or backup table


def test_a_table_model_rebuilt_replaces_its_rows_in_place(city_home, tmp_path, monkeypatch):
    import duckdb

    result = dbt(
        ["run", "--select", "int_years_spined"], city_home, tmp_path, monkeypatch,
        "delete from intermediate.int_years_spined where report_year > 2015",
    )  # fmt: skip
    assert result.success, result.exception
    with duckdb.connect(str(tmp_path / "copy.duckdb"), read_only=True) as con:
        years = con.execute("select count(*) from intermediate.int_years_spined").fetchall()
        assert years[0][0] > 10 and con.execute(DBT_WORK_TABLES).fetchall() == []


def _rendered_flag():
    from dbt_common.behavior_flags import BehaviorFlagRendered

    flag = {"name": "ipwh_test_flag", "default": False, "description": "a test flag"}
    return BehaviorFlagRendered(flag, {})._behavior_change_event.flag_source


def test_behavior_flags_name_their_module_as_dbt_does_without_reading_the_stack(monkeypatch):
    """A flag without a source is named after the module that built it (here, this one):
    by dbt's stack walk and by ours, which reads no source file."""
    import inspect

    from dbt_common import behavior_flags

    from ipwh.dbt_build import cheap_behavior_flag_source

    cheap_behavior_flag_source()
    cheap = behavior_flags.BehaviorFlagRendered.__dict__["_default_source"]
    assert cheap.__func__._ipwh_cheap
    monkeypatch.setattr(
        behavior_flags.BehaviorFlagRendered,
        "_default_source",
        staticmethod(cheap.__func__._ipwh_dbt),
    )
    assert _rendered_flag() == __name__  # dbt's own
    monkeypatch.setattr(behavior_flags.BehaviorFlagRendered, "_default_source", cheap)

    def no_stack(*args, **kwargs):
        raise AssertionError("inspect.stack() called")

    monkeypatch.setattr(inspect, "stack", no_stack)
    assert _rendered_flag() == __name__


def test_every_progress_status_the_model_may_write_has_a_label():
    """fct_target_progress's check constraint lists the statuses; the app and the report
    join seeds/status_labels.csv for their names (an unlabelled one would drop a row)."""
    import csv
    import re

    import yaml

    doc = yaml.safe_load((PROJECT_DIR / "models/marts/_marts__models.yml").read_text("utf-8"))
    (model,) = [m for m in doc["models"] if m["name"] == "fct_target_progress"]
    (column,) = [c for c in model["columns"] if c["name"] == "status_code"]
    (check,) = [c["expression"] for c in column["constraints"] if c["type"] == "check"]
    allowed = set(re.findall(r"'(\w+)'", check))
    with (PROJECT_DIR / "seeds/status_labels.csv").open(encoding="utf-8") as f:
        labelled = {row["status_code"] for row in csv.DictReader(f)}
    assert len(allowed) == 6 and allowed <= labelled
