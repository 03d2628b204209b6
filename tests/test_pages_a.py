"""Streamlit AppTest of the National picture, Failing and Data and sources pages against the
built database: the numbers shown, URL state and bad-link fallbacks.

The official distribution (36 / 67 / 31 / 19 of 153 as at 31 March 2025) is Ofsted's own
"LA inspection outcomes as at 31 March 2025" release, also held in data/curated/
reference_figures.csv; the page must reproduce it on the official-statistics basis
(inspections ended by 31 March 2025, reports published by the release's cut-off).
"""

from __future__ import annotations

from pathlib import Path

import conftest
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl import DEFAULT_DB
from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _database() -> None:
    require(DEFAULT_DB.exists(),
            f"no database at {DEFAULT_DB}: run `python -m etl build` first")


def run_page(page: str, **params: str) -> AppTest:
    return conftest.run_page(page, TIMEOUT, **params)


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first data table on the page with all these columns."""
    for df in at.dataframe:
        value = df.value
        if all(c in value.columns for c in columns):
            return value
    raise AssertionError(f"no table with columns {columns}")


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


# ---------------------------------------------------------------- national picture


def test_national_official_distribution_31_march_2025() -> None:
    at = run_page("national.py", as_at="2025-03-31", published_by="2025-06-30")
    dist = frame_with(at, "grade", "n", "share", "n_las")
    counts = dict(zip(dist["grade"], dist["n"].astype(int), strict=True))
    assert counts == {"outstanding": 36, "good": 67, "requires_improvement": 31,
                      "inadequate": 19}
    assert metric(at, "LAs with a published judgement") == "153 of 153"
    assert metric(at, "Good or better") == "103 (67%)"
    # the URL keeps the view, so a copied link reopens it
    assert at.query_params["as_at"] == "2025-03-31"
    assert at.query_params["published_by"] == "2025-06-30"
    assert at.query_params["area"] == "overall_effectiveness"
    # the monthly trend ends on the date itself, on the same-day publication basis
    trend = next(t.value for t in at.dataframe if {"as_at", "grade"} <= set(t.value.columns))
    assert str(trend["as_at"].min())[:10] == "2013-11-30"  # from the start of SIF
    last = trend[trend["as_at"] == trend["as_at"].max()]
    assert str(last["as_at"].iloc[0])[:10] == "2025-03-31"
    assert last.set_index("grade")["n"].to_dict() == {
        "good": 67, "inadequate": 19, "outstanding": 33, "requires_improvement": 34}


def test_national_published_by_changes_the_count() -> None:
    """Without the later publication cut-off, reports of March 2025 inspections published in
    April-May do not count yet: fewer or different LAs are judged on the same date."""
    official = run_page("national.py", as_at="2025-03-31", published_by="2025-06-30")
    same_day = run_page("national.py", as_at="2025-03-31")
    a = frame_with(official, "grade", "n").set_index("grade")["n"]
    b = frame_with(same_day, "grade", "n").set_index("grade")["n"]
    assert not a.equals(b)
    assert "published_by" not in same_day.query_params


def test_national_bad_url_falls_back_with_a_note() -> None:
    at = run_page("national.py", as_at="31/03/2025", area="nonsense", framework="XYZ")
    notes = " ".join(infos(at))
    assert "as_at='31/03/2025' is not a date" in notes
    assert "area='nonsense' is not one of the choices" in notes
    assert "framework='XYZ'" in notes
    # and the page still draws the default view, with the URL repaired
    assert at.query_params["area"] == "overall_effectiveness"
    assert at.query_params["framework"] == "any"
    frame_with(at, "grade", "n", "share")


def test_national_lists_las_without_a_judgement() -> None:
    # ILACS began in January 2018: by 30 June 2018 only a few LAs had a published ILACS
    # judgement, so most are listed as without one, and the count says so.
    at = run_page("national.py", as_at="2018-06-30", framework="ILACS")
    shown = metric(at, "LAs with a published judgement")
    judged, total = (int(x) for x in shown.split(" of "))
    assert 0 < judged < 30 and total >= 150
    missing = frame_with(at, "Local authority", "Region")
    assert len(missing) == total - judged


# ---------------------------------------------------------------- failing


def test_failing_basis_switch_changes_the_numbers() -> None:
    overall = run_page("failing.py", as_at="2025-03-31", basis="overall_effectiveness")
    practice = run_page("failing.py", as_at="2025-03-31", basis="any_practice")
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
    at = run_page("failing.py", as_at="2025-03-31")
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
    at = run_page("failing.py", basis="bogus", region="Atlantis")
    notes = " ".join(infos(at))
    assert "basis='bogus'" in notes and "region='Atlantis'" in notes
    assert at.query_params["basis"] == "overall_effectiveness"
    assert "region" not in at.query_params


# ---------------------------------------------------------------- data and sources


def test_data_page_shows_reconciliation() -> None:
    at = run_page("data_sources.py")
    rec = frame_with(at, "figure_id", "published", "computed", "matches")
    assert "ods2025_good" in set(rec["figure_id"])
    assert len(rec) >= 20
    shown = metric(at, "Reference figures matched")
    assert shown.endswith(f"of {len(rec)}")
    assert any("Open Government Licence v3.0" in m.value for m in at.markdown)


def test_national_names_secondary_evidence_and_can_leave_it_out() -> None:
    # As at 10 Nov 2017 (seed 000), old Dorset, Northamptonshire and Cumbria's SIF grades are
    # known only from news and council pages (../shared/data/secondary).
    at = run_page("national.py", as_at="2017-11-10", framework="SIF")
    notes = " ".join(c.value for c in at.caption)
    assert "3 of these grades rest on secondary evidence" in notes
    for name in ("Dorset (county council to March 2019)", "Northamptonshire", "Cumbria"):
        assert name in notes
    # (145 since the reports added to the collection in December 2026: 137 before)
    assert at.metric[0].value == "145 of 152"
    at = run_page("national.py", as_at="2017-11-10", framework="SIF", secondary="exclude")
    assert at.metric[0].value == "142 of 152"
    assert "secondary evidence only" not in " ".join(c.value for c in at.caption)
