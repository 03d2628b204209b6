"""Local authority profile: one LA's inspections and visits under every framework since 2009
(SLAC, CPI, LAC2013, SIF, ILACS; area SEND too, on its own scale), with its predecessors' and
each one's source, its reorganisations and its statistical neighbours. URL: ?la=891"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.figures import categories, cycle, la_timeline
from etl.figures.export import export_data
from etl.figures.style import CHART_GRADES, area_label, format_date, grade_label
from etl.vocab import AREA_SEND_LABELS, NO_OVERALL_GRADE
from views._shared import (
    TODAY,
    data_status,
    empty_state,
    la_names,
    la_row,
    query,
    require_database,
    set_url,
    show,
    show_data_end_caveat,
    show_url_notes,
    url_la,
)
from views._tables import (
    date_range_text,
    date_text,
    day_column,
    grade_column,
    link,
    people_table,
    words_column,
)

DEFAULT_LA = "891"  # Nottinghamshire: seeds 000 and 001 are its committee papers
TYPE_LABELS = la_timeline.TYPE_LABELS
GRADE_AREAS = ("leadership", "help_and_protection", "children_looked_after",
               "children_in_care_and_care_leavers", "care_leavers", "adoption", "lscb",
               "safeguarding")
EVIDENCE_LABELS = {
    "primary": "Ofsted document",
    "derived": "Derived (scraped list or council paper)",
    "secondary": "⚠ Secondary (news or council web page only)",
}
SOURCE_KINDS = {
    "ofsted_report_pdf": "Ofsted report",
    "ofsted_official_stats": "Ofsted official statistics",
    "ofsted_csc_statistics": "Ofsted official statistics (2023 release)",
    "scraper_csv": "community scraper (CSV)",
    "scraper_summary_xlsx": "community scraper (XLSX)",
    "council_paper_table": "council paper",
    "secondary_web": "news or council web page",
    "area_send_report_pdf": "Ofsted/CQC area SEND report",
    "scraper_area_send_xlsx": "community scraper (area SEND)",
}
FRAMEWORK_ORDER = ("SLAC", "CPI", "LAC2013", "SIF", "ILACS")


def _grade(g: object) -> str:
    return grade_label(g) if isinstance(g, str) and g in CHART_GRADES else ""


def _overall(r: pd.Series) -> str:
    """The overall effectiveness the figures count: SLAC's derived, none since April 2026."""
    if r["regime"] != "childrens_services":
        return ""
    if bool(r["no_overall_by_design"]) and bool(r["is_inspection"]):
        return grade_label(NO_OVERALL_GRADE)
    label = _grade(r["overall_grade"])
    if label and r["framework"] == "SLAC":
        return f"{label} (derived from its strands)"
    return label


def _facts(info: pd.Series, la: str) -> None:
    facts = [f"DfE code **{la}**"]
    for col, label in (("ons_code", "ONS code"), ("ofsted_urn", "Ofsted URN"),
                       ("region_name", "Region"), ("la_type", "Type")):
        if isinstance(info[col], str) and info[col]:
            facts.append(f"{label} **{info[col]}**")
    if not pd.isna(info["valid_from"]):
        facts.append(f"created **{format_date(info['valid_from'])}**")
    if not pd.isna(info["valid_to"]):
        facts.append(f"abolished **{format_date(info['valid_to'])}**")
    st.markdown(" · ".join(facts))


def _reorganisations(la: str) -> None:
    reorg = query("la/reorganisations", la_code=la)
    if reorg.empty:
        return
    with st.container(border=True):
        st.markdown("**Reorganisation**")
        for r in reorg.itertuples():
            when = format_date(r.change_date)
            other = f"[{r.other_name or r.other_la_code}](/la?la={r.other_la_code})"
            if r.relation == "predecessor":
                st.markdown(f"- Formed on {when} from {other} ({r.kind}): {r.notes or ''}")
            elif r.relation == "successor":
                st.markdown(f"- On {when} its area passed to {other} ({r.kind}): "
                            f"{r.notes or ''}")
            else:
                st.markdown(f"- {when}: {r.kind.replace('_', ' ')} — {r.notes or ''}")
        if (reorg["relation"] == "predecessor").any():
            st.caption("The timeline below includes the predecessors' inspections, marked with "
                       "their names: the history follows the area's services.")


