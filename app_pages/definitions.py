"""指标口径 Definitions: each indicator's rule and the parameters in force, from the seeds
and the published vintage's dbt vars."""

import json

import polars as pl
import streamlit as st

from ipwh.app_data import q, table
from ipwh.i18n import lang, t
from ipwh.paths import PROJECT_DIR

en = lang() == 1
st.title(t("definitions"))
catalogue = q("select * from seeds.indicator_catalogue order by indicator_no")
table(
    catalogue.select(
        "indicator_no",
        "indicator_code",
        pl.col("indicator_name_en" if en else "indicator_name").alias(t("indicator")),
        pl.col("unit_label_en" if en else "unit_label"),
        pl.col("rule_en" if en else "rule_zh"),
        "synonyms",
    ),
)
st.subheader(t("plans"))
table(
    q(
        "select distinct p.plan_id, p.plan_name, p.seq_no, "
        f"c.{'indicator_name_en' if en else 'indicator_name'} as indicator_name, "
        "p.baseline_year, p.baseline_value, p.target_year, p.target_low, p.target_high "
        "from marts.fct_target_progress as p join seeds.indicator_catalogue as c "
        "using (indicator_code) order by p.plan_id, p.indicator_no"
    ),
)
st.subheader(t("criteria"))
table(
    q(
        f"select criterion_code, {'label_en' if en else 'label_zh'} as criterion_name, "
        "effective_from_year, effective_to_year, note from seeds.high_value_criteria"
    )
)
links = q(
    "select (select count(*) from seeds.sei_ipc_links) as reference, "
    "(select count(*) from seeds.sei_ipc_links_addendum) as addendum"
).row(0)
unassessed = q(
    "select report_year, count(*) filter (where is_family_grant_unknown) as n "
    "from marts.fct_high_value_assessments where report_month = 12 "
    "group by all order by report_year desc limit 1"
)
st.caption(t("sei_links").format(*links))
if not unassessed.is_empty():
    st.caption(t("family_unknown").format(*unassessed.row(0)))
table(q("select * from seeds.award_levels"))
st.subheader(t("parameters"))
vars_json = q("select dbt_vars_json from meta.vintages order by published_at desc limit 1")
params = json.loads(vars_json["dbt_vars_json"][0] or "{}")
table(
    pl.DataFrame({"parameter": list(params), "value": [str(v) for v in params.values()]}),
)
st.subheader(t("reporting_units"))
table(q("select * from seeds.reporting_units order by display_order"))
table(q("select * from seeds.unit_aliases"))
with st.expander(t("counting_rules")):  # the rules' one home, shown as written
    st.markdown((PROJECT_DIR / "docs" / "counting-rules.md").read_text(encoding="utf-8"))
