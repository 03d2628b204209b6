"""National picture: England's grade distribution as at any date, split by region and LA type,
its trend, and which LAs have no published judgement yet (so missing coverage is visible).
Adequate (pre-2013 scale) and "no overall grade" (inspected since the April 2026 change) are
categories of their own; the LAs with no overall grade have their four other judgements one
click away.

Official figures by default: on the "as at" date of one of Ofsted's official statistics releases
(national/official_releases: the dates are offered as quick choices) the page counts on the
release's basis (inspections carried out by the date whose reports were published by the
release's cut-off), shows the plain basis (reports published by the date itself) beside it, and
Ofsted's published figures beside both, any difference explained, never forced.
URL: ?as_at=2025-03-31&area=...&framework=SIF&which=first&published_by=... (the publication
cut-off: absent, the release's on its dates and the as-at date otherwise; equal to as_at, the
plain basis) &group=la_type&secondary=exclude&superseded=carry_forward&wording=current"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from etl.figures import categories, national_by_group, national_trend
from etl.figures import national_distribution as national
from etl.figures.chart import NoData
from etl.figures.style import (
    CHART_GRADES,
    area_label,
    area_phrase,
    format_date,
    format_pct,
    grade_label,
    grade_phrase,
    list_phrase,
)
from etl.vocab import ADEQUATE, NO_OVERALL_GRADE
from views._shared import (
    HISTORY_START,
    TODAY,
    as_text,
    chart_block,
    no_data,
    no_overall_table,
    note,
    plain_columns,
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


def _bands(dist: pd.DataFrame) -> tuple[int, int, int]:
    """(good or better, requires improvement or inadequate, inadequate) from grade/n rows: the
    headline's and a region's, counted the same way."""
    def n(mask: pd.Series) -> int:
        return int(dist.loc[mask, "n"].sum())

    return (n(dist["grade"].isin(categories.GOOD_OR_BETTER)),
            n(dist["grade"].isin(categories.FAILING)), n(dist["grade"] == "inadequate"))


def _headline(params: national.Params) -> int:
    """The headline numbers; returns how many LAs exist on the date."""
    args = national.query_args(params)
    dist = query(national.QUERY, **args)
    n_las = int(dist["n_las"].iloc[0]) if len(dist) else 0
    n_judged = int(dist["n_judged"].iloc[0]) if len(dist) else 0
    n_none = int(dist.loc[dist["grade"] == NO_OVERALL_GRADE, "n"].sum())
    n_superseded = int(dist["n_superseded"].max()) if len(dist) else 0
    # The long label gets the widest column: at 1440 px equal columns cut it short.
    inadequate = 0
    cols = st.columns([1, 0.9, 1.35, 0.85])
    cols[0].metric("LAs with a published judgement", f"{n_judged} of {n_las}",
                   help="LAs that existed on the date with a current grade on this basis; the "
                        "rest have none yet"
                        + (" or were inspected since the April 2026 change, which gives no "
                           "overall grade" if n_none else "") + ".")
    if n_judged:
        good, failing, inadequate = _bands(dist)
        cols[1].metric("Good or better", f"{int(good)} ({format_pct(good / n_judged)})")
        adequate = (dist["grade"] == ADEQUATE).any()
        cols[2].metric("Adequate, requires improvement or inadequate" if adequate
                       else "Requires improvement or inadequate",
                       f"{int(failing)} ({format_pct(failing / n_judged)})",
                       help=categories.adequate_note(params.wording) if adequate else
                       "The grades the seed papers call \"failing\"; inadequate alone is "
                       "beside it.")
        cols[3].metric("Inadequate", f"{int(inadequate)} ({format_pct(inadequate / n_judged)})",
                       help="Inadequate alone (in the sector, \"failing\" often means this).")
    if n_none:
        st.columns([1, 0.9, 1.35, 0.85])[0].metric(
            "No overall grade (since April 2026)", n_none,
            help="Outside the shares: their latest inspection started on or after 20 April "
                 "2026 and gave no overall effectiveness grade. Their four other judgements "
                 "are listed below.")
    if n_superseded:
        st.caption(":material/history: " + categories.no_overall_note(n_superseded,
                                                                       "carry_forward"))
    if n_judged and inadequate:
        _inadequate_names(params, int(inadequate))
    show_data_end_caveat(params.as_at)
    if n_judged:
        secondary = query("national/secondary_evidence", **args)["la_name"].tolist()
        if secondary:
            st.caption(f":material/warning: {len(secondary)} of these grades rest on secondary "
                       f"evidence only (news or council web pages, no Ofsted document in the "
                       f"collection): {', '.join(secondary)}. Tick 'Leave out secondary "
                       "evidence' to count without them.")
    return n_las


# The most inadequate LAs named under the headline; more are counted, and listed on Failing.
MAX_NAMED = 25


def _inadequate_names(params: national.Params, n: int) -> None:
    """Who is inadequate on the date, by name, under the count (the commonest question)."""
    named = query("national/las_with_grade", **national.query_args(params),
                  grade="inadequate", max_names=MAX_NAMED)
    names = list_phrase(named["la_name"].tolist())
    more = n - len(named)
    st.markdown(f"**Inadequate on {format_date(params.as_at)}:** {names}"
                + (f", and {more} more (all of them on the Failing page)" if more > 0 else "")
                + ".")


def _region_slug(name: str) -> str:
    return "-".join(name.lower().replace(",", " ").split())


def _regions() -> list[str]:
    return query("national/regions")["region_name"].tolist()


def _seed_region() -> None:
    """The link's region (`?region=london`, any case or spacing), or a note naming them."""
    if "nat_region" in st.session_state:
        return
    raw = st.query_params.get("region")
    slugs = {_region_slug(r): r for r in _regions()}
    picked = slugs.get(_region_slug(raw)) if raw else None
    if raw and picked is None:
        note(f"The link's region value “{as_text(raw)}” is not a region of England; the "
             f"regions are {list_phrase(list(slugs.values()))}.")
    st.session_state["nat_region"] = picked


