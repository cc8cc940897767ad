"""Cached, read-only queries for the Streamlit app. Cache results, never connections; the
cache key includes the published file's identity, so a new vintage is picked up without a
restart while the old one keeps being served until it is replaced."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import streamlit as st

from ipwh import export
from ipwh.i18n import column_label, t, value_labels
from ipwh.paths import Home
from ipwh.warehouse import WarehouseUnavailable, query


def _identity() -> tuple[str, int, int]:
    path = Home.from_env().published
    try:
        st_ = os.stat(path)
    except FileNotFoundError:
        return (str(path), 0, 0)
    return (str(path), st_.st_ino, st_.st_mtime_ns)


# cache_resource hands every session the same frame instead of unpickling a copy per run:
# polars frames are never changed in place here (every operation returns a new frame)
@st.cache_resource(ttl=300, max_entries=256, show_spinner=False)
def _cached(identity: tuple[str, int, int], sql: str, params: tuple) -> pl.DataFrame:
    return query(Path(identity[0]), sql, list(params))


def q(sql: str, *params) -> pl.DataFrame:
    return _cached(_identity(), sql, tuple(params))


@st.cache_resource(ttl=300, max_entries=64, show_spinner=False)
def _report(identity: tuple[str, int, int], kind: str, args: tuple) -> tuple:
    return getattr(export, f"{kind}_frame")(Path(identity[0]), *args)


def report(kind: str, *args) -> tuple:
    """`ipwh.export.<kind>_frame(published warehouse, *args)`: a report as exported, cached
    like the queries (one vintage's frame and vintage record together)."""
    return _report(_identity(), kind, args)


def available() -> str | None:
    """None when the warehouse can be read, else a message for people."""
    try:
        q("select vintage_id from meta.vintages limit 1")
    except WarehouseUnavailable as err:
        return str(err)
    except Exception as err:  # being replaced, or an older file without meta
        return f"数据仓库暂不可读 / warehouse not readable now ({type(err).__name__})"
    return None


def latest_vintage() -> dict:
    return q(
        "select vintage_id, data_cutoff from meta.vintages order by published_at desc limit 1"
    ).row(0, named=True)


def vintage_caption(vintage: dict, *more: str) -> None:
    """The vintage and data cutoff a page shows (bench/load.py reads this line)."""
    shown = [f"{t('vintage')}: {vintage['vintage_id']}", f"{t('cutoff')}: {vintage['data_cutoff']}"]
    st.caption(" · ".join([*shown, *more]))


def indicator_labels(english: bool) -> dict[str, str]:
    df = q(
        "select indicator_code, indicator_no, indicator_name, indicator_name_en "
        "from seeds.indicator_catalogue order by indicator_no"
    )
    col = "indicator_name_en" if english else "indicator_name"
    return {r["indicator_code"]: f"{r['indicator_no']}. {r[col]}" for r in df.iter_rows(named=True)}


def unit_labels(english: bool, include_city: bool = True) -> dict[str, str]:
    df = q(
        "select unit_code, unit_name, unit_name_en from seeds.reporting_units "
        "order by display_order"
    )
    col = "unit_name_en" if english else "unit_name"
    return {
        r["unit_code"]: r[col]
        for r in df.iter_rows(named=True)
        if include_city or r["unit_code"] != "421000"
    }


def report_years() -> list[int]:
    return q("select distinct report_year from marts.fct_indicator_values order by 1")[
        "report_year"
    ].to_list()


def fmt(value: float | None, unit_label: str) -> str:
    """A value as a card shows it: per-10k, 亿元 and scores with 2 decimals, counts whole."""
    if value is None:
        return "—"
    return (
        f"{value:,.2f}" if any(u in unit_label for u in ("万人", "亿", "分")) else f"{value:,.0f}"
    )


def shown_value(value: str, reason: str, decimals: int) -> pl.Expr:
    """A value column for display: why it is empty where the marts say so (不适用 for a unit
    without a population), else the value rounded."""
    return (
        pl.when(pl.col(reason) == "no_population")
        .then(pl.lit(t("not_applicable")))
        .otherwise(pl.col(value).round(decimals).cast(pl.String))
    )


def choose_plan(year: int, key: str) -> tuple[str, bool]:
    """A plan selector (sidebar): the plans in the warehouse, the default being the one the
    year is reported against. Returns (plan id, is an example)."""
    plans = q(
        "select plan_id, any_value(plan_name) as plan_name, bool_or(is_example) as is_example, "
        "bool_or(is_default_plan_for_year and report_year = ?) as is_default "
        "from marts.fct_target_progress group by plan_id order by plan_id",
        year,
    )
    ids = plans["plan_id"].to_list()
    names = dict(zip(ids, plans["plan_name"], strict=True))
    default = next((i for i, d in zip(ids, plans["is_default"], strict=True) if d), ids[-1])
    chosen = st.sidebar.selectbox(
        t("plan"), ids, index=ids.index(default), format_func=lambda i: f"{i} {names[i]}", key=key
    )
    example = bool(plans.filter(pl.col("plan_id") == chosen)["is_example"][0])
    if example:
        st.warning(t("example_plan"))
    return chosen, example


def table(data, column_config: dict | None = None, **kwargs) -> None:
    """st.dataframe as every page shows tables: database column names replaced by labels in
    the chosen language (ipwh/strings.csv, kind `column`), coded values in words (kind
    `value`), dates without a time, row counts with separators, missing values as —, no
    index; no rows said in words (Streamlit's empty table says "empty" in English)."""
    if len(data) == 0:
        st.caption(t("no_rows"))
        return
    if isinstance(data, pl.DataFrame):  # coded values (kind, status, …) said in words
        data = data.with_columns(
            pl.col(c).replace(labels)
            for c, dtype in data.schema.items()
            if dtype == pl.String and (labels := value_labels(c))
        )
    schema = dict(getattr(data, "schema", {}))
    config: dict = {c: column_label(c) for c in schema if column_label(c) != c}
    for c, dtype in schema.items():  # dates as dates, times to the second, counts separated
        if dtype == pl.Date:
            config[c] = st.column_config.DateColumn(column_label(c), format="YYYY-MM-DD")
        elif isinstance(dtype, pl.Datetime):
            config[c] = st.column_config.DatetimeColumn(
                column_label(c), format="YYYY-MM-DD HH:mm:ss"
            )
        elif dtype.is_integer() and "rows" in c:
            config[c] = st.column_config.NumberColumn(column_label(c), format="localized")
        elif c in export.PERCENT_COLUMNS:  # a report's share or growth rate (a fraction)
            config[c] = st.column_config.NumberColumn(c, format="percent")
    config.update(column_config or {})
    kwargs.setdefault("hide_index", True)
    if isinstance(data, pl.DataFrame):
        data = data.to_arrow()  # Streamlit sends Arrow as it is; a polars frame goes via pandas
    st.dataframe(data, column_config=config, placeholder="—", **kwargs)


MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download_buttons(content, base: str, key: str, on_click=None, args_for=None) -> None:
    """A CSV and an XLSX download of one report, side by side: `content(fmt)` gives the
    bytes; `on_click` with `args_for(fmt)` runs when one is downloaded (the export log)."""
    for col, fmt in zip(st.columns(2), ("csv", "xlsx"), strict=True):
        col.download_button(
            t(f"download_{fmt}"),
            lambda fmt=fmt: content(fmt),  # rendered when clicked, not on every page run
            file_name=f"{base}.{fmt}",
            mime=MIME[fmt],
            key=f"{key}_{fmt}",
            on_click=on_click,
            args=args_for(fmt) if args_for else None,
        )
