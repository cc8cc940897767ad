"""Indicator detail: yearly series with target and glide path, or the monthly series with
year to date and 同比; projection; breakdown by unit."""

import altair as alt
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
if series_kind == t("yearly"):
    # the glide path: straight from the baseline to the target (drawn, not stored)
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
        marks = pl.DataFrame(notes, schema=["report_year", "y", "note"], orient="row").to_pandas()
        points = alt.Chart(marks).encode(x="report_year:O", y="y:Q")
        layers.append(points.mark_point(shape="diamond", size=80, color="#6a1b9a", filled=True))
        layers.append(points.mark_text(dy=-14, color="#6a1b9a", fontSize=12).encode(text="note:N"))
    st.altair_chart(alt.layer(*layers), width="stretch")
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
        st.altair_chart(
            alt.Chart(shown.to_pandas())
            .mark_line(point=True)
            .encode(
                x=alt.X("period_no:O", title=t("month")),
                y=alt.Y("ytd_value:Q", title=f"{labels[code]} · {t('ytd')}"),
                color=alt.Color(f"{t('year')}:N"),
                shape=alt.Shape(f"{t('completeness')}:N"),
                tooltip=[
                    alt.Tooltip("period_id:N", title=column_label("period_id")),
                    alt.Tooltip("period_value:Q", title=t("month_value"), format=",.2f"),
                    alt.Tooltip("ytd_value:Q", title=t("ytd"), format=",.2f"),
                    f"{t('completeness')}:N",
                ],
            ),
            width="stretch",
        )
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
    st.altair_chart(
        alt.Chart(history.to_pandas())
        .mark_line(point=True)
        .encode(
            x=alt.X("report_year:O", title=None),
            y=alt.Y("value:Q", title=None),
            tooltip=[
                alt.Tooltip("report_year:O", title=t("year")),
                alt.Tooltip("value:Q", title=labels[code], format=",.2f"),
            ],
        )
        .properties(width=220, height=110)
        .facet(facet=alt.Facet(f"{t('unit')}:N", title=None), columns=4)
        .resolve_scale(y="independent")
    )
    if "per_10k" in code:
        st.caption(t("per_10k_note"))
        if (by_unit["value_missing_reason"] == "no_population").any():
            st.caption(t("no_population_note"))
