"""Streamlit AppTest of the Statistical neighbours page against the built database: the
numbers shown, URL state, bad-link fallbacks and empty states.

Numbers checked by hand against ../shared/data:
- Leicestershire (855): current neighbours "916, 803, 937, 802, 850, 865, 933, 938, 811, 891"
  and previous "823, 895, 881, 850, 802, 803, 860, 937, 938, 885" in
  la-lookup/Provider_data_lookup.csv; its ILACS report of 12 July 2024 grades it outstanding
  overall (ilacs-history/ofsted_csc_ilacs_history.csv).
- DfE's models (statistical-neighbours/): the 2025 model (sn_model_2025_wide.csv) gives the
  current set in the same order, every one "Very close"; the April 2021 groupings give the
  previous set's neighbours in another order, "803, 937, 823, 885, 850, 881, 938, 802, 860,
  895", 803 (South Gloucestershire) "Extremely Close", the rest "Very Close".
"""

from __future__ import annotations

import pytest

from tests.conftest import every_la_read, frame_with, plain, run_page, shown_columns, texts

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60

LEICS_CURRENT = ["Gloucestershire", "South Gloucestershire", "Warwickshire", "North Somerset",
                 "Hampshire", "Wiltshire", "Somerset", "West Sussex", "East Riding of Yorkshire",
                 "Nottinghamshire"]
LEICS_PREVIOUS = ["Central Bedfordshire", "Cheshire East", "Essex", "Hampshire",
                  "North Somerset", "South Gloucestershire", "Staffordshire", "Warwickshire",
                  "West Sussex", "Worcestershire"]
LEICS_2021 = ["South Gloucestershire", "Warwickshire", "Central Bedfordshire", "Worcestershire",
              "Hampshire", "Essex", "West Sussex", "North Somerset", "Staffordshire",
              "Cheshire East"]


def test_neighbours_leicestershire_set_in_force() -> None:
    """By default the set in force on the date: the 2025 model at the end of 2025 (the
    lookup's current set, in the same order), with its closeness bands."""
    at = run_page("neighbours.py", TIMEOUT, la="855", as_at="2025-12-31")
    table = frame_with(at, "Rank", "Local authority", "Inspection", "Published")
    assert list(table["Local authority"]) == ["Leicestershire", *LEICS_CURRENT]
    assert list(table["Rank"]) == ["LA", *[str(i) for i in range(1, 11)]]
    assert set(table["Closeness"].iloc[1:]) == {"Very close"}
    leics = table.iloc[0]
    assert leics["Inspection"] == "ILACS standard inspection"
    assert leics["Published"] == "12 July 2024"
    assert leics["Overall effectiveness"] == "Outstanding"
    said = texts(at.markdown)
    assert "DfE 2025 model, in force on 31 December 2025 (the lookup's current set)" in said
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
    assert at.query_params["vintage"] == "in_force"
    assert at.query_params["as_at"] == "2025-12-31"
    # the chart says which set too
    assert chart["vintage_used"].unique().tolist() == ["2025"]


def test_neighbours_2021_model_in_force_before_2025() -> None:
    at = run_page("neighbours.py", TIMEOUT, la="855", as_at="2023-06-30")
    table = frame_with(at, "Rank", "Local authority", "Closeness")
    assert list(table["Local authority"]) == ["Leicestershire", *LEICS_2021]
    assert table["Closeness"].iloc[1] == "Extremely close"
    assert "DfE 2021 model, in force on 30 June 2023 (the lookup's previous set)" in \
        texts(at.markdown)


def test_neighbours_previous_vintage_is_named() -> None:
    at = run_page("neighbours.py", TIMEOUT, la="855", vintage="previous", as_at="2025-12-31")
    table = frame_with(at, "Rank", "Local authority")
    assert list(table["Local authority"]) == ["Leicestershire", *LEICS_PREVIOUS]
    assert "previous DfE set (the lookup's; by comparison the 2021 model)" in texts(at.markdown)
    at = run_page("neighbours.py", TIMEOUT, la="855", vintage="current", as_at="2025-12-31")
    assert "current DfE set (the lookup's; by comparison the 2025 model)" in texts(at.markdown)


def test_neighbours_bad_url_params_fall_back_with_notes() -> None:
    at = run_page("neighbours.py", TIMEOUT, la="XYZ", as_at="not-a-date", vintage="2009")
    notes = plain(texts(at.info))
    assert "la value “XYZ” names no local authority we know" in notes
    assert "Showing Leicestershire." in notes
    assert "as_at value “not-a-date” is not a date" in notes
    assert "vintage value “2009” is not one of the choices; showing “in_force”" in notes
    assert frame_with(at, "Rank", "Local authority")["Local authority"].iloc[0] == \
        "Leicestershire"
    assert at.query_params["la"] == "855"  # the URL now says what is shown


