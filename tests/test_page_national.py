"""Streamlit AppTest of the National picture page against the built database: the numbers
shown, URL state and bad-link fallbacks.

The official distribution (36 / 67 / 31 / 19 of 153 as at 31 March 2025) is Ofsted's own
"LA inspection outcomes as at 31 March 2025" release, also held in data/curated/
reference_figures.csv; the page must reproduce it on the official-statistics basis
(inspections ended by 31 March 2025, reports published by the release's cut-off).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from etl.figures.chart import MIN_JUDGED_FOR_SHARE
from tests.conftest import (
    every_la_read,
    frame_with,
    metric,
    page_charts,
    plain,
    run_page,
    texts,
)

pytestmark = pytest.mark.usefixtures("page_db")
TIMEOUT = 60


def plain_text(at) -> str:
    """The page's markdown as a reader sees it."""
    return plain(texts(at.markdown))


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
    April-May do not count yet: fewer or different LAs are judged on the same date. On a
    release date the plain basis is asked for with the date itself as the cut-off (the
    default there is the release's)."""
    official = run_page("national.py", TIMEOUT, as_at="2025-03-31", published_by="2025-06-30")
    same_day = run_page("national.py", TIMEOUT, as_at="2025-03-31", published_by="2025-03-31")
    a = frame_with(official, "grade", "n").set_index("grade")["n"]
    b = frame_with(same_day, "grade", "n").set_index("grade")["n"]
    assert not a.equals(b)
    assert same_day.query_params["published_by"] == "2025-03-31"
    assert not same_day.checkbox[0].value  # the official-basis box is unticked
    # off a release date the plain basis is the default, and the link says nothing
    plain = run_page("national.py", TIMEOUT, as_at="2025-03-30")
    assert "published_by" not in plain.query_params


# ---------------------------------------------------------------- official figures by default


def _comparison(at) -> pd.DataFrame:
    """The table of the official basis beside the plain one (and Ofsted's published
    figures): one column per basis, counts as "36 (24%)", keyed by grade label."""
    tables = [t.value for t in at.table if any(str(c).startswith("Official basis")
                                               for c in t.value.columns)]
    assert tables, "no official-basis table on the page"
    return tables[0]


def _counts(column: pd.Series) -> dict[str, int]:
    return {g: int(v.split(" ")[0]) for g, v in column.items() if v != "–"}


def test_official_basis_by_default_on_a_release_date() -> None:
    """Issue 13, item 1: as at 31 March 2025, without ticking anything, the page counts on
    the release's basis (inspections by 31 March 2025, reports published by 30 June 2025, the
    cut-off the release states) and reproduces Ofsted's 36 / 67 / 31 / 19; the plain basis
    (reports published by 31 March 2025) is beside it, 33 / 67 / 34 / 19, and the page says
    which is which and that the official one matches the release."""
    at = run_page("national.py", TIMEOUT, as_at="2025-03-31")
    assert at.checkbox[0].label == "Ofsted's official statistics basis" and at.checkbox[0].value
    assert at.date_input[1].value == dt.date(2025, 6, 30)  # the release's cut-off, not today
    assert at.query_params["published_by"] == "2025-06-30"
    dist = frame_with(at, "grade", "n", "share", "n_las")
    assert dict(zip(dist["grade"], dist["n"].astype(int), strict=True)) == {
        "outstanding": 36, "good": 67, "requires_improvement": 31, "inadequate": 19}
    assert metric(at, "Good or better") == "103 (67%)"
    assert metric(at, "Requires improvement or inadequate") == "50 (33%)"
    assert metric(at, "Inadequate") == "19 (12%)"

    table = _comparison(at)
    official = table["Official basis (published by 30 June 2025)"]
    plain = table["Plain basis (published by 31 March 2025)"]
    published = table["Ofsted's published figures"]
    four = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert [_counts(official)[g] for g in four] == [36, 67, 31, 19]
    assert [_counts(published)[g] for g in four] == [36, 67, 31, 19]
    assert [_counts(plain)[g] for g in four] == [33, 67, 34, 19]
    assert _counts(official)["Requires improvement or inadequate"] == 50
    words = plain_text(at)
    assert "**Official basis** (how Ofsted counts)" in words
    assert "**Plain basis** (what was public on the day)" in words
    assert "published by 30 June 2025, the release's cut-off" in words
    assert "Local authority inspection outcomes as at 31 March 2025" in words
    assert ("The official basis matches Ofsted's published figures: 36 outstanding, 67 good, "
            "31 requires improvement and 19 inadequate.") in texts(at.success)


def test_a_release_whose_figures_differ_says_why_and_is_not_forced() -> None:
    """The 2023 release (as at 31 March 2023, reports published by 30 April 2023) published
    25 / 65 / 48 / 14; on its stated basis the collection gives 25 / 66 / 48 / 13 because the
    release counted South Tyneside, whose report came out on 10 May 2023 (its note 4). Both
    are shown, with the reason; counted as the release counts them, they agree."""
    at = run_page("national.py", TIMEOUT, as_at="2023-03-31")
    table = _comparison(at)
    four = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert [_counts(table["Ofsted's published figures"])[g] for g in four] == [25, 65, 48, 14]
    assert [_counts(table["Official basis (published by 30 April 2023)"])[g]
            for g in four] == [25, 66, 48, 13]
    note = texts(at.warning)
    assert "differs from Ofsted's published figures for good (66 computed, 65 published) and " \
        "inadequate (13 computed, 14 published)" in note
    assert "South Tyneside" in note
    assert "(South Tyneside with the later report), the figures are 25 / 65 / 48 / 14: the " \
        "same as published." in note


def test_release_dates_are_quick_choices() -> None:
    """The release dates are offered as quick choices: picking one from today's view moves the
    page to the release's basis; a date that is not a release's goes back to the plain one."""
    at = run_page("national.py", TIMEOUT)
    pills = next(p for p in at.pills if p.label == "Ofsted's official statistics dates")
    assert pills.options == ["31 March 2023", "31 March 2024", "31 March 2025"]
    assert pills.value is None
    pills.set_value(dt.date(2024, 3, 31)).run()
    assert not at.exception
    assert at.query_params["as_at"] == "2024-03-31"
    assert at.query_params["published_by"] == "2024-06-30"
    dist = frame_with(at, "grade", "n")
    # Ofsted's "as at 31 March 2024" release: 30 / 61 / 43 / 17
    assert dict(zip(dist["grade"], dist["n"].astype(int), strict=True)) == {
        "outstanding": 30, "good": 61, "requires_improvement": 43, "inadequate": 17}
    at.date_input[0].set_value(dt.date(2024, 4, 30)).run()
    assert not at.exception
    assert not at.checkbox[0].value and "published_by" not in at.query_params
    assert next(p for p in at.pills if p.label == pills.label).value is None


def test_official_basis_cut_off_elsewhere_is_not_today() -> None:
    """Off a release date, ticking the box starts from a cut-off as far after the date as the
    latest release's (31 March 2025 -> 30 June 2025: 91 days), not from today."""
    at = run_page("national.py", TIMEOUT, as_at="2020-03-31")
    assert not at.checkbox[0].value
    at.checkbox[0].check().run()
    assert not at.exception
    assert at.date_input[1].value == dt.date(2020, 6, 30)
    assert at.query_params["published_by"] == "2020-06-30"


def test_national_tables_are_for_people() -> None:
    """Issue 13, item 4: the data behind each chart is shown with labels, grades in words
    (the code hidden), shares as percentages and months as dates in words."""
    at = run_page("national.py", TIMEOUT, as_at="2025-03-31")
    config = {}
    for d in at.dataframe:
        config.update(json.loads(d.proto.columns))
    assert config["grade"] == {"hidden": True}
    assert config["grade_label"]["label"] == "Grade"
    assert config["n_judged"]["label"] == "LAs judged that month"  # the trend's, shown last
    assert config["share"]["type_config"]["format"] == "percent"
    assert config["as_at"]["type_config"]["format"] == "D MMMM YYYY"
    dist = frame_with(at, "grade", "grade_label")
    assert list(dist["grade_label"]) == ["Outstanding", "Good", "Requires improvement",
                                         "Inadequate"]


def test_national_trend_shows_the_count_behind_each_month() -> None:
    """Issue 13, item 9: ILACS began in January 2018, so its first months rest on one to a few
    LAs. Every month keeps its count (hover and data), the shares start once
    MIN_JUDGED_FOR_SHARE LAs had a judgement, and the months before are greyed and labelled."""
    at = run_page("national.py", TIMEOUT, as_at="2018-12-31", framework="ILACS")
    fig, table = next((f, t) for f, t in page_charts(at)
                      if f["layout"]["meta"]["kind"] == "national-trend")
    months = table.drop_duplicates("as_at").sort_values("as_at")
    first = months.iloc[0]
    assert 0 < int(first["n_judged"]) < MIN_JUDGED_FOR_SHARE and not bool(first["drawn"])
    assert bool(months.iloc[-1]["drawn"])
    assert (months.loc[months["drawn"].astype(bool), "n_judged"] >= MIN_JUDGED_FOR_SHARE).all()
    bands = [t for t in fig["data"] if t.get("stackgroup") == "grades"]
    first_drawn = pd.Timestamp(months.loc[months["drawn"].astype(bool), "as_at"].min())
    starts = [pd.Timestamp(min(t["x"])) for t in bands]
    assert min(starts) == first_drawn  # no band before the first month with enough LAs
    counts = next(t for t in fig["data"] if t.get("name") == "LAs with a judgement")
    assert len(counts["x"]) == len(months)
    assert "LAs with a judgement: %{customdata[0]}" in counts["hovertemplate"]
    notes = [a.get("text", "") for a in fig["layout"]["annotations"]]
    assert f"Fewer than<br>{MIN_JUDGED_FOR_SHARE} LAs<br>judged" in notes
    footer = next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "footer")
    assert f"at least {MIN_JUDGED_FOR_SHARE} LAs in England" in footer.replace("<br>", " ")


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


