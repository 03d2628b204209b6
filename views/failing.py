"""Requires improvement or inadequate (the seed papers' "failing"): the share of LAs whose latest
judgement is requires improvement or inadequate (and the pre-2013 scale's adequate), with
inadequate alone beside it, and good or better, monthly, for England and each region, on a
stated basis; and the LAs so judged at a date with how long it is since Ofsted last inspected
them. The page names the grades in its titles, numbers and exports; "failing" appears only in
its explanation, because in the sector it often means inadequate alone.
URL: ?basis=leadership&as_at=...&from=...&region=London&superseded=carry_forward

Inspections from late April 2026 give no overall effectiveness grade: on that basis an LA
inspected since is counted apart (its four other judgements listed), or, as an option, under
its previous grade flagged as superseded; the basis can also be the impact of leaders, any of
the practice judgements, or the worst of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from etl.figures import categories, failing
from etl.figures.chart import EARLIEST, HISTORY_START, MIN_JUDGED_FOR_SHARE, NoData
from etl.figures.export import export_data
from etl.figures.la_timeline import TYPE_LABELS
from etl.figures.style import format_date, format_pct
from etl.vocab import ILACS_REFORM_FROM
from views._shared import (
    TODAY,
    chart_block,
    empty_state,
    no_data,
    no_overall_table,
    plain_columns,
    query,
    region_names,
    render,
    require_database,
    seed_state,
    seed_superseded,
    set_url,
    show_data_end_caveat,
    show_url_notes,
    superseded_option,
    url_choice,
    url_date,
)

NO_REGION = "No region highlighted"
REFORM = dt.date.fromisoformat(ILACS_REFORM_FROM)
RI_OR_INADEQUATE = "Requires improvement or inadequate"
WITH_ADEQUATE = "Adequate, requires improvement or inadequate"
# rows the list of LAs shows on screen (the CSV has them all)
MAX_ROWS = 1000


def _count(n: int, of: int) -> str:
    """"35 of 142 (25%)"."""
    return f"{n} of {of} ({format_pct(n / of)})" if of else f"{n} of {of}"


def _change(now: pd.Series, prev: pd.Series | None, share: str) -> str | None:
    if prev is None or pd.isna(now[share]) or pd.isna(prev[share]):
        return None
    return f"{(now[share] - prev[share]) * 100:+.0f} points in a year"


def _headline(series: pd.DataFrame, as_at: dt.date) -> None:
    """England at the as-at date, and the change over a year: requires improvement or
    inadequate, inadequate alone beside it, good or better; then the base."""
    england = series[series["geography"] == "England"].sort_values("month")
    now = england.iloc[-1]
    year_ago = england[england["month"] <= now["month"] - dt.timedelta(days=365)]
    prev = year_ago.iloc[-1] if len(year_ago) else None
    n_judged, n_none = int(now["n_judged"]), int(now["n_no_overall_grade"])
    adequate = bool(int(now["n_adequate"]))
    st.markdown(f"**England as at {format_date(now['month'])}**")
    # Three to a row: at 1440 px a fourth or fifth metric cut its label and value short.
    m1, m2, m3 = st.columns(3)
    m1.metric(
        WITH_ADEQUATE if adequate else RI_OR_INADEQUATE,
        _count(int(now["n_failing"]), n_judged),
        delta=_change(now, prev, "share_failing"), delta_color="inverse",
        help="LAs whose latest judgement on this basis is requires improvement or inadequate"
             + (" (or adequate, the pre-2013 scale's third grade)" if adequate else "")
             + ", of those with one. Change: percentage points since the same month a year "
               "earlier.")
    m2.metric("Inadequate", _count(int(now["n_inadequate"]), n_judged),
              delta=_change(now, prev, "share_inadequate"), delta_color="inverse",
              help="Inadequate alone: the part of the figure beside it that Ofsted judged "
                   "inadequate (in the sector, \"failing\" often means this).")
    m3.metric("Good or better", _count(int(now["n_good_or_better"]), n_judged),
              delta=_change(now, prev, "share_good_or_better"))
    b1, b2, _ = st.columns(3)
    b1.metric("LAs with a judgement on this basis", f"{n_judged} of {int(now['n_las'])}",
              help="LAs existing on the date with a current grade on this basis: the base of "
                   "the shares.")
    if n_none:
        b2.metric("No overall grade (since April 2026)", n_none,
                  help="Outside the shares: their latest inspection started on or after "
                       "20 April 2026 and gave no overall grade. Their four other "
                       "judgements are listed below.")
    if int(now["n_superseded"]):
        st.caption(":material/history: " + categories.no_overall_note(int(now["n_superseded"]),
                                                                       "carry_forward"))
    if int(series["n_adequate"].sum()):
        st.caption(categories.adequate_note())
    show_data_end_caveat(as_at)


def _columns(measure: str) -> dict:
    """A chart's data table in words: the measure's columns shown, the rest (in the
    downloads) hidden, so it fits a 1440 px screen."""
    labels = {c: failing.LABELS[c] if c in failing.SHOWN[measure] else None
              for c in failing.COLUMNS}
    config = plain_columns(failing.COLUMNS, labels, dates=["month"])
    config["n_judged"] = st.column_config.NumberColumn(
        failing.LABELS["n_judged"], help="LAs with a judgement on this basis that month: the "
        "base of the shares")
    config["drawn"] = st.column_config.CheckboxColumn(
        failing.LABELS["drawn"], help=f"Drawn on the chart: {MIN_JUDGED_FOR_SHARE} or more "
        "LAs judged")
    return config


def _day(d: object) -> str:
    return format_date(d) if pd.notna(d) else ""


def _las_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The list in words, for the page and its CSV (the CSV keeps the columns the page leaves
    out to fit a 1440 px screen: LA code, days since, the inspection's type and publication,
    the last visit's date and type apart)."""
    def visit(v: object) -> str:
        return TYPE_LABELS.get(v, str(v).replace("_", " ")) if isinstance(v, str) else ""

    superseded = rows["is_superseded"].fillna(False).astype(bool)
    visit_date = pd.to_datetime(rows["last_visit"])
    visit_type = rows["last_visit_type"].map(visit)
    return pd.DataFrame({
        "Local authority": rows["la_name"],
        "LA code": rows["la_code"],
        "Grade": rows["grade_label"],
        "Superseded": superseded.map({True: "Superseded", False: ""}),
        "Months since": rows["months_since_last_inspection"].astype("Int64"),
        "Days since": rows["days_since_last_inspection"].astype("Int64"),
        "Last inspected": pd.to_datetime(rows["last_inspected"]).map(_day),
        "Last inspection": rows["last_inspection_type"].fillna(""),
        "Judgement published": pd.to_datetime(rows["judgement_published"]).map(_day),
        "Region": rows["region_name"].fillna("Not recorded"),
        # one column on screen ("12 December 2024, monitoring visit"), two in the CSV
        "Last visit": [f"{_day(d)}, {t}" if pd.notna(d) else "No visit"
                       for d, t in zip(visit_date, visit_type, strict=True)],
        "Last visit date": visit_date.map(_day),
        "Last visit type": visit_type,
        "Profile": "/la?la=" + rows["la_code"].astype(str),
    })


