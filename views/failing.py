"""Failing: the share of LAs failing (requires improvement + inadequate, and the pre-2013
scale's adequate) and good or better, monthly, for England and each region, on a stated basis;
and the LAs failing now with how long it is since Ofsted last inspected them.
URL: ?basis=leadership&as_at=...&from=...&region=London&superseded=carry_forward

Inspections from late April 2026 give no overall effectiveness grade: on that basis an LA
inspected since is counted apart (its four other judgements listed), or, as an option, under
its previous grade flagged as superseded; the basis can also be the impact of leaders, any of
the practice judgements, or the worst of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from etl.figures import categories, failing
from etl.figures.chart import NoData
from etl.figures.export import export_data
from etl.figures.style import format_date, format_pct
from etl.vocab import ILACS_REFORM_FROM
from views._shared import (
    EARLIEST,
    TODAY,
    chart_block,
    empty_state,
    las,
    no_data,
    no_overall_table,
    query,
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

NO_REGION = "(none)"
REFORM = dt.date.fromisoformat(ILACS_REFORM_FROM)


def _headline(series, as_at: dt.date) -> None:
    """England now, and the change over a year."""
    england = series[series["geography"] == "England"].sort_values("month")
    now = england.iloc[-1]
    year_ago = england[england["month"] <= now["month"] - dt.timedelta(days=365)]
    prev = year_ago.iloc[-1] if len(year_ago) else None
    n_none = int(now["n_no_overall_grade"])
    cols = st.columns(4 if n_none else 3)
    m1, m2, m3 = cols[:3]
    m1.metric(
        "Failing now (requires improvement or inadequate)"
        if not int(now["n_adequate"]) else
        "Failing now (adequate, requires improvement or inadequate)",
        f"{int(now['n_failing'])} of {int(now['n_judged'])} ({format_pct(now['share_failing'])})",
        delta=None if prev is None else
        f"{(now['share_failing'] - prev['share_failing']) * 100:+.0f} points in a year",
        delta_color="inverse")
    m2.metric(
        "Good or better now",
        f"{int(now['n_good_or_better'])} ({format_pct(now['share_good_or_better'])})",
        delta=None if prev is None else
        f"{(now['share_good_or_better'] - prev['share_good_or_better']) * 100:+.0f} points "
        "in a year")
    m3.metric("LAs with a judgement on this basis",
              f"{int(now['n_judged'])} of {int(now['n_las'])}")
    if n_none:
        cols[3].metric("No overall grade (since April 2026)", n_none,
                       help="Outside the shares: their latest inspection started on or after "
                            "20 April 2026 and gave no overall grade. Their four other "
                            "judgements are listed below.")
    if int(now["n_superseded"]):
        st.caption(":material/history: " + categories.no_overall_note(int(now["n_superseded"]),
                                                                       "carry_forward"))
    if int(series["n_adequate"].sum()):
        st.caption(categories.adequate_note())
    show_data_end_caveat(as_at)


def _failing_list(basis: str, as_at: dt.date, superseded: str) -> None:
    st.header(f"LAs failing as at {format_date(as_at)}")
    show_data_end_caveat(as_at)
    rows = query("failing/failing_las", area=basis, as_at=as_at, framework=None,
                 superseded=superseded, wording="at_the_time")
    if rows.empty:
        empty_state(f"No LA's latest {failing.subject(basis)} judgement is requires "
                    f"improvement or inadequate as at {format_date(as_at)}.")
        return
    counts = rows["grade_label"].value_counts()
    superseded_rows = rows["is_superseded"].fillna(False).astype(bool)
    st.caption(
        f"{len(rows)} LAs: " + ", ".join(f"{n} {g.lower()}" for g, n in counts.items())
        + ". Time since last inspection counts from the end of the LA's latest graded "
        "inspection (any framework) to the as-at date; monitoring and focused visits are shown "
        "apart because they do not regrade an LA."
        + (f" {int(superseded_rows.sum())} of the grades are superseded (carried forward from "
           "before an inspection since the April 2026 change, which gave no overall grade)."
           if superseded_rows.any() else "")
        + (" " + categories.adequate_note() if (rows["grade"] == "adequate").any() else ""))
    table = rows.assign(profile="/la?la=" + rows["la_code"].astype(str),
                        superseded=superseded_rows.map({True: "superseded", False: ""}))[[
        "la_name", "profile", "grade_label", "superseded", "months_since_last_inspection",
        "days_since_last_inspection", "last_inspected", "last_inspection_type",
        "judgement_published", "region_name", "last_visit", "last_visit_type"]]
    if not superseded_rows.any():
        table = table.drop(columns="superseded")
    st.dataframe(
        table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 740),
        column_config={
            "la_name": st.column_config.TextColumn("Local authority", pinned=True, width="medium"),
            "region_name": "Region",
            "grade_label": "Grade",
            "superseded": st.column_config.TextColumn(
                "Superseded", help="Carried forward: the LA's latest inspection (since the "
                "April 2026 change) gave no overall grade"),
            "judgement_published": st.column_config.DateColumn("Judgement published",
                                                               format="D MMM YYYY"),
            "last_inspected": st.column_config.DateColumn("Last inspected",
                                                          format="D MMM YYYY"),
            "last_inspection_type": "Last inspection",
            "months_since_last_inspection": st.column_config.NumberColumn("Months since"),
            "days_since_last_inspection": st.column_config.NumberColumn("Days since"),
            "last_visit": st.column_config.DateColumn("Last visit", format="D MMM YYYY"),
            "last_visit_type": "Visit type",
            "profile": st.column_config.LinkColumn("LA profile", display_text="Open profile"),
        },
    )
    st.download_button("CSV", export_data(rows, "csv"), "failing-las.csv",
                       "text/csv", key="csv-failing-las")


def main() -> None:
    st.title("Failing local authorities")
    require_database()

    regions = sorted(r for r in las()["region_name"].dropna().unique())
    seed_state("fail_basis", url_choice("basis", list(failing.BASES), "overall_effectiveness"))
    seed_state("fail_as_at", url_date("as_at", TODAY))
    seed_state("fail_from", url_date("from", EARLIEST))
    seed_state("fail_region", url_choice("region", [NO_REGION, *regions], NO_REGION))
    seed_superseded("fail_superseded")
    show_url_notes()

    basis = st.radio("Basis", list(failing.BASES), key="fail_basis",
                     format_func=failing.BASES.get, horizontal=True)
    c1, c2, c3 = st.columns([1, 1, 2])
    if st.session_state["fail_from"] >= st.session_state["fail_as_at"]:
        st.session_state["fail_from"] = EARLIEST
        st.info("The start date was on or after the end date; showing from "
                f"{format_date(EARLIEST)}.", icon=":material/info:")
    from_date = c1.date_input("From", key="fail_from", min_value=EARLIEST, max_value=TODAY,
                              format="DD/MM/YYYY")
    as_at = c2.date_input("To (as at)", key="fail_as_at", min_value=EARLIEST, max_value=TODAY,
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
        no_overall_table(as_at, key="fail-no-overall")
    chart_block(share_failing, "failing-share")
    good = render(failing, dataclasses.replace(params, measure="share_good_or_better"))
    chart_block(good, "good-share")
    _failing_list(basis, as_at, superseded)


main()