# ---------------------------------------------------------------- two tasks in one step


def test_the_inadequate_las_are_named_under_the_headline() -> None:
    """'Who is inadequate today' answered where the page opens: every LA the distribution
    counts as inadequate, by name, as many as the Inadequate metric says."""
    at = run_page("national.py", TIMEOUT, as_at="2025-03-31")
    n = int(metric(at, "Inadequate").split(" ")[0])
    line = next(m.value for m in at.markdown if m.value.startswith("**Inadequate on"))
    assert line.startswith("**Inadequate on 31 March 2025:**")
    lj = frame_with(at, "grade", "n")  # the distribution's table
    assert int(lj.set_index("grade").loc["inadequate", "n"]) == n
    # the names are the LAs the headline's query holds as inadequate, alphabetically
    from etl.warehouse import queries
    from etl.warehouse.db import open_readonly
    con = open_readonly()
    try:
        want = queries.run(con, "national/latest_judgements", as_at=dt.date(2025, 3, 31),
                           area="overall_effectiveness", framework=None,
                           published_by=dt.date(2025, 6, 30), which="latest",
                           include_secondary=True, superseded="not_current",
                           wording="at_the_time")
    finally:
        con.close()
    names = sorted(want.loc[want["grade"] == "inadequate", "la_name"])
    assert len(names) == n
    assert all(name in line for name in names)
    positions = [line.index(name) for name in names]
    assert positions == sorted(positions)


