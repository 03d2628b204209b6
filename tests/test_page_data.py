"""Streamlit AppTest of the Data and sources page: the reconciliation of published figures."""

from __future__ import annotations

import pytest

from tests.conftest import frame_with, metric, run_page

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60


def test_data_page_shows_reconciliation() -> None:
    at = run_page("data_sources.py", TIMEOUT)
    rec = frame_with(at, "figure_id", "published", "computed", "matches")
    assert "ods2025_good" in set(rec["figure_id"])
    assert len(rec) >= 20
    shown = metric(at, "Reference figures matched")
    assert shown.endswith(f"of {len(rec)}")
    assert any("Open Government Licence v3.0" in m.value for m in at.markdown)
