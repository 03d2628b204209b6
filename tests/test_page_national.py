"""Streamlit AppTest of the National picture page against the built database: the numbers
shown, URL state and bad-link fallbacks.

The official distribution (36 / 67 / 31 / 19 of 153 as at 31 March 2025) is Ofsted's own
"LA inspection outcomes as at 31 March 2025" release, also held in data/curated/
reference_figures.csv; the page must reproduce it on the official-statistics basis
(inspections ended by 31 March 2025, reports published by the release's cut-off).
"""

from __future__ import annotations

import pytest

from tests.conftest import frame_with, metric, page_charts, plain, run_page, texts

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60


def test_national_official_distribution_31_march_2025() -> None:
    at = run_page("national.py", TIMEOUT, as_at="2025-03-31", published_by="2025-06-30")
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
    official = run_page("national.py", TIMEOUT, as_at="2025-03-31", published_by="2025-06-30")
    same_day = run_page("national.py", TIMEOUT, as_at="2025-03-31")
    a = frame_with(official, "grade", "n").set_index("grade")["n"]
    b = frame_with(same_day, "grade", "n").set_index("grade")["n"]
    assert not a.equals(b)
    assert "published_by" not in same_day.query_params


def test_national_bad_url_falls_back_with_a_note() -> None:
    at = run_page("national.py", TIMEOUT, as_at="31/03/2025", area="nonsense", framework="XYZ")
    notes = plain(texts(at.info))
    assert "as_at value “31/03/2025” is not a date" in notes
    assert "area value “nonsense” is not one of the choices" in notes
    assert "framework value “XYZ”" in notes
    # and the page still draws the default view, with the URL repaired
    assert at.query_params["area"] == "overall_effectiveness"
    assert at.query_params["framework"] == "any"
    frame_with(at, "grade", "n", "share")


def test_national_lists_las_without_a_judgement() -> None:
    # ILACS began in January 2018: by 30 June 2018 only a few LAs had a published ILACS
    # judgement, so most are listed as without one, and the count says so.
    at = run_page("national.py", TIMEOUT, as_at="2018-06-30", framework="ILACS")
    shown = metric(at, "LAs with a published judgement")
    judged, total = (int(x) for x in shown.split(" of "))
    assert 0 < judged < 30 and total >= 150
    missing = frame_with(at, "Local authority", "Region")
    assert len(missing) == total - judged


def test_national_secondary_evidence_only_corroborates_once_ofsted_records_the_grade() -> None:
    """As at 10 Nov 2017 (seed 000) old Dorset's, Northamptonshire's and Cumbria's SIF grades
    were once known only from news and council pages (../shared/data/secondary). Ofsted's 2023
    release (LA_inspections_2009-2023: Dorset's first SIF published 23 May 2016,
    Northamptonshire's 27 April 2016, Cumbria's 13 May 2015) now records them, so no grade
    rests on secondary evidence alone and leaving it out changes nothing. 146 of 152: the six
    LAs without one are those whose first SIF report came after the date (the release: Camden,
    Poole, Shropshire, South Tyneside 24 Nov 2017; Blackburn with Darwen, Richmond upon Thames
    8 Dec 2017)."""
    at = run_page("national.py", TIMEOUT, as_at="2017-11-10", framework="SIF")
    notes = " ".join(c.value for c in at.caption)
    assert "secondary evidence only" not in notes
    assert at.metric[0].value == "146 of 152"
    missing = frame_with(at, "Local authority", "Region")
    assert set(missing["Local authority"]) == {
        "Blackburn with Darwen", "Camden", "Poole", "Richmond upon Thames", "Shropshire",
        "South Tyneside"}
    at = run_page("national.py", TIMEOUT, as_at="2017-11-10", framework="SIF", secondary="exclude")
    assert at.metric[0].value == "146 of 152"


# ---------------------------------------------------------------- one count of LAs everywhere

DATES = ("2014-10-31", "2017-11-10", "2025-03-31")
COMBINATIONS = [(d, fw, which, secondary) for d in DATES for fw in ("any", "SIF", "ILACS")
                for which in ("latest", "first") for secondary in ("include", "exclude")]


def _chart(at, kind: str):
    found = [(fig, table) for fig, table in page_charts(at)
             if fig["layout"]["meta"].get("kind") == kind]
    return found[0] if found else (None, None)


def _group_counts(table) -> tuple[int, int]:
    """(LAs in the England bar, LAs in the other bars together)."""
    england = table["group"] == "England"
    return int(table.loc[england, "n"].sum()), int(table.loc[~england, "n"].sum())


@pytest.mark.parametrize(("as_at", "framework", "which", "secondary"), COMBINATIONS)
def test_headline_and_every_breakdown_count_the_same_las(as_at, framework, which,
                                                         secondary) -> None:
    """The headline "N of M", the distribution chart, the by-region and by-LA-type charts and
    the list of LAs without a judgement all count the same LAs, whatever the options."""
    params = {"as_at": as_at, "framework": framework, "which": which}
    if secondary == "exclude":
        params["secondary"] = "exclude"
    at = run_page("national.py", TIMEOUT, **params)
    judged, total = (int(x) for x in metric(at, "LAs with a published judgement").split(" of "))
    if (as_at, framework) == ("2017-11-10", "SIF"):
        # seed 000's date: Ofsted's 2023 release backs every SIF grade the collection holds
        # (none rests on secondary evidence alone any more), so leaving it out changes nothing
        assert judged == 146

    fig, dist = _chart(at, "national")
    if judged == 0:
        assert fig is None and _chart(at, "national-by-group")[0] is None
    else:
        assert int(dist["n"].sum()) == judged
        assert set(dist["n_judged"]) == {judged} and set(dist["n_las"]) == {total}
        assert f"{judged} of {total} LAs" in fig["layout"]["title"]["subtitle"]["text"]
        for group in ("region", "la_type"):
            if group == "la_type":
                at.session_state["nat_group"] = "la_type"
                at.run()
                assert not at.exception
            fig, by = _chart(at, "national-by-group")
            assert fig["layout"]["meta"]["params"]["group_by"] == group
            assert _group_counts(by) == (judged, judged), group

    if judged == total:
        assert f"Every one of the {total} LAs" in texts(at.success)
    else:
        missing = frame_with(at, "Local authority", "Region", "LA type")
        assert len(missing) == total - judged
