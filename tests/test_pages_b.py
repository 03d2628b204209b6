"""Streamlit AppTest of the Statistical neighbours, Cycle completion, Local authority profile
and SQL workbench pages against the built database: the numbers shown, URL state, bad-link
fallbacks, empty states and the workbench's refusals.

Numbers checked by hand against ../shared/data:
- Leicestershire (855): current neighbours "916, 803, 937, 802, 850, 865, 933, 938, 811, 891"
  and previous "823, 895, 881, 850, 802, 803, 860, 937, 938, 885" in
  la-lookup/Provider_data_lookup.csv; its ILACS report of 12 July 2024 grades it outstanding
  overall (ilacs-history/ofsted_csc_ilacs_history.csv).
- Nottinghamshire (891): the SIF report published 20 July 2015 says "Children's services in
  Nottinghamshire County Council are good" (ofsted-reports/80534_nottinghamshire); the ILACS
  report published 19/12/19 grades overall good, leaders good, help and protection requires
  improvement, children in care and care leavers good (ilacs-history; seed 001).
- SIF by 31 October 2014: 31 LAs have an Ofsted report PDF dated Nov 2013 - Oct 2014 in
  ofsted-reports, plus Blackpool (scraper list, published 8 Sep 2014) and Bournemouth (no
  report date; listed in seed 004's annex, so published by 31 Oct 2014): 33 of the 152 LAs
  (22%), seed 004's 22% and its 33 reports. With a dated grade only 32 (Bournemouth's has no
  date): 0 outstanding, 9 good, 17 RI, 6 inadequate against the paper's 0/9/18/6.
"""

from __future__ import annotations

from pathlib import Path

import conftest
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl import DEFAULT_DB, SNAPSHOT_DIR, SQL_DIR
from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60

LEICS_CURRENT = ["Gloucestershire", "South Gloucestershire", "Warwickshire", "North Somerset",
                 "Hampshire", "Wiltshire", "Somerset", "West Sussex", "East Riding of Yorkshire",
                 "Nottinghamshire"]
LEICS_PREVIOUS = ["Central Bedfordshire", "Cheshire East", "Essex", "Hampshire",
                  "North Somerset", "South Gloucestershire", "Staffordshire", "Warwickshire",
                  "West Sussex", "Worcestershire"]


@pytest.fixture(autouse=True)
def _database() -> None:
    require(DEFAULT_DB.exists(), f"no database at {DEFAULT_DB}: run `python -m etl build` first")
    # The app rebuilds a stale database on first use; a test must not start a build.
    inputs = [*SNAPSHOT_DIR.glob("*.csv"), *SQL_DIR.glob("*.sql")]
    newest = max((p.stat().st_mtime for p in inputs), default=0)
    require(DEFAULT_DB.stat().st_mtime >= newest,
            "the database is older than data/snapshot or sql/*.sql: run `python -m etl build`")


