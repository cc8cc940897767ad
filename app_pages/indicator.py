"""Indicator detail: series, target and glide path, projection, breakdown by unit."""

import altair as alt
import polars as pl
import streamlit as st

from ipwh.app_data import (
    choose_plan,
    indicator_labels,
    q,
    report_years,
    shown_value,
    table,
    unit_labels,
)
from ipwh.i18n import lang, t

en = lang() == 1
labels = indicator_labels(en)
st.title(t("detail"))
left, right = st.columns([3, 1])
code = left.selectbox(
    t("indicator"),
    list(labels),
    format_func=labels.get,
    index=list(labels).index("valid_invention_patents"),
)
years = report_years()
year = right.selectbox(t("year"), years[::-1])
plan, _ = choose_plan(year, "indicator_plan")
series = q(
    """select report_year, value, baseline_year, baseline_value, target_year, target_low,
              required_annual_growth, actual_annual_growth, projected_target_year_value
       from marts.fct_target_progress where indicator_code = ? and plan_id = ?
       order by report_year""",
    code,
    plan,
)
if series.filter(pl.col("report_year") == year).is_empty():
    st.info(t("not_in_plan"))
    st.stop()
row = series.filter(pl.col("report_year") == year).row(0, named=True)
a, b, c, d = st.columns(4)
a.metric(t("latest"), "—" if row["value"] is None else f"{row['value']:,.2f}")
b.metric(
    t("projection"),
    "—"
    if row["projected_target_year_value"] is None
    else f"{row['projected_target_year_value']:,.2f}",
)
c.metric(
    t("required_growth"),
    "—" if row["required_annual_growth"] is None else f"{row['required_annual_growth']:.1%}",
)
d.metric(
    t("actual_growth"),
    "—" if row["actual_annual_growth"] is None else f"{row['actual_annual_growth']:.1%}",
)

# the glide path: straight from the 2021 baseline to the 2025 target (drawn, not stored)
glide = pl.DataFrame()
if row["baseline_value"] is not None:
    glide = pl.DataFrame(
        {
            "report_year": [row["baseline_year"], row["target_year"]],
            "glide": [row["baseline_value"], row["target_low"]],
        }
    )
chart_df = series.select("report_year", "value").to_pandas()
base = alt.Chart(chart_df).encode(x=alt.X("report_year:O", title=t("year")))
layers = [base.mark_line(point=True).encode(y=alt.Y("value:Q", title=labels[code]))]
layers.append(
    alt.Chart(chart_df.assign(target=row["target_low"]))
    .mark_rule(color="#c62828", strokeDash=[6, 4])
    .encode(y="mean(target):Q")
)
if not glide.is_empty():
    layers.append(
        alt.Chart(glide.to_pandas())
        .mark_line(color="#9e9e9e", strokeDash=[2, 2])
        .encode(x="report_year:O", y="glide:Q")
    )
st.altair_chart(alt.layer(*layers), width="stretch")
st.caption(f"— {t('target')} · ┄ {t('glide')}")

st.subheader(t("units"))
units = unit_labels(en, include_city=False)
by_unit = q(
    """select unit_code, value, value_missing_reason, numerator, denominator_persons,
              population_source, population_year
       from marts.fct_indicator_values
       where indicator_code = ? and report_year = ? and unit_code != '421000'""",
    code,
    year,
).with_columns(pl.col("unit_code").replace_strict(units, default=None).alias(t("unit")))
if by_unit.is_empty():
    st.info(t("no_rows"))
else:
    st.altair_chart(
        alt.Chart(by_unit.to_pandas())
        .mark_bar()
        .encode(y=alt.Y(f"{t('unit')}:N", sort="-x"), x=alt.X("value:Q", title=labels[code])),
        width="stretch",
    )
    table(
        by_unit.select(
            t("unit"),
            "unit_code",
            (
                shown_value("value", "value_missing_reason", 4)
                if "per_10k" in code
                else pl.col("value").round(4)
            ).alias(t("latest")),
            pl.col("numerator").alias(t("numerator")),
            pl.col("denominator_persons").alias(t("population")),
            "population_year",
            "population_source",
        ),
    )
    if "per_10k" in code:
        st.caption(t("per_10k_note"))
        if (by_unit["value_missing_reason"] == "no_population").any():
            st.caption(t("no_population_note"))