def _failing_list(basis: str, as_at: dt.date, superseded: str) -> None:
    st.header(f"LAs judged requires improvement or inadequate as at {format_date(as_at)}")
    show_data_end_caveat(as_at)
    rows = query("failing/failing_las", area=basis, as_at=as_at, framework=None,
                 superseded=superseded, wording="at_the_time")
    if rows.empty:
        empty_state(f"No LA's latest {failing.subject(basis)} judgement is requires "
                    f"improvement or inadequate as at {format_date(as_at)}.")
        return
    counts = rows["grade_label"].value_counts()
    # the table shows the first MAX_ROWS (today's LAs fit many times over; at 1000 times
    # today's data the list is 35,000 LAs, seconds to lay out); the CSV has every LA
    table = _las_table(rows.head(MAX_ROWS))
    n_superseded = int(rows["is_superseded"].fillna(False).astype(bool).sum())
    st.caption(
        f"{len(rows)} LAs: " + ", ".join(f"{n} {g.lower()}" for g, n in counts.items())
        + ". Months since counts from the end of the LA's latest graded inspection (any "
        "framework) to the as-at date; monitoring and focused visits are shown apart because "
        "they do not regrade an LA. The CSV adds the LA code, days since, the type of the last "
        "inspection and when the judgement was published."
        + (f" {n_superseded} of the grades are superseded (carried forward from before an "
           "inspection since the April 2026 change, which gave no overall grade)."
           if n_superseded else "")
        + (" " + categories.adequate_note() if (rows["grade"] == "adequate").any() else ""))
    # Columns sized to fit a 1440 px screen without scrolling sideways (the CSV has them all).
    shown = ["Local authority", "Grade", "Superseded", "Months since", "Last inspected",
             "Region", "Last visit", "Profile"]
    if not n_superseded:
        shown.remove("Superseded")
    st.dataframe(
        table[shown], hide_index=True, width="stretch",
        height=min(38 + 35 * len(table), 740),
        column_config={
            "Local authority": st.column_config.TextColumn("Local authority", pinned=True,
                                                           width=165),
            "Grade": st.column_config.TextColumn("Grade", width=145),
            "Superseded": st.column_config.TextColumn(
                "Superseded", width=95, help="Carried forward: the LA's latest inspection "
                "(since the April 2026 change) gave no overall grade"),
            "Months since": st.column_config.NumberColumn(
                "Months since", width=100,
                help="Whole months from the end of the LA's latest graded inspection (any "
                     "framework) to the as-at date"),
            "Last inspected": st.column_config.TextColumn(
                "Last inspected", width=130,
                help="When the LA's latest graded inspection ended"),
            "Region": st.column_config.TextColumn("Region", width=160),
            "Last visit": st.column_config.TextColumn(
                "Last visit", width=200,
                help="The latest monitoring or focused visit (visits do not regrade an LA)"),
            "Profile": st.column_config.LinkColumn("Profile", display_text="Open", width=60,
                                                   help="The LA's profile page"),
        },
    )
    if len(rows) > len(table):
        st.caption(f"The first {len(table):,} of {len(rows):,} LAs; the CSV has every LA.")
    # made when the button is pressed, not on every render
    st.download_button("CSV", lambda: export_data(
                           _las_table(rows).drop(columns=["Profile", "Last visit"]), "csv"),
                       "las-requires-improvement-or-inadequate.csv", "text/csv",
                       key="csv-ri-or-inadequate-las", on_click="ignore")


