"""National picture: England's grade distribution as at any date, split by region and LA type,
its trend, and which LAs have no published judgement yet (so missing coverage is visible).
Adequate (pre-2013 scale) and "no overall grade" (inspected since the April 2026 change) are
categories of their own; the LAs with no overall grade have their four other judgements one
click away. URL: ?as_at=2025-03-31&area=...&framework=SIF&which=first&published_by=...
&group=la_type&secondary=exclude&superseded=carry_forward&wording=current"""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from etl.figures import categories, national_by_group, national_trend
from etl.figures import national_distribution as national
from etl.figures.chart import NoData
from etl.figures.style import area_label, area_phrase, format_date, format_pct
from etl.vocab import ADEQUATE, NO_OVERALL_GRADE
from views._shared import (
    EARLIEST,
    TODAY,
    chart_block,
    no_data,
    no_overall_table,
    query,
    render,
    require_database,
    seed_state,
    seed_superseded,
    set_url,
    show,
    show_data_end_caveat,
    show_url_notes,
    superseded_option,
    url_choice,
    url_date,
)


def _headline(params: national.Params) -> int:
    """The headline numbers; returns how many LAs have a judgement on this basis."""
    args = national.query_args(params)
    dist = query(national.QUERY, **args)
    n_las = int(dist["n_las"].iloc[0]) if len(dist) else 0
    n_judged = int(dist["n_judged"].iloc[0]) if len(dist) else 0
    n_none = int(dist.loc[dist["grade"] == NO_OVERALL_GRADE, "n"].sum())
    n_superseded = int(dist["n_superseded"].max()) if len(dist) else 0
    cols = st.columns(4 if n_none else 3)
    cols[0].metric("LAs with a published judgement", f"{n_judged} of {n_las}",
                   help="LAs that existed on the date with a current grade on this basis; the "
                        "rest have none yet"
                        + (" or were inspected since the April 2026 change, which gives no "
                           "overall grade" if n_none else "") + ".")
    if n_judged:
        good = dist.loc[dist["grade"].isin(categories.GOOD_OR_BETTER), "n"].sum()
        failing = dist.loc[dist["grade"].isin(categories.FAILING), "n"].sum()
        cols[1].metric("Good or better", f"{int(good)} ({format_pct(good / n_judged)})")
        adequate = (dist["grade"] == ADEQUATE).any()
        cols[2].metric("Adequate, requires improvement or inadequate" if adequate
                       else "Requires improvement or inadequate",
                       f"{int(failing)} ({format_pct(failing / n_judged)})",
                       help=categories.adequate_note(params.wording) if adequate else None)
    if n_none:
        cols[3].metric("No overall grade (since April 2026)", n_none,
                       help="Outside the shares: their latest inspection started on or after "
                            "20 April 2026 and gave no overall effectiveness grade. Their four "
                            "other judgements are listed below.")
    if n_superseded:
        st.caption(":material/history: " + categories.no_overall_note(n_superseded,
                                                                       "carry_forward"))
    show_data_end_caveat(params.as_at)
    if n_judged:
        judged = query("national/latest_judgements", **args)
        secondary = judged.loc[judged["evidence"] == "secondary", "la_name"].tolist()
        if secondary:
            st.caption(f":material/warning: {len(secondary)} of these grades rest on secondary "
                       f"evidence only (news or council web pages, no Ofsted document in the "
                       f"collection): {', '.join(secondary)}. Tick 'Leave out secondary "
                       "evidence' to count without them.")
    return n_las


def _without_judgement(params: national.Params, n_las: int) -> None:
    lj = query("national/latest_judgements", **national.query_args(params))
    missing = lj.loc[lj["grade"].isna(), ["la_code", "la_name", "region_name", "la_type"]]
    if missing.empty:
        st.success(f"Every one of the {n_las} LAs has a published judgement on this basis.")
        return
    st.caption(f"{len(missing)} of {n_las} LAs existing on {format_date(params.as_at)} have no "
               f"{area_phrase(params.area)} judgement on this basis: not yet inspected, "
               "report not yet published, or the report is missing from the collection "
               "(see Data and sources).")
    st.dataframe(missing.rename(columns={"la_code": "LA code", "la_name": "Local authority",
                                         "region_name": "Region", "la_type": "LA type"}),
                 hide_index=True, width="stretch")


