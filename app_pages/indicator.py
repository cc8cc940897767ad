"""Indicator detail: yearly series with target and glide path, or the monthly series with
year to date and 同比; projection; breakdown by unit."""

import polars as pl
import streamlit as st

from ipwh.app_data import (
    choose_plan,
    fmt,
    indicator_labels,
    q,
    report_years,
    shown_value,
    table,
    unit_labels,
)
from ipwh.i18n import column_label, lang, t

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
unit_label = q("select unit_label from seeds.indicator_catalogue where indicator_code = ?", code)[
    "unit_label"
][0]
a.metric(t("latest"), fmt(row["value"], unit_label))
b.metric(t("projection"), fmt(row["projected_target_year_value"], unit_label))
c.metric(
    t("required_growth"),
    "—" if row["required_annual_growth"] is None else f"{row['required_annual_growth']:.1%}",
)
d.metric(
    t("actual_growth"),
    "—" if row["actual_annual_growth"] is None else f"{row['actual_annual_growth']:.1%}",
)

series_kind = st.radio(
    t("series"), [t("yearly"), t("monthly")], horizontal=True, key="indicator_series"
)
line = {"type": "line", "point": True}
if series_kind == t("yearly"):
    # every layer's y is `value`: one shared axis with the indicator's name
    x = {"field": "report_year", "type": "ordinal", "title": t("year")}
    y = {"field": "value", "type": "quantitative", "title": labels[code]}

    def layer(rows: list[dict], mark: dict, **encoding) -> dict:
        return {"data": {"values": rows}, "mark": mark, "encoding": {"x": x, "y": y, **encoding}}

    layers = [layer(series.select("report_year", "value").to_dicts(), line)]
    if row["target_low"] is not None:
        rule = {"type": "rule", "color": "#c62828", "strokeDash": [6, 4]}
        target = [{"value": row["target_low"]}]
        layers.append({"data": {"values": target}, "mark": rule, "encoding": {"y": y}})
    if row["baseline_value"] is not None:  # the glide path: baseline to target, drawn only
        glide = [
            {"report_year": row["baseline_year"], "value": row["baseline_value"]},
            {"report_year": row["target_year"], "value": row["target_low"]},
        ]
        layers.append(layer(glide, {"type": "line", "color": "#9e9e9e", "strokeDash": [2, 2]}))
    # written on the chart: the target, the projection to the target year, and the growth
    # the target needs against the growth achieved
    notes = []
    if row["target_low"] is not None:
        notes.append(
            (row["target_year"], row["target_low"], f"{t('target')} {row['target_low']:,.2f}")
        )
    if row["projected_target_year_value"] is not None:
        notes.append(
            (
                row["target_year"],
                row["projected_target_year_value"],
                f"{t('projection')} {row['projected_target_year_value']:,.2f}",
            )
        )
    if row["required_annual_growth"] is not None and row["actual_annual_growth"] is not None:
        notes.append(
            (
                row["baseline_year"],
                row["baseline_value"],
                f"{t('required_growth')} {row['required_annual_growth']:.1%} · "
                f"{t('actual_growth')} {row['actual_annual_growth']:.1%}",
            )
        )
    if notes:
        marks = [{"report_year": a, "value": b, "note": n} for a, b, n in notes]
        diamond = {"type": "point", "shape": "diamond", "size": 80, "filled": True}
        text = {"type": "text", "dy": -14, "fontSize": 12}
        note = {"field": "note", "type": "nominal"}
        layers.append(layer(marks, diamond | {"color": "#6a1b9a"}))
        layers.append(layer(marks, text | {"color": "#6a1b9a"}, text=note))
    st.vega_lite_chart({"layer": layers}, width="stretch")
    st.caption(f"— {t('target')} · ┄ {t('glide')} · ◆ {t('projection')}")
