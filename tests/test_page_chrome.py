"""Streamlit AppTest of what every page shares (issue 13): each chart's downloads in one click
(no "Prepare" step) on the pages with charts, including the LA profile and the SQL workbench,
and the Accessibility statement page."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import page_charts, run_page, texts

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 90
ROOT = Path(__file__).resolve().parent.parent
FORMATS = ["CSV", "XLSX", "PNG", "SVG", "PDF", "Paper pack"]


def _downloads_per_chart(at) -> None:
    """Every chart on the page has the six download buttons, each a file made when pressed,
    and no page offers a "Prepare" button any more."""
    n_charts = len(page_charts(at))
    assert n_charts, "no chart on the page"
    buttons = at.get("download_button")
    labels = [b.label for b in buttons]
    for fmt in FORMATS:
        assert labels.count(fmt) >= n_charts, (fmt, labels)
    assert not [b.label for b in at.button if "Prepare" in b.label]
    images = [b for b in buttons if b.label in {"PNG", "SVG", "PDF", "Paper pack"}]
    # made on the click, on a thread of their own: nothing rendered while the page runs
    assert images and all(b.proto.deferred_file_id for b in images)
    assert all(b.proto.ignore_rerun for b in images)  # and a click does not rerun the page


def test_la_profile_chart_downloads_in_one_click() -> None:
    _downloads_per_chart(run_page("la_profile.py", TIMEOUT, la="855"))


def test_local_area_charts_download_in_one_click() -> None:
    _downloads_per_chart(run_page("local_area.py", TIMEOUT, as_at="2025-12-31"))


def test_workbench_chart_downloads_in_one_click() -> None:
    at = run_page("sql_workbench.py", TIMEOUT, q="SELECT region_name AS region, count(*) AS n "
                  "FROM local_authorities WHERE valid_to IS NULL GROUP BY ALL ORDER BY region")
    at.button(key="wb_run").click().run()
    assert not at.exception
    _downloads_per_chart(at)


def test_accessibility_statement() -> None:
    """The statement says what meets WCAG 2.2 AA and what does not (the charts' keyboard
    access, the hex maps' colour), how to ask for another format and report a problem, and
    when the dashboard was last tested; app.py lists it in the navigation."""
    from views.accessibility import LAST_TESTED

    at = run_page("accessibility.py", TIMEOUT)
    assert [t.value for t in at.title] == ["Accessibility statement"]
    headings = [h.value for h in at.header] + [h.value for h in at.subheader]
    for wanted in ("How accessible this dashboard is", "What meets the standard",
                   "Non-accessible content", "What to do if you cannot use part of this "
                   "dashboard", "Reporting accessibility problems", "How we tested this "
                   "dashboard"):
        assert wanted in headings, headings
    body = texts(at.markdown)
    assert "WCAG" in body or "Web Content Accessibility Guidelines" in body
    assert "partially compliant" in body
    assert re.search(r"keyboard", body) and "hex map" in body and "colour" in body
    assert "different format" in body
    tested = f"{LAST_TESTED.day} {LAST_TESTED:%B %Y}"
    assert f"last tested on {tested}" in texts(at.caption)
    tree = ast.parse((ROOT / "app.py").read_text())
    pages = [kw.value.value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
             for kw in node.keywords if kw.arg == "url_path"]
    assert "accessibility" in pages