def _summary(tl: pd.DataFrame) -> None:
    inspections = tl[tl["is_inspection"].fillna(False).astype(bool)
                     & (tl["regime"] == "childrens_services")]
    summary = []
    for fw in FRAMEWORK_ORDER:
        sub = inspections[inspections["framework"] == fw]
        if sub.empty:
            if fw in ("SIF", "ILACS"):
                summary.append(f"no {fw} inspection in the collection")
        else:
            r = sub.iloc[0]
            summary.append(
                f"latest {fw}: **{_overall(r).lower() or 'no overall grade'}**"
                f" ({TYPE_LABELS.get(r['inspection_type'], r['inspection_type'])}"
                + (f" ended {format_date(r['end_date'])}" if not pd.isna(r["end_date"]) else "")
                + (f", published {format_date(r['published_date'])}"
                   if not pd.isna(r["published_date"]) else "") + ")")
    n_send = int((tl["regime"] == "area_send").sum())
    n_visits = len(tl) - len(inspections) - n_send
    st.markdown(f"{len(inspections)} inspection{'s' if len(inspections) != 1 else ''} of "
                f"children's services since 2009 and {n_visits} "
                f"{'visit or review' if n_visits == 1 else 'visits or reviews'}"
                + (f" (and {n_send} area SEND inspection{'s' if n_send != 1 else ''})"
                   if n_send else "") + "; " + "; ".join(summary) + ".")


def _kinds(kinds: object) -> str:
    if not isinstance(kinds, str):
        return ""
    return ", ".join(SOURCE_KINDS.get(k.strip(), k.strip()) for k in kinds.split(","))


REPORT_KINDS = {"ofsted_report_pdf": "Ofsted report",
                "area_send_report_pdf": "Ofsted/CQC area SEND report"}


def _source(r: pd.Series) -> str:
    """The row's source as a reader needs it: the document, linked ("Ofsted report", or the
    release's or paper's title), then the web pages that corroborate it and any disagreement
    between sources."""
    text = link(REPORT_KINDS.get(r["source_kind"], r["source_title"]), r["source_url"])
    if isinstance(r["corroborated_by"], str):
        pages = [u.strip() for u in str(r["secondary_urls"] or "").split(";") if u.strip()]
        text += "; corroborated by news or council web pages" + (
            ": " + ", ".join(link(f"page {i}", u) for i, u in enumerate(pages, start=1))
            if pages else "")
    if r["has_conflict"] is True:
        text += "; ⚠ sources disagree on a grade"
    return text


def _published(published: object, bound: object) -> str:
    if not pd.isna(published):
        return date_text(published)
    if not pd.isna(bound):
        return f"by {date_text(bound)} (no date held)"
    return ""


def _judgements(r: pd.Series) -> str:
    """The inspection's judgements other than overall effectiveness, in words."""
    return "; ".join(f"{area_label(a)}: {_grade(r[a]).lower()}" for a in GRADE_AREAS
                     if _grade(r[a]))


