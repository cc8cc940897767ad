"""dbt beyond the refresh: unit tests of the counting rules, rule guards, and offline docs."""

import json
import shutil

from ipwh.paths import PROJECT_DIR
from ipwh.refresh import _release_dbt_duckdb


def dbt(args: list[str], city_home, tmp_path, monkeypatch):
    """dbt in-process against a copy of the published city warehouse."""
    from dbt.cli.main import dbtRunner

    build = tmp_path / "copy.duckdb"
    shutil.copy(city_home / "warehouse.duckdb", build)
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
