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


def test_la_profile_follows_predecessors_and_flags_secondary_evidence() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="839")  # BCP, from Bournemouth and Poole
    table = frame_with(at, "Local authority", "Evidence", "Framework")
    assert {"Bournemouth", "Poole"} <= set(table["Local authority"])
    assert table["Evidence"].str.contains("secondary").any()
    assert "secondary evidence" in texts(at.warning)
    assert "Formed on 1 April 2019 from" in texts(at.markdown)
    # Bournemouth's SIF report has no date, but seed 004's annex lists it by 31 October 2014
    sif = table[(table["Local authority"] == "Bournemouth") & (table["Framework"] == "SIF")]
    assert sif["Published by (undated)"].astype(str).tolist() == ["2014-10-31"]


def test_la_profile_bad_la_falls_back() -> None:
    at = run_page("la_profile.py", TIMEOUT, la="9999")
    assert "la value “9999” is not one of the choices" in plain(texts(at.info))
    assert at.query_params["la"] == "891"