def _region_headline(params: national.Params) -> None:
    """A region's shares beside England's (`?region=london`): 'my region's failing share' at
    the top of the page in one step, the by-region chart below for all of them."""
    regions = _regions()
    if not regions:
        return
    by = query("national/grade_by_group", **national.query_args(params), group_by="region")
    region = st.columns([1, 2])[0].selectbox("Compare a region with England", regions, key="nat_region",
                          index=None, placeholder="Choose a region",
                          help="The region's shares on the same basis as England's above; "
                               "every region is in the chart “By region and LA type” below.")
    set_url(region=_region_slug(region) if region else None)
    if region is None:
        return

    def shares(group: str) -> tuple[int, int, int, int]:
        rows = by[(by["group"] == group) & (by["grade"] != NO_OVERALL_GRADE)]
        return (int(rows["n"].sum()), *_bands(rows))

    r, e = shares(region), shares("England")
    if not r[0]:
        st.caption(f"No LA in {region} has a published judgement on this basis.")
        return

    def points(i: int) -> str | None:
        if not e[0]:
            return None
        diff = round(100 * r[i] / r[0]) - round(100 * e[i] / e[0])
        return f"{diff:+d} points against England" if diff else "the same as England"

    cols = st.columns([1, 0.9, 1.35, 0.85])
    cols[0].metric(f"{region}: LAs with a judgement", r[0])
    cols[1].metric("Good or better", f"{r[1]} ({format_pct(r[1] / r[0])})", delta=points(1),
                   delta_color="normal" if e[0] else "off")
    cols[2].metric("Requires improvement or inadequate",
                   f"{r[2]} ({format_pct(r[2] / r[0])})", delta=points(2),
                   delta_color="inverse" if e[0] else "off")
    cols[3].metric("Inadequate", f"{r[3]} ({format_pct(r[3] / r[0])})", delta=points(3),
                   delta_color="inverse" if e[0] else "off")


# ---------------------------------------------------------------- Ofsted's release dates


def _releases() -> dict[dt.date, Any]:
    """Ofsted's official statistics releases by their as-at date (national/official_releases):
    each with its publication cut-off, name and link."""
    rows = query("national/official_releases")
    return {pd.Timestamp(r.as_at).date(): r for r in rows.itertuples(index=False)}


def _cut_off(release: Any) -> dt.date:
    return pd.Timestamp(release.published_by).date()


def _default_cut_off(as_at: dt.date, releases: dict[dt.date, Any]) -> dt.date:
    """The cut-off the official-basis box starts from: the release's own on its date; on any
    other date as long after it as the latest release's cut-off is after its date (no later
    than today)."""
    if as_at in releases:
        return _cut_off(releases[as_at])
    if not releases:
        return as_at
    latest = max(releases)
    return max(as_at, min(as_at + (_cut_off(releases[latest]) - latest), TODAY))


