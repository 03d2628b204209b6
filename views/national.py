"""National picture: England's grade distribution as at any date, split by region and LA type,
its trend, and which LAs have no published judgement yet (so missing coverage is visible).

Thin page: URL -> widgets -> named queries (sql/queries) -> etl.charts builders -> chart_block.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from etl.charts import (
    ChartSpec,
    format_date,
    format_pct,
    grade_by_group_figure,
    grade_share_over_time_figure,
    national_distribution_figure,
)
from views._shared import (
    DB_PATH,
    EARLIEST,
    TODAY,
    area_label,
    chart_block,
    empty_state,
    figure,
    query,
    seed_state,
    set_url,
    show_url_notes,
    url_choice,
    url_date,
)

FRAMEWORK_LABELS = {"any": "Any framework", "SIF": "SIF (2013–2018)", "ILACS": "ILACS (2018–)"}
FRAMEWORK_START = {"any": EARLIEST, "SIF": EARLIEST, "ILACS": dt.date(2018, 1, 1)}
WHICH_LABELS = {"latest": "Latest judgement", "first": "First inspection under the framework"}
GROUP_LABELS = {"region": "Region", "la_type": "LA type"}
GROUP_PHRASES = {"region": "region", "la_type": "LA type"}


def _phrase(area: str) -> str:
    """An area's label inside a sentence: lower-case, but 'LSCB' stays an acronym."""
    label = area_label(area)
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def _basis(which: str, framework: str, as_at: dt.date, published_by: dt.date | None) -> str:
    fw = "any framework" if framework == "any" else framework
    who = "latest judgement" if which == "latest" else f"first inspection under {fw}"
    if published_by and published_by != as_at:
        return (f"Basis: each LA's {who} ({fw}) from an inspection ended by "
                f"{format_date(as_at)} whose report was published by {format_date(published_by)} "
                "(Ofsted's official statistics basis).")
    return (f"Basis: each LA's {who} ({fw}) published on or before {format_date(as_at)}; "
            "LAs that existed on that date.")


