"""Failing: the share of LAs failing (requires improvement + inadequate) and good or better,
monthly, for England and each region, on a stated basis; and the LAs failing now with how
long it is since Ofsted last inspected them.

Inspections from late April 2026 give no overall effectiveness grade, so the basis can be the
impact of leaders or the worst of the practice judgements instead.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from etl.charts import ChartSpec, failing_over_time_figure, format_date, format_pct
from etl.vocab import ILACS_REFORM_FROM
from views._shared import (
    DB_PATH,
    EARLIEST,
    TODAY,
    chart_block,
    empty_state,
    figure,
    las,
    query,
    seed_state,
    set_url,
    show_url_notes,
    url_choice,
    url_date,
)

BASES = {
    "overall_effectiveness": "Overall effectiveness",
    "leadership": "Impact of leaders (leadership)",
    "any_practice": "Any of the practice judgements (worst of them)",
}
BASIS_NOTES = {
    "overall_effectiveness": (
        "Overall effectiveness: inspections from late April 2026 give no overall grade, so an "
        "LA inspected since then still counts with its previous overall grade."),
    "leadership": (
        "Impact of leaders on social work practice (ILACS) or leadership, management and "
        "governance (SIF): given by every graded inspection, including those from April 2026."),
    "any_practice": (
        "Worst of the practice judgements (help and protection, children in care / looked "
        "after, care leavers): an LA counts as failing if any of them is requires improvement "
        "or inadequate."),
}
# "latest {SUBJECT} grade" / "a published {SUBJECT} judgement"
SUBJECT = {
    "overall_effectiveness": "overall effectiveness",
    "leadership": "impact of leaders",
    "any_practice": "worst practice",
}
NO_REGION = "(none)"
MIN_JUDGED = 5  # fewest judged LAs behind a plotted share
REFORM = dt.date.fromisoformat(ILACS_REFORM_FROM)


def main() -> None:
    st.title("Failing local authorities")
    if not DB_PATH.exists():
        empty_state("The database has not been built yet: run `make build` (or "
                    "`python -m etl build`) and reload this page.")
        st.stop()

    regions = sorted(r for r in las()["region_name"].dropna().unique())
    seed_state("fail_basis", url_choice("basis", list(BASES), "overall_effectiveness"))
    seed_state("fail_as_at", url_date("as_at", TODAY))
    seed_state("fail_from", url_date("from", EARLIEST))
    seed_state("fail_region", url_choice("region", [NO_REGION, *regions], NO_REGION))
    show_url_notes()

    basis = st.radio("Basis", list(BASES), key="fail_basis", format_func=BASES.get,
                     horizontal=True)
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
    set_url(basis=basis, as_at=as_at, **{"from": from_date},
            region=None if region == NO_REGION else region)
    st.caption(BASIS_NOTES[basis])
    if basis == "overall_effectiveness" and as_at >= REFORM:
        st.warning("Inspections since late April 2026 give no overall effectiveness grade: "
                   "for an up-to-date picture switch the basis to impact of leaders or the "
                   "practice judgements.", icon=":material/warning:")

    if from_date >= as_at:
        empty_state("Choose a start date before the end date.")
        return
    series = query("failing/failing_over_time", area=basis, from_date=from_date, to_date=as_at,
                   framework=None)
    # A share of two or three LAs swings between 0% and 100%: leave such points out.
    series = series[series["n_judged"] >= MIN_JUDGED]
    if series.empty:
        empty_state(f"Fewer than {MIN_JUDGED} LAs had a published {SUBJECT[basis]} "
                    f"judgement at any month end between {format_date(from_date)} and "
                    f"{format_date(as_at)}: too few to chart. Choose a later end date.")
        return

    england = series[series["geography"] == "England"].sort_values("month")
    now = england.iloc[-1]
    year_ago = england[england["month"] <= now["month"] - dt.timedelta(days=365)]
    prev = year_ago.iloc[-1] if len(year_ago) else None
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "Failing now (requires improvement or inadequate)",
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

    highlight = [] if region == NO_REGION else [region]
    base_text = (f"Basis: {BASES[basis].lower()}; each LA's latest judgement published on or "
                 "before each month end, of LAs with one. Failing = requires improvement + "
                 "inadequate.")
    subject = f"latest {SUBJECT[basis]} grade"
    cols = ["month", "geography", "n_las", "n_judged", "n_failing", "n_good_or_better",
            "share_failing", "share_good_or_better"]
    data = series[cols]
    for measure, title, key in (
        ("share_failing", "Share of LAs failing (requires improvement or inadequate)",
         "failing-share"),
        ("share_good_or_better", "Share of LAs good or better", "good-share"),
    ):
        spec = ChartSpec(
            title=title,
            subtitle=f"{BASES[basis]}; England (bold) and regions, monthly from "
                     f"{format_date(from_date)}",
            as_at=as_at, basis=base_text, subject=subject,
            notes=f"{BASIS_NOTES[basis]} Months when fewer than {MIN_JUDGED} LAs in an area "
                  "had a judgement are not drawn.",
        )
        fig = figure(failing_over_time_figure, data, spec, measure=measure,
                     highlight=tuple(highlight))
        chart_block(fig, data, spec, "failing_over_time", key,
                    {"basis": basis, "measure": measure, "region": region})

    _failing_list(basis, as_at)


def _failing_list(basis: str, as_at: dt.date) -> None:
    st.subheader(f"LAs failing as at {format_date(as_at)}")
    failing = query("failing/failing_las", area=basis, as_at=as_at, framework=None)
    if failing.empty:
        empty_state(f"No LA's latest {SUBJECT[basis]} judgement is requires improvement "
                    f"or inadequate as at {format_date(as_at)}.")
        return
    counts = failing["grade_label"].value_counts()
    st.caption(
        f"{len(failing)} LAs: " + ", ".join(f"{n} {g.lower()}" for g, n in counts.items())
        + ". Time since last inspection counts from the end of the LA's latest graded "
        "inspection (any framework) to the as-at date; monitoring and focused visits are shown "
        "apart because they do not regrade an LA.")
    table = failing.assign(profile="/la?la=" + failing["la_code"].astype(str))[[
        "la_name", "profile", "grade_label", "months_since_last_inspection",
        "days_since_last_inspection", "last_inspected", "last_inspection_type",
        "judgement_published", "region_name", "last_visit", "last_visit_type"]]
    st.dataframe(
        table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 740),
        column_config={
            "la_name": st.column_config.TextColumn("Local authority", pinned=True, width="medium"),
            "region_name": "Region",
            "grade_label": "Grade",
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
    st.download_button("CSV", failing.to_csv(index=False).encode(), "failing-las.csv",
                       "text/csv", key="csv-failing-las")


main()