def _timeline_table(tl: pd.DataFrame, la: str) -> None:
    """The LA's inspections for a reader: one row each, grades in words, dates written out,
    each row's source a link; six columns whose cells wrap, so it fits the page."""
    bound = la_timeline.publication_bound(tl)
    table = pd.DataFrame({
        "Inspected": [date_range_text(a, b) for a, b in
                      zip(tl["start_date"], tl["end_date"], strict=True)],
        "Published": [_published(p, b) for p, b in zip(tl["published_date"], bound, strict=True)],
        "Predecessor": tl["la_name"].where(tl["la_code"] != la, ""),
        "Inspection": [la_timeline.row_label(f, t)
                       for f, t in zip(tl["framework"], tl["inspection_type"], strict=True)],
        "Overall effectiveness": [_overall(r) for _, r in tl.iterrows()],
        "Other judgements": [_judgements(r) for _, r in tl.iterrows()],
        "Area SEND outcome (own scale)": tl["area_send_outcome"].map(
            lambda g: AREA_SEND_LABELS.get(g, "") if isinstance(g, str) else ""),
        "Evidence": tl["evidence"].map(lambda e: EVIDENCE_LABELS.get(e, e)),
        "Source": [_source(r) for _, r in tl.iterrows()],
    })
    optional = {"Predecessor", "Area SEND outcome (own scale)", "Overall effectiveness",
                "Other judgements"}
    table = table[[c for c in table.columns if c not in optional or table[c].ne("").any()]]
    if (tl["evidence"] == "primary").all():
        table = table.drop(columns="Evidence")  # every row rests on an Ofsted document
    people_table(table)
    st.caption("Source: the most trusted document that describes the inspection (an Ofsted "
               "report where the collection has one, else Ofsted's official statistics or a "
               "council paper), linked; news or council web pages that say the same are kept "
               "as corroboration, not as the grade's source. Where sources disagree on a "
               "grade, the table shows the most trusted source's (Data and sources lists "
               "the conflicts)."
               + (" " + categories.adequate_note() if (tl["overall_grade"] == "adequate").any()
                  else "")
               + (" An ILACS inspection that started on or after 20 April 2026 gives no overall "
                  "grade; its other judgements stand."
                  if (tl["no_overall_by_design"] & tl["is_inspection"].fillna(False)).any()
                  else "")
               + (" Area SEND inspections (Ofsted and CQC, of the local area partnership) have "
                  "outcomes on a scale of their own, never counted with these grades."
                  if (tl["regime"] == "area_send").any() else ""))
    undated = int((tl["start_date"].isna() & tl["end_date"].isna() & tl["published_date"].isna()
                   & bound.isna()).sum())
    if undated:
        st.caption(f"{undated} entries have no date in any source (known only from a list or "
                   "a paper), so they are in the table but not on the chart.")
    n_secondary = int((tl["evidence"] == "secondary").sum())
    if n_secondary:
        st.warning(f"{n_secondary} of these rest on secondary evidence only (a news story or "
                   "council web page, no Ofsted document in the collection): treat their "
                   "grades and dates as provisional.", icon=":material/warning:")
    n_corroborated = int(tl["corroborated_by"].notna().sum())
    if n_corroborated:
        st.caption(f"{n_corroborated} of these are also described by news or council web "
                   "pages (secondary evidence): the official record is the source, the pages "
                   "corroborate it.")
    st.download_button("Download the timeline (CSV)", export_data(tl, "csv"),
                       f"la-{la}-timeline.csv", "text/csv", key="lp-csv")


def _next_due(la: str, name: str) -> None:
    """When the LA is next due an ILACS inspection, and the rule that says so (the Cycle
    completion page lists every LA)."""
    row = query("cycle/ilacs_next_due_of", as_at=TODAY, la_code=la)  # its row, not every LA's
    st.subheader("Next ILACS inspection")
    if row.empty:
        empty_state(f"{name} no longer exists, so it is not due an inspection; its area's "
                    "successors are (see Reorganisation above).")
        return
    r = row.iloc[0]
    c1, c2 = st.columns(2)
    if pd.isna(r["next_due"]):
        c1.metric("Next ILACS inspection due (about)", "Not yet set",
                  "no ILACS inspection yet", delta_color="off", delta_arrow="off")
    else:
        due_on = pd.Timestamp(r["next_due"]).date()
        months = round((due_on - TODAY).days / 30.44)
        when = (f"overdue on this rule by {_months(-months)}" if months < 0
                else "due this month" if months == 0 else f"in {_months(months)}")
        c1.metric("Next ILACS inspection due (about)", format_date(due_on), when,
                  delta_color="off", delta_arrow="off")
        c2.metric("Last ILACS inspection ended", format_date(r["last_inspected"]),
                  TYPE_LABELS.get(r["inspection_type"], r["inspection_type"]).capitalize(),
                  delta_color="off", delta_arrow="off")
    latest = data_status()["data_end"]
    st.caption(f"**The rule:** {cycle.NEXT_DUE_RULE}. {cycle.next_due_sentence(r)} "
               f"{cycle.NEXT_DUE_CAVEAT}"
               + (f" The newest report held was published {format_date(latest)}: an "
                  "inspection since then is not counted yet." if latest else "")
               + " [Every LA's date](/cycle) is on the Cycle completion page.")


def _months(n: int) -> str:
    years, months = divmod(n, 12)
    parts = ([f"{years} year{'s' if years != 1 else ''}"] if years else []) + (
        [f"{months} month{'s' if months != 1 else ''}"] if months else [])
    return " ".join(parts) or "less than a month"


