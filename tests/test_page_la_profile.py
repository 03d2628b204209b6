"""Streamlit AppTest of the Local authority profile page.

Nottinghamshire (891): the SIF report published 20 July 2015 says "Children's services in
Nottinghamshire County Council are good" (ofsted-reports/80534_nottinghamshire); the ILACS
report published 19/12/19 grades overall good, leaders good, help and protection requires
improvement, children in care and care leavers good (ilacs-history; seed 001).
"""

from __future__ import annotations

import pytest

from tests.conftest import frame_with, plain, run_page, texts

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60


def test_la_profile_nottinghamshire_sif_2015_and_ilacs_2019() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="891")
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


def test_la_profile_follows_predecessors_with_each_inspections_source() -> None:
    """BCP (839) from Bournemouth and Poole: every inspection since 2009, each with its source.
    Ofsted's 2023 release now records the two SIF inspections that were known only from news
    pages (LA_inspections_2009-2023, predecessor table: Bournemouth's first SIF published
    30 June 2014, Poole's 24 November 2017, both requires improvement; their SLAC inspections
    of 8 April 2011 and 16 December 2011, both strands good): the release is the source, the
    news pages corroborate it, and nothing rests on secondary evidence alone."""
    at = run_page("la_profile.py", TIMEOUT, la="839")
    table = frame_with(at, "Local authority", "Evidence", "Framework", "Source")
    assert {"Bournemouth", "Poole"} <= set(table["Local authority"])
    assert {"SLAC", "SIF", "ILACS"} <= set(table["Framework"])
    assert not table["Evidence"].str.contains("secondary").any()
    assert "secondary evidence only" not in texts(at.warning)
    assert "Formed on 1 April 2019 from" in texts(at.markdown)
    sif = table[table["Framework"] == "SIF"].set_index("Local authority")
    assert sif.loc["Bournemouth", "Published"].isoformat() == "2014-06-30"
    assert sif.loc["Poole", "Published"].isoformat() == "2017-11-24"
    assert set(sif["Overall effectiveness"]) == {"Requires improvement"}
    for la in ("Bournemouth", "Poole"):
        assert sif.loc[la, "Source"].startswith("Children's social care data in England 2023")
        assert sif.loc[la, "Corroborated by"].startswith("secondary web evidence")
        assert sif.loc[la, "Link"].startswith("https://www.gov.uk/")
    slac = table[table["Framework"] == "SLAC"].set_index("Local authority")
    assert slac.loc["Poole", "Published"].isoformat() == "2011-12-16"
    assert slac.loc["Poole", "Overall effectiveness"] == \
        "Good (derived from its strands)"
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
    table = frame_with(at, "Framework", "Overall effectiveness", "Type")
    slac = table[table["Framework"] == "SLAC"]
    assert "Adequate (pre-2013 scale) (derived from its strands)" in set(slac["Overall effectiveness"])
    chart = frame_with(at, "date", "row", "grade", "framework")
    send = chart[chart["framework"] == "AREA_SEND"]
    assert len(send) >= 1 and send["grade"].isna().all()
    assert "adequate" in set(chart["grade"])
    assert "Area SEND outcome (own scale)" in table.columns


def test_la_profile_post_reform_inspection_has_no_overall_grade() -> None:
    """Liverpool's ILACS inspection of 11-22 May 2026 (published 7 July 2026) gives no overall
    grade: the profile says so, and shows it as that category on the timeline."""
    at = run_page("la_profile.py", TIMEOUT, la="341")
    table = frame_with(at, "Framework", "Overall effectiveness", "Published")
    latest = table[table["Published"].astype(str) == "2026-07-07"].iloc[0]
    assert latest["Overall effectiveness"] == \
        "No overall grade: inspected since the April 2026 change"
    assert latest["Leadership / impact of leaders"] == "Good"
    chart = frame_with(at, "date", "row", "grade", "framework")
    assert "no_overall_grade" in set(chart["grade"])


def test_la_profile_bad_la_falls_back() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="9999")
    assert "la value “9999” is not one of the choices" in plain(texts(at.info))
    assert at.query_params["la"] == "891"