def main() -> None:
    st.title("Requires improvement or inadequate")
    require_database()
    st.markdown(
        "Local authorities whose latest judgement is **requires improvement** or "
        "**inadequate** (before 2013 also **adequate**, the old scale's third grade), with "
        "**inadequate** alone beside it. The council papers this product reproduces (e.g. Kent "
        "CC, Dec 2014) call these LAs *failing*; in the sector *failing* often means inadequate "
        "alone, so this page names the grades instead.")

    regions = region_names()
    seed_state("fail_basis", url_choice("basis", list(failing.BASES), "overall_effectiveness"))
    seed_state("fail_as_at", url_date("as_at", TODAY))
    # the trend starts with SIF, or with the official record for an end date before SIF
    seed_state("fail_from", url_date("from", EARLIEST if st.session_state["fail_as_at"] > EARLIEST
                                     else HISTORY_START))
    seed_state("fail_region", url_choice("region", [NO_REGION, *regions], NO_REGION))
    seed_superseded("fail_superseded")
    show_url_notes()

    basis = st.radio("Basis", list(failing.BASES), key="fail_basis",
                     format_func=failing.BASES.get, horizontal=True)
    c1, c2, c3 = st.columns([1, 1, 2])
    if st.session_state["fail_from"] >= st.session_state["fail_as_at"]:
        # from the start of SIF, or of the official record for an end date before SIF
        start = EARLIEST if st.session_state["fail_as_at"] > EARLIEST else HISTORY_START
        st.session_state["fail_from"] = start
        st.info("The start date was on or after the end date; showing from "
                f"{format_date(start)}.", icon=":material/info:")
    from_date = c1.date_input("From", key="fail_from", min_value=HISTORY_START, max_value=TODAY,
                              format="DD/MM/YYYY")
    as_at = c2.date_input("To (as at)", key="fail_as_at", min_value=HISTORY_START, max_value=TODAY,
                          format="DD/MM/YYYY")
    region = c3.selectbox("Highlight a region", [NO_REGION, *regions], key="fail_region")
    superseded = superseded_option("fail_superseded")
    set_url(basis=basis, as_at=as_at, **{"from": from_date},
            region=None if region == NO_REGION else region)
    st.caption(failing.BASIS_NOTES[basis])
    if basis == "overall_effectiveness" and as_at >= REFORM:
        st.warning("Inspections starting from 20 April 2026 give no overall effectiveness "
                   "grade: the LAs inspected since are "
                   + ("counted under their previous grade, flagged as superseded"
                      if superseded == "carry_forward" else
                      "counted apart, outside the shares (their other judgements are listed "
                      "below)")
                   + ". For a basis every inspection still gives, choose impact of leaders, a "
                   "practice judgement or the worst of them.", icon=":material/warning:")

    params = failing.Params(area=basis, from_date=from_date, as_at=as_at,
                            highlight=None if region == NO_REGION else region,
                            superseded=superseded)
    try:
        share_failing = render(failing, params)
    except NoData as exc:
        no_data(exc)
        return
    _headline(share_failing.data, as_at)
    if basis == "overall_effectiveness":
        no_overall_table(as_at, key="fail-no-overall", fit=True)
    st.header("Over time")
    chart_block(share_failing, "requires-improvement-or-inadequate",
                column_config=_columns("share_failing"))
    good = render(failing, dataclasses.replace(params, measure="share_good_or_better"))
    chart_block(good, "good-or-better", column_config=_columns("share_good_or_better"))
    _failing_list(basis, as_at, superseded)


main()
