"""Local area: one LA's whole picture as at a date — its children's services judgements (ILACS),
its area SEND inspection outcome (with the areas for priority action and for improvement) and
its children's social care providers' share good or better with its 2009 performance band (as
Leicestershire County Council's paper of 27 November 2009 quotes Ofsted's bands), each beside
its statistical neighbours, region and England, with the figure's date and source.
URL: ?la=891 (a code or any spelling of a name)&as_at=2025-03-31&vintage=current"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.figures import local_area_send, local_providers
from etl.figures.chart import EARLIEST
from etl.figures.local_area import LOCAL_VINTAGES, band_name, share_of
from etl.figures.style import BAND_LABELS, BAND_NAMES, BANDS_PAPER, format_date, format_pct
from views._shared import (
    TODAY,
    as_text,
    data_end_caveat,
    dates_in_words,
    empty_state,
    la_names,
    la_row,
    plain_columns,
    query,
    require_database,
    seed_state,
    set_url,
    show,
    show_url_notes,
    url_choice,
    url_date,
    url_la,
    wrapping_table,
)

DEFAULT_LA = "891"  # Nottinghamshire: seed 000 reports its whole local picture to its Trust
VINTAGE_LABELS = {"current": "DfE 2025 model (current set)",
                  "previous": "DfE 2021 model (previous set)"}
COMBINED_AREA = "children_in_care_and_care_leavers"
SPLIT_AREAS = ("children_looked_after", "care_leavers")
SECTIONS = {"areas_for_priority_action": "Areas for priority action",
            "areas_for_improvement": "Areas for improvement"}
EVIDENCE = {"primary": "the report itself",
            "derived": "a community scraper's list of reports (the report is not in the "
                       "collection)"}


ROW_KINDS = {"la": "This local authority", "neighbour": "Statistical neighbour",
             "region": "Region", "england": "England"}
# What each chart's table shows in words, and the code columns it leaves out (each repeats a
# labelled column beside it; the downloads keep both).
TABLES = {
    local_area_send.NAME: dict(values={"row_kind": ROW_KINDS}, hide=("outcome",)),
    local_providers.NAME: dict(values={"band": BAND_LABELS},
                               hide=("provider_type", "comparator")),
}


def _columns(module) -> dict:
    """The chart's data table in plain English (names in words, shares as percentages, codes
    in words or left out)."""
    config = plain_columns(module.COLUMNS, module.LABELS, **TABLES.get(module.NAME, {}))
    if "report_url" in config:
        config["report_url"] = st.column_config.LinkColumn("Report", display_text="report")
    return config


def _day(value: object) -> str:
    return "" if pd.isna(value) else format_date(value)


def _group(row: pd.Series | None) -> str:
    """'7 of 10 (70%)': a comparator's LAs good or better (or positive) of those judged."""
    if row is None or not row["n_judged"]:
        return "none judged"
    return f"{int(row['n_favourable'])} of {int(row['n_judged'])} " \
           f"({format_pct(row['share_favourable'])})"


def _facts(info: pd.Series, la: str) -> None:
    facts = [f"DfE code **{la}**"]
    for col, label in (("region_name", "Region"), ("la_type", "Type")):
        if isinstance(info[col], str) and info[col]:
            facts.append(f"{label} **{info[col]}**")
    if not pd.isna(info["valid_from"]):
        facts.append(f"created **{format_date(info['valid_from'])}**")
    if not pd.isna(info["valid_to"]):
        facts.append(f"abolished **{format_date(info['valid_to'])}**")
    facts.append(f"[All its inspections](/la?la={la}) · "
                 f"[Against its neighbours](/neighbours?la={la})")
    st.markdown(" · ".join(facts))


# ---------------------------------------------------------------- children's services


