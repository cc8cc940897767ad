"""The app under load: many sessions on one `streamlit run` while refreshes publish."""

from __future__ import annotations

import shutil


def test_twenty_sessions_read_every_page_while_two_vintages_are_published(city_home, tmp_path):
    """The room-full-of-analysts check (bench/load.py, loopback only): 20 sessions on
    Streamlit's websocket protocol open every page three times while two refreshes publish;
    no page shows an exception or fails to load, and none shows two vintages at once. Times
    are reported by the bench (docs/benchmarks.md), not asserted here."""
    from bench.load import PAGES, run

    home = tmp_path / "home"
    shutil.copytree(city_home, home, ignore=shutil.ignore_patterns("refresh.lock", "build"))
    result = run(home, sessions=20, passes=3, publishes=2)
    assert result["page_loads"] == 20 * 3 * len(PAGES)
    assert result["failed_loads"] == 0, result["errors"]
    assert result["pages_with_exceptions"] == 0
    assert result["pages_showing_two_vintages"] == 0
    assert len(result["refreshes"]) == 2
    assert all(r.startswith("published") for r in result["refreshes"]), result["refreshes"]
