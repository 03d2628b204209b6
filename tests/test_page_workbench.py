"""Streamlit AppTest of the SQL workbench page: results from the URL, typed queries, refusals.

SIF by 31 October 2014 with a dated grade: 32 LAs (Bournemouth's SIF report has no date):
0 outstanding, 9 good, 17 RI, 6 inadequate against seed 004's 0/9/18/6.
"""

from __future__ import annotations

import pytest

from tests.conftest import frame_with, run_page, texts

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60


def test_workbench_runs_a_select_from_the_url() -> None:
    at = run_page("sql_workbench.py", TIMEOUT, q="SELECT count(*) AS n FROM local_authorities")
    result = frame_with(at, "n")
    assert int(result["n"].iloc[0]) == 158  # every LA since 2013, incl. the abolished five
    assert any(c.value.startswith("1 row × 1 columns in") for c in at.caption)
    assert [b.label for b in at.get("download_button")][:2] == ["CSV", "XLSX"]


def test_workbench_typed_query_goes_into_the_url_and_charts() -> None:
    at = run_page("sql_workbench.py", TIMEOUT)
    sql = ("SELECT grade, n FROM grade_distribution(DATE '2014-10-31', "
           "'overall_effectiveness', framework := 'SIF')")
    at.text_area(key="wb_sql").input(sql).run()
    assert not at.exception
    result = frame_with(at, "grade", "n")
    assert list(result["grade"]) == ["outstanding", "good", "requires_improvement",
                                     "inadequate"]
    # 33 LAs with a dated grade (Bournemouth dated by Ofsted's 2023 statistics): the paper's
    # 0 / 9 / 18 / 6
    assert list(result["n"]) == [0, 9, 18, 6]
    assert at.query_params["q"] == sql
    assert "**Chart**" in texts(at.markdown)


def test_workbench_refuses_a_drop_with_a_message() -> None:
    at = run_page("sql_workbench.py", TIMEOUT, q="DROP TABLE grades")
    message = texts(at.error)
    assert "Refused" in message and "DROP" in message and "read-only" in message
    # the table is still there
    at.text_area(key="wb_sql").input(
        "SELECT count(*) AS n FROM grades WHERE scale = 'four_point'").run()
    # outstanding, good, requires improvement, inadequate and not judged
    assert int(frame_with(at, "n")["n"].iloc[0]) == 5


def test_workbench_syntax_error_and_file_read_are_messages() -> None:
    at = run_page("sql_workbench.py", TIMEOUT, q="SELEC 1")
    assert "DuckDB could not run the query" in texts(at.error)
    assert "syntax error" in texts(at.code).lower()
    at = run_page("sql_workbench.py", TIMEOUT, q="SELECT * FROM read_csv('/etc/passwd')")
    assert "reading files or URLs is disabled" in texts(at.error)


def test_workbench_truncates_at_the_row_cap() -> None:
    at = run_page("sql_workbench.py", TIMEOUT, q="SELECT * FROM range(20000)")
    assert "truncated" in texts(at.warning)
    assert len(frame_with(at, "range")) == 10_000


def test_workbench_example_loads_into_the_editor() -> None:
    at = run_page("sql_workbench.py", TIMEOUT)
    label = "Cycle progress (SIF)"
    at.selectbox(key="wb_example").select(label).run()
    assert "cycle_progress('SIF'" in at.text_area(key="wb_sql").value
    progress = frame_with(at, "as_at", "n_inspected", "n_las", "pct_inspected")
    oct_2014 = progress[progress["as_at"].astype(str) == "2014-10-31"]
    assert int(oct_2014["n_inspected"].iloc[0]) == 33
