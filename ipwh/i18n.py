"""Interface strings, Chinese first: one table, ipwh/strings.csv, each row in both languages.
Its kinds: `text` labels, captions, help; `column` table headers by database column name;
`check` what a gate check or a dbt warning test looks for, by its id; `reason` why a row was
quarantined, by its reason code; `value` a coded value as tables show it, keyed
`column.value`. Indicator names and units come from the seeds."""

from __future__ import annotations

from functools import cache

import streamlit as st

from ipwh.strings import strings


def lang() -> int:
    """0 Chinese (default), 1 English."""
    return 1 if st.session_state.get("lang") == "English" else 0


def t(key: str) -> str:
    return strings()[("text", key)][lang()]


def label(kind: str, key: str) -> str:
    """A label of strings.csv in the chosen language; a key it lacks shows as it is."""
    labels = strings().get((kind, key))
    return labels[lang()] if labels else key


@cache
def _coded_values() -> dict[str, dict[str, tuple[str, str]]]:
    """column -> {value: (zh, en)} of kind `value`."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for (kind, key), labels in strings().items():
        if kind == "value":
            column, value = key.split(".", 1)
            out.setdefault(column, {})[value] = labels
    return out


def value_labels(column: str) -> dict[str, str]:
    """A coded column's values in the chosen language (kind `value`); none: shown as stored."""
    return {v: labels[lang()] for v, labels in _coded_values().get(column, {}).items()}


def column_label(name: str) -> str:
    """A table header in the chosen language (kind `column`)."""
    return label("column", name)
