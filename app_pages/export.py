"""报表导出 Export: the provincial report of a year, or the monthly or quarterly form, as CSV
(UTF-8 with BOM) or XLSX — the same content as `ipwh export` — and the exports made so far
with their vintages."""

import polars as pl
import streamlit as st

from ipwh.app_data import download_buttons, q, report, report_years, table, vintage_caption
from ipwh.export import log_export, past_exports, render
from ipwh.i18n import t
from ipwh.paths import Home

home = Home.from_env()
st.title(t("export"))
kind = st.radio(
    t("report_kind"),
    [t("yearly"), t("monthly"), t("quarterly")],
    horizontal=True,
    key="export_kind",
)
if kind == t("yearly"):
    year = st.selectbox(t("year"), report_years()[::-1], key="export_year")
    frame, vintage = report("report", year)
    name, title = str(year), f"荆州市知识产权主要指标 {year} 年"
else:
    periods = q(
        "select distinct period_id from marts.rpt_period_report where period_kind = ? "
        "order by period_id desc",
        "month" if kind == t("monthly") else "quarter",
    )["period_id"].to_list()
    chosen = st.selectbox(t("period"), periods, key="export_period")
    frame, vintage, name = report("period", chosen)
    title = f"荆州市知识产权主要指标 {name}"
    if frame["完整性"].str.starts_with("不完整").any():
        st.warning(t("incomplete_note"))
vintage_caption(vintage)
table(frame)
base = f"jingzhou_ip_{name}_{vintage['vintage_id']}"
download_buttons(
    lambda fmt: render(frame, vintage, fmt, title),
    base,
    "dl",
    on_click=log_export,
    args_for=lambda fmt: (home.exports, f"{base}.{fmt}", title, fmt, vintage["vintage_id"]),
)
st.subheader(t("past_exports"))
table(pl.DataFrame(past_exports(home.exports)))
