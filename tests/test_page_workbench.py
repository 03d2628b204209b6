"""Streamlit AppTest of the SQL workbench page: a query from the URL shown and run on request,
typed queries, refusals, limits, and text from the query shown as text.

SIF by 31 October 2014 with a dated grade: 33 LAs (Bournemouth dated by Ofsted's 2023
statistics): 0 outstanding, 9 good, 18 RI, 6 inadequate, as seed 004 says.
"""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from tests.conftest import frame_with, page_charts, plain, run_page, shown_columns, texts

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60


def from_link(q: str):
    """Open the page with a query in the link, and press Run."""
    at = run_page("sql_workbench.py", TIMEOUT, q=q)
    at.button(key="wb_run").click().run()
    assert not at.exception
    return at


def test_a_linked_query_is_shown_not_run_until_the_reader_asks() -> None:
    at = run_page("sql_workbench.py", TIMEOUT, q="SELECT count(*) AS n FROM local_authorities")
    assert at.text_area(key="wb_sql").value == "SELECT count(*) AS n FROM local_authorities"
    assert "has not been run" in texts(at.info)
    assert not at.dataframe or "n" not in at.dataframe[-1].value.columns
    at.button(key="wb_run").click().run()
    assert int(frame_with(at, "n")["n"].iloc[0]) == 158


def test_workbench_runs_a_select_from_the_url() -> None:
    at = from_link("SELECT count(*) AS n FROM local_authorities")
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
    at = from_link("DROP TABLE grades")
    message = plain(texts(at.error))
    assert "Refused" in message and "DROP" in message and "read-only" in message
    # the table is still there
    at.text_area(key="wb_sql").input(
        "SELECT count(*) AS n FROM grades WHERE scale = 'four_point'").run()
    # outstanding, good, requires improvement, inadequate and not judged
    assert int(frame_with(at, "n")["n"].iloc[0]) == 5


def test_workbench_syntax_error_and_file_read_are_messages() -> None:
    at = from_link("SELEC 1")
    assert "DuckDB could not run the query" in texts(at.error)
    assert "syntax error" in texts(at.code).lower()
    at = from_link("SELECT * FROM read_csv('/etc/passwd')")
    assert "reading files or URLs is disabled" in plain(texts(at.error))


def test_workbench_truncates_at_the_row_cap() -> None:
    at = from_link("SELECT * FROM range(20000)")
    assert "truncated" in texts(at.warning) and "row limit" in texts(at.warning)
    assert len(frame_with(at, "range")) == 10_000


def test_workbench_names_the_size_and_memory_limits() -> None:
    at = from_link("SELECT repeat('x', 2000) AS s FROM range(100000)")
    assert "size limit" in texts(at.warning)
    at = from_link("SELECT repeat('x', 50000000)")
    assert "Stopped" in texts(at.warning) and "size limit" in texts(at.warning)


def test_query_text_in_messages_and_names_is_shown_as_text() -> None:
    payload = "![p](http://127.0.0.1:8799/pixel.png)"
    at = from_link(f'SELECT 1 AS "{payload}", 2 AS n')
    shown = texts(at.caption)
    # escaped in prose; only inside a code span (the redraw command) as typed, where markdown
    # shows it literally
    assert payload not in re.sub(r"`[^`]*`", "", shown) and "\\!\\[p\\]\\(http" in shown
    at = from_link(f'SELECT * FROM "{payload}"')
    assert payload not in texts(at.error) and "Refused" in texts(at.error)


def test_a_link_with_a_query_too_long_is_refused_with_a_message() -> None:
    at = run_page("sql_workbench.py", TIMEOUT, q="SELECT 1 -- " + "x" * 120_000)
    assert "takes queries of up to" in texts(at.error)


def test_workbench_example_loads_into_the_editor() -> None:
    at = run_page("sql_workbench.py", TIMEOUT)
    label = "Cycle progress (SIF)"
    at.selectbox(key="wb_example").select(label).run()
    assert "cycle_progress('SIF'" in at.text_area(key="wb_sql").value
    progress = frame_with(at, "as_at", "n_inspected", "n_las", "pct_inspected")
    oct_2014 = progress[progress["as_at"].astype(str) == "2014-10-31"]
    assert int(oct_2014["n_inspected"].iloc[0]) == 33


def _values(array: object) -> list:
    """A figure JSON's array as a list (plotly sends numbers base64-encoded)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


YEARS_SQL = "SELECT year(start_date) AS year, count(*) AS n FROM inspections GROUP BY 1 ORDER BY 1"


def test_workbench_charts_a_count_by_year_on_a_numeric_axis() -> None:
    """A year (an integer; DuckDB's BIGINT arrives as a float beside the NULL year of the
    inspections held without a start date) goes along a numeric axis, printed 2014, not
    2,014 or 2014.0; the row with no year is left out and the subtitle says so."""
    at = from_link(YEARS_SQL)
    along = next(s for s in at.selectbox if s.label == "Along the axis")
    assert along.value == "year"
    (fig, table), = page_charts(at)
    axis = fig["layout"]["xaxis"]
    assert axis["type"] == "linear" and axis["tickformat"] == "d"
    assert axis.get("dtick") == 1
    x = _values(fig["data"][0]["x"])
    assert x[:2] == [2013, 2014] and len(x) == 14
    assert list(table["year"])[:2] == [2013, 2014] and str(table["year"].dtype) == "int64"
    assert "1 row with no year left out" in json.dumps(fig["layout"])
    # the result table prints the year without a thousands separator or decimals too
    result = next(df for df in at.dataframe if list(df.value.columns) == ["year", "n"])
    assert shown_columns(result)["year"]["type_config"]["format"] == "%d"


def test_workbench_exports_the_chart_in_one_click() -> None:
    at = from_link(YEARS_SQL)
    labels = [b.label for b in at.get("download_button")]
    assert {"Chart (PNG)", "Chart (SVG)", "Chart (PDF)"} <= set(labels), labels


def test_workbench_charts_a_sum_returned_as_hugeint() -> None:
    """sum() of integers is a HUGEINT, which arrives as Python ints in an object column: it is
    still a number to draw, not a category."""
    at = from_link("SELECT framework, sum(1) AS n FROM inspections GROUP BY 1 ORDER BY 1")
    (fig, table), = page_charts(at)
    assert "SIF" in _values(fig["data"][0]["x"]) and list(table.columns) == ["framework", "n"]


def test_workbench_examples_name_papers_not_collection_numbers() -> None:
    from etl.warehouse.queries import examples

    assert not [t for t in examples() if "seed" in t.lower()]


def test_a_backtick_in_a_query_cannot_end_the_redraw_commands_code_span() -> None:
    """The chart's redraw command quotes the query inside a code span: a backtick in the query
    must not close it and let an image after it render (the browser would fetch it)."""
    at = from_link("SELECT 'a' AS x, 2 AS n -- ` ![p](http://127.0.0.1:8799/p.png) `")
    redraw = next(c.value for c in at.caption if "Redraw" in c.value)
    assert redraw.split("Redraw: ", 1)[1].startswith("`` python -m etl export workbench")
    assert redraw.rstrip().endswith("--out FILE ``")
