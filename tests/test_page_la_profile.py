"""Streamlit AppTest of the Local authority profile page.

Nottinghamshire (891): the SIF report published 20 July 2015 says "Children's services in
Nottinghamshire County Council are good" (ofsted-reports/80534_nottinghamshire); the ILACS
report published 19/12/19 grades overall good, leaders good, help and protection requires
improvement, children in care and care leavers good (ilacs-history; seed 001).

Kent (886): its latest ILACS inspection, a short inspection of 3-7 November 2025 published
2 February 2026, graded it good (ofsted-reports); ILACS's rule of thumb puts the next about
three years after the last ended: 7 November 2028. Nottingham (892): a standard inspection
ended 22 July 2022, judged inadequate, and none since in the collection: past the rule.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import (
    every_la_read,
    frame_with,
    metric_delta,
    plain,
    run_page,
    shown_columns,
    texts,
)

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60


def _timeline(at):
    return frame_with(at, "Inspected", "Published", "Inspection", "Overall effectiveness")


def test_la_profile_nottinghamshire_sif_2015_and_ilacs_2019() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="891")
    table = _timeline(at)
    sif = table[table["Inspection"].str.startswith("SIF")
                & (table["Published"] == "20 July 2015")]
    assert sif["Overall effectiveness"].tolist() == ["Good"]
    ilacs = table[table["Inspection"].str.startswith("ILACS")
                  & (table["Published"] == "19 December 2019")]
    assert len(ilacs) == 1
    row = ilacs.iloc[0]
    assert row["Overall effectiveness"] == "Good"
    others = row["Other judgements"]
    assert "Leadership / impact of leaders: good" in others
    assert "Children who need help and protection: requires improvement" in others
    assert "Children in care and care leavers (ILACS to 2022): good" in others
    assert "Derbyshire" in texts(at.markdown)  # its rank-1 current neighbour
    assert at.query_params["la"] == "891"


def test_la_profile_timeline_is_a_table_for_people() -> None:
    """Dates written out, grades and inspections in words, each source a link, and few enough
    columns (their cells wrap) to fit a 1440 px screen with no sideways scrolling; the
    chart's data under it shows labels, not column names."""
    at = run_page("la_profile.py", TIMEOUT, la="891")
    assert not any({"Started", "Ended", "Framework", "Type", "Link"} & set(df.value.columns)
                   for df in at.dataframe)  # the old wide grid is gone
    table = _timeline(at)
    assert len(table.columns) <= 8
    assert table["Published"].str.fullmatch(r"(\d{1,2} [A-Z][a-z]+ \d{4})?|by .*").all()
    assert not table.isin(["None", "nan", "NaT"]).any().any()
    assert table["Source"].str.contains(r"\]\(https://", regex=True).any()
    chart = next(df for df in at.dataframe if "row" in df.value.columns)
    headings = shown_columns(chart)
    assert "Inspection" in headings and "la_code" not in headings
    assert not [h for h in headings if "_" in h], headings