def main() -> None:
    st.title("National picture")
    if not DB_PATH.exists():
        empty_state("The database has not been built yet: run `make build` (or "
                    "`python -m etl build`) and reload this page.")
        st.stop()

    areas = query("national/areas")
    area_options = [*areas["area"], "any_practice"]

    # URL -> defaults (bad values fall back with a visible note)
    seed_state("nat_as_at", url_date("as_at", TODAY))
    seed_state("nat_area", url_choice("area", area_options, "overall_effectiveness"))
    seed_state("nat_framework", url_choice("framework", list(FRAMEWORK_LABELS), "any"))
    seed_state("nat_which", url_choice("which", list(WHICH_LABELS), "latest"))
    seed_state("nat_group", url_choice("group", list(GROUP_LABELS), "region"))
    seed_state("nat_no_secondary", st.query_params.get("secondary") == "exclude")
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
    framework = c3.selectbox("Framework", list(FRAMEWORK_LABELS), key="nat_framework",
                             format_func=FRAMEWORK_LABELS.get)
    which = c4.radio("Count each LA's", list(WHICH_LABELS), key="nat_which",
                     format_func=WHICH_LABELS.get, horizontal=True)
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
        help="Five abolished LAs' SIF outcomes are known only from news and council pages; "
             "they are counted by default and named below the figures.")
    set_url(as_at=as_at, area=area, framework=framework, which=which,
            published_by=published_by, group=st.session_state["nat_group"],
            secondary="exclude" if no_secondary else None)

    fw = None if framework == "any" else framework
    params = dict(as_at=as_at, area=area, framework=fw, published_by=published_by, which=which,
                  include_secondary=not no_secondary)
    dist = query("national/grade_distribution", **params)
    subject = f"{'latest' if which == 'latest' else 'first'} {_phrase(area)} grade"
    basis = _basis(which, framework, as_at, published_by)
    n_las = int(dist["n_las"].iloc[0]) if len(dist) else 0
    n_judged = int(dist["n_judged"].iloc[0]) if len(dist) else 0

    m1, m2, m3 = st.columns(3)
    m1.metric("LAs with a published judgement", f"{n_judged} of {n_las}",
              help="LAs that existed on the date; the rest have no judgement on this basis yet.")
    if n_judged:
        good = dist.loc[dist["grade"].isin(["outstanding", "good"]), "n"].sum()
        failing = dist.loc[dist["grade"].isin(["requires_improvement", "inadequate"]), "n"].sum()
        m2.metric("Good or better", f"{int(good)} ({format_pct(good / n_judged)})")
        m3.metric("Requires improvement or inadequate",
                  f"{int(failing)} ({format_pct(failing / n_judged)})")
        judged = query("national/latest_judgements", **params)
        secondary = judged.loc[judged["evidence"] == "secondary", "la_name"].tolist()
        if secondary:
            st.caption(f":material/warning: {len(secondary)} of these grades rest on secondary "
                       f"evidence only (news or council web pages, no Ofsted document in the "
                       f"collection): {', '.join(secondary)}. Tick 'Leave out secondary "
                       "evidence' to count without them.")

    st.subheader("Distribution")
    if n_judged == 0:
        empty_state(f"No LA has a published {_phrase(area)} judgement on this basis "
                    f"as at {format_date(as_at)}. Try a later date, another framework or "
                    "another judgement (e.g. adoption and LSCB were judged under SIF only).")
    else:
        spec = ChartSpec(
            title=f"{area_label(area)}: local authorities by grade",
            subtitle=f"{FRAMEWORK_LABELS[framework]}; {n_judged} of {n_las} LAs with a "
                     "published judgement",
            as_at=as_at, basis=basis, subject=subject,
        )
        data = dist[["grade", "label", "n", "share", "n_judged", "n_las"]]
        chart_block(figure(national_distribution_figure, data, spec), data, spec,
                    "national_distribution", "national-distribution",
                    {"area": area, "framework": framework, "which": which})

        st.subheader("By region and LA type")
        group = st.segmented_control("Split by", list(GROUP_LABELS), key="nat_group",
                                     format_func=GROUP_LABELS.get) or "region"
        set_url(group=group)
        by = query("national/grade_by_group", group_by=group, **params)
        gspec = ChartSpec(
            title=f"{area_label(area)} by {GROUP_PHRASES[group]}",
            subtitle=f"{FRAMEWORK_LABELS[framework]}; share of LAs with a published judgement",
            as_at=as_at, basis=basis, subject=subject,
            geography=f"England by {GROUP_PHRASES[group]}",
        )
        chart_block(figure(grade_by_group_figure, by, gspec), by, gspec, "grade_by_group",
                    f"national-by-{group}", {"area": area, "group_by": group})

    st.subheader("How the picture has changed")
    _trend(as_at, area, framework, not no_secondary)

    st.subheader("LAs without a published judgement")
    lj = query("national/latest_judgements", **params)
    missing = lj.loc[lj["grade"].isna(), ["la_code", "la_name", "region_name", "la_type"]]
    if missing.empty:
        st.success(f"Every one of the {n_las} LAs has a published judgement on this basis.")
    else:
        st.caption(f"{len(missing)} of {n_las} LAs existing on {format_date(as_at)} have no "
                   f"{_phrase(area)} judgement on this basis: not yet inspected, "
                   "report not yet published, or the report is missing from the collection "
                   "(see Data and sources).")
        st.dataframe(missing.rename(columns={"la_code": "LA code", "la_name": "Local authority",
                                             "region_name": "Region", "la_type": "LA type"}),
                     hide_index=True, width="stretch")


def _trend(as_at: dt.date, area: str, framework: str, include_secondary: bool) -> None:
    start = FRAMEWORK_START[framework]
    if as_at < start:
        empty_state(f"The {framework} framework starts on {format_date(start)}: choose a later "
                    "date to see its trend.")
        return
    data = query("national/grade_trend", area=area, from_date=start, as_at=as_at,
                 framework=None if framework == "any" else framework,
                 include_secondary=include_secondary)
    if data.empty:
        empty_state(f"No {_phrase(area)} judgements were published between "
                    f"{format_date(start)} and {format_date(as_at)} on this basis.")
        return
    spec = ChartSpec(
        title=f"{area_label(area)}: England, month by month",
        subtitle=f"{FRAMEWORK_LABELS[framework]}; share of LAs with a published judgement at "
                 "each month end",
        as_at=as_at,
        basis="Basis: each LA's latest judgement published on or before each month end. Early "
              "months rest on few LAs.",
        subject=f"latest {_phrase(area)} grade",
    )
    chart_block(figure(grade_share_over_time_figure, data, spec), data, spec,
                "grade_share_over_time", "national-trend", {"area": area, "framework": framework})

main()
