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


def test_data_page_sets_the_2023_release_beside_ours_and_quotes_its_note() -> None:
    """Ofsted's 'Children's social care data in England 2023' (LA_level_at_31_Mar_2023):
    overall effectiveness 25 / 65 / 48 / 14. On its stated basis (reports published by 30 April
    2023) the collection gives 25 / 66 / 48 / 13: South Tyneside's inadequate report came out
    on 10 May 2023 (ofsted-reports/80557_south tyneside), and the release's Notes say it is
    included all the same; counted as the release counts it, every figure matches."""
    from tests.conftest import texts

    at = run_page("data_sources.py", TIMEOUT)
    table = frame_with(at, "judgement", "grade", "published", "computed_stated_basis",
                       "computed_release_basis")
    overall = table[table["judgement"] == "Overall effectiveness"].set_index("grade")
    assert overall["published"].astype(int).to_dict() == {
        "Good": 65, "Inadequate": 14, "Outstanding": 25, "Requires improvement": 48}
    assert overall["computed_stated_basis"].astype(int).to_dict() == {
        "Good": 66, "Inadequate": 13, "Outstanding": 25, "Requires improvement": 48}
    assert (table["computed_release_basis"] == table["published"]).all()
    assert set(table["departure_las"]) == {"South Tyneside"}
    quoted = texts(at.info)
    assert "South Tyneside" in quoted and "not published by our usual deadline" in quoted
    assert "**South Tyneside**" in texts(at.markdown)
    frameworks = frame_with(at, "framework", "scale", "overall_basis", "inspections")
    assert {"SLAC", "CPI", "LAC2013", "SIF", "ILACS"} <= set(frameworks["framework"])
    assert frameworks.set_index("framework").loc["SLAC", "scale"] == "pre_2013"


def test_data_page_lists_source_files_one_kind_at_a_time() -> None:
    """The list of source files is read a kind at a time, at most SOURCE_ROWS of them (a
    collection 1000 times larger has 561,000: issue 14): every kind by default, and choosing
    the area SEND reports shows their 55 files and nothing else."""
    at = run_page("data_sources.py", TIMEOUT)
    files = frame_with(at, "source_id", "sha256", "records")
    kinds = frame_with(at, "kind", "sources", "parsers")
    assert len(files) == int(kinds["sources"].sum()) == 561
    at.selectbox(key="data_sources_kind").select("area_send_report_pdf").run()
    assert not at.exception
    files = frame_with(at, "source_id", "sha256", "records")
    assert set(files["kind"]) == {"area_send_report_pdf"} and len(files) == 55