def test_la_profile_follows_predecessors_with_each_inspections_source() -> None:
    """BCP (839) from Bournemouth and Poole: every inspection since 2009, each with its source.
    Ofsted's 2023 release now records the two SIF inspections that were known only from news
    pages (LA_inspections_2009-2023, predecessor table: Bournemouth's first SIF published
    30 June 2014, Poole's 24 November 2017, both requires improvement; their SLAC inspections
    of 8 April 2011 and 16 December 2011, both strands good): the release is the source, the
    news pages corroborate it, and nothing rests on secondary evidence alone."""
    at = run_page("la_profile.py", TIMEOUT, la="839")
    table = _timeline(at)
    assert {"Bournemouth", "Poole"} <= set(table["Predecessor"])
    assert {"SLAC", "SIF", "ILACS"} <= {i.split()[0] for i in table["Inspection"]}
    if "Evidence" in table.columns:
        assert not table["Evidence"].str.contains("econdary").any()
    assert "secondary evidence only" not in texts(at.warning)
    assert "Formed on 1 April 2019 from" in texts(at.markdown)
    sif = table[table["Inspection"].str.startswith("SIF")].set_index("Predecessor")
    assert sif.loc["Bournemouth", "Published"] == "30 June 2014"
    assert sif.loc["Poole", "Published"] == "24 November 2017"
    assert set(sif["Overall effectiveness"]) == {"Requires improvement"}
    for la in ("Bournemouth", "Poole"):
        source = plain(sif.loc[la, "Source"])
        assert source.startswith("[Children's social care data in England 2023")
        assert "](https://www.gov.uk/" in source
        assert "corroborated by news or council web pages" in source
    slac = table[table["Inspection"].str.startswith("SLAC")].set_index("Predecessor")
    assert slac.loc["Poole", "Published"] == "16 December 2011"
    assert slac.loc["Poole", "Overall effectiveness"] == "Good (derived from its strands)"
    assert "corroborate" in texts(at.caption)
    # the chart places every one of them, predecessors included, from 2011
    chart = frame_with(at, "date", "row", "grade", "la_name")
    assert {"Bournemouth", "Poole"} <= set(chart["la_name"])
    assert str(min(chart["date"]))[:4] == "2011"


def test_la_profile_since_2009_with_adequate_and_area_send_apart() -> None:
    """Nottinghamshire: SLAC 2010 (derived overall inadequate) and its 2011 re-inspection
    (adequate, the pre-2013 scale's grade) in the 2023 release; an area SEND inspection
    (outcome on its own scale, never a four-point marker)."""
    at = run_page("la_profile.py", TIMEOUT, la="891")
    table = _timeline(at)
    slac = table[table["Inspection"].str.startswith("SLAC")]
    assert "Adequate (pre-2013 scale) (derived from its strands)" in \
        set(slac["Overall effectiveness"])
    chart = frame_with(at, "date", "row", "grade", "framework")
    send = chart[chart["framework"] == "AREA_SEND"]
    assert len(send) >= 1 and send["grade"].isna().all()
    assert "adequate" in set(chart["grade"])
    assert "Area SEND outcome (own scale)" in table.columns


def test_la_profile_post_reform_inspection_has_no_overall_grade() -> None:
    """Liverpool's ILACS inspection of 11-22 May 2026 (published 7 July 2026) gives no overall
    grade: the profile says so, and shows it as that category on the timeline."""
    at = run_page("la_profile.py", TIMEOUT, la="341")
    table = _timeline(at)
    latest = table[table["Published"] == "7 July 2026"].iloc[0]
    assert latest["Overall effectiveness"] == \
        "No overall grade: inspected since the April 2026 change"
    assert "Leadership / impact of leaders: good" in latest["Other judgements"]
    chart = frame_with(at, "date", "row", "grade", "framework")
    assert "no_overall_grade" in set(chart["grade"])


@pytest.mark.parametrize("given", ["kent", "Kent", "886", "Kent County Council"])
def test_a_link_names_the_la_by_name_or_code(given: str) -> None:
    at = run_page("la_profile.py", TIMEOUT, la=given)
    assert at.header[0].value == "Kent"
    assert not at.info  # no note: the link was understood
    assert at.query_params["la"] == "886"  # the link now holds the code


def test_a_link_to_nottinghamshire_by_name() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="nottinghamshire")
    assert at.header[0].value == "Nottinghamshire" and at.query_params["la"] == "891"


def test_a_misspelt_la_suggests_the_nearest_names() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="kentt")
    note = plain(texts(at.info))
    assert "la value “kentt” names no local authority we know" in note
    assert "Did you mean Kent" in note
    assert "Showing Nottinghamshire." in note and "891" not in note  # the LA, not its code
    assert at.header[0].value == "Nottinghamshire"
    # a start of a name is enough to be pointed at it
    note = plain(texts(run_page("la_profile.py", TIMEOUT, la="nott").info))
    assert "Did you mean" in note and "Nottinghamshire" in note and "Nottingham" in note