# The timeline chart's data in words (its CSV keeps the codes).
# The timeline chart's data in words (its CSV keeps the codes and each row's source title,
# which the table above links): widths that fit a 1440 px screen.
TIMELINE_COLUMNS = {
    "date": day_column("On the chart at", width=115),
    "row": st.column_config.TextColumn("Inspection", width=170),
    "grade": grade_column("Overall effectiveness", extra=[NO_OVERALL_GRADE], width=190),
    "la_code": None,
    "la_name": st.column_config.TextColumn("Local authority", width=150),
    "framework": None,
    "inspection_type": None,
    "published_date": day_column("Published", width=115),
    "evidence": None,  # the table above flags any row that is not an Ofsted document
    "overall_text": None,
    "area_send_outcome": words_column("Area SEND outcome", AREA_SEND_LABELS, width=190),
    "source_title": None,
}


VINTAGE_TABS = {"2025": "2025 model (the lookup's current set)",
                "2021": "2021 model (the lookup's previous set)"}


def _neighbours(la: str, name: str) -> None:
    nbs = query("la/neighbours", la_code=la)
    if nbs.empty:
        empty_state(f"{name} has no statistical neighbours in DfE's sets (the model "
                    "covers current LAs; an LA abolished before it was made has none).")
        return
    # the neighbours' grades only, not every LA's (at 1000 times today's LAs, 153,000 rows)
    current = query("national/latest_judgements_of", area="overall_effectiveness", as_at=TODAY,
                    framework=None, published_by=None, which="latest",
                    include_secondary=True, superseded="not_current", wording="at_the_time",
                    las=",".join(sorted(set(nbs["la_code"]))))
    by_la = current.set_index("la_code")
    in_force = str(query("neighbours/vintage_in_force", as_at=TODAY)["vintage"].iloc[0])
    vintages = [v for v in (in_force, *VINTAGE_TABS) if v in set(nbs["vintage"])]
    vintages = list(dict.fromkeys(vintages))
    tabs = st.tabs([VINTAGE_TABS.get(v, v) + (" — in force" if v == in_force else "")
                    for v in vintages])
    for tab, vintage in zip(tabs, vintages, strict=True):
        sub = nbs[nbs["vintage"] == vintage]
        with tab:
            lines = []
            for r in sub.itertuples():
                extra = ""
                if r.la_code in by_la.index and isinstance(by_la.at[r.la_code, "grade"], str):
                    row = by_la.loc[r.la_code]
                    if row["grade"] == NO_OVERALL_GRADE:
                        extra = (" — no overall grade: inspected since the April 2026 change"
                                 + (f" (previous: {_grade(row['previous_grade']).lower()})"
                                    if isinstance(row["previous_grade"], str) else ""))
                    else:
                        extra = (f" — {_grade(row['grade']).lower()} "
                                 f"({pd.Timestamp(row['published_date']):%B %Y})")
                elif not pd.isna(r.valid_to):
                    extra = f" — abolished {format_date(r.valid_to)}"
                band = f" *({r.closeness.lower()})*" if isinstance(r.closeness, str) else ""
                lines.append(f"{r.rank}. [{r.la_name or r.la_code}](/la?la={r.la_code})"
                             f"{band}{extra}")
            st.markdown("\n".join(lines))
    st.caption("Latest overall effectiveness grade published by today; in brackets, DfE's "
               "closeness band. "
               f"[Compare with its neighbours](/neighbours?la={la}) on the Statistical "
               "neighbours page.")
    show_data_end_caveat(TODAY)


def main() -> None:
    st.title("Local authority profile")
    require_database()

    names = la_names()
    la = url_la("la", DEFAULT_LA if DEFAULT_LA in names else next(iter(names)), names)
    show_url_notes()
    if "lp_la" not in st.session_state:
        st.session_state["lp_la"] = la
    la = st.selectbox("Local authority", list(names), key="lp_la",
                      format_func=lambda c: f"{names[c]} ({c})")
    set_url(la=la)

    info = la_row(la)
    st.header(info["name"])
    _facts(info, la)
    _reorganisations(la)
    _next_due(la, info["name"])

    st.subheader("Inspections and visits")
    tl = query("la/timeline", la_code=la)
    if tl.empty:
        empty_state(f"The collection holds no inspection or visit of {info['name']}. "
                    "Newer LAs may not have been inspected yet; see Data and sources for "
                    "coverage gaps.")
    else:
        _summary(tl)
        single = bool((tl["la_code"] == la).all())  # no predecessors: one LA, said in the title
        show(la_timeline, la_timeline.Params(la=la, as_at=TODAY), f"lp-timeline-{la}",
             column_config={**TIMELINE_COLUMNS, **({"la_name": None} if single else {})})
        _timeline_table(tl, la)

    st.subheader("Statistical neighbours")
    _neighbours(la, info["name"])


main()
