"""Streamlit AppTest of the Failing page: the basis switch, the list of LAs failing now, URL
state and bad-link fallbacks."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import frame_with, metric, plain, run_page, texts

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60


def test_failing_basis_switch_changes_the_numbers() -> None:
    overall = run_page("failing.py", TIMEOUT, as_at="2025-03-31", basis="overall_effectiveness")
    practice = run_page("failing.py", TIMEOUT, as_at="2025-03-31", basis="any_practice")
    label = "Failing now (requires improvement or inadequate)"
    assert metric(overall, label) != metric(practice, label)
    # overall effectiveness as at 31 March 2025 (published by then): RI + inadequate
    n_failing = int(metric(overall, label).split(" of ")[0])
    assert 40 <= n_failing <= 55
    # the failing list has that many rows, each linking to its LA profile
    table = frame_with(overall, "la_name", "profile")
    assert len(table) == n_failing
    assert table["profile"].str.fullmatch(r"/la\?la=\d{3}").all()
    assert overall.query_params["basis"] == "overall_effectiveness"


def test_failing_basis_radio_updates_numbers_and_url() -> None:
    at = run_page("failing.py", TIMEOUT, as_at="2025-03-31")
    label = "Failing now (requires improvement or inadequate)"
    before = metric(at, label)
    basis = next(r for r in at.radio if r.label == "Basis")
    basis.set_value("leadership").run()
    assert not at.exception
    assert at.query_params["basis"] == "leadership"
    assert metric(at, label) != before
    chart_data = frame_with(at, "month", "geography", "share_failing")
    assert chart_data["month"].max() == pd.Timestamp("2025-03-31")
    # months where fewer than 5 LAs in an area had a judgement are left out of the chart
    assert chart_data["n_judged"].min() >= 5


def test_failing_bad_basis_falls_back() -> None:
    at = run_page("failing.py", TIMEOUT, basis="bogus", region="Atlantis")
    notes = plain(texts(at.info))
    assert "basis value “bogus”" in notes and "region value “Atlantis”" in notes
    assert at.query_params["basis"] == "overall_effectiveness"
    assert "region" not in at.query_params
