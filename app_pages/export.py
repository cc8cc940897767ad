"""报表导出 Export: the provincial report as CSV (UTF-8 with BOM) or XLSX — the same content
as `ipwh export` — and the exports made so far with their vintages."""

import polars as pl
import streamlit as st

from ipwh.app_data import download_buttons, report_years, table
from ipwh.export import log_export, past_exports, render, report_frame
from ipwh.i18n import t
from ipwh.paths import Home

home = Home.from_env()
st.title(t("export"))
year = st.selectbox(t("year"), report_years()[::-1], key="export_year")
frame, vintage = report_frame(home.published, year)
st.caption(f"{t('vintage')}: {vintage['vintage_id']} · {t('cutoff')}: {vintage['data_cutoff']}")
table(frame)
base = f"jingzhou_ip_{year}_{vintage['vintage_id']}"
title = f"荆州市知识产权主要指标 {year} 年"
download_buttons(
    lambda fmt: render(frame, vintage, fmt, title),
    base,
    "dl",
    on_click=log_export,
    args_for=lambda fmt: (home.exports, f"{base}.{fmt}", title, fmt, vintage["vintage_id"]),
)
st.subheader(t("past_exports"))
home.exports.mkdir(parents=True, exist_ok=True)
past = past_exports(home.exports)
table(pl.DataFrame(past) if past else pl.DataFrame({"file": []}))