def _childrens_services(summary: pd.DataFrame, name: str, region: str, as_at) -> None:
    cs = summary[summary["section"] == "childrens_services"]
    judged = cs.groupby("measure", sort=False)["n_judged"].sum()
    cs = cs[cs["measure"].isin(judged[judged > 0].index)]
    la_rows = cs[cs["comparator"] == "la"]
    if cs.empty or not la_rows["n_judged"].gt(0).any():
        empty_state(f"{name} has no ILACS judgement published by {format_date(as_at)}. "
                    "(ILACS inspections began in January 2018; see all its inspections on the "
                    "Local authority profile page.)")
        if cs.empty:
            return
    by = {(r.measure, r.comparator): r for r in cs.itertuples()}
    # children in care and care leavers were one judgement until December 2022: an LA judged on
    # both sides of the split has an older combined grade that its newer ones replace
    split_dates = [by[(m, "la")].dated for m in SPLIT_AREAS
                   if (m, "la") in by and not pd.isna(by[(m, "la")].dated)]
    rows = []
    for measure, label in dict(zip(cs["measure"], cs["measure_label"], strict=True)).items():
        la = by.get((measure, "la"))
        value = la.value_label if la is not None and isinstance(la.value_label, str) else "—"
        if measure == COMBINED_AREA:
            label += " (one judgement until 2022)"
            if value != "—" and split_dates and max(split_dates) > la.dated:
                value += " (replaced by the two judgements below)"

        def group(c: str, m: str = measure) -> str:
            r = by.get((m, c))
            return _group(None if r is None else pd.Series(r._asdict()))

        rows.append({
            "Judgement": label,
            name: value,
            "Inspection ended": _day(la.dated) if la is not None else "",
            "Published": _day(la.published_date) if la is not None else "",
            "Neighbours": group("neighbours"),
            region or "Region": group("region"),
            "England": group("england"),
        })
    wrapping_table(pd.DataFrame(rows))
    src = la_rows[la_rows["n_judged"] > 0]
    sources = src.drop_duplicates("source_id")
    notes = ["Neighbours, region and England: LAs judged good or better of those with a "
             "grade. Each LA's latest ILACS judgement in each area published by the date, so an "
             "area's grade may come from an earlier inspection than another's (children in "
             "care and care leavers were one judgement until December 2022 and two since; "
             "inspections since April 2026 give no overall effectiveness grade). Neighbours "
             f"exclude {name}; region and England include it."]
    for r in sources.itertuples():
        link = f" ([report]({r.report_url}))" if isinstance(r.report_url, str) else ""
        notes.append(f"Source of {name}'s grades: {as_text(dates_in_words(r.source_title))}{link}.")
    st.caption(" ".join(notes))


# ---------------------------------------------------------------- area SEND


def _later_inspection(la: str, as_at) -> str:
    """A sentence about an area SEND report published after the chosen date ('' if none)."""
    if as_at >= TODAY:
        return ""
    row = query("local_area/area_send_outcomes_of", as_at=TODAY, las=la)
    if row.empty or pd.isna(row["inspection_id"].iloc[0]):
        return ""
    r = row.iloc[0]
    outcome = r["outcome_label"] if isinstance(r["outcome_label"], str) else "no readable outcome"
    return (f" Its inspection ending {_day(r['end_date'])} was published on "
            f"{_day(r['published_date'])}, after this date ({outcome.lower()}).")


def _area_send(la: str, name: str, as_at, vintage: str) -> None:
    # the LA's own row, and England's counts (not every LA's row)
    row = query("local_area/area_send_outcomes_of", as_at=as_at, las=la)
    dist = query("local_area/area_send_distribution", as_at=as_at, published_by=None)
    england = dist[dist["geography"] == "England"].head(1)
    progress = (f"{int(england['n_inspected'].iloc[0])} of England's "
                f"{int(england['n_las'].iloc[0])} LAs "
                f"({format_pct(england['share_inspected'].iloc[0])}) had an area SEND report "
                f"under the 2023 framework published by {format_date(as_at)}."
                ) if len(england) else ""
    if row.empty:
        empty_state(f"{name} was not a local authority on {format_date(as_at)}.")
        return
    r = row.iloc[0]
    if pd.isna(r["inspection_id"]):
        empty_state(f"{name} had no area SEND inspection under the 2023 framework with a "
                    f"report published by {format_date(as_at)}."
                    f"{_later_inspection(la, as_at)} {progress} Its neighbours' outcomes are "
                    "below.")
    elif not isinstance(r["outcome"], str):
        st.warning(f"{name} was inspected ({_day(r['start_date'])} to {_day(r['end_date'])}, "
                   f"published {_day(r['published_date'])}), but its outcome could not be read "
                   "from the sources: see Data and sources → quarantine for the reason.",
                   icon=":material/warning:")
    else:
        with st.container(border=True):
            st.markdown(f"**{r['outcome_label']}**")
            evidence = EVIDENCE.get(r["evidence"], str(r["evidence"]))
            link = f" · [report]({r['report_url']})" if isinstance(r["report_url"], str) else ""
            st.caption(f"Inspected {_day(r['start_date'])} to {_day(r['end_date'])}; published "
                       f"{_day(r['published_date'])}. Source: {as_text(dates_in_words(r['source_title']))}, "
                       f"from {evidence}{link}. The outcome is on the 2023 framework's own "
                       "three-point scale (not Ofsted's four grades). " + progress)
        _findings(la, str(r["inspection_id"]))
    show(local_area_send, local_area_send.Params(la=la, as_at=as_at, vintage=vintage),
         f"local-send-{la}", column_config=_columns(local_area_send))