def _date_defaults(releases: dict[dt.date, Any]) -> None:
    """A new date brings its own default basis: the official one (with the release's cut-off)
    on a release date, the plain one on any other."""
    as_at = st.session_state["nat_as_at"]
    st.session_state["nat_official"] = as_at in releases
    st.session_state["nat_published_by"] = _default_cut_off(as_at, releases)


def _release_picked(releases: dict[dt.date, Any]) -> None:
    picked = st.session_state.get("nat_release")
    if picked is not None:
        st.session_state["nat_as_at"] = picked
        _date_defaults(releases)


def _counted(params: national.Params) -> tuple[dict[str, int], int]:
    """{grade: n} and the number of LAs with a grade, on these parameters."""
    dist = query(national.QUERY, **national.query_args(params))
    counts = {str(g): int(n) for g, n in zip(dist["grade"], dist["n"], strict=True)}
    judged = sum(n for g, n in counts.items() if g != NO_OVERALL_GRADE)
    return counts, judged


def _as_the_release_counts(params: national.Params, cut: dt.date, published: pd.DataFrame
                           ) -> tuple[dict[str, int], str] | None:
    """The official basis with the LAs the release names as a departure from its cut-off
    (departure_la_codes) counted with their later report, as the release counts them:
    ({grade: n}, their names), or None when it names none."""
    codes = {c for v in published["departure_la_codes"] if isinstance(v, str)
             for c in v.split(";") if c}
    if not codes:
        return None
    # the stated basis's counts with the named LAs' rows swapped (theirs only, not every LA's)
    args = {**national.query_args(params), "las": ",".join(sorted(codes))}
    stated = query("national/latest_judgements_of", **{**args, "published_by": cut})
    named = query("national/latest_judgements_of", **{**args, "published_by": TODAY})
    counts, _ = _counted(dataclasses.replace(params, published_by=cut))
    for grade, change in [*((g, -1) for g in stated["grade"].dropna()),
                          *((g, 1) for g in named["grade"].dropna())]:
        counts[str(grade)] = counts.get(str(grade), 0) + change
    return ({g: n for g, n in counts.items() if n},
            list_phrase(named["la_name"].tolist()))


def _cell(n: int | None, of: int) -> str:
    if n is None:
        return "–"
    return f"{n} ({format_pct(n / of)})" if of else str(n)