def test_a_region_from_the_link_is_compared_with_england() -> None:
    """'My region's share requiring improvement or inadequate' in one step: ?region=london
    puts London's counts beside England's at the top, the same numbers as the by-region
    chart's table."""
    at = run_page("national.py", TIMEOUT, as_at="2025-03-31", region="London")
    assert at.query_params["region"] == "london"
    by = frame_with(at, "group", "grade", "n")
    london = by[by["group"] == "London"].set_index("grade")["n"]
    england = by[by["group"] == "England"].set_index("grade")["n"]
    judged = int(london.sum())
    failing = int(london.reindex(["requires_improvement", "inadequate"]).fillna(0).sum())
    assert metric(at, "London: LAs with a judgement") == str(judged)
    labels = [m.label for m in at.metric]
    # the region's row follows England's: the second "Requires improvement or inadequate"
    values = [(m.value, m.delta) for m in at.metric
              if m.label == "Requires improvement or inadequate"]
    assert values[1][0] == f"{failing} ({round(100 * failing / judged)}%)"
    e_fail = england.reindex(["requires_improvement", "inadequate"]).fillna(0).sum()
    diff = round(100 * failing / judged) - round(100 * e_fail / england.sum())
    assert values[1][1] == f"{diff:+d} points against England"
    assert labels.count("Inadequate") == 2