def run_page(page: str, **params: str) -> AppTest:
    return conftest.run_page(page, TIMEOUT, **params)


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    for df in at.dataframe:
        if all(c in df.value.columns for c in columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


def metric(at: AppTest, label: str) -> tuple[str, str]:
    found = [(m.value, m.delta) for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


# ---------------------------------------------------------------- statistical neighbours


def test_neighbours_leicestershire_current_set() -> None:
    at = run_page("neighbours.py", la="855", as_at="2025-12-31")
    table = frame_with(at, "Rank", "Local authority", "Framework", "Published")
    assert list(table["Local authority"]) == ["Leicestershire", *LEICS_CURRENT]
    assert list(table["Rank"]) == ["LA", *[str(i) for i in range(1, 11)]]
    leics = table.iloc[0]
    assert leics["Framework"] == "ILACS"
    assert str(leics["Published"]) == "2024-07-12"
    assert leics["Overall effectiveness"] == "Outstanding"
    assert "current DfE set" in texts(at.markdown)
    # the chart's data carries the same group, focus first
    chart = frame_with(at, "la_code", "is_focus", "rank", "grade")
    assert chart.loc[chart["is_focus"], "la_code"].tolist() == ["855"]
    assert sorted(chart["rank"]) == list(range(11))
    # group / region / England distribution and the rank sentence
    dist = frame_with(at, "group", "grade", "n", "share")
    assert set(dist["group"]) == {"Statistical neighbours of Leicestershire", "East Midlands",
                                  "England"}
    assert int(dist.loc[dist["group"] == "Statistical neighbours of Leicestershire",
                        "n"].sum()) == 10
    assert "Where Leicestershire ranks." in texts(at.markdown)
    assert at.query_params["la"] == "855"
    assert at.query_params["vintage"] == "current"
    assert at.query_params["as_at"] == "2025-12-31"


def test_neighbours_previous_vintage_is_named() -> None:
    at = run_page("neighbours.py", la="855", vintage="previous", as_at="2025-12-31")
    table = frame_with(at, "Rank", "Local authority")
    assert list(table["Local authority"]) == ["Leicestershire", *LEICS_PREVIOUS]
    assert "previous DfE set" in texts(at.markdown)


def test_neighbours_bad_url_params_fall_back_with_notes() -> None:
    at = run_page("neighbours.py", la="XYZ", as_at="not-a-date", vintage="2009")
    notes = texts(at.info)
    assert "la='XYZ' is not one of the choices" in notes
    assert "as_at='not-a-date' is not a date" in notes
    assert "vintage='2009'" in notes
    assert frame_with(at, "Local authority")["Local authority"].iloc[0] == "Leicestershire"
    assert at.query_params["la"] == "855"  # the URL now says what is shown


def test_neighbours_empty_state_before_the_la_existed() -> None:
    # Bournemouth, Christchurch and Poole was created on 1 April 2019.
    at = run_page("neighbours.py", la="839", as_at="2016-01-01")
    assert "did not exist on 1 January 2016" in texts(at.info)


# ---------------------------------------------------------------- cycle completion


def test_cycle_sif_share_by_october_2014_against_seed_004() -> None:
    at = run_page("cycle.py")
    value, delta = metric(at, "Inspected by 31 Oct 2014")
    assert value == "33 of 152"
    assert delta.startswith("22%")
    done, years = metric(at, "Projected completion")
    assert done == "Jul 2017" and years.startswith("3.7 years")  # seed 004: 3.5-4 years
    published = texts(at.markdown)
    assert "(22%)" in published and "ours: 33 of 152 (22%)" in published
    assert "3.5–4" in published
    series = frame_with(at, "date", "n_inspected", "n_las", "share", "series")
    assert set(series["series"]) == {"actual", "projection", "projection_low",
                                     "projection_high", "actual_after_as_at"}
    last = series[series["series"] == "actual"].iloc[-1]
    assert (str(last["date"]), int(last["n_inspected"])) == ("2014-10-31", 33)
    # the backtest ends where the collection's count peaks (Poole's inspection is undated)
    assert "151 of 152" in published and "Poole" in published
    backtest = frame_with(at, "as_at", "projected_completion", "error_months")
    assert len(backtest) > 40
    assert at.query_params["fw"] == "SIF" and at.query_params["as_at"] == "2014-10-31"


def test_cycle_next_due_marks_overdue() -> None:
    at = run_page("cycle.py", due_at="2025-03-31")
    due = frame_with(at, "Status", "Local authority", "Next due (about)")
    overdue = due[due["Status"] == "⚠ Overdue"]
    assert not overdue.empty
    assert (pd.to_datetime(overdue["Next due (about)"]) < pd.Timestamp("2025-03-31")).all()
    value, _ = metric(at, "Overdue (over 3 years since the last)")
    assert int(value) == len(overdue)


def test_cycle_bad_params_fall_back() -> None:
    at = run_page("cycle.py", fw="XYZ", as_at="2099-01-01")
    notes = texts(at.info)
    assert "fw='XYZ'" in notes and "as_at=2099-01-01 is outside" in notes
    assert metric(at, "Inspected by 31 Oct 2014")[0] == "33 of 152"


# ---------------------------------------------------------------- LA profile


def test_la_profile_nottinghamshire_sif_2015_and_ilacs_2019() -> None:
    at = run_page("la_profile.py", la="891")
    table = frame_with(at, "Ended", "Published", "Framework", "Overall effectiveness")
    table = table.assign(Published=table["Published"].astype(str))
    sif = table[(table["Framework"] == "SIF") & (table["Published"] == "2015-07-20")]
    assert sif["Overall effectiveness"].tolist() == ["Good"]
    ilacs = table[(table["Framework"] == "ILACS") & (table["Published"] == "2019-12-19")]
    assert len(ilacs) == 1
    row = ilacs.iloc[0]
    assert row["Overall effectiveness"] == "Good"
    assert row["Leadership / impact of leaders"] == "Good"
    assert row["Children who need help and protection"] == "Requires improvement"
    assert row["Children in care and care leavers (ILACS to 2022)"] == "Good"
    assert "Derbyshire" in texts(at.markdown)  # its rank-1 current neighbour
    assert at.query_params["la"] == "891"


def test_la_profile_follows_predecessors_and_flags_secondary_evidence() -> None:
    at = run_page("la_profile.py", la="839")  # BCP, from Bournemouth and Poole
    table = frame_with(at, "Local authority", "Evidence", "Framework")
    assert {"Bournemouth", "Poole"} <= set(table["Local authority"])
    assert table["Evidence"].str.contains("secondary").any()
    assert "secondary evidence" in texts(at.warning)
    assert "Formed on 1 April 2019 from" in texts(at.markdown)
    # Bournemouth's SIF report has no date, but seed 004's annex lists it by 31 October 2014
    sif = table[(table["Local authority"] == "Bournemouth") & (table["Framework"] == "SIF")]
    assert sif["Published by (undated)"].astype(str).tolist() == ["2014-10-31"]


def test_la_profile_bad_la_falls_back() -> None:
    at = run_page("la_profile.py", la="9999")
    assert "la='9999' is not one of the choices" in texts(at.info)
    assert at.query_params["la"] == "891"


# ---------------------------------------------------------------- SQL workbench


def test_workbench_runs_a_select_from_the_url() -> None:
    at = run_page("sql_workbench.py", q="SELECT count(*) AS n FROM local_authorities")
    result = frame_with(at, "n")
    assert int(result["n"].iloc[0]) == 158  # every LA since 2013, incl. the abolished five
    assert any(c.value.startswith("1 row × 1 columns in") for c in at.caption)
    assert [b.label for b in at.get("download_button")][:2] == ["CSV", "XLSX"]


def test_workbench_typed_query_goes_into_the_url_and_charts() -> None:
    at = run_page("sql_workbench.py")
    sql = ("SELECT grade, n FROM grade_distribution(DATE '2014-10-31', "
           "'overall_effectiveness', framework := 'SIF')")
    at.text_area(key="wb_sql").input(sql).run()
    assert not at.exception
    result = frame_with(at, "grade", "n")
    assert list(result["grade"]) == ["outstanding", "good", "requires_improvement",
                                     "inadequate"]
    # 32 LAs with a dated grade (see the module docstring; the paper says 0 / 9 / 18 / 6)
    assert list(result["n"]) == [0, 9, 17, 6]
    assert at.query_params["q"] == sql
    assert "**Chart**" in texts(at.markdown)


def test_workbench_refuses_a_drop_with_a_message() -> None:
    at = run_page("sql_workbench.py", q="DROP TABLE grades")
    message = texts(at.error)
    assert "Refused" in message and "DROP" in message and "read-only" in message
    # the table is still there
    at.text_area(key="wb_sql").input(
        "SELECT count(*) AS n FROM grades WHERE scale = 'four_point'").run()
    assert int(frame_with(at, "n")["n"].iloc[0]) == 5


def test_workbench_syntax_error_and_file_read_are_messages() -> None:
    at = run_page("sql_workbench.py", q="SELEC 1")
    assert "DuckDB could not run the query" in texts(at.error)
    assert "syntax error" in texts(at.code).lower()
    at = run_page("sql_workbench.py", q="SELECT * FROM read_csv('/etc/passwd')")
    assert "reading files or URLs is disabled" in texts(at.error)


def test_workbench_truncates_at_the_row_cap() -> None:
    at = run_page("sql_workbench.py", q="SELECT * FROM range(20000)")
    assert "truncated" in texts(at.warning)
    assert len(frame_with(at, "range")) == 10_000


def test_workbench_example_loads_into_the_editor() -> None:
    at = run_page("sql_workbench.py")
    label = "Cycle progress (SIF)"
    at.selectbox(key="wb_example").select(label).run()
    assert "cycle_progress('SIF'" in at.text_area(key="wb_sql").value
    progress = frame_with(at, "as_at", "n_inspected", "n_las", "pct_inspected")
    oct_2014 = progress[progress["as_at"].astype(str) == "2014-10-31"]
    assert int(oct_2014["n_inspected"].iloc[0]) == 33


def test_cycle_ilacs_whole_framework_never_shows_a_traceback() -> None:
    """ILACS counted from 2018 spans the 2019-2023 mergers, where the number of LAs inspected
    falls; the page shows the backtest or says why it cannot, never a traceback."""
    at = run_page("cycle.py", fw="ILACS", start="all", as_at="2019-06-30")
    value, _ = metric(at, "Inspected by 30 Jun 2019")
    assert value.endswith("of 151")  # 152 less Bournemouth, Poole, old Dorset; plus BCP, new Dorset
    assert "Every LA had a published ILACS inspection" in texts(at.markdown)
    has_backtest = any("error_months" in df.value.columns for df in at.dataframe)
    assert has_backtest or "backtest cannot be computed" in texts(at.warning)