def _official_comparison(params: national.Params, release: Any, official_on: bool) -> None:
    """On a release date: the official basis beside the plain one, and Ofsted's published
    figures beside both where the options are the release's; a difference is explained by the
    release's own departure from its basis, never forced."""
    as_at, cut = params.as_at, _cut_off(release)
    official, n_official = _counted(dataclasses.replace(params, published_by=cut))
    plain, n_plain = _counted(dataclasses.replace(params, published_by=None))
    published = query("national/official_figures", as_at=as_at, area=params.area)
    comparable = (params.framework is None and params.which == "latest"
                  and params.wording == "at_the_time")
    shown = published if comparable else published.iloc[0:0]
    pub = {str(g): int(n) for g, n in zip(shown["grade"], shown["published"], strict=True)}
    n_pub = sum(pub.values())

    st.header(f"Ofsted's official figures for {format_date(as_at)}")
    stated = ("the release's cut-off" if release.cut_off_stated else
              "the cut-off the release implies: it states none, so the end of the third month "
              "after its date is used")
    st.markdown(
        f"{format_date(as_at)} is the date of an Ofsted official statistics release, "
        f"*{release.release}*. Two ways of counting the same date:\n\n"
        f"- **Official basis** (how Ofsted counts): each LA's latest judgement from an "
        f"inspection carried out by {format_date(as_at)} whose report was published by "
        f"{format_date(cut)}, {stated}.\n"
        f"- **Plain basis** (what was public on the day): each LA's latest judgement whose "
        f"report was published by {format_date(as_at)}; inspections carried out before the date "
        "whose reports came out later are not yet counted.")
    grades = [g for g in CHART_GRADES if g in official or g in plain or g in pub]
    fail = [g for g in grades if g in categories.FAILING]

    def total(counts: dict[str, int], which: list[str]) -> int:
        return sum(counts.get(g, 0) for g in which)

    rows = [(grade_label(g), g) for g in grades] + [
        ("Requires improvement or inadequate" if ADEQUATE not in fail else
         "Adequate, requires improvement or inadequate", fail)]
    table: dict[str, list[str]] = {"Grade": [label for label, _ in rows]}
    if pub:
        table["Ofsted's published figures"] = [
            _cell(total(pub, which if isinstance(which, list) else [which]), n_pub)
            if isinstance(which, list) or which in pub else "–" for _, which in rows]
    table[f"Official basis (published by {format_date(cut)})"] = [
        _cell(total(official, which if isinstance(which, list) else [which]), n_official)
        for _, which in rows]
    table[f"Plain basis (published by {format_date(as_at)})"] = [
        _cell(total(plain, which if isinstance(which, list) else [which]), n_plain)
        for _, which in rows]
    st.table(pd.DataFrame(table).set_index("Grade"))
    st.caption(f"Percentages are of the LAs with a grade: {n_official} on the official basis, "
               f"{n_plain} on the plain basis" + (f", {n_pub} in the release." if pub else "."))

    if pub:
        differ = [g for g in grades if pub.get(g, 0) != official.get(g, 0)]
        if not differ:
            st.success(
                "The official basis matches Ofsted's published figures: "
                + list_phrase([f"{pub.get(g, 0)} {grade_phrase(g)}" for g in grades
                               if g != NO_OVERALL_GRADE]) + ".", icon=":material/check_circle:")
        else:
            why = next((str(d) for d in published["departure"] if isinstance(d, str) and d), "")
            swapped = _as_the_release_counts(params, cut, published)
            st.warning(
                "The official basis differs from Ofsted's published figures for "
                + list_phrase([f"{grade_phrase(g)} ({official.get(g, 0)} computed, "
                               f"{pub.get(g, 0)} published)" for g in differ]) + ". "
                + (f"Why: {why}" if why else
                   "The collection and the release disagree about some LAs: the Data and "
                   "sources page and `python -m etl reconcile` list them.")
                + (f" Counted as the release counts them ({swapped[1]} with the later "
                   "report), the figures are "
                   + " / ".join(str(swapped[0].get(g, 0)) for g in grades
                                if g != NO_OVERALL_GRADE)
                   + (": the same as published." if all(swapped[0].get(g, 0) == pub.get(g, 0)
                                                        for g in grades) else
                      ", still not the published ones.") if swapped else ""),
                icon=":material/info:")
    elif len(published):
        st.caption("Ofsted's published figures count each LA's latest judgement under any "
                   "framework, as graded at the time: choose those options to see them here.")
    else:
        areas = [area_phrase(a) for a in release.areas]
        st.caption(f"The release's national figures held here are for {list_phrase(areas)}; "
                   f"there is no published {area_phrase(params.area)} figure to compare with.")
    st.caption(
        "The headline, the charts of the distribution and the breakdowns use the "
        + ("official basis (untick “Ofsted's official statistics basis” above for the plain one)."
           if official_on else
           "plain basis (tick “Ofsted's official statistics basis” for the official one).")
        + " The monthly trend counts every month on the plain basis.")


def _without_judgement(params: national.Params, n_las: int) -> None:
    missing = query("national/without_judgement", **national.query_args(params))
    if missing.empty:
        st.success(f"Every one of the {n_las} LAs has a published judgement on this basis.")
        return
    st.caption(f"{len(missing)} of {n_las} LAs existing on {format_date(params.as_at)} have no "
               f"{area_phrase(params.area)} judgement on this basis: not yet inspected, "
               "report not yet published, or the report is missing from the collection "
               "(see Data and sources).")
    st.dataframe(missing.fillna({"region_name": "Not recorded", "la_type": "Not recorded"})
                 .rename(columns={"la_code": "LA code", "la_name": "Local authority",
                                  "region_name": "Region", "la_type": "LA type"}),
                 hide_index=True, width="stretch")


