"""总览 Overview: a plan's indicators against their targets (the plan the year falls in)."""

import polars as pl
import streamlit as st

from ipwh.app_data import choose_plan, fmt, latest_vintage, q, report_years, table, vintage_caption
from ipwh.i18n import column_label, lang, t

en = lang() == 1
vintage = latest_vintage()
st.title(t("title"))
vintage_caption(vintage)
years = report_years()
year = st.select_slider(t("year"), options=years, value=max(years))
plan, _ = choose_plan(year, "overview_plan")
progress = q(
    """select p.*, t.indicator_name, t.indicator_name_en, t.unit_label, t.unit_label_en,
              t.rule_zh, t.rule_en, s.label_zh, s.label_en, s.colour, v.population_source
       from marts.fct_target_progress p
       join seeds.indicator_catalogue t using (indicator_code)
       join seeds.status_labels s using (status_code)
       left join marts.fct_indicator_values v
         on v.indicator_code = p.indicator_code and v.report_year = p.report_year
        and v.unit_code = '421000'
       where p.report_year = ? and p.plan_id = ? order by p.indicator_no""",
    year,
    plan,
)
series = q(
    """select indicator_code, report_year, value from marts.fct_target_progress
       where report_year <= ? and report_year >= 2016 and plan_id = ? order by report_year""",
    year,
    plan,
)


cols = st.columns(5)
for i, row in enumerate(progress.iter_rows(named=True)):
    spark = series.filter(pl.col("indicator_code") == row["indicator_code"])["value"]
    with cols[i % 5], st.container(border=True):
        name = row["indicator_name_en"] if en else row["indicator_name"]
        st.markdown(f"**{row['indicator_no']}. {name}**")
        rule = row["rule_en"] if en else row["rule_zh"]
        if row["population_source"]:
            rule += f" · {column_label('population_source')}: {row['population_source']}"
        st.metric(
            row["unit_label_en"] if en else row["unit_label"],
            fmt(row["value"], row["unit_label"]),
            chart_data=spark.drop_nulls().to_list() or None,
            help=f"{rule}  \n[{t('definitions')} →](/definitions)",
        )
        label = row["label_en"] if en else row["label_zh"]
        st.markdown(
            f"<span style='color:{row['colour']};font-weight:600'>● {label}</span>",
            unsafe_allow_html=True,
        )
        pct = "—" if row["progress"] is None else f"{row['progress']:.0%}"
        target = fmt(row["target_low"], row["unit_label"])
        if row["target_high"] != row["target_low"]:
            target += f"–{fmt(row['target_high'], row['unit_label'])}"
        st.caption(
            f"{t('baseline')}: {fmt(row['baseline_value'], row['unit_label'])} · "
            f"{t('target')}: {target} · {t('progress')}: {pct}"
        )

# the catalogue's other indicators (docs/counting-rules.md §1), for the city
others = q(
    """select t.indicator_no, t.indicator_name, t.indicator_name_en, t.unit_label, v.value
       from seeds.indicator_catalogue t
       join marts.fct_indicator_values v using (indicator_code)
       where v.report_year = ? and v.unit_code = '421000'
         and t.indicator_code not in (select indicator_code from marts.fct_target_progress
                                      where plan_id = ?)
       order by t.indicator_no""",
    year,
    plan,
)
with st.expander(t("other_indicators")):
    table(
        others.select(
            pl.col("indicator_name_en" if en else "indicator_name").alias(t("indicator")),
            pl.struct("value", "unit_label")
            .map_elements(lambda r: fmt(r["value"], r["unit_label"]), return_dtype=pl.String)
            .alias(t("latest")),
            pl.col("unit_label").alias(column_label("unit_label")),
        )
    )

# the report card prints on A4 landscape: no sidebar or toolbar, the cards kept whole, and
# the vintage at the foot of the page
vintage_caption(vintage, plan)
st.html(
    """<style>@media print {
      @page { size: A4 landscape; margin: 8mm; }
      [data-testid="stSidebar"], header, [data-testid="stToolbar"],
      [data-testid="stExpander"] { display: none !important; }
      [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
    }</style>"""
)
