"""Shared fixtures. `city_home` builds the city demo warehouse once per test session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")


@pytest.fixture(scope="session")
def city_home(tmp_path_factory) -> Path:
    from ipwh import demo
    from ipwh.paths import Home
    from ipwh.refresh import refresh

    root = tmp_path_factory.mktemp("home")
    demo.generate(root, "city", 42)
    result = refresh(Home(root))
    assert result.outcome == "published", result.message
    return root


@pytest.fixture(scope="session")
def truth(city_home: Path) -> dict:
    return json.loads((city_home / "inbox" / "_demo_truth.json").read_text(encoding="utf-8"))


@pytest.fixture()
def warehouse(city_home: Path):
    import duckdb

    con = duckdb.connect(str(city_home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()
