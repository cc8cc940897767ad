"""Interface strings, Chinese first: one table, ipwh/strings.csv (kind `text`: labels,
captions, help; kind `column`: table headers by database column name; kind `check`: what a
gate check or a dbt warning test looks for, by its id; kind `reason`: why a row was quarantined, by
its reason code), each row in both languages. Indicator names and units come from the seeds."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import streamlit as st


@cache
def strings() -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, key) -> (zh, en)."""
    with (Path(__file__).parent / "strings.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["kind"], r["key"]): (r["zh"], r["en"]) for r in csv.DictReader(fh)}


def lang() -> int:
    """0 Chinese (default), 1 English."""
    return 1 if st.session_state.get("lang") == "English" else 0


def t(key: str) -> str:
    return strings()[("text", key)][lang()]


def label(kind: str, key: str) -> str:
    """A label of strings.csv in the chosen language; a key it lacks shows as it is."""
    labels = strings().get((kind, key))
    return labels[lang()] if labels else key


def column_label(name: str) -> str:
    """A table header in the chosen language (kind `column`)."""
    return label("column", name)