def main() -> None:
    st.title("National picture")
    require_database()

    areas = query("national/areas")
    area_options = [*areas["area"], "any_practice"]
    releases = _releases()

    # URL -> defaults (bad values fall back with a visible note)
    seed_state("nat_as_at", url_date("as_at", TODAY))
    seed_state("nat_area", url_choice("area", area_options, "overall_effectiveness"))
    seed_state("nat_framework", url_choice("framework", list(national.FRAMEWORK_LABELS), "any"))
    seed_state("nat_which", url_choice("which", list(national.WHICH_LABELS), "latest"))
    seed_state("nat_group", url_choice("group", list(national_by_group.GROUP_LABELS), "region"))
    seed_state("nat_no_secondary", st.query_params.get("secondary") == "exclude")
    seed_state("nat_current_wording", st.query_params.get("wording") == "current")
    seed_superseded("nat_superseded")
    _seed_region()
    if "nat_official" not in st.session_state:
        as_at0 = st.session_state["nat_as_at"]
        if "published_by" in st.query_params:
            # the link names the cut-off: the plain basis when it is the as-at date itself
            pb = url_date("published_by", as_at0, lo=as_at0)
            st.session_state["nat_official"] = pb != as_at0
            st.session_state["nat_published_by"] = pb if pb != as_at0 else \
                _default_cut_off(as_at0, releases)
        else:
            # official figures by default on the date of one of Ofsted's releases
            st.session_state["nat_official"] = as_at0 in releases
            st.session_state["nat_published_by"] = _default_cut_off(as_at0, releases)
    show_url_notes()

    c1, c2, c3, c4 = st.columns([1, 2, 1.2, 1.6])
    as_at = c1.date_input("As at", key="nat_as_at", min_value=HISTORY_START, max_value=TODAY,
                          format="DD/MM/YYYY", on_change=_date_defaults, args=(releases,))
    area = c2.selectbox("Judgement", area_options, key="nat_area", format_func=area_label)
    framework = c3.selectbox("Framework", list(national.FRAMEWORK_LABELS), key="nat_framework",
                             format_func=national.FRAMEWORK_LABELS.get)
    which = c4.radio("Count each LA's", list(national.WHICH_LABELS), key="nat_which",
                     format_func=national.WHICH_LABELS.get, horizontal=True)
    if releases:
        # the quick choices show which of them is the date chosen (if any)
        st.session_state["nat_release"] = as_at if as_at in releases else None
        st.pills("Ofsted's official statistics dates", list(releases), key="nat_release",
                 format_func=format_date, on_change=_release_picked, args=(releases,),
                 help="The dates of Ofsted's official 'as at' releases held here: picking one "
                      "counts on the release's basis and shows its published figures.")
    o1, o2 = st.columns([2, 1])
    # the latest release as the help's example (its dates come from the data)
    example = (f" (as at {format_date(max(releases))}: reports published by "
               f"{format_date(_cut_off(releases[max(releases)]))})" if releases else "")
    # short enough not to be cut at 390 px; the help says what it means
    official = o1.checkbox(
        "Ofsted's official statistics basis", key="nat_official",
        help="Inspections carried out by the date whose reports were published by a later "
             f"cut-off, as Ofsted's 'as at' statistics count them{example}. Unticked, the "
             "plain basis: reports published by the date itself. On the date of one of "
             "Ofsted's releases this is on, with the release's own cut-off; on any other "
             "date it is off. Changing the date resets it.")
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
             "counts with requires improvement and inadequate.")
    superseded = superseded_option("nat_superseded")
    set_url(as_at=as_at, area=area, framework=framework, which=which,
            # on a release date the plain basis is written as the date itself, so a copied
            # link reopens it rather than the release's default
            published_by=published_by if published_by and published_by != as_at
            else as_at if as_at in releases else None,
            group=st.session_state["nat_group"],
            secondary="exclude" if no_secondary else None,
            wording="current" if current_wording else None)

    fw = None if framework == "any" else framework
    wording = "current" if current_wording else "at_the_time"
    params = national.Params(as_at=as_at, area=area, framework=fw, which=which,
                             published_by=published_by, include_secondary=not no_secondary,
                             superseded=superseded, wording=wording)
    n_las = _headline(params)
    _region_headline(params)
    if area == "overall_effectiveness" and which == "latest":
        no_overall_table(as_at, published_by=published_by, framework=fw,
                         include_secondary=not no_secondary, key="nat-no-overall", fit=True)
    if as_at in releases:
        _official_comparison(params, releases[as_at], official)

    st.header("Distribution")
    try:
        chart_block(render(national, params), "national-distribution",
                    column_config=plain_columns(national.COLUMNS, national.LABELS))
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
             f"national-by-{group}",
             column_config=plain_columns(list(national_by_group.LABELS),
                                         national_by_group.LABELS))

    st.header("How the picture has changed")
    show(national_trend, national_trend.Params(as_at=as_at, area=area, framework=fw,
                                               include_secondary=not no_secondary,
                                               superseded=superseded, wording=wording),
         "national-trend",
         column_config=plain_columns(national_trend.COLUMNS, national_trend.LABELS,
                                     dates=["as_at"]))

    st.header("LAs without a published judgement")
    _without_judgement(params, n_las)


main()
