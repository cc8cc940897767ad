"""dbt beyond the refresh: unit tests of the counting rules, rule guards, and offline docs."""

import json
import shutil

import pytest

from ipwh.paths import PROJECT_DIR


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
    return dbtRunner().invoke(
        [*args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path),
         "--no-partial-parse", "--quiet"]
    )  # fmt: skip


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


def test_a_unit_counting_more_than_the_city_fails_the_build(
    city_home, tmp_path, monkeypatch, warehouse
):
    """tests/dbt/assert_city_total_is_at_least_every_unit.sql: one broken row, one failure."""
    select = ["test", "--select", "assert_city_total_is_at_least_every_unit"]
    broken = (
        "update marts.fct_indicator_values set numerator = numerator + 1000000 "
        "where unit_code = '421002' and indicator_code = 'patent_grants' and report_year = 2021"
    )
    assert failures_of_one_test(select, city_home, tmp_path / "clean", monkeypatch, "") == 0
    assert failures_of_one_test(select, city_home, tmp_path / "broken", monkeypatch, broken) == 1


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


def test_a_build_that_breaks_the_grain_stops_at_the_model_and_keeps_its_table(
    city_home, tmp_path, monkeypatch, warehouse
):
    """dbt-duckdb builds the new table beside the old one and swaps them only when it is
    whole: a contract violation leaves the published rows as they were."""
    import duckdb

    values = "select count(*), sum(numerator) from marts.fct_indicator_values_monthly"
    before = warehouse.execute(values).fetchall()
    duplicate_target = (
        "insert into seeds.indicator_catalogue select * from seeds.indicator_catalogue "
        "where indicator_code = 'patent_grants'"
    )
    result = dbt(
        ["run", "--select", "fct_indicator_values_monthly"], city_home, tmp_path, monkeypatch,
        duplicate_target,
    )  # fmt: skip
    assert not result.success
    (ran,) = result.result.results
    assert ran.node.name == "fct_indicator_values_monthly" and str(ran.status) == "error"
    assert "primary key" in ran.message.lower() and "patent_grants" in ran.message
    with duckdb.connect(str(tmp_path / "copy.duckdb"), read_only=True) as con:
        assert con.execute(values).fetchall() == before


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
    assert len(allowed) == 9 and allowed <= labelled
