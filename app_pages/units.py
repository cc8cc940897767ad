"""区县 Units: every unit × indicator for a year with year-on-year change, in the layout
Hubei cities publish (完成值 and 同比 per indicator)."""

import polars as pl
import streamlit as st

from ipwh.app_data import indicator_labels, q, report_years, shown_value, unit_labels
from ipwh.export import csv_bytes
from ipwh.i18n import lang, t

en = lang() == 1
labels = indicator_labels(en)
units = unit_labels(en)
st.title(t("unit_table"))
year = st.selectbox(t("year"), report_years()[::-1], key="units_year")
rows = q(
    """select cur.unit_code, cur.indicator_code, cur.value, cur.value_missing_reason,
              case when prev.value > 0 then cur.value / prev.value - 1 end as yoy
       from marts.fct_indicator_values cur
       left join marts.fct_indicator_values prev
         on prev.indicator_code = cur.indicator_code and prev.unit_code = cur.unit_code
        and prev.report_year = cur.report_year - 1
       where cur.report_year = ? and cur.indicator_code != 'protection_satisfaction'""",
    year,
)
order = [c for c in labels if c in set(rows["indicator_code"])]
wide = None
for code in order:
    part = rows.filter(pl.col("indicator_code") == code).select(
        "unit_code",
        (
            shown_value("value", "value_missing_reason", 2)
            if "per_10k" in code
            else pl.col("value").round(2)
        ).alias(f"{labels[code]} {t('value_done')}"),
        (pl.col("yoy") * 100).round(1).alias(f"{labels[code]} {t('yoy')}%"),
    )
    wide = part if wide is None else wide.join(part, on="unit_code", how="left")
if wide is None:
    st.info(t("no_rows"))
else:
    wide = (
        wide.with_columns(
            pl.col("unit_code").replace_strict(units, default=None).alias(t("unit")),
            pl.col("unit_code")
            .replace_strict({c: i for i, c in enumerate(units)}, default=99)
            .alias("_order"),
        )
        .sort("_order")
        .drop("_order")
    )
    st.dataframe(wide.select(t("unit"), pl.exclude(t("unit"))), hide_index=True)
    if (rows["value_missing_reason"] == "no_population").any():
        st.caption(t("no_population_note"))
    st.download_button(
        t("download_csv"),
        csv_bytes(wide),
        file_name=f"units_{year}.csv",
        mime="text/csv",
    )