def _findings(la: str, inspection_id: str) -> None:
    found = query("local_area/area_send_findings", la_code=la)
    found = found[found["inspection_id"] == inspection_id]
    if found.empty:
        st.caption("No areas for priority action or improvement were extracted for this "
                   "inspection (the report is not in the collection, or it has none).")
        return
    for section, label in SECTIONS.items():
        sub = found[found["section"] == section]
        for r in sub.itertuples():
            pages = (f"page {r.first_page}" if r.first_page == r.last_page
                     else f"pages {r.first_page}–{r.last_page}")
            with st.expander(f"{label} ({pages} of the report)"):
                st.markdown(as_text(r.text, limit=20_000))
                st.caption("As extracted from the report's text (layout can reorder a few "
                           "words); the report itself is the authority.")


# ---------------------------------------------------------------- providers


def _providers(la: str, name: str, as_at, vintage: str) -> None:
    comp = query(local_providers.QUERY, la_code=la, as_at=as_at, vintage=vintage)
    own = comp[comp["comparator"] == "la"]
    if len(own) and own["n_las"].gt(0).any():
        total = own[own["provider_type"] == "all"].iloc[0]
        m1, m2, m3 = st.columns(3)
        m1.metric("Providers good or better",
                  share_of(total["n_good_or_better"], total["n_providers"],
                           total["share_good_or_better"]),
                  help="Providers located in the LA with an overall grade at their latest "
                       "full inspection.")
        m2.metric("Band (2009 performance bands)", band_name(total["band"]).capitalize(),
                  help="Ofsted's 2009 performance bands of the share good or better, as "
                       f"{BANDS_PAPER} quotes them: 80% or more dark green, 65–79% light "
                       "green, 50–64% amber, under 50% red.")
        m3.metric("Places good or better",
                  share_of(total["places_good_or_better"], total["places"],
                           total["share_places_good_or_better"]),
                  help="Registered places of those providers (agencies have none).")
        st.caption(f"Providers as at {_day(total['facts_as_at'])} (the latest release on or "
                   f"before {format_date(as_at)}); source: {as_text(dates_in_words(total['source_title']))}.")
    chart = show(local_providers, local_providers.Params(la=la, as_at=as_at, vintage=vintage),
                 f"local-providers-{la}", column_config=_columns(local_providers))
    if chart is None or own.empty:
        return
    table = own[own["n_providers"] > 0]
    shown = pd.DataFrame({
        "Provider type": table["provider_type_label"],
        "Providers with a grade": table["n_providers"],
        "Good or better": table["n_good_or_better"],
        "Share": table["share_good_or_better"].map(format_pct),
        "Band": table["band"].map(lambda b: BAND_NAMES.get(b, "").capitalize()),
        "Places": table["places"].map(lambda p: str(int(p)) if p else "—"),
        "Places good or better": [format_pct(s) if p else "—" for s, p in
                                  zip(table["share_places_good_or_better"], table["places"],
                                      strict=True)],
    })
    wrapping_table(shown)


# ---------------------------------------------------------------- page


def main() -> None:
    st.title("Local area")
    require_database()
    st.caption("One local authority's whole picture, as a Children's Trust paper reports it: "
               "its children's services judgements, its area SEND inspection outcome and its "
               "children's social care providers' share good or better, each beside its "
               "statistical neighbours, its region and England, with each figure's date and "
               "source.")

    names = la_names()
    default = DEFAULT_LA if DEFAULT_LA in names else next(iter(names))
    seed_state("la_la", url_la("la", default, names))
    seed_state("la_vintage", url_choice("vintage", list(LOCAL_VINTAGES), "current"))
    seed_state("la_as_at", url_date("as_at", TODAY, lo=EARLIEST))
    show_url_notes()

    c1, c2, c3 = st.columns([3, 2, 2])
    la = c1.selectbox("Local authority", list(names), key="la_la",
                      format_func=lambda c: f"{names[c]} ({c})")
    vintage = c2.radio("Neighbour set", list(LOCAL_VINTAGES), key="la_vintage",
                       format_func=VINTAGE_LABELS.get, horizontal=True)
    as_at = c3.date_input("As at", key="la_as_at", min_value=EARLIEST, max_value=TODAY,
                          format="DD/MM/YYYY")
    set_url(la=la, vintage=vintage, as_at=as_at)

    info = la_row(la)
    name, region = str(info["name"]), info["region_name"]
    region = region if isinstance(region, str) else ""
    st.header(name)
    _facts(info, la)
    caveat = data_end_caveat(as_at)
    if caveat:
        st.caption(caveat)

    st.subheader("Children's services (ILACS)")
    summary = query("local_area/la_summary", la_code=la, as_at=as_at, vintage=vintage,
                    framework="ILACS")
    _childrens_services(summary, name, region, as_at)

    st.subheader("Area SEND inspection (2023 framework)")
    _area_send(la, name, as_at, vintage)

    st.subheader("Children's social care providers")
    _providers(la, name, as_at, vintage)


main()
