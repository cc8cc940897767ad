"""Streamlit entry point: language switch, navigation, and a clear message when the
warehouse is missing or being replaced. Pages live in app_pages/; they read marts only."""

import streamlit as st

from ipwh.app_data import available
from ipwh.i18n import t

st.set_page_config(page_title="荆州市知识产权统计", layout="wide")
st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang", horizontal=True)

problem = available()
if problem:
    st.title(t("title"))
    st.warning(f"{t('unavailable')}: {problem}")
    st.stop()

pages = [
    st.Page("app_pages/overview.py", title=t("overview"), url_path="overview", default=True),
    st.Page("app_pages/indicator.py", title=t("detail"), url_path="indicator"),
    st.Page("app_pages/drill.py", title=t("drill"), url_path="drill"),
    st.Page("app_pages/units.py", title=t("unit_table"), url_path="units"),
    st.Page("app_pages/assessment.py", title=t("assessment"), url_path="assessment"),
    st.Page("app_pages/quality.py", title=t("quality"), url_path="quality"),
    st.Page("app_pages/definitions.py", title=t("definitions"), url_path="definitions"),
    st.Page("app_pages/export.py", title=t("export"), url_path="export"),
]
st.navigation(pages).run()