else:
    # the city's months of the chosen year and the one before, from the province's form
    months = q(
        """select period_id, report_year, period_no, period_value, ytd_value,
                  last_year_ytd_value, ytd_change, is_complete
           from marts.rpt_period_report
           where period_kind = 'month' and indicator_code = ? and unit_code = '421000'
             and report_year in (?, ? - 1)
           order by period_id""",
        code,
        year,
        year,
    )
    if months.is_empty():
        st.info(t("no_monthly"))
    else:
        shown = months.with_columns(
            pl.col("report_year").cast(pl.String).alias(t("year")),
            pl.when(pl.col("is_complete"))
            .then(pl.lit(t("complete")))
            .otherwise(pl.lit(t("incomplete")))
            .alias(t("completeness")),
        )
        amount = {"type": "quantitative", "format": ",.2f"}
        ytd = {"field": "ytd_value", "title": f"{labels[code]} · {t('ytd')}"} | amount
        tooltip = [
            {"field": "period_id", "type": "nominal", "title": column_label("period_id")},
            {"field": "period_value", "title": t("month_value")} | amount,
            {"field": "ytd_value", "title": t("ytd")} | amount,
            {"field": t("completeness"), "type": "nominal"},
        ]
        encoding = {
            "x": {"field": "period_no", "type": "ordinal", "title": t("month")},
            "y": ytd,
            "color": {"field": t("year"), "type": "nominal"},
            "shape": {"field": t("completeness"), "type": "nominal"},
            "tooltip": tooltip,
        }
        st.vega_lite_chart(shown, {"mark": line, "encoding": encoding}, width="stretch")
        if not months["is_complete"].all():
            st.warning(t("incomplete_note"))
        table(
            shown.filter(pl.col("report_year") == year).select(
                "period_id",
                "period_value",
                "ytd_value",
                "last_year_ytd_value",
                "ytd_change",
                t("completeness"),
            ),
            column_config={
                "period_value": st.column_config.NumberColumn(t("month_value"), format="%,.2f"),
                "ytd_value": st.column_config.NumberColumn(t("ytd"), format="%,.2f"),
                "last_year_ytd_value": st.column_config.NumberColumn(
                    t("last_year_ytd"), format="%,.2f"
                ),
                "ytd_change": st.column_config.NumberColumn(t("ytd_change"), format="percent"),
            },
        )

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
    st.vega_lite_chart(
        by_unit,
        {
            "mark": "bar",
            "encoding": {
                "y": {"field": t("unit"), "type": "nominal", "sort": "-x"},
                "x": {"field": "value", "type": "quantitative", "title": labels[code]},
            },
        },
        width="stretch",
    )
    table(
        by_unit.select(
            t("unit"),
            "unit_code",
            (
                shown_value("value", "value_missing_reason", 2)
                if "per_10k" in code
                else pl.col("value")
            ).alias(t("latest")),
            pl.col("numerator").alias(t("numerator")),
            pl.col("denominator_persons").alias(t("population")),
            "population_year",
            "population_source",
        ),
        column_config={
            # a density is text (不适用 where no population); a count whole, 亿元 to the fen
            **(
                {}
                if "per_10k" in code
                else {
                    t("latest"): st.column_config.NumberColumn(
                        t("latest"), format="%,.2f" if fmt(0.0, unit_label) == "0.00" else "%,.0f"
                    )
                }
            ),
            t("numerator"): st.column_config.NumberColumn(t("numerator"), format="%,.0f"),
            t("population"): st.column_config.NumberColumn(t("population"), format="%,.0f"),
            "population_year": st.column_config.NumberColumn(
                column_label("population_year"), format="%d"
            ),
        },
    )
    # small multiples: every unit's own series, each on its own scale
    history = q(
        "select unit_code, report_year, value from marts.fct_indicator_values "
        "where indicator_code = ? and unit_code != '421000' and value is not null",
        code,
    ).with_columns(pl.col("unit_code").replace_strict(units, default=None).alias(t("unit")))
    tooltip = [
        {"field": "report_year", "type": "ordinal", "title": t("year")},
        {"field": "value", "type": "quantitative", "title": labels[code], "format": ",.2f"},
    ]
    encoding = {
        "x": {"field": "report_year", "type": "ordinal", "title": None},
        "y": {"field": "value", "type": "quantitative", "title": None},
        "tooltip": tooltip,
    }
    panel = {"width": 220, "height": 110, "mark": {"type": "line", "point": True}}
    st.vega_lite_chart(
        history,
        {
            "facet": {"field": t("unit"), "type": "nominal", "title": None},
            "columns": 4,
            "resolve": {"scale": {"y": "independent"}},
            "spec": panel | {"encoding": encoding},
        },
    )
    if "per_10k" in code:
        st.caption(t("per_10k_note"))
        if (by_unit["value_missing_reason"] == "no_population").any():
            st.caption(t("no_population_note"))