def test_neighbours_empty_state_before_the_la_existed() -> None:
    # Bournemouth, Christchurch and Poole was created on 1 April 2019.
    at = run_page("neighbours.py", TIMEOUT, la="839", as_at="2016-01-01")
    assert "did not exist on 1 January 2016" in texts(at.info)


def test_neighbours_link_names_the_la() -> None:
    """`?la=` takes a name as well as a code; a misspelt one suggests the nearest names."""
    at = run_page("neighbours.py", TIMEOUT, la="nottinghamshire", as_at="2025-12-31")
    assert frame_with(at, "Rank", "Local authority")["Local authority"].iloc[0] == \
        "Nottinghamshire"
    assert at.query_params["la"] == "891" and not at.info
    at = run_page("neighbours.py", TIMEOUT, la="kentt", as_at="2025-12-31")
    note = plain(texts(at.info))
    assert "Did you mean Kent" in note and "Showing Leicestershire." in note


def test_neighbours_tables_are_for_people() -> None:
    """The grades table wraps (an st.table: eleven LAs' grades fit a 1440 px screen), dates
    written out, no raw codes; the charts' data show labels and percentages."""
    at = run_page("neighbours.py", TIMEOUT, la="855", as_at="2025-12-31")
    grades = at.table[0].value
    assert list(grades.columns[:5]) == ["Rank", "Local authority", "Closeness", "Inspection",
                                        "Published"]
    assert not [c for c in grades.columns if "_" in c]
    assert not grades.isin(["None", "nan", "NaT"]).any().any()
    assert grades["Report"].str.startswith("[report](https://").all()
    charts = {tuple(df.value.columns): shown_columns(df) for df in at.dataframe}
    comparison = charts[("group", "grade", "n", "share")]
    assert list(comparison) == ["Group", "Grade", "LAs", "Share of the group's graded LAs"]
    assert comparison["Share of the group's graded LAs"]["type_config"]["format"] == "percent"
    for headings in charts.values():
        assert not [h for h in headings if "_" in h], headings
        assert "la_code" not in headings


def test_neighbours_before_sif_show_the_slac_grades_the_figures_count() -> None:
    """As at 30 June 2011 Kent's latest inspection is its SLAC inspection published 19 November
    2010 (safeguarding inadequate, looked-after children inadequate, in the 2023 underlying
    data ODS): SLAC gave no overall grade, so the overall column shows the derived one the
    chart counts (the worse strand), beside a Safeguarding column. West Northamptonshire, in
    the 2021 set, was created in April 2021: it did not exist yet, and a row with no
    inspection has no report link."""
    at = run_page("neighbours.py", TIMEOUT, la="kent", as_at="2011-06-30")
    grades = at.table[0].value.set_index("Local authority")
    assert grades.loc["Kent", "Inspection"] == "SLAC inspection"
    assert grades.loc["Kent", "Overall effectiveness"] == "Inadequate"
    assert grades.loc["Kent", "Safeguarding (SLAC)"] == "Inadequate"
    chart = frame_with(at, "la_code", "rank", "grade").set_index("la_name")
    for la in grades.index:
        if la in chart.index and isinstance(chart.loc[la, "grade"], str):
            assert grades.loc[la, "Overall effectiveness"].lower().startswith(
                chart.loc[la, "grade"].replace("_", " ")), la
    assert grades.loc["West Northamptonshire", "Inspection"] == "Did not exist yet"
    unlinked = grades[grades["Published"] == ""]
    assert len(unlinked) and (unlinked["Report"] == "").all()
    notes = plain(texts(at.caption))
    assert "SLAC inspections (2009–2012) gave no overall grade" in notes
    assert "Did not exist yet on the date" in notes and "West Northamptonshire" in notes


def test_the_charts_read_the_la_they_name_not_every_la(queries_read) -> None:
    """Issue 14: each chart's title names the LA from its own row, not from every LA's list
    (read once, for the choice of LA; every LA's names once more to resolve the LA the link
    names); the hex map is the one figure that shows every LA."""
    run_page("neighbours.py", TIMEOUT, la="855")
    names = [name for name, _ in queries_read]
    assert names.count("la/names") <= 1 and "la/local_authorities" not in names
    assert every_la_read(queries_read, allowed=(
        "la/names", "la/identifiers", "neighbours/hexmap",
        "neighbours/hexmap_grades")) == []
