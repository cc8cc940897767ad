"""ipwh/strings.csv, each row in both languages (its kinds: see ipwh/i18n.py). Read here,
without Streamlit, so that the refresh describes its checks from the same rows as the app."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path


@cache
def strings() -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, key) -> (zh, en)."""
    with (Path(__file__).parent / "strings.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["kind"], r["key"]): (r["zh"], r["en"]) for r in csv.DictReader(fh)}
