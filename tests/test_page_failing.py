"""Streamlit AppTest of the Failing page ("Requires improvement or inadequate"): the basis
switch, the list of LAs so judged, what the page calls them, the early months' counts, URL
state and bad-link fallbacks."""

from __future__ import annotations

import base64

import numpy as np
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
RI_OR_INADEQUATE = "Requires improvement or inadequate"


def values(array: object) -> list[float]:
    """A plotly array from the page's figure JSON (plotly encodes numeric arrays as base64)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return [float("nan") if v is None else v for v in array]


def test_failing_basis_switch_changes_the_numbers() -> None:
    overall = run_page("failing.py", TIMEOUT, as_at="2025-03-31", basis="overall_effectiveness")
    practice = run_page("failing.py", TIMEOUT, as_at="2025-03-31", basis="any_practice")
    assert metric(overall, RI_OR_INADEQUATE) != metric(practice, RI_OR_INADEQUATE)
    # overall effectiveness as at 31 March 2025 (published by then): RI + inadequate
    n_failing = int(metric(overall, RI_OR_INADEQUATE).split(" of ")[0])
    assert 40 <= n_failing <= 55
    # the list has that many rows, each linking to its LA profile
    table = frame_with(overall, "Local authority", "Profile")
    assert len(table) == n_failing
    assert table["Profile"].str.fullmatch(r"/la\?la=\d{3}").all()
    assert overall.query_params["basis"] == "overall_effectiveness"


def test_failing_basis_radio_updates_numbers_and_url() -> None:
    at = run_page("failing.py", TIMEOUT, as_at="2025-03-31")
    before = metric(at, RI_OR_INADEQUATE)
    basis = next(r for r in at.radio if r.label == "Basis")
    basis.set_value("leadership").run()
    assert not at.exception
    assert at.query_params["basis"] == "leadership"
    assert metric(at, RI_OR_INADEQUATE) != before
    chart_data = frame_with(at, "month", "geography", "share_failing")
    assert chart_data["month"].max() == pd.Timestamp("2025-03-31")
    # a share is drawn only where enough LAs had a judgement; the rest keep their counts
    drawn = chart_data["drawn"].astype(bool)
    assert (chart_data.loc[drawn, "n_judged"] >= MIN_JUDGED_FOR_SHARE).all()
    assert (chart_data.loc[~drawn, "n_judged"] < MIN_JUDGED_FOR_SHARE).all()


def test_failing_says_requires_improvement_or_inadequate_with_inadequate_beside_it() -> None:
    """Issue 13, item 2: the title, the headline numbers, the chart titles and the exports
    name the grades; inadequate alone is shown next to them; "failing" is left to the
    explanation. As at 31 March 2025 (reports published by then): 34 requires improvement and
    19 inadequate of 153."""
    at = run_page("failing.py", TIMEOUT, as_at="2025-03-31")
    assert at.title[0].value == "Requires improvement or inadequate"
    labels = [m.label for m in at.metric]
    assert labels[:3] == [RI_OR_INADEQUATE, "Inadequate", "Good or better"]
    assert metric(at, RI_OR_INADEQUATE) == "53 of 153 (35%)"
    assert metric(at, "Inadequate") == "19 of 153 (12%)"
    assert not any("failing" in label.lower() for label in labels)
    # "failing" only in the explanation (the seed papers' word), never in a heading
    headings = [h.value for h in (*at.title, *at.header, *at.subheader)]
    assert not any("failing" in h.lower() for h in headings), headings
    assert "call these LAs *failing*" in texts(at.markdown)
    titles = [fig["layout"]["title"]["text"] for fig, _ in page_charts(at)]
    assert titles[0] == "<b>Share of LAs judged requires improvement or inadequate</b>"
    assert not any("failing" in t.lower() for t in titles)
    # the share chart draws England's inadequate alone beside it
    fig, table = page_charts(at)[0]
    inadequate = next(t for t in fig["data"] if t.get("name") == "England, inadequate alone")
    assert values(inadequate["y"])[-1] == pytest.approx(19 / 153)
    assert {"n_inadequate", "share_inadequate"} <= set(table.columns)
    # the downloads are named for what they hold (a chart's files are named by its key:
    # requires-improvement-or-inadequate.csv, .xlsx, .png ...)
    keys = [b.proto.id for b in at.get("download_button")]
    assert any(k.endswith("-csv-requires-improvement-or-inadequate") for k in keys), keys
    assert any(k.endswith("-csv-ri-or-inadequate-las") for k in keys), keys
    assert not any("failing" in k for k in keys), keys


def test_failing_metrics_are_short_enough_not_to_be_cut() -> None:
    """At 1440 px the old page cut "Failing now (requires improvement …" and "35 of 142 (25…":
    now at most three metrics share a row, their labels short, the rest in help text."""
    at = run_page("failing.py", TIMEOUT, as_at="2026-11-30")
    for m in at.metric:
        assert len(m.label) <= 45, m.label
        assert len(m.value) <= 16, m.value
    # the headline's rows: the three shares, then the base and the LAs with no overall grade
    # (five metrics in one row of the old page cut them short)
    rows = [[col for col in block.children.values()
             if any(getattr(el, "type", None) == "metric"
                    for el in getattr(col, "children", {}).values())]
            for block in at.main.children.values()
            if getattr(block, "type", None) == "flex_container"]
    rows = [r for r in rows if r]
    assert [len(r) for r in rows] == [3, 2]
    assert [m.label for m in at.metric][3:] == ["LAs with a judgement on this basis",
                                                "No overall grade (since April 2026)"]


def test_failing_early_months_keep_their_counts_and_are_not_drawn() -> None:
    """Issue 13, item 9: on the impact of leaders from November 2013 only a handful of LAs had
    a judgement (four in England); the old chart could show their share as the country's.
    Every month keeps its count in the data table and the hover; a share is drawn only from
    MIN_JUDGED_FOR_SHARE judged LAs, and the greyed months say so."""
    at = run_page("failing.py", TIMEOUT, basis="leadership", as_at="2015-06-30")
    fig, table = page_charts(at)[0]
    england = table[table["geography"] == "England"].sort_values("month")
    first = england.iloc[0]
    assert pd.Timestamp(first["month"]) == pd.Timestamp("2013-11-30")
    assert 0 < int(first["n_judged"]) < MIN_JUDGED_FOR_SHARE and not bool(first["drawn"])
    assert england["drawn"].astype(bool).any()
    # an area-month with no judged LA has no share and no row (the table shows no "None")
    assert (table["n_judged"] > 0).all()
    assert not table[["share_failing", "share_inadequate"]].isna().any().any()
    line = next(t for t in fig["data"] if t.get("name") == "England")
    ys = dict(zip(pd.to_datetime(line["x"]), values(line["y"]), strict=True))
    assert np.isnan(ys[pd.Timestamp("2013-11-30")])  # not drawn
    assert not np.isnan(ys[pd.Timestamp("2015-06-30")])
    # hovering the greyed months gives their count
    greyed = next(t for t in fig["data"] if t.get("name") == "England (too few LAs judged)")
    assert "LAs judged" in greyed["hovertemplate"]
    assert f"Fewer than {MIN_JUDGED_FOR_SHARE}<br>LAs judged" in [
        a.get("text") for a in fig["layout"]["annotations"]]
    footer = next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "footer")
    assert f"at least {MIN_JUDGED_FOR_SHARE} LAs" in footer.replace("<br>", " ")
    # and every line's hover names the count behind the share
    assert "LAs judged" in line["hovertemplate"]


def test_failing_table_is_for_people() -> None:
    """Issue 13, item 4: labels not column names, dates "31 March 2025", no None."""
    at = run_page("failing.py", TIMEOUT, as_at="2025-03-31")
    table = frame_with(at, "Local authority", "Grade", "Months since", "Last visit")
    assert not any("_" in c for c in table.columns)
    assert table["Last inspected"].str.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}").all()
    assert not table.isna().any().any()
    visits = set(table["Last visit"])
    assert "No visit" in visits
    assert any(v.endswith(", monitoring visit") for v in visits)


def test_failing_bad_basis_falls_back() -> None:
    at = run_page("failing.py", TIMEOUT, basis="bogus", region="Atlantis")
    notes = plain(texts(at.info))
    assert "basis value “bogus”" in notes and "region value “Atlantis”" in notes
    assert at.query_params["basis"] == "overall_effectiveness"
    assert "region" not in at.query_params


def test_failing_before_sif_counts_the_official_record() -> None:
    """An end date before SIF starts the trend with the official record (August 2009), not
    with an error or a start date after the end."""
    at = run_page("failing.py", TIMEOUT, as_at="2011-06-30")
    assert not at.exception and not at.info
    assert at.query_params["from"] == "2009-08-01"
    fig, table = page_charts(at)[0]
    assert pd.Timestamp(table["month"].min()) <= pd.Timestamp("2009-08-31")
    shown = metric(at, "Adequate, requires improvement or inadequate")
    assert shown.endswith("%)") and " of " in shown


def test_the_page_reads_no_list_of_every_la(queries_read) -> None:
    """Issue 14: the region choices are read as regions, not from every LA's row (at 1000
    times today's data, 158,000 rows), and the trend the headline and the chart both show
    is read once."""
    at = run_page("failing.py", TIMEOUT)
    assert at.selectbox(key="fail_region").options[1:] == [
        "East Midlands", "East of England", "London", "North East", "North West", "South East",
        "South West", "West Midlands", "Yorkshire and the Humber"]
    names = [name for name, _ in queries_read]
    assert every_la_read(queries_read) == [] and "la/local_authorities" not in names
    assert names.count("failing/failing_over_time") == 1
