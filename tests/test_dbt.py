"""dbt beyond the refresh: unit tests of the counting rules, and offline docs."""

import json
import os
import shutil

from ipwh.paths import PROJECT_DIR
from ipwh.refresh import _release_dbt_duckdb


def test_docs_generate_offline_lists_models_and_exposures(city_home, tmp_path, monkeypatch):
    from dbt.cli.main import dbtRunner

    build = tmp_path / "docs.duckdb"
    shutil.copy(city_home / "warehouse.duckdb", build)
    monkeypatch.setenv("IPWH_BUILD_PATH", str(build))
    monkeypatch.setenv("IPWH_RAW_PATH", str(city_home / "raw.duckdb"))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    target = tmp_path / "target"
    try:
        result = dbtRunner().invoke(
            [
                "docs",
                "generate",
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(target),
                "--log-path",
                str(tmp_path),
                "--no-partial-parse",
                "--quiet",
            ]
        )
    finally:
        _release_dbt_duckdb()
    assert result.success, result.exception
    assert (target / "index.html").exists()
    catalog = json.loads((target / "catalog.json").read_text())
    assert any(k.endswith("fct_indicator_values") for k in catalog["nodes"])
    manifest = json.loads((target / "manifest.json").read_text())
    assert {e["name"] for e in manifest["exposures"].values()} >= {
        "app_overview",
        "provincial_export",
    }
    assert os.environ.get("DBT_SEND_ANONYMOUS_USAGE_STATS") == "False"