def main() -> None:
    st.title("National picture")
    require_database()

    areas = query("national/areas")
    area_options = [*areas["area"], "any_practice"]

    # URL -> defaults (bad values fall back with a visible note)
    seed_state("nat_as_at", url_date("as_at", TODAY))
    seed_state("nat_area", url_choice("area", area_options, "overall_effectiveness"))
    seed_state("nat_framework", url_choice("framework", list(national.FRAMEWORK_LABELS), "any"))
    seed_state("nat_which", url_choice("which", list(national.WHICH_LABELS), "latest"))
    seed_state("nat_group", url_choice("group", list(national_by_group.GROUP_LABELS), "region"))
    seed_state("nat_no_secondary", st.query_params.get("secondary") == "exclude")
    seed_state("nat_current_wording", st.query_params.get("wording") == "current")
    seed_superseded("nat_superseded")
    if "nat_official" not in st.session_state:
        has_pb = "published_by" in st.query_params
        as_at0 = st.session_state["nat_as_at"]
        pb = url_date("published_by", as_at0, lo=as_at0) if has_pb else as_at0
        st.session_state["nat_official"] = has_pb and pb != as_at0
        st.session_state["nat_published_by"] = pb if pb != as_at0 else min(
            as_at0 + dt.timedelta(days=61), TODAY)
    show_url_notes()

    c1, c2, c3, c4 = st.columns([1, 2, 1.2, 1.6])
    as_at = c1.date_input("As at", key="nat_as_at", min_value=EARLIEST, max_value=TODAY,
                          format="DD/MM/YYYY")
    area = c2.selectbox("Judgement", area_options, key="nat_area", format_func=area_label)
    framework = c3.selectbox("Framework", list(national.FRAMEWORK_LABELS), key="nat_framework",
                             format_func=national.FRAMEWORK_LABELS.get)
    which = c4.radio("Count each LA's", list(national.WHICH_LABELS), key="nat_which",
                     format_func=national.WHICH_LABELS.get, horizontal=True)
    o1, o2 = st.columns([2, 1])
    official = o1.checkbox(
        "Ofsted statistics basis: inspections ended by the date, reports published by a later "
        "cut-off", key="nat_official",
        help="Ofsted's 'as at' statistics count inspections carried out by the date whose "
             "reports were published by a later date (e.g. as at 31 March 2025, published by "
             "31 May 2025).")
    published_by: dt.date | None = None
    if official:
        if st.session_state["nat_published_by"] < as_at:
            st.session_state["nat_published_by"] = as_at
        published_by = o2.date_input("Reports published by", key="nat_published_by",
                                     min_value=as_at, max_value=TODAY, format="DD/MM/YYYY")
    no_secondary = o1.checkbox(
        "Leave out secondary evidence (news and council web pages)", key="nat_no_secondary",
        help="Grades known only from news and council pages (flagged 'secondary'); where "
             "Ofsted's own record holds the same inspection, it is the primary source and the "
             "web pages only corroborate it.")
    current_wording = o1.checkbox(
        "Ofsted's current wording (pre-2013 'adequate' shown as requires improvement)",
        key="nat_current_wording",
        help="Ofsted's 2023 statistics print older judgements in today's wording. By default "
             "grades are shown as given at the time, adequate on its own; either way adequate "
             "counts as failing.")
    superseded = superseded_option("nat_superseded")
    set_url(as_at=as_at, area=area, framework=framework, which=which,
            published_by=published_by, group=st.session_state["nat_group"],
            secondary="exclude" if no_secondary else None,
            wording="current" if current_wording else None)

    fw = None if framework == "any" else framework
    wording = "current" if current_wording else "at_the_time"
    params = national.Params(as_at=as_at, area=area, framework=fw, which=which,
                             published_by=published_by, include_secondary=not no_secondary,
                             superseded=superseded, wording=wording)
    n_las = _headline(params)
    if area == "overall_effectiveness" and which == "latest":
        no_overall_table(as_at, published_by=published_by, framework=fw,
                         include_secondary=not no_secondary, key="nat-no-overall")

    st.header("Distribution")
    try:
        chart_block(render(national, params), "national-distribution")
    except NoData as exc:
        no_data(exc)
    else:
        st.header("By region and LA type")
        group = st.segmented_control("Split by", list(national_by_group.GROUP_LABELS),
                                     key="nat_group",
                                     format_func=national_by_group.GROUP_LABELS.get) or "region"
        set_url(group=group)
        show(national_by_group,
             national_by_group.Params(**dataclasses.asdict(params), group_by=group),
             f"national-by-{group}")

    st.header("How the picture has changed")
    show(national_trend, national_trend.Params(as_at=as_at, area=area, framework=fw,
                                               include_secondary=not no_secondary,
                                               superseded=superseded, wording=wording),
         "national-trend")

    st.header("LAs without a published judgement")
    _without_judgement(params, n_las)


main()