def test_la_profile_bad_la_falls_back() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="9999")
    note = plain(texts(at.info))
    assert "la value “9999” names no local authority we know" in note
    assert "Type a name (e.g. Kent) or a DfE code (e.g. 886)" in note
    assert at.query_params["la"] == "891"


def test_la_profile_says_when_the_la_is_next_due_and_why() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="kent")
    due, _ = metric_delta(at, "Next ILACS inspection due (about)")
    assert due == "7 November 2028"
    last, kind = metric_delta(at, "Last ILACS inspection ended")
    assert (last, kind) == ("7 November 2025", "Short inspection")
    rule = plain(texts(at.caption))
    assert "the next ILACS standard or short inspection falls about three years after the " \
           "last one ended" in rule
    assert ("Kent's last ILACS inspection, a short inspection, ended 7 November 2025 (overall "
            "good), so the next is due about 7 November 2028: a short inspection") in rule
    # it comes before the inspections, where a reader looks first
    headings = [h.value for h in at.subheader]
    assert headings.index("Next ILACS inspection") < headings.index("Inspections and visits")


def test_la_profile_flags_an_la_past_the_rule() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="892")
    due, when = metric_delta(at, "Next ILACS inspection due (about)")
    assert due == "22 July 2025" and when.startswith("overdue on this rule by 1 year")
    assert "Ofsted monitors an LA judged inadequate" in plain(texts(at.caption))


def test_la_profile_shows_no_collection_numbers_for_papers() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="891")
    shown = " ".join(texts(getattr(at, kind)) for kind in ("markdown", "caption", "info"))
    assert not re.search(r"\bseeds? \d{3}", shown)


def test_la_profile_reads_its_neighbours_grades_not_every_la(queries_read) -> None:
    """Issue 14: the neighbours' grades and the LA's next-due date are read for those LAs, not
    from every LA's row (at 1000 times today's LAs, 153,000 rows each: over a second), and
    the timeline its table and its chart show is read once. The grades shown are every LA's
    list's, as before."""
    import pandas as pd

    from etl import DEFAULT_DB
    from etl.figures.style import grade_label
    from etl.warehouse import queries
    from etl.warehouse.db import open_readonly

    at = run_page("la_profile.py", TIMEOUT, la="891")
    names = [name for name, _ in queries_read]
    assert "national/latest_judgements" not in names and "cycle/ilacs_next_due" not in names
    # every LA's code and name once, for the choice of LA; its other facts from its own row
    assert every_la_read(queries_read, allowed=("la/names", "la/identifiers")) == []
    assert names.count("la/names") == 1 and "la/local_authorities" not in names
    assert names.count("la/timeline") == 1
    con = open_readonly(DEFAULT_DB, build_if_missing=False)
    try:
        every = queries.run(con, "national/latest_judgements", area="overall_effectiveness",
                            as_at=dt.date.today(), framework=None, published_by=None,
                            which="latest", include_secondary=True, superseded="not_current",
                            wording="at_the_time").set_index("la_code")
    finally:
        con.close()
    lines = [line for block in texts(at.markdown).split("\n")
             for line in [block.strip()] if re.match(r"\d+\. \[", line)]
    graded = 0
    for line in lines:
        code = re.search(r"\(/la\?la=([^)]+)\)", line).group(1)
        row = every.loc[code] if code in every.index else None
        if row is not None and isinstance(row["grade"], str) and row["grade"] in (
                "outstanding", "good", "requires_improvement", "inadequate"):
            assert line.endswith(f" — {grade_label(row['grade']).lower()} "
                                 f"({pd.Timestamp(row['published_date']):%B %Y})"), line
            graded += 1
    assert graded >= 10  # Nottinghamshire's neighbours, in both sets of the model
