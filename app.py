"""Inspection Outcomes: the Streamlit entry point (`streamlit run app.py`)."""

from pathlib import Path

import streamlit as st

from views._shared import dates_apply_on_enter

# A file of our own: a ":material/...:" page icon makes every browser fetch the favicon from
# Google's font CDN (fonts.gstatic.com), a request to a third party on every visit.
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
st.set_page_config(page_title="Inspection Outcomes", page_icon=str(FAVICON), layout="wide")

# The default page is served at "/" (Streamlit ignores a default page's url_path).
PAGES = [
    st.Page("views/national.py", title="National picture", icon=":material/bar_chart:",
            url_path="national", default=True),
    st.Page("views/failing.py", title="Requires improvement or inadequate",
            icon=":material/trending_down:",
            url_path="failing"),
    st.Page("views/neighbours.py", title="Statistical neighbours", icon=":material/hub:",
            url_path="neighbours"),
    st.Page("views/cycle.py", title="Cycle completion", icon=":material/schedule:",
            url_path="cycle"),
    st.Page("views/la_profile.py", title="Local authority profile",
            icon=":material/account_balance:", url_path="la"),
    st.Page("views/local_area.py", title="Local area", icon=":material/location_city:",
            url_path="local"),
    st.Page("views/send_providers.py", title="Area SEND and providers",
            icon=":material/diversity_3:", url_path="send-providers"),
    st.Page("views/reports.py", title="Reports and themes", icon=":material/manage_search:",
            url_path="reports"),
    st.Page("views/sql_workbench.py", title="SQL workbench", icon=":material/terminal:",
            url_path="sql"),
    st.Page("views/data_sources.py", title="Data and sources", icon=":material/library_books:",
            url_path="data"),
    st.Page("views/accessibility.py", title="Accessibility statement",
            icon=":material/accessibility:", url_path="accessibility"),
]

# Streamlit fades a caption by drawing it at 60% opacity, which takes its links to 2.5:1 on white.
# GOV.UK's secondary text colour at full opacity reads as the same grey at 7:1, and its link
# colour keeps caption links at WCAG 2.2 AA (5.2:1).
st.html("<style>[data-testid='stCaptionContainer']{opacity:1;color:#505a5f}"
        "[data-testid='stCaptionContainer'] a{color:#1d70b8}"
        # A typed date's day, month and year are separate targets: WCAG 2.2 wants each 24 px.
        "[role='spinbutton']{display:inline-block;min-width:24px;min-height:24px;"
        "line-height:24px;text-align:center}"
        # A static table's cells wrap at spaces (and where a page marks a long file name as
        # breakable), so the table fits the page instead of scrolling sideways; on a phone a
        # table still wider than the screen scrolls in its own box (WCAG 1.4.10 allows it for
        # data tables).
        "[data-testid='stTable'] :is(td,th),[data-testid='stTable'] :is(td,th) *"
        "{overflow-wrap:break-word!important;white-space:normal!important}"
        "[data-testid='stTableStyledTable']{width:100%}"
        # A long page name in the navigation wraps instead of ending in "…".
        "[data-testid='stSidebarNavLink'] span{white-space:normal!important;"
        "overflow:visible!important;text-overflow:clip!important}"
        # A focused text box, date or choice list gets a 2 px dark ring (Streamlit's own is a
        # 1 px change of border colour, easy to miss when moving by keyboard).
        "[data-baseweb='select']>div:focus-within,[data-baseweb='input']:focus-within,"
        "[data-baseweb='textarea']:focus-within{box-shadow:0 0 0 2px #0b0c0c}"
        # A checkbox's or a metric's label wraps instead of ending in "…" on a narrow screen.
        ":is([data-testid='stCheckbox'],[data-testid='stMetricLabel']) .stMarkdownEllipsis,"
        ":is([data-testid='stCheckbox'],[data-testid='stMetricLabel']) .stMarkdownEllipsis p"
        "{white-space:normal;text-overflow:clip;overflow:visible}</style>")

nav = st.navigation(PAGES)
# Typed dates apply on Enter on every page (views/_shared.py says why); in the sidebar, where
# the invisible element takes no room from the page.
with st.sidebar:
    dates_apply_on_enter()
# A static table wider than a phone scrolls sideways in its own box: a keyboard must be able to
# reach that box to scroll it (WCAG 2.1.1; axe's scrollable-region-focusable), so a box that
# scrolls becomes a named tab stop, and stops being one when the screen is wide enough. In the
# sidebar, where the invisible element takes no room from the page.
st.sidebar.html("""<script>(function () {
  if (window.__ioWideTables) return;
  window.__ioWideTables = true;
  var NAME = "Table (scroll sideways to see all of it)";
  function mark() {
    document.querySelectorAll('[data-testid="stTable"] > div').forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0; box.setAttribute("role", "region"); box.setAttribute("aria-label", NAME);
      } else if (!wide && box.getAttribute("aria-label") === NAME) {
        box.removeAttribute("tabindex"); box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  new MutationObserver(mark).observe(document.body, {childList: true, subtree: true});
  window.addEventListener("resize", mark);
  mark();
})();</script>""", unsafe_allow_javascript=True)
st.sidebar.caption(
    "Ofsted inspections of English local authority children's services. Contains public sector "
    "information licensed under the Open Government Licence v3.0."
)
nav.run()
