"""Local authority profile: one LA's inspections and visits across frameworks (with its
predecessors'), its reorganisations and its statistical neighbours. URL: ?la=891"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.figures import la_timeline
from etl.figures.export import export_data
from etl.figures.style import GRADE_LABELS, area_label, format_date
from views._shared import (
    TODAY,
    empty_state,
    las,
    query,
    require_database,
    set_url,
    show,
    show_url_notes,
    url_choice,
)

DEFAULT_LA = "891"  # Nottinghamshire: seeds 000 and 001 are its committee papers
TYPE_LABELS = la_timeline.TYPE_LABELS
GRADE_AREAS = ("overall_effectiveness", "leadership", "help_and_protection",
               "children_looked_after", "children_in_care_and_care_leavers", "care_leavers",
               "adoption", "lscb")
EVIDENCE_LABELS = {
    "primary": "Ofsted document",
    "derived": "derived (scraped list or council paper)",
    "secondary": "⚠ secondary (news or council web page only)",
}


def _grade(g: object) -> str:
    return GRADE_LABELS.get(g, "") if isinstance(g, str) else ""


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
    inspections = tl[tl["is_inspection"].fillna(False).astype(bool)]
    summary = []
    for fw in ("SIF", "ILACS"):
        sub = inspections[inspections["framework"] == fw]
        if sub.empty:
            summary.append(f"no {fw} inspection in the collection")
        else:
            r = sub.iloc[0]
            summary.append(
                f"latest {fw}: **{_grade(r['overall_effectiveness']).lower() or 'no overall grade'}**"
                f" ({TYPE_LABELS.get(r['inspection_type'], r['inspection_type'])}"
                + (f" ended {format_date(r['end_date'])}" if not pd.isna(r["end_date"]) else "")
                + (f", published {format_date(r['published_date'])}"
                   if not pd.isna(r["published_date"]) else "") + ")")
    st.markdown(f"{len(inspections)} graded inspections and {len(tl) - len(inspections)} "
                f"visits or reviews; " + "; ".join(summary) + ".")


def _timeline_table(tl: pd.DataFrame, la: str) -> None:
    bound = la_timeline.publication_bound(tl)
    table = pd.DataFrame({
        "Started": pd.to_datetime(tl["start_date"]).dt.date,
        "Ended": pd.to_datetime(tl["end_date"]).dt.date,
        "Published": pd.to_datetime(tl["published_date"]).dt.date,
        "Published by (undated)": pd.to_datetime(bound).dt.date,
        "Framework": tl["framework"],
        "Type": tl["inspection_type"].map(lambda t: TYPE_LABELS.get(t, t)),
        "Local authority": tl["la_name"],
        **{area_label(a): tl[a].map(_grade) for a in GRADE_AREAS},
        "Evidence": tl["evidence"].map(lambda e: EVIDENCE_LABELS.get(e, e)),
        "Sources": tl["source_kinds"],
        "Sources disagree": tl["has_conflict"].map(lambda c: "yes" if c is True else ""),
        "Report": tl["report_url"],
    })
    table = table[[c for c in table.columns
                   if c not in {area_label(a) for a in GRADE_AREAS} or table[c].ne("").any()]]
    if (tl["la_code"] == la).all():
        table = table.drop(columns="Local authority")
    if table["Published by (undated)"].isna().all():
        table = table.drop(columns="Published by (undated)")
    day = st.column_config.DateColumn(format="D MMM YYYY", width=100)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={
                     "Started": day, "Ended": day, "Published": day,
                     "Published by (undated)": day,
                     "Report": st.column_config.LinkColumn("Report",
                                                           display_text="open report")})
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
    if tl["has_conflict"].fillna(False).astype(bool).any():
        st.caption("'Sources disagree': sources give different grades for a judgement; the "
                   "table shows the most trusted source's (see Data and sources → conflicts).")
    st.download_button("Download the timeline (CSV)", export_data(tl, "csv"),
                       f"la-{la}-timeline.csv", "text/csv", key="lp-csv")


def _neighbours(la: str, name: str) -> None:
    nbs = query("la/neighbours", la_code=la)
    if nbs.empty:
        empty_state(f"{name} has no statistical neighbours in DfE's sets (the model "
                    "covers current LAs; an LA abolished before it was made has none).")
        return
    current = query("national/latest_judgements", area="overall_effectiveness", as_at=TODAY,
                    framework=None, published_by=None, which="latest",
                    include_secondary=True)
    grade_of = dict(zip(current["la_code"], current["grade"], strict=True))
    pub_of = dict(zip(current["la_code"], current["published_date"], strict=True))
    tabs = st.tabs([f"{v.capitalize()} DfE set" for v in ("current", "previous")])
    for tab, vintage in zip(tabs, ("current", "previous"), strict=True):
        sub = nbs[nbs["vintage"] == vintage]
        with tab:
            if sub.empty:
                st.caption(f"No {vintage} neighbours recorded.")
                continue
            lines = []
            for r in sub.itertuples():
                g = grade_of.get(r.la_code)
                extra = ""
                if isinstance(g, str):
                    extra = f" — {_grade(g).lower()} ({pd.Timestamp(pub_of[r.la_code]):%b %Y})"
                elif not pd.isna(r.valid_to):
                    extra = f" — abolished {format_date(r.valid_to)}"
                lines.append(f"{r.rank}. [{r.la_name or r.la_code}](/la?la={r.la_code})"
                             f"{extra}")
            st.markdown("\n".join(lines))
    st.caption("Latest overall effectiveness grade published today. "
               f"[Compare with its neighbours](/neighbours?la={la}) on the Statistical "
               "neighbours page.")


def main() -> None:
    st.title("Local authority profile")
    require_database()

    la_df = las()
    names = dict(zip(la_df["la_code"], la_df["name"], strict=True))
    la = url_choice("la", list(names), DEFAULT_LA if DEFAULT_LA in names else next(iter(names)))
    show_url_notes()
    if "lp_la" not in st.session_state:
        st.session_state["lp_la"] = la
    la = st.selectbox("Local authority", list(names), key="lp_la",
                      format_func=lambda c: f"{names[c]} ({c})")
    set_url(la=la)

    info = la_df[la_df["la_code"] == la].iloc[0]
    st.header(info["name"])
    _facts(info, la)
    _reorganisations(la)

    st.subheader("Inspections and visits")
    tl = query("la/timeline", la_code=la)
    if tl.empty:
        empty_state(f"The collection holds no inspection or visit of {info['name']}. "
                    "Newer LAs may not have been inspected yet; see Data and sources for "
                    "coverage gaps.")
    else:
        _summary(tl)
        show(la_timeline, la_timeline.Params(la=la, as_at=TODAY), f"lp-timeline-{la}")
        _timeline_table(tl, la)

    st.subheader("Statistical neighbours")
    _neighbours(la, info["name"])


main()
