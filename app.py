"""Inspection Outcomes: the Streamlit entry point (`streamlit run app.py`)."""

import streamlit as st

st.set_page_config(page_title="Inspection Outcomes", page_icon=":material/bar_chart:", layout="wide")

# The default page is served at "/" (Streamlit ignores a default page's url_path).
PAGES = [
    st.Page("views/national.py", title="National picture", icon=":material/bar_chart:",
            url_path="national", default=True),
    st.Page("views/failing.py", title="Failing", icon=":material/trending_down:",
            url_path="failing"),
    st.Page("views/neighbours.py", title="Statistical neighbours", icon=":material/hub:",
            url_path="neighbours"),
    st.Page("views/cycle.py", title="Cycle completion", icon=":material/schedule:",
            url_path="cycle"),
    st.Page("views/la_profile.py", title="Local authority profile",
            icon=":material/account_balance:", url_path="la"),
    st.Page("views/reports.py", title="Reports and themes", icon=":material/manage_search:",
            url_path="reports"),
    st.Page("views/sql_workbench.py", title="SQL workbench", icon=":material/terminal:",
            url_path="sql"),
    st.Page("views/data_sources.py", title="Data and sources", icon=":material/library_books:",
            url_path="data"),
]

nav = st.navigation(PAGES)
st.sidebar.caption(
    "Ofsted inspections of English local authority children's services. Contains public sector "
    "information licensed under the Open Government Licence v3.0."
)
nav.run()
