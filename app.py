"""Streamlit entry point: language switch, navigation, and a clear message when the
warehouse is missing or being replaced. Pages live in app_pages/; they read marts only."""

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ipwh.app_data import available
from ipwh.i18n import t

st.set_page_config(page_title="荆州市知识产权统计", page_icon=":material/analytics:", layout="wide")
# ?lang=en opens the app in English (a link an analyst can share)
st.sidebar.radio(
    "语言 / Language",
    ["中文", "English"],
    index=1 if st.query_params.get("lang") == "en" else 0,
    key="lang",
    horizontal=True,
)

# who is signed in (README "Deployment"): the office's sign-on through Streamlit's OIDC login
# when .streamlit/secrets.toml has [auth], else the header the office's reverse proxy sets
try:
    sign_on = "auth" in st.secrets
except StreamlitSecretNotFoundError:  # no secrets file: no sign-on of Streamlit's own
    sign_on = False
if sign_on and not st.user.get("is_logged_in"):
    st.title(t("title"))
    st.button(t("sign_in"), on_click=st.login)
    st.stop()
user = (
    st.user.get("name") or st.user.get("email")
    if st.user.get("is_logged_in")
    else st.context.headers.get("X-Forwarded-User")
)
if user:
    st.sidebar.caption(f"{t('signed_in_as')} {user}")

problem = available()
if problem:
    st.title(t("title"))
    st.warning(f"{t('unavailable')}: {problem}")
    st.stop()

pages = [
    # the default page lives at the root URL (Streamlit ignores a url_path for it)
    st.Page("app_pages/overview.py", title=t("overview"), icon=":material/home:", default=True),
    st.Page(
        "app_pages/indicator.py",
        title=t("detail"),
        url_path="indicator",
        icon=":material/show_chart:",
    ),
    st.Page("app_pages/drill.py", title=t("drill"), url_path="drill", icon=":material/search:"),
    st.Page("app_pages/units.py", title=t("unit_table"), url_path="units", icon=":material/map:"),
    st.Page(
        "app_pages/assessment.py",
        title=t("assessment"),
        url_path="assessment",
        icon=":material/flag:",
    ),
    st.Page(
        "app_pages/quality.py", title=t("quality"), url_path="quality", icon=":material/fact_check:"
    ),
    st.Page(
        "app_pages/definitions.py",
        title=t("definitions"),
        url_path="definitions",
        icon=":material/menu_book:",
    ),
    st.Page(
        "app_pages/export.py", title=t("export"), url_path="export", icon=":material/download:"
    ),
]
st.navigation(pages).run()
