"""终期评估 Final assessment of a finished plan: every indicator's final-year value against
its target, growth planned and achieved, the first year met, and the units' contributions —
the same content as `ipwh assess`."""

import polars as pl
import streamlit as st

from ipwh.app_data import download_buttons, q, report, table, vintage_caption
from ipwh.export import render
from ipwh.i18n import t

st.title(t("assessment"))
plans = q(
    "select distinct plan_id, plan_name, target_year from marts.rpt_plan_assessment "
    "order by plan_id"
)
ids = plans["plan_id"].to_list()
names = dict(zip(ids, plans["plan_name"], strict=True))
plan = st.selectbox(
    t("plan"), ids, index=0, format_func=lambda i: f"{i} {names[i]}", key="assessment_plan"
)
try:
    frame, vintage, plan_id, name = report("assessment", plan)
except ValueError as err:  # not finished yet
    st.info(str(err))
    st.stop()
vintage_caption(vintage)
city = frame.filter(pl.col("地区代码") == "421000")
met = city["是否达标"].value_counts(sort=True)
st.markdown(" · ".join(f"**{v}** {n}" for v, n in met.iter_rows()))
table(city.drop("地区代码", "地区名称", "占全市比重", "对全市增长贡献"))
st.subheader(t("units"))
indicator = st.selectbox(t("indicator"), city["指标名称"].to_list(), key="assessment_indicator")
table(
    frame.filter((pl.col("指标名称") == indicator) & (pl.col("地区代码") != "421000")).select(
        "地区名称", "终期值", "实际年均增速", "占全市比重", "对全市增长贡献"
    ),
)
base = f"assessment_{plan_id}_{vintage['vintage_id']}"
download_buttons(lambda fmt: render(frame, vintage, fmt, f"{name} 终期评估"), base, "assessment")