def test_a_region_the_link_misspells_is_named_in_a_note() -> None:
    at = run_page("national.py", TIMEOUT, region="atlantis")
    notes = plain(texts(at.info))
    assert "region value “atlantis” is not a region of England" in notes
    assert "North East" in notes
    assert "region" not in at.query_params
    assert not any(m.label.endswith(": LAs with a judgement") for m in at.metric)


def test_a_date_before_sif_shows_the_official_record_since_2009() -> None:
    """The history since 2009 is on the page: as at 30 June 2011 the SLAC grades count, with
    adequate as its own category and among the shares that need improving, and the trend
    starts with the official record (August 2009) rather than refusing a date before SIF."""
    at = run_page("national.py", TIMEOUT, as_at="2011-06-30")
    assert not at.exception
    dist = frame_with(at, "grade", "n", "share").set_index("grade")["n"]
    # "requires improvement" came with the SIF (November 2013): not a grade with 0 LAs in 2011
    assert int(dist["adequate"]) > 0 and "requires_improvement" not in dist.index
    alt = next(m.value for m in at.markdown if m.value.startswith("**Alt text:** Bar chart"))
    assert "require" not in alt.replace("\\", "") and "are adequate or are inadequate" in \
        alt.replace("\\", "")
    judged = int(dist.sum())
    assert metric(at, "LAs with a published judgement") == f"{judged} of 152"
    failing = int(dist[["adequate", "inadequate"]].sum())
    assert metric(at, "Adequate, requires improvement or inadequate") == \
        f"{failing} ({round(100 * failing / judged)}%)"
    trend = next(t.value for t in at.dataframe if {"as_at", "grade"} <= set(t.value.columns))
    assert str(trend["as_at"].min())[:7] == "2009-08"
    assert str(trend["as_at"].max())[:10] == "2011-06-30"


def test_the_page_reads_the_rows_it_shows_not_every_la(queries_read) -> None:
    """Issue 14: the LAs whose grade rests on secondary evidence, the LAs without a judgement
    and a release counted as it counts are read for those LAs only, never every LA's row (at
    1000 times today's data that is 153,000 rows to hand over, 1.6 s). The page still lists
    the LAs without a judgement and counts the 2023 release as it counted."""
    at = run_page("national.py", TIMEOUT, as_at="2017-11-10", framework="SIF")
    judged, total = (int(x) for x in metric(at, "LAs with a published judgement").split(" of "))
    assert len(frame_with(at, "Local authority", "Region")) == total - judged == 6
    at = run_page("national.py", TIMEOUT, as_at="2023-03-31")
    assert "(South Tyneside with the later report), the figures are 25 / 65 / 48 / 14: the " \
        "same as published." in texts(at.warning)
    assert [name for name, _ in queries_read if name == "national/latest_judgements"] == []
    assert every_la_read(queries_read) == []
