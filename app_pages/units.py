"""区县 Units: a map and a ranking of the units for one indicator, then every unit ×
indicator for a year with year-on-year change, in the layout Hubei cities publish (完成值 and
同比 per indicator)."""

import polars as pl
import streamlit as st

from ipwh.app_data import indicator_labels, q, report_years, shown_value, table, unit_labels
from ipwh.export import csv_bytes
from ipwh.i18n import column_label, lang, t

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
if order:
    code = st.selectbox(
        t("indicator"),
        order,
        format_func=labels.get,
        index=order.index("valid_invention_patents") if "valid_invention_patents" in order else 0,
        key="units_map_indicator",
    )
    # each unit at its county's centroid (seeds/reference/admin_divisions.csv, from cpca);
    # the zones and 市本级 have no division of their own and are left off the map
    placed = q(
        """select v.unit_code, v.value, d.longitude, d.latitude
           from marts.fct_indicator_values v
           join seeds.reporting_units u using (unit_code)
           join seeds.admin_divisions d on d.division_code = u.unit_code
           where v.indicator_code = ? and v.report_year = ? and v.unit_code != '421000'
             and v.value is not null and d.longitude is not null""",
        code,
        year,
    ).with_columns(pl.col("unit_code").replace_strict(units, default=None).alias(t("unit")))
    left, right = st.columns(2)
    value = {"field": "value", "type": "quantitative", "title": labels[code]}
    tooltip = [{"field": t("unit"), "type": "nominal"}, value | {"format": ",.2f"}]
    where = {
        "longitude": {"field": "longitude", "type": "quantitative"},
        "latitude": {"field": "latitude", "type": "quantitative"},
    }
    circles = {
        "mark": {"type": "circle", "opacity": 0.7},
        "encoding": where
        | {
            "size": value | {"scale": {"range": [80, 2000]}},
            "color": value | {"scale": {"scheme": "blues"}},
            "tooltip": tooltip,
        },
    }
    names = {
        "mark": {"type": "text", "dy": -14, "fontSize": 12},
        "encoding": where | {"text": {"field": t("unit"), "type": "nominal"}},
    }
    map_spec = {"projection": {"type": "mercator"}, "layer": [circles, names]}
    left.vega_lite_chart(placed, map_spec, width="stretch")
    ranked = rows.filter((pl.col("indicator_code") == code) & pl.col("value").is_not_null())
    ranked = ranked.filter(pl.col("unit_code") != "421000").with_columns(
        pl.col("unit_code").replace_strict(units, default=None).alias(t("unit"))
    )
    bars = {
        "y": {"field": t("unit"), "type": "nominal", "sort": "-x", "title": None},
        "x": value,
        "tooltip": tooltip,
    }
    right.vega_lite_chart(ranked, {"mark": "bar", "encoding": bars}, width="stretch")
    st.caption(t("map_note"))
# counts whole, 亿元 and densities with 2 decimals (a density is text: 不适用 where no population)
catalogue = {
    code: (any(u in label for u in ("万人", "亿", "分")), rule_en if en else rule_zh)
    for code, label, rule_zh, rule_en in q(
        "select indicator_code, unit_label, rule_zh, rule_en from seeds.indicator_catalogue"
    ).iter_rows()
}
value_formats = {  # each column's help: the indicator's rule
    f"{labels[c]} {t('value_done')}": (
        st.column_config.TextColumn(f"{labels[c]} {t('value_done')}", help=catalogue[c][1])
        if "per_10k" in c
        else st.column_config.NumberColumn(
            f"{labels[c]} {t('value_done')}",
            format="%,.2f" if catalogue[c][0] else "%,.0f",
            help=catalogue[c][1],
        )
    )
    for c in order
}
wide = None
for code in order:
    part = (
        rows.lazy()
        .filter(pl.col("indicator_code") == code)
        .select(
            "unit_code",
            (
                shown_value("value", "value_missing_reason", 2)
                if "per_10k" in code
                else pl.col("value").round(2)
            ).alias(f"{labels[code]} {t('value_done')}"),
            # 同比 with its direction: ▲ up, ▼ down
            pl.when(pl.col("yoy") > 0)
            .then(pl.lit("▲ "))
            .when(pl.col("yoy") < 0)
            .then(pl.lit("▼ "))
            .otherwise(pl.lit(""))
            .add(pl.format("{}%", (pl.col("yoy") * 100).round(1).abs()))
            .alias(f"{labels[code]} {t('yoy')}"),
        )
    )
    wide = part if wide is None else wide.join(part, on="unit_code", how="left")
if wide is None:
    st.info(t("no_rows"))
else:
    wide = (  # one plan for every indicator's columns, collected once
        wide.with_columns(
            pl.col("unit_code").replace_strict(units, default=None).alias(t("unit")),
            pl.col("unit_code")
            .replace_strict({c: i for i, c in enumerate(units)}, default=99)
            .alias("_order"),
        )
        .sort("_order")
        .drop("_order")
        .collect()
    )
    table(
        wide.select(t("unit"), pl.exclude(t("unit"))),
        column_config={
            "unit_code": st.column_config.TextColumn(column_label("unit_code")),
            **value_formats,
        },
    )
    if (rows["value_missing_reason"] == "no_population").any():
        st.caption(t("no_population_note"))
    st.download_button(
        t("download_csv"),
        lambda: csv_bytes(wide),
        file_name=f"units_{year}.csv",
        mime="text/csv",
    )
