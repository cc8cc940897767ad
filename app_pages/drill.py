"""明细 Drill-through: the records behind one value, filterable and downloadable."""

import polars as pl
import streamlit as st

from ipwh.app_data import indicator_labels, latest_vintage, q, report_years, table, unit_labels
from ipwh.export import csv_bytes
from ipwh.i18n import column_label, lang, t

en = lang() == 1
labels = indicator_labels(en)
units = unit_labels(en)
st.title(t("drill"))
a, b, c, d = st.columns([3, 2, 1, 1])
code = a.selectbox(t("indicator"), list(labels), format_func=labels.get, key="drill_indicator")
unit = b.selectbox(t("unit"), list(units), format_func=units.get, key="drill_unit")
year = c.selectbox(t("year"), report_years()[::-1], key="drill_year")
# 0: the whole year (a stock at 31 December, a flow's twelve months); else one month
month = d.selectbox(
    t("month"), list(range(13)), format_func=lambda m: str(m or t("whole_year")), key="drill_month"
)
text = st.text_input(t("filter"), key="drill_filter").strip()

if month:
    value = q(
        "select value, numerator from marts.fct_indicator_values_monthly "
        "where indicator_code = ? and unit_code = ? and report_year = ? and report_month = ?",
        code,
        unit,
        year,
        month,
    )
else:
    value = q(
        "select value, numerator from marts.fct_indicator_values "
        "where indicator_code = ? and unit_code = ? and report_year = ?",
        code,
        unit,
        year,
    )
sql = (
    "select record_id, record_name, holder, unit_code, record_date, amount, detail, "
    "source_file, source_row from marts.fct_indicator_records "
    "where indicator_code = ? and report_year = ? and "
    + ("report_month = ?" if month else "is_in_yearly_value")
)
params: list = [code, year, *([month] if month else [])]
if unit != "421000":  # the city total is every unit's records
    sql += " and unit_code = ?"
    params.append(unit)
if text:
    sql += " and (record_id ilike ? or record_name ilike ? or holder ilike ?)"
    params += [f"%{text}%"] * 3
records = q(sql + " order by record_id limit 200000", *params)
if not value.is_empty():
    st.metric(
        labels[code],
        "—" if value["value"][0] is None else f"{value['value'][0]:,.2f}",
        help=f"{t('numerator')}: {value['numerator'][0]:,.2f}",
    )
st.caption(f"{records.height:,} {t('records')}")
if records.is_empty():
    st.info(t("no_rows"))
else:
    shown = records.with_columns(pl.col("unit_code").replace_strict(units, default=None)).rename(
        {"unit_code": "unit_name"}
    )
    table(
        shown,
        height=420,
        column_config={
            "record_name": st.column_config.TextColumn(column_label("record_name"), width="medium"),
            "amount": st.column_config.NumberColumn(
                column_label("amount"), format="%,.2f", width="medium"
            ),
            "source_row": st.column_config.NumberColumn(column_label("source_row"), format="%d"),
        },
    )
    # the download as the table reads: headers in the chosen language, unit names, the
    # vintage in the file name
    vintage = latest_vintage()
    period = f"{year}-{month:02d}" if month else str(year)
    st.download_button(
        t("download_csv"),
        csv_bytes(shown.rename({c: column_label(c) for c in shown.columns})),
        file_name=f"records_{code}_{unit}_{period}_{vintage['vintage_id']}.csv",
        mime="text/csv",
    )
