"""总览 Overview: every Table 3 indicator against its 2025 target, with the trend."""

import altair as alt
import polars as pl
import streamlit as st

from ipwh.app_data import q
from ipwh.i18n import lang, t

en = lang() == 1
vintage = q("select vintage_id, data_cutoff from meta.vintages order by published_at desc limit 1")
st.title(t("title"))
st.caption(
    f"{t('vintage')}: {vintage['vintage_id'][0]} · {t('cutoff')}: {vintage['data_cutoff'][0]}"
)

years = q("select distinct report_year from marts.fct_target_progress order by 1")["report_year"]
year = st.select_slider(t("year"), options=years.to_list(), value=years.max())
progress = q(
    """select p.*, t.indicator_name, t.indicator_name_en, t.unit_label, t.unit_label_en,
              s.label_zh, s.label_en, s.colour
       from marts.fct_target_progress p
       join seeds.table3_targets t using (indicator_code)
       join seeds.status_labels s using (status_code)
       where p.report_year = ? order by p.indicator_no""",
    year,
)


def fmt(v, unit: str) -> str:
    if v is None:
        return "—"
    return f"{v:,.2f}" if "万人" in unit or "亿" in unit or "分" in unit else f"{v:,.0f}"


cols = st.columns(5)
for i, row in enumerate(progress.iter_rows(named=True)):
    with cols[i % 5], st.container(border=True):
        name = row["indicator_name_en"] if en else row["indicator_name"]
        unit = row["unit_label_en"] if en else row["unit_label"]
        st.markdown(f"**{row['indicator_no']}. {name}**")
        st.metric(unit, fmt(row["value"], row["unit_label"]))
        label = row["label_en"] if en else row["label_zh"]
        st.markdown(
            f"<span style='color:{row['colour']};font-weight:600'>● {label}</span>",
            unsafe_allow_html=True,
        )
        pct = "—" if row["progress"] is None else f"{row['progress']:.0%}"
        st.caption(
            f"{t('baseline')}: {fmt(row['baseline_value'], row['unit_label'])} · "
            f"{t('target')}: {fmt(row['target_low'], row['unit_label'])} · {t('progress')}: {pct}"
        )

st.subheader(t("trend"))
modelled = progress.filter(pl.col("value").is_not_null())
names = dict(
    zip(
        modelled["indicator_code"],
        modelled["indicator_name_en" if en else "indicator_name"],
        strict=True,
    )
)
if names:
    code = st.selectbox(t("indicator"), list(names), format_func=names.get)
    series = q(
        """select report_year, value, target_low, baseline_value
           from marts.fct_target_progress where indicator_code = ? order by report_year""",
        code,
    )
    base = alt.Chart(series.to_pandas()).encode(x=alt.X("report_year:O", title=t("year")))
    chart = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=names[code])
    ) + base.mark_rule(color="#c62828", strokeDash=[6, 4]).encode(y="mean(target_low):Q")
    st.altair_chart(chart, width="stretch")
    units = q(
        """select v.unit_code, u.unit_name, u.unit_name_en, v.value, v.numerator,
                  v.denominator_persons
           from marts.fct_indicator_values v join seeds.reporting_units u using (unit_code)
           where v.indicator_code = ? and v.report_year = ? order by u.display_order""",
        code,
        year,
    )
    st.subheader(t("units"))
    st.dataframe(
        units.select(
            pl.col("unit_code"),
            pl.col("unit_name_en" if en else "unit_name").alias(t("unit")),
            pl.col("value").round(2).alias(t("latest")),
            pl.col("numerator").alias(t("numerator")),
            pl.col("denominator_persons").alias(t("population")),
        ),
        hide_index=True,
    )
