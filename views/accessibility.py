"""Accessibility statement: how far the dashboard meets WCAG 2.2 AA, what does not and why,
how to get the content in another format and how to report a problem, with the date it was
last tested (GOV.UK's model statement, cut to what applies here). Static text: it needs no
database, so it opens even when the data do not."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from etl.figures.style import format_date

# The day the checks below were last run and their results read (tests/test_browser.py: axe-core
# on every page at 1440 and 390 px, the keyboard-only walk; screenshots of every page at 390 px).
# Change it only after running them again.
LAST_TESTED = dt.date(2026, 12, 2)
STATEMENT_PREPARED = dt.date(2026, 12, 2)
WCAG = "https://www.w3.org/TR/WCAG22/"


def main() -> None:
    st.title("Accessibility statement")
    st.markdown(
        "This statement covers the Inspection Outcomes dashboard: every page in the menu, "
        "its charts, tables and downloads. We want as many people as possible to be able "
        "to use it. You should be able to:\n"
        "- zoom in without text spilling off the screen (the pages are tested 390 pixels "
        "wide, about what a desktop screen shows at 370% zoom; a chart keeps its layout and "
        "scrolls sideways inside its own box instead);\n"
        "- reach and use every control with a keyboard alone, and see where the focus is;\n"
        "- read every chart's numbers as a table, with its alt text and source, and "
        "download them as CSV or XLSX;\n"
        "- use the dashboard on a phone 390 pixels wide;\n"
        "- use it with a screen reader: pages have one main heading, sections are headed, "
        "and every control has a label.")

    st.header("How accessible this dashboard is")
    st.markdown(
        f"It is **partially compliant** with the [Web Content Accessibility Guidelines version "
        f"2.2]({WCAG}) AA standard, because of the non-compliances listed below.")
    st.subheader("What meets the standard")
    st.markdown(
        "- Automated checks (axe-core, the WCAG 2.0, 2.1 and 2.2 A and AA rules and best "
        "practice) find no serious or critical problem on any page, at desktop (1440 px) "
        "and phone (390 px) widths.\n"
        "- Text and its background meet the 4.5:1 contrast ratio, including captions and "
        "links (GOV.UK's text, secondary text and link colours).\n"
        "- Grades use one colour-blind-safe palette everywhere, and no chart relies on colour "
        "alone: grades are also named on an axis, printed as letters in the hexagons or "
        "marked with patterns.\n"
        "- Every chart has its data as a table, alt text and a source line, and the same "
        "figures can be downloaded (CSV, XLSX, PNG, SVG, PDF or a pack of all of them).\n"
        "- Every view has its own web address, so a page can be reopened or shared without "
        "repeating the steps that led to it.\n"
        "- Controls can be reached and operated with the keyboard (Tab, Shift+Tab, Enter, "
        "Space and the arrow keys), in the order they appear, with a visible focus outline.")
    st.subheader("Non-accessible content")
    st.markdown(
        "The content below is not yet fully accessible, with what we offer instead.\n"
        "- **The charts' own points cannot be reached with a keyboard or a screen reader** "
        "(the charting library, plotly, draws them as an image-like SVG; its hover labels "
        "need a mouse or a touch). This fails WCAG 2.1.1 (keyboard) and 1.1.1 (non-text "
        "content) for the points themselves. Instead, every chart has a table of exactly "
        "what is plotted, its alt text and CSV/XLSX downloads, all reachable by keyboard.\n"
        "- **The hex maps show each local authority's grade or band by colour and a "
        "one- or two-letter code** in small text inside each hexagon; the code is hard to read "
        "when zoomed out, so telling hexagons apart can rely on colour (WCAG 1.4.1). The "
        "table under each map lists every local authority with its grade or band in words.\n"
        "- **Text inside a chart keeps the chart's own size and spacing**: it does not grow "
        "with your browser's text-size or text-spacing settings (WCAG 1.4.4 and 1.4.12). "
        "Zooming the whole page enlarges it; the title, subtitle and notes of a chart are "
        "also printed as page text on narrow screens.\n"
        "- **On a narrow screen a chart, or a wide table, scrolls sideways** inside its own "
        "box rather than reflowing (WCAG 1.4.10 allows this for charts, maps and data tables, "
        "which need their two dimensions to make sense); a table's box can be reached with "
        "the Tab key and scrolled with the arrow keys.\n"
        "- **The PDF exports of charts are not tagged PDFs**, so a screen reader cannot read "
        "them; use the SVG, the CSV or the alt text, or the paper pack, which holds all of "
        "them.\n"
        "- **Ofsted's inspection reports**, which the dashboard links to, are Ofsted's own "
        "PDFs; their accessibility is Ofsted's. The report text the search shows was "
        "extracted from them and can reorder a few words where a page's layout is complex.")

    st.header("What to do if you cannot use part of this dashboard")
    st.markdown(
        "If you need any part of it in a different format — a chart's data as a table or a "
        "spreadsheet, a chart described in words, large print, an accessible PDF or a Word "
        "document — most are one click away under each chart. For anything else, open an "
        "issue on the project's repository (where its code is published) with "
        "**accessibility** in the title, and say which page and chart, and the format you "
        "need.")

    st.header("Reporting accessibility problems")
    st.markdown(
        "We are always looking to improve the dashboard's accessibility. If you find a "
        "problem not listed on this page, or think we are not meeting the requirements, "
        "open an issue on the project's repository with **accessibility** in the title: "
        "the page's web address (its link keeps what you were looking at), what you were "
        "trying to do, and the browser and any assistive technology you use.")
    st.markdown(
        "If a public sector body publishes this dashboard, the Public Sector Bodies (Websites "
        "and Mobile Applications) (No. 2) Accessibility Regulations 2018 apply to it: if you "
        "are not happy with how that body responds to your complaint, contact the "
        "[Equality Advisory and Support Service (EASS)]"
        "(https://www.equalityadvisoryservice.com/). The Equality and Human Rights "
        "Commission enforces the regulations.")

    st.header("How we tested this dashboard")
    st.markdown(
        "Every page is opened in a real browser (chromium) by the project's automated tests "
        "at 1440 and 390 pixels wide and checked with axe-core against WCAG 2.2 A and AA; a "
        "keyboard-only test tabs through a page's controls to its main choices and a "
        "download button, checking that each shows where the focus is; and screenshots of "
        "every page on a phone-sized screen are looked at for text that is clipped or "
        "overlaps. The dashboard has not yet been tested by disabled people or with a screen "
        "reader by an accessibility specialist.")
    st.caption(f"This statement was prepared on {format_date(STATEMENT_PREPARED)}. The "
               f"dashboard was last tested on {format_date(LAST_TESTED)}.")


main()
